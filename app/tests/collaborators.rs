//! Collaborators (C3), related customers and address-backed duplicate detection (C9),
//! on SQLite and PostgreSQL.
mod common;
use app::activities::service as activities;
use app::activities::types::ActivityInput;
use app::contacts::service as contacts;
use app::contacts::types::ContactInput;
use app::customers::collaborators;
use app::customers::dedup::DupReason;
use app::customers::merge;
use app::customers::ownership::{self, Selection};
use app::customers::service as customers;
use app::customers::types::{CustomerInput, ShareAccess};
use app::platform::audit::{verify_chain, ChainStatus};
use app::platform::authz::Entity;
use app::platform::db::sql;
use app::platform::error::AppError;
use common::*;

fn visible_ids(page: &app::customers::types::CustomerPage) -> Vec<i64> {
    page.rows.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn collaborators_see_or_edit_what_is_shared_with_them_and_nothing_more() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        // carol is in another team: before sharing she neither lists nor opens it.
        assert!(!visible_ids(&customers::list_customers(&db, &o.carol, &Default::default()).await.unwrap()).contains(&c));
        assert_eq!(customers::get_customer(&db, &o.carol, c).await.unwrap_err(), AppError::NotFound);
        // bob (same team, own scope) may not share alice's customer; alice may.
        assert_eq!(
            collaborators::add(&db, &o.bob, Entity::Customer, c, o.carol.id, ShareAccess::View).await.unwrap_err(),
            AppError::NotFound
        );
        collaborators::add(&db, &o.alice, Entity::Customer, c, o.carol.id, ShareAccess::View).await.unwrap();
        let err = collaborators::add(&db, &o.alice, Entity::Customer, c, o.alice.id, ShareAccess::View).await.unwrap_err();
        assert_eq!(err.field("collaborator").as_deref(), Some("share.is_owner"));

        // View access: listed, opened, contacts and timeline readable; no edit, no follow-ups.
        assert!(visible_ids(&customers::list_customers(&db, &o.carol, &Default::default()).await.unwrap()).contains(&c));
        let seen = customers::get_customer(&db, &o.carol, c).await.unwrap();
        assert!(!seen.can_edit && !seen.can_delete && !seen.can_assign);
        contacts::create_contact(&db, &o.alice, c, &ContactInput { name: "陈国栋".into(), ..Default::default() }).await.unwrap();
        assert_eq!(contacts::list_contacts(&db, &o.carol, c).await.unwrap().contacts.len(), 1);
        let call = ActivityInput { kind: "call".into(), subject: "协作人来电".into(), ..Default::default() };
        assert!(activities::log_activity(&db, &o.carol, c, &call, 480).await.is_err());
        let input = CustomerInput { notes: "carol".into(), ..seen.to_input() };
        assert_eq!(customers::update_customer(&db, &o.carol, c, seen.version, &input).await.unwrap_err(), AppError::NotFound);
        let list = collaborators::list(&db, &o.carol, Entity::Customer, c).await.unwrap();
        assert_eq!((list.rows.len(), list.can_manage), (1, false));

        // Edit access: carol edits and logs follow-ups, but still may not delete, release or reassign.
        collaborators::add(&db, &o.alice, Entity::Customer, c, o.carol.id, ShareAccess::Edit).await.unwrap();
        activities::log_activity(&db, &o.carol, c, &call, 480).await.unwrap();
        assert_eq!(activities::timeline(&db, &o.carol, c, None, None).await.unwrap().items.len(), 1);
        let seen = customers::get_customer(&db, &o.carol, c).await.unwrap();
        assert!(seen.can_edit && !seen.can_delete);
        let saved = customers::update_customer(&db, &o.carol, c, seen.version, &input).await.unwrap();
        assert_eq!(saved.notes.as_deref(), Some("carol"));
        assert!(ownership::release_customer(&db, &o.carol, c, saved.version, "不要了").await.is_err());
        assert!(customers::delete_customer(&db, &o.carol, c, saved.version).await.is_err());
        assert!(ownership::transfer_customers(&db, &o.carol, &Selection::Ids(vec![c]), o.carol.id, "给我").await.is_err());

        // Taking herself off ends it; the audit log has every step and its chain is intact.
        collaborators::remove(&db, &o.carol, Entity::Customer, c, o.carol.id).await.unwrap();
        assert_eq!(customers::get_customer(&db, &o.carol, c).await.unwrap_err(), AppError::NotFound);
        let mut tx = db.read().await.unwrap();
        let shares = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND entity_id = $1 AND action IN ('share', 'unshare')")
            .arg_i64(c)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(shares, 3);
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn owner_changes_pool_and_merge_keep_the_collaborator_list_sound() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "上海浦江精密机械股份有限公司", None).await;
        collaborators::add(&db, &o.alice, Entity::Customer, c, o.bob.id, ShareAccess::Edit).await.unwrap();
        collaborators::add(&db, &o.alice, Entity::Customer, c, o.carol.id, ShareAccess::View).await.unwrap();
        // Reassigning to a collaborator makes them the owner, not both.
        ownership::transfer_customers(&db, &o.manager, &Selection::Ids(vec![c]), o.bob.id, "分工调整").await.unwrap();
        let rows = collaborators::list(&db, &o.bob, Entity::Customer, c).await.unwrap();
        assert!(rows.can_manage);
        assert_eq!(rows.rows.iter().map(|r| r.user_id).collect::<Vec<_>>(), vec![o.carol.id]);

        // Merge copies the merged customer's collaborators; undo takes the copies away.
        let kept = customer(&db, &o.bob, "浦江精密机械（上海）有限公司", None).await;
        let seq = merge::merge_customers(&db, &o.manager, kept, c).await.unwrap();
        assert!(customers::get_customer(&db, &o.carol, kept).await.is_ok(), "carol now collaborates on the kept customer");
        merge::undo_merge(&db, &o.manager, seq).await.unwrap();
        assert_eq!(customers::get_customer(&db, &o.carol, kept).await.unwrap_err(), AppError::NotFound);
        assert!(customers::get_customer(&db, &o.carol, c).await.is_ok());

        // Entering the pool clears the team.
        let v = customers::get_customer(&db, &o.bob, c).await.unwrap().version;
        ownership::release_customer(&db, &o.bob, c, v, "暂无需求").await.unwrap();
        let mut tx = db.read().await.unwrap();
        let left = sql("SELECT COUNT(*) FROM customer_collaborators WHERE customer_id = $1").arg_i64(c).fetch_i64(&mut tx).await.unwrap();
        assert_eq!(left, 0);
    })
    .await;
}

