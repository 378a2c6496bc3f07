//! The CRM server: one binary that serves the app, migrates, and administers.
#![recursion_limit = "512"]
mod bench_orders;
mod bench_pipeline;
mod bench_receivables;
mod config;
mod demo;
mod demo_catalog;
mod demo_leads;
mod demo_pipeline;
mod demo_service;
mod pdf;
mod portal;
mod web;

use anyhow::Context;
use app::admin::service::{create_user_as, Actor};
use app::admin::types::UserInput;
use app::platform::db::{sql, Db};
use clap::{Parser, Subcommand};
use config::Config;

#[derive(Parser)]
#[command(name = "crm", version, about = "Customer relationship management server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, create the first administrator if there is none, and serve (the default).
    Serve {
        /// Load Chinese demo data on first start (also DEMO=1).
        #[arg(long, env = "DEMO", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false")]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create an administrator account.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value = "系统管理员")]
        display_name: String,
        /// Password; default CRM_ADMIN_PASSWORD, else one is generated and printed once.
        #[arg(long, env = "CRM_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Load demo departments, users and customers (Chinese).
    SeedDemo,
    /// Seed N synthetic customers for benchmarks.
    SeedBench {
        #[arg(long, default_value_t = 100_000)]
        count: i64,
    },
    /// Seed N synthetic opportunities of the default process with their stage history,
    /// and a year of sales targets either side of this month, for benchmarks (after
    /// seed-demo and seed-bench).
    SeedBenchPipeline {
        #[arg(long, default_value_t = 1_000_000)]
        count: i64,
        /// The user whose view of the default board stays realistic.
        #[arg(long, default_value = "zhangwei")]
        board_user: String,
        /// About how many open opportunities that user sees on the default board.
        #[arg(long, default_value_t = 500)]
        board_open: i64,
    },
    /// Walk the audit log hash chain and report whether it is intact.
    VerifyAudit,
    /// Return customers without a follow-up for the configured number of days to the
    /// public pool now (the server also does this every 10 minutes).
    PoolReturn,
    /// Time the customer-list SQL alone (for bench/run.sh), as `username` would run it.
    #[command(hide = true)]
    BenchSql {
        #[arg(long, default_value = "zhangwei")]
        username: String,
        #[arg(long, default_value_t = 400)]
        iterations: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        #[arg(long)]
        search: Option<String>,
        /// Filter on a level, as a saved query would.
        #[arg(long)]
        level: Option<String>,
    },
    /// Time the duplicate check against the whole customer table (for bench/run.sh).
    #[command(hide = true)]
    BenchDup {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value_t = 400)]
        iterations: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Time the pipeline board, a stage move and the dashboard as `username` (for bench/pipeline.sh).
    #[command(hide = true)]
    BenchPipeline {
        #[arg(long, default_value = "zhangwei")]
        username: String,
        #[arg(long, default_value_t = 400)]
        iterations: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Leave out the dashboard.
        #[arg(long)]
        skip_dashboard: bool,
    },
    /// Time quote PDF generation: the first document (fonts loaded) and then the median of
    /// `iterations` more, for quotes of 12 and 200 lines (for bench/pdf.sh).
    #[command(hide = true)]
    BenchPdf {
        #[arg(long, default_value_t = 50)]
        iterations: usize,
        /// Also write the 12-line sample here, to look at.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Time order confirmation with `users` concurrent salespeople (for bench/orders.sh;
    /// after seed-demo).
    #[command(hide = true)]
    BenchOrders {
        #[arg(long, default_value_t = 20)]
        users: usize,
        #[arg(long, default_value_t = 25)]
        per_user: usize,
    },
    /// Seed contracts with `payments` payment rows and time the receivables report (for
    /// bench/receivables.sh; after seed-demo and seed-bench).
    #[command(hide = true)]
    BenchReceivables {
        #[arg(long, default_value_t = 1_000_000)]
        payments: i64,
        #[arg(long, default_value_t = 20)]
        iterations: usize,
    },
    /// Time a customer import of generated rows (for bench/run.sh).
    #[command(hide = true)]
    BenchImport {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value_t = 20_000)]
        rows: usize,
    },
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    web::init_tracing();
    if let Some(Command::BenchPdf { iterations, out }) = cli.command {
        return pdf::bench(iterations, out.as_deref());
    }
    let config = Config::from_env()?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let filled = app::customers::service::backfill_dedup_keys(&db).await.map_err(|e| anyhow::anyhow!("computing duplicate keys: {e:?}"))?;
    if filled > 0 {
        tracing::info!(rows = filled, "computed duplicate-detection keys");
    }
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Migrate => {
            println!("migrations applied to {}", redact(&config.database_url));
        }
        Command::CreateAdmin { username, display_name, password } => {
            create_admin(&db, &username, &display_name, password).await?;
        }
        Command::SeedDemo => demo::seed(&db).await?,
        Command::SeedBench { count } => demo::seed_bench(&db, count).await?,
        Command::SeedBenchPipeline { count, board_user, board_open } => {
            bench_pipeline::seed_bench_pipeline(&db, count, &board_user, board_open).await?
        }
        Command::BenchPipeline { username, iterations, concurrency, skip_dashboard } => {
            bench_pipeline::bench_pipeline(&db, &username, iterations, concurrency, !skip_dashboard).await?
        }
        Command::BenchDup { username, iterations, concurrency } => demo::bench_dup(&db, &username, iterations, concurrency).await?,
        Command::BenchImport { username, rows } => demo::bench_import(&db, &username, rows).await?,
        Command::BenchPdf { .. } => unreachable!("handled before the database opens"),
        Command::BenchReceivables { payments, iterations } => {
            bench_receivables::bench_receivables(&db, &config.database_url, payments, iterations).await?
        }
        Command::BenchOrders { users, per_user } => bench_orders::bench_orders(&db, users, per_user).await?,
        Command::BenchSql { username, iterations, concurrency, search, level } => {
            demo::bench_sql(&db, &username, iterations, concurrency, search, level).await?
        }
        Command::VerifyAudit => {
            let mut tx = db.read().await?;
            match app::platform::audit::verify_chain(&mut tx).await? {
                app::platform::audit::ChainStatus::Intact { rows } => println!("audit log intact: {rows} entries verified"),
                app::platform::audit::ChainStatus::Broken { seq } => {
                    println!("audit log BROKEN at entry {seq}");
                    std::process::exit(2);
                }
            }
        }
        Command::PoolReturn => {
            let n =
                app::customers::ownership::auto_return(&db, app::platform::time::now_ms()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!("{n} customers returned to the pool");
        }
        Command::Serve { demo } => {
            let mut tx = db.read().await?;
            let users = sql("SELECT COUNT(*) FROM users").fetch_i64(&mut tx).await?;
            drop(tx);
            if users == 0 {
                create_admin(&db, "admin", "系统管理员", std::env::var("CRM_ADMIN_PASSWORD").ok()).await?;
            }
            if demo {
                let mut tx = db.read().await?;
                let customers = sql("SELECT COUNT(*) FROM customers").fetch_i64(&mut tx).await?;
                drop(tx);
                if customers == 0 {
                    demo::seed(&db).await?;
                }
            }
            spawn_pool_return(db.clone());
            spawn_value_scores(db.clone());
            spawn_overdue_reminders(db.clone());
            spawn_sla_sweep(db.clone());
            spawn_optimize(db.clone());
            web::serve(config, db).await?;
        }
    }
    Ok(())
}

