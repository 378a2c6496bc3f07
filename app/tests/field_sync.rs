//! The engineer's tablet on SQLite and PostgreSQL: the day's jobs, check-in, parts from
//! stock, notes, labour, photos, the signature and completion sent as queued changes;
//! the same change sent twice applies once (one stock movement, one note, one file);
//! changes the office made moot are kept as conflicts; only the engineer dispatched may
//! work on the order; every change is audited.
mod common;
use app::catalog::service as catalog;
use app::catalog::types::ProductInput;
use app::fieldwork::field::*;
use app::fieldwork::service as work;
use app::fieldwork::site;
use app::fieldwork::types::*;
use app::platform::authz::CurrentUser;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use common::*;

/// The smallest JPEG header the type check accepts, and a PNG signature.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 2, 3];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000IHDR";

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn today() -> String {
    let (y, m, d) = app::platform::time::local_today();
    format!("{y:04}-{m:02}-{d:02}")
}

fn change(key: &str, work_order_id: i64, op: FieldOp) -> FieldChange {
    FieldChange { key: key.into(), work_order_id, at: app::platform::time::now_ms() - 60_000, op }
}

async fn count(db: &Db, query: &str, id: i64) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql(query).arg_i64(id).fetch_i64(&mut tx).await.unwrap()
}

struct Setup {
    request: i64,
    part: i64,
    warehouse: i64,
}