#[tokio::test]
async fn related_links_stop_the_flag_and_show_on_both_pages() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let hq = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let branch = customer(&db, &o.alice, "天度科技有限公司", None).await;
        let flagged = merge::duplicates_of(&db, &o.alice, hq).await.unwrap();
        assert_eq!(flagged.iter().filter_map(|h| h.id).collect::<Vec<_>>(), vec![branch]);
        // bob may not link alice's customers.
        assert!(merge::link_customers(&db, &o.bob, hq, branch).await.is_err());
        merge::link_customers(&db, &o.alice, hq, branch).await.unwrap();
        assert!(merge::duplicates_of(&db, &o.alice, hq).await.unwrap().is_empty());
        let from_hq = merge::related_customers(&db, &o.alice, hq).await.unwrap();
        let from_branch = merge::related_customers(&db, &o.alice, branch).await.unwrap();
        assert_eq!((from_hq[0].id, from_branch[0].id), (Some(branch), Some(hq)));
        // A viewer who can open one side but not the other sees only the other's name.
        collaborators::add(&db, &o.alice, Entity::Customer, hq, o.carol.id, ShareAccess::View).await.unwrap();
        let seen = merge::related_customers(&db, &o.carol, hq).await.unwrap();
        assert_eq!((seen[0].id, seen[0].name.as_str()), (None, "天度科技有限公司"));
        // Unlinking keeps them apart as "not duplicates".
        merge::unlink_customers(&db, &o.alice, branch, hq).await.unwrap();
        assert!(merge::related_customers(&db, &o.alice, hq).await.unwrap().is_empty());
        assert!(merge::duplicates_of(&db, &o.alice, hq).await.unwrap().is_empty());
        assert_eq!(merge::unlink_customers(&db, &o.alice, branch, hq).await.unwrap_err(), AppError::NotFound);
    })
    .await;
}

