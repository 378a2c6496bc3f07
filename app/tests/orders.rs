//! Inventory and orders on SQLite and PostgreSQL: the movements ledger, stock that never
//! goes negative (also with two orders racing for the last unit), reservation on
//! confirmation, credit-limit approval, shipments, returns, cancellation, orders from
//! quotes, data scope and the audit trail.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::ProductInput;
use app::customers::service as customers;
use app::inventory::service as inventory;
use app::inventory::types::*;
use app::orders::service as orders;
use app::orders::types::*;
use app::platform::authz::CurrentUser;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::quotes::types::{LineInput, QuoteInput};
use common::*;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

async fn level(db: &Db, warehouse: i64, product: i64) -> (i64, i64) {
    let mut tx = db.read().await.unwrap();
    let row: Option<(i64, i64)> = sql("SELECT on_hand_milli, reserved_milli FROM stock_levels WHERE warehouse_id = $1 AND product_id = $2")
        .arg_i64(warehouse)
        .arg_i64(product)
        .fetch_optional(&mut tx)
        .await
        .unwrap();
    row.unwrap_or((0, 0))
}

async fn product(db: &Db, admin: &CurrentUser, name: &str, price: &str, kind: &str) -> i64 {
    let p = ProductInput {
        name: name.into(),
        list_price: price.into(),
        tax_rate: "13".into(),
        unit: "台".into(),
        kind: kind.into(),
        ..Default::default()
    };
    catalog::create_product(db, admin, &p).await.unwrap()
}

fn stock_in(warehouse: i64, product: i64, qty: &str) -> MoveInput {
    MoveInput { kind: "in".into(), warehouse_id: Some(warehouse), product_id: Some(product), qty: qty.into(), ..Default::default() }
}

fn order_input(customer: i64, warehouse: i64, lines: &[(i64, &str)]) -> OrderInput {
    OrderInput {
        doc: QuoteInput {
            customer_id: Some(customer),
            title: "门店设备".into(),
            quote_date: "2026-11-30".into(),
            currency: "CNY".into(),
            lines: lines
                .iter()
                .map(|(p, q)| LineInput { product_id: Some(*p), name: "x".into(), qty: q.to_string(), ..Default::default() })
                .collect(),
            ..Default::default()
        },
        warehouse_id: Some(warehouse),
        quote_id: None,
    }
}

