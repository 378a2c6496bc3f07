//! Quotes on SQLite and PostgreSQL: priced from the catalog with the customer's policies,
//! totals saved as worked out, data scope, optimistic locking, the approval flow with
//! its limit, and revisions that keep the number and the earlier revision.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::{PricePolicyInput, ProductInput};
use app::customers::service as customers;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::quotes::service as quotes;
use app::quotes::types::*;
use common::*;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

async fn audit_count(db: &Db, entity: &str) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql("SELECT COUNT(*) FROM audit_log WHERE entity = $1").arg_text(entity).fetch_i64(&mut tx).await.unwrap()
}

fn line(product: i64, qty: &str) -> LineInput {
    LineInput { product_id: Some(product), name: "x".into(), qty: qty.into(), ..Default::default() }
}

#[tokio::test]
async fn quotes_are_priced_scoped_approved_and_revised() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut ci = customer_input("上海明远科技有限公司");
        ci.level = "A".into();
        ci.owner_id = Some(o.alice.id);
        let c = customers::create_customer(&db, &o.admin, &ci).await.unwrap();
        let server = ProductInput {
            name: "服务器".into(),
            list_price: "12800".into(),
            tax_rate: "13".into(),
            unit: "台".into(),
            ..Default::default()
        };
        let server = catalog::create_product(&db, &o.admin, &server).await.unwrap();
        let setup = ProductInput {
            name: "安装".into(),
            list_price: "800".into(),
            tax_rate: "6".into(),
            kind: "service".into(),
            ..Default::default()
        };
        let setup = catalog::create_product(&db, &o.admin, &setup).await.unwrap();
        let level_a = PricePolicyInput {
            name: "A 级九折".into(),
            target: "level".into(),
            target_value: "A".into(),
            discount: "10".into(),
            ..Default::default()
        };
        catalog::save_policy(&db, &o.admin, server, None, &level_a).await.unwrap();

        // 2 servers at the level price (11 520.00) and 3 installations typed at 700.00, 5 % off the whole.
        let input = QuoteInput {
            customer_id: Some(c),
            title: "机房扩容".into(),
            quote_date: "2026-11-30".into(),
            currency: "CNY".into(),
            discount: "5".into(),
            lines: vec![line(server, "2"), LineInput { unit_price: "700".into(), ..line(setup, "3") }],
            ..Default::default()
        };
        let id = quotes::create(&db, &o.alice, &input).await.unwrap();
        let d = quotes::get(&db, &o.alice, id).await.unwrap();
        let q = &d.quote;
        assert_eq!(
            (q.number.as_str(), q.revision, q.status.as_str(), q.valid_until.as_str()),
            ("QT20261130-0001", 1, "draft", "2026-12-30")
        );
        assert_eq!(
            d.lines.iter().map(|l| (l.priced_unit, l.unit_price, l.policy_name.clone())).collect::<Vec<_>>(),
            [(1_152_000, 1_152_000, Some("A 级九折".to_string())), (80_000, 70_000, None)]
        );
        // Subtotal 23 040 + 2 100 = 25 140; 5 % = 1 257; tax on the nets after their shares.
        assert_eq!((q.subtotal, q.discount_total), (2_514_000, 125_700));
        let nets: Vec<i64> = d.lines.iter().map(|l| l.net).collect();
        assert_eq!(nets.iter().sum::<i64>(), 2_514_000 - 125_700);
        assert_eq!(q.tax_total, d.lines.iter().map(|l| l.tax).sum::<i64>());
        assert_eq!(q.total, 2_514_000 - 125_700 + q.tax_total);
        // Below catalog prices: (23 040 + 2 400) − 23 883 = 1 557 of 25 440 = 6.12 %, within the 10 % limit.
        assert_eq!(q.effective_discount_bp, 612);

        // Scope: Bob sees nothing; the manager sees it; the field engineer may not use quotes.
        assert_eq!(quotes::get(&db, &o.bob, id).await.unwrap_err(), AppError::NotFound);
        assert!(quotes::get(&db, &o.manager, id).await.unwrap().can_approve);
        assert_eq!(quotes::get(&db, &o.engineer, id).await.unwrap_err(), AppError::Forbidden);
        // A customer Bob cannot see cannot be quoted by him.
        assert_eq!(fields(&quotes::create(&db, &o.bob, &input).await.unwrap_err()), ["customer_id:validation.invalid_choice"]);

        // Within the limit, submitting approves at once; a stale edit is refused; approved quotes are not edited.
        let v = q.version;
        assert_eq!(quotes::step(&db, &o.alice, id, v, QuoteStep::Submit, "").await.unwrap(), QuoteStatus::Approved);
        assert_eq!(quotes::step(&db, &o.alice, id, v, QuoteStep::Send, "").await.unwrap_err(), AppError::Conflict);
        let d = quotes::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(fields(&quotes::update(&db, &o.alice, id, d.quote.version, &input).await.unwrap_err()), ["status:quote.not_editable"]);

        // A revision: same number, R2, a copy in draft; R1 is kept, superseded.
        let r2 = quotes::revise(&db, &o.alice, id, d.quote.version).await.unwrap();
        let d2 = quotes::get(&db, &o.alice, r2).await.unwrap();
        assert_eq!(
            (d2.quote.number.as_str(), d2.quote.revision, d2.quote.status.as_str(), d2.quote.total),
            (q.number.as_str(), 2, "draft", q.total)
        );
        assert_eq!(
            d2.revisions.iter().map(|r| (r.revision, r.status.clone())).collect::<Vec<_>>(),
            [(2, "draft".to_string()), (1, "superseded".to_string())]
        );
        assert_eq!(d2.lines.len(), 2);
        let current = quotes::list(&db, &o.alice, &QuoteFilter::default()).await.unwrap();
        assert_eq!(current.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [r2], "superseded revisions stay out of the list");

        // 20 % off the whole passes the limit: approval by the manager, not by Alice, with a note to reject.
        let deep = QuoteInput { discount: "20".into(), ..d2.to_input() };
        quotes::update(&db, &o.alice, r2, d2.quote.version, &deep).await.unwrap();
        let d2 = quotes::get(&db, &o.alice, r2).await.unwrap();
        assert!(d2.quote.effective_discount_bp > d2.approval_bp);
        assert_eq!(quotes::step(&db, &o.alice, r2, d2.quote.version, QuoteStep::Submit, "").await.unwrap(), QuoteStatus::Pending);
        let v = d2.quote.version + 1;
        assert_eq!(quotes::step(&db, &o.alice, r2, v, QuoteStep::Approve, "").await.unwrap_err(), AppError::Forbidden);
        assert_eq!(fields(&quotes::step(&db, &o.manager, r2, v, QuoteStep::Reject, " ").await.unwrap_err()), ["note:validation.required"]);
        assert_eq!(quotes::step(&db, &o.manager, r2, v, QuoteStep::Reject, "折扣太大").await.unwrap(), QuoteStatus::Rejected);
        let d2 = quotes::get(&db, &o.alice, r2).await.unwrap();
        assert_eq!((d2.quote.approval_note.as_deref(), d2.quote.decided_by_name.as_deref()), (Some("折扣太大"), Some("manager name")));
        // Rejected quotes can be edited and sent for approval again; the manager approves.
        let less = QuoteInput { discount: "15".into(), ..d2.to_input() };
        quotes::update(&db, &o.alice, r2, d2.quote.version, &less).await.unwrap();
        let d2 = quotes::get(&db, &o.alice, r2).await.unwrap();
        assert_eq!(d2.quote.status, "draft");
        quotes::step(&db, &o.alice, r2, d2.quote.version, QuoteStep::Submit, "").await.unwrap();
        assert_eq!(
            quotes::step(&db, &o.manager, r2, d2.quote.version + 1, QuoteStep::Approve, "同意").await.unwrap(),
            QuoteStatus::Approved
        );
        // The manager's own deep discount needs someone above them.
        let own = quotes::create(&db, &o.manager, &deep).await.unwrap();
        let od = quotes::get(&db, &o.manager, own).await.unwrap();
        assert_eq!(od.quote.number, "QT20261130-0002");
        quotes::step(&db, &o.manager, own, od.quote.version, QuoteStep::Submit, "").await.unwrap();
        assert_eq!(
            fields(&quotes::step(&db, &o.manager, own, od.quote.version + 1, QuoteStep::Approve, "").await.unwrap_err()),
            ["note:quote.own_approval"]
        );
        assert_eq!(quotes::step(&db, &o.admin, own, od.quote.version + 1, QuoteStep::Approve, "").await.unwrap(), QuoteStatus::Approved);
        // create ×2, update ×2, revise, submit ×4, reject, approve ×2.
        assert_eq!(audit_count(&db, "quote").await, 12);

        // The limit is a setting.
        quotes::set_approval_bp(&db, &o.admin, "25").await.unwrap();
        assert_eq!(quotes::get(&db, &o.alice, r2).await.unwrap().approval_bp, 2_500);
        assert_eq!(quotes::set_approval_bp(&db, &o.manager, "30").await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}

