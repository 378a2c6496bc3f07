//! Customer import (C11) from CSV (UTF-8, GBK/GB18030 or Big5, detected) and XLSX:
//! upload → column mapping and preview → check (a dry run with a per-row report) →
//! run. A run is one transaction, so a failure leaves nothing half-imported; rows
//! with errors are reported and left out. Duplicates (against the CRM and within the
//! file) are skipped, used to update the existing customer, or created anyway.
use crate::contacts::types::ContactInput;
use crate::customers::dedup::{score_candidate, DedupKeys, KeyFields};
use crate::customers::import_types::*;
use crate::customers::repo::{self, OwnerInfo};
use crate::customers::types::{CustomerDetail, CustomerInput, CustomerKind, CustomerStatus, ValidCustomer};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::{tr, Locale};
use crate::platform::time::now_ms;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;
const MAX_COLUMNS: usize = 100;

/// Splits an uploaded file into its heading row and data rows.
pub fn parse_file(file_name: &str, bytes: &[u8]) -> AppResult<(Vec<String>, Vec<Vec<String>>)> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::validation("file", "import.too_large"));
    }
    let lower = file_name.to_lowercase();
    let mut rows = if lower.ends_with(".xlsx") {
        parse_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        parse_csv(bytes)?
    } else {
        return Err(AppError::validation("file", "import.bad_type"));
    };
    rows.retain(|r| r.iter().any(|c| !c.trim().is_empty()));
    if rows.len() < 2 {
        return Err(AppError::validation("file", "import.empty"));
    }
    if rows.len() - 1 > MAX_ROWS {
        return Err(AppError::validation("file", "import.too_many_rows"));
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).min(MAX_COLUMNS);
    for r in &mut rows {
        r.resize(width, String::new());
        for c in r.iter_mut() {
            *c = c.trim().to_string();
        }
    }
    let headers = rows.remove(0);
    Ok((headers, rows))
}

/// Text of a CSV file: UTF-8 (with or without BOM) or, failing that, the legacy
/// Chinese encoding chardetng detects (GB18030 for GBK files, Big5).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"cn"), true);
    encoding.decode(bytes).0.into_owned()
}

fn parse_csv(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|_| AppError::validation("file", "import.unreadable"))?;
        rows.push(rec.iter().map(str::to_string).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(AppError::validation("file", "import.too_many_rows"));
        }
    }
    Ok(rows)
}