#[tokio::test]
async fn stock_moves_through_a_ledger_and_never_goes_negative() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let wh1 = head_office(&db).await;
        let wh2 = inventory::save_warehouse(
            &db,
            &o.manager,
            None,
            0,
            &WarehouseInput { code: "wh02".into(), name: "上海仓".into(), active: true, ..Default::default() },
        )
        .await
        .unwrap();
        assert_eq!(
            fields(
                &inventory::save_warehouse(
                    &db,
                    &o.admin,
                    None,
                    0,
                    &WarehouseInput { code: "WH02".into(), name: "重复".into(), active: true, ..Default::default() }
                )
                .await
                .unwrap_err()
            ),
            ["code:validation.code_taken"]
        );
        let t2 = product(&db, &o.admin, "收银终端 T2", "3680", "product").await;
        let setup = product(&db, &o.admin, "安装", "800", "service").await;

        // In, out, transfer; the ledger keeps each change with the balance after it.
        assert_eq!(inventory::post_move(&db, &o.manager, &stock_in(wh1, t2, "10")).await.unwrap(), 10_000);
        let out = MoveInput { kind: "out".into(), qty: "3".into(), note: "样机".into(), ..stock_in(wh1, t2, "") };
        assert_eq!(inventory::post_move(&db, &o.manager, &out).await.unwrap(), 7_000);
        let transfer = MoveInput { kind: "transfer".into(), to_warehouse_id: Some(wh2), qty: "2".into(), ..stock_in(wh1, t2, "") };
        inventory::post_move(&db, &o.manager, &transfer).await.unwrap();
        assert_eq!((level(&db, wh1, t2).await, level(&db, wh2, t2).await), ((5_000, 0), (2_000, 0)));
        // Never below zero; services have no stock; salespeople only look.
        let too_much = MoveInput { kind: "out".into(), qty: "5.001".into(), ..stock_in(wh1, t2, "") };
        assert_eq!(fields(&inventory::post_move(&db, &o.manager, &too_much).await.unwrap_err()), ["qty:inventory.short"]);
        assert_eq!(
            fields(&inventory::post_move(&db, &o.manager, &stock_in(wh1, setup, "1")).await.unwrap_err()),
            ["product_id:inventory.not_stocked"]
        );
        assert_eq!(inventory::post_move(&db, &o.alice, &stock_in(wh1, t2, "1")).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(inventory::post_move(&db, &o.engineer, &stock_in(wh1, t2, "1")).await.unwrap_err(), AppError::Forbidden);
        let page = inventory::movements(&db, &o.alice, &MovementQuery { product_id: Some(t2), ..Default::default() }).await.unwrap();
        assert_eq!(
            page.rows.iter().map(|m| (m.kind.as_str(), m.qty_milli, m.balance_milli)).collect::<Vec<_>>(),
            [("transfer_in", 2_000, 2_000), ("transfer_out", -2_000, 5_000), ("out", -3_000, 7_000), ("in", 10_000, 10_000)]
        );

        // A stocktake sets what was counted; unchanged lines make no movement.
        let scooter = product(&db, &o.admin, "扫码枪 S1", "268", "product").await;
        let count =
            StocktakeInput { warehouse_id: Some(wh1), lines: vec![(t2, "4".into()), (scooter, "0".into())], note: "月末盘点".into() };
        let r = inventory::post_stocktake(&db, &o.manager, &count).await.unwrap();
        assert_eq!((r.counted, r.adjusted), (2, 1));
        assert_eq!(level(&db, wh1, t2).await, (4_000, 0));
        let report = inventory::stock(&db, &o.alice, &StockQuery { warehouse_id: Some(wh1), ..Default::default() }).await.unwrap();
        assert_eq!((report.rows.len(), report.total_on_hand_milli, report.can_move), (1, 4_000, false));

        // The company may allow negative stock.
        inventory::set_allow_negative(&db, &o.admin, true).await.unwrap();
        let negative = MoveInput { kind: "out".into(), qty: "6".into(), ..stock_in(wh1, t2, "") };
        assert_eq!(inventory::post_move(&db, &o.manager, &negative).await.unwrap(), -2_000);
        assert_eq!(inventory::set_allow_negative(&db, &o.manager, false).await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}

#[tokio::test]
async fn orders_reserve_on_confirmation_wait_for_credit_approval_ship_and_return() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let wh = head_office(&db).await;
        let mut ci = customer_input("杭州云栖零售有限公司");
        ci.owner_id = Some(o.alice.id);
        ci.credit_limit = "50000".into();
        ci.credit_currency = "CNY".into();
        ci.credit_control = "block".into();
        let c = customers::create_customer(&db, &o.admin, &ci).await.unwrap();
        let t2 = product(&db, &o.admin, "收银终端 T2", "3680", "product").await;
        let setup = product(&db, &o.admin, "安装", "800", "service").await;
        inventory::post_move(&db, &o.admin, &stock_in(wh, t2, "5")).await.unwrap();

        // 6 terminals: the draft saves, confirming is refused and reserves nothing.
        let id = orders::create(&db, &o.alice, &order_input(c, wh, &[(setup, "1"), (t2, "6")])).await.unwrap();
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        assert_eq!((d.order.number.as_str(), d.order.status.as_str()), ("SO20261130-0001", "draft"));
        assert_eq!(d.lines.iter().map(|l| l.stocked).collect::<Vec<_>>(), [false, true]);
        assert_eq!(
            fields(&orders::step(&db, &o.alice, id, d.order.version, OrderStep::Confirm, "").await.unwrap_err()),
            ["lines.1.qty:order.short"]
        );
        assert_eq!(level(&db, wh, t2).await, (5_000, 0));
        // Bob cannot see it; the engineer may not use orders.
        assert_eq!(orders::get(&db, &o.bob, id).await.unwrap_err(), AppError::NotFound);
        assert_eq!(orders::get(&db, &o.engineer, id).await.unwrap_err(), AppError::Forbidden);

        // 4 terminals: 4 × 3 680 × 1.13 + 800 × 1.13 = 17 537.60, within the 50 000 limit: confirmed, 4 reserved.
        orders::update(&db, &o.alice, id, d.order.version, &order_input(c, wh, &[(setup, "1"), (t2, "4")])).await.unwrap();
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(d.order.total, 1_753_760);
        assert_eq!(d.credit, Credit::Within { used: 1_753_760, limit: 5_000_000, currency: "CNY".into() });
        assert_eq!(orders::step(&db, &o.alice, id, d.order.version, OrderStep::Confirm, "").await.unwrap(), OrderStatus::Confirmed);
        assert_eq!(level(&db, wh, t2).await, (5_000, 4_000));
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(
            fields(&orders::update(&db, &o.alice, id, d.order.version, &order_input(c, wh, &[(t2, "1")])).await.unwrap_err()),
            ["status:order.not_editable"]
        );

        // Ship 3 of 4 and the installation: partly shipped; stock issued from the reservation.
        let (install, terminals) = (d.lines[0].id, d.lines[1].id);
        let ship = ShipmentInput { lines: vec![(install, "1".into()), (terminals, "3".into())], note: "顺丰 SF123".into() };
        assert_eq!(orders::ship(&db, &o.alice, id, d.order.version, false, &ship).await.unwrap(), OrderStatus::PartiallyShipped);
        assert_eq!(level(&db, wh, t2).await, (2_000, 1_000));
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        let over = ShipmentInput { lines: vec![(terminals, "2".into())], note: String::new() };
        assert_eq!(
            fields(&orders::ship(&db, &o.alice, id, d.order.version, false, &over).await.unwrap_err()),
            ["lines.0.qty:order.ship_too_much"]
        );
        let rest = ShipmentInput { lines: vec![(terminals, "1".into())], note: String::new() };
        assert_eq!(orders::ship(&db, &o.alice, id, d.order.version, false, &rest).await.unwrap(), OrderStatus::Shipped);
        assert_eq!(level(&db, wh, t2).await, (1_000, 0));
        // A return brings one back into stock; not more than was shipped.
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        let back = ShipmentInput { lines: vec![(terminals, "1".into())], note: "外壳破损".into() };
        assert_eq!(orders::ship(&db, &o.alice, id, d.order.version, true, &back).await.unwrap(), OrderStatus::Shipped);
        assert_eq!(level(&db, wh, t2).await, (2_000, 0));
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        assert_eq!((d.lines[1].shipped_milli, d.lines[1].returned_milli), (4_000, 1_000));
        assert_eq!(d.shipments.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>(), ["return", "ship", "ship"]);
        let too_many = ShipmentInput { lines: vec![(terminals, "4".into())], note: String::new() };
        assert_eq!(
            fields(&orders::ship(&db, &o.alice, id, d.order.version, true, &too_many).await.unwrap_err()),
            ["lines.0.qty:order.return_too_much"]
        );

        // A second order past the credit limit waits for the manager; Alice cannot approve it.
        inventory::post_move(&db, &o.admin, &stock_in(wh, t2, "20")).await.unwrap();
        let big = orders::create(&db, &o.alice, &order_input(c, wh, &[(t2, "10")])).await.unwrap();
        let v = orders::get(&db, &o.alice, big).await.unwrap().order.version;
        assert_eq!(orders::step(&db, &o.alice, big, v, OrderStep::Confirm, "").await.unwrap(), OrderStatus::Pending);
        assert_eq!(level(&db, wh, t2).await.1, 0, "nothing reserved while waiting");
        let d = orders::get(&db, &o.manager, big).await.unwrap();
        assert!(matches!(d.credit, Credit::Over { block: true, .. }), "{:?}", d.credit);
        assert!(d.can_approve);
        assert_eq!(orders::step(&db, &o.alice, big, v + 1, OrderStep::Approve, "").await.unwrap_err(), AppError::Forbidden);
        assert_eq!(
            fields(&orders::step(&db, &o.manager, big, v + 1, OrderStep::Reject, "").await.unwrap_err()),
            ["note:validation.required"]
        );
        assert_eq!(orders::step(&db, &o.manager, big, v + 1, OrderStep::Approve, "老客户，同意").await.unwrap(), OrderStatus::Confirmed);
        assert_eq!(level(&db, wh, t2).await, (22_000, 10_000));
        // Cancelling releases the reservation.
        let v = orders::get(&db, &o.alice, big).await.unwrap().order.version;
        assert_eq!(orders::step(&db, &o.alice, big, v, OrderStep::Cancel, "").await.unwrap(), OrderStatus::Cancelled);
        assert_eq!(level(&db, wh, t2).await, (22_000, 0));
        assert_eq!(orders::step(&db, &o.alice, big, v, OrderStep::Confirm, "").await.unwrap_err(), AppError::Conflict);

        let mut tx = db.read().await.unwrap();
        let audited = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'order'").fetch_i64(&mut tx).await.unwrap();
        // create ×2, update, confirm ×2, ship ×3 (incl. return), approve, cancel.
        assert_eq!(audited, 10);
    })
    .await;
}

