//! The customer portal on SQLite and PostgreSQL: the staff open access with the
//! customer's edit rights; a portal login signs in with throttling and audit; it reaches
//! its own customer's requests, orders, assets and the public FAQ and nothing else; a
//! request it submits is routed like any other; the customer and the service desk see
//! one conversation; turning a login off or deleting the customer ends its sessions.
mod common;
use app::knowledge::service as kb;
use app::knowledge::types::ArticleInput;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::platform::request::RequestMeta;
use app::portal::service as portal;
use app::portal::types::*;
use app::tickets::service as desk;
use app::tickets::types::{AssetInput, ServiceInput};
use common::*;

fn meta() -> RequestMeta {
    RequestMeta { request_id: "test".into(), ip: "203.0.113.7".into() }
}

fn login_input(login: &str) -> PortalLoginInput {
    PortalLoginInput { contact_id: None, display_name: "王芳".into(), login: login.into(), password: PASSWORD.into() }
}

async fn count(db: &Db, query: &str, id: i64) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql(query).arg_i64(id).fetch_i64(&mut tx).await.unwrap()
}

/// An order past the draft stage, straight into the table (pricing is not what is tested).
async fn order(db: &Db, customer: i64, number: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let warehouse = sql("SELECT id FROM warehouses WHERE code = 'WH01'").fetch_i64(&mut tx).await.unwrap();
    let id = sql("INSERT INTO orders (number, customer_id, warehouse_id, order_date, delivery_date, currency, total, status, created_at, updated_at) \
                  VALUES ($1, $2, $3, '2026-11-20', '2026-12-10', 'CNY', 1250000, 'confirmed', 1, 1) RETURNING id")
    .arg_text(number)
    .arg_i64(customer)
    .arg_i64(warehouse)
    .fetch_i64(&mut tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn article(title: &str, audience: &str, published: bool) -> ArticleInput {
    ArticleInput {
        title: title.into(),
        body: "先检查电源与急停按钮，再按复位键。".into(),
        category: "数控机床".into(),
        tags: String::new(),
        audience: audience.into(),
        published,
    }
}

#[tokio::test]
async fn a_portal_login_reaches_its_own_customer_and_nothing_else() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mine = customer(&db, &o.admin, "无锡华光机床有限公司", Some(o.alice.id)).await;
        let other = customer(&db, &o.admin, "苏州恒润精密有限公司", Some(o.carol.id)).await;

        // Opening access: the owner may, a salesperson of another team may not even see it.
        let id = portal::create_login(&db, &o.alice, mine, &login_input(" Wang.Fang@HuaGuang.cn ")).await.unwrap();
        assert!(matches!(
            portal::create_login(&db, &o.carol, mine, &login_input("x@huaguang.cn")).await,
            Err(AppError::NotFound | AppError::Forbidden)
        ));
        let taken = portal::create_login(&db, &o.admin, other, &login_input("wang.fang@huaguang.cn")).await.unwrap_err();
        assert_eq!(taken.field("login").as_deref(), Some("portal.login_taken"));
        let bad = portal::create_login(&db, &o.alice, mine, &PortalLoginInput { password: "short".into(), ..login_input("nope") })
            .await
            .unwrap_err();
        assert_eq!(
            (bad.field("login").as_deref(), bad.field("password").as_deref()),
            (Some("portal.login_invalid"), Some("validation.password_too_short"))
        );
        portal::create_login(&db, &o.carol, other, &login_input("13900001111")).await.unwrap();
        let logins = portal::logins(&db, &o.alice, mine).await.unwrap();
        assert_eq!(logins.iter().map(|l| l.login.as_str()).collect::<Vec<_>>(), vec!["wang.fang@huaguang.cn"]);
        assert!(portal::logins(&db, &o.carol, mine).await.is_err());

        // Signing in: a wrong password is refused and audited; the right one opens a session.
        let wrong = portal::login(&db, "wang.fang@huaguang.cn", "not-the-password", &meta()).await.unwrap_err();
        assert_eq!(wrong.field("password").as_deref(), Some("auth.invalid_credentials"));
        let token = portal::login(&db, "WANG.FANG@huaguang.cn", PASSWORD, &meta()).await.unwrap();
        let p = portal::resolve(&db, &token).await.unwrap().expect("signed in");
        assert_eq!((p.id, p.customer_id, p.customer_name.as_str()), (id, mine, "无锡华光机床有限公司"));
        assert!(portal::resolve(&db, &"0".repeat(64)).await.unwrap().is_none());
        let audited = {
            let mut tx = db.read().await.unwrap();
            let rows: Vec<(String, String)> = sql("SELECT action, actor_name FROM audit_log WHERE actor_name LIKE 'portal:%' ORDER BY seq")
                .fetch_all(&mut tx)
                .await
                .unwrap();
            rows
        };
        assert_eq!(audited.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(), vec!["login_failed", "login"]);

        // The other customer's records, made by the staff.
        let theirs = desk::create(
            &db,
            &o.admin,
            &ServiceInput {
                customer_id: Some(other),
                kind: "repair".into(),
                channel: "phone".into(),
                priority: "normal".into(),
                subject: "恒润 主轴异响".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let their_asset = desk::save_asset(
            &db,
            &o.admin,
            None,
            0,
            &AssetInput { customer_id: other, name: "VMC-850".into(), serial_no: "HR-0001".into(), ..Default::default() },
        )
        .await
        .unwrap();
        let my_asset = desk::save_asset(
            &db,
            &o.admin,
            None,
            0,
            &AssetInput {
                customer_id: mine,
                name: "VMC-850".into(),
                serial_no: "HG-0001".into(),
                warranty_ends_on: "2027-06-30".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        order(&db, mine, "SO-MINE-1").await;
        order(&db, other, "SO-THEIRS-1").await;

        // A request from the portal: validated, routed, on the customer, named for its login.
        let empty = portal::submit(&db, &p, &PortalRequestForm::default(), &meta()).await.unwrap_err();
        assert_eq!(
            (empty.field("kind").as_deref(), empty.field("subject").as_deref()),
            (Some("validation.required"), Some("validation.required"))
        );
        let foreign =
            PortalRequestForm { kind: "repair".into(), subject: "x".into(), asset: their_asset.to_string(), ..Default::default() };
        assert_eq!(
            portal::submit(&db, &p, &foreign, &meta()).await.unwrap_err().field("asset").as_deref(),
            Some("validation.invalid_choice")
        );
        let form = PortalRequestForm {
            kind: "repair".into(),
            subject: "主轴温度过高".into(),
            description: "连续加工两小时后报警。".into(),
            asset: my_asset.to_string(),
            urgent: Some("on".into()),
        };
        let sr = portal::submit(&db, &p, &form, &meta()).await.unwrap();
        let staff_view = desk::get(&db, &o.admin, sr).await.unwrap().request;
        assert_eq!(
            (staff_view.customer_id, staff_view.channel.as_str(), staff_view.priority.as_str(), staff_view.asset_id),
            (mine, "portal", "high", Some(my_asset))
        );
        assert_eq!(staff_view.owner_id, Some(o.alice.id), "no route set: the customer's account manager takes it");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM service_requests WHERE portal_user_id = $1", p.id).await, 1);

        // Only the customer's own requests, orders and assets.
        let rows = portal::requests(&db, &p).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![sr]);
        assert_eq!(portal::request(&db, &p, theirs).await.unwrap_err(), AppError::NotFound);
        assert_eq!(portal::add_message(&db, &p, theirs, "看看别人的", &meta()).await.unwrap_err(), AppError::NotFound);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM service_messages WHERE request_id = $1", theirs).await, 0);
        let orders = portal::orders(&db, &p).await.unwrap();
        assert_eq!(orders.iter().map(|o| o.number.as_str()).collect::<Vec<_>>(), vec!["SO-MINE-1"]);
        let assets = portal::assets(&db, &p).await.unwrap();
        assert_eq!(assets.iter().map(|a| a.id).collect::<Vec<_>>(), vec![my_asset]);

        // One conversation: the reply is the customer's to read, their answer the desk's.
        let v = desk::get(&db, &o.admin, sr).await.unwrap().request.version;
        desk::respond(&db, &o.admin, sr, v, "请先清理主轴冷却风扇滤网。").await.unwrap();
        // The desk waits for the customer; their answer puts the request back to work.
        let v = desk::get(&db, &o.admin, sr).await.unwrap().request.version;
        desk::set_status(&db, &o.admin, sr, v, "waiting", "").await.unwrap();
        let waiting = desk::get(&db, &o.admin, sr).await.unwrap().request;
        assert_eq!((waiting.status.as_str(), waiting.resolution_state.as_str()), ("waiting", "paused"));
        portal::add_message(&db, &p, sr, "清理后仍然报警。", &meta()).await.unwrap();
        let back = desk::get(&db, &o.admin, sr).await.unwrap().request;
        assert_eq!((back.status.as_str(), back.waiting_since), ("in_progress", None));
        assert!(back.resolution_due_at >= waiting.resolution_due_at);
        assert!(matches!(portal::add_message(&db, &p, sr, "  ", &meta()).await, Err(AppError::Validation(_))));
        let seen = portal::request(&db, &p, sr).await.unwrap();
        assert_eq!(
            seen.messages.iter().map(|m| (m.from_customer, m.body.as_str())).collect::<Vec<_>>(),
            vec![(false, "请先清理主轴冷却风扇滤网。"), (true, "清理后仍然报警。")]
        );
        let desk_view = desk::get(&db, &o.admin, sr).await.unwrap();
        assert_eq!(desk_view.messages.len(), 2);
        assert_eq!(desk_view.messages[1].author, "王芳");

        // A finished request takes no more messages.
        let v = desk_view.request.version;
        desk::set_status(&db, &o.admin, sr, v, "resolved", "更换主轴温控传感器。").await.unwrap();
        let closed = portal::add_message(&db, &p, sr, "谢谢", &meta()).await.unwrap_err();
        assert_eq!(closed.field("body").as_deref(), Some("portal.request_closed"));
        assert_eq!(portal::request(&db, &p, sr).await.unwrap().resolution, "更换主轴温控传感器。");

        // The customer rates the resolution: unhappy, with words, it reopens the request
        // and the owner is asked to follow up; once resolved again, a happy rating.
        let rate = |score: &str, comment: &str| RatingForm { score: score.into(), comment: comment.into() };
        assert!(portal::request(&db, &p, sr).await.unwrap().can_rate());
        let e = portal::rate(&db, &p, sr, &rate("2", ""), &meta()).await.unwrap_err();
        assert_eq!(e.field("comment").as_deref(), Some("portal.rate_why"));
        assert_eq!(portal::rate(&db, &p, theirs, &rate("5", ""), &meta()).await.unwrap_err(), AppError::NotFound);
        assert!(portal::rate(&db, &p, sr, &rate("2", "第二天又报警了"), &meta()).await.unwrap());
        let again = desk::get(&db, &o.admin, sr).await.unwrap();
        assert_eq!((again.request.status.as_str(), again.request.satisfaction), ("in_progress", Some(2)));
        assert_eq!(again.visits.iter().map(|v| (v.channel.as_str(), v.satisfaction)).collect::<Vec<_>>(), [("portal", 2)]);
        assert_eq!(again.visits[0].created_by_name.as_deref(), Some("王芳"));
        let open_again = portal::request(&db, &p, sr).await.unwrap();
        assert!(!open_again.can_rate() && open_again.open());
        let e = portal::rate(&db, &p, sr, &rate("5", ""), &meta()).await.unwrap_err();
        assert_eq!(e.field("score").as_deref(), Some("portal.rate_after_resolution"));
        desk::set_status(&db, &o.admin, sr, again.request.version, "resolved", "更换温控传感器和线束。").await.unwrap();
        assert!(!portal::rate(&db, &p, sr, &rate("5", "这次彻底好了"), &meta()).await.unwrap());
        let e = portal::rate(&db, &p, sr, &rate("4", ""), &meta()).await.unwrap_err();
        assert_eq!(e.field("score").as_deref(), Some("portal.already_rated"));
        let rated = portal::request(&db, &p, sr).await.unwrap();
        assert_eq!(rated.rating, Some((5, "这次彻底好了".to_string())));
        let done = desk::get(&db, &o.admin, sr).await.unwrap().request;
        assert_eq!((done.status.as_str(), done.satisfaction), ("resolved", Some(5)));

        // The FAQ: published articles written for customers, nothing internal, no drafts.
        let public = kb::create(&db, &o.agent, &article("数控机床急停后如何复位", "public", true)).await.unwrap();
        let internal = kb::create(&db, &o.agent, &article("数控机床维修报价内部指引", "internal", true)).await.unwrap();
        kb::create(&db, &o.agent, &article("数控机床草稿", "public", false)).await.unwrap();
        let found = portal::faq(&db, "数控机床").await.unwrap();
        assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), vec![public]);
        assert_eq!(portal::faq_article(&db, internal).await.unwrap_err(), AppError::NotFound);
        assert_eq!(portal::faq_article(&db, public).await.unwrap().title, "数控机床急停后如何复位");

        // The customer changes the password; turning the login off ends every session.
        let e = portal::change_password(&db, &p, "wrong-password-1", "a-new-password-2", "a-new-password-2", &meta()).await.unwrap_err();
        assert_eq!(e.field("current").as_deref(), Some("auth.wrong_current_password"));
        portal::change_password(&db, &p, PASSWORD, "a-new-password-2", "a-new-password-2", &meta()).await.unwrap();
        assert!(portal::resolve(&db, &token).await.unwrap().is_some(), "this device stays signed in");
        let login = portal::logins(&db, &o.alice, mine).await.unwrap().remove(0);
        assert_eq!(portal::set_active(&db, &o.alice, login.id, login.version - 1, false).await.unwrap_err(), AppError::Conflict);
        portal::set_active(&db, &o.alice, login.id, login.version, false).await.unwrap();
        assert!(portal::resolve(&db, &token).await.unwrap().is_none());
        assert!(portal::login(&db, "wang.fang@huaguang.cn", "a-new-password-2", &meta()).await.is_err());
        let login = portal::logins(&db, &o.alice, mine).await.unwrap().remove(0);
        portal::set_active(&db, &o.alice, login.id, login.version, true).await.unwrap();
        let token = portal::login(&db, "wang.fang@huaguang.cn", "a-new-password-2", &meta()).await.unwrap();
        // A forgotten password is set anew by the staff: the old sessions end.
        let login = portal::logins(&db, &o.alice, mine).await.unwrap().remove(0);
        let short = portal::reset_password(&db, &o.alice, login.id, login.version, "short").await.unwrap_err();
        assert_eq!(short.field("password").as_deref(), Some("validation.password_too_short"));
        assert!(portal::reset_password(&db, &o.carol, login.id, login.version, "set-by-staff-3").await.is_err());
        portal::reset_password(&db, &o.alice, login.id, login.version, "set-by-staff-3").await.unwrap();
        assert!(portal::resolve(&db, &token).await.unwrap().is_none());
        assert!(portal::login(&db, "wang.fang@huaguang.cn", "a-new-password-2", &meta()).await.is_err());
        let token = portal::login(&db, "wang.fang@huaguang.cn", "set-by-staff-3", &meta()).await.unwrap();

        // A deleted customer's logins reach nothing.
        let version = count(&db, "SELECT version FROM customers WHERE id = $1", mine).await;
        app::customers::service::delete_customer(&db, &o.admin, mine, version).await.unwrap();
        assert!(portal::resolve(&db, &token).await.unwrap().is_none());
    })
    .await;
}
