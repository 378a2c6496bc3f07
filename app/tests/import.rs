//! Customer import on SQLite and PostgreSQL: 10 000 rows with duplicates and bad rows.
mod common;
use app::customers::import::{self, parse_file};
use app::customers::import_types::{DupMode, ImportPlan, ImportReport};
use app::customers::service as customers;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use common::*;

fn plan(headers: &[String], mode: DupMode) -> ImportPlan {
    let mut p = import::suggest(headers);
    p.mode = mode;
    p
}

async fn wait(db: &Db, user: &app::platform::authz::CurrentUser, id: i64) -> app::customers::import_types::ImportProgress {
    for _ in 0..2400 {
        let p = import::progress(db, user, id).await.unwrap();
        if p.status != "running" {
            return p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import did not finish");
}

async fn count(db: &Db, q: &str) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql(q).fetch_i64(&mut tx).await.unwrap()
}

#[tokio::test]
async fn ten_thousand_rows_with_duplicates_and_bad_rows() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let existing = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let mut csv = String::from("客户名称,电话,邮箱,税号,负责人,联系人姓名,联系人手机\n");
        let (mut bad, mut dup_crm, mut dup_file) = (0, 0, 0);
        for i in 0..10_000 {
            let (name, email, tax) = if i % 500 == 7 {
                dup_crm += 1;
                ("天度网络（北京）科技有限公司".to_string(), String::new(), String::new())
            } else if i % 500 == 9 {
                // Repeats the tax id of the row before: a duplicate within the file.
                dup_file += 1;
                (format!("另一个名字{i}"), String::new(), format!("91110105MA{:08}", i - 1))
            } else if i % 100 == 3 {
                bad += 1;
                (format!("导入客户{i}有限公司"), "not-an-email".to_string(), String::new())
            } else {
                (format!("导入客户{i}有限公司"), format!("c{i}@example.cn"), format!("91110105MA{i:08}"))
            };
            let contact = if i % 10 == 0 { format!("联系人{i},1390000{i:04}") } else { ",".to_string() };
            csv.push_str(&format!("{name},021-{:08},{email},{tax},,{contact}\n", i + 1));
        }
        let started = std::time::Instant::now();
        let id = import::upload(&db, &o.alice, "客户.csv", csv.as_bytes()).await.unwrap();
        let job = import::get_job(&db, &o.alice, id).await.unwrap();
        assert_eq!(job.row_count, 10_000);
        // Others cannot see the job.
        assert_eq!(import::get_job(&db, &o.bob, id).await.unwrap_err(), AppError::NotFound);

        let p = plan(&job.headers, DupMode::Skip);
        let report: ImportReport = import::check(&db, &o.alice, id, &p).await.unwrap();
        assert_eq!(report.invalid, bad);
        assert_eq!(report.skip, dup_crm + dup_file);
        assert_eq!(report.create, 10_000 - bad - dup_crm - dup_file);
        assert!(report.issues.iter().all(|i| i.field == "email" && i.code == "validation.email"));
        assert_eq!(report.issues[0].row, 5, "spreadsheet row numbers count the heading");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM customers").await, 1, "a check writes nothing");

        import::start(&db, &o.alice, id, p.clone()).await.unwrap();
        assert_eq!(import::start(&db, &o.alice, id, p).await.unwrap_err(), AppError::Conflict, "one run per upload");
        let done = wait(&db, &o.alice, id).await;
        let elapsed = started.elapsed();
        assert_eq!(done.status, "done", "{done:?}");
        let r = done.report.unwrap();
        assert!(r.applied);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM customers").await as usize, 1 + r.create);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM contacts").await as usize, r.contacts);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'import'").await, 1);
        eprintln!("imported {} rows in {:?} ({:.0} rows/s, checked twice)", r.create, elapsed, 10_000.0 / elapsed.as_secs_f64());
        // Imported rows belong to the importer, are searchable and carry duplicate keys.
        let found =
            customers::list_customers(&db, &o.alice, &customers::ListParams { q: Some("导入客户9999".into()), ..Default::default() })
                .await
                .unwrap();
        assert_eq!(found.rows.len(), 1);
        assert_eq!(found.rows[0].owner_id, Some(o.alice.id));
        assert_eq!(
            customers::get_customer(&db, &o.alice, existing).await.unwrap().version,
            1,
            "skipped duplicates leave the CRM record alone"
        );
    })
    .await;
}

#[tokio::test]
async fn update_mode_fills_the_existing_customer_and_owners_are_checked() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let existing = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let csv = "Name,Phone,Owner,Status\n天度网络（北京）科技有限公司,010-65528888,,成交\n新客户甲,,bob,\n新客户乙,,nobody,\n新客户丙,,carol,\n";
        let id = import::upload(&db, &o.alice, "c.csv", csv.as_bytes()).await.unwrap();
        let headers = import::get_job(&db, &o.alice, id).await.unwrap().headers;
        let report = import::check(&db, &o.alice, id, &plan(&headers, DupMode::Update)).await.unwrap();
        // A salesperson cannot give customers to others.
        let codes: Vec<(usize, String)> = report.issues.iter().map(|i| (i.row, i.code.clone())).collect();
        assert_eq!(codes, vec![(3, "validation.owner_out_of_scope".into()), (4, "import.unknown_user".into()), (5, "validation.owner_out_of_scope".into())]);
        // The manager may assign within the sales tree.
        let id = import::upload(&db, &o.manager, "c.csv", csv.as_bytes()).await.unwrap();
        import::start(&db, &o.manager, id, plan(&headers, DupMode::Update)).await.unwrap();
        let r = wait(&db, &o.manager, id).await.report.unwrap();
        assert_eq!((r.update, r.create, r.invalid), (1, 2, 1));
        let c = customers::get_customer(&db, &o.manager, existing).await.unwrap();
        assert_eq!((c.phone.as_deref(), c.status.as_str(), c.name.as_str()), (Some("010-65528888"), "transacting", "北京天度网络科技有限公司"));
        let bobs = customers::list_customers(&db, &o.bob, &Default::default()).await.unwrap().rows;
        assert_eq!(bobs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["新客户甲"]);
    })
    .await;
}

#[test]
fn xlsx_files_are_read_like_csv() {
    let xlsx = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/customers.xlsx")).unwrap();
    let (headers, rows) = parse_file("customers.xlsx", &xlsx).unwrap();
    assert_eq!(headers, ["客户名称", "电话", "邮箱"]);
    assert_eq!(rows[0], ["北京天度网络科技有限公司", "13800138000", "sales@tiandu.cn"]);
}
