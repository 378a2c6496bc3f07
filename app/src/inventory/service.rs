//! Stock rules. On hand and reserved live in one row per warehouse and product and change
//! only through [`change`], a single conditional UPDATE: unless the company allows it,
//! neither on hand nor what is available (on hand less reserved) may go below zero, and
//! two sessions racing for the last unit cannot both win — the database re-checks the
//! condition on the row it locks (PostgreSQL) or runs one writer at a time (SQLite).
//! Every change of on hand is a ledger row with the balance after it. Audited.
use crate::inventory::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{like_escape, sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::settings;
use crate::platform::time::now_ms;

const PAGE: i64 = 50;
pub const ALLOW_NEGATIVE_KEY: &str = "inventory_allow_negative";

pub async fn allow_negative(tx: &mut Tx) -> Result<bool, sqlx::Error> {
    Ok(settings::get_i64(tx, ALLOW_NEGATIVE_KEY, 0).await? != 0)
}

/// One change of a product's stock in a warehouse. `kind` names the ledger row written
/// when on hand changes.
pub struct StockChange<'a> {
    pub warehouse_id: i64,
    pub product_id: i64,
    pub on_hand: i64,
    pub reserved: i64,
    pub kind: &'a str,
    pub reference: Option<(&'a str, i64)>,
    pub note: &'a str,
}

/// Applies a change if stock allows it. `Ok(None)`: not enough stock (nothing changed).
/// `Ok(Some(on_hand_after))` otherwise.
pub async fn change(
    tx: &mut Tx,
    c: &StockChange<'_>,
    allow_negative: bool,
    user: Option<i64>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql("INSERT INTO stock_levels (warehouse_id, product_id, on_hand_milli, reserved_milli, updated_at) VALUES ($1, $2, 0, 0, $3) \
         ON CONFLICT (warehouse_id, product_id) DO NOTHING")
    .arg_i64(c.warehouse_id)
    .arg_i64(c.product_id)
    .arg_i64(now)
    .execute(tx)
    .await?;
    // Only what takes stock away is checked: receiving or releasing never fails.
    let guard = if allow_negative || (c.on_hand >= 0 && c.reserved <= 0 && c.on_hand - c.reserved >= 0) {
        ""
    } else {
        " AND on_hand_milli + $3 >= 0 AND reserved_milli + $4 >= 0 AND (on_hand_milli + $3) - (reserved_milli + $4) >= 0"
    };
    let after: Option<(i64,)> = sql(&format!(
        "UPDATE stock_levels SET on_hand_milli = on_hand_milli + $3, reserved_milli = reserved_milli + $4, updated_at = $5 \
         WHERE warehouse_id = $1 AND product_id = $2{guard} RETURNING on_hand_milli"
    ))
    .arg_i64(c.warehouse_id)
    .arg_i64(c.product_id)
    .arg_i64(c.on_hand)
    .arg_i64(c.reserved)
    .arg_i64(now)
    .fetch_optional(tx)
    .await?;
    let Some((balance,)) = after else { return Ok(None) };
    if c.on_hand != 0 {
        let (ref_kind, ref_id) = c.reference.map(|(k, id)| (Some(k.to_string()), Some(id))).unwrap_or((None, None));
        sql("INSERT INTO stock_movements (warehouse_id, product_id, kind, qty_milli, balance_milli, ref_kind, ref_id, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .arg_i64(c.warehouse_id)
        .arg_i64(c.product_id)
        .arg_text(c.kind)
        .arg_i64(c.on_hand)
        .arg_i64(balance)
        .arg_opt_text(ref_kind)
        .arg_opt_i64(ref_id)
        .arg_text(c.note)
        .arg_opt_i64(user)
        .arg_i64(now)
        .execute(tx)
        .await?;
    }
    Ok(Some(balance))
}

pub async fn active_warehouse(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("SELECT COUNT(*) FROM warehouses WHERE id = $1 AND active = TRUE").arg_i64(id).fetch_i64(tx).await? > 0)
}

pub async fn list_warehouses(tx: &mut Tx) -> Result<Vec<Warehouse>, sqlx::Error> {
    sql("SELECT id, code, name, address, active, version FROM warehouses ORDER BY active DESC, code").fetch_all(tx).await
}

pub async fn warehouses_page(db: &Db, user: &CurrentUser) -> AppResult<WarehousesPage> {
    authorize(user, Entity::Inventory, Action::View)?;
    let mut tx = db.read().await?;
    Ok(WarehousesPage {
        warehouses: list_warehouses(&mut tx).await?,
        allow_negative: allow_negative(&mut tx).await?,
        can_edit: user.permissions.can(Entity::Inventory, Action::Edit),
        can_edit_settings: user.permissions.can(Entity::Setting, Action::Edit),
    })
}

/// Adds a warehouse (`id` None) or changes one at `version`.
pub async fn save_warehouse(db: &Db, user: &CurrentUser, id: Option<i64>, version: i64, input: &WarehouseInput) -> AppResult<i64> {
    authorize(user, Entity::Inventory, Action::Edit)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let taken = sql("SELECT COUNT(*) FROM warehouses WHERE code = $1 AND id <> $2")
        .arg_text(v.code.clone())
        .arg_i64(id.unwrap_or(0))
        .fetch_i64(&mut tx)
        .await?;
    if taken > 0 {
        return Err(AppError::validation("code", "validation.code_taken"));
    }
    let now = now_ms();
    let (id, action) = match id {
        None => {
            let id = sql(
                "INSERT INTO warehouses (code, name, address, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .arg_text(v.code.clone())
            .arg_text(v.name.clone())
            .arg_text(v.address.clone())
            .arg_bool(v.active)
            .arg_i64(now)
            .fetch_i64(&mut tx)
            .await?;
            (id, "create")
        }
        Some(id) => {
            if !v.active {
                let open = sql("SELECT COUNT(*) FROM orders WHERE warehouse_id = $1 AND status IN ('draft', 'pending', 'confirmed', 'partially_shipped') \
                                AND deleted_at IS NULL")
                .arg_i64(id)
                .fetch_i64(&mut tx)
                .await?;
                if open > 0 {
                    return Err(AppError::validation("active", "inventory.warehouse_in_use"));
                }
            }
            let n = sql("UPDATE warehouses SET code = $1, name = $2, address = $3, active = $4, updated_at = $5, version = version + 1 \
                         WHERE id = $6 AND version = $7")
            .arg_text(v.code.clone())
            .arg_text(v.name.clone())
            .arg_text(v.address.clone())
            .arg_bool(v.active)
            .arg_i64(now)
            .arg_i64(id)
            .arg_i64(version)
            .execute(&mut tx)
            .await?;
            if n == 0 {
                return Err(AppError::Conflict);
            }
            (id, "update")
        }
    };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, action).on("warehouse", id).summary(format!("{} {}", v.code, v.name)).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_allow_negative(db: &Db, user: &CurrentUser, allow: bool) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    settings::set(&mut tx, ALLOW_NEGATIVE_KEY, if allow { "1" } else { "0" }, Some(user.id), now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(format!("{ALLOW_NEGATIVE_KEY}: {allow}")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn stock_filter(q: &StockQuery) -> crate::platform::db::SqlBuilder {
    let mut b = sql(" FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id \
                     WHERE p.deleted_at IS NULL AND (s.on_hand_milli <> 0 OR s.reserved_milli <> 0)");
    if let Some(w) = q.warehouse_id {
        b.push(" AND s.warehouse_id = ").bind_i64(w);
    }
    if let Some(term) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(p.name) LIKE ")
            .bind_text(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(p.code) LIKE ")
            .bind_text(pattern)
            .push(" ESCAPE '\\')");
    }
    if q.short_only {
        b.push(" AND s.on_hand_milli - s.reserved_milli <= 0");
    }
    b
}

/// Stock per product and warehouse, by product name, with totals over the whole query.
pub async fn stock(db: &Db, user: &CurrentUser, q: &StockQuery) -> AppResult<StockPage> {
    authorize(user, Entity::Inventory, Action::View)?;
    let mut tx = db.read().await?;
    let filter = stock_filter(q);
    let mut totals = sql(&format!(
        "SELECT CAST(COALESCE(SUM(s.on_hand_milli), 0) AS BIGINT), CAST(COALESCE(SUM(s.reserved_milli), 0) AS BIGINT){}",
        filter.text()
    ));
    for b in filter.binds() {
        totals = totals.arg(b.clone());
    }
    let (total_on_hand_milli, total_reserved_milli): (i64, i64) = totals.fetch_one(&mut tx).await?;
    let mut b = sql(&format!(
        "SELECT s.warehouse_id, w.name AS warehouse_name, s.product_id, p.code AS product_code, p.name AS product_name, p.unit, \
         s.on_hand_milli, s.reserved_milli{}",
        filter.text()
    ));
    for x in filter.binds() {
        b = b.arg(x.clone());
    }
    if let Some((name, pid, wid)) = &q.after {
        b.push(" AND (p.name > ").bind_text(name.clone()).push(" OR (p.name = ").bind_text(name.clone());
        b.push(" AND (p.id > ")
            .bind_i64(*pid)
            .push(" OR (p.id = ")
            .bind_i64(*pid)
            .push(" AND s.warehouse_id > ")
            .bind_i64(*wid)
            .push("))))");
    }
    b.push(" ORDER BY p.name, p.id, s.warehouse_id LIMIT ").bind_i64(PAGE + 1);
    let mut rows: Vec<StockRow> = b.fetch_all(&mut tx).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.product_name.clone(), r.product_id, r.warehouse_id))
    });
    Ok(StockPage {
        rows,
        next: next.flatten(),
        total_on_hand_milli,
        total_reserved_milli,
        can_move: user.permissions.can(Entity::Inventory, Action::Create),
    })
}

