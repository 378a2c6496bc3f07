//! Order rules. An order belongs to the user who made it (scope by owner and
//! department) and is for a customer the user can see; lines are priced like quotes.
//! Confirming checks the customer's credit (open orders, unpaid contract balances and
//! this order against the limit, in the limit's currency at today's rates): past a blocking limit it waits for
//! a manager; otherwise it reserves every stocked line in the order's warehouse, all or
//! nothing. Shipping issues reserved stock, returns bring it back, cancelling releases
//! it. Every change is audited.
use crate::inventory::service::{self as inventory, StockChange};
use crate::orders::repo::{self, Header};
use crate::orders::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Scope};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::money::Currency;
use crate::platform::time::{local_today, now_ms};
use crate::quotes::service::{check_links, date_parts, iso, price_lines};
use crate::quotes::types::{QuoteLine, QuoteStatus, ValidQuote};

const PAGE: i64 = 50;

async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<Order> {
    let grant = authorize(user, Entity::Order, action)?;
    repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

/// Which lines move stock: products (not services, not typed lines).
async fn stocked(tx: &mut Tx, lines: &[QuoteLine]) -> Result<Vec<bool>, sqlx::Error> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let kind: Option<(String,)> = match l.product_id {
            Some(p) => sql("SELECT kind FROM products WHERE id = $1").arg_i64(p).fetch_optional(tx).await?,
            None => None,
        };
        out.push(kind.is_some_and(|(k,)| k == "product"));
    }
    Ok(out)
}

async fn check_warehouse(tx: &mut Tx, id: i64) -> AppResult<()> {
    if inventory::active_warehouse(tx, id).await? {
        Ok(())
    } else {
        Err(AppError::validation("warehouse_id", "validation.invalid_choice"))
    }
}

fn order_dates(v: &ValidQuote) -> (String, String) {
    let order_date = v.quote_date.clone().unwrap_or_else(|| iso(local_today()));
    let delivery = v.valid_until.clone().unwrap_or_else(|| order_date.clone());
    (order_date, delivery)
}

