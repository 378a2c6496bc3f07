//! Contracts and collection on SQLite and PostgreSQL: contracts from a won opportunity
//! or an agreed quote, payment plans that add up, partial payments against instalments
//! that reconcile with the receivables report, voiding, invoices, credit use that
//! payments free again, overdue reminders, data scope and the audit trail.
mod common;
use app::contracts::service as contracts;
use app::contracts::service::Voidable;
use app::contracts::types::*;
use app::customers::service as customers;
use app::opportunities::service as opps;
use app::opportunities::types::OpportunityInput;
use app::orders::service as orders;
use app::orders::types::{Credit, OrderInput};
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

fn plan(rows: &[(&str, &str)]) -> Vec<InstalmentInput> {
    rows.iter().map(|(d, a)| InstalmentInput { due_on: d.to_string(), amount: a.to_string(), ..Default::default() }).collect()
}

fn pay(instalment: i64, amount: &str) -> PaymentInput {
    PaymentInput {
        instalment_id: Some(instalment),
        amount: amount.into(),
        received_on: "2026-11-20".into(),
        method: "bank".into(),
        reference: "工行 8812".into(),
        ..Default::default()
    }
}

/// What the payments ledger says was received per customer (voided payments excluded).
async fn ledger_total(db: &Db, customer: i64) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payments WHERE customer_id = $1 AND voided_at IS NULL")
        .arg_i64(customer)
        .fetch_i64(&mut tx)
        .await
        .unwrap()
}

async fn report_row(db: &Db, user: &app::platform::authz::CurrentUser, customer: i64) -> Option<Receivable> {
    let f = ReceivableFilter { customer_id: Some(customer), ..Default::default() };
    contracts::receivables(db, user, &f).await.unwrap().rows.into_iter().next()
}

