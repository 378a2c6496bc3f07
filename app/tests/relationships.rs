//! Contacts, activities, the public pool and reassignment on SQLite and PostgreSQL.
mod common;
use app::activities::service as activities;
use app::activities::types::ActivityInput;
use app::contacts::service as contacts;
use app::contacts::types::ContactInput;
use app::customers::ownership::{self, Selection};
use app::customers::service as customers;
use app::customers::types::PoolSettings;
use app::platform::audit::{verify_chain, ChainStatus};
use app::platform::db::sql;
use app::platform::error::AppError;
use common::*;

fn contact(name: &str) -> ContactInput {
    ContactInput { name: name.into(), ..Default::default() }
}

fn call(subject: &str) -> ActivityInput {
    ActivityInput { kind: "call".into(), subject: subject.into(), ..Default::default() }
}

#[tokio::test]
async fn contacts_follow_their_customers_scope_and_keep_a_sound_reports_to_tree() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let boss = contacts::create_contact(&db, &o.alice, c, &ContactInput { is_primary: true, ..contact("陈国栋") }).await.unwrap();
        let buyer =
            contacts::create_contact(&db, &o.alice, c, &ContactInput { reports_to_id: Some(boss), is_primary: true, ..contact("刘晓梅") })
                .await
                .unwrap();
        // One primary contact: the newer one took it over.
        let list = contacts::list_contacts(&db, &o.alice, c).await.unwrap();
        assert!(list.can_edit);
        assert_eq!(list.contacts.iter().filter(|k| k.is_primary).map(|k| k.id).collect::<Vec<_>>(), vec![buyer]);

        // Scope: bob (same team, own scope) neither sees nor edits; the manager sees and edits; the agent only sees.
        assert_eq!(contacts::list_contacts(&db, &o.bob, c).await.unwrap_err(), AppError::NotFound);
        assert!(contacts::create_contact(&db, &o.bob, c, &contact("x")).await.is_err());
        assert!(contacts::list_contacts(&db, &o.manager, c).await.unwrap().can_edit);
        let seen_by_agent = contacts::list_contacts(&db, &o.agent, c).await.unwrap();
        assert_eq!((seen_by_agent.contacts.len(), seen_by_agent.can_edit), (2, false));
        assert_eq!(contacts::create_contact(&db, &o.agent, c, &contact("x")).await.unwrap_err(), AppError::Forbidden);

        // Reports-to: no cycles, no managers from another customer.
        let boss_row = list.contacts.iter().find(|k| k.id == boss).unwrap().clone();
        let cycle = ContactInput { reports_to_id: Some(buyer), ..boss_row.to_input() };
        let err = contacts::update_contact(&db, &o.alice, boss, boss_row.version, &cycle).await.unwrap_err();
        assert_eq!(err.field("reports_to_id").as_deref(), Some("validation.reports_to_cycle"));
        let other = customer(&db, &o.alice, "上海浦江精密机械股份有限公司", None).await;
        let stranger = contacts::create_contact(&db, &o.alice, other, &contact("外人")).await.unwrap();
        let err =
            contacts::create_contact(&db, &o.alice, c, &ContactInput { reports_to_id: Some(stranger), ..contact("y") }).await.unwrap_err();
        assert_eq!(err.field("reports_to_id").as_deref(), Some("validation.reports_to"));

        // Optimistic locking and soft delete with undo.
        let ok = contacts::update_contact(
            &db,
            &o.alice,
            boss,
            boss_row.version,
            &ContactInput { title: "总经理".into(), ..boss_row.to_input() },
        )
        .await;
        assert!(ok.is_ok());
        assert_eq!(
            contacts::update_contact(&db, &o.alice, boss, boss_row.version, &boss_row.to_input()).await.unwrap_err(),
            AppError::Conflict
        );
        contacts::set_contact_deleted(&db, &o.alice, buyer, true).await.unwrap();
        assert_eq!(contacts::list_contacts(&db, &o.alice, c).await.unwrap().contacts.len(), 1);
        contacts::set_contact_deleted(&db, &o.alice, buyer, false).await.unwrap();
        assert_eq!(contacts::list_contacts(&db, &o.alice, c).await.unwrap().contacts.len(), 2);
        let mut tx = db.read().await.unwrap();
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn birthdays_in_the_coming_days_wrap_the_year_and_respect_scope() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mine = customer(&db, &o.alice, "客户甲", None).await;
        let carols = customer(&db, &o.carol, "客户乙", None).await;
        for (who, c, name, birthday) in [
            (&o.alice, mine, "新年", "1980-01-03"),
            (&o.alice, mine, "除夕", "1990-12-30"),
            (&o.alice, mine, "夏天", "1990-07-01"),
            (&o.carol, carols, "别组", "1985-12-31"),
        ] {
            contacts::create_contact(db_ref(&db), who, c, &ContactInput { birthday: birthday.into(), ..contact(name) }).await.unwrap();
        }
        let names = |rows: Vec<app::contacts::types::BirthdayRow>| rows.into_iter().map(|r| (r.name, r.days_until)).collect::<Vec<_>>();
        let around_new_year = contacts::upcoming_birthdays(&db, &o.alice, (2026, 12, 29), 7).await.unwrap();
        assert_eq!(names(around_new_year), vec![("除夕".to_string(), 1), ("新年".to_string(), 5)]);
        let manager_view = contacts::upcoming_birthdays(&db, &o.manager, (2026, 12, 29), 7).await.unwrap();
        assert_eq!(manager_view.len(), 3, "the manager's tree holds both teams");
    })
    .await;
}