/// A quote the order comes from must be one the user can see, for the same customer,
/// and agreed (approved, sent or accepted).
async fn check_quote(tx: &mut Tx, user: &CurrentUser, quote: Option<i64>, customer: i64) -> AppResult<()> {
    let Some(q) = quote else { return Ok(()) };
    let q = crate::quotes::service::load(tx, user, q, Action::View)
        .await
        .map_err(|_| AppError::validation("quote_id", "validation.invalid_choice"))?;
    if q.customer_id != customer || !matches!(q.status(), QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted) {
        return Err(AppError::validation("quote_id", "order.quote_not_agreed"));
    }
    Ok(())
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create(db: &Db, user: &CurrentUser, input: &OrderInput) -> AppResult<i64> {
    authorize(user, Entity::Order, Action::Create)?;
    let (v, warehouse) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, user, &v).await?;
    check_warehouse(&mut tx, warehouse).await?;
    check_quote(&mut tx, user, input.quote_id, v.customer_id).await?;
    let (order_date, delivery) = order_dates(&v);
    let (lines, totals) = price_lines(&mut tx, user, &v, &order_date).await?;
    let stocked = stocked(&mut tx, &lines).await?;
    let number = crate::platform::numbering::next_number(&mut tx, "order", date_parts(&order_date)).await?;
    let h = Header {
        v: &v,
        warehouse_id: warehouse,
        quote_id: input.quote_id,
        order_date: &order_date,
        delivery_date: &delivery,
        totals: &totals,
    };
    let id = repo::insert(&mut tx, &h, &number, (user.id, user.department_id), user.id, now_ms()).await?;
    repo::replace_lines(&mut tx, id, &lines, &stocked).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("order", id).summary(format!("{number} {}", v.title)).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A draft order with the quote's lines at the quoted prices, into the first active
/// warehouse. An approved or sent quote becomes accepted: the customer ordered.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn from_quote(db: &Db, user: &CurrentUser, quote_id: i64) -> AppResult<i64> {
    authorize(user, Entity::Order, Action::Create)?;
    let mut tx = db.write().await?;
    let q = crate::quotes::service::load(&mut tx, user, quote_id, Action::View).await?;
    check_quote(&mut tx, user, Some(quote_id), q.customer_id).await?;
    let warehouse: Option<(i64,)> =
        sql("SELECT id FROM warehouses WHERE active = TRUE ORDER BY code LIMIT 1").fetch_optional(&mut tx).await?;
    let Some((warehouse,)) = warehouse else { return Err(AppError::validation("warehouse_id", "order.no_warehouse")) };
    let lines = crate::quotes::repo::lines(&mut tx, quote_id).await?;
    let stocked = stocked(&mut tx, &lines).await?;
    let order_date = iso(local_today());
    let v = ValidQuote {
        customer_id: q.customer_id,
        opportunity_id: q.opportunity_id,
        title: q.title.clone(),
        quote_date: Some(order_date.clone()),
        valid_until: None,
        currency: q.currency(),
        discount_bp: q.discount_bp,
        terms: q.terms.clone(),
        notes: String::new(),
        lines: Vec::new(),
    };
    let totals = crate::quotes::types::Totals {
        subtotal: q.subtotal,
        discount_total: q.discount_total,
        tax_total: q.tax_total,
        total: q.total,
        ..Default::default()
    };
    let number = crate::platform::numbering::next_number(&mut tx, "order", local_today()).await?;
    let h = Header {
        v: &v,
        warehouse_id: warehouse,
        quote_id: Some(quote_id),
        order_date: &order_date,
        delivery_date: &order_date,
        totals: &totals,
    };
    let now = now_ms();
    let id = repo::insert(&mut tx, &h, &number, (user.id, user.department_id), user.id, now).await?;
    repo::replace_lines(&mut tx, id, &lines, &stocked).await?;
    if matches!(q.status(), QuoteStatus::Approved | QuoteStatus::Sent)
        && crate::quotes::repo::set_status(&mut tx, quote_id, q.version, QuoteStatus::Accepted, None, user.id, now).await?
    {
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "update").on("quote", quote_id).summary(format!(
                "{} {} → accepted",
                q.label(),
                q.status
            )),
        )
        .await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("order", id).summary(format!("{number} ← {}", q.label())),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &OrderInput) -> AppResult<()> {
    let (v, warehouse) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    if before.status() != OrderStatus::Draft {
        return Err(AppError::validation("status", "order.not_editable"));
    }
    check_links(&mut tx, user, &v).await?;
    check_warehouse(&mut tx, warehouse).await?;
    check_quote(&mut tx, user, input.quote_id, v.customer_id).await?;
    let (order_date, delivery) = order_dates(&v);
    let (lines, totals) = price_lines(&mut tx, user, &v, &order_date).await?;
    let stocked = stocked(&mut tx, &lines).await?;
    let h = Header {
        v: &v,
        warehouse_id: warehouse,
        quote_id: input.quote_id,
        order_date: &order_date,
        delivery_date: &delivery,
        totals: &totals,
    };
    if !repo::update(&mut tx, id, version, &h, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    repo::replace_lines(&mut tx, id, &lines, &stocked).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("order", id).summary(before.number.clone()).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The customer's credit with `order` counted: the other orders that use credit plus
/// this one, converted into the limit's currency at today's rates.
async fn credit(tx: &mut Tx, order: &Order) -> Result<Credit, sqlx::Error> {
    let row: Option<(Option<i64>, Option<String>, Option<String>)> =
        sql("SELECT credit_limit, credit_currency, credit_control FROM customers WHERE id = $1")
            .arg_i64(order.customer_id)
            .fetch_optional(tx)
            .await?;
    let Some((limit, currency, control)) = row else { return Ok(Credit::Unchecked) };
    // A limit without a control blocks: that is what a limit is for.
    let control = control.filter(|c| !c.is_empty()).unwrap_or_else(|| "block".into());
    let currency = currency.and_then(|c| Currency::from_code(&c)).unwrap_or_default();
    let rates = crate::finance::service::rates_on(tx, &iso(local_today())).await?;
    let used = credit_used(tx, order.customer_id, order.id, currency, &rates).await?;
    let this = rates.convert(order.total, order.currency(), currency);
    Ok(credit_check(&control, limit, currency.code(), used, this))
}

/// What the customer's open orders (but `except`) and unpaid contracts use of its credit,
/// in `currency` at `rates`; `None` when an amount has no rate.
pub(crate) async fn credit_used(
    tx: &mut Tx,
    customer_id: i64,
    except: i64,
    currency: Currency,
    rates: &crate::platform::money::Rates,
) -> Result<Option<i64>, sqlx::Error> {
    // An order whose quote a contract was signed on is that contract's: the contract's
    // unpaid balance counts instead, so payments free the credit again.
    let open: Vec<(String, i64)> = sql(
        "SELECT o.currency, CAST(SUM(o.total) AS BIGINT) FROM orders o WHERE o.customer_id = $1 AND o.id <> $2 AND o.deleted_at IS NULL \
             AND o.status IN ('pending', 'confirmed', 'partially_shipped', 'shipped') \
             AND NOT EXISTS (SELECT 1 FROM contracts k WHERE k.quote_id = o.quote_id AND k.status = 'active' AND k.deleted_at IS NULL) \
             GROUP BY o.currency",
    )
    .arg_i64(customer_id)
    .arg_i64(except)
    .fetch_all(tx)
    .await?;
    let orders = open.iter().try_fold(0_i64, |acc, (c, total)| Some(acc + rates.convert(*total, Currency::from_code(c)?, currency)?));
    let contracts = crate::contracts::service::outstanding_for(tx, customer_id, rates, currency).await?;
    Ok(orders.zip(contracts).map(|(a, b)| a + b))
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<OrderDetail> {
    let mut tx = db.read().await?;
    let order = load(&mut tx, user, id, Action::View).await?;
    let lines = repo::lines(&mut tx, id).await?;
    let shipments = repo::shipments(&mut tx, id).await?;
    let credit = credit(&mut tx, &order).await?;
    let can_edit = load(&mut tx, user, id, Action::Edit).await.is_ok();
    let can_approve = load(&mut tx, user, id, Action::Approve).await.is_ok();
    Ok(OrderDetail { order, lines, shipments, credit, can_edit, can_approve })
}

pub async fn list(db: &Db, user: &CurrentUser, f: &OrderFilter) -> AppResult<OrderPage> {
    let grant = authorize(user, Entity::Order, Action::View)?;
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, &grant, f, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.updated_at, r.id))
    });
    Ok(OrderPage { rows, next: next.flatten() })
}