#[tokio::test]
async fn two_orders_racing_for_the_last_unit_cannot_both_have_it() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let wh = head_office(&db).await;
        let t2 = product(&db, &o.admin, "收银终端 T2", "3680", "product").await;
        inventory::post_move(&db, &o.admin, &stock_in(wh, t2, "1")).await.unwrap();
        let mut ids = Vec::new();
        for (who, name) in [(&o.alice, "甲公司"), (&o.bob, "乙公司")] {
            let c = customer(&db, &o.admin, name, Some(who.id)).await;
            let id = orders::create(&db, who, &order_input(c, wh, &[(t2, "1")])).await.unwrap();
            let v = orders::get(&db, who, id).await.unwrap().order.version;
            ids.push((who.clone(), id, v));
        }
        for _ in 0..3 {
            let tasks: Vec<_> = ids
                .iter()
                .cloned()
                .map(|(who, id, v)| {
                    let db = db.clone();
                    tokio::spawn(async move { orders::step(&db, &who, id, v, OrderStep::Confirm, "").await })
                })
                .collect();
            let mut results = Vec::new();
            for t in tasks {
                results.push(t.await.unwrap());
            }
            let won = results.iter().filter(|r| r.is_ok()).count();
            let lost: Vec<Vec<String>> = results.iter().filter_map(|r| r.as_ref().err()).map(fields).collect();
            assert_eq!((won, lost), (1, vec![vec!["lines.0.qty:order.short".to_string()]]));
            assert_eq!(level(&db, wh, t2).await, (1_000, 1_000));
            // Put it back for the next round: cancel the winner.
            for (who, id, v) in ids.iter_mut() {
                let d = orders::get(&db, who, *id).await.unwrap();
                if d.order.status == "confirmed" {
                    orders::step(&db, who, *id, d.order.version, OrderStep::Cancel, "").await.unwrap();
                    // A cancelled order stays cancelled: make a fresh one for the next round.
                    let fresh = orders::create(&db, who, &OrderInput { ..d.to_input() }).await.unwrap();
                    *id = fresh;
                    *v = orders::get(&db, who, fresh).await.unwrap().order.version;
                } else {
                    *v = d.order.version;
                }
            }
            assert_eq!(level(&db, wh, t2).await, (1_000, 0));
        }
    })
    .await;
}