fn db_ref(db: &app::platform::db::Db) -> &app::platform::db::Db {
    db
}

#[tokio::test]
async fn the_timeline_pages_newest_first_filters_by_type_and_restarts_the_pool_clock() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let k = contacts::create_contact(&db, &o.alice, c, &contact("刘晓梅")).await.unwrap();
        sql("UPDATE customers SET last_touch_at = 0 WHERE id = $1").arg_i64(c).execute(&mut db.write().await.unwrap()).await.unwrap();
        for i in 0..45 {
            let kind = if i % 3 == 0 { "visit" } else { "call" };
            let input = ActivityInput {
                kind: kind.into(),
                occurred_at: format!("2026-01-{:02}T{:02}:00", 1 + i % 28, i % 24),
                contact_id: Some(k),
                ..call(&format!("跟进 {i}"))
            };
            activities::log_activity(&db, &o.alice, c, &input, 480).await.unwrap();
        }
        let touched = customers::get_customer(&db, &o.alice, c).await.unwrap().last_touch_at;
        assert!(touched > 0, "a done follow-up restarts the pool clock");

        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = activities::timeline(&db, &o.alice, c, None, after).await.unwrap();
            assert!(page.can_log);
            assert!(page.items.iter().all(|a| a.contact_name.as_deref() == Some("刘晓梅") && a.customer_id == Some(c)));
            seen.extend(page.items.iter().map(|a| (a.occurred_at, a.id)));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(seen.len(), 45);
        assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
        let visits = activities::timeline(&db, &o.alice, c, Some("visit".into()), None).await.unwrap();
        assert_eq!(visits.items.len(), 15);
        assert!(visits.items.iter().all(|a| a.kind == "visit"));

        // Scope: bob cannot read alice's timeline nor log on her customer; the agent reads but cannot log.
        assert_eq!(activities::timeline(&db, &o.bob, c, None, None).await.unwrap_err(), AppError::NotFound);
        assert!(activities::log_activity(&db, &o.bob, c, &call("x"), 480).await.is_err());
        assert!(!activities::timeline(&db, &o.agent, c, None, None).await.unwrap().can_log);
        // A contact of another customer cannot be linked.
        let other = customer(&db, &o.alice, "别的公司", None).await;
        let err =
            activities::log_activity(&db, &o.alice, other, &ActivityInput { contact_id: Some(k), ..call("x") }, 480).await.unwrap_err();
        assert_eq!(err.field("contact_id").as_deref(), Some("validation.invalid_choice"));
    })
    .await;
}