/// The public-pool return job: every 10 minutes, customers without a follow-up for
/// the configured number of days go back to the pool.
fn spawn_pool_return(db: Db) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match app::customers::ownership::auto_return(&db, app::platform::time::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(customers = n, "returned to the public pool"),
                Err(e) => tracing::warn!(error = ?e, "pool return job failed"),
            }
        }
    });
}

/// Keeps the planner's statistics fresh as tables grow (SQLite's `PRAGMA optimize`), hourly.
fn spawn_optimize(db: Db) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = db.optimize().await {
                tracing::warn!(error = ?e, "optimize failed");
            }
        }
    });
}

/// Rescores every customer's value (C7) every 6 hours, for the pyramid; the first run
/// waits 15 minutes so a restart does not compete with the first users (or benchmarks).
fn spawn_value_scores(db: Db) {
    tokio::spawn(async move {
        let period = std::time::Duration::from_secs(6 * 3600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + std::time::Duration::from_secs(900), period);
        loop {
            every.tick().await;
            match app::customers::value_service::recompute_all(&db, app::platform::time::now_ms()).await {
                Ok(n) => tracing::info!(customers = n, "value scores computed"),
                Err(e) => tracing::warn!(error = ?e, "value scoring failed"),
            }
        }
    });
}

/// Reminds contract owners of instalments that fell overdue (a planned follow-up call
/// each, once), every `CRM_OVERDUE_EVERY_SECS` seconds (10 minutes unless set).
/// The SLA job (V2): every minute (`CRM_SLA_EVERY_SECS`), warnings for service targets
/// at risk and escalations for breaches.
fn spawn_sla_sweep(db: Db) {
    let secs = std::env::var("CRM_SLA_EVERY_SECS").ok().and_then(|v| v.parse::<u64>().ok()).filter(|s| *s > 0).unwrap_or(60);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
        loop {
            every.tick().await;
            match app::tickets::service::sla_sweep(&db, app::platform::time::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(requests = n, "SLA warnings and escalations sent"),
                Err(e) => tracing::warn!(error = ?e, "SLA job failed"),
            }
        }
    });
}

