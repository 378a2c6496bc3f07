//! Test harness: every scenario runs on a fresh SQLite file and a fresh PostgreSQL database.
#![allow(dead_code)]
use app::admin::service::{create_department_as, create_user_as, Actor};
use app::admin::types::UserInput;
use app::customers::service as customers;
use app::customers::types::CustomerInput;
use app::platform::authz::CurrentUser;
use app::platform::db::testing::TestDb;
use app::platform::db::Db;
use std::future::Future;

pub const PASSWORD: &str = "correct-horse-battery";

/// Runs `scenario` on SQLite, then on PostgreSQL (skipped with a message when unavailable outside CI).
pub async fn on_both_databases<F, Fut>(scenario: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).with_test_writer().try_init();
    let sqlite = TestDb::sqlite().await;
    scenario(sqlite.db.clone()).await;
    sqlite.cleanup().await;
    if let Some(pg) = TestDb::postgres().await {
        scenario(pg.db.clone()).await;
        pg.cleanup().await;
    }
}

pub fn system() -> Actor {
    Actor { id: None, name: "test".into() }
}

pub async fn department(db: &Db, name: &str, parent: Option<i64>) -> i64 {
    create_department_as(db, &system(), name, parent).await.expect("department")
}

pub async fn user(db: &Db, username: &str, department: Option<i64>, role: &str) -> CurrentUser {
    let input = UserInput {
        username: username.into(),
        display_name: format!("{username} name"),
        email: String::new(),
        department_id: department,
        roles: vec![role.into()],
        active: true,
        password: PASSWORD.into(),
    };
    let id = create_user_as(db, &system(), &input).await.expect("user");
    load_user(db, id).await
}

/// The user as the session middleware would load them.
pub async fn load_user(db: &Db, id: i64) -> CurrentUser {
    app::account::service::load_user(db, id).await.unwrap().expect("user exists")
}

pub fn customer_input(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), kind: "company".into(), status: "potential".into(), ..Default::default() }
}

pub async fn customer(db: &Db, by: &CurrentUser, name: &str, owner: Option<i64>) -> i64 {
    let mut input = customer_input(name);
    input.owner_id = owner;
    customers::create_customer(db, by, &input).await.expect("create customer")
}

/// A small company: HQ > Sales > {East, North}, HQ > Service, one user per role.
pub struct Org {
    pub admin: CurrentUser,
    pub manager: CurrentUser,
    pub alice: CurrentUser,
    pub bob: CurrentUser,
    pub carol: CurrentUser,
    pub agent: CurrentUser,
    pub engineer: CurrentUser,
    pub service_dept: i64,
}

pub async fn org(db: &Db) -> Org {
    let hq = department(db, "总公司", None).await;
    let sales = department(db, "销售部", Some(hq)).await;
    let east = department(db, "华东销售组", Some(sales)).await;
    let north = department(db, "华北销售组", Some(sales)).await;
    let service = department(db, "客户服务部", Some(hq)).await;
    Org {
        admin: user(db, "admin", None, "admin").await,
        manager: user(db, "manager", Some(sales), "sales_manager").await,
        alice: user(db, "alice", Some(east), "salesperson").await,
        bob: user(db, "bob", Some(east), "salesperson").await,
        carol: user(db, "carol", Some(north), "salesperson").await,
        agent: user(db, "agent", Some(service), "service_agent").await,
        engineer: user(db, "engineer", Some(service), "field_engineer").await,
        service_dept: service,
    }
}

/// A fresh directory for files the code under test stores (attachments).
pub fn tempdir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("crm-field-{}-{}-{n}", std::process::id(), app::platform::time::now_ms()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Head office's warehouse (WH01, made by the migrations).
pub async fn head_office(db: &Db) -> i64 {
    let mut tx = db.read().await.unwrap();
    app::platform::db::sql("SELECT id FROM warehouses WHERE code = 'WH01'").fetch_i64(&mut tx).await.unwrap()
}

/// Brings `qty` of `product` into head office's warehouse; returns the warehouse.
pub async fn stock_in(db: &Db, by: &CurrentUser, product: i64, qty: &str) -> i64 {
    let warehouse = head_office(db).await;
    let input = app::inventory::types::MoveInput {
        kind: "in".into(),
        warehouse_id: Some(warehouse),
        product_id: Some(product),
        qty: qty.into(),
        ..Default::default()
    };
    app::inventory::service::post_move(db, by, &input).await.unwrap();
    warehouse
}

/// A high-priority repair (主轴异响) for `customer`, logged by `by` on the phone.
pub async fn repair_request(db: &Db, by: &CurrentUser, customer: i64) -> i64 {
    let input = app::tickets::types::ServiceInput {
        customer_id: Some(customer),
        kind: "repair".into(),
        channel: "phone".into(),
        priority: "high".into(),
        subject: "主轴异响".into(),
        ..Default::default()
    };
    app::tickets::service::create(db, by, &input).await.unwrap()
}