#[tokio::test]
async fn a_visit_plan_is_completed_with_its_result() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "客户甲", None).await;
        let plan =
            ActivityInput { kind: "visit".into(), planned: true, occurred_at: "2099-03-01T10:00".into(), ..call("拜访采购经理") };
        let id = activities::log_activity(&db, &o.alice, c, &plan, 480).await.unwrap();
        let mine = activities::my_plan(&db, &o.alice).await.unwrap();
        assert_eq!(mine.iter().map(|a| a.id).collect::<Vec<_>>(), vec![id]);
        assert!(activities::my_plan(&db, &o.bob).await.unwrap().is_empty());
        let version = mine[0].version;
        assert_eq!(
            activities::complete_activity(&db, &o.alice, id, version, " ").await.unwrap_err().field("result").as_deref(),
            Some("validation.required")
        );
        assert!(activities::complete_activity(&db, &o.bob, id, version, "x").await.is_err());
        activities::complete_activity(&db, &o.alice, id, version, "同意下周签约").await.unwrap();
        assert!(activities::my_plan(&db, &o.alice).await.unwrap().is_empty());
        let done = activities::timeline(&db, &o.alice, c, None, None).await.unwrap().items;
        assert_eq!((done[0].status.as_str(), done[0].result.as_deref()), ("done", Some("同意下周签约")));
        assert_eq!(activities::complete_activity(&db, &o.alice, id, version, "again").await.unwrap_err(), AppError::Conflict);
    })
    .await;
}

