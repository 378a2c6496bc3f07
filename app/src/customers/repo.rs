//! SQL for customers. Every read takes a `Grant` and applies its data scope.
use crate::customers::dedup::{DedupKeys, KeyFields};
use crate::customers::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, Backend, SqlBuilder, Tx};

/// Filters of the list page, already parsed.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub search: Option<String>,
    pub status: Option<CustomerStatus>,
    pub owner_id: Option<i64>,
    pub sort: SortKey,
    pub after: Option<Cursor>,
    pub limit: i64,
    pub level: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    pub tag: Option<String>,
    pub department_id: Option<i64>,
    /// Created at or after (UTC ms).
    pub created_from: Option<i64>,
    /// Created before (UTC ms; the day after the chosen end date).
    pub created_before: Option<i64>,
}

const LIST_COLUMNS: &str = "c.id, c.name, c.short_name, c.kind, c.status, c.industry, c.region, c.phone, c.owner_id, u.display_name AS owner_name, c.created_at, c.updated_at, c.level, c.category";

/// Rows in scope above which walking the sort index beats fetching the scope and sorting.
const DENSE_SCOPE: i64 = 2000;

/// SQLite plans `department_id IN (…)` by reading every row of the scope and sorting,
/// which is slow when a manager's tree holds most of a million customers. We count the
/// scope up to a cap (cheap, through its index) and, when it is dense, tell SQLite to
/// walk the sort index instead. PostgreSQL's planner makes this choice itself.
pub async fn scope_is_dense(tx: &mut Tx, grant: &Grant) -> Result<bool, sqlx::Error> {
    if tx.backend() != Backend::Sqlite || grant.scope == crate::platform::authz::Scope::All {
        return Ok(false);
    }
    let mut q = sql("SELECT COUNT(*) FROM (SELECT 1 FROM customers c WHERE c.deleted_at IS NULL");
    grant.push_filter(&mut q, "c");
    q.push(" LIMIT ").bind_i64(DENSE_SCOPE).push(") s");
    Ok(q.fetch_i64(tx).await? >= DENSE_SCOPE)
}

/// Builds the list query (exposed so the benchmark can time the same SQL bare).
pub fn list_query(backend: Backend, grant: &Grant, f: &ListFilter, dense_scope: bool) -> SqlBuilder {
    let mut q = sql("SELECT ");
    q.push(LIST_COLUMNS);
    q.push(" FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.deleted_at IS NULL");
    grant.push_filter_hinted(&mut q, "c", dense_scope);
    if let Some(term) = f.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        push_search(&mut q, backend, term);
    }
    if let Some(s) = f.status {
        q.push(" AND c.status = ").bind_text(s.code());
    }
    if let Some(o) = f.owner_id {
        q.push(" AND c.owner_id = ").bind_i64(o);
    }
    if let Some(v) = &f.level {
        q.push(" AND c.level = ").bind_text(v.clone());
    }
    if let Some(v) = &f.category {
        q.push(" AND c.category = ").bind_text(v.clone());
    }
    if let Some(v) = &f.region {
        q.push(" AND c.region = ").bind_text(v.clone());
    }
    if let Some(v) = &f.tag {
        q.push(" AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ").bind_text(v.clone()).push(")");
    }
    if let Some(d) = f.department_id {
        q.push(" AND c.department_id = ").bind_i64(d);
    }
    if let Some(t) = f.created_from {
        q.push(" AND c.created_at >= ").bind_i64(t);
    }
    if let Some(t) = f.created_before {
        q.push(" AND c.created_at < ").bind_i64(t);
    }
    match (f.sort, &f.after) {
        (SortKey::UpdatedDesc, Some(Cursor::Time(t, id))) => {
            q.push(" AND (c.updated_at, c.id) < (").bind_i64(*t).push(", ").bind_i64(*id).push(")");
        }
        (SortKey::CreatedDesc, Some(Cursor::Time(t, id))) => {
            q.push(" AND (c.created_at, c.id) < (").bind_i64(*t).push(", ").bind_i64(*id).push(")");
        }
        (SortKey::NameAsc, Some(Cursor::Name(n, id))) => {
            q.push(" AND (c.name, c.id) > (").bind_text(n.clone()).push(", ").bind_i64(*id).push(")");
        }
        _ => {}
    }
    q.push(match f.sort {
        SortKey::UpdatedDesc => " ORDER BY c.updated_at DESC, c.id DESC",
        SortKey::CreatedDesc => " ORDER BY c.created_at DESC, c.id DESC",
        SortKey::NameAsc => " ORDER BY c.name ASC, c.id ASC",
    });
    q.push(" LIMIT ").bind_i64(f.limit);
    q
}