/// The ledger, newest first.
pub async fn movements(db: &Db, user: &CurrentUser, q: &MovementQuery) -> AppResult<MovementPage> {
    authorize(user, Entity::Inventory, Action::View)?;
    let mut tx = db.read().await?;
    let mut b =
        sql("SELECT m.id, m.warehouse_id, w.name AS warehouse_name, m.product_id, p.name AS product_name, p.unit, m.kind, m.qty_milli, \
                     m.balance_milli, m.ref_kind, m.ref_id, o.number AS ref_label, m.note, u.display_name AS created_by_name, m.created_at \
                     FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id \
                     LEFT JOIN users u ON u.id = m.created_by LEFT JOIN orders o ON m.ref_kind = 'order' AND o.id = m.ref_id WHERE 1 = 1");
    if let Some(w) = q.warehouse_id {
        b.push(" AND m.warehouse_id = ").bind_i64(w);
    }
    if let Some(p) = q.product_id {
        b.push(" AND m.product_id = ").bind_i64(p);
    }
    if let Some(k) = q.kind.as_deref().filter(|k| MOVEMENT_KINDS.contains(k)) {
        b.push(" AND m.kind = ").bind_text(k.to_string());
    }
    if let Some(before) = q.before {
        b.push(" AND m.id < ").bind_i64(before);
    }
    b.push(" ORDER BY m.id DESC LIMIT ").bind_i64(PAGE + 1);
    let mut rows: Vec<Movement> = b.fetch_all(&mut tx).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    });
    Ok(MovementPage { rows, next: next.flatten() })
}