#[tokio::test]
async fn the_pool_release_claim_limit_and_history() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        ownership::save_pool_settings(&db, &o.admin, PoolSettings { return_days: 30, daily_claim_limit: 2 }).await.unwrap();
        assert!(ownership::save_pool_settings(&db, &o.alice, PoolSettings { return_days: 1, daily_claim_limit: 1 }).await.is_err());
        let mut ids = Vec::new();
        for name in ["公海一", "公海二", "公海三"] {
            let id = customer(&db, &o.carol, name, None).await;
            let v = customers::get_customer(&db, &o.carol, id).await.unwrap().version;
            // Releasing needs a reason.
            assert!(ownership::release_customer(&db, &o.carol, id, v, " ").await.is_err());
            ownership::release_customer(&db, &o.carol, id, v, "客户暂无需求").await.unwrap();
            ids.push(id);
        }
        // Alice sees pool customers (not her own scope) and may claim two today.
        let pool = ownership::list_pool(&db, &o.alice, None, None, 480).await.unwrap();
        assert_eq!((pool.rows.len(), pool.claims_left), (3, Some(2)));
        let seen = customers::get_customer(&db, &o.alice, ids[0]).await.unwrap();
        assert!(seen.can_claim && !seen.can_edit);
        assert_eq!(ownership::list_pool(&db, &o.agent, None, None, 480).await.unwrap_err(), AppError::Forbidden);
        ownership::claim_customer(&db, &o.alice, ids[0], 480).await.unwrap();
        // Someone else's claim of the same customer loses.
        assert_eq!(ownership::claim_customer(&db, &o.bob, ids[0], 480).await.unwrap_err(), AppError::Conflict);
        ownership::claim_customer(&db, &o.alice, ids[1], 480).await.unwrap();
        let err = ownership::claim_customer(&db, &o.alice, ids[2], 480).await.unwrap_err();
        assert_eq!(err.field("claim").as_deref(), Some("pool.limit_reached"));
        assert_eq!(ownership::list_pool(&db, &o.alice, None, None, 480).await.unwrap().claims_left, Some(0));
        let owned = customers::get_customer(&db, &o.alice, ids[0]).await.unwrap();
        assert_eq!(owned.owner_id, Some(o.alice.id));
        assert!(owned.can_edit);
        let history = ownership::owner_history(&db, &o.alice, ids[0]).await.unwrap();
        assert_eq!(history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(), vec!["claim", "release"]);
        assert_eq!(history[1].reason.as_deref(), Some("客户暂无需求"));
        let mut tx = db.read().await.unwrap();
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn untouched_customers_return_to_the_pool_and_a_follow_up_keeps_them() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let stale = customer(&db, &o.alice, "很久没联系", None).await;
        let fresh = customer(&db, &o.alice, "刚联系过", None).await;
        let day = 86_400_000_i64;
        let now = app::platform::time::now_ms();
        let mut tx = db.write().await.unwrap();
        sql("UPDATE customers SET last_touch_at = $1 WHERE id IN ($2, $3)")
            .arg_i64(now - 40 * day)
            .arg_i64(stale)
            .arg_i64(fresh)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        activities::log_activity(&db, &o.alice, fresh, &call("回访"), 480).await.unwrap();
        assert_eq!(ownership::auto_return(&db, now + 1000).await.unwrap(), 1);
        assert_eq!(customers::get_customer(&db, &o.manager, stale).await.unwrap().owner_id, None);
        assert_eq!(customers::get_customer(&db, &o.alice, fresh).await.unwrap().owner_id, Some(o.alice.id));
        let h = ownership::owner_history(&db, &o.manager, stale).await.unwrap();
        assert_eq!((h[0].kind.as_str(), h[0].from_name.as_deref()), ("auto_return", Some("alice name")));
        // Turned off with 0 days.
        ownership::save_pool_settings(&db, &o.admin, PoolSettings { return_days: 0, daily_claim_limit: 5 }).await.unwrap();
        assert_eq!(ownership::auto_return(&db, now + 1000 * day).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn bulk_reassignment_moves_everything_in_scope_with_reason_and_history() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        for i in 0..30 {
            customer(&db, &o.alice, &format!("离职交接客户{i}"), None).await;
        }
        let carols = customer(&db, &o.carol, "华北客户", None).await;
        // Salespeople cannot reassign; the manager can, within the sales tree.
        assert_eq!(
            ownership::transfer_customers(&db, &o.alice, &Selection::OwnedBy(o.alice.id), o.bob.id, "x").await.unwrap_err(),
            AppError::Forbidden
        );
        let err = ownership::transfer_customers(&db, &o.manager, &Selection::OwnedBy(o.alice.id), o.agent.id, "离职").await.unwrap_err();
        assert_eq!(err.field("to").as_deref(), Some("validation.owner_out_of_scope"));
        assert!(ownership::transfer_customers(&db, &o.manager, &Selection::OwnedBy(o.alice.id), o.bob.id, "").await.is_err());
        assert_eq!(ownership::transfer_count(&db, &o.manager, &Selection::OwnedBy(o.alice.id)).await.unwrap(), 30);
        let moved = ownership::transfer_customers(&db, &o.manager, &Selection::OwnedBy(o.alice.id), o.bob.id, "李娜离职，客户交接给王芳")
            .await
            .unwrap();
        assert_eq!(moved, 30);
        let bobs = customers::list_customers(&db, &o.bob, &Default::default()).await.unwrap().rows;
        assert_eq!(bobs.len(), 30);
        assert!(customers::list_customers(&db, &o.alice, &Default::default()).await.unwrap().rows.is_empty());
        let h = ownership::owner_history(&db, &o.bob, bobs[0].id).await.unwrap();
        assert_eq!(
            (h[0].from_name.as_deref(), h[0].to_name.as_deref(), h[0].reason.as_deref()),
            (Some("alice name"), Some("bob name"), Some("李娜离职，客户交接给王芳"))
        );
        // Picking ids outside the user's scope refuses the whole transfer.
        let err = ownership::transfer_customers(&db, &o.manager, &Selection::Ids(vec![bobs[0].id, 999_999]), o.carol.id, "调整")
            .await
            .unwrap_err();
        assert_eq!(err, AppError::NotFound);
        assert_eq!(customers::get_customer(&db, &o.bob, bobs[0].id).await.unwrap().owner_id, Some(o.bob.id));
        // Moving the owner through the edit form is recorded too.
        let c = customers::get_customer(&db, &o.manager, carols).await.unwrap();
        let mut input = c.to_input();
        input.owner_id = Some(o.alice.id);
        customers::update_customer(&db, &o.manager, carols, c.version, &input).await.unwrap();
        assert_eq!(ownership::owner_history(&db, &o.manager, carols).await.unwrap()[0].to_name.as_deref(), Some("alice name"));
    })
    .await;
}