fn parse_xlsx(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || AppError::validation("file", "import.unreadable");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(unreadable)?;
    let range = book.worksheet_range(&sheet).map_err(|_| unreadable())?;
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    // Phone numbers and ids typed as numbers must not become "1.3800138e10".
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    // Excel serial dates count days from 1899-12-30.
                    Data::DateTime(d) => {
                        let (y, m, day) = crate::platform::time::date_parts((d.as_f64().floor() as i64 - 25_569) * 86_400_000);
                        format!("{y:04}-{m:02}-{day:02}")
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Guesses the mapping from the headings: a field's code, or its label in any language.
pub fn suggest(headers: &[String]) -> ImportPlan {
    suggest_for("customer", headers)
}

/// [`suggest`] for the fields of an import into `entity`.
pub fn suggest_for(entity: &str, headers: &[String]) -> ImportPlan {
    let norm = |s: &str| s.trim().to_lowercase().replace([' ', '_', '*'], "");
    let mapping = import_fields(entity)
        .iter()
        .map(|f| {
            let mut names = vec![norm(f)];
            for l in Locale::ALL {
                names.push(norm(&tr(l, &entity_field_label_key(entity, f))));
            }
            let col = headers.iter().position(|h| names.contains(&norm(h)));
            (f.to_string(), col)
        })
        .collect();
    ImportPlan { mapping, mode: DupMode::Skip }
}

/// A choice typed as its code or as its label in any language ("公司", "Company").
fn choice<T: Copy>(value: &str, all: &[T], code: impl Fn(T) -> &'static str, key: impl Fn(&str) -> String) -> Option<T> {
    let v = value.trim().to_lowercase();
    all.iter().copied().find(|c| code(*c) == v || Locale::ALL.iter().any(|l| tr(*l, &key(code(*c))).to_lowercase() == v))
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    user_id: i64,
    entity: String,
    file_name: String,
    headers_json: String,
    rows_json: String,
    row_count: i64,
    status: String,
    result_json: Option<String>,
}

async fn load_job(tx: &mut Tx, user: &CurrentUser, id: i64) -> AppResult<JobRow> {
    let job: JobRow = sql(
        "SELECT id, user_id, entity, file_name, headers_json, rows_json, row_count, status, result_json FROM import_jobs WHERE id = $1",
    )
    .arg_i64(id)
    .fetch_optional(tx)
    .await?
    .ok_or(AppError::NotFound)?;
    // An import belongs to whoever uploaded it, while they may still create its records.
    if job.user_id != user.id {
        return Err(AppError::NotFound);
    }
    authorize(user, job_entity(&job.entity), Action::Create)?;
    Ok(job)
}

/// Stores an uploaded file as a job; returns its id.
#[tracing::instrument(skip(db, user, bytes), fields(user = user.id))]
pub async fn upload(db: &Db, user: &CurrentUser, file_name: &str, bytes: &[u8]) -> AppResult<i64> {
    upload_as(db, user, "customer", file_name, bytes).await
}

/// The entity an import job fills: `customer` or `lead`.
fn job_entity(entity: &str) -> Entity {
    if entity == "lead" {
        Entity::Lead
    } else {
        Entity::Customer
    }
}

/// Stores an uploaded file as a job importing into `entity`; returns its id.
#[tracing::instrument(skip(db, user, bytes), fields(user = user.id))]
pub async fn upload_as(db: &Db, user: &CurrentUser, entity: &str, file_name: &str, bytes: &[u8]) -> AppResult<i64> {
    let entity = if entity == "lead" { "lead" } else { "customer" };
    authorize(user, job_entity(entity), Action::Create)?;
    let (headers, rows) = parse_file(file_name, bytes)?;
    let name: String = file_name.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    let mut tx = db.write().await?;
    let id = sql("INSERT INTO import_jobs (user_id, entity, file_name, headers_json, rows_json, row_count, status, created_at) \
         VALUES ($1, $7, $2, $3, $4, $5, 'uploaded', $6) RETURNING id")
    .arg_i64(user.id)
    .arg_text(name)
    .arg_text(serde_json::to_string(&headers).map_err(AppError::internal)?)
    .arg_text(serde_json::to_string(&rows).map_err(AppError::internal)?)
    .arg_i64(rows.len() as i64)
    .arg_i64(now_ms())
    .arg_text(entity)
    .fetch_i64(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get_job(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ImportJob> {
    let mut tx = db.read().await?;
    let job = load_job(&mut tx, user, id).await?;
    let headers: Vec<String> = serde_json::from_str(&job.headers_json).map_err(AppError::internal)?;
    let rows: Vec<Vec<String>> = serde_json::from_str(&job.rows_json).map_err(AppError::internal)?;
    Ok(ImportJob {
        id: job.id,
        file_name: job.file_name,
        suggested: suggest_for(&job.entity, &headers),
        entity: job.entity,
        headers,
        sample: rows.into_iter().take(5).collect(),
        row_count: job.row_count,
        status: job.status,
        report: job.result_json.and_then(|r| serde_json::from_str(&r).ok()),
    })
}

/// What to do with one row.
enum RowPlan {
    Create { customer: Box<ValidCustomer>, owner: OwnerInfo, contact: Option<Box<crate::contacts::types::ValidContact>> },
    Update { existing: Box<CustomerDetail>, input: Box<CustomerInput> },
}

struct Analysis {
    plans: Vec<RowPlan>,
    report: ImportReport,
}

struct Context {
    create: Grant,
    assign: Option<Grant>,
    edit: Option<Grant>,
    me: OwnerInfo,
    users: HashMap<String, OwnerInfo>,
    lists: crate::dictionaries::types::Dictionaries,
}

/// Active users by lower-cased username and display name, for an owner column.
pub(crate) async fn users_by_name(tx: &mut Tx) -> Result<HashMap<String, OwnerInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct U {
        id: i64,
        username: String,
        display_name: String,
        department_id: Option<i64>,
        department_path: Option<String>,
    }
    let list: Vec<U> = sql("SELECT u.id, u.username, u.display_name, u.department_id, d.path AS department_path FROM users u \
         LEFT JOIN departments d ON d.id = u.department_id WHERE u.active = $1")
    .arg_bool(true)
    .fetch_all(tx)
    .await?;
    let mut users = HashMap::new();
    for u in list {
        let info = OwnerInfo { id: u.id, department_id: u.department_id, department_path: u.department_path };
        users.insert(u.username.to_lowercase(), info.clone());
        users.insert(u.display_name.to_lowercase(), info);
    }
    Ok(users)
}

/// The owner a row names (non-empty `text`): the importer, or someone in their assign
/// scope; else the error code for the cell.
pub(crate) fn row_owner(
    users: &HashMap<String, OwnerInfo>,
    me: i64,
    assign: Option<&Grant>,
    text: &str,
) -> Result<OwnerInfo, &'static str> {
    match users.get(&text.to_lowercase()) {
        Some(o) if o.id == me => Ok(o.clone()),
        Some(o) if assign.is_some_and(|g| g.reaches(Some(o.id), o.department_path.as_deref(), o.department_id)) => Ok(o.clone()),
        Some(_) => Err("validation.owner_out_of_scope"),
        None => Err("import.unknown_user"),
    }
}

async fn context(tx: &mut Tx, user: &CurrentUser) -> AppResult<Context> {
    let create = authorize(user, Entity::Customer, Action::Create)?;
    let me = repo::owner_info(tx, user.id).await?.ok_or(AppError::Forbidden)?;
    let users = users_by_name(tx).await?;
    Ok(Context {
        create,
        assign: authorize(user, Entity::Customer, Action::Assign).ok(),
        edit: authorize(user, Entity::Customer, Action::Edit).ok(),
        me,
        users,
        lists: crate::dictionaries::service::load(tx).await?,
    })
}

fn cell(row: &[String], plan: &ImportPlan, field: &str) -> String {
    plan.column(field).and_then(|c| row.get(c)).cloned().unwrap_or_default()
}

/// Validates every row and decides create / update / skip, without writing.
async fn analyse(tx: &mut Tx, cx: &Context, rows: &[Vec<String>], plan: &ImportPlan, progress: &AtomicUsize) -> AppResult<Analysis> {
    if plan.column("name").is_none() {
        return Err(AppError::validation("name", "import.name_unmapped"));
    }
    let mut report = ImportReport { total: rows.len(), ..Default::default() };
    let mut plans = Vec::new();
    // Keys of rows already planned, so a file's own repeats count as duplicates too.
    let mut seen: Vec<(String, DedupKeys)> = Vec::new();
    let mut seen_index: HashMap<String, usize> = HashMap::new();
    let _ = &cx.create;
    for (i, row) in rows.iter().enumerate() {
        progress.fetch_add(1, Ordering::Relaxed);
        let line = i + 2;
        let get = |f: &str| cell(row, plan, f);
        let mut issues = Vec::new();
        let kind_text = get("kind");
        let kind = if kind_text.is_empty() {
            CustomerKind::Company
        } else {
            choice(&kind_text, &CustomerKind::ALL, CustomerKind::code, |c| format!("customer.kind.{c}")).unwrap_or_else(|| {
                issues.push(RowIssue {
                    row: line,
                    field: "kind".into(),
                    code: "validation.invalid_choice".into(),
                    value: kind_text.clone(),
                });
                CustomerKind::Company
            })
        };
        let status_text = get("status");
        let status = if status_text.is_empty() {
            CustomerStatus::Potential
        } else {
            choice(&status_text, &CustomerStatus::ALL, CustomerStatus::code, |c| format!("customer.status.{c}")).unwrap_or_else(|| {
                issues.push(RowIssue {
                    row: line,
                    field: "status".into(),
                    code: "validation.invalid_choice".into(),
                    value: status_text.clone(),
                });
                CustomerStatus::Potential
            })
        };
        let owner_text = get("owner");
        let owner = if owner_text.is_empty() {
            Some(cx.me.clone())
        } else {
            match row_owner(&cx.users, cx.me.id, cx.assign.as_ref(), &owner_text) {
                Ok(o) => Some(o),
                Err(code) => {
                    issues.push(RowIssue { row: line, field: "owner".into(), code: code.into(), value: owner_text.clone() });
                    None
                }
            }
        };
        let input = CustomerInput {
            name: get("name"),
            short_name: get("short_name"),
            kind: kind.code().into(),
            code: get("code"),
            status: status.code().into(),
            industry: get("industry"),
            region: get("region"),
            source: get("source"),
            address: get("address"),
            phone: get("phone"),
            email: get("email"),
            website: get("website"),
            tax_id: get("tax_id"),
            notes: get("notes"),
            owner_id: owner.as_ref().map(|o| o.id),
            level: get("level"),
            category: get("category"),
            customer_group: get("customer_group"),
            tags: get("tags"),
            ..Default::default()
        };
        for (field, kind) in [
            ("level", crate::dictionaries::types::DictKind::Level),
            ("category", crate::dictionaries::types::DictKind::Category),
            ("customer_group", crate::dictionaries::types::DictKind::Group),
        ] {
            let value = get(field);
            if !value.is_empty() && !cx.lists.names(kind).contains(&value) {
                issues.push(RowIssue { row: line, field: field.into(), code: "validation.not_in_list".into(), value });
            }
        }
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
        let contact = if get("contact_name").is_empty() {
            None
        } else {
            let c = ContactInput {
                name: get("contact_name"),
                title: get("contact_title"),
                mobile: get("contact_mobile"),
                email: get("contact_email"),
                is_primary: true,
                ..Default::default()
            };
            match c.validate() {
                Ok(v) => Some(v),
                Err(errs) => {
                    for e in errs {
                        let field = format!("contact_{}", e.field);
                        let value = get(&field);
                        issues.push(RowIssue { row: line, field, code: e.code, value });
                    }
                    None
                }
            }
        };
        let (Some(valid), Some(owner), true) = (valid, owner, issues.is_empty()) else {
            report.invalid += 1;
            for issue in issues {
                if report.issues.len() < MAX_LISTED {
                    report.issues.push(issue);
                }
            }
            continue;
        };
        // Duplicates: the CRM first, then earlier rows of this file.
        let keys = DedupKeys::of(KeyFields {
            name: &valid.name,
            phone: valid.phone.as_deref(),
            email: valid.email.as_deref(),
            website: valid.website.as_deref(),
            tax_id: valid.tax_id.as_deref(),
            address: valid.address.as_deref(),
        });
        let mut best: Option<(u8, i64, String)> = None;
        for c in repo::duplicate_candidates(tx, &keys, None).await? {
            if let Some((score, _)) = score_candidate(&valid.name, &keys, &c.name, &c.keys) {
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, c.id, c.name));
                }
            }
        }
        let in_file = [keys.name_key.clone(), keys.tax_key.clone(), keys.phone_key.clone(), keys.email_key.clone()]
            .into_iter()
            .flatten()
            .filter(|k| !k.is_empty())
            .find_map(|k| seen_index.get(&k).copied())
            .map(|idx| seen[idx].0.clone());
        if let Some((score, existing_id, existing_name)) = best {
            if report.duplicates.len() < MAX_LISTED {
                report.duplicates.push(RowDuplicate { row: line, name: valid.name.clone(), existing: existing_name, score });
            }
            match plan.mode {
                DupMode::Skip => {
                    report.skip += 1;
                    continue;
                }
                DupMode::Update => {
                    let existing = match &cx.edit {
                        Some(g) => repo::get(tx, g, existing_id, false).await?,
                        None => None,
                    };
                    let Some(existing) = existing else {
                        report.invalid += 1;
                        if report.issues.len() < MAX_LISTED {
                            report.issues.push(RowIssue {
                                row: line,
                                field: "name".into(),
                                code: "import.duplicate_not_editable".into(),
                                value: valid.name.clone(),
                            });
                        }
                        continue;
                    };
                    // Non-empty cells overwrite; empty cells keep what the CRM has.
                    let mut merged = existing.to_input();
                    let pick = |new: &str, old: &mut String| {
                        if !new.is_empty() {
                            *old = new.to_string();
                        }
                    };
                    pick(&input.short_name, &mut merged.short_name);
                    pick(&input.code, &mut merged.code);
                    pick(&input.industry, &mut merged.industry);
                    pick(&input.region, &mut merged.region);
                    pick(&input.source, &mut merged.source);
                    pick(&input.address, &mut merged.address);
                    pick(&input.phone, &mut merged.phone);
                    pick(&input.email, &mut merged.email);
                    pick(&input.website, &mut merged.website);
                    pick(&input.tax_id, &mut merged.tax_id);
                    pick(&input.notes, &mut merged.notes);
                    if !status_text.is_empty() {
                        merged.status = status.code().into();
                    }
                    report.update += 1;
                    plans.push(RowPlan::Update { existing: Box::new(existing), input: Box::new(merged) });
                    continue;
                }
                DupMode::Create => {}
            }
        } else if let Some(earlier) = in_file {
            if report.duplicates.len() < MAX_LISTED {
                report.duplicates.push(RowDuplicate { row: line, name: valid.name.clone(), existing: earlier, score: 100 });
            }
            if plan.mode != DupMode::Create {
                report.skip += 1;
                continue;
            }
        }
        for k in [keys.name_key.clone(), keys.tax_key.clone(), keys.phone_key.clone(), keys.email_key.clone()].into_iter().flatten() {
            if !k.is_empty() {
                seen_index.entry(k).or_insert(seen.len());
            }
        }
        seen.push((format!("{} ({})", valid.name, line), keys));
        report.create += 1;
        if contact.is_some() {
            report.contacts += 1;
        }
        plans.push(RowPlan::Create { customer: Box::new(valid), owner, contact: contact.map(Box::new) });
    }
    Ok(Analysis { plans, report })
}