#[tokio::test]
async fn a_printed_quote_carries_the_company_profile_and_is_audited() {
    use app::finance::service as finance;
    use app::finance::types::CompanyProfile;
    use app::platform::i18n::Locale;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        // The profile: validated, compare-and-swap on what was read, settings permission.
        let page = finance::company_page(&db, &o.admin).await.unwrap();
        assert_eq!((page.profile.name.as_str(), page.stamp.as_str(), page.can_edit), ("", "", true));
        let bad = CompanyProfile { name: " ".into(), email: "x@".into(), ..Default::default() };
        assert_eq!(
            fields(&finance::save_company_profile(&db, &o.admin, "", &bad).await.unwrap_err()),
            ["name:validation.required", "email:validation.email"]
        );
        let profile = CompanyProfile {
            name: "云帆软件（北京）有限公司".into(),
            address: "北京市海淀区中关村大街 1 号".into(),
            bank_name: "招商银行".into(),
            bank_account: "1109 0001".into(),
            ..Default::default()
        };
        let stamp = finance::save_company_profile(&db, &o.admin, "", &profile).await.unwrap();
        assert_eq!(finance::save_company_profile(&db, &o.admin, "", &profile).await.unwrap_err(), AppError::Conflict);
        let renamed = CompanyProfile { name: "云帆智能（北京）有限公司".into(), ..profile.clone() };
        let stamp2 = finance::save_company_profile(&db, &o.admin, &stamp, &renamed).await.unwrap();
        assert_eq!(finance::save_company_profile(&db, &o.admin, &stamp, &profile).await.unwrap_err(), AppError::Conflict);
        assert_eq!(finance::company_page(&db, &o.admin).await.unwrap().stamp, stamp2);
        assert_eq!(finance::save_company_profile(&db, &o.alice, &stamp2, &profile).await.unwrap_err(), AppError::Forbidden);

        let mut ci = customer_input("上海明远科技有限公司");
        ci.owner_id = Some(o.alice.id);
        ci.address = "上海市浦东新区世纪大道 100 号".into();
        let c = customers::create_customer(&db, &o.admin, &ci).await.unwrap();
        let p = ProductInput {
            name: "服务器".into(),
            list_price: "12345.67".into(),
            tax_rate: "13".into(),
            unit: "台".into(),
            ..Default::default()
        };
        let p = catalog::create_product(&db, &o.admin, &p).await.unwrap();
        let input = QuoteInput {
            customer_id: Some(c),
            title: "机房扩容".into(),
            quote_date: "2026-11-30".into(),
            currency: "CNY".into(),
            terms: "合同签订后 30 日内付款".into(),
            notes: "内部：客户预算紧张".into(),
            lines: vec![LineInput { name: "服务器".into(), unit: "台".into(), ..line(p, "2") }],
            ..Default::default()
        };
        let id = quotes::create(&db, &o.alice, &input).await.unwrap();
        let before = audit_count(&db, "quote").await;
        let meta = Default::default();
        let doc = quotes::print(&db, &o.alice, id, Locale::ZhCn, &meta).await.unwrap();
        assert_eq!((doc.title.as_str(), doc.number.as_str(), doc.font.as_str()), ("报价单", "QT20261130-0001", "Noto Sans CJK SC"));
        assert_eq!(doc.letterhead.name, "云帆智能（北京）有限公司");
        assert_eq!(doc.letterhead.lines, ["地址：北京市海淀区中关村大街 1 号", "开户行：招商银行 · 账号：1109 0001"]);
        assert_eq!(doc.party, ["上海明远科技有限公司", "上海市浦东新区世纪大道 100 号"]);
        assert_eq!(doc.rows, [["1", "服务器", "2 台", "12,345.67", "", "13 %", "24,691.34"]]);
        // 24 691.34 + 13 % tax (3 209.87) = 27 901.21.
        assert_eq!(doc.totals.last().unwrap().value, "CNY 27,901.21");
        assert_eq!(doc.amount_words.as_ref().unwrap().value, "贰万柒仟玖佰零壹元贰角壹分");
        assert_eq!(
            doc.sections.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
            ["合同签订后 30 日内付款"],
            "internal notes stay off"
        );
        assert_eq!(doc.stamp.as_deref(), Some("草稿"));
        assert_eq!(audit_count(&db, "quote").await, before + 1);
        // English has no capitals line; Traditional Chinese uses its own font.
        let en = quotes::print(&db, &o.alice, id, Locale::En, &meta).await.unwrap();
        assert_eq!((en.title.as_str(), en.amount_words.is_none()), ("Quotation", true));
        assert_eq!(quotes::print(&db, &o.alice, id, Locale::ZhTw, &meta).await.unwrap().font, "Noto Sans CJK TC");
        // Scope: Bob cannot print Alice's quote; the field engineer may not use quotes.
        assert_eq!(quotes::print(&db, &o.bob, id, Locale::ZhCn, &meta).await.unwrap_err(), AppError::NotFound);
        assert_eq!(quotes::print(&db, &o.engineer, id, Locale::ZhCn, &meta).await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}