#[tokio::test]
async fn merging_keeps_every_contact_activity_and_history_row_and_undo_restores_both() {
    on_both_databases(|db| async move {
        use app::customers::merge;
        let o = org(&db).await;
        let kept = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let mut input = common::customer_input("天度网络（北京）科技有限公司");
        input.phone = "010-6552 8888".into();
        input.tax_id = "91110105MA01ABCD2X".into();
        let other = customers::create_customer(&db, &o.alice, &input).await.unwrap();
        let k1 = contacts::create_contact(&db, &o.alice, kept, &contact("陈国栋")).await.unwrap();
        let k2 = contacts::create_contact(&db, &o.alice, other, &contact("刘晓梅")).await.unwrap();
        activities::log_activity(&db, &o.alice, kept, &call("电话一"), 480).await.unwrap();
        activities::log_activity(&db, &o.alice, other, &ActivityInput { contact_id: Some(k2), ..call("电话二") }, 480).await.unwrap();
        let v = customers::get_customer(&db, &o.alice, other).await.unwrap().version;
        ownership::release_customer(&db, &o.alice, other, v, "测试").await.unwrap();
        ownership::claim_customer(&db, &o.alice, other, 480).await.unwrap();

        // The saved customer's page lists the other as a duplicate; "not a duplicate" hides it, for both sides.
        let hits = merge::duplicates_of(&db, &o.alice, kept).await.unwrap();
        assert_eq!(hits.iter().filter_map(|h| h.id).collect::<Vec<_>>(), vec![other]);
        // Salespeople may not delete others' customers: bob cannot merge alice's.
        assert!(merge::merge_customers(&db, &o.bob, kept, other).await.is_err());
        assert!(merge::merge_customers(&db, &o.alice, kept, kept).await.is_err());

        let seq = merge::merge_customers(&db, &o.alice, kept, other).await.unwrap();
        let after = customers::get_customer(&db, &o.alice, kept).await.unwrap();
        assert_eq!(after.phone.as_deref(), Some("010-6552 8888"), "empty fields are filled from the merged record");
        assert_eq!(after.tax_id.as_deref(), Some("91110105MA01ABCD2X"));
        let names: Vec<String> = contacts::list_contacts(&db, &o.alice, kept).await.unwrap().contacts.into_iter().map(|c| c.name).collect();
        assert_eq!(names.len(), 2);
        let timeline = activities::timeline(&db, &o.alice, kept, None, None).await.unwrap().items;
        assert_eq!(timeline.len(), 2);
        assert_eq!(ownership::owner_history(&db, &o.alice, kept).await.unwrap().len(), 2);
        let gone = customers::get_customer(&db, &o.alice, other).await.unwrap();
        assert!(gone.deleted_at.is_some());
        assert_eq!(gone.merged_into, Some(kept));
        assert!(customers::list_customers(&db, &o.alice, &Default::default()).await.unwrap().rows.iter().all(|r| r.id != other));
        // The duplicate check now finds nothing to merge.
        assert!(merge::duplicates_of(&db, &o.alice, kept).await.unwrap().is_empty());

        // Undo from the audit record; a second undo is refused.
        assert_eq!(merge::undo_merge(&db, &o.alice, seq).await.unwrap(), other);
        assert_eq!(merge::undo_merge(&db, &o.alice, seq).await.unwrap_err(), AppError::Conflict);
        assert_eq!(contacts::list_contacts(&db, &o.alice, kept).await.unwrap().contacts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![k1]);
        assert_eq!(
            contacts::list_contacts(&db, &o.alice, other).await.unwrap().contacts.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![k2]
        );
        assert_eq!(activities::timeline(&db, &o.alice, other, None, None).await.unwrap().items[0].subject, "电话二");
        assert_eq!(ownership::owner_history(&db, &o.alice, other).await.unwrap().len(), 2);
        assert!(ownership::owner_history(&db, &o.alice, kept).await.unwrap().is_empty());
        let restored = customers::get_customer(&db, &o.alice, kept).await.unwrap();
        assert_eq!((restored.phone, restored.tax_id), (None, None));
        let back = customers::get_customer(&db, &o.alice, other).await.unwrap();
        assert_eq!((back.deleted_at, back.merged_into), (None, None));

        merge::mark_not_duplicate(&db, &o.alice, kept, other).await.unwrap();
        assert!(merge::duplicates_of(&db, &o.alice, kept).await.unwrap().is_empty());
        assert!(merge::duplicates_of(&db, &o.alice, other).await.unwrap().is_empty());
        let mut tx = db.read().await.unwrap();
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn attachments_are_type_checked_stored_outside_the_web_root_and_scoped() {
    on_both_databases(|db| async move {
        use app::activities::attachments;
        let o = org(&db).await;
        let dir = std::env::temp_dir().join(format!("crm-attach-{}", std::process::id()));
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let a = activities::log_activity(&db, &o.alice, c, &call("报价"), 480).await.unwrap();
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec();
        let id = attachments::save(&db, &o.alice, a, "报价单.pdf", &pdf, &dir).await.unwrap();
        // A renamed executable and an oversize file are refused.
        let err = attachments::save(&db, &o.alice, a, "报价单.pdf", b"MZ\x90\x00", &dir).await.unwrap_err();
        assert_eq!(err.field("file").as_deref(), Some("attachment.bad_type"));
        let big = vec![b'a'; attachments::MAX_BYTES + 1];
        assert_eq!(
            attachments::save(&db, &o.alice, a, "big.txt", &big, &dir).await.unwrap_err().field("file").as_deref(),
            Some("attachment.too_large")
        );
        // Bob may neither attach nor read; the manager and the service agent may read.
        assert!(attachments::save(&db, &o.bob, a, "x.txt", b"x", &dir).await.is_err());
        assert_eq!(attachments::open(&db, &o.bob, id, &dir).await.unwrap_err(), AppError::NotFound);
        let (name, mime, bytes) = attachments::open(&db, &o.agent, id, &dir).await.unwrap();
        assert_eq!((name.as_str(), mime.as_str(), bytes), ("报价单.pdf", "application/pdf", pdf));
        // The timeline lists it with its activity.
        let items = activities::timeline(&db, &o.manager, c, None, None).await.unwrap().items;
        assert_eq!(items[0].attachments.iter().map(|f| f.file_name.as_str()).collect::<Vec<_>>(), vec!["报价单.pdf"]);
        attachments::delete(&db, &o.alice, id).await.unwrap();
        assert_eq!(attachments::open(&db, &o.alice, id, &dir).await.unwrap_err(), AppError::NotFound);
        assert!(activities::timeline(&db, &o.alice, c, None, None).await.unwrap().items[0].attachments.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    })
    .await;
}