/// Substring search on name and short name that works for Chinese.
/// Three characters or more use the trigram index; shorter terms fall back to LIKE.
pub(crate) fn push_search(q: &mut SqlBuilder, backend: Backend, term: &str) {
    let pattern = format!("%{}%", like_escape(term));
    match backend {
        Backend::Sqlite if term.chars().count() >= 3 => {
            q.push(" AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ");
            q.bind_text(format!("\"{}\"", term.replace('"', "\"\"")));
            q.push(")");
        }
        Backend::Sqlite => {
            q.push(" AND (c.name LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR c.short_name LIKE ");
            q.bind_text(pattern).push(" ESCAPE '\\')");
        }
        Backend::Postgres => {
            q.push(" AND (c.name ILIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR c.short_name ILIKE ");
            q.bind_text(pattern).push(" ESCAPE '\\')");
        }
    }
}

pub async fn list(tx: &mut Tx, grant: &Grant, f: &ListFilter) -> Result<Vec<CustomerRow>, sqlx::Error> {
    let backend = tx.backend();
    let dense = scope_is_dense(tx, grant).await?;
    list_query(backend, grant, f, dense).fetch_all(tx).await
}

/// Loads one customer within the grant's scope; deleted ones only when asked.
pub async fn get(tx: &mut Tx, grant: &Grant, id: i64, include_deleted: bool) -> Result<Option<CustomerDetail>, sqlx::Error> {
    let mut q =
        sql("SELECT c.id, c.code, c.name, c.short_name, c.kind, c.status, c.industry, c.region, c.source, c.address, c.phone, c.email, \
         c.website, c.tax_id, c.notes, c.owner_id, o.display_name AS owner_name, c.department_id, d.name AS department_name, \
         d.path AS department_path, c.version, c.created_at, cb.display_name AS created_by_name, c.updated_at, \
         ub.display_name AS updated_by_name, c.deleted_at, c.last_touch_at, c.pool_since, c.merged_into, \
         c.level, c.category, c.customer_group, c.bank_name, c.bank_account, c.credit_limit, c.credit_currency, c.credit_days, \
         c.credit_control, c.relationship, c.rating, c.evaluation \
         FROM customers c LEFT JOIN users o ON o.id = c.owner_id LEFT JOIN departments d ON d.id = c.department_id \
         LEFT JOIN users cb ON cb.id = c.created_by LEFT JOIN users ub ON ub.id = c.updated_by WHERE c.id = ");
    q.bind_i64(id);
    if !include_deleted {
        q.push(" AND c.deleted_at IS NULL");
    }
    grant.push_filter(&mut q, "c");
    q.fetch_optional(tx).await
}

/// A user's department and its path (for scoping the records they own).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OwnerInfo {
    pub id: i64,
    pub department_id: Option<i64>,
    pub department_path: Option<String>,
}

pub async fn owner_info(tx: &mut Tx, user_id: i64) -> Result<Option<OwnerInfo>, sqlx::Error> {
    sql("SELECT u.id, u.department_id, d.path AS department_path FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1 AND u.active = $2")
        .arg_i64(user_id)
        .arg_bool(true)
        .fetch_optional(tx)
        .await
}

fn keys(c: &ValidCustomer) -> DedupKeys {
    DedupKeys::of(KeyFields {
        name: &c.name,
        phone: c.phone.as_deref(),
        email: c.email.as_deref(),
        website: c.website.as_deref(),
        tax_id: c.tax_id.as_deref(),
        address: c.address.as_deref(),
    })
}

