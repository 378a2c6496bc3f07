//! Each seeded role × customer action × data scope, on SQLite and PostgreSQL.
mod common;
use app::customers::service::{self as customers, ListParams};
use app::platform::authz::{authorize, Action, CurrentUser, Entity};
use app::platform::error::AppError;
use common::*;
use std::collections::BTreeSet;

async fn visible(db: &app::platform::db::Db, u: &CurrentUser) -> Result<BTreeSet<String>, AppError> {
    let page = customers::list_customers(db, u, &ListParams::default()).await?;
    Ok(page.rows.into_iter().map(|r| r.name).collect())
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn each_role_sees_and_changes_exactly_its_scope() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let a = customer(&db, &o.alice, "甲 alice 的客户", None).await;
        let b = customer(&db, &o.bob, "乙 bob 的客户", None).await;
        let c = customer(&db, &o.carol, "丙 carol 的客户", None).await;
        let m = customer(&db, &o.manager, "丁 manager 的客户", None).await;
        let s = customer(&db, &o.admin, "戊 服务部的客户", Some(o.agent.id)).await;
        let all = set(&["甲 alice 的客户", "乙 bob 的客户", "丙 carol 的客户", "丁 manager 的客户", "戊 服务部的客户"]);

        // View: list and record load agree.
        let expect_view: [(&CurrentUser, Vec<i64>); 7] = [
            (&o.admin, vec![a, b, c, m, s]),
            (&o.manager, vec![a, b, c, m]),
            (&o.alice, vec![a]),
            (&o.bob, vec![b]),
            (&o.carol, vec![c]),
            (&o.agent, vec![a, b, c, m, s]),
            (&o.engineer, vec![s]),
        ];
        for (u, ids) in &expect_view {
            let names = visible(&db, u).await.unwrap();
            assert_eq!(names.len(), ids.len(), "{} sees {names:?}", u.username);
            for id in [a, b, c, m, s] {
                let got = customers::get_customer(&db, u, id).await;
                if ids.contains(&id) {
                    assert!(got.is_ok(), "{} should see {id}", u.username);
                } else {
                    assert_eq!(got.unwrap_err(), AppError::NotFound, "{} must get NotFound for {id}", u.username);
                }
            }
        }
        assert_eq!(visible(&db, &o.admin).await.unwrap(), all);

        // Edit: scope for those who have it, Forbidden for roles without it.
        let expect_edit: [(&CurrentUser, Option<Vec<i64>>); 7] = [
            (&o.admin, Some(vec![a, b, c, m, s])),
            (&o.manager, Some(vec![a, b, c, m])),
            (&o.alice, Some(vec![a])),
            (&o.bob, Some(vec![b])),
            (&o.carol, Some(vec![c])),
            (&o.agent, None),
            (&o.engineer, None),
        ];
        for (u, allowed) in &expect_edit {
            for id in [a, b, c, m, s] {
                let current = customers::get_customer(&db, &o.admin, id).await.unwrap();
                let mut input = current.to_input();
                input.notes = format!("edited by {}", u.username);
                let res = customers::update_customer(&db, u, id, current.version, &input).await;
                match allowed {
                    None => assert_eq!(res.unwrap_err(), AppError::Forbidden, "{} edit {id}", u.username),
                    Some(ids) if ids.contains(&id) => assert!(res.is_ok(), "{} should edit {id}: {res:?}", u.username),
                    Some(_) => assert_eq!(res.unwrap_err(), AppError::NotFound, "{} edit {id}", u.username),
                }
            }
        }

        // Delete (soft): salesperson only their own; manager their tree; others forbidden.
        for (u, id, expected) in [
            (&o.agent, a, Err(AppError::Forbidden)),
            (&o.engineer, s, Err(AppError::Forbidden)),
            (&o.alice, b, Err(AppError::NotFound)),
            (&o.manager, s, Err(AppError::NotFound)),
        ] {
            let v = customers::get_customer(&db, &o.admin, id).await.unwrap().version;
            assert_eq!(customers::delete_customer(&db, u, id, v).await, expected, "{} delete {id}", u.username);
        }
        let v = customers::get_customer(&db, &o.admin, a).await.unwrap().version;
        customers::delete_customer(&db, &o.alice, a, v).await.unwrap();
        assert!(!visible(&db, &o.manager).await.unwrap().contains("甲 alice 的客户"));
        customers::restore_customer(&db, &o.manager, a).await.unwrap();
        assert!(visible(&db, &o.alice).await.unwrap().contains("甲 alice 的客户"));

        // Create: sales roles and admin only.
        for u in [&o.agent, &o.engineer] {
            let res = customers::create_customer(&db, u, &customer_input("不允许")).await;
            assert_eq!(res.unwrap_err(), AppError::Forbidden);
        }

        // Assign: a salesperson cannot hand a customer to someone else; a manager can, within the tree.
        let mut to_bob = customer_input("转给 bob");
        to_bob.owner_id = Some(o.bob.id);
        assert_eq!(customers::create_customer(&db, &o.alice, &to_bob).await.unwrap_err(), AppError::Forbidden);
        let id = customers::create_customer(&db, &o.manager, &to_bob).await.unwrap();
        assert_eq!(customers::get_customer(&db, &o.bob, id).await.unwrap().owner_id, Some(o.bob.id));
        let mut to_agent = customer_input("转给客服");
        to_agent.owner_id = Some(o.agent.id);
        let err = customers::create_customer(&db, &o.manager, &to_agent).await.unwrap_err();
        assert_eq!(err.field("owner_id").as_deref(), Some("validation.owner_out_of_scope"));

        // Export is granted to admin and manager only (the export feature itself arrives with issue 3).
        for (u, ok) in [(&o.admin, true), (&o.manager, true), (&o.alice, false), (&o.agent, false), (&o.engineer, false)] {
            assert_eq!(authorize(u, Entity::Customer, Action::Export).is_ok(), ok, "{} export", u.username);
        }
        // Administration is for administrators.
        for u in [&o.manager, &o.alice, &o.agent, &o.engineer] {
            assert!(app::admin::service::list_users(&db, u).await.is_err());
            assert!(app::admin::service::list_audit(&db, u, &Default::default(), 480).await.is_err());
        }
        assert!(app::admin::service::list_users(&db, &o.admin).await.is_ok());
    })
    .await;
}