/// Reserves every stocked line in the order's warehouse, or none: the first line short of
/// stock is named and the transaction is dropped by the caller.
async fn reserve(tx: &mut Tx, order: &Order, lines: &[OrderLine], user: i64, now: i64) -> AppResult<()> {
    let allow = inventory::allow_negative(tx).await?;
    for (i, l) in lines.iter().enumerate() {
        let (Some(product), true) = (l.product_id, l.stocked) else { continue };
        let c = StockChange {
            warehouse_id: order.warehouse_id,
            product_id: product,
            on_hand: 0,
            reserved: l.open_milli(),
            kind: "ship",
            reference: Some(("order", order.id)),
            note: "",
        };
        if inventory::change(tx, &c, allow, Some(user), now).await?.is_none() {
            return Err(AppError::validation(&format!("lines.{i}.qty"), "order.short"));
        }
    }
    Ok(())
}

async fn release(tx: &mut Tx, order: &Order, lines: &[OrderLine], user: i64, now: i64) -> AppResult<()> {
    for l in lines {
        let (Some(product), true) = (l.product_id, l.stocked) else { continue };
        let c = StockChange {
            warehouse_id: order.warehouse_id,
            product_id: product,
            on_hand: 0,
            reserved: -l.open_milli(),
            kind: "ship",
            reference: Some(("order", order.id)),
            note: "",
        };
        inventory::change(tx, &c, true, Some(user), now).await?;
    }
    Ok(())
}

