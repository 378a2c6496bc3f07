//! Customer repository and service behaviour on SQLite and PostgreSQL.
mod common;
use app::customers::service::{self as customers, ListParams};
use app::platform::audit::{verify_chain, ChainStatus};
use app::platform::db::sql;
use app::platform::error::AppError;
use common::*;

#[tokio::test]
async fn chinese_substring_search_finds_names_on_both_backends() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        customer(&db, &o.alice, "天度网络（北京）科技有限公司", None).await;
        customer(&db, &o.alice, "上海浦江精密机械股份有限公司", None).await;
        let search = |q: &str| {
            let db = db.clone();
            let u = o.alice.clone();
            let q = q.to_string();
            async move {
                let mut names: Vec<String> = customers::list_customers(&db, &u, &ListParams { q: Some(q), ..Default::default() })
                    .await
                    .unwrap()
                    .rows
                    .into_iter()
                    .map(|r| r.name)
                    .collect();
                names.sort();
                names
            }
        };
        assert_eq!(search("天度网络").await.len(), 2);
        assert_eq!(search("精密机械").await, vec!["上海浦江精密机械股份有限公司"]);
        // Two characters: below the trigram length, served by the LIKE fallback.
        assert_eq!(search("浦江").await, vec!["上海浦江精密机械股份有限公司"]);
        assert_eq!(search("北京").await.len(), 2);
        assert!(search("不存在的公司").await.is_empty());
        // LIKE wildcards are literal.
        assert!(search("%").await.is_empty());
        // Renames are re-indexed.
        let id = customers::list_customers(&db, &o.alice, &ListParams { q: Some("浦江".into()), ..Default::default() }).await.unwrap().rows
            [0]
        .id;
        let c = customers::get_customer(&db, &o.alice, id).await.unwrap();
        let mut input = c.to_input();
        input.name = "上海黄浦精工有限公司".into();
        customers::update_customer(&db, &o.alice, id, c.version, &input).await.unwrap();
        assert!(search("精密机械").await.is_empty());
        assert_eq!(search("黄浦精工").await, vec!["上海黄浦精工有限公司"]);
    })
    .await;
}

#[tokio::test]
async fn keyset_pages_cover_every_row_once_in_every_sort() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        for i in 0..120 {
            customer(&db, &o.alice, &format!("客户{:03}", (i * 37) % 120), None).await;
        }
        for sort in ["updated", "created", "name"] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = customers::list_customers(
                    &db,
                    &o.alice,
                    &ListParams { sort: Some(sort.into()), after: after.clone(), ..Default::default() },
                )
                .await
                .unwrap();
                assert!(page.rows.len() <= 50);
                seen.extend(page.rows.iter().map(|r| r.name.clone()));
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 120, "sort {sort}");
            assert_eq!(seen.len(), 120, "sort {sort}");
            if sort == "name" {
                assert_eq!(seen, unique);
            }
        }
        let bad = customers::list_customers(&db, &o.alice, &ListParams { sort: Some("bogus".into()), ..Default::default() }).await;
        assert_eq!(bad.unwrap_err().field("sort").as_deref(), Some("validation.invalid_choice"));
        let bad = customers::list_customers(&db, &o.alice, &ListParams { after: Some("x".into()), ..Default::default() }).await;
        assert!(matches!(bad, Err(AppError::Validation(_))));
    })
    .await;
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_and_changes_nothing() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let id = customer(&db, &o.alice, "乐观锁测试有限公司", None).await;
        let first = customers::get_customer(&db, &o.alice, id).await.unwrap();
        let second = customers::get_customer(&db, &o.manager, id).await.unwrap();
        let mut a = first.to_input();
        a.phone = "010-1111 1111".into();
        customers::update_customer(&db, &o.alice, id, first.version, &a).await.unwrap();
        let mut b = second.to_input();
        b.phone = "010-2222 2222".into();
        assert_eq!(customers::update_customer(&db, &o.manager, id, second.version, &b).await.unwrap_err(), AppError::Conflict);
        let now = customers::get_customer(&db, &o.alice, id).await.unwrap();
        assert_eq!(now.phone.as_deref(), Some("010-1111 1111"));
        assert_eq!(now.version, first.version + 1);
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_rejected_field_by_field_and_nothing_is_saved() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut input = customer_input("");
        input.email = "nope".into();
        let err = customers::create_customer(&db, &o.alice, &input).await.unwrap_err();
        assert_eq!(err.field("name").as_deref(), Some("validation.required"));
        assert_eq!(err.field("email").as_deref(), Some("validation.email"));
        let mut tx = db.read().await.unwrap();
        assert_eq!(sql("SELECT COUNT(*) FROM customers").fetch_i64(&mut tx).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn every_change_is_audited_in_a_verifiable_chain() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let id = customer(&db, &o.alice, "审计测试有限公司", None).await;
        let c = customers::get_customer(&db, &o.alice, id).await.unwrap();
        let mut input = c.to_input();
        input.region = "上海".into();
        let c = customers::update_customer(&db, &o.alice, id, c.version, &input).await.unwrap();
        customers::delete_customer(&db, &o.alice, id, c.version).await.unwrap();
        customers::restore_customer(&db, &o.alice, id).await.unwrap();

        let mut tx = db.read().await.unwrap();
        let rows: Vec<(String, Option<String>, Option<String>)> =
            sql("SELECT action, before_json, after_json FROM audit_log WHERE entity = 'customer' AND entity_id = $1 ORDER BY seq")
                .arg_i64(id)
                .fetch_all(&mut tx)
                .await
                .unwrap();
        let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(actions, ["create", "update", "delete", "restore"]);
        assert!(rows[1].1.as_deref().unwrap().contains("\"region\":\"\""));
        assert!(rows[1].2.as_deref().unwrap().contains("上海"));
        let status = verify_chain(&mut tx).await.unwrap();
        assert!(matches!(status, ChainStatus::Intact { rows } if rows >= 4 + 12), "{status:?}");
        drop(tx);

        // Tampering with any row breaks the chain at that row.
        let mut tx = db.write().await.unwrap();
        let seq: i64 = sql("SELECT MIN(seq) FROM audit_log WHERE action = 'update'").fetch_i64(&mut tx).await.unwrap();
        sql("UPDATE audit_log SET summary = 'nothing happened' WHERE seq = $1").arg_i64(seq).execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.read().await.unwrap();
        assert_eq!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Broken { seq });
    })
    .await;
}