fn order_for(customer: i64, warehouse: i64, price: &str) -> OrderInput {
    OrderInput {
        doc: QuoteInput {
            customer_id: Some(customer),
            title: "加购".into(),
            currency: "CNY".into(),
            lines: vec![LineInput {
                name: "实施服务".into(),
                unit: "项".into(),
                qty: "1".into(),
                unit_price: price.into(),
                tax_rate: "0".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
        warehouse_id: Some(warehouse),
        quote_id: None,
    }
}

#[tokio::test]
async fn a_contract_collects_partial_payments_that_reconcile_with_receivables() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut ci = customer_input("苏州恒远精密制造有限公司");
        ci.owner_id = Some(o.alice.id);
        ci.credit_limit = "100000".into();
        ci.credit_currency = "CNY".into();
        ci.credit_control = "block".into();
        let c = customers::create_customer(&db, &o.admin, &ci).await.unwrap();

        // A contract starts from a won opportunity only.
        let opp = OpportunityInput {
            name: "MES 二期".into(),
            customer_id: Some(c),
            amount: "120000".into(),
            currency: "CNY".into(),
            ..Default::default()
        };
        let opp = opps::create(&db, &o.alice, &opp).await.unwrap();
        assert_eq!(
            fields(&contracts::draft_from_opportunity(&db, &o.alice, opp).await.unwrap_err()),
            ["opportunity_id:contract.opportunity_not_won"]
        );
        {
            let mut tx = db.write().await.unwrap();
            sql("UPDATE opportunities SET status = 'won' WHERE id = $1").arg_i64(opp).execute(&mut tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        let draft = contracts::draft_from_opportunity(&db, &o.alice, opp).await.unwrap();
        assert_eq!((draft.input.amount.as_str(), draft.input.plan.len()), ("120000.00", 1));
        assert_eq!(draft.customer_name, "苏州恒远精密制造有限公司");

        // The plan must add up to the amount.
        let mut input = ContractInput {
            title: "MES 二期实施合同".into(),
            signed_on: "2026-01-05".into(),
            starts_on: "2026-01-05".into(),
            ends_on: "2099-12-31".into(),
            plan: plan(&[("2026-01-15", "40000"), ("2026-06-15", "40000"), ("2099-01-15", "39999")]),
            ..draft.input.clone()
        };
        assert_eq!(fields(&contracts::create(&db, &o.alice, &input).await.unwrap_err()), ["plan:contract.plan_sum"]);
        input.plan[2].amount = "40000".into();
        let id = contracts::create(&db, &o.alice, &input).await.unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(d.contract.number, "HT202601-0001");
        assert_eq!((d.contract.amount, d.contract.opportunity_id), (12_000_000, Some(opp)));
        // Two instalments are past due and nothing was paid: 80 000 overdue.
        assert_eq!(d.contract.overdue, 8_000_000);
        let (i1, i2, i3) = (d.plan[0].id, d.plan[1].id, d.plan[2].id);

        // Bob (same department, not his) cannot see it; the engineer may not use contracts.
        assert_eq!(contracts::get(&db, &o.bob, id).await.unwrap_err(), AppError::NotFound);
        assert_eq!(contracts::get(&db, &o.engineer, id).await.unwrap_err(), AppError::Forbidden);

        // A partial payment, one past what is open, then the rest of the first instalment.
        let v = d.contract.version;
        contracts::record_payment(&db, &o.alice, id, v, &pay(i1, "15000")).await.unwrap();
        assert_eq!(contracts::record_payment(&db, &o.alice, id, v, &pay(i1, "1")).await.unwrap_err(), AppError::Conflict);
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(
            fields(&contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(i1, "25000.01")).await.unwrap_err()),
            ["amount:contract.payment_too_much"]
        );
        contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(i1, "25000")).await.unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        let second = contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(i2, "10000")).await.unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(d.payments.len(), 3);
        assert_eq!(
            d.payments.iter().map(|p| p.number.as_str()).collect::<Vec<_>>(),
            ["PAY202611-00003", "PAY202611-00002", "PAY202611-00001"]
        );
        assert_eq!(d.plan.iter().map(|i| i.paid).collect::<Vec<_>>(), [4_000_000, 1_000_000, 0]);
        assert_eq!((d.contract.paid, d.contract.overdue), (5_000_000, 3_000_000));

        // The receivables report reconciles with the payments ledger.
        let r = report_row(&db, &o.alice, c).await.unwrap();
        assert_eq!((r.contracted, r.received, r.outstanding, r.overdue), (12_000_000, 5_000_000, 7_000_000, 3_000_000));
        assert_eq!(r.oldest_due.as_deref(), Some("2026-06-15"));
        assert_eq!(r.received, ledger_total(&db, c).await);
        assert!(report_row(&db, &o.bob, c).await.is_none(), "out of Bob's scope");
        let m = contracts::receivables(&db, &o.manager, &ReceivableFilter { overdue_only: true, ..Default::default() }).await.unwrap();
        assert_eq!(
            m.totals.iter().map(|t| (t.currency.as_str(), t.outstanding, t.overdue)).collect::<Vec<_>>(),
            [("CNY", 7_000_000, 3_000_000)]
        );

        // Voiding needs Approve and a reason; the instalment is open again.
        assert_eq!(
            contracts::void(&db, &o.alice, id, d.contract.version, Voidable::Payment, second, "录错").await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            fields(&contracts::void(&db, &o.manager, id, d.contract.version, Voidable::Payment, second, " ").await.unwrap_err()),
            ["reason:validation.required"]
        );
        contracts::void(&db, &o.manager, id, d.contract.version, Voidable::Payment, second, "银行退票").await.unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert_eq!((d.contract.paid, d.contract.overdue, d.plan[1].paid), (4_000_000, 4_000_000, 0));
        assert_eq!(d.payments.iter().filter(|p| p.voided_at.is_some()).count(), 1);
        let r = report_row(&db, &o.alice, c).await.unwrap();
        assert_eq!((r.received, r.outstanding), (4_000_000, 8_000_000));
        assert_eq!(r.received, ledger_total(&db, c).await);

        // Invoices never exceed the contract amount.
        contracts::record_invoice(
            &db,
            &o.alice,
            id,
            d.contract.version,
            &InvoiceInput { kind: "vat_special".into(), amount: "50000".into(), issued_on: "2026-11-21".into(), ..Default::default() },
        )
        .await
        .unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        let too_much =
            InvoiceInput { kind: "vat_normal".into(), amount: "70000.01".into(), issued_on: "2026-11-21".into(), ..Default::default() };
        assert_eq!(
            fields(&contracts::record_invoice(&db, &o.alice, id, d.contract.version, &too_much).await.unwrap_err()),
            ["amount:contract.invoice_too_much"]
        );
        assert_eq!(d.contract.invoiced, 5_000_000);

        // Credit: 80 000 unpaid on the contract plus a 30 000 order is over the 100 000 limit;
        // paying the second instalment frees the credit.
        let wh = head_office(&db).await;
        let order = orders::create(&db, &o.alice, &order_for(c, wh, "30000")).await.unwrap();
        let od = orders::get(&db, &o.alice, order).await.unwrap();
        assert_eq!(od.credit, Credit::Over { used: 11_000_000, limit: 10_000_000, currency: "CNY".into(), block: true });
        contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(i2, "40000")).await.unwrap();
        let od = orders::get(&db, &o.alice, order).await.unwrap();
        assert_eq!(od.credit, Credit::Within { used: 7_000_000, limit: 10_000_000, currency: "CNY".into() });

        // Changing the plan: a paid instalment stays, never below what was paid; a version
        // conflict is refused.
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        let mut edit = d.to_input();
        edit.plan.remove(0);
        edit.plan[1].amount = "80000".into();
        assert_eq!(
            fields(&contracts::update(&db, &o.alice, id, d.contract.version, &edit).await.unwrap_err()),
            ["plan:contract.paid_instalment_removed"]
        );
        let mut edit = d.to_input();
        edit.amount = "70000".into();
        edit.plan.pop();
        edit.plan[1].amount = "30000".into();
        assert_eq!(
            fields(&contracts::update(&db, &o.alice, id, d.contract.version, &edit).await.unwrap_err()),
            ["amount:contract.amount_below_received"]
        );
        let mut edit = d.to_input();
        edit.plan[2].due_on = "2099-02-01".into();
        edit.plan.push(InstalmentInput { due_on: "2099-03-01".into(), amount: "10000".into(), ..Default::default() });
        edit.plan[2].amount = "30000".into();
        contracts::update(&db, &o.alice, id, d.contract.version, &edit).await.unwrap();
        assert_eq!(contracts::update(&db, &o.alice, id, d.contract.version, &edit).await.unwrap_err(), AppError::Conflict);
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(
            d.plan.iter().map(|i| (i.position, i.amount)).collect::<Vec<_>>(),
            [(1, 4_000_000), (2, 4_000_000), (3, 3_000_000), (4, 1_000_000)]
        );
        assert_eq!(d.plan[2].id, i3);

        // The customer's timeline shows the documents, newest first, with the activities.
        let page = app::activities::service::timeline(&db, &o.alice, c, None, None).await.unwrap();
        let mut kinds: Vec<&str> = page.items.iter().filter_map(|a| a.doc.as_ref().map(|d| d.kind.as_str())).collect();
        assert_eq!(kinds.last(), Some(&"contract"), "the contract came first: {kinds:?}");
        kinds.sort_unstable();
        assert_eq!(kinds, ["contract", "invoice", "order", "payment", "payment", "payment", "payment"]);
        assert!(page.items.windows(2).all(|w| (w[0].occurred_at, w[0].id) >= (w[1].occurred_at, w[1].id)));
        let docs = app::activities::service::timeline(&db, &o.alice, c, Some("document".into()), None).await.unwrap();
        assert_eq!(docs.items.len(), 7);
        assert!(docs.items.iter().all(|a| a.doc.is_some() && a.id < 0));
        let void = docs.items.iter().filter_map(|a| a.doc.as_ref()).find(|d| d.kind == "payment" && d.state == "void");
        assert_eq!(void.map(|d| d.amount), Some(Some(1_000_000)));

        // The 360° summary: per currency, and the credit in use.
        let sum = contracts::customer_summary(&db, &o.alice, c).await.unwrap();
        assert_eq!(sum.currencies.len(), 1);
        let cny = &sum.currencies[0];
        assert_eq!((cny.contracts, cny.contracted, cny.received, cny.outstanding, cny.overdue), (1, 12_000_000, 8_000_000, 4_000_000, 0));
        assert_eq!((cny.orders, cny.ordered), (0, 0), "the order is a draft");
        assert_eq!(sum.credit, Some(CreditUse { limit: 10_000_000, currency: "CNY".into(), used: Some(4_000_000) }));
        assert!(sum.first_at.is_some() && sum.deals_12m == 1);
        assert_eq!(contracts::customer_summary(&db, &o.bob, c).await.unwrap_err(), AppError::NotFound);
        // The lifecycle rule: payments make the customer transacting; it is audited.
        app::customers::value_service::recompute_all(&db, app::platform::time::now_ms()).await.unwrap();
        let mut tx = db.read().await.unwrap();
        let status: (String,) =
            sql("SELECT status FROM customers WHERE id = $1").arg_i64(c).fetch_optional(&mut tx).await.unwrap().unwrap();
        drop(tx);
        assert_eq!(status.0, "transacting");

        // Every money movement is in the audit log.
        let mut tx = db.read().await.unwrap();
        let audited: Vec<(String, String)> =
            sql("SELECT entity, action FROM audit_log WHERE entity IN ('contract', 'payment', 'invoice') ORDER BY id")
                .fetch_all(&mut tx)
                .await
                .unwrap();
        drop(tx);
        let count = |e: &str, a: &str| audited.iter().filter(|(x, y)| x == e && y == a).count();
        assert_eq!(
            (count("contract", "create"), count("payment", "create"), count("payment", "void"), count("invoice", "create")),
            (1, 4, 1, 1)
        );
        assert_eq!(count("contract", "update"), 1);

        // Terminated: no longer receivable, no more payments.
        contracts::terminate(&db, &o.alice, id, d.contract.version, "客户破产重组").await.unwrap();
        assert!(report_row(&db, &o.alice, c).await.is_none());
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        assert!(!d.can_edit);
        assert_eq!(
            fields(&contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(i3, "1")).await.unwrap_err()),
            ["status:contract.not_active"]
        );
    })
    .await;
}