/// Confirms, decides on or cancels an order. Approving and rejecting need Approve (not
/// over one's own order unless one approves every order) and a note to reject.
#[tracing::instrument(skip(db, user, note), fields(user = user.id))]
pub async fn step(db: &Db, user: &CurrentUser, id: i64, version: i64, step: OrderStep, note: &str) -> AppResult<OrderStatus> {
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::validation("note", "validation.too_long"));
    }
    let deciding = matches!(step, OrderStep::Approve | OrderStep::Reject);
    if step == OrderStep::Reject && note.is_empty() {
        return Err(AppError::validation("note", "validation.required"));
    }
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, if deciding { Action::Approve } else { Action::Edit }).await?;
    if o.version != version {
        return Err(AppError::Conflict);
    }
    if deciding && o.owner_id == Some(user.id) && user.permissions.scope(Entity::Order, Action::Approve) != Some(Scope::All) {
        return Err(AppError::validation("note", "order.own_approval"));
    }
    let lines = repo::lines(&mut tx, id).await?;
    let now = now_ms();
    let not_allowed = || AppError::validation("status", "order.step_not_allowed");
    let (to, reason, decision) = match (step, o.status()) {
        (OrderStep::Confirm, OrderStatus::Draft) => {
            let c = credit(&mut tx, &o).await?;
            if needs_credit_approval(&c) {
                (OrderStatus::Pending, Some("credit"), None)
            } else {
                reserve(&mut tx, &o, &lines, user.id, now).await?;
                (OrderStatus::Confirmed, None, None)
            }
        }
        (OrderStep::Approve, OrderStatus::Pending) => {
            reserve(&mut tx, &o, &lines, user.id, now).await?;
            (OrderStatus::Confirmed, o.approval_reason.as_deref(), Some((note, user.id)))
        }
        (OrderStep::Reject, OrderStatus::Pending) => (OrderStatus::Draft, o.approval_reason.as_deref(), Some((note, user.id))),
        (OrderStep::Cancel, s @ (OrderStatus::Draft | OrderStatus::Pending | OrderStatus::Confirmed)) => {
            if s == OrderStatus::Confirmed {
                release(&mut tx, &o, &lines, user.id, now).await?;
            }
            (OrderStatus::Cancelled, o.approval_reason.as_deref(), None)
        }
        _ => return Err(not_allowed()),
    };
    if !repo::set_status(&mut tx, id, version, to, reason, decision, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("order", id).summary(format!(
            "{} {} → {}{}",
            o.number,
            o.status,
            to.code(),
            if note.is_empty() { String::new() } else { format!(" · {note}") }
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// Ships (issues reserved stock) or takes back (a return) quantities of the order's
/// lines, as one shipment. Never more than is open to ship or was shipped.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn ship(db: &Db, user: &CurrentUser, id: i64, version: i64, returning: bool, input: &ShipmentInput) -> AppResult<OrderStatus> {
    let ValidShipment { lines: wanted, note } = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, Action::Edit).await?;
    if o.version != version {
        return Err(AppError::Conflict);
    }
    let allowed =
        if returning { matches!(o.status(), OrderStatus::PartiallyShipped | OrderStatus::Shipped) } else { o.status().holds_stock() };
    if !allowed {
        return Err(AppError::validation("status", "order.step_not_allowed"));
    }
    let mut lines = repo::lines(&mut tx, id).await?;
    let now = now_ms();
    let kind = if returning { "return" } else { "ship" };
    let shipment = sql(
        "INSERT INTO shipments (order_id, kind, warehouse_id, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .arg_i64(id)
    .arg_text(kind)
    .arg_i64(o.warehouse_id)
    .arg_text(note.clone())
    .arg_i64(user.id)
    .arg_i64(now)
    .fetch_i64(&mut tx)
    .await?;
    let allow = inventory::allow_negative(&mut tx).await?;
    for (line_id, qty) in &wanted {
        let field = format!("lines.{}.qty", input.lines.iter().position(|(l, _)| l == line_id).unwrap_or(0));
        let Some(l) = lines.iter_mut().find(|l| l.id == *line_id) else {
            return Err(AppError::validation(&field, "validation.invalid_choice"));
        };
        let limit = if returning { l.returnable_milli() } else { l.open_milli() };
        if *qty > limit {
            return Err(AppError::validation(&field, if returning { "order.return_too_much" } else { "order.ship_too_much" }));
        }
        if let (Some(product), true) = (l.product_id, l.stocked) {
            let (on_hand, reserved) = if returning { (*qty, 0) } else { (-qty, -qty) };
            let c = StockChange {
                warehouse_id: o.warehouse_id,
                product_id: product,
                on_hand,
                reserved,
                kind,
                reference: Some(("order", id)),
                note: &note,
            };
            if inventory::change(&mut tx, &c, allow, Some(user.id), now).await?.is_none() {
                return Err(AppError::validation(&field, "order.short"));
            }
        }
        if returning {
            l.returned_milli += qty;
        } else {
            l.shipped_milli += qty;
        }
        sql("UPDATE order_lines SET shipped_milli = $1, returned_milli = $2 WHERE id = $3")
            .arg_i64(l.shipped_milli)
            .arg_i64(l.returned_milli)
            .arg_i64(l.id)
            .execute(&mut tx)
            .await?;
        sql("INSERT INTO shipment_lines (shipment_id, order_line_id, qty_milli) VALUES ($1, $2, $3)")
            .arg_i64(shipment)
            .arg_i64(l.id)
            .arg_i64(*qty)
            .execute(&mut tx)
            .await?;
    }
    let to = if returning {
        o.status()
    } else if lines.iter().all(|l| l.open_milli() == 0) {
        OrderStatus::Shipped
    } else {
        OrderStatus::PartiallyShipped
    };
    if !repo::set_status(&mut tx, id, version, to, o.approval_reason.as_deref(), None, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("order", id).summary(format!(
            "{} {kind} #{shipment} → {}",
            o.number,
            to.code()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}
