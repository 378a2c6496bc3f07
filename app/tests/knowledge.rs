//! The knowledge base on SQLite and PostgreSQL: Chinese search of two characters (LIKE)
//! and of three or more (the trigram indexes), every word required, categories, drafts
//! only for editors, optimistic locking, delete and restore, suggestions from a request's
//! text, links to requests within the request's scope, and the audit trail.
mod common;
use app::knowledge::service as kb;
use app::knowledge::types::*;
use app::platform::db::sql;
use app::platform::error::AppError;
use app::tickets::service as desk;
use app::tickets::types::ServiceInput;
use common::*;

fn article(title: &str, body: &str, category: &str, tags: &str, published: bool) -> ArticleInput {
    ArticleInput {
        title: title.into(),
        body: body.into(),
        category: category.into(),
        tags: tags.into(),
        audience: "internal".into(),
        published,
    }
}

fn titles(p: &ArticlePage) -> Vec<String> {
    p.rows.iter().map(|r| r.title.clone()).collect()
}

#[tokio::test]
async fn articles_are_found_in_chinese_suggested_and_linked() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let spindle = kb::create(
            &db,
            &o.agent,
            &ArticleInput {
                audience: "public".into(),
                ..article(
                    "主轴异响排查步骤",
                    "1. 检查主轴轴承润滑是否充足。\n2. 低速空转听诊，确认异响来源。\n3. 必要时更换轴承。",
                    "数控机床",
                    "主轴，轴承",
                    true,
                )
            },
        )
        .await
        .unwrap();
        let air = kb::create(&db, &o.agent, &article("空压机压力不足", "检查进气滤芯与泄漏点，调整卸载压力。", "空压机", "压力", true))
            .await
            .unwrap();
        let draft =
            kb::create(&db, &o.agent, &article("VMC-850 换刀故障", "刀库定位传感器松动时换刀报警。", "数控机床", "", false)).await.unwrap();

        // Bad input is named field by field; salespeople do not write articles.
        let bad = ArticleInput { audience: "all".into(), ..article(" ", "", "", "", true) };
        let e = kb::create(&db, &o.agent, &bad).await.unwrap_err();
        let AppError::Validation(es) = e else { panic!("{e:?}") };
        assert_eq!(es.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["title", "body", "audience"]);
        assert_eq!(kb::create(&db, &o.alice, &article("x", "y", "", "", true)).await.unwrap_err(), AppError::Forbidden);

        // Two characters (LIKE), three or more (trigram index), every word required.
        assert_eq!(titles(&kb::search(&db, &o.alice, "主轴", "").await.unwrap()), ["主轴异响排查步骤"]);
        assert_eq!(titles(&kb::search(&db, &o.alice, "轴承润滑", "").await.unwrap()), ["主轴异响排查步骤"]);
        assert_eq!(titles(&kb::search(&db, &o.alice, "异响  主轴", "").await.unwrap()), ["主轴异响排查步骤"]);
        assert!(kb::search(&db, &o.alice, "主轴 滤芯", "").await.unwrap().rows.is_empty());
        assert_eq!(titles(&kb::search(&db, &o.alice, "卸载压力", "").await.unwrap()), ["空压机压力不足"]);
        // Drafts: the editors see them, the readers do not.
        assert!(kb::search(&db, &o.alice, "换刀", "").await.unwrap().rows.is_empty());
        assert_eq!(kb::get(&db, &o.alice, draft).await.unwrap_err(), AppError::NotFound);
        let page = kb::search(&db, &o.agent, "换刀", "").await.unwrap();
        assert_eq!((titles(&page), page.can_edit), (vec!["VMC-850 换刀故障".to_string()], true));
        assert_eq!(titles(&kb::search(&db, &o.agent, "vmc", "").await.unwrap()), ["VMC-850 换刀故障"]);
        // Categories.
        assert_eq!(kb::categories(&db, &o.alice).await.unwrap(), ["数控机床", "空压机"]);
        assert_eq!(titles(&kb::search(&db, &o.agent, "", "数控机床").await.unwrap()).len(), 2);
        let reader = kb::search(&db, &o.engineer, "", "").await.unwrap();
        assert_eq!((reader.rows.len(), reader.can_edit), (2, false));

        // Editing is version-checked; the old text no longer matches.
        let a = kb::get(&db, &o.agent, air).await.unwrap().article;
        assert_eq!(a.tags, "压力");
        let mut changed = a.to_input();
        changed.body = "检查进气滤芯与管路泄漏，调整加载与卸载压力。".into();
        kb::update(&db, &o.agent, air, a.version, &changed).await.unwrap();
        assert_eq!(kb::update(&db, &o.agent, air, a.version, &changed).await.unwrap_err(), AppError::Conflict);
        assert_eq!(titles(&kb::search(&db, &o.alice, "管路泄漏", "").await.unwrap()), ["空压机压力不足"]);

        // Deleted articles leave the search and come back when restored.
        let a = kb::get(&db, &o.agent, air).await.unwrap().article;
        assert_eq!(kb::set_deleted(&db, &o.alice, air, a.version, true).await.unwrap_err(), AppError::Forbidden);
        let v = kb::set_deleted(&db, &o.agent, air, a.version, true).await.unwrap();
        assert!(kb::search(&db, &o.agent, "空压机", "").await.unwrap().rows.is_empty());
        assert_eq!(kb::get(&db, &o.agent, air).await.unwrap_err(), AppError::NotFound);
        kb::set_deleted(&db, &o.agent, air, v, false).await.unwrap();
        assert_eq!(titles(&kb::search(&db, &o.agent, "空压机", "").await.unwrap()), ["空压机压力不足"]);

        // A request's text suggests the spindle article (not the draft, not the compressor).
        let c = customer(&db, &o.admin, "常州恒力精密机械有限公司", Some(o.alice.id)).await;
        let request = ServiceInput {
            customer_id: Some(c),
            kind: "repair".into(),
            channel: "phone".into(),
            priority: "normal".into(),
            subject: "主轴高速运转时异响".into(),
            description: "夜班停机，怀疑轴承问题".into(),
            ..Default::default()
        };
        let sr = desk::create(&db, &o.alice, &request).await.unwrap();
        let ra = kb::for_request(&db, &o.alice, sr).await.unwrap();
        assert!(ra.linked.is_empty());
        assert_eq!(ra.suggested.iter().map(|a| a.id).collect::<Vec<_>>(), [spindle]);
        assert!(ra.can_link);

        // Linking moves it from the suggestions to the links, once.
        kb::set_link(&db, &o.alice, sr, spindle, true).await.unwrap();
        kb::set_link(&db, &o.alice, sr, spindle, true).await.unwrap();
        let ra = kb::for_request(&db, &o.alice, sr).await.unwrap();
        assert_eq!((ra.linked.iter().map(|a| a.id).collect::<Vec<_>>(), ra.suggested.len()), (vec![spindle], 0));
        let d = kb::get(&db, &o.alice, spindle).await.unwrap();
        assert_eq!(d.requests.iter().map(|r| r.0).collect::<Vec<_>>(), [sr]);
        // Outside the request's scope nothing is linked or shown; drafts cannot be linked.
        assert_eq!(kb::set_link(&db, &o.carol, sr, spindle, false).await.unwrap_err(), AppError::NotFound);
        assert_eq!(kb::for_request(&db, &o.carol, sr).await.unwrap_err(), AppError::NotFound);
        assert!(kb::get(&db, &o.carol, spindle).await.unwrap().requests.is_empty());
        let e = kb::set_link(&db, &o.alice, sr, draft, true).await.unwrap_err();
        assert_eq!(e, AppError::validation("article_id", "validation.invalid_choice"));
        kb::set_link(&db, &o.alice, sr, spindle, false).await.unwrap();
        assert_eq!(kb::for_request(&db, &o.alice, sr).await.unwrap().suggested.len(), 1);

        // The audit trail.
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'kb_article'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 3 + 1 + 2, "three created, one edit, a delete and a restore");
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'service_request' AND entity_id = $1 AND summary LIKE '%article%'")
            .arg_i64(sr)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(n, 2, "linked once (the repeat changed nothing) and unlinked");
    })
    .await;
}