fn push_keys(q: SqlBuilder, k: DedupKeys) -> SqlBuilder {
    q.arg_opt_text(k.name_key)
        .arg_opt_text(k.name_core)
        .arg_opt_text(k.phone_key)
        .arg_opt_text(k.email_key)
        .arg_opt_text(k.website_key)
        .arg_opt_text(k.tax_key)
        .arg_opt_text(k.address_key)
}

fn push_values(q: SqlBuilder, c: &ValidCustomer) -> SqlBuilder {
    q.arg_opt_text(c.code.clone())
        .arg_text(c.name.clone())
        .arg_opt_text(c.short_name.clone())
        .arg_text(c.kind.code())
        .arg_text(c.status.code())
        .arg_opt_text(c.industry.clone())
        .arg_opt_text(c.region.clone())
        .arg_opt_text(c.source.clone())
        .arg_opt_text(c.address.clone())
        .arg_opt_text(c.phone.clone())
        .arg_opt_text(c.email.clone())
        .arg_opt_text(c.website.clone())
        .arg_opt_text(c.tax_id.clone())
        .arg_opt_text(c.notes.clone())
}

/// Binds the classification, financial and evaluation columns (12 values).
fn push_record(q: SqlBuilder, c: &ValidCustomer) -> SqlBuilder {
    q.arg_opt_text(c.level.clone())
        .arg_opt_text(c.category.clone())
        .arg_opt_text(c.customer_group.clone())
        .arg_opt_text(c.bank_name.clone())
        .arg_opt_text(c.bank_account.clone())
        .arg_opt_i64(c.credit_limit)
        .arg_opt_text(c.credit_currency.clone())
        .arg_opt_i64(c.credit_days)
        .arg_opt_text(c.credit_control.clone())
        .arg_opt_text(c.relationship.clone())
        .arg_opt_i64(c.rating)
        .arg_opt_text(c.evaluation.clone())
}

const RECORD_COLUMNS: [&str; 12] = [
    "level",
    "category",
    "customer_group",
    "bank_name",
    "bank_account",
    "credit_limit",
    "credit_currency",
    "credit_days",
    "credit_control",
    "relationship",
    "rating",
    "evaluation",
];

/// Writes the classification, financial and evaluation columns and the tags.
pub async fn save_record(tx: &mut Tx, id: i64, c: &ValidCustomer) -> Result<(), sqlx::Error> {
    let sets: Vec<String> = RECORD_COLUMNS.iter().enumerate().map(|(i, col)| format!("{col} = ${}", i + 1)).collect();
    push_record(sql(&format!("UPDATE customers SET {} WHERE id = $13", sets.join(", "))), c).arg_i64(id).execute(tx).await?;
    sql("DELETE FROM customer_tags WHERE customer_id = $1").arg_i64(id).execute(tx).await?;
    for t in &c.tags {
        sql("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)").arg_i64(id).arg_text(t.clone()).execute(tx).await?;
    }
    Ok(())
}

