//! Opportunities, stage gates, stage history, the board and process settings, on
//! SQLite and PostgreSQL.
mod common;
use app::activities::service as activities;
use app::activities::types::ActivityInput;
use app::contacts::service as contacts;
use app::contacts::types::ContactInput;
use app::opportunities::service as opps;
use app::opportunities::settings;
use app::opportunities::types::*;
use app::platform::audit::{verify_chain, ChainStatus};
use app::platform::db::sql;
use app::platform::error::AppError;
use common::*;

fn opp(name: &str, customer: i64) -> OpportunityInput {
    OpportunityInput { name: name.into(), customer_id: Some(customer), currency: "CNY".into(), ..Default::default() }
}

fn stage_id(board: &Board, code: &str) -> i64 {
    board.process.stages.iter().find(|s| s.code.as_deref() == Some(code)).map(|s| s.id).expect("stage")
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

#[tokio::test]
async fn opportunities_follow_scope_and_privacy() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let public = opps::create(&db, &o.alice, &opp("ERP 升级", c)).await.unwrap();
        let private = opps::create(&db, &o.alice, &OpportunityInput { is_private: true, ..opp("保密项目", c) }).await.unwrap();
        // Another salesperson sees neither; the manager sees only the public one; the admin both.
        assert_eq!(opps::get(&db, &o.bob, public).await.unwrap_err(), AppError::NotFound);
        assert!(opps::get(&db, &o.manager, public).await.unwrap().can_edit);
        assert_eq!(opps::get(&db, &o.manager, private).await.unwrap_err(), AppError::NotFound);
        assert!(opps::get(&db, &o.admin, private).await.is_ok());
        let names = |rows: Vec<OpportunityRow>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(names(opps::by_customer(&db, &o.manager, c).await.unwrap()), vec!["ERP 升级"]);
        assert_eq!(opps::by_customer(&db, &o.alice, c).await.unwrap().len(), 2);
        // An opportunity needs a customer the user can see.
        let carols = customer(&db, &o.carol, "上海浦江精密机械股份有限公司", None).await;
        assert_eq!(opps::create(&db, &o.alice, &opp("越界", carols)).await.unwrap_err(), AppError::NotFound);
        // The service agent (customer view only) has no opportunity rights at all.
        assert_eq!(opps::get(&db, &o.agent, public).await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}

#[tokio::test]
async fn stage_gates_history_and_closing() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let id = opps::create(&db, &o.alice, &opp("ERP 升级", c)).await.unwrap();
        let board = opps::board(&db, &o.alice, &BoardQuery::default()).await.unwrap();
        let (qualification, proposal, negotiation) =
            (stage_id(&board, "qualification"), stage_id(&board, "proposal"), stage_id(&board, "negotiation"));

        // Qualification needs a contact: refused with the missing field, nothing changes.
        let v = opps::get(&db, &o.alice, id).await.unwrap().version;
        let err = opps::move_stage(&db, &o.alice, id, v, qualification).await.unwrap_err();
        assert_eq!(fields(&err), vec!["stage:pipeline.gate", "contact_id:validation.required"]);
        assert_eq!(opps::get(&db, &o.alice, id).await.unwrap().version, v);
        let k = contacts::create_contact(&db, &o.alice, c, &ContactInput { name: "陈国栋".into(), ..Default::default() }).await.unwrap();
        let saved = opps::update(&db, &o.alice, id, v, &OpportunityInput { contact_id: Some(k), ..opp("ERP 升级", c) }).await.unwrap();
        let m = opps::move_stage(&db, &o.alice, id, saved.version, qualification).await.unwrap();
        // A stale version is a conflict.
        assert_eq!(opps::move_stage(&db, &o.alice, id, saved.version, proposal).await.unwrap_err(), AppError::Conflict);

        // Proposal needs amount, close date and needs; negotiation also a logged visit.
        let err = opps::move_stage(&db, &o.alice, id, m.version, proposal).await.unwrap_err();
        assert_eq!(
            fields(&err),
            vec!["stage:pipeline.gate", "amount:validation.required", "expected_close:validation.required", "needs:validation.required"]
        );
        let full = OpportunityInput {
            contact_id: Some(k),
            amount: "128,000".into(),
            expected_close: "2027-03-31".into(),
            needs: "ERP 替换".into(),
            decision_makers: "陈国栋".into(),
            ..opp("ERP 升级", c)
        };
        let saved = opps::update(&db, &o.alice, id, m.version, &full).await.unwrap();
        assert_eq!(saved.amount, 12_800_000);
        let m = opps::move_stage(&db, &o.alice, id, saved.version, proposal).await.unwrap();
        let err = opps::move_stage(&db, &o.alice, id, m.version, negotiation).await.unwrap_err();
        assert_eq!(fields(&err), vec!["stage:pipeline.gate", "activity:activity.kind.visit"]);
        // The current stage's required fields cannot be emptied.
        let err =
            opps::update(&db, &o.alice, id, m.version, &OpportunityInput { amount: String::new(), ..full.clone() }).await.unwrap_err();
        assert_eq!(fields(&err), vec!["amount:validation.required"]);
        // A visit logged on the opportunity opens the gate; one on another customer's opportunity is refused.
        let visit = ActivityInput { kind: "visit".into(), subject: "现场演示".into(), opportunity_id: Some(id), ..Default::default() };
        let other = customer(&db, &o.alice, "上海浦江精密机械股份有限公司", None).await;
        let err = activities::log_activity(&db, &o.alice, other, &visit, 480).await.unwrap_err();
        assert_eq!(err.field("opportunity_id").as_deref(), Some("validation.invalid_choice"));
        activities::log_activity(&db, &o.alice, c, &visit, 480).await.unwrap();
        assert_eq!(opps::activities(&db, &o.alice, id).await.unwrap().len(), 1);
        let m = opps::move_stage(&db, &o.alice, id, m.version, negotiation).await.unwrap();
        // Moving back needs no gate; won and lost go through `close` with a reason.
        let back = opps::move_stage(&db, &o.alice, id, m.version, proposal).await.unwrap();
        let won_stage = stage_id(&board, "won");
        let err = opps::move_stage(&db, &o.alice, id, back.version, won_stage).await.unwrap_err();
        assert_eq!(fields(&err), vec!["stage:pipeline.close_needs_reason"]);
        let err = opps::close(&db, &o.alice, id, back.version, false, " ", "").await.unwrap_err();
        assert_eq!(fields(&err), vec!["close_reason:validation.required"]);
        let lost = opps::close(&db, &o.alice, id, back.version, false, "价格太高", "下次提前做预算").await.unwrap();
        assert_eq!((lost.status.as_str(), lost.close_reason.as_deref()), ("lost", Some("价格太高")));
        let err = opps::move_stage(&db, &o.alice, id, lost.version, proposal).await.unwrap_err();
        assert_eq!(fields(&err), vec!["stage:pipeline.closed"]);

        // History: created, then five moves and the loss, newest first, each with time in the stage left.
        let h = opps::history(&db, &o.alice, id).await.unwrap();
        assert_eq!(h.len(), 6);
        assert_eq!(h.last().unwrap().from_stage_id, None);
        assert!(h[..5].iter().all(|m| m.time_in_stage.is_some_and(|t| t >= 0)));
        let mut tx = db.read().await.unwrap();
        let moves = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'opportunity' AND entity_id = $1 AND action IN ('move', 'lose')")
            .arg_i64(id)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(moves, 5);
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn the_board_shows_open_cards_per_stage_within_scope_and_filters() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let d = customer(&db, &o.bob, "深圳腾达电子有限公司", None).await;
        for (who, cust, name, amount, close) in [
            (&o.alice, c, "A1", "100000", "2027-01-15"),
            (&o.alice, c, "A2", "50000.50", "2027-02-15"),
            (&o.bob, d, "B1", "20000", "2027-01-20"),
        ] {
            let input = OpportunityInput { amount: amount.into(), expected_close: close.into(), ..opp(name, cust) };
            opps::create(&db, who, &input).await.unwrap();
        }
        let names = |b: &Board| {
            let mut n: Vec<String> = b.cards.iter().map(|c| c.name.clone()).collect();
            n.sort();
            n
        };
        let mine = opps::board(&db, &o.alice, &BoardQuery::default()).await.unwrap();
        assert_eq!(names(&mine), vec!["A1", "A2"]);
        let first = mine.process.first_open().unwrap();
        let totals = column_totals(&mine.cards, first.probability);
        assert_eq!(totals, vec![Total { currency: "CNY".into(), amount: 15_000_050, weighted: 1_500_005 }]);
        let team = opps::board(&db, &o.manager, &BoardQuery::default()).await.unwrap();
        assert_eq!(names(&team), vec!["A1", "A2", "B1"]);
        let bobs = opps::board(&db, &o.manager, &BoardQuery { owner: Some(o.bob.id), ..Default::default() }).await.unwrap();
        assert_eq!(names(&bobs), vec!["B1"]);
        let january = BoardQuery { close_from: Some("2027-01-01".into()), close_to: Some("2027-01-31".into()), ..Default::default() };
        assert_eq!(names(&opps::board(&db, &o.manager, &january).await.unwrap()), vec!["A1", "B1"]);
        let bad = BoardQuery { close_from: Some("2027-13-01".into()), ..Default::default() };
        assert!(opps::board(&db, &o.manager, &bad).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn process_settings_add_order_and_guard_stages() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let board = opps::board(&db, &o.admin, &BoardQuery::default()).await.unwrap();
        let pid = board.process.id;
        let input = StageInput {
            process_id: pid,
            name: "技术交流".into(),
            probability: 40,
            required_fields: vec!["needs".into()],
            ..Default::default()
        };
        assert_eq!(settings::save_stage(&db, &o.alice, &input).await.unwrap_err(), AppError::Forbidden);
        settings::save_stage(&db, &o.admin, &input).await.unwrap();
        let bad = StageInput { probability: 140, required_fields: vec!["salary".into()], ..input.clone() };
        let err = settings::save_stage(&db, &o.admin, &bad).await.unwrap_err();
        assert_eq!(fields(&err), vec!["probability:validation.range", "required_fields:validation.invalid_choice"]);
        let stages = |b: &Board| b.process.stages.iter().map(|s| (s.label_key().unwrap_or_else(|k| k), s.kind.clone())).collect::<Vec<_>>();
        let b = opps::board(&db, &o.admin, &BoardQuery::default()).await.unwrap();
        let order = stages(&b);
        // Added after the last open stage, before won and lost.
        assert_eq!(order[4].0, "技术交流");
        assert_eq!((order[5].1.as_str(), order[6].1.as_str()), ("won", "lost"));
        let added = b.process.stages[4].id;
        settings::move_stage(&db, &o.admin, added, true).await.unwrap();
        let b = opps::board(&db, &o.admin, &BoardQuery::default()).await.unwrap();
        assert_eq!(b.process.stages[3].id, added);
        // A stage holding an open opportunity cannot go; an empty one can; won cannot.
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let first = b.process.first_open().unwrap().id;
        opps::create(&db, &o.alice, &opp("占用", c)).await.unwrap();
        assert_eq!(fields(&settings::remove_stage(&db, &o.admin, first).await.unwrap_err()), vec!["stage:process.stage_in_use"]);
        let won = b.process.stages.iter().find(|s| s.kind == "won").unwrap().id;
        assert_eq!(fields(&settings::remove_stage(&db, &o.admin, won).await.unwrap_err()), vec!["stage:process.keep_closing_stages"]);
        settings::remove_stage(&db, &o.admin, added).await.unwrap();
        // A second process starts with the standard stages.
        let p2 = settings::create_process(&db, &o.admin, "项目型销售").await.unwrap();
        let b2 = opps::board(&db, &o.admin, &BoardQuery { process: Some(p2), ..Default::default() }).await.unwrap();
        assert_eq!(b2.process.stages.len(), 6);
        assert_eq!(b2.processes.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn registration_conflicts_wait_for_a_managers_approval() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let first = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let alices = opps::create(&db, &o.alice, &opp("ERP 升级", first)).await.unwrap();
        // The same owner on the same customer is no conflict.
        let again = opps::create(&db, &o.alice, &opp("培训服务", first)).await.unwrap();
        assert_eq!(opps::get(&db, &o.alice, again).await.unwrap().registration, "approved");

        // Bob registers the same company under another spelling: pending, with the conflict named.
        let same = customer(&db, &o.bob, "天度网络科技（北京）有限公司", None).await;
        let bobs = opps::create(&db, &o.bob, &opp("数据中台", same)).await.unwrap();
        let pending = opps::get(&db, &o.bob, bobs).await.unwrap();
        assert_eq!(pending.registration, "pending");
        assert!(!pending.can_approve);
        let names: Vec<&str> = pending.conflicts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["ERP 升级", "培训服务"]);
        assert_eq!(pending.conflicts[0].owner_name.as_deref(), Some("alice name"));
        assert_eq!(pending.conflicts[0].id, alices);
        // It cannot move or close until approved; Bob cannot approve himself.
        let board = opps::board(&db, &o.bob, &BoardQuery::default()).await.unwrap();
        assert_eq!(board.cards.iter().find(|c| c.id == bobs).map(|c| c.registration.as_str()), Some("pending"));
        let err = opps::close(&db, &o.bob, bobs, pending.version, false, "不做了", "").await.unwrap_err();
        assert_eq!(fields(&err), vec!["stage:registration.pending_move"]);
        assert_eq!(
            app::opportunities::registration::decide(&db, &o.bob, bobs, pending.version, true, "").await.unwrap_err(),
            AppError::Forbidden
        );
        // The manager sees it in the pending list and approves it.
        let list = opps::list(&db, &o.manager, &OppFilter { registration: Some("pending".into()), ..Default::default() }, None, 480)
            .await
            .unwrap();
        assert_eq!(list.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![bobs]);
        let m = opps::get(&db, &o.manager, bobs).await.unwrap();
        assert!(m.can_approve);
        let approved =
            app::opportunities::registration::decide(&db, &o.manager, bobs, m.version, true, "分区不同，可以跟进").await.unwrap();
        assert_eq!(approved.registration, "approved");
        assert_eq!(
            app::opportunities::registration::decide(&db, &o.manager, bobs, approved.version, true, "").await.unwrap_err(),
            AppError::validation("registration", "registration.not_pending")
        );
        opps::close(&db, &o.bob, bobs, approved.version, false, "预算取消", "").await.unwrap();

        // Carol's opportunity on a customer with the same distinctive name is rejected with a reason: lost.
        let core = customer(&db, &o.carol, "天度科技有限公司", None).await;
        let carols = opps::create(&db, &o.carol, &opp("安全审计", core)).await.unwrap();
        let c = opps::get(&db, &o.manager, carols).await.unwrap();
        assert_eq!(c.registration, "pending");
        let err = app::opportunities::registration::decide(&db, &o.manager, carols, c.version, false, " ").await.unwrap_err();
        assert_eq!(err, AppError::validation("registration_note", "validation.required"));
        let rejected = app::opportunities::registration::decide(&db, &o.manager, carols, c.version, false, "李娜已在跟进").await.unwrap();
        assert_eq!((rejected.registration.as_str(), rejected.status.as_str()), ("rejected", "lost"));
        assert_eq!(rejected.close_reason.as_deref(), Some("李娜已在跟进"));
        let actions: Vec<String> =
            sql("SELECT action FROM audit_log WHERE entity = 'opportunity' AND action IN ('register', 'approve', 'reject') ORDER BY id")
                .fetch_all(&mut db.read().await.unwrap())
                .await
                .unwrap()
                .into_iter()
                .map(|(a,): (String,)| a)
                .collect();
        assert_eq!(actions, vec!["register", "approve", "register", "reject"]);
    })
    .await;
}