fn spawn_overdue_reminders(db: Db) {
    let secs = std::env::var("CRM_OVERDUE_EVERY_SECS").ok().and_then(|v| v.parse::<u64>().ok()).filter(|s| *s > 0).unwrap_or(600);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
        loop {
            every.tick().await;
            let today = app::contracts::service::today();
            match app::contracts::service::remind_overdue(&db, &today, app::platform::time::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(instalments = n, "overdue reminders created"),
                Err(e) => tracing::warn!(error = ?e, "overdue reminder job failed"),
            }
        }
    });
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((head, tail)) if head.contains("://") => format!("{}://…@{tail}", head.split("://").next().unwrap_or("")),
        _ => url.to_string(),
    }
}

async fn create_admin(db: &Db, username: &str, display_name: &str, password: Option<String>) -> anyhow::Result<()> {
    let (password, generated) = match password.filter(|p| !p.is_empty()) {
        Some(p) => (p, false),
        None => {
            use rand::Rng;
            let alphabet = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            let mut rng = rand::thread_rng();
            ((0..16).map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char).collect(), true)
        }
    };
    let input = UserInput {
        username: username.to_string(),
        display_name: display_name.to_string(),
        email: String::new(),
        department_id: None,
        roles: vec!["admin".to_string()],
        active: true,
        password: password.clone(),
    };
    let actor = Actor { id: None, name: "system".to_string() };
    match create_user_as(db, &actor, &input).await {
        Ok(_) => {
            if generated {
                println!("Created administrator '{username}' with password: {password}");
                println!("This password is shown only once. Change it under 我的账户 / My account after signing in.");
            } else {
                println!("Created administrator '{username}' with the password from CRM_ADMIN_PASSWORD.");
            }
            Ok(())
        }
        Err(app::platform::error::AppError::Validation(errs)) => {
            let msgs: Vec<String> = errs
                .iter()
                .map(|e| format!("{}: {}", e.field, app::platform::i18n::tr(app::platform::i18n::Locale::En, &e.code)))
                .collect();
            anyhow::bail!("cannot create administrator: {}", msgs.join("; "))
        }
        Err(e) => Err(anyhow::anyhow!("{e}")).context("creating administrator"),
    }
}
