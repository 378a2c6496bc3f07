//! Both databases from one codebase.
//!
//! `Db` is an enum over the two native sqlx pools. SQL text is written once
//! with `$N` placeholders (the SQLite driver binds `$N` by number too) and run
//! through [`SqlBuilder`], whose fetch methods dispatch to the right pool with
//! native types. Dialect differences (full-text search) branch on [`Backend`].
//! See docs/ARCHITECTURE.md for why not `AnyPool`.
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{FromRow, Postgres, Sqlite};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connection pools. SQLite has one writer connection (SQLite allows one
/// writer at a time; queuing in the pool beats `SQLITE_BUSY`) and several readers.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// An open transaction on either backend.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Db {
    /// Connects to `url` (`sqlite:` path or `postgres://`), creating a SQLite file if needed.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        use anyhow::Context;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            if url.contains(":memory:") || url.contains("mode=memory") {
                anyhow::bail!("in-memory SQLite is not supported: each pooled connection would see its own empty database");
            }
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("invalid SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // SQLite reads the planner's statistics when a connection opens: connections
            // are recycled so that statistics refreshed by `optimize` (after tables grew
            // from a few rows to millions) reach the query plans. A reader still planning
            // with the statistics of an empty table turned a 0.8 s report into minutes.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .max_lifetime(Duration::from_secs(900))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone())
                .await
                .context("opening SQLite database")?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .max_lifetime(Duration::from_secs(900))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.read_only(true))
                .await
                .context("opening SQLite database for reading")?;
            Ok(Db::Sqlite { read, write })
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got {url:?})")
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        use anyhow::Context;
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATOR.run(write).await.context("running SQLite migrations")?,
            Db::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await.context("running PostgreSQL migrations")?,
        }
        Ok(())
    }

    /// A transaction for changes (on SQLite: the single writer connection).
    pub async fn write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction for reads only (on SQLite: one of the reader connections).
    pub async fn read(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite { read, .. } => Tx::Sqlite(read.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Refreshes the query planner's statistics where they are stale: `PRAGMA optimize`
    /// on SQLite (cheap when nothing changed much); PostgreSQL's autovacuum does this itself.
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        if let Db::Sqlite { write, .. } = self {
            sqlx::query("PRAGMA optimize").execute(write).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    I64(i64),
    OptI64(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
}

/// SQL text plus its bind values, built once and run on either backend.
#[derive(Clone, Debug, Default)]
pub struct SqlBuilder {
    sql: String,
    binds: Vec<Bind>,
}

/// Starts a query from fixed SQL text with `$1…$n` placeholders; add values with `arg*`.
pub fn sql(text: &str) -> SqlBuilder {
    SqlBuilder { sql: text.to_string(), binds: Vec::new() }
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::I64(v) => q.bind(*v),
                Bind::OptI64(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
                Bind::OptText(v) => q.bind(v.clone()),
                Bind::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

impl SqlBuilder {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.sql.push_str(text);
        self
    }

    fn placeholder(&mut self, b: Bind) -> &mut Self {
        self.binds.push(b);
        let n = self.binds.len();
        self.sql.push_str(&format!("${n}"));
        self
    }

    /// Appends a placeholder for an integer.
    pub fn bind_i64(&mut self, v: i64) -> &mut Self {
        self.placeholder(Bind::I64(v))
    }
    pub fn bind_text(&mut self, v: impl Into<String>) -> &mut Self {
        self.placeholder(Bind::Text(v.into()))
    }
    pub fn bind_opt_text(&mut self, v: Option<String>) -> &mut Self {
        self.placeholder(Bind::OptText(v))
    }
    pub fn bind_opt_i64(&mut self, v: Option<i64>) -> &mut Self {
        self.placeholder(Bind::OptI64(v))
    }
    pub fn bind_bool(&mut self, v: bool) -> &mut Self {
        self.placeholder(Bind::Bool(v))
    }

    /// Adds a value for the next `$N` already written in the SQL text.
    pub fn arg(mut self, b: Bind) -> Self {
        self.binds.push(b);
        self
    }
    pub fn arg_i64(self, v: i64) -> Self {
        self.arg(Bind::I64(v))
    }
    pub fn arg_opt_i64(self, v: Option<i64>) -> Self {
        self.arg(Bind::OptI64(v))
    }
    pub fn arg_text(self, v: impl Into<String>) -> Self {
        self.arg(Bind::Text(v.into()))
    }
    pub fn arg_opt_text(self, v: Option<String>) -> Self {
        self.arg(Bind::OptText(v))
    }
    pub fn arg_bool(self, v: bool) -> Self {
        self.arg(Bind::Bool(v))
    }

    pub fn text(&self) -> &str {
        &self.sql
    }
    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    pub async fn fetch_all<T>(&self, tx: &mut Tx) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        match tx {
            Tx::Sqlite(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_all(&mut **t).await,
            Tx::Postgres(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_all(&mut **t).await,
        }
    }

    pub async fn fetch_optional<T>(&self, tx: &mut Tx) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        match tx {
            Tx::Sqlite(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_optional(&mut **t).await,
            Tx::Postgres(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_optional(&mut **t).await,
        }
    }

    pub async fn fetch_one<T>(&self, tx: &mut Tx) -> Result<T, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        match tx {
            Tx::Sqlite(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_one(&mut **t).await,
            Tx::Postgres(t) => bind_all!(sqlx::query_as::<_, T>(&self.sql), &self.binds).fetch_one(&mut **t).await,
        }
    }

    /// Runs a statement and returns the number of rows it touched.
    pub async fn execute(&self, tx: &mut Tx) -> Result<u64, sqlx::Error> {
        match tx {
            Tx::Sqlite(t) => Ok(bind_all!(sqlx::query(&self.sql), &self.binds).execute(&mut **t).await?.rows_affected()),
            Tx::Postgres(t) => Ok(bind_all!(sqlx::query(&self.sql), &self.binds).execute(&mut **t).await?.rows_affected()),
        }
    }

    /// Fetches the first column of one row as an integer (`COUNT(*)`, `RETURNING id`).
    pub async fn fetch_i64(&self, tx: &mut Tx) -> Result<i64, sqlx::Error> {
        let (v,): (i64,) = self.fetch_one(tx).await?;
        Ok(v)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Throwaway databases for tests: a temporary SQLite file or a fresh PostgreSQL database.
pub mod testing {
    use super::*;

    pub struct TestDb {
        pub db: Db,
        pg_name: Option<String>,
        _dir: Option<std::path::PathBuf>,
    }

    /// The PostgreSQL server tests use: `TEST_POSTGRES_URL`, else the local one.
    pub fn postgres_admin_url() -> String {
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
    }

    impl TestDb {
        pub async fn sqlite() -> TestDb {
            let dir = std::env::temp_dir().join(format!("crm-test-{}-{}", std::process::id(), rand::random::<u64>()));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite:{}", dir.join("crm.db").display());
            let db = Db::connect(&url).await.expect("sqlite connect");
            db.migrate().await.expect("sqlite migrate");
            TestDb { db, pg_name: None, _dir: Some(dir) }
        }

        /// `None` (and a clear message) when PostgreSQL is unreachable and CI is not set.
        pub async fn postgres() -> Option<TestDb> {
            let admin_url = postgres_admin_url();
            let admin = match PgPoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(3)).connect(&admin_url).await {
                Ok(p) => p,
                Err(e) => {
                    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                        panic!("PostgreSQL is required in CI but unreachable at {admin_url}: {e}");
                    }
                    eprintln!("SKIPPED: PostgreSQL tests skipped, {admin_url} unreachable: {e}");
                    return None;
                }
            };
            let name = format!("crm_test_{}_{}", std::process::id(), rand::random::<u32>());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
            admin.close().await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
            let db = Db::connect(&format!("{base}/{name}")).await.expect("postgres connect");
            db.migrate().await.expect("postgres migrate");
            Some(TestDb { db, pg_name: Some(name), _dir: None })
        }

        /// Closes the pools and drops the database / removes the file.
        pub async fn cleanup(self) {
            self.db.close().await;
            if let Some(name) = self.pg_name {
                if let Ok(admin) = PgPoolOptions::new().max_connections(1).connect(&postgres_admin_url()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
                    admin.close().await;
                }
            }
            if let Some(dir) = self._dir {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_numbers_placeholders_in_order() {
        let mut q = sql("SELECT 1 FROM t WHERE a = $1").arg_i64(5);
        q.push(" AND b = ").bind_text("x").push(" AND c = ").bind_i64(7);
        assert_eq!(q.text(), "SELECT 1 FROM t WHERE a = $1 AND b = $2 AND c = $3");
        assert_eq!(q.binds().len(), 3);
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(like_escape("天度"), "天度");
    }
}
