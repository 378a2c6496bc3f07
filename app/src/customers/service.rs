//! Customer business rules: scope checks, ownership, optimistic locking, soft delete, audit.
use crate::customers::dedup::{score_candidate, DedupKeys, DuplicateHit, KeyFields};
use crate::customers::repo::{self, ListFilter, OwnerInfo};
use crate::customers::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

/// Raw list parameters as they arrive from the URL.
#[derive(Clone, Debug, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub status: Option<String>,
    pub owner: Option<i64>,
    pub sort: Option<String>,
    pub after: Option<String>,
    pub level: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    pub tag: Option<String>,
    pub department: Option<i64>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
}

impl ListParams {
    pub fn from_query(q: &ListQuery, after: Option<String>) -> Self {
        let q = q.clone();
        ListParams {
            q: q.q,
            status: q.status,
            owner: q.owner,
            sort: q.sort,
            after,
            level: q.level,
            category: q.category,
            region: q.region,
            tag: q.tag,
            department: q.department,
            created_from: q.created_from,
            created_to: q.created_to,
        }
    }

    /// Unknown values are rejected rather than silently ignored.
    pub fn parse(&self) -> AppResult<ListFilter> {
        let mut errors = Vec::new();
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => CustomerStatus::from_code(s).or_else(|| {
                errors.push(crate::platform::error::FieldError::new("status", "validation.invalid_choice"));
                None
            }),
            None => None,
        };
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => SortKey::from_code(s).unwrap_or_else(|| {
                errors.push(crate::platform::error::FieldError::new("sort", "validation.invalid_choice"));
                SortKey::default()
            }),
            None => SortKey::default(),
        };
        let after = match self.after.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Cursor::decode(s).or_else(|| {
                errors.push(crate::platform::error::FieldError::new("after", "validation.invalid_choice"));
                None
            }),
            None => None,
        };
        let offset = crate::account::api::tz_offset_minutes();
        let mut date = |field: &str, v: &Option<String>, plus_day: bool| match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => match crate::platform::time::parse_date_ms(d, offset) {
                Some(ms) => Some(if plus_day { ms + 86_400_000 } else { ms }),
                None => {
                    errors.push(crate::platform::error::FieldError::new(field, "validation.date"));
                    None
                }
            },
            None => None,
        };
        let created_from = date("created_from", &self.created_from, false);
        let created_before = date("created_to", &self.created_to, true);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let text =
            |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(100).collect::<String>());
        Ok(ListFilter {
            search: text(&self.q),
            status,
            owner_id: self.owner,
            sort,
            after,
            limit: PAGE_SIZE + 1,
            level: text(&self.level),
            category: text(&self.category),
            region: text(&self.region),
            tag: text(&self.tag),
            department_id: self.department,
            created_from,
            created_before,
        })
    }
}

#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn list_customers(db: &Db, user: &CurrentUser, params: &ListParams) -> AppResult<CustomerPage> {
    let grant = authorize(user, Entity::Customer, Action::View)?;
    let filter = params.parse()?;
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, &grant, &filter).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| match filter.sort {
            SortKey::UpdatedDesc => Cursor::Time(r.updated_at, r.id).encode(),
            SortKey::CreatedDesc => Cursor::Time(r.created_at, r.id).encode(),
            SortKey::NameAsc => Cursor::Name(r.name.clone(), r.id).encode(),
        })
    } else {
        None
    };
    Ok(CustomerPage { rows, next })
}