/// A dry run: the report of what the import would do.
pub async fn check(db: &Db, user: &CurrentUser, id: i64, plan: &ImportPlan) -> AppResult<ImportReport> {
    let started = std::time::Instant::now();
    let mut tx = db.read().await?;
    let job = load_job(&mut tx, user, id).await?;
    let rows: Vec<Vec<String>> = serde_json::from_str(&job.rows_json).map_err(AppError::internal)?;
    let mut report = if job.entity == "lead" {
        crate::leads::import::analyse(&mut tx, user, &rows, plan, &AtomicUsize::new(0)).await?.1
    } else {
        let cx = context(&mut tx, user).await?;
        analyse(&mut tx, &cx, &rows, plan, &AtomicUsize::new(0)).await?.report
    };
    report.millis = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Progress of running imports, by job id (this server process only).
static RUNNING: LazyLock<Mutex<HashMap<i64, Arc<AtomicUsize>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Starts the import in the background; poll [`progress`] for the outcome.
pub async fn start(db: &Db, user: &CurrentUser, id: i64, plan: ImportPlan) -> AppResult<()> {
    if plan.column("name").is_none() {
        return Err(AppError::validation("name", "import.name_unmapped"));
    }
    let mut tx = db.write().await?;
    load_job(&mut tx, user, id).await?;
    let claimed =
        sql("UPDATE import_jobs SET status = 'running' WHERE id = $1 AND status = 'uploaded'").arg_i64(id).execute(&mut tx).await?;
    tx.commit().await?;
    if claimed != 1 {
        return Err(AppError::Conflict);
    }
    let counter = Arc::new(AtomicUsize::new(0));
    RUNNING.lock().map_err(AppError::internal)?.insert(id, counter.clone());
    let (db, user) = (db.clone(), user.clone());
    tokio::spawn(async move {
        let outcome = run(&db, &user, id, &plan, &counter).await;
        let (status, result) = match &outcome {
            Ok(report) => ("done", serde_json::to_string(report).ok()),
            Err(e) => {
                tracing::warn!(job = id, error = ?e, "import failed");
                ("failed", serde_json::to_string(&serde_json::json!({ "error": e.message_key() })).ok())
            }
        };
        // A failed run can be corrected and tried again.
        let status = if status == "failed" { "uploaded" } else { status };
        if let Ok(mut tx) = db.write().await {
            let saved = sql("UPDATE import_jobs SET status = $1, result_json = $2, finished_at = $3 WHERE id = $4")
                .arg_text(status)
                .arg_opt_text(result)
                .arg_i64(now_ms())
                .arg_i64(id)
                .execute(&mut tx)
                .await;
            if saved.is_ok() {
                let _ = tx.commit().await;
            }
        }
        if let Ok(mut running) = RUNNING.lock() {
            running.remove(&id);
        }
    });
    Ok(())
}

/// Runs the import in one transaction. Rows are counted twice in the progress: once
/// when checked, once when written.
async fn run(db: &Db, user: &CurrentUser, id: i64, plan: &ImportPlan, progress: &AtomicUsize) -> AppResult<ImportReport> {
    let started = std::time::Instant::now();
    let mut tx = db.write().await?;
    let job = load_job(&mut tx, user, id).await?;
    let rows: Vec<Vec<String>> = serde_json::from_str(&job.rows_json).map_err(AppError::internal)?;
    if job.entity == "lead" {
        let mut report = crate::leads::import::write(&mut tx, user, id, &job.file_name, &rows, plan, progress).await?;
        tx.commit().await?;
        report.applied = true;
        report.millis = started.elapsed().as_millis() as u64;
        return Ok(report);
    }
    let cx = context(&mut tx, user).await?;
    let Analysis { plans, mut report } = analyse(&mut tx, &cx, &rows, plan, progress).await?;
    let now = now_ms();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    progress.store(rows.len().saturating_sub(plans.len()) + rows.len(), Ordering::Relaxed);
    for p in plans {
        match p {
            RowPlan::Create { customer, owner, contact } => {
                let cid = repo::insert(&mut tx, &customer, &owner, user.id, now).await?;
                if let Some(c) = contact {
                    crate::contacts::repo::insert(&mut tx, cid, &c, user.id, now).await?;
                }
                created.push(cid);
            }
            RowPlan::Update { existing, input } => {
                let valid = input.validate().map_err(AppError::Validation)?;
                let owner = repo::owner_info(&mut tx, existing.owner_id.unwrap_or(user.id)).await?.unwrap_or(OwnerInfo {
                    id: user.id,
                    department_id: cx.me.department_id,
                    department_path: None,
                });
                if !repo::update(&mut tx, existing.id, existing.version, &valid, &owner, user.id, now).await? {
                    return Err(AppError::Conflict);
                }
                audit::record(
                    &mut tx,
                    AuditEntry::by(Some(user.id), &user.display_name, "update")
                        .on("customer", existing.id)
                        .summary(format!("{} (import #{id})", valid.name))
                        .before(existing.to_input())
                        .after(&valid),
                )
                .await?;
                updated.push(existing.id);
            }
        }
        progress.fetch_add(1, Ordering::Relaxed);
    }
    audit::record(&mut tx, {
        let mut e = AuditEntry::by(Some(user.id), &user.display_name, "import")
            .summary(format!(
                "{}: {} created, {} updated, {} skipped, {} invalid",
                job.file_name, report.create, report.update, report.skip, report.invalid
            ))
            .after(serde_json::json!({ "job": id, "created_ids": created, "updated_ids": updated }));
        e.entity = Some("customer".into());
        e
    })
    .await?;
    tx.commit().await?;
    report.applied = true;
    report.millis = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Where the import stands: running (with a count), or finished with its report.
pub async fn progress(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ImportProgress> {
    let mut tx = db.read().await?;
    let job = load_job(&mut tx, user, id).await?;
    let total = job.row_count as usize * 2;
    let running = RUNNING.lock().map_err(AppError::internal)?.get(&id).map(|c| c.load(Ordering::Relaxed));
    let status = if running.is_some() { "running".to_string() } else { job.status.clone() };
    let (report, error) = match &job.result_json {
        Some(r) if job.status == "done" => (serde_json::from_str(r).ok(), None),
        Some(r) => (None, serde_json::from_str::<serde_json::Value>(r).ok().and_then(|v| v["error"].as_str().map(str::to_string))),
        None => (None, None),
    };
    Ok(ImportProgress {
        status,
        processed: running.unwrap_or(if job.status == "done" { total } else { 0 }).min(total),
        total,
        report,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_gbk_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("客户名称,电话\n北京天度网络科技有限公司,010-65528888\n");
        let (headers, rows) = parse_file("客户.csv", &gbk).unwrap();
        assert_eq!(headers, ["客户名称", "电话"]);
        assert_eq!(rows[0][0], "北京天度网络科技有限公司");
    }

    #[test]
    fn bom_blank_lines_and_ragged_rows_are_tolerated() {
        let (headers, rows) = parse_file("a.csv", "\u{feff}name,phone,email\n a ,1\n,,\nb,2,x@y.cn,extra\n".as_bytes()).unwrap();
        assert_eq!(headers.len(), 4);
        assert_eq!(rows, vec![vec!["a", "1", "", ""], vec!["b", "2", "x@y.cn", "extra"]]);
    }

    #[test]
    fn wrong_types_and_empty_files_are_refused_with_a_reason() {
        assert_eq!(parse_file("a.pdf", b"x").unwrap_err().field("file").as_deref(), Some("import.bad_type"));
        assert_eq!(parse_file("a.csv", b"name\n").unwrap_err().field("file").as_deref(), Some("import.empty"));
        assert_eq!(parse_file("a.xlsx", b"not a zip").unwrap_err().field("file").as_deref(), Some("import.unreadable"));
    }

    #[test]
    fn headings_in_any_language_are_mapped() {
        let plan = suggest(&["客户名称".into(), "Phone".into(), "統一編號".into(), "负责人".into(), "联系人姓名".into(), "备用".into()]);
        assert_eq!(plan.column("name"), Some(0));
        assert_eq!(plan.column("phone"), Some(1));
        assert_eq!(plan.column("owner"), Some(3));
        assert_eq!(plan.column("contact_name"), Some(4));
        assert_eq!(plan.column("email"), None);
    }

    #[test]
    fn choices_accept_codes_and_translated_labels() {
        let k = |s: &str| choice(s, &CustomerKind::ALL, CustomerKind::code, |c| format!("customer.kind.{c}"));
        assert_eq!(k("individual"), Some(CustomerKind::Individual));
        assert_eq!(k("个人"), Some(CustomerKind::Individual));
        assert_eq!(k("Company"), Some(CustomerKind::Company));
        assert_eq!(k("robot"), None);
    }
}