pub async fn tags(tx: &mut Tx, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sql("SELECT tag FROM customer_tags WHERE customer_id = $1 ORDER BY tag").arg_i64(id).fetch_all(tx).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert(tx: &mut Tx, c: &ValidCustomer, owner: &OwnerInfo, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    let q = push_values(
        sql("INSERT INTO customers (code, name, short_name, kind, status, industry, region, source, address, phone, email, website, tax_id, notes, \
             owner_id, department_id, version, created_at, created_by, updated_at, updated_by, last_touch_at, \
             name_key, name_core, phone_key, email_key, website_key, tax_key, address_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $17, $18, $17, \
             $19, $20, $21, $22, $23, $24, $25) RETURNING id"),
        c,
    )
    .arg_i64(owner.id)
    .arg_opt_i64(owner.department_id)
    .arg_i64(now)
    .arg_i64(actor);
    let id = push_keys(q, keys(c)).fetch_i64(tx).await?;
    if has_record(c) {
        save_record(tx, id, c).await?;
    }
    Ok(id)
}

fn has_record(c: &ValidCustomer) -> bool {
    c.level.is_some()
        || c.category.is_some()
        || c.customer_group.is_some()
        || !c.tags.is_empty()
        || c.bank_name.is_some()
        || c.bank_account.is_some()
        || c.credit_limit.is_some()
        || c.credit_days.is_some()
        || c.credit_control.is_some()
        || c.relationship.is_some()
        || c.rating.is_some()
        || c.evaluation.is_some()
}

/// Updates when `version` still matches; returns false on a stale version.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i64,
    c: &ValidCustomer,
    owner: &OwnerInfo,
    actor: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let q = push_values(
        sql(
            "UPDATE customers SET code = $1, name = $2, short_name = $3, kind = $4, status = $5, industry = $6, region = $7, source = $8, \
             address = $9, phone = $10, email = $11, website = $12, tax_id = $13, notes = $14, owner_id = $15, department_id = $16, \
             version = version + 1, updated_at = $17, updated_by = $18, \
             name_key = $21, name_core = $22, phone_key = $23, email_key = $24, website_key = $25, tax_key = $26, address_key = $27 \
             WHERE id = $19 AND version = $20 AND deleted_at IS NULL",
        ),
        c,
    )
    .arg_i64(owner.id)
    .arg_opt_i64(owner.department_id)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version);
    let n = push_keys(q, keys(c)).execute(tx).await?;
    if n == 1 {
        save_record(tx, id, c).await?;
    }
    Ok(n == 1)
}

/// Marks deleted (or restores when `deleted_at` is None) if `version` matches.
pub async fn set_deleted(tx: &mut Tx, id: i64, version: i64, deleted_at: Option<i64>, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n =
        sql("UPDATE customers SET deleted_at = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5")
            .arg_opt_i64(deleted_at)
            .arg_i64(now)
            .arg_i64(actor)
            .arg_i64(id)
            .arg_i64(version)
            .execute(tx)
            .await?;
    Ok(n == 1)
}

pub async fn owner_options(tx: &mut Tx) -> Result<Vec<OwnerOption>, sqlx::Error> {
    sql("SELECT id, display_name FROM users WHERE active = $1 ORDER BY display_name, id").arg_bool(true).fetch_all(tx).await
}

/// An existing customer sharing at least one duplicate key, with what scoping needs.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DupCandidate {
    pub id: i64,
    pub name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_path: Option<String>,
    #[sqlx(flatten)]
    pub keys: DedupKeys,
}

const CANDIDATE_COLUMNS: &str = "c.id, c.name, c.owner_id, u.display_name AS owner_name, c.department_id, d.path AS department_path, \
     c.name_key, c.name_core, c.phone_key, c.email_key, c.website_key, c.tax_key, c.address_key";

