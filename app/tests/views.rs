//! Saved queries and the list filters behind them, on SQLite and PostgreSQL.
mod common;
use app::customers::service::{self as customers, ListParams};
use app::customers::types::ListQuery;
use app::customers::views;
use common::*;

#[tokio::test]
async fn filters_by_level_category_tag_department_and_dates_within_scope_and_views_are_private_or_shared() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        app::dictionaries::service::add(&db, &o.admin, app::dictionaries::types::DictKind::Category, "渠道代理").await.unwrap();
        for (i, (owner, level, tag)) in
            [(&o.alice, "A", "重点"), (&o.alice, "B", "重点"), (&o.alice, "A", ""), (&o.carol, "A", "重点")].into_iter().enumerate()
        {
            let mut input = customer_input(&format!("筛选客户{i}"));
            input.level = level.into();
            input.tags = tag.into();
            input.category = if i == 0 { "渠道代理".into() } else { String::new() };
            input.region = "上海".into();
            customers::create_customer(&db, owner, &input).await.unwrap();
        }
        let names = |p: ListParams| {
            let db = db.clone();
            let u = o.manager.clone();
            async move {
                let mut n: Vec<String> = customers::list_customers(&db, &u, &p).await.unwrap().rows.into_iter().map(|r| r.name).collect();
                n.sort();
                n
            }
        };
        let q = |f: &dyn Fn(&mut ListQuery)| {
            let mut l = ListQuery::default();
            f(&mut l);
            ListParams::from_query(&l, None)
        };
        assert_eq!(names(q(&|l| l.level = Some("A".into()))).await, ["筛选客户0", "筛选客户2", "筛选客户3"]);
        assert_eq!(
            names(q(&|l| {
                l.level = Some("A".into());
                l.tag = Some("重点".into())
            }))
            .await,
            ["筛选客户0", "筛选客户3"]
        );
        assert_eq!(names(q(&|l| l.category = Some("渠道代理".into()))).await, ["筛选客户0"]);
        assert_eq!(names(q(&|l| l.department = o.carol.department_id)).await, ["筛选客户3"]);
        assert_eq!(names(q(&|l| l.region = Some("上海".into()))).await.len(), 4);
        assert_eq!(names(q(&|l| l.created_from = Some("2000-01-01".into()))).await.len(), 4);
        assert!(names(q(&|l| l.created_to = Some("2000-01-01".into()))).await.is_empty());
        // Scope still applies: alice sees only her own A-level customers.
        let mine = customers::list_customers(&db, &o.alice, &q(&|l| l.level = Some("A".into()))).await.unwrap().rows;
        assert_eq!(mine.len(), 2);
        // A bad date is a field error, not an empty list.
        let err = customers::list_customers(&db, &o.alice, &q(&|l| l.created_from = Some("2026-13-01".into()))).await.unwrap_err();
        assert_eq!(err.field("created_from").as_deref(), Some("validation.date"));

        // Views: private ones are the owner's; shared ones everyone's; columns are checked.
        let query = ListQuery { level: Some("A".into()), tag: Some("重点".into()), ..Default::default() };
        let cols = vec!["status".to_string(), "level".to_string(), "owner".to_string()];
        let private = views::save_view(&db, &o.alice, "我的重点 A 类", false, &query, &cols).await.unwrap();
        let shared =
            views::save_view(&db, &o.manager, "全部 A 类", true, &ListQuery { level: Some("A".into()), ..Default::default() }, &cols)
                .await
                .unwrap();
        assert!(views::save_view(&db, &o.alice, " ", false, &query, &cols).await.unwrap_err().field("name").is_some());
        assert!(views::save_view(&db, &o.alice, "x", false, &query, &["password".to_string()])
            .await
            .unwrap_err()
            .field("columns")
            .is_some());
        let bad = ListQuery { status: Some("sleeping".into()), ..Default::default() };
        assert!(views::save_view(&db, &o.alice, "x", false, &bad, &cols).await.unwrap_err().field("status").is_some());
        let alice_views: Vec<(i64, bool)> = views::list_views(&db, &o.alice).await.unwrap().into_iter().map(|v| (v.id, v.mine)).collect();
        assert_eq!(alice_views.len(), 2);
        assert!(alice_views.contains(&(private, true)) && alice_views.contains(&(shared, false)));
        let bob_views: Vec<i64> = views::list_views(&db, &o.bob).await.unwrap().into_iter().map(|v| v.id).collect();
        assert_eq!(bob_views, vec![shared]);
        assert!(views::delete_view(&db, &o.bob, shared).await.is_err(), "only the owner deletes a view");
        let v = views::list_views(&db, &o.alice).await.unwrap().into_iter().find(|v| v.id == private).unwrap();
        assert_eq!((v.query, v.columns), (query, cols));
        views::delete_view(&db, &o.alice, private).await.unwrap();
        assert_eq!(views::list_views(&db, &o.alice).await.unwrap().len(), 1);
    })
    .await;
}
