//! The catalog, price policies, exchange rates and document numbering, on SQLite and
//! PostgreSQL: permissions, optimistic locking, soft delete, the price precedence rule
//! against real rows, rates of the document date, and gap-free numbers under concurrency.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::*;
use app::customers::service as customers;
use app::finance::service as finance;
use app::finance::types::RateInput;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::platform::numbering::{next_number, NumberingInput};
use common::*;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

fn product(name: &str, price: &str) -> ProductInput {
    ProductInput { name: name.into(), list_price: price.into(), unit: "台".into(), tax_rate: "13".into(), ..Default::default() }
}

async fn audit_count(db: &Db, entity: &str) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql("SELECT COUNT(*) FROM audit_log WHERE entity = $1").arg_text(entity).fetch_i64(&mut tx).await.unwrap()
}

#[tokio::test]
async fn products_are_numbered_checked_locked_and_deleted_softly() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let a = catalog::create_product(&db, &o.admin, &product("服务器 X1", "12,800")).await.unwrap();
        let b = catalog::create_product(&db, &o.manager, &product("安装服务", "500")).await.unwrap();
        let pa = catalog::get_product(&db, &o.alice, a).await.unwrap();
        assert_eq!((pa.product.code.as_str(), pa.product.list_price, pa.product.tax_rate_bp), ("P00001", 1_280_000, 1_300));
        assert!(!pa.can_edit, "a salesperson only views the catalog");
        assert_eq!(catalog::get_product(&db, &o.alice, b).await.unwrap().product.code, "P00002");

        // Who may do what.
        assert_eq!(catalog::create_product(&db, &o.alice, &product("x", "1")).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(catalog::set_product_deleted(&db, &o.manager, a, true).await.unwrap_err(), AppError::Forbidden);

        // Codes are unique among live products, case aside; bad input names its fields.
        let dup = ProductInput { code: "p00002".into(), ..product("另一个", "1") };
        assert_eq!(fields(&catalog::create_product(&db, &o.admin, &dup).await.unwrap_err()), ["code:validation.code_taken"]);
        let bad = ProductInput { tax_rate: "130".into(), ..product("", "1.999") };
        assert_eq!(
            fields(&catalog::create_product(&db, &o.admin, &bad).await.unwrap_err()),
            ["name:validation.required", "list_price:validation.amount", "tax_rate:validation.percent"]
        );

        // Two edits from the same version: the second is refused, not applied.
        let v = pa.product.version;
        let mut edit = pa.product.to_input();
        edit.list_price = "11800".into();
        let saved = catalog::update_product(&db, &o.manager, a, v, &edit).await.unwrap();
        assert_eq!((saved.list_price, saved.code.as_str()), (1_180_000, "P00001"));
        edit.list_price = "9999".into();
        assert_eq!(catalog::update_product(&db, &o.admin, a, v, &edit).await.unwrap_err(), AppError::Conflict);
        assert_eq!(catalog::get_product(&db, &o.admin, a).await.unwrap().product.list_price, 1_180_000);

        // Search, then soft delete: gone from the list and the page, back on undo.
        let found = catalog::list_products(&db, &o.alice, &ProductQuery { q: Some("x1".into()), ..Default::default() }).await.unwrap();
        assert_eq!(found.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [a]);
        catalog::set_product_deleted(&db, &o.admin, a, true).await.unwrap();
        assert_eq!(catalog::get_product(&db, &o.admin, a).await.unwrap_err(), AppError::NotFound);
        let all = catalog::list_products(&db, &o.admin, &ProductQuery::default()).await.unwrap();
        assert_eq!(all.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [b]);
        catalog::set_product_deleted(&db, &o.admin, a, false).await.unwrap();
        assert_eq!(catalog::get_product(&db, &o.admin, a).await.unwrap().product.name, "服务器 X1");
        // create ×2, update, delete, restore.
        assert_eq!(audit_count(&db, "product").await, 5);

        // Keyset pages cover every product once, in name order.
        for i in 0..55 {
            catalog::create_product(&db, &o.admin, &product(&format!("配件 {i:02}"), "1")).await.unwrap();
        }
        let first = catalog::list_products(&db, &o.admin, &ProductQuery::default()).await.unwrap();
        let second =
            catalog::list_products(&db, &o.admin, &ProductQuery { after: first.next.clone(), ..Default::default() }).await.unwrap();
        assert_eq!((first.rows.len(), second.rows.len(), second.next.is_none()), (50, 7, true));
        let mut names: Vec<_> = first.rows.iter().chain(&second.rows).map(|r| r.name.clone()).collect();
        let sorted = {
            let mut s = names.clone();
            s.sort();
            s
        };
        assert_eq!(names, sorted);
        names.dedup();
        assert_eq!(names.len(), 57);
    })
    .await;
}