#[tokio::test]
async fn the_same_address_finds_a_misspelt_name() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mut input = customer_input("北京天度网络科技有限公司");
        input.address = "北京市朝阳区建国路88号SOHO现代城A座1201".into();
        let id = customers::create_customer(&db, &o.alice, &input).await.unwrap();
        let mut typo = customer_input("天渡网络科技有限公司");
        typo.address = "朝阳区建国路８８号现代城".into();
        let hits = customers::check_duplicates(&db, &o.alice, &typo, None).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, Some(id));
        assert!(hits[0].reasons.contains(&DupReason::Address), "{:?}", hits[0].reasons);
        // Another company in the same tower is not a duplicate.
        let mut neighbour = customer_input("中兴通讯股份有限公司");
        neighbour.address = "建国路88号".into();
        assert!(customers::check_duplicates(&db, &o.alice, &neighbour, None).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_opportunity_project_team_sees_and_edits_it_even_when_private() {
    use app::opportunities::service as opps;
    use app::opportunities::types::OpportunityInput;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let input = OpportunityInput {
            name: "保密项目".into(),
            customer_id: Some(c),
            currency: "CNY".into(),
            is_private: true,
            ..Default::default()
        };
        let id = opps::create(&db, &o.alice, &input).await.unwrap();
        assert_eq!(opps::get(&db, &o.carol, id).await.unwrap_err(), AppError::NotFound);
        // Only the owner or a manager who reaches it manages the team; the manager cannot
        // even see a private opportunity.
        assert_eq!(
            collaborators::add(&db, &o.manager, Entity::Opportunity, id, o.carol.id, ShareAccess::View).await.unwrap_err(),
            AppError::NotFound
        );
        collaborators::add(&db, &o.alice, Entity::Opportunity, id, o.carol.id, ShareAccess::View).await.unwrap();
        let seen = opps::get(&db, &o.carol, id).await.unwrap();
        assert!(!seen.can_edit);
        let team = collaborators::list(&db, &o.carol, Entity::Opportunity, id).await.unwrap();
        assert_eq!((team.rows.len(), team.can_manage), (1, false));
        assert_eq!(opps::update(&db, &o.carol, id, seen.version, &input).await.unwrap_err(), AppError::NotFound);
        collaborators::add(&db, &o.alice, Entity::Opportunity, id, o.carol.id, ShareAccess::Edit).await.unwrap();
        let seen = opps::get(&db, &o.carol, id).await.unwrap();
        assert!(seen.can_edit);
        let saved =
            opps::update(&db, &o.carol, id, seen.version, &OpportunityInput { needs: "三十个账号".into(), ..input.clone() }).await.unwrap();
        assert_eq!(saved.needs.as_deref(), Some("三十个账号"));
        // A customer's team is separate: Carol still cannot see the customer.
        assert_eq!(collaborators::list(&db, &o.carol, Entity::Customer, c).await.unwrap_err(), AppError::NotFound);
        // Handing the deal to a team member takes them off the team.
        let mgr = opps::get(&db, &o.admin, id).await.unwrap();
        opps::update(
            &db,
            &o.admin,
            id,
            mgr.version,
            &OpportunityInput { owner_id: Some(o.carol.id), needs: "三十个账号".into(), ..input.clone() },
        )
        .await
        .unwrap();
        assert!(collaborators::list(&db, &o.carol, Entity::Opportunity, id).await.unwrap().rows.is_empty());
        // Carol leaves nothing behind to remove; Alice is no longer the owner and may not manage the team.
        assert_eq!(
            collaborators::add(&db, &o.alice, Entity::Opportunity, id, o.bob.id, ShareAccess::View).await.unwrap_err(),
            AppError::NotFound
        );
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'opportunity' AND action = 'share'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 2);
    })
    .await;
}