#[tokio::test]
async fn overdue_instalments_remind_their_owner_once() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "无锡新澄环保科技有限公司", Some(o.alice.id)).await;
        let input = ContractInput {
            customer_id: Some(c),
            title: "除尘设备维保".into(),
            currency: "CNY".into(),
            amount: "9000".into(),
            signed_on: "2026-10-01".into(),
            starts_on: "2026-10-01".into(),
            ends_on: "2027-09-30".into(),
            plan: plan(&[("2026-10-15", "3000"), ("2026-11-15", "3000"), ("2026-12-15", "3000")]),
            ..Default::default()
        };
        let id = contracts::create(&db, &o.alice, &input).await.unwrap();
        let d = contracts::get(&db, &o.alice, id).await.unwrap();
        contracts::record_payment(&db, &o.alice, id, d.contract.version, &pay(d.plan[0].id, "3000")).await.unwrap();

        // On 1 December the second instalment is overdue; the first is paid, the third not due.
        let now = 1_796_083_200_000; // 2026-12-01T00:00Z
        assert_eq!(contracts::remind_overdue(&db, "2026-12-01", now).await.unwrap(), 1);
        assert_eq!(contracts::remind_overdue(&db, "2026-12-01", now).await.unwrap(), 0, "once per instalment");
        let plan = app::activities::service::my_plan(&db, &o.alice).await.unwrap();
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].kind, "call");
        assert!(plan[0].subject.contains("HT202610-0001") && plan[0].subject.contains("第 2 期"), "{}", plan[0].subject);
        assert_eq!(plan[0].customer_id, Some(c));
        // In the owner's language.
        {
            let mut tx = db.write().await.unwrap();
            sql("UPDATE users SET locale = 'en' WHERE id = $1").arg_i64(o.alice.id).execute(&mut tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(contracts::remind_overdue(&db, "2026-12-16", now + 15 * 86_400_000).await.unwrap(), 1);
        let plan = app::activities::service::my_plan(&db, &o.alice).await.unwrap();
        assert!(plan.iter().any(|a| a.subject.starts_with("Collect overdue payment: HT202610-0001 instalment 3")), "{plan:?}");

        // The manager's dashboard list shows both, oldest first; Bob sees none.
        let seen = contracts::overdue(&db, &o.manager, 10).await.unwrap();
        assert!(seen.iter().all(|r| r.contract_id == id));
        assert_eq!(contracts::overdue(&db, &o.bob, 10).await.unwrap(), Vec::new());
    })
    .await;
}