#[tokio::test]
async fn prices_follow_the_precedence_rule_and_the_rates_of_the_document_date() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut ci = customer_input("上海明远科技有限公司");
        ci.level = "A".into();
        ci.region = "华东".into();
        ci.owner_id = Some(o.alice.id);
        let c = customers::create_customer(&db, &o.admin, &ci).await.unwrap();
        let p = catalog::create_product(&db, &o.admin, &product("服务器 X1", "1000")).await.unwrap();
        let policy = |target: &str, value: &str, rule: (&str, &str)| PricePolicyInput {
            name: format!("{target} {value}"),
            target: target.into(),
            target_value: value.into(),
            customer_id: (target == "customer").then_some(c),
            price: rule.0.into(),
            discount: rule.1.into(),
            ..Default::default()
        };
        let check = |qty: &str, date: &str, currency: &str, customer: Option<i64>| PriceCheckInput {
            customer_id: customer,
            qty: qty.into(),
            date: date.into(),
            currency: currency.into(),
        };
        let by = |q: &PriceQuote| (q.policy.as_ref().map(|p| p.name.clone()), q.unit_price, q.line_total);

        catalog::save_policy(&db, &o.manager, p, None, &policy("all", "", ("", "5"))).await.unwrap();
        let level = catalog::save_policy(&db, &o.manager, p, None, &policy("level", "A", ("", "10"))).await.unwrap();
        let volume = PricePolicyInput { min_qty: "10".into(), ..policy("all", "", ("", "20")) };
        catalog::save_policy(&db, &o.manager, p, None, &volume).await.unwrap();
        let q = catalog::price_check(&db, &o.alice, p, &check("2", "2026-03-01", "", Some(c))).await.unwrap();
        assert_eq!(by(&q), (Some("level A".into()), 90_000, 180_000), "the level beats everyone");
        let q = catalog::price_check(&db, &o.alice, p, &check("2", "2026-03-01", "", None)).await.unwrap();
        assert_eq!(by(&q), (Some("all".into()), 95_000, 190_000));
        let q = catalog::price_check(&db, &o.alice, p, &check("12", "2026-03-01", "", None)).await.unwrap();
        assert_eq!(by(&q), (Some("all".into()), 80_000, 960_000), "the higher quantity break");

        // The customer's own price wins even over a bigger discount, within its dates.
        let own =
            PricePolicyInput { valid_from: "2026-01-01".into(), valid_to: "2026-06-30".into(), ..policy("customer", "", ("950", "")) };
        let own = catalog::save_policy(&db, &o.manager, p, None, &own).await.unwrap();
        assert_eq!(own.customer_name.as_deref(), Some("上海明远科技有限公司"));
        let q = catalog::price_check(&db, &o.alice, p, &check("2.5", "2026-03-01", "", Some(c))).await.unwrap();
        assert_eq!(by(&q), (Some("customer".into()), 95_000, 237_500));
        let q = catalog::price_check(&db, &o.alice, p, &check("2.5", "2026-07-01", "", Some(c))).await.unwrap();
        assert_eq!(by(&q), (Some("level A".into()), 90_000, 225_000), "after its end date");

        // A stale edit of a policy is refused; deleting it takes it out of pricing.
        let mut edit = level.to_input();
        edit.discount = "12".into();
        catalog::save_policy(&db, &o.manager, p, Some((level.id, level.version)), &edit).await.unwrap();
        assert_eq!(catalog::save_policy(&db, &o.manager, p, Some((level.id, level.version)), &edit).await.unwrap_err(), AppError::Conflict);
        catalog::delete_policy(&db, &o.manager, own.id, own.version).await.unwrap();
        let q = catalog::price_check(&db, &o.alice, p, &check("1", "2026-03-01", "", Some(c))).await.unwrap();
        assert_eq!(by(&q), (Some("level A".into()), 88_000, 88_000));
        assert_eq!(catalog::save_policy(&db, &o.alice, p, None, &policy("all", "", ("", "1"))).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(audit_count(&db, "price_policy").await, 6);

        // Someone else's customer is not priced for Bob (nor revealed).
        assert_eq!(catalog::price_check(&db, &o.bob, p, &check("1", "", "", Some(c))).await.unwrap_err(), AppError::NotFound);

        // Rates: the latest on or before the document date.
        let rate = |c: &str, d: &str, r: &str| RateInput { currency: c.into(), rate_date: d.into(), rate: r.into() };
        finance::add_rate(&db, &o.admin, &rate("USD", "2026-01-01", "7")).await.unwrap();
        finance::add_rate(&db, &o.admin, &rate("USD", "2026-06-01", "7.2")).await.unwrap();
        assert_eq!(
            fields(&finance::add_rate(&db, &o.admin, &rate("USD", "2026-06-01", "7.3")).await.unwrap_err()),
            ["rate_date:validation.rate_exists"]
        );
        assert_eq!(finance::add_rate(&db, &o.manager, &rate("EUR", "2026-06-01", "7.7")).await.unwrap_err(), AppError::Forbidden);
        // 880.00 CNY / 7 = 125.71 USD; / 7.2 = 122.22 USD.
        let q = catalog::price_check(&db, &o.alice, p, &check("1", "2026-03-01", "USD", Some(c))).await.unwrap();
        assert_eq!((q.unit_price, q.currency.as_str()), (12_571, "USD"));
        let q = catalog::price_check(&db, &o.alice, p, &check("3", "2026-06-01", "USD", Some(c))).await.unwrap();
        assert_eq!((q.unit_price, q.line_total), (12_222, 36_666));
        assert_eq!(
            fields(&catalog::price_check(&db, &o.alice, p, &check("1", "2025-12-31", "USD", Some(c))).await.unwrap_err()),
            ["currency:validation.no_rate"]
        );
        // The base currency is fixed once rates exist.
        assert_eq!(fields(&finance::set_base_currency(&db, &o.admin, "USD").await.unwrap_err()), ["base:validation.base_has_rates"]);
    })
    .await;
}