#[tokio::test]
async fn duplicates_are_found_across_scopes_with_their_reasons() {
    use app::customers::dedup::{DupReason, NameMatch};
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut a = customer_input("北京天度网络科技有限公司");
        a.phone = "010-6552 8888".into();
        a.website = "www.tiandu.cn".into();
        let id = customers::create_customer(&db, &o.alice, &a).await.unwrap();

        // Bob may not see Alice's customer, but he is warned who owns it (撞单), without its id.
        let hits = customers::check_duplicates(&db, &o.bob, &customer_input("天度网络（北京）科技有限公司"), None).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, None);
        assert_eq!(hits[0].owner_name.as_deref(), Some("alice name"));
        assert!(hits[0].score >= 95);
        assert_eq!(hits[0].reasons, vec![DupReason::Name(NameMatch::Equivalent)]);
        // Their manager gets the link.
        let hits = customers::check_duplicates(&db, &o.manager, &customer_input("天度网络(北京)科技有限公司"), None).await.unwrap();
        assert_eq!(hits[0].id, Some(id));

        // A different name with the same phone and website, written differently.
        let mut p = customer_input("完全不同的名字有限公司");
        p.phone = "+86 10 65528888".into();
        p.website = "https://TIANDU.cn/contact".into();
        let hits = customers::check_duplicates(&db, &o.bob, &p, None).await.unwrap();
        assert_eq!(hits[0].reasons, vec![DupReason::Phone, DupReason::Website]);

        // Editing a record does not flag the record itself; deleted records are not duplicates.
        assert!(customers::check_duplicates(&db, &o.alice, &a, Some(id)).await.unwrap().is_empty());
        let v = customers::get_customer(&db, &o.alice, id).await.unwrap().version;
        customers::delete_customer(&db, &o.alice, id, v).await.unwrap();
        assert!(customers::check_duplicates(&db, &o.bob, &a, None).await.unwrap().is_empty());

        // Roles that can neither create nor edit customers cannot probe for names.
        assert_eq!(customers::check_duplicates(&db, &o.agent, &a, None).await.unwrap_err(), AppError::Forbidden);

        // Rows written without keys (older data, bulk loads) get them at start-up.
        let mut tx = db.write().await.unwrap();
        sql("INSERT INTO customers (name, kind, status, version, created_at, updated_at) VALUES ('上海浦江精密机械股份有限公司', 'company', 'potential', 1, 0, 0)")
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(customers::backfill_dedup_keys(&db).await.unwrap(), 1);
        assert_eq!(customers::backfill_dedup_keys(&db).await.unwrap(), 0);
        let hits = customers::check_duplicates(&db, &o.admin, &customer_input("浦江精密机械（上海）有限公司"), None).await.unwrap();
        assert_eq!(hits.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn export_follows_the_filter_and_the_scope_and_is_audited() {
    use app::customers::service::ExportFormat;
    use app::platform::i18n::Locale;
    use app::platform::request::RequestMeta;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        customer(&db, &o.alice, "导出测试甲有限公司", None).await;
        customer(&db, &o.carol, "导出测试乙有限公司", None).await;
        customer(&db, &o.admin, "服务部客户有限公司", Some(o.agent.id)).await;
        let meta = RequestMeta { request_id: "r1".into(), ip: "192.0.2.1".into() };
        let all = ListParams::default();
        let (csv, n) = customers::export_customers(&db, &o.manager, &all, Locale::ZhCn, &meta, ExportFormat::Csv).await.unwrap();
        assert_eq!(n, 2, "the manager's tree, not the service department");
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with('\u{feff}'), "BOM for Excel");
        assert!(text.lines().next().unwrap().contains("客户名称"));
        assert!(text.contains("导出测试甲有限公司") && !text.contains("服务部客户"));
        let (xlsx, n) = customers::export_customers(
            &db,
            &o.admin,
            &ListParams { q: Some("导出测试".into()), ..Default::default() },
            Locale::En,
            &meta,
            ExportFormat::Xlsx,
        )
        .await
        .unwrap();
        assert_eq!(n, 2);
        // The workbook reads back (through the importer's reader) with English headings.
        let (headers, rows) = app::customers::import::parse_file("export.xlsx", &xlsx).unwrap();
        assert_eq!(headers[0], "Name");
        let mut names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        names.sort();
        assert_eq!(names, ["导出测试乙有限公司", "导出测试甲有限公司"]);
        // Salespeople may not export.
        let err = customers::export_customers(&db, &o.alice, &all, Locale::ZhCn, &meta, ExportFormat::Csv).await.unwrap_err();
        assert_eq!(err, AppError::Forbidden);
        let mut tx = db.read().await.unwrap();
        let rows: Vec<(String, String)> =
            sql("SELECT summary, ip FROM audit_log WHERE action = 'export' ORDER BY seq").fetch_all(&mut tx).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].0.starts_with("2 rows"));
        assert!(rows[1].0.contains("q=导出测试"));
        assert_eq!(rows[1].1, "192.0.2.1");
    })
    .await;
}
