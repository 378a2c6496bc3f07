//! Service billing (V6) on SQLite and PostgreSQL: a completed, chargeable work order is
//! billed from its agreed items, the parts used on site and the engineer's labour, with
//! the customer's price policy (discount) applied; posting puts one receivable in the
//! customer's account manager's receivables, which takes payments like any contract and
//! cannot be edited by hand; it is refused before completion, for free-of-charge work,
//! twice, on a stale version and for people without the right; a cancelled bill can be
//! posted again; everything is audited.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::{PricePolicyInput, ProductInput};
use app::contracts::service as contracts;
use app::contracts::types::{PaymentInput, ReceivableFilter};
use app::customers::service as customers;
use app::fieldwork::billing;
use app::fieldwork::field::*;
use app::fieldwork::service as work;
use app::fieldwork::site;
use app::fieldwork::types::*;
use app::platform::authz::CurrentUser;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::portal::service as portal;
use common::*;

fn codes(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

fn today() -> String {
    let (y, m, d) = app::platform::time::local_today();
    format!("{y:04}-{m:02}-{d:02}")
}

async fn product(db: &Db, admin: &CurrentUser, name: &str, price: &str, kind: &str, unit: &str) -> i64 {
    let p = ProductInput {
        name: name.into(),
        list_price: price.into(),
        tax_rate: "6".into(),
        unit: unit.into(),
        kind: kind.into(),
        ..Default::default()
    };
    catalog::create_product(db, admin, &p).await.unwrap()
}

struct Job {
    id: i64,
    customer: i64,
    part: i64,
    labour: i64,
}

/// A chargeable repair for an A-level customer of alice's, with an agreed service item,
/// done on site by the engineer: two bearings from stock and 90 minutes of labour.
async fn job(db: &Db, o: &Org, chargeable: bool) -> Job {
    let dir = tempdir();
    let mut ci = customer_input("无锡华光机床有限公司");
    ci.level = "A".into();
    ci.owner_id = Some(o.alice.id);
    let customer = customers::create_customer(db, &o.admin, &ci).await.unwrap();
    let visit = product(db, &o.admin, "上门检修", "800", "service", "次").await;
    let part = product(db, &o.admin, "主轴轴承", "1250", "product", "个").await;
    let labour = product(db, &o.admin, "现场维修工时", "200", "service", "小时").await;
    // A-level customers get 10 % off parts.
    let policy = PricePolicyInput {
        name: "A 级客户九折".into(),
        target: "level".into(),
        target_value: "A".into(),
        discount: "10".into(),
        ..Default::default()
    };
    catalog::save_policy(db, &o.manager, part, None, &policy).await.unwrap();
    let warehouse = stock_in(db, &o.admin, part, "5").await;
    let request = repair_request(db, &o.agent, customer).await;
    let input = WorkOrderInput {
        request_id: request,
        address: "无锡市新吴区长江路 7 号".into(),
        chargeable,
        items: if chargeable { vec![WorkItemInput { product_id: Some(visit), qty: "1".into() }] } else { Vec::new() },
        ..Default::default()
    };
    let id = work::create(db, &o.agent, &input).await.unwrap();
    if chargeable {
        let v = work::get(db, &o.agent, id).await.unwrap().order.version;
        work::confirm(db, &o.agent, id, v, &ConfirmInput { by: "王主任".into(), via: "phone".into() }).await.unwrap();
    }
    let v = work::get(db, &o.agent, id).await.unwrap().order.version;
    let at = DispatchInput { engineer_id: Some(o.engineer.id), start: format!("{}T09:00", today()), minutes: "120".into() };
    assert_eq!(work::dispatch(db, &o.agent, id, v, &at).await.unwrap(), None);
    let now = app::platform::time::now_ms();
    let ops = [
        FieldOp::CheckIn,
        FieldOp::Part { product_id: part, warehouse_id: warehouse, qty_milli: 1000 },
        FieldOp::Part { product_id: part, warehouse_id: warehouse, qty_milli: 1000 },
        FieldOp::Labour { minutes: 90 },
    ];
    for (n, op) in ops.into_iter().enumerate() {
        let c = FieldChange { key: format!("{id}-{n}"), work_order_id: id, at: now, op };
        assert!(site::sync(db, &o.engineer, &c, &dir).await.unwrap().applied());
    }
    // Not billable before the work is done.
    let e = billing::draft(db, &o.agent, id, None).await.unwrap_err();
    assert_eq!(codes(&e), ["lines:work.bill_not_completed"]);
    let done =
        FieldChange { key: format!("{id}-done"), work_order_id: id, at: now, op: FieldOp::Complete { resolution: "更换轴承".into() } };
    assert!(site::sync(db, &o.engineer, &done, &dir).await.unwrap().applied());
    Job { id, customer, part, labour }
}

fn terms(labour: Option<i64>, days: &str) -> BillInput {
    BillInput { labour_product_id: labour, due_days: days.into(), note: "月结".into() }
}

#[tokio::test]
async fn a_completed_job_is_billed_once_with_the_customers_discount() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let j = job(&db, &o, true).await;

        // The draft: the agreed visit, the two bearings as one line at the A-level price,
        // no labour until a labour product is chosen.
        let d = billing::draft(&db, &o.agent, j.id, None).await.unwrap();
        let lines = |d: &BillDraft| d.lines.iter().map(|l| (l.kind.clone(), l.qty_milli, l.unit_price, l.amount)).collect::<Vec<_>>();
        assert_eq!(lines(&d), [("item".into(), 1000, 80_000, 80_000), ("part".into(), 2000, 112_500, 225_000)]);
        assert_eq!((d.total, d.discount, d.labour_minutes, d.labour_product_id), (305_000, 25_000, Some(90), None));
        assert!(d.labour_products.iter().any(|p| p.id == j.labour));
        assert!(!d.labour_products.iter().any(|p| p.id == j.part), "parts are not labour");
        // 90 minutes are 1.5 hours of labour at list price.
        let d = billing::draft(&db, &o.agent, j.id, Some(j.labour)).await.unwrap();
        assert_eq!(lines(&d)[2], ("labour".into(), 1500, 20_000, 30_000));
        assert_eq!(d.total, 335_000);

        // Who may not bill: the engineer (sees his own work orders only), a salesperson.
        let v = work::get(&db, &o.agent, j.id).await.unwrap().order.version;
        for who in [&o.engineer, &o.alice] {
            let e = billing::post(&db, who, j.id, v, &terms(Some(j.labour), "30")).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden | AppError::NotFound), "{}: {e:?}", who.username);
        }
        // Bad terms are refused next to the field; a stale version is a conflict.
        let e = billing::post(&db, &o.agent, j.id, v, &terms(Some(j.labour), "400")).await.unwrap_err();
        assert_eq!(codes(&e), ["due_days:work.bill_due_days"]);
        let e = billing::post(&db, &o.agent, j.id, v, &terms(Some(j.part), "30")).await.unwrap_err();
        assert_eq!(codes(&e), ["labour_product_id:validation.invalid_choice"]);
        assert!(matches!(billing::post(&db, &o.agent, j.id, v - 1, &terms(None, "30")).await, Err(AppError::Conflict)));

        let k = billing::post(&db, &o.agent, j.id, v, &terms(Some(j.labour), "30")).await.unwrap();
        // Twice is refused, at the old version as a conflict, at the new one by the rule.
        assert!(matches!(billing::post(&db, &o.agent, j.id, v, &terms(None, "30")).await, Err(AppError::Conflict)));
        let detail = work::get(&db, &o.agent, j.id).await.unwrap();
        let e = billing::post(&db, &o.agent, j.id, detail.order.version, &terms(None, "30")).await.unwrap_err();
        assert_eq!(codes(&e), ["lines:work.bill_exists"]);
        let bill = detail.bill.clone().unwrap();
        assert_eq!((bill.contract_id, bill.amount, bill.paid, bill.status.as_str()), (k, 335_000, 0, "active"));
        assert!(!detail.can_bill);
        assert!(!detail.can_open_bill, "the service desk has no receivables");
        assert!(work::get(&db, &o.admin, j.id).await.unwrap().can_open_bill);
        // The next bill offers the same labour product.
        assert_eq!(billing::draft(&db, &o.agent, j.id, None).await.unwrap().labour_product_id, Some(j.labour));

        // The receivable is alice's, the customer's account manager: one instalment due
        // in 30 days, the lines as drafted, not editable by hand.
        let c = contracts::get(&db, &o.alice, k).await.unwrap();
        assert_eq!((c.contract.kind.as_str(), c.contract.work_order_id, c.contract.owner_id), ("service", Some(j.id), Some(o.alice.id)));
        assert_eq!((c.contract.amount, c.contract.currency.as_str()), (335_000, "CNY"));
        assert_eq!(c.plan.len(), 1);
        assert!(c.plan[0].due_on > today());
        assert_eq!(c.bill_lines.iter().map(|l| l.kind.as_str()).collect::<Vec<_>>(), ["item", "part", "labour"]);
        assert_eq!(c.bill_lines[1].list_price, 125_000);
        let e = contracts::update(&db, &o.alice, k, c.contract.version, &c.to_input()).await.unwrap_err();
        assert_eq!(codes(&e), ["amount:contract.service_bill_fixed"]);
        assert!(contracts::get(&db, &o.bob, k).await.is_err(), "another salesperson's customer");
        let r =
            contracts::receivables(&db, &o.alice, &ReceivableFilter { customer_id: Some(j.customer), ..Default::default() }).await.unwrap();
        assert_eq!(r.rows.iter().map(|r| (r.outstanding, r.overdue)).collect::<Vec<_>>(), [(335_000, 0)]);

        // Cancelled, it can be billed again (without labour this time); the new bill is paid.
        contracts::terminate(&db, &o.alice, k, c.contract.version, "工时计算有误").await.unwrap();
        let detail = work::get(&db, &o.agent, j.id).await.unwrap();
        assert_eq!(detail.bill.as_ref().map(|b| b.status.as_str()), Some("terminated"));
        assert!(detail.can_bill);
        let k2 = billing::post(&db, &o.agent, j.id, detail.order.version, &terms(None, "0")).await.unwrap();
        assert_ne!(k2, k);
        let c2 = contracts::get(&db, &o.alice, k2).await.unwrap();
        assert_eq!((c2.contract.amount, c2.plan[0].due_on.clone()), (305_000, today()));
        let pay = PaymentInput {
            instalment_id: Some(c2.plan[0].id),
            amount: "3050".into(),
            received_on: today(),
            method: "wechat".into(),
            ..Default::default()
        };
        contracts::record_payment(&db, &o.alice, k2, c2.contract.version, &pay).await.unwrap();
        let bill = work::get(&db, &o.agent, j.id).await.unwrap().bill.unwrap();
        assert_eq!((bill.contract_id, bill.paid, bill.amount), (k2, 305_000, 305_000));

        // The parts were taken from stock once, whatever billing did.
        let mut tx = db.read().await.unwrap();
        let on_hand = sql("SELECT on_hand_milli FROM stock_levels WHERE product_id = $1").arg_i64(j.part).fetch_i64(&mut tx).await.unwrap();
        assert_eq!(on_hand, 3000);
        let audited =
            sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'contract' AND action = 'create' AND summary LIKE '%service bill%'")
                .fetch_i64(&mut tx)
                .await
                .unwrap();
        assert_eq!(audited, 2);
    })
    .await;
}