async fn setup(db: &Db, o: &Org) -> Setup {
    let c = customer(db, &o.admin, "无锡华光机床有限公司", Some(o.alice.id)).await;
    let part = catalog::create_product(
        db,
        &o.admin,
        &ProductInput {
            name: "主轴轴承".into(),
            list_price: "1250".into(),
            tax_rate: "13".into(),
            unit: "个".into(),
            kind: "product".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let warehouse = stock_in(db, &o.admin, part, "3").await;
    let request = repair_request(db, &o.agent, c).await;
    Setup { request, part, warehouse }
}

/// A work order for the request dispatched to `engineer` today at `hm`.
async fn dispatched(db: &Db, agent: &CurrentUser, request: i64, engineer: i64, hm: &str) -> i64 {
    let input = WorkOrderInput { request_id: request, address: "无锡市新吴区长江路 7 号".into(), ..Default::default() };
    let id = work::create(db, agent, &input).await.unwrap();
    let v = work::get(db, agent, id).await.unwrap().order.version;
    let at = DispatchInput { engineer_id: Some(engineer), start: format!("{}T{hm}", today()), minutes: "90".into() };
    assert_eq!(work::dispatch(db, agent, id, v, &at).await.unwrap(), None);
    id
}

#[tokio::test]
async fn a_day_on_site_syncs_once_per_change() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let s = setup(&db, &o).await;
        let dir = tempdir();
        let later = dispatched(&db, &o.agent, s.request, o.engineer.id, "14:00").await;
        let id = dispatched(&db, &o.agent, s.request, o.engineer.id, "09:00").await;

        // The day, in planned order, with the parts and warehouses to choose from offline.
        let kit = site::kit(&db, &o.engineer).await.unwrap();
        assert_eq!(kit.jobs.iter().map(|j| j.order.id).collect::<Vec<_>>(), [id, later]);
        assert_eq!(kit.user_id, o.engineer.id);
        assert!(kit.parts.iter().any(|p| p.id == s.part));
        assert!(kit.warehouses.iter().any(|w| w.0 == s.warehouse));
        assert!(site::kit(&db, &o.alice).await.is_err(), "salespeople have no field work");
        assert!(site::kit(&db, &o.agent).await.unwrap().jobs.is_empty(), "the desk has no jobs of its own");

        // Check in, a part, a note, labour, a photo, the signature, completion.
        let changes = [
            change("k-checkin", id, FieldOp::CheckIn),
            change("k-part", id, FieldOp::Part { product_id: s.part, warehouse_id: s.warehouse, qty_milli: 2000 }),
            change("k-note", id, FieldOp::Note { text: "更换主轴轴承，试机正常".into() }),
            change("k-labour", id, FieldOp::Labour { minutes: 95 }),
            change("k-photo", id, FieldOp::Photo { name: "现场.jpg".into(), data: b64(JPEG) }),
            change("k-sign", id, FieldOp::Signature { signer: "王主任".into(), data: b64(PNG) }),
            change("k-done", id, FieldOp::Complete { resolution: "更换轴承，已恢复".into() }),
        ];
        for c in &changes {
            let r = site::sync(&db, &o.engineer, c, &dir).await.unwrap();
            assert!(r.applied(), "{c:?}: {r:?}");
        }
        // The tablet lost the answers and sends everything again: same answers, nothing twice.
        for c in &changes {
            let r = site::sync(&db, &o.engineer, c, &dir).await.unwrap();
            assert_eq!((r.key.as_str(), r.applied()), (c.key.as_str(), true));
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM field_changes WHERE work_order_id = $1", id).await, 7);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM work_order_parts WHERE work_order_id = $1", id).await, 1);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM stock_movements WHERE ref_kind = 'work_order' AND ref_id = $1 AND kind = 'out'", id).await,
            1
        );
        assert_eq!(count(&db, "SELECT on_hand_milli FROM stock_levels WHERE product_id = $1", s.part).await, 1000, "3 in, 2 used on site");
        let files = count(&db, "SELECT COUNT(*) FROM attachments WHERE created_by = $1", o.engineer.id).await;
        assert_eq!(files, 2, "one photo, one signature");
        let stored =
            std::fs::read_dir(dir.join("attachments")).unwrap().flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap()).count();
        assert_eq!(stored, 2);

        // The office sees it all on the work order.
        let d = work::get(&db, &o.agent, id).await.unwrap();
        assert_eq!(d.order.status, "completed");
        let r = &d.site;
        assert!(r.checked_in_at.is_some() && r.checked_out_at.is_some() && r.completed_at.is_some());
        assert_eq!(
            (r.labour_minutes, r.signed_by.as_deref(), r.resolution.as_deref()),
            (Some(95), Some("王主任"), Some("更换轴承，已恢复"))
        );
        assert_eq!(r.parts.iter().map(|p| (p.name.as_str(), p.qty_milli)).collect::<Vec<_>>(), [("主轴轴承", 2000)]);
        let entries: Vec<(&str, &str)> = r.entries.iter().map(|e| (e.op.as_str(), e.text.as_str())).collect();
        assert_eq!(entries, [("note", "更换主轴轴承，试机正常"), ("photo", "现场.jpg")]);
        assert!(r.entries[1].attachment_id.is_some());
        // The planned visit is now the visit that happened, with the outcome.
        let visit: (String, Option<String>) = {
            let mut tx = db.read().await.unwrap();
            sql("SELECT a.status, a.result FROM activities a JOIN activity_links l ON l.activity_id = a.id \
                 WHERE l.entity = 'work_order' AND l.entity_id = $1 AND a.deleted_at IS NULL")
            .arg_i64(id)
            .fetch_optional(&mut tx)
            .await
            .unwrap()
            .unwrap()
        };
        assert_eq!(visit, ("done".into(), Some("更换轴承，已恢复".into())));
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'work_order' AND entity_id = $1 AND summary LIKE '%on site%'", id)
                .await,
            7
        );

        // After completion the order takes no more site work; the refusal is kept.
        let late = change("k-late", id, FieldOp::Note { text: "补充说明".into() });
        let r = site::sync(&db, &o.engineer, &late, &dir).await.unwrap();
        assert_eq!((r.outcome.as_str(), r.reason.as_deref()), ("conflict", Some("field.already_completed")));
        assert_eq!(site::sync(&db, &o.engineer, &late, &dir).await.unwrap(), r, "the same answer again");
        let kept = work::get(&db, &o.agent, id).await.unwrap().site.entries;
        assert!(kept.iter().any(|e| e.key == "k-late" && e.outcome == "conflict" && e.text == "补充说明"));
    })
    .await;
}

