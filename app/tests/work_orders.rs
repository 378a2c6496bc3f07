//! Work orders and dispatch on SQLite and PostgreSQL: lines priced with the customer's
//! price policy, the customer's confirmation of charges before dispatch (asked again when
//! the charges change), double-booking refused with the booking in the way, moves that
//! do not clash with themselves, the engineer's planned visit, data scope for every role,
//! optimistic locking, cancellation and the audit trail.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::{PricePolicyInput, ProductInput};
use app::fieldwork::service as work;
use app::fieldwork::types::*;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::tickets::service as desk;
use app::tickets::types::ServiceInput;
use common::*;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

async fn product(db: &Db, admin: &app::platform::authz::CurrentUser, name: &str, price: &str, kind: &str) -> i64 {
    let p = ProductInput {
        name: name.into(),
        list_price: price.into(),
        tax_rate: "13".into(),
        unit: "次".into(),
        kind: kind.into(),
        ..Default::default()
    };
    catalog::create_product(db, admin, &p).await.unwrap()
}

fn order(request_id: i64, chargeable: bool, items: &[(i64, &str)]) -> WorkOrderInput {
    WorkOrderInput {
        request_id,
        skill: "数控机床".into(),
        address: String::new(),
        instructions: "带上万用表".into(),
        chargeable,
        items: items.iter().map(|(p, q)| WorkItemInput { product_id: Some(*p), qty: q.to_string() }).collect(),
    }
}

fn at(day: &str, hm: &str, minutes: i64, engineer: i64) -> DispatchInput {
    DispatchInput { engineer_id: Some(engineer), start: format!("{day}T{hm}"), minutes: minutes.to_string() }
}

/// Planned visits in the engineer's plan linked to a work order: (owner, occurred_at).
async fn visits(db: &Db, work_order: i64) -> Vec<(i64, i64)> {
    let mut tx = db.read().await.unwrap();
    sql("SELECT a.owner_id, a.occurred_at FROM activities a JOIN activity_links l ON l.activity_id = a.id \
         WHERE l.entity = 'work_order' AND l.entity_id = $1 AND a.status = 'planned' AND a.deleted_at IS NULL ORDER BY a.id")
    .arg_i64(work_order)
    .fetch_all(&mut tx)
    .await
    .unwrap()
}

