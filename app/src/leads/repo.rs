//! SQL for leads. Reads take a `Grant` and apply its data scope; the pool (leads
//! without an owner) is added for users who may claim or assign.
use crate::leads::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};

/// Which leads a reader reaches: its grant's scope, plus the pool when allowed.
pub struct Reach<'a> {
    pub grant: &'a Grant,
    pub pool: bool,
}

fn push_reach(q: &mut SqlBuilder, r: &Reach<'_>) {
    if r.pool {
        q.push(" AND (l.owner_id IS NULL OR (1 = 1");
        r.grant.push_filter(q, "l");
        q.push("))");
    } else {
        r.grant.push_filter(q, "l");
    }
}

const DETAIL: &str = "SELECT l.id, l.name, l.company, l.title, l.mobile, l.phone, l.email, l.region, l.industry, l.source, l.channel, \
     l.needs, l.notes, l.status, l.disqualify_reason, l.score, l.territory_id, t.name AS territory_name, l.owner_id, \
     u.display_name AS owner_name, l.department_id, d.path AS department_path, d.name AS department_name, l.customer_id, c.name AS customer_name, l.contact_id, \
     l.opportunity_id, o.name AS opportunity_name, l.converted_at, l.version, l.created_at, l.updated_at \
     FROM leads l LEFT JOIN lead_territories t ON t.id = l.territory_id LEFT JOIN users u ON u.id = l.owner_id \
     LEFT JOIN departments d ON d.id = l.department_id LEFT JOIN customers c ON c.id = l.customer_id \
     LEFT JOIN opportunities o ON o.id = l.opportunity_id WHERE l.id = ";

pub async fn get(tx: &mut Tx, reach: &Reach<'_>, id: i64) -> Result<Option<Lead>, sqlx::Error> {
    let mut q = sql(DETAIL);
    q.bind_i64(id);
    q.push(" AND l.deleted_at IS NULL");
    push_reach(&mut q, reach);
    q.fetch_optional(tx).await
}

/// The list's WHERE clause (after `FROM leads l LEFT JOIN users u …`).
fn push_filter(q: &mut SqlBuilder, reach: &Reach<'_>, f: &LeadFilter, me: i64) {
    q.push(" WHERE l.deleted_at IS NULL");
    push_reach(q, reach);
    match f.view.as_str() {
        "mine" => {
            q.push(" AND l.owner_id = ").bind_i64(me);
        }
        "pool" => {
            q.push(" AND l.owner_id IS NULL");
        }
        _ => {}
    }
    match f.status.as_str() {
        "" => {}
        "open" => {
            q.push(" AND l.status IN ('new', 'working', 'qualified')");
        }
        s => {
            q.push(" AND l.status = ").bind_text(s);
        }
    }
    if let Some((lo, hi)) = grade_bounds(&f.grade) {
        q.push(" AND l.score BETWEEN ").bind_i64(lo);
        q.push(" AND ").bind_i64(hi);
    }
    let term = f.q.trim();
    if !term.is_empty() {
        let like = format!("%{}%", like_escape(&term.to_lowercase()));
        q.push(" AND (LOWER(l.name) LIKE ").bind_text(like.clone());
        q.push(" ESCAPE '\\' OR LOWER(l.company) LIKE ").bind_text(like.clone());
        q.push(" ESCAPE '\\' OR l.mobile LIKE ").bind_text(like.clone());
        q.push(" ESCAPE '\\' OR l.email LIKE ").bind_text(like);
        q.push(" ESCAPE '\\')");
    }
}

/// A page of leads, most recently updated first, after the `(updated_at, id)` cursor.
pub async fn list(
    tx: &mut Tx,
    reach: &Reach<'_>,
    f: &LeadFilter,
    me: i64,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<LeadRow>, sqlx::Error> {
    let mut q = sql("SELECT l.id, l.name, l.company, l.mobile, l.email, l.region, l.source, l.channel, l.status, l.score, l.owner_id, \
         u.display_name AS owner_name, l.created_at, l.updated_at FROM leads l LEFT JOIN users u ON u.id = l.owner_id");
    push_filter(&mut q, reach, f, me);
    if let Some((at, id)) = after {
        q.push(" AND (l.updated_at < ").bind_i64(at);
        q.push(" OR (l.updated_at = ").bind_i64(at);
        q.push(" AND l.id < ").bind_i64(id);
        q.push("))");
    }
    q.push(" ORDER BY l.updated_at DESC, l.id DESC LIMIT ").bind_i64(limit);
    q.fetch_all(tx).await
}

pub async fn count(tx: &mut Tx, reach: &Reach<'_>, f: &LeadFilter, me: i64) -> Result<i64, sqlx::Error> {
    let mut q = sql("SELECT COUNT(*) FROM leads l");
    push_filter(&mut q, reach, f, me);
    q.fetch_i64(tx).await
}

/// Who gets a new lead: the owner and their department, and the territory that chose them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Placement {
    pub owner: Option<(i64, Option<i64>)>,
    pub territory_id: Option<i64>,
}

