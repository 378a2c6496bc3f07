//! Lead import (S1) through the customers' importer (C11): the same upload, column
//! mapping, dry run and background run; these are the lead rows' rules.
//!
//! - Each row is checked like the lead form; an `owner` column names the importer or
//!   someone in their assign scope.
//! - A row whose e-mail or mobile matches an open lead, or an earlier row of the file,
//!   is a duplicate: skipped, or created anyway when the user asks.
//! - Rows without an owner are handed out round-robin by territory, like web form
//!   leads; when no territory takes them, the importer owns them.
//! - The run is one transaction with one `import` audit entry listing the new leads.
use crate::customers::import::{row_owner, users_by_name};
use crate::customers::import_types::*;
use crate::customers::repo::OwnerInfo;
use crate::leads::repo::{self, Placement};
use crate::leads::territories;
use crate::leads::types::{score_parts, score_total, LeadInput, ValidLead};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A row to create, with the owner it names (None: by territory, else the importer).
pub struct LeadRowPlan {
    pub lead: ValidLead,
    pub owner: Option<OwnerInfo>,
}

fn cell(row: &[String], plan: &ImportPlan, field: &str) -> String {
    plan.column(field).and_then(|c| row.get(c)).cloned().unwrap_or_default()
}

/// The name of an open lead with this e-mail or mobile, if any.
async fn existing(tx: &mut Tx, email: Option<&str>, mobile: Option<&str>) -> Result<Option<String>, sqlx::Error> {
    let mut found = None;
    for (col, v) in [("email", email), ("mobile", mobile)] {
        if let (None, Some(v)) = (&found, v) {
            let row: Option<(String,)> = sql(&format!(
                "SELECT name FROM leads WHERE {col} = $1 AND deleted_at IS NULL AND status IN ('new', 'working', 'qualified') LIMIT 1"
            ))
            .arg_text(v)
            .fetch_optional(&mut *tx)
            .await?;
            found = row.map(|r| r.0);
        }
    }
    Ok(found)
}

/// Checks every row and decides create or skip, without writing.
pub async fn analyse(
    tx: &mut Tx,
    user: &CurrentUser,
    rows: &[Vec<String>],
    plan: &ImportPlan,
    progress: &AtomicUsize,
) -> AppResult<(Vec<LeadRowPlan>, ImportReport)> {
    authorize(user, Entity::Lead, Action::Create)?;
    if plan.column("name").is_none() {
        return Err(AppError::validation("name", "import.name_unmapped"));
    }
    let assign = authorize(user, Entity::Lead, Action::Assign).ok();
    let users = users_by_name(tx).await?;
    let mut report = ImportReport { total: rows.len(), ..Default::default() };
    let mut plans = Vec::new();
    // E-mails and mobiles of the rows already planned, with their names.
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        progress.fetch_add(1, Ordering::Relaxed);
        let line = i + 2;
        let get = |f: &str| cell(row, plan, f);
        let mut issues = Vec::new();
        let owner_text = get("owner");
        let owner = if owner_text.is_empty() {
            None
        } else {
            match row_owner(&users, user.id, assign.as_ref(), &owner_text) {
                Ok(o) => Some(o),
                Err(code) => {
                    issues.push(RowIssue { row: line, field: "owner".into(), code: code.into(), value: owner_text.clone() });
                    None
                }
            }
        };
        let input = LeadInput {
            name: get("name"),
            company: get("company"),
            title: get("title"),
            mobile: get("mobile"),
            phone: get("phone"),
            email: get("email"),
            region: get("region"),
            industry: get("industry"),
            source: get("source"),
            needs: get("needs"),
            notes: get("notes"),
            owner_id: None,
        };
        let valid = match input.validate() {
            Ok(v) => Some(v),
            Err(errs) => {
                for e in errs {
                    let value = get(&e.field);
                    issues.push(RowIssue { row: line, field: e.field, code: e.code, value });
                }
                None
            }
        };
        let (Some(lead), true) = (valid, issues.is_empty()) else {
            report.invalid += 1;
            report.issues.extend(issues);
            continue;
        };
        let keys: Vec<String> = [lead.email.clone(), lead.mobile.clone()].into_iter().flatten().collect();
        let twin = match keys.iter().find_map(|k| seen.get(k)) {
            Some(earlier) => Some(earlier.clone()),
            None => existing(tx, lead.email.as_deref(), lead.mobile.as_deref()).await?,
        };
        if let Some(other) = twin {
            if report.duplicates.len() < MAX_LISTED {
                report.duplicates.push(RowDuplicate { row: line, name: lead.name.clone(), existing: other, score: 100 });
            }
            if plan.mode != DupMode::Create {
                report.skip += 1;
                continue;
            }
        }
        seen.extend(keys.into_iter().map(|k| (k, lead.name.clone())));
        report.create += 1;
        plans.push(LeadRowPlan { lead, owner });
    }
    report.issues.truncate(MAX_LISTED);
    Ok((plans, report))
}

/// Analyses and writes the rows in the caller's transaction; returns the report.
pub async fn write(
    tx: &mut Tx,
    user: &CurrentUser,
    job: i64,
    file_name: &str,
    rows: &[Vec<String>],
    plan: &ImportPlan,
    progress: &AtomicUsize,
) -> AppResult<ImportReport> {
    let (plans, report) = analyse(tx, user, rows, plan, progress).await?;
    let me = crate::customers::repo::owner_info(tx, user.id).await?.ok_or(AppError::Forbidden)?;
    progress.store(rows.len().saturating_sub(plans.len()) + rows.len(), Ordering::Relaxed);
    let now = now_ms();
    let mut created = Vec::with_capacity(plans.len());
    for p in plans {
        let place = match p.owner {
            Some(o) => Placement { owner: Some((o.id, o.department_id)), territory_id: None },
            None => territories::place(tx, p.lead.region.as_deref())
                .await?
                .unwrap_or(Placement { owner: Some((me.id, me.department_id)), territory_id: None }),
        };
        let score = score_total(&score_parts(p.lead.facts("import")));
        created.push(repo::insert(tx, &p.lead, "import", score, place, Some(user.id), now).await?);
        progress.fetch_add(1, Ordering::Relaxed);
    }
    audit::record(tx, {
        let mut e = AuditEntry::by(Some(user.id), &user.display_name, "import")
            .summary(format!("{file_name}: {} created, {} skipped, {} invalid", report.create, report.skip, report.invalid))
            .after(serde_json::json!({ "job": job, "created_ids": created }));
        e.entity = Some("lead".into());
        e
    })
    .await?;
    Ok(report)
}