async fn check_product(tx: &mut Tx, id: i64, field: &str) -> AppResult<String> {
    let p: Option<(String, String)> =
        sql("SELECT name, kind FROM products WHERE id = $1 AND deleted_at IS NULL").arg_i64(id).fetch_optional(tx).await?;
    match p {
        Some((name, kind)) if kind == "product" => Ok(name),
        Some(_) => Err(AppError::validation(field, "inventory.not_stocked")),
        None => Err(AppError::validation(field, "validation.invalid_choice")),
    }
}

/// Stock in, out, or a transfer (out of one warehouse and into another in one transaction).
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn post_move(db: &Db, user: &CurrentUser, input: &MoveInput) -> AppResult<i64> {
    authorize(user, Entity::Inventory, Action::Create)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let name = check_product(&mut tx, v.product_id, "product_id").await?;
    for (w, field) in [(Some(v.warehouse_id), "warehouse_id"), (v.to_warehouse_id, "to_warehouse_id")] {
        if let Some(w) = w {
            if !active_warehouse(&mut tx, w).await? {
                return Err(AppError::validation(field, "validation.invalid_choice"));
            }
        }
    }
    let allow = allow_negative(&mut tx).await?;
    let now = now_ms();
    let (out_kind, qty) = match v.kind {
        "in" => ("in", v.qty_milli),
        "out" => ("out", -v.qty_milli),
        _ => ("transfer_out", -v.qty_milli),
    };
    let c = StockChange {
        warehouse_id: v.warehouse_id,
        product_id: v.product_id,
        on_hand: qty,
        reserved: 0,
        kind: out_kind,
        reference: None,
        note: &v.note,
    };
    let Some(balance) = change(&mut tx, &c, allow, Some(user.id), now).await? else {
        return Err(AppError::validation("qty", "inventory.short"));
    };
    if let Some(to) = v.to_warehouse_id {
        let c = StockChange { warehouse_id: to, kind: "transfer_in", on_hand: v.qty_milli, ..c };
        change(&mut tx, &c, allow, Some(user.id), now).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("stock_movement", v.product_id).summary(format!(
            "{} {name} {}",
            v.kind,
            crate::catalog::types::format_qty(v.qty_milli)
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(balance)
}

/// Posts a count: each counted product whose on hand differs gets a stocktake movement
/// to the counted quantity. Reserved stock is kept; a count below it is refused unless
/// negative stock is allowed.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn post_stocktake(db: &Db, user: &CurrentUser, input: &StocktakeInput) -> AppResult<StocktakeResult> {
    authorize(user, Entity::Inventory, Action::Create)?;
    let ValidStocktake { warehouse_id: warehouse, lines, note } = input.validate().map_err(AppError::Validation)?;
    // Errors name the line as the form lists it, blanks included.
    let form_index = |product: i64| input.lines.iter().position(|(p, _)| *p == product).unwrap_or(0);
    let mut tx = db.write().await?;
    if !active_warehouse(&mut tx, warehouse).await? {
        return Err(AppError::validation("warehouse_id", "validation.invalid_choice"));
    }
    let allow = allow_negative(&mut tx).await?;
    let now = now_ms();
    let id = sql("INSERT INTO stocktakes (warehouse_id, note, counted, adjusted, created_by, created_at) VALUES ($1, $2, $3, 0, $4, $5) RETURNING id")
        .arg_i64(warehouse)
        .arg_text(note.clone())
        .arg_i64(lines.len() as i64)
        .arg_i64(user.id)
        .arg_i64(now)
        .fetch_i64(&mut tx)
        .await?;
    let mut adjusted = 0;
    for (product, counted) in &lines {
        let field = format!("lines.{}.counted", form_index(*product));
        check_product(&mut tx, *product, &field).await?;
        let current: Option<(i64,)> = sql("SELECT on_hand_milli FROM stock_levels WHERE warehouse_id = $1 AND product_id = $2")
            .arg_i64(warehouse)
            .arg_i64(*product)
            .fetch_optional(&mut tx)
            .await?;
        let delta = counted - current.map(|c| c.0).unwrap_or(0);
        if delta == 0 {
            continue;
        }
        let c = StockChange {
            warehouse_id: warehouse,
            product_id: *product,
            on_hand: delta,
            reserved: 0,
            kind: "stocktake",
            reference: Some(("stocktake", id)),
            note: &note,
        };
        if change(&mut tx, &c, allow, Some(user.id), now).await?.is_none() {
            return Err(AppError::validation(&field, "inventory.below_reserved"));
        }
        adjusted += 1;
    }
    sql("UPDATE stocktakes SET adjusted = $1 WHERE id = $2").arg_i64(adjusted).arg_i64(id).execute(&mut tx).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("stocktake", id).summary(format!("{} / {adjusted}", lines.len())),
    )
    .await?;
    tx.commit().await?;
    Ok(StocktakeResult { id, counted: lines.len() as i64, adjusted })
}

/// Stock of the given products for order entry: available in `warehouse` and in all.
pub async fn availability(db: &Db, user: &CurrentUser, warehouse: i64, products: &[i64]) -> AppResult<Vec<Availability>> {
    authorize(user, Entity::Inventory, Action::View).or_else(|_| authorize(user, Entity::Order, Action::Create))?;
    let mut tx = db.read().await?;
    let mut out = Vec::new();
    for &p in products.iter().take(200) {
        let (here, all): (i64, i64) = sql("SELECT CAST(COALESCE(SUM(CASE WHEN warehouse_id = $1 THEN on_hand_milli - reserved_milli ELSE 0 END), 0) AS BIGINT), \
                                            CAST(COALESCE(SUM(on_hand_milli - reserved_milli), 0) AS BIGINT) FROM stock_levels WHERE product_id = $2")
        .arg_i64(warehouse)
        .arg_i64(p)
        .fetch_one(&mut tx)
        .await?;
        let kind: Option<(String,)> = sql("SELECT kind FROM products WHERE id = $1").arg_i64(p).fetch_optional(&mut tx).await?;
        let stocked = kind.is_some_and(|(k,)| k == "product");
        out.push(Availability { product_id: p, stocked, available_milli: here, available_everywhere_milli: all });
    }
    Ok(out)
}