#[tokio::test]
async fn numbers_have_no_gaps_or_repeats_under_twenty_concurrent_creators() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut tasks = Vec::new();
        for i in 0..20 {
            let (db, admin) = (db.clone(), o.admin.clone());
            tasks.push(tokio::spawn(async move { catalog::create_product(&db, &admin, &product(&format!("并发 {i}"), "1")).await }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let mut tx = db.read().await.unwrap();
        let codes: Vec<(String,)> = sql("SELECT code FROM products ORDER BY code").fetch_all(&mut tx).await.unwrap();
        drop(tx);
        let expected: Vec<String> = (1..=20).map(|n| format!("P{n:05}")).collect();
        assert_eq!(codes.into_iter().map(|c| c.0).collect::<Vec<_>>(), expected);

        // A save that rolls back gives its number back.
        let mut tx = db.write().await.unwrap();
        assert_eq!(next_number(&mut tx, "quote", (2026, 11, 30)).await.unwrap(), "QT20261130-0001");
        drop(tx);
        let mut tx = db.write().await.unwrap();
        assert_eq!(next_number(&mut tx, "quote", (2026, 11, 30)).await.unwrap(), "QT20261130-0001");
        assert_eq!(next_number(&mut tx, "quote", (2026, 11, 30)).await.unwrap(), "QT20261130-0002");
        assert_eq!(next_number(&mut tx, "quote", (2026, 12, 1)).await.unwrap(), "QT20261201-0001", "a new day restarts");
        tx.commit().await.unwrap();

        // A changed rule applies to the next number; the counter carries on.
        let page = finance::numbering_rules(&db, &o.admin).await.unwrap();
        let (rule, _) = page.rules.iter().find(|(r, _)| r.doc_kind == "product").unwrap().clone();
        let input = NumberingInput { prefix: "SKU-".into(), date_part: "yyyy".into(), digits: "3".into() };
        finance::update_numbering_rule(&db, &o.admin, "product", rule.version, &input).await.unwrap();
        assert_eq!(finance::update_numbering_rule(&db, &o.admin, "product", rule.version, &input).await.unwrap_err(), AppError::Conflict);
        assert_eq!(
            finance::update_numbering_rule(&db, &o.manager, "product", rule.version + 1, &input).await.unwrap_err(),
            AppError::Forbidden
        );
        let id = catalog::create_product(&db, &o.admin, &product("新编号", "1")).await.unwrap();
        let code = catalog::get_product(&db, &o.admin, id).await.unwrap().product.code;
        assert!(code.starts_with("SKU-20") && code.ends_with("-001"), "{code}");
    })
    .await;
}