/// Loads a customer the user may see, with what they may do to it.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn get_customer(db: &Db, user: &CurrentUser, id: i64) -> AppResult<CustomerDetail> {
    let grant = authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    // A deleted customer stays visible to whoever may restore it, so undo works from its page.
    let include_deleted = authorize(user, Entity::Customer, Action::Delete).is_ok();
    let mut c = match repo::get(&mut tx, &grant, id, include_deleted).await? {
        Some(c) => c,
        // Pool customers are open to everyone who may claim them.
        None => customer_in_scope(&mut tx, user, id, Action::View).await?,
    };
    let reaches = |action| {
        authorize(user, Entity::Customer, action)
            .map(|g| g.reaches(c.owner_id, c.department_path.as_deref(), c.department_id))
            .unwrap_or(false)
    };
    let shared = crate::customers::collaborators::access_of(&mut tx, id, user.id).await?;
    c.can_edit = reaches(Action::Edit) || (shared == Some(ShareAccess::Edit) && authorize(user, Entity::Customer, Action::Edit).is_ok());
    c.can_delete = reaches(Action::Delete);
    c.can_assign = reaches(Action::Assign);
    c.can_claim = c.owner_id.is_none() && authorize(user, Entity::Customer, Action::Claim).is_ok();
    c.tags = repo::tags(&mut tx, id).await?;
    c.figures = repo::key_figures(&mut tx, id).await?;
    c.figures.days_since_activity = c.figures.last_activity_at.map(|at| (now_ms() - at).max(0) / 86_400_000);
    if c.deleted_at.is_some() && !c.can_delete {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// Loads customer `id` for an operation on something that hangs off it (contacts,
/// activities): the user needs `action` on customers reaching this record. Customers
/// in the public pool may be viewed by anyone who may claim from it.
pub async fn customer_in_scope(tx: &mut crate::platform::db::Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<CustomerDetail> {
    let grant = authorize(user, Entity::Customer, action);
    if let Ok(g) = &grant {
        if let Some(c) = repo::get(tx, g, id, false).await? {
            return Ok(c);
        }
    }
    if action == Action::View {
        if let Ok(claim) = authorize(user, Entity::Customer, Action::Claim) {
            if let Some(c) = repo::get(tx, &claim, id, false).await?.filter(|c| c.owner_id.is_none()) {
                return Ok(c);
            }
        }
    }
    grant?;
    Err(AppError::NotFound)
}

/// Resolves the owner of an `entity` record for a create or update, enforcing the
/// Assign permission whenever the owner is someone other than the acting user or the
/// current owner.
pub(crate) async fn resolve_owner_of(
    tx: &mut crate::platform::db::Tx,
    user: &CurrentUser,
    entity: Entity,
    requested: Option<i64>,
    current: Option<i64>,
) -> AppResult<OwnerInfo> {
    let owner_id = requested.or(current).unwrap_or(user.id);
    let info = repo::owner_info(tx, owner_id).await?.ok_or_else(|| AppError::validation("owner_id", "validation.invalid_choice"))?;
    let unchanged = current == Some(owner_id) || (current.is_none() && owner_id == user.id);
    if !unchanged {
        let grant = authorize(user, entity, Action::Assign)?;
        if !grant.reaches(Some(info.id), info.department_path.as_deref(), info.department_id) {
            return Err(AppError::validation("owner_id", "validation.owner_out_of_scope"));
        }
    }
    Ok(info)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create_customer(db: &Db, user: &CurrentUser, input: &CustomerInput) -> AppResult<i64> {
    authorize(user, Entity::Customer, Action::Create)?;
    input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let id = create_customer_in(&mut tx, user, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_customer`] inside the caller's transaction (lead conversion).
pub(crate) async fn create_customer_in(tx: &mut crate::platform::db::Tx, user: &CurrentUser, input: &CustomerInput) -> AppResult<i64> {
    authorize(user, Entity::Customer, Action::Create)?;
    let valid = input.validate().map_err(AppError::Validation)?;
    check_lists(tx, &valid, None).await?;
    let owner = resolve_owner_of(tx, user, Entity::Customer, input.owner_id, None).await?;
    let now = now_ms();
    let id = repo::insert(tx, &valid, &owner, user.id, now).await?;
    audit::record(
        tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("customer", id).summary(valid.name.clone()).after(&valid),
    )
    .await?;
    Ok(id)
}

/// Saves an edit made against `version`; `Conflict` if someone saved in between.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update_customer(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &CustomerInput) -> AppResult<CustomerDetail> {
    let grant = authorize(user, Entity::Customer, Action::Edit)?;
    let valid = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = repo::get(&mut tx, &grant, id, false).await?.ok_or(AppError::NotFound)?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    check_lists(&mut tx, &valid, Some(&before)).await?;
    let owner = resolve_owner_of(&mut tx, user, Entity::Customer, input.owner_id, before.owner_id).await?;
    let now = now_ms();
    if !repo::update(&mut tx, id, version, &valid, &owner, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    if before.owner_id != Some(owner.id) {
        crate::customers::ownership::note_owner_edit(&mut tx, id, before.owner_id, owner.id, user.id, now).await?;
    }
    let mut after = valid.clone();
    after.tags.sort();
    let mut changed = match before.to_input().validate() {
        Ok(mut old) => {
            old.tags.sort();
            changed_fields(&old, &after)
        }
        Err(_) => changed_fields(&before.to_input(), input),
    };
    if before.owner_id != Some(owner.id) {
        changed.push("owner_id".into());
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("customer", id)
            .summary(format!("{}: {}", valid.name, changed.join(", ")))
            .before(before.to_input())
            .after(&valid),
    )
    .await?;
    tx.commit().await?;
    get_customer(db, user, id).await
}

/// Names of the fields whose values differ between two versions of a record.
fn changed_fields(before: &impl serde::Serialize, after: &impl serde::Serialize) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    b.iter().filter(|(k, v)| a.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect()
}

/// Level, category and group must come from their (user-defined) lists; a value
/// the record already has stays valid after its item is hidden.
async fn check_lists(tx: &mut crate::platform::db::Tx, v: &ValidCustomer, current: Option<&CustomerDetail>) -> AppResult<()> {
    use crate::dictionaries::types::DictKind;
    let lists = crate::dictionaries::service::load(tx).await?;
    let mut errors = Vec::new();
    for (field, kind, value, old) in [
        ("level", DictKind::Level, &v.level, current.and_then(|c| c.level.clone())),
        ("category", DictKind::Category, &v.category, current.and_then(|c| c.category.clone())),
        ("customer_group", DictKind::Group, &v.customer_group, current.and_then(|c| c.customer_group.clone())),
    ] {
        if let Some(value) = value {
            if Some(value) != old.as_ref() && !lists.names(kind).contains(value) {
                errors.push(crate::platform::error::FieldError::new(field, "validation.not_in_list"));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Soft-deletes; the record stays restorable from its page and the audit log.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn delete_customer(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    let grant = authorize(user, Entity::Customer, Action::Delete)?;
    let mut tx = db.write().await?;
    let before = repo::get(&mut tx, &grant, id, false).await?.ok_or(AppError::NotFound)?;
    if !repo::set_deleted(&mut tx, id, version, Some(now_ms()), user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete")
            .on("customer", id)
            .summary(before.name.clone())
            .before(before.to_input()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn restore_customer(db: &Db, user: &CurrentUser, id: i64) -> AppResult<CustomerDetail> {
    let grant = authorize(user, Entity::Customer, Action::Delete)?;
    let mut tx = db.write().await?;
    let c = repo::get(&mut tx, &grant, id, true).await?.ok_or(AppError::NotFound)?;
    if c.deleted_at.is_none() {
        return get_customer(db, user, id).await;
    }
    if !repo::set_deleted(&mut tx, id, c.version, None, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "restore").on("customer", id).summary(c.name.clone())).await?;
    tx.commit().await?;
    get_customer(db, user, id).await
}

/// Departments (id and name) for the list filter; names are not confidential.
pub async fn department_options(db: &Db, user: &CurrentUser) -> AppResult<Vec<OwnerOption>> {
    authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    Ok(crate::platform::db::sql("SELECT id, name AS display_name FROM departments ORDER BY path").fetch_all(&mut tx).await?)
}

/// Users who may be picked as owner; only offered to those who may assign.
pub async fn owner_options(db: &Db, user: &CurrentUser) -> AppResult<Vec<OwnerOption>> {
    authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    Ok(repo::owner_options(&mut tx).await?)
}

/// Possible duplicates of `input` (C9): exact on tax id, phone, e-mail and website,
/// Chinese-aware on the name, and the address backing up a loosely similar name.
/// Warns; it never blocks a save.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn check_duplicates(db: &Db, user: &CurrentUser, input: &CustomerInput, exclude: Option<i64>) -> AppResult<Vec<DuplicateHit>> {
    if authorize(user, Entity::Customer, Action::Create).is_err() {
        authorize(user, Entity::Customer, Action::Edit)?;
    }
    let name = input.name.trim();
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let (phone, email, website, tax, address) =
        (opt(&input.phone), opt(&input.email), opt(&input.website), opt(&input.tax_id), opt(&input.address));
    let keys = DedupKeys::of(KeyFields {
        name,
        phone: phone.as_deref(),
        email: email.as_deref(),
        website: website.as_deref(),
        tax_id: tax.as_deref(),
        address: address.as_deref(),
    });
    if keys == DedupKeys::default() {
        return Ok(Vec::new());
    }
    let view = authorize(user, Entity::Customer, Action::View).ok();
    let mut tx = db.read().await?;
    let candidates = repo::duplicate_candidates(&mut tx, &keys, exclude).await?;
    let mut hits: Vec<DuplicateHit> = candidates
        .into_iter()
        .filter_map(|c| {
            let (score, reasons) = score_candidate(name, &keys, &c.name, &c.keys)?;
            let visible = view.as_ref().is_some_and(|g| g.reaches(c.owner_id, c.department_path.as_deref(), c.department_id));
            Some(DuplicateHit { id: visible.then_some(c.id), name: c.name, owner_name: c.owner_name, score, reasons })
        })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    hits.truncate(10);
    Ok(hits)
}

/// Computes duplicate keys for rows that lack them; run at start-up.
pub async fn backfill_dedup_keys(db: &Db) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let mut tx = db.write().await?;
        let n = repo::backfill_keys(&mut tx, 1000).await?;
        tx.commit().await?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// Most rows one export may hold; larger exports need the background jobs of a later issue.
pub const EXPORT_MAX_ROWS: usize = 100_000;

/// File formats of the list export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV with a UTF-8 BOM so Excel opens Chinese correctly.
    Csv,
    Xlsx,
}

/// Exports the list as the user sees it (same filters, same data scope) to CSV or XLSX.
/// Audited with the row count, the format and the filters.
#[tracing::instrument(skip(db, user, meta), fields(user = user.id))]
pub async fn export_customers(
    db: &Db,
    user: &CurrentUser,
    params: &ListParams,
    locale: crate::platform::i18n::Locale,
    meta: &crate::platform::request::RequestMeta,
    format: ExportFormat,
) -> AppResult<(Vec<u8>, usize)> {
    use crate::platform::i18n::tr;
    let grant = authorize(user, Entity::Customer, Action::Export)?;
    let mut filter = params.parse()?;
    filter.after = None;
    filter.limit = 5_001;
    let mut rows: Vec<CustomerRow> = Vec::new();
    let mut tx = db.read().await?;
    let dense = repo::scope_is_dense(&mut tx, &grant).await?;
    loop {
        let mut page = repo::list_query(tx.backend(), &grant, &filter, dense).fetch_all::<CustomerRow>(&mut tx).await?;
        let more = page.len() > 5_000;
        page.truncate(5_000);
        filter.after = page.last().map(|r| match filter.sort {
            SortKey::UpdatedDesc => Cursor::Time(r.updated_at, r.id),
            SortKey::CreatedDesc => Cursor::Time(r.created_at, r.id),
            SortKey::NameAsc => Cursor::Name(r.name.clone(), r.id),
        });
        rows.extend(page);
        if !more || rows.len() >= EXPORT_MAX_ROWS {
            break;
        }
    }
    drop(tx);
    rows.truncate(EXPORT_MAX_ROWS);
    let header: Vec<String> = [
        "customer.name",
        "customer.short_name",
        "customer.kind",
        "customer.status",
        "customer.level",
        "customer.industry",
        "customer.region",
        "customer.phone",
        "customer.owner",
        "customer.updated_at",
    ]
    .iter()
    .map(|k| tr(locale, k))
    .collect();
    let offset = crate::account::api::tz_offset_minutes();
    let cells: Vec<[String; 10]> = rows
        .iter()
        .map(|r| {
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            [
                r.name.clone(),
                s(&r.short_name),
                tr(locale, &format!("customer.kind.{}", r.kind)),
                tr(locale, &format!("customer.status.{}", r.status)),
                s(&r.level),
                s(&r.industry),
                s(&r.region),
                s(&r.phone),
                s(&r.owner_name),
                crate::platform::time::format_ms(r.updated_at, offset),
            ]
        })
        .collect();
    let out = match format {
        ExportFormat::Csv => {
            let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
            {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(&header).map_err(AppError::internal)?;
                for row in &cells {
                    w.write_record(row).map_err(AppError::internal)?;
                }
                w.flush().map_err(AppError::internal)?;
            }
            out
        }
        ExportFormat::Xlsx => xlsx(&tr(locale, "nav.customers"), &header, &cells).map_err(AppError::internal)?,
    };
    let mut tx = db.write().await?;
    let summary = format!(
        "{} rows ({}); q={} status={} owner={} sort={}",
        rows.len(),
        if format == ExportFormat::Csv { "csv" } else { "xlsx" },
        params.q.clone().unwrap_or_default(),
        params.status.clone().unwrap_or_default(),
        params.owner.map(|o| o.to_string()).unwrap_or_default(),
        params.sort.clone().unwrap_or_default()
    );
    let mut entry = AuditEntry::with_meta(meta, Some(user.id), &user.display_name, "export").summary(summary);
    entry.entity = Some("customer".into());
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok((out, rows.len()))
}

/// One worksheet with a bold, frozen heading row and columns sized for their text
/// (a CJK character counts double: autofit would count it as one).
fn xlsx<const N: usize>(sheet: &str, header: &[String], rows: &[[String; N]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<f64> = header.iter().map(|h| width(h)).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
            widths[c] = widths[c].max(width(v));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (w + 2.0).min(60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