#[tokio::test]
async fn free_of_charge_work_is_not_billed() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let j = job(&db, &o, false).await;
        let d = work::get(&db, &o.agent, j.id).await.unwrap();
        assert!(!d.can_bill && d.bill.is_none());
        let e = billing::post(&db, &o.agent, j.id, d.order.version, &terms(Some(j.labour), "30")).await.unwrap_err();
        assert_eq!(codes(&e), ["lines:work.bill_not_chargeable"]);
        let mut tx = db.read().await.unwrap();
        assert_eq!(sql("SELECT COUNT(*) FROM contracts WHERE kind = 'service'").fetch_i64(&mut tx).await.unwrap(), 0);
    })
    .await;
}

async fn portal_user(db: &Db, login: &str) -> portal::PortalUser {
    let token = portal::login(db, login, "portal-pass-2026", &Default::default()).await.unwrap();
    portal::resolve(db, &token).await.unwrap().unwrap()
}

/// The printed bill: what the customer is charged and why, in their language, for
/// whoever may see the receivable, audited.
#[tokio::test]
async fn a_posted_bill_prints_for_the_customer() {
    use app::platform::i18n::Locale;
    use app::platform::request::RequestMeta;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let j = job(&db, &o, true).await;
        let v = work::get(&db, &o.agent, j.id).await.unwrap().order.version;
        let k = billing::post(&db, &o.agent, j.id, v, &terms(Some(j.labour), "30")).await.unwrap();
        let meta = RequestMeta::default();

        let d = billing::print(&db, &o.alice, k, Locale::ZhCn, &meta).await.unwrap();
        assert_eq!(d.title, "服务结算单");
        assert!(d.number.starts_with("SB"), "{}", d.number);
        assert_eq!(d.party.first().map(String::as_str), Some("无锡华光机床有限公司"));
        let kinds: Vec<_> = d.rows.iter().map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str(), r[6].as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("上门检修", "服务", "1 次", "800.00"),
                ("主轴轴承", "用料", "2 个", "2,250.00"),
                ("现场维修工时", "工时", "1.5 小时", "300.00")
            ]
        );
        let totals: Vec<_> = d.totals.iter().map(|f| (f.label.as_str(), f.value.as_str())).collect();
        assert_eq!(totals, [("标准价合计", "3,600.00"), ("客户优惠", "-250.00"), ("合计", "CNY 3,350.00")]);
        assert_eq!(d.amount_words.as_ref().map(|f| f.value.as_str()), Some("叁仟叁佰伍拾元整"));
        assert!(d.meta.iter().any(|f| f.label == "工程师"));
        assert!(d.sections.iter().any(|f| f.value == "更换轴承"), "the work done");
        assert_eq!(d.stamp, None);
        let en = billing::print(&db, &o.admin, k, Locale::En, &meta).await.unwrap();
        assert_eq!((en.title.as_str(), en.amount_words.is_none()), ("Service bill", true));

        // Another salesperson cannot see the receivable, so cannot print it; neither can
        // the engineer (no receivables).
        for who in [&o.bob, &o.engineer] {
            let e = billing::print(&db, who, k, Locale::ZhCn, &meta).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden | AppError::NotFound), "{}: {e:?}", who.username);
        }
        let mut tx = db.read().await.unwrap();
        let printed = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'contract' AND action = 'export' AND entity_id = $1")
            .arg_i64(k)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(printed, 2);
        drop(tx);

        // The customer finds the bill on their request in the portal and prints it; a
        // login of another customer finds neither.
        let request = work::get(&db, &o.agent, j.id).await.unwrap().order.request_id;
        let login = |name: &str| app::portal::types::PortalLoginInput {
            contact_id: None,
            display_name: "王芳".into(),
            login: name.into(),
            password: "portal-pass-2026".into(),
        };
        portal::create_login(&db, &o.alice, j.customer, &login("wang.fang@huaguang.cn")).await.unwrap();
        let other = customers::create_customer(&db, &o.admin, &customer_input("苏州精工模具有限公司")).await.unwrap();
        portal::create_login(&db, &o.admin, other, &login("li@jinggong.cn")).await.unwrap();
        let mine = portal_user(&db, "wang.fang@huaguang.cn").await;
        let r = portal::request(&db, &mine, request).await.unwrap();
        assert_eq!(r.bills.iter().map(|b| (b.contract_id, b.amount)).collect::<Vec<_>>(), [(k, 335_000)]);
        let d = portal::bill(&db, &mine, k, Locale::ZhCn, &meta).await.unwrap();
        assert_eq!((d.number.as_str(), d.rows.len()), (r.bills[0].number.as_str(), 3));
        assert!(d.footer.contains("王芳"));
        let theirs = portal_user(&db, "li@jinggong.cn").await;
        assert!(matches!(portal::bill(&db, &theirs, k, Locale::ZhCn, &meta).await, Err(AppError::NotFound)));
        assert!(matches!(portal::request(&db, &theirs, request).await, Err(AppError::NotFound)));
        let mut tx = db.read().await.unwrap();
        let by_portal =
            sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'contract' AND action = 'export' AND actor_name LIKE 'portal:%'")
                .fetch_i64(&mut tx)
                .await
                .unwrap();
        assert_eq!(by_portal, 1);
        drop(tx);

        // Part paid: what is still open; then cancelled: the stamp says so.
        let c = contracts::get(&db, &o.alice, k).await.unwrap();
        let pay = PaymentInput {
            instalment_id: Some(c.plan[0].id),
            amount: "1000".into(),
            received_on: today(),
            method: "wechat".into(),
            ..Default::default()
        };
        contracts::record_payment(&db, &o.alice, k, c.contract.version, &pay).await.unwrap();
        let d = billing::print(&db, &o.alice, k, Locale::ZhCn, &meta).await.unwrap();
        let totals: Vec<_> = d.totals.iter().skip(3).map(|f| (f.label.as_str(), f.value.as_str())).collect();
        assert_eq!(totals, [("已收", "1,000.00"), ("未回款", "2,350.00")]);
        let c = contracts::get(&db, &o.alice, k).await.unwrap();
        contracts::terminate(&db, &o.alice, k, c.contract.version, "重开").await.unwrap();
        let d = billing::print(&db, &o.alice, k, Locale::ZhTw, &meta).await.unwrap();
        assert_eq!((d.title.as_str(), d.stamp.as_deref()), ("服務結算單", Some("已作廢")));
    })
    .await;
}
