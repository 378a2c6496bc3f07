//! The full customer record and the user-defined lists, on SQLite and PostgreSQL.
mod common;
use app::customers::service as customers;
use app::dictionaries::service as lists;
use app::dictionaries::types::DictKind;
use app::platform::error::AppError;
use common::*;

#[tokio::test]
async fn classification_financial_and_evaluation_fields_follow_the_lists() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        // Only settings editors change the lists.
        assert_eq!(lists::add(&db, &o.alice, DictKind::Category, "终端客户").await.unwrap_err(), AppError::Forbidden);
        let end_user = lists::add(&db, &o.admin, DictKind::Category, "终端客户").await.unwrap();
        assert!(
            lists::add(&db, &o.admin, DictKind::Category, " 终端客户 ").await.unwrap_err().field("name").is_some(),
            "names are unique per list"
        );
        lists::add(&db, &o.admin, DictKind::Group, "华东重点").await.unwrap();

        let mut input = customer_input("北京天度网络科技有限公司");
        input.level = "A".into();
        input.category = "渠道代理".into();
        let err = customers::create_customer(&db, &o.alice, &input).await.unwrap_err();
        assert_eq!(err.field("category").as_deref(), Some("validation.not_in_list"));
        input.category = "终端客户".into();
        input.customer_group = "华东重点".into();
        input.tags = "重点跟进，展会".into();
        input.credit_limit = "50,000".into();
        input.credit_currency = "CNY".into();
        input.credit_days = "45".into();
        input.credit_control = "warn".into();
        input.relationship = "good".into();
        input.rating = "4".into();
        input.bank_name = "招商银行北京分行".into();
        let id = customers::create_customer(&db, &o.alice, &input).await.unwrap();
        let c = customers::get_customer(&db, &o.alice, id).await.unwrap();
        assert_eq!(
            (c.level.as_deref(), c.category.as_deref(), c.customer_group.as_deref()),
            (Some("A"), Some("终端客户"), Some("华东重点"))
        );
        assert_eq!(c.tags, ["展会", "重点跟进"]);
        assert_eq!((c.credit_limit, c.credit_currency.as_deref(), c.credit_days), (Some(5_000_000), Some("CNY"), Some(45)));
        assert_eq!((c.rating, c.relationship.as_deref(), c.credit_control.as_deref()), (Some(4), Some("good"), Some("warn")));
        assert_eq!(c.to_input().credit_limit, "50,000.00");

        // Renaming an item carries its customers along; a hidden item stays valid for those who have it.
        lists::rename(&db, &o.admin, end_user, "直销客户").await.unwrap();
        let c = customers::get_customer(&db, &o.alice, id).await.unwrap();
        assert_eq!(c.category.as_deref(), Some("直销客户"));
        lists::set_active(&db, &o.admin, end_user, false).await.unwrap();
        let mut edit = c.to_input();
        edit.tags = "展会".into();
        edit.rating = "5".into();
        let saved = customers::update_customer(&db, &o.alice, id, c.version, &edit).await.unwrap();
        assert_eq!((saved.tags.clone(), saved.rating), (vec!["展会".to_string()], Some(5)));
        let other = {
            let mut i = customer_input("上海浦江精密机械股份有限公司");
            i.category = "直销客户".into();
            customers::create_customer(&db, &o.alice, &i).await.unwrap_err()
        };
        assert_eq!(other.field("category").as_deref(), Some("validation.not_in_list"), "hidden items are not offered to new records");
        // The audit names what changed.
        let mut tx = db.read().await.unwrap();
        let summary: (String,) = app::platform::db::sql(
            "SELECT summary FROM audit_log WHERE action = 'update' AND entity = 'customer' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&mut tx)
        .await
        .unwrap();
        assert!(summary.0.contains("tags") && summary.0.contains("rating") && !summary.0.contains("level"), "{}", summary.0);
    })
    .await;
}

#[tokio::test]
async fn reordering_a_list_is_audited() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let b = lists::add(&db, &o.admin, DictKind::Group, "乙组").await.unwrap();
        lists::add(&db, &o.admin, DictKind::Group, "甲组").await.unwrap();
        lists::move_item(&db, &o.admin, b, false).await.unwrap();
        let mut tx = db.read().await.unwrap();
        let list = app::dictionaries::service::load(&mut tx).await.unwrap().names(DictKind::Group);
        assert_eq!(list, ["甲组", "乙组"]);
        let n = app::platform::db::sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'setting' AND summary LIKE '%乙组 down'")
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(n, 1);
    })
    .await;
}