#[tokio::test]
async fn an_agreed_quote_becomes_an_order_at_its_prices() {
    on_both_databases(|db| async move {
        use app::quotes::service as quotes;
        use app::quotes::types::QuoteStep;
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "南京明德商贸有限公司", Some(o.alice.id)).await;
        let t2 = product(&db, &o.admin, "收银终端 T2", "3680", "product").await;
        let input = QuoteInput {
            customer_id: Some(c),
            quote_date: "2026-11-30".into(),
            currency: "CNY".into(),
            lines: vec![LineInput {
                product_id: Some(t2),
                name: "x".into(),
                qty: "2".into(),
                unit_price: "3500".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let q = quotes::create(&db, &o.alice, &input).await.unwrap();
        // A draft quote is not agreed yet.
        assert_eq!(fields(&orders::from_quote(&db, &o.alice, q).await.unwrap_err()), ["quote_id:order.quote_not_agreed"]);
        let v = quotes::get(&db, &o.alice, q).await.unwrap().quote.version;
        quotes::step(&db, &o.alice, q, v, QuoteStep::Submit, "").await.unwrap();
        let id = orders::from_quote(&db, &o.alice, q).await.unwrap();
        let d = orders::get(&db, &o.alice, id).await.unwrap();
        let qd = quotes::get(&db, &o.alice, q).await.unwrap();
        assert_eq!((d.order.quote_id, d.order.total, d.order.status.as_str()), (Some(q), qd.quote.total, "draft"));
        assert_eq!((d.lines[0].unit_price, d.lines[0].qty_milli, d.lines[0].stocked), (350_000, 2_000, true));
        assert_eq!(qd.quote.status, "accepted", "the customer ordered");
        // Bob cannot turn Alice's quote into his order.
        assert_eq!(orders::from_quote(&db, &o.bob, q).await.unwrap_err(), AppError::NotFound);
    })
    .await;
}