#[tokio::test]
async fn board_views_are_saved_per_user_or_shared() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let q = BoardQuery { owner: Some(o.alice.id), close_from: Some("2026-01-01".into()), ..Default::default() };
        let err = opps::save_board_view(&db, &o.manager, " ", false, &q).await.unwrap_err();
        assert_eq!(fields(&err), ["name:validation.required"]);
        let mine = opps::save_board_view(&db, &o.manager, "李娜的季度", false, &q).await.unwrap();
        opps::save_board_view(&db, &o.manager, "全部", true, &BoardQuery::default()).await.unwrap();
        let views = opps::board_views(&db, &o.manager).await.unwrap();
        assert_eq!(views.iter().map(|v| (v.name.as_str(), v.mine)).collect::<Vec<_>>(), [("全部", true), ("李娜的季度", true)]);
        assert_eq!(views[1].query, q);
        // Others see only the shared one, and cannot delete it.
        let theirs = opps::board_views(&db, &o.alice).await.unwrap();
        assert_eq!(theirs.iter().map(|v| (v.name.as_str(), v.mine)).collect::<Vec<_>>(), [("全部", false)]);
        assert_eq!(app::customers::views::delete_view(&db, &o.alice, theirs[0].id).await.unwrap_err(), AppError::NotFound);
        app::customers::views::delete_view(&db, &o.manager, mine).await.unwrap();
        assert_eq!(opps::board_views(&db, &o.manager).await.unwrap().len(), 1);
        // Customer views and board views do not mix.
        assert!(app::customers::views::list_views(&db, &o.manager).await.unwrap().is_empty());
        assert_eq!(opps::board_views(&db, &o.agent).await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}