#[tokio::test]
async fn office_changes_made_while_offline_are_conflicts_not_losses() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let s = setup(&db, &o).await;
        let dir = tempdir();
        let other = user(&db, "engineer2", Some(o.service_dept), "field_engineer").await;
        let cancelled = dispatched(&db, &o.agent, s.request, o.engineer.id, "09:00").await;
        let moved = dispatched(&db, &o.agent, s.request, o.engineer.id, "11:00").await;
        let short = dispatched(&db, &o.agent, s.request, o.engineer.id, "13:00").await;

        // While the engineer is offline, the office cancels one order and moves another.
        let v = work::get(&db, &o.agent, cancelled).await.unwrap().order.version;
        work::cancel(&db, &o.agent, cancelled, v, "客户改期").await.unwrap();
        let v = work::get(&db, &o.agent, moved).await.unwrap().order.version;
        let to_other = DispatchInput { engineer_id: Some(other.id), start: format!("{}T11:00", today()), minutes: "60".into() };
        assert_eq!(work::dispatch(&db, &o.agent, moved, v, &to_other).await.unwrap(), None);

        let r = site::sync(&db, &o.engineer, &change("c-1", cancelled, FieldOp::Note { text: "已到现场".into() }), &dir).await.unwrap();
        assert_eq!(r.reason.as_deref(), Some("field.cancelled"));
        assert_eq!(work::get(&db, &o.agent, cancelled).await.unwrap().site.entries[0].text, "已到现场", "kept for the office");
        // The moved order is out of the engineer's reach: refused, nothing written.
        let lost = change("c-2", moved, FieldOp::CheckIn);
        assert_eq!(site::sync(&db, &o.engineer, &lost, &dir).await.unwrap_err(), AppError::NotFound);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM field_changes WHERE work_order_id = $1", moved).await, 0);
        assert_eq!(work::get(&db, &o.agent, moved).await.unwrap().order.status, "dispatched");

        // Stock the warehouse does not have: a conflict, no movement.
        let greedy = change("c-3", short, FieldOp::Part { product_id: s.part, warehouse_id: s.warehouse, qty_milli: 5000 });
        let r = site::sync(&db, &o.engineer, &greedy, &dir).await.unwrap();
        assert_eq!(r.reason.as_deref(), Some("field.no_stock"));
        assert_eq!(count(&db, "SELECT COUNT(*) FROM work_order_parts WHERE work_order_id = $1", short).await, 0);
        assert_eq!(work::get(&db, &o.agent, short).await.unwrap().order.status, "dispatched", "a refused change does not check in");

        // Bad input and keys are refused outright; a file must be what it claims.
        let blank = change("c-4", short, FieldOp::Note { text: " ".into() });
        assert!(matches!(site::sync(&db, &o.engineer, &blank, &dir).await, Err(AppError::Validation(_))));
        let bad_key = change("../x", short, FieldOp::CheckIn);
        assert!(matches!(site::sync(&db, &o.engineer, &bad_key, &dir).await, Err(AppError::Validation(_))));
        let fake = change("c-5", short, FieldOp::Photo { name: "x.jpg".into(), data: b64(b"MZ not a photo") });
        assert!(matches!(site::sync(&db, &o.engineer, &fake, &dir).await, Err(AppError::Validation(_))));
        // Someone else's key is not answered with their result.
        let mine = change("c-6", short, FieldOp::CheckIn);
        assert!(site::sync(&db, &o.engineer, &mine, &dir).await.unwrap().applied());
        let theirs = change("c-6", short, FieldOp::CheckIn);
        assert!(matches!(site::sync(&db, &other, &theirs, &dir).await, Err(AppError::Validation(_))));
        // The service desk cannot do the engineer's site work, salespeople nothing at all.
        let r = site::sync(&db, &o.agent, &change("c-7", short, FieldOp::CheckOut), &dir).await.unwrap();
        assert_eq!(r.reason.as_deref(), Some("field.reassigned"));
        assert_eq!(site::sync(&db, &o.alice, &change("c-8", short, FieldOp::CheckOut), &dir).await.unwrap_err(), AppError::Forbidden);
        let w = work::get(&db, &o.agent, short).await.unwrap();
        assert_eq!((w.order.status.as_str(), w.site.checked_out_at), ("in_progress", None));
    })
    .await;
}