/// Customers (in any scope: duplicates matter across the company) sharing a key. Each
/// key column is indexed and each key is its own indexed lookup (a UNION rather than
/// an OR, which SQLite planned as a table scan), so the cost does not grow with the table.
/// Customers at the same address come from a separate, capped lookup: an office tower
/// can hold hundreds of companies, and they must not crowd out the exact matches.
pub async fn duplicate_candidates(tx: &mut Tx, k: &DedupKeys, exclude: Option<i64>) -> Result<Vec<DupCandidate>, sqlx::Error> {
    let mut found: Vec<DupCandidate> = sql(&format!(
        "SELECT {CANDIDATE_COLUMNS} \
         FROM customers c LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN departments d ON d.id = c.department_id \
         WHERE c.id IN (SELECT id FROM customers WHERE name_key = $1 UNION SELECT id FROM customers WHERE name_core = $2 \
         UNION SELECT id FROM customers WHERE phone_key = $3 UNION SELECT id FROM customers WHERE email_key = $4 \
         UNION SELECT id FROM customers WHERE website_key = $5 UNION SELECT id FROM customers WHERE tax_key = $6) \
         AND c.deleted_at IS NULL AND c.id <> $7 LIMIT 50"
    ))
    .arg_opt_text(k.name_key.clone())
    .arg_opt_text(k.name_core.clone())
    .arg_opt_text(k.phone_key.clone())
    .arg_opt_text(k.email_key.clone())
    .arg_opt_text(k.website_key.clone())
    .arg_opt_text(k.tax_key.clone())
    .arg_i64(exclude.unwrap_or(-1))
    .fetch_all(&mut *tx)
    .await?;
    if let Some(address) = &k.address_key {
        let same_address: Vec<DupCandidate> = sql(&format!(
            "SELECT {CANDIDATE_COLUMNS} FROM customers c LEFT JOIN users u ON u.id = c.owner_id \
             LEFT JOIN departments d ON d.id = c.department_id \
             WHERE c.address_key = $1 AND c.deleted_at IS NULL AND c.id <> $2 LIMIT 50"
        ))
        .arg_text(address.clone())
        .arg_i64(exclude.unwrap_or(-1))
        .fetch_all(tx)
        .await?;
        for c in same_address {
            if !found.iter().any(|f| f.id == c.id) {
                found.push(c);
            }
        }
    }
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct KeySource {
    id: i64,
    name: String,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    tax_id: Option<String>,
    address: Option<String>,
}

/// Fills missing duplicate keys (rows from before migration 0004 or bulk loads), a batch at a time.
pub async fn backfill_keys(tx: &mut Tx, batch: i64) -> Result<usize, sqlx::Error> {
    let rows: Vec<KeySource> =
        sql("SELECT id, name, phone, email, website, tax_id, address FROM customers WHERE name_key IS NULL LIMIT $1")
            .arg_i64(batch)
            .fetch_all(tx)
            .await?;
    write_keys(tx, &rows).await
}

/// Recomputes one customer's duplicate keys (after a merge changed its fields).
pub async fn refresh_keys(tx: &mut Tx, id: i64) -> Result<usize, sqlx::Error> {
    let rows: Vec<KeySource> =
        sql("SELECT id, name, phone, email, website, tax_id, address FROM customers WHERE id = $1").arg_i64(id).fetch_all(tx).await?;
    write_keys(tx, &rows).await
}

async fn write_keys(tx: &mut Tx, rows: &[KeySource]) -> Result<usize, sqlx::Error> {
    for r in rows {
        let k = DedupKeys::of(KeyFields {
            name: &r.name,
            phone: r.phone.as_deref(),
            email: r.email.as_deref(),
            website: r.website.as_deref(),
            tax_id: r.tax_id.as_deref(),
            address: r.address.as_deref(),
        });
        // An empty name key is stored as '' so the row is not picked up again.
        let k = DedupKeys { name_key: Some(k.name_key.clone().unwrap_or_default()), ..k };
        push_keys(
            sql("UPDATE customers SET name_key = $1, name_core = $2, phone_key = $3, email_key = $4, website_key = $5, tax_key = $6, \
                 address_key = $7 WHERE id = $8"),
            k,
        )
        .arg_i64(r.id)
        .execute(tx)
        .await?;
    }
    Ok(rows.len())
}

/// The 360° header figures of one customer, in one statement.
pub async fn key_figures(tx: &mut Tx, id: i64) -> Result<KeyFigures, sqlx::Error> {
    sql("SELECT (SELECT COUNT(*) FROM contacts WHERE customer_id = $1 AND deleted_at IS NULL) AS contacts, \
         (SELECT COUNT(*) FROM activity_links l JOIN activities a ON a.id = l.activity_id \
            WHERE l.entity = 'customer' AND l.entity_id = $1 AND a.deleted_at IS NULL AND a.status = 'done') AS activities, \
         (SELECT COUNT(*) FROM activity_links l JOIN activities a ON a.id = l.activity_id \
            WHERE l.entity = 'customer' AND l.entity_id = $1 AND a.deleted_at IS NULL AND a.status = 'planned') AS planned, \
         (SELECT MAX(a.occurred_at) FROM activity_links l JOIN activities a ON a.id = l.activity_id \
            WHERE l.entity = 'customer' AND l.entity_id = $1 AND a.deleted_at IS NULL AND a.status = 'done') AS last_activity_at")
    .arg_i64(id)
    .fetch_one(tx)
    .await
}
