//! Sign-in, sessions and throttling on SQLite and PostgreSQL.
mod common;
use app::account::service::{self as account, MAX_FAILURES_PER_USER};
use app::platform::db::sql;
use app::platform::error::AppError;
use app::platform::request::RequestMeta;
use common::*;

fn meta() -> RequestMeta {
    RequestMeta { request_id: "test".into(), ip: "192.0.2.7".into() }
}

#[tokio::test]
async fn sign_in_opens_a_session_and_sign_out_ends_it() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let signed = account::login(&db, " ALICE ", PASSWORD, &meta(), "test-agent").await.unwrap();
        assert_eq!(signed.user_id, o.alice.id);
        let user = account::resolve_session(&db, &signed.token).await.unwrap().expect("session");
        assert_eq!(user.username, "alice");
        assert!(user.permissions.can(app::platform::authz::Entity::Customer, app::platform::authz::Action::View));
        assert!(account::resolve_session(&db, &"0".repeat(64)).await.unwrap().is_none());
        account::logout(&db, &user, &meta()).await.unwrap();
        assert!(account::resolve_session(&db, &signed.token).await.unwrap().is_none());
        let mut tx = db.read().await.unwrap();
        let actions: Vec<(String, String)> =
            sql("SELECT action, ip FROM audit_log WHERE action IN ('login', 'logout') ORDER BY seq").fetch_all(&mut tx).await.unwrap();
        assert_eq!(actions, vec![("login".into(), "192.0.2.7".into()), ("logout".into(), "192.0.2.7".into())]);
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_temporarily() {
    on_both_databases(|db| async move {
        org(&db).await;
        for _ in 0..MAX_FAILURES_PER_USER {
            let err = account::login(&db, "alice", "wrong-password", &meta(), "").await.unwrap_err();
            assert_eq!(err.field("password").as_deref(), Some("auth.invalid_credentials"));
        }
        // Even the right password is refused while locked.
        let err = account::login(&db, "alice", PASSWORD, &meta(), "").await.unwrap_err();
        assert!(matches!(err, AppError::RateLimited { retry_after_secs } if retry_after_secs > 0 && retry_after_secs <= 900));
        // Other users are unaffected.
        assert!(account::login(&db, "bob", PASSWORD, &meta(), "").await.is_ok());
        let mut tx = db.read().await.unwrap();
        let failed = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(failed, MAX_FAILURES_PER_USER);
        assert_eq!(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login_locked'").fetch_i64(&mut tx).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn unknown_and_deactivated_users_cannot_sign_in() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        assert!(account::login(&db, "nobody", PASSWORD, &meta(), "").await.is_err());
        let signed = account::login(&db, "carol", PASSWORD, &meta(), "").await.unwrap();
        let rows = app::admin::service::list_users(&db, &o.admin).await.unwrap();
        let carol = rows.iter().find(|u| u.username == "carol").unwrap();
        let input = app::admin::types::UserInput {
            username: carol.username.clone(),
            display_name: carol.display_name.clone(),
            email: String::new(),
            department_id: carol.department_id,
            roles: carol.roles.clone(),
            active: false,
            password: String::new(),
        };
        app::admin::service::update_user(&db, &o.admin, carol.id, carol.version, &input).await.unwrap();
        assert!(account::resolve_session(&db, &signed.token).await.unwrap().is_none(), "deactivation ends sessions");
        assert!(account::login(&db, "carol", PASSWORD, &meta(), "").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn changing_password_checks_the_old_one_and_ends_other_sessions() {
    on_both_databases(|db| async move {
        org(&db).await;
        let here = account::login(&db, "bob", PASSWORD, &meta(), "").await.unwrap();
        let elsewhere = account::login(&db, "bob", PASSWORD, &meta(), "").await.unwrap();
        let bob = account::resolve_session(&db, &here.token).await.unwrap().unwrap();
        let err = account::change_password(&db, &bob, "not-it", "new-password-1", "new-password-1").await.unwrap_err();
        assert_eq!(err.field("current").as_deref(), Some("auth.wrong_current_password"));
        let err = account::change_password(&db, &bob, PASSWORD, "short", "different").await.unwrap_err();
        assert_eq!(err.field("new").as_deref(), Some("validation.password_too_short"));
        assert_eq!(err.field("confirm").as_deref(), Some("validation.password_mismatch"));
        account::change_password(&db, &bob, PASSWORD, "new-password-1", "new-password-1").await.unwrap();
        assert!(account::resolve_session(&db, &here.token).await.unwrap().is_some());
        assert!(account::resolve_session(&db, &elsewhere.token).await.unwrap().is_none());
        assert!(account::login(&db, "bob", "new-password-1", &meta(), "").await.is_ok());
    })
    .await;
}