pub async fn insert(
    tx: &mut Tx,
    v: &ValidLead,
    channel: &str,
    score: i64,
    place: Placement,
    actor: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO leads (name, company, title, mobile, phone, email, region, industry, source, channel, needs, notes, status, score, \
         territory_id, owner_id, department_id, version, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'new', $13, $14, $15, $16, 1, $17, $18, $17, $18) RETURNING id")
    .arg_text(v.name.clone())
    .arg_opt_text(v.company.clone())
    .arg_opt_text(v.title.clone())
    .arg_opt_text(v.mobile.clone())
    .arg_opt_text(v.phone.clone())
    .arg_opt_text(v.email.clone())
    .arg_opt_text(v.region.clone())
    .arg_opt_text(v.industry.clone())
    .arg_opt_text(v.source.clone())
    .arg_text(channel)
    .arg_opt_text(v.needs.clone())
    .arg_opt_text(v.notes.clone())
    .arg_i64(score)
    .arg_opt_i64(place.territory_id)
    .arg_opt_i64(place.owner.map(|o| o.0))
    .arg_opt_i64(place.owner.and_then(|o| o.1))
    .arg_i64(now)
    .arg_opt_i64(actor)
    .fetch_i64(tx)
    .await
}

/// Saves the form fields and the owner if `version` still matches.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i64,
    v: &ValidLead,
    score: i64,
    owner: Option<(i64, Option<i64>)>,
    actor: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE leads SET name = $1, company = $2, title = $3, mobile = $4, phone = $5, email = $6, region = $7, industry = $8, \
         source = $9, needs = $10, notes = $11, score = $12, owner_id = $13, department_id = $14, version = version + 1, \
         updated_at = $15, updated_by = $16 WHERE id = $17 AND version = $18 AND deleted_at IS NULL")
    .arg_text(v.name.clone())
    .arg_opt_text(v.company.clone())
    .arg_opt_text(v.title.clone())
    .arg_opt_text(v.mobile.clone())
    .arg_opt_text(v.phone.clone())
    .arg_opt_text(v.email.clone())
    .arg_opt_text(v.region.clone())
    .arg_opt_text(v.industry.clone())
    .arg_opt_text(v.source.clone())
    .arg_opt_text(v.needs.clone())
    .arg_opt_text(v.notes.clone())
    .arg_i64(score)
    .arg_opt_i64(owner.map(|o| o.0))
    .arg_opt_i64(owner.and_then(|o| o.1))
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    version: i64,
    status: &str,
    reason: Option<String>,
    actor: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE leads SET status = $1, disqualify_reason = $2, version = version + 1, updated_at = $3, updated_by = $4 \
         WHERE id = $5 AND version = $6 AND deleted_at IS NULL")
    .arg_text(status)
    .arg_opt_text(reason)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Gives the lead to `owner` (with the territory that chose them, if any). With
/// `only_unowned`, succeeds only while the lead is still in the pool.
pub async fn set_owner(tx: &mut Tx, id: i64, place: Placement, only_unowned: bool, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut q = sql("UPDATE leads SET owner_id = ");
    q.bind_opt_i64(place.owner.map(|o| o.0));
    q.push(", department_id = ").bind_opt_i64(place.owner.and_then(|o| o.1));
    q.push(", territory_id = COALESCE(").bind_opt_i64(place.territory_id);
    q.push(", territory_id), version = version + 1, updated_at = ").bind_i64(now);
    q.push(", updated_by = ").bind_i64(actor);
    q.push(" WHERE id = ").bind_i64(id);
    q.push(" AND deleted_at IS NULL AND status NOT IN ('converted', 'disqualified')");
    if only_unowned {
        q.push(" AND owner_id IS NULL");
    }
    Ok(q.execute(tx).await? == 1)
}

pub async fn set_deleted(tx: &mut Tx, id: i64, version: i64, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE leads SET deleted_at = $1, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn mark_converted(tx: &mut Tx, id: i64, version: i64, made: &Converted, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE leads SET status = 'converted', customer_id = $1, contact_id = $2, opportunity_id = $3, converted_at = $4, \
         version = version + 1, updated_at = $4, updated_by = $5 \
         WHERE id = $6 AND version = $7 AND deleted_at IS NULL AND status IN ('new', 'working', 'qualified')")
    .arg_i64(made.customer_id)
    .arg_i64(made.contact_id)
    .arg_opt_i64(made.opportunity_id)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// An open lead with the same e-mail or mobile that came in since `since` (a repeated
/// web form submission is folded into it).
pub async fn recent_twin(tx: &mut Tx, email: Option<&str>, mobile: Option<&str>, since: i64) -> Result<Option<i64>, sqlx::Error> {
    if email.is_none() && mobile.is_none() {
        return Ok(None);
    }
    let mut q = sql("SELECT id FROM leads WHERE deleted_at IS NULL AND created_at >= ");
    q.bind_i64(since);
    q.push(" AND (");
    match (email, mobile) {
        (Some(e), Some(m)) => {
            q.push("email = ").bind_text(e);
            q.push(" OR mobile = ").bind_text(m);
        }
        (Some(e), None) => {
            q.push("email = ").bind_text(e);
        }
        (None, Some(m)) => {
            q.push("mobile = ").bind_text(m);
        }
        (None, None) => unreachable!(),
    }
    q.push(") ORDER BY id DESC LIMIT 1");
    let row: Option<(i64,)> = q.fetch_optional(tx).await?;
    Ok(row.map(|r| r.0))
}

/// Records a web form submission from `ip` and returns how many it made since `since`
/// (this one included); drops records older than `since`.
pub async fn web_hit(tx: &mut Tx, ip: &str, now: i64, since: i64) -> Result<i64, sqlx::Error> {
    sql("DELETE FROM web_form_hits WHERE at < $1").arg_i64(since).execute(tx).await?;
    sql("INSERT INTO web_form_hits (ip, at) VALUES ($1, $2)").arg_text(ip).arg_i64(now).execute(tx).await?;
    sql("SELECT COUNT(*) FROM web_form_hits WHERE ip = $1 AND at >= $2").arg_text(ip).arg_i64(since).fetch_i64(tx).await
}