#[tokio::test]
async fn work_orders_are_priced_confirmed_and_dispatched_without_double_booking() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut ci = customer_input("苏州精工模具有限公司");
        ci.owner_id = Some(o.alice.id);
        ci.address = "苏州市工业园区星湖街 88 号".into();
        let c = app::customers::service::create_customer(&db, &o.admin, &ci).await.unwrap();
        let visit = product(&db, &o.admin, "上门维修服务", "300", "service").await;
        let part = product(&db, &o.admin, "主轴轴承", "1250.50", "product").await;
        // The customer's price policy: 10 % off the visit.
        let policy = PricePolicyInput {
            name: "老客户九折".into(),
            target: "customer".into(),
            customer_id: Some(c),
            discount: "10".into(),
            active: true,
            ..Default::default()
        };
        catalog::save_policy(&db, &o.admin, visit, None, &policy).await.unwrap();
        let sr = repair_request(&db, &o.agent, c).await;

        // Bad input is named line by line; nothing is saved.
        let bad = WorkOrderInput { items: vec![WorkItemInput { product_id: None, qty: "x".into() }], ..order(sr, true, &[]) };
        assert_eq!(fields(&work::create(&db, &o.agent, &bad).await.unwrap_err()), ["items.0.product_id:validation.required"]);
        let unknown = order(sr, false, &[(999_999, "1")]);
        assert_eq!(fields(&work::create(&db, &o.agent, &unknown).await.unwrap_err()), ["items.0.product_id:validation.invalid_choice"]);
        // Salespeople and engineers do not raise work orders.
        assert_eq!(work::create(&db, &o.alice, &order(sr, false, &[])).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(work::create(&db, &o.engineer, &order(sr, false, &[])).await.unwrap_err(), AppError::Forbidden);

        // Priced for the customer: 2 visits at 270.00 and 1 bearing at 1250.50.
        let id = work::create(&db, &o.agent, &order(sr, true, &[(visit, "2"), (part, "1")])).await.unwrap();
        let d = work::get(&db, &o.agent, id).await.unwrap();
        let w = d.order.clone();
        assert!(w.number.starts_with("WO"), "{}", w.number);
        assert_eq!((w.status.as_str(), w.currency.as_str(), w.total), ("new", "CNY", 2 * 27_000 + 125_050));
        assert_eq!(w.address, "苏州市工业园区星湖街 88 号", "the customer's address by default");
        let lines: Vec<(String, i64, i64, i64)> =
            d.items.iter().map(|i| (i.description.clone(), i.qty_milli, i.unit_price, i.amount)).collect();
        assert_eq!(lines, [("上门维修服务".into(), 2000, 27_000, 54_000), ("主轴轴承".into(), 1000, 125_050, 125_050)]);
        assert!(w.needs_confirmation());
        assert_eq!(work::for_request(&db, &o.agent, sr).await.unwrap().len(), 1);

        // Engineers: the role makes one; a profile adds skills and region.
        let board = work::board(&db, &o.agent, "2030-03-04").await.unwrap();
        let e = board.engineers.iter().find(|e| e.engineer.user_id == o.engineer.id).expect("the field engineer is on the board");
        assert_eq!(e.engineer.version, 0);
        work::save_engineer(&db, &o.agent, o.engineer.id, 0, &EngineerInput { skills: "数控机床，电气".into(), region: "苏州".into() })
            .await
            .unwrap();
        assert_eq!(
            work::save_engineer(&db, &o.agent, o.engineer.id, 0, &EngineerInput::default()).await.unwrap_err(),
            AppError::Conflict,
            "adding twice"
        );
        let second = user(&db, "engineer2", Some(o.service_dept), "field_engineer").await;
        work::save_engineer(&db, &o.agent, o.bob.id, 0, &EngineerInput { skills: "电气".into(), region: "上海".into() }).await.unwrap();
        assert_eq!(work::save_engineer(&db, &o.alice, o.bob.id, 1, &EngineerInput::default()).await.unwrap_err(), AppError::Forbidden);
        let board = work::board(&db, &o.agent, "2030-03-04").await.unwrap();
        let names: Vec<(i64, String, String)> =
            board.engineers.iter().map(|e| (e.engineer.user_id, e.engineer.skills.clone(), e.engineer.region.clone())).collect();
        assert!(names.contains(&(o.engineer.id, "数控机床, 电气".into(), "苏州".into())), "{names:?}");
        assert!(names.contains(&(o.bob.id, "电气".into(), "上海".into())));
        assert!(names.iter().any(|n| n.0 == second.id));
        assert_eq!(board.waiting.iter().map(|w| w.id).collect::<Vec<_>>(), [id]);
        assert!(board.users.iter().all(|(u, _)| *u != o.engineer.id && *u != o.bob.id));

        // Chargeable work waits for the customer's agreement.
        let day = "2030-03-04";
        assert_eq!(
            fields(&work::dispatch(&db, &o.agent, id, w.version, &at(day, "09:00", 120, o.engineer.id)).await.unwrap_err()),
            ["engineer_id:work.confirm_first"]
        );
        assert_eq!(
            fields(&work::confirm(&db, &o.agent, id, w.version, &ConfirmInput { by: " ".into(), via: "phone".into() }).await.unwrap_err()),
            ["by:validation.required"]
        );
        work::confirm(&db, &o.agent, id, w.version, &ConfirmInput { by: "王经理".into(), via: "phone".into() }).await.unwrap();
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!((w.confirmed_by.as_deref(), w.confirmed_via.as_deref(), w.needs_confirmation()), (Some("王经理"), Some("phone"), false));
        // Changing the charges asks again; the same charges keep the agreement.
        work::update(&db, &o.agent, id, w.version, &order(sr, true, &[(visit, "2"), (part, "1")])).await.unwrap();
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert!(!w.needs_confirmation());
        work::update(&db, &o.agent, id, w.version, &order(sr, true, &[(visit, "1"), (part, "1")])).await.unwrap();
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!((w.total, w.needs_confirmation()), (27_000 + 125_050, true));
        assert_eq!(
            work::update(&db, &o.agent, id, w.version - 1, &order(sr, true, &[(visit, "1")])).await.unwrap_err(),
            AppError::Conflict
        );
        work::confirm(&db, &o.agent, id, w.version, &ConfirmInput { by: "王经理".into(), via: "signature".into() }).await.unwrap();
        let w = work::get(&db, &o.agent, id).await.unwrap().order;

        // Dispatch: 09:00–11:00, and the engineer finds the visit in their plan.
        assert_eq!(
            fields(&work::dispatch(&db, &o.agent, id, w.version, &at(day, "09:00", 5, o.engineer.id)).await.unwrap_err()),
            ["minutes:work.minutes_range"]
        );
        assert_eq!(
            fields(&work::dispatch(&db, &o.agent, id, w.version, &at(day, "09:00", 60, o.alice.id)).await.unwrap_err()),
            ["engineer_id:validation.invalid_choice"],
            "not an engineer"
        );
        assert_eq!(
            work::dispatch(&db, &o.engineer, id, w.version, &at(day, "09:00", 60, o.engineer.id)).await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(work::dispatch(&db, &o.agent, id, w.version, &at(day, "09:00", 120, o.engineer.id)).await.unwrap(), None);
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!((w.status.as_str(), w.owner_id, w.department_id), ("dispatched", Some(o.engineer.id), Some(o.service_dept)));
        let start = w.planned_start.unwrap();
        assert_eq!(w.planned_end.unwrap() - start, 120 * 60_000);
        assert_eq!(visits(&db, id).await, [(o.engineer.id, start)]);

        // A second job for the same engineer overlapping 10:30–11:30 is refused, naming the first.
        let other = work::create(&db, &o.agent, &order(sr, false, &[])).await.unwrap();
        let ov = work::get(&db, &o.agent, other).await.unwrap().order;
        let clash = work::dispatch(&db, &o.agent, other, ov.version, &at(day, "10:30", 60, o.engineer.id)).await.unwrap().expect("a clash");
        assert_eq!((clash.work_order_id, clash.number.as_str(), clash.start), (id, w.number.as_str(), start));
        assert_eq!(work::get(&db, &o.agent, other).await.unwrap().order.status, "new", "nothing saved");
        // Back to back is fine, and so is another engineer at the same time.
        assert_eq!(work::dispatch(&db, &o.agent, other, ov.version, &at(day, "11:00", 60, o.engineer.id)).await.unwrap(), None);
        let ov = work::get(&db, &o.agent, other).await.unwrap().order;
        // Moving the first job within its own span does not clash with itself, but into
        // the second one's does.
        assert_eq!(work::dispatch(&db, &o.agent, id, w.version, &at(day, "09:30", 90, o.engineer.id)).await.unwrap(), None);
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!(visits(&db, id).await.len(), 1, "the earlier planned visit is replaced");
        let clash = work::dispatch(&db, &o.agent, id, w.version, &at(day, "10:00", 90, o.engineer.id)).await.unwrap().unwrap();
        assert_eq!(clash.work_order_id, other);
        // Moving the second job to the other engineer frees the slot.
        assert_eq!(work::dispatch(&db, &o.agent, other, ov.version, &at(day, "10:00", 90, second.id)).await.unwrap(), None);
        assert_eq!(work::dispatch(&db, &o.agent, id, w.version, &at(day, "10:00", 90, o.engineer.id)).await.unwrap(), None);
        let board = work::board(&db, &o.agent, day).await.unwrap();
        let row = |u: i64| {
            board.engineers.iter().find(|e| e.engineer.user_id == u).unwrap().bookings.iter().map(|b| b.work_order_id).collect::<Vec<_>>()
        };
        assert_eq!((row(o.engineer.id), row(second.id), row(o.bob.id)), (vec![id], vec![other], vec![]));
        assert!(board.waiting.is_empty());

        // Scope: the engineer sees their own work order only; the board shows other
        // people's bookings without their details.
        assert_eq!(work::get(&db, &o.engineer, id).await.unwrap().order.id, id);
        assert_eq!(work::get(&db, &o.engineer, other).await.unwrap_err(), AppError::NotFound);
        let eb = work::board(&db, &o.engineer, day).await.unwrap();
        let hidden = eb.engineers.iter().find(|e| e.engineer.user_id == second.id).unwrap().bookings.clone();
        assert_eq!(hidden.len(), 1);
        assert_eq!((hidden[0].work_order_id, hidden[0].number.as_str(), hidden[0].customer_name.as_str()), (0, "", ""));
        assert!(!eb.can_dispatch && eb.users.is_empty());
        assert_eq!(work::get(&db, &o.alice, id).await.unwrap_err(), AppError::Forbidden);
        assert!(work::for_request(&db, &o.alice, sr).await.unwrap().is_empty(), "salespeople do not see work orders");
        // The manager's department tree does not hold the service department.
        assert_eq!(work::get(&db, &o.manager, id).await.unwrap_err(), AppError::NotFound);

        // Cancelling frees the engineer and removes the planned visit.
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!(fields(&work::cancel(&db, &o.agent, id, w.version, " ").await.unwrap_err()), ["reason:validation.required"]);
        work::cancel(&db, &o.agent, id, w.version, "客户自行修复").await.unwrap();
        assert!(visits(&db, id).await.is_empty());
        let w = work::get(&db, &o.agent, id).await.unwrap().order;
        assert_eq!((w.status.as_str(), w.cancel_reason.as_deref()), ("cancelled", Some("客户自行修复")));
        assert_eq!(
            fields(&work::dispatch(&db, &o.agent, id, w.version, &at(day, "14:00", 60, o.engineer.id)).await.unwrap_err()),
            ["engineer_id:work.not_editable"]
        );
        let ov = work::get(&db, &o.agent, other).await.unwrap().order;
        assert_eq!(work::dispatch(&db, &o.agent, other, ov.version, &at(day, "10:00", 90, o.engineer.id)).await.unwrap(), None);

        // Every change is in the audit log.
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'work_order' AND entity_id = $1")
            .arg_i64(id)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert!(n >= 8, "{n} audit rows");
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'engineer_profile'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 2);
    })
    .await;
}

#[tokio::test]
async fn work_orders_need_an_open_request_the_user_can_see() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "杭州远景环保设备有限公司", Some(o.alice.id)).await;
        let sr = desk::create(
            &db,
            &o.agent,
            &ServiceInput {
                customer_id: Some(c),
                kind: "installation".into(),
                channel: "phone".into(),
                priority: "normal".into(),
                subject: "新设备安装".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            fields(&work::create(&db, &o.agent, &order(999_999, false, &[])).await.unwrap_err()),
            ["request_id:validation.invalid_choice"]
        );
        let r = desk::get(&db, &o.agent, sr).await.unwrap().request;
        desk::set_status(&db, &o.agent, sr, r.version, "cancelled", "").await.unwrap();
        assert_eq!(fields(&work::create(&db, &o.agent, &order(sr, false, &[])).await.unwrap_err()), ["request_id:work.request_not_open"]);
        assert_eq!(fields(&work::create(&db, &o.agent, &order(sr, true, &[])).await.unwrap_err()), ["items:work.chargeable_needs_items"]);
        // A day that is not a date.
        assert_eq!(fields(&work::board(&db, &o.agent, "03/04").await.unwrap_err()), ["day:validation.date"]);
    })
    .await;
}
