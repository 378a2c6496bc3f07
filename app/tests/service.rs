//! The service desk on SQLite and PostgreSQL: routing, SLA deadlines from the policy and
//! the business-hours calendar, the SLA job's warnings and escalations (each once),
//! status moves with optimistic locking, data scope, links that must belong to the
//! customer, installed assets with warranty, a consultation turned into a lead, the
//! settings' checks and the audit trail.
mod common;
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::tickets::service as desk;
use app::tickets::sla::BusinessCalendar;
use app::tickets::types::*;
use common::*;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

fn request(customer: i64, kind: &str, priority: &str, subject: &str) -> ServiceInput {
    ServiceInput {
        customer_id: Some(customer),
        kind: kind.into(),
        channel: "phone".into(),
        priority: priority.into(),
        subject: subject.into(),
        description: "客户来电反映设备异响".into(),
        ..Default::default()
    }
}

/// Planned follow-ups linked to a request, per owner: (owner, subject).
async fn notices(db: &Db, request: i64) -> Vec<(i64, String)> {
    let mut tx = db.read().await.unwrap();
    sql("SELECT a.owner_id, a.subject FROM activities a JOIN activity_links l ON l.activity_id = a.id \
         WHERE l.entity = 'service_request' AND l.entity_id = $1 AND a.status = 'planned' ORDER BY a.id")
    .arg_i64(request)
    .fetch_all(&mut tx)
    .await
    .unwrap()
}

#[tokio::test]
async fn requests_are_routed_get_deadlines_and_escalate_once() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "无锡华晟机械有限公司", Some(o.alice.id)).await;

        // Repairs go to the agent and breaches to the manager.
        let mut s = desk::settings(&db, &o.admin).await.unwrap();
        let repair = s.routes.iter_mut().find(|r| r.kind == "repair").unwrap();
        repair.assignee_id = Some(o.agent.id);
        repair.escalate_to = Some(o.manager.id);
        desk::save_settings(&db, &o.admin, &s).await.unwrap();

        // An urgent repair runs around the clock: 30 minutes to respond, 4 hours to resolve.
        let id = desk::create(&db, &o.alice, &request(c, "repair", "urgent", "空压机停机")).await.unwrap();
        let d = desk::get(&db, &o.agent, id).await.unwrap();
        let r = d.request.clone();
        assert!(r.number.starts_with("SR"), "{}", r.number);
        assert_eq!((r.owner_id, r.department_id, r.status.as_str()), (Some(o.agent.id), Some(o.service_dept), "open"));
        assert!(r.around_the_clock);
        assert_eq!(r.response_due_at - r.created_at, 30 * 60_000);
        assert_eq!(r.resolution_due_at - r.created_at, 240 * 60_000);
        assert_eq!(r.response_warn_at - r.created_at, 24 * 60_000);
        assert_eq!((r.response_state.as_str(), r.resolution_state.as_str()), ("on_track", "on_track"));
        assert_eq!(notices(&db, id).await, vec![(o.agent.id, format!("服务申请 {} 已分派给您：空压机停机", r.number))]);

        // The job: a warning at 80 % of the response time, once, to the owner.
        let t0 = r.created_at;
        assert_eq!(desk::sla_sweep(&db, t0 + 20 * 60_000).await.unwrap(), 0);
        assert_eq!(desk::sla_sweep(&db, t0 + 25 * 60_000).await.unwrap(), 1);
        assert_eq!(desk::sla_sweep(&db, t0 + 26 * 60_000).await.unwrap(), 0);
        let list = notices(&db, id).await;
        assert_eq!(list.len(), 2);
        assert_eq!(list[1], (o.agent.id, format!("请尽快响应 {}：空压机停机", r.number)));
        let at_risk = desk::at_risk(&db, &o.agent, 10).await.unwrap();
        assert!(at_risk.iter().all(|a| a.id != id), "the real clock has not reached the warning yet");

        // The breach escalates to the manager and tells the owner, once.
        assert_eq!(desk::sla_sweep(&db, t0 + 31 * 60_000).await.unwrap(), 1);
        assert_eq!(desk::sla_sweep(&db, t0 + 32 * 60_000).await.unwrap(), 0);
        let list = notices(&db, id).await;
        assert_eq!(list.len(), 4, "{list:?}");
        assert!(list.contains(&(o.manager.id, format!("升级：{} 未按时响应", r.number))));
        assert!(list.contains(&(o.agent.id, format!("升级：{} 未按时响应", r.number))));
        let r = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert!(r.response_escalated_at.is_some());

        // Replying stops the response clock and starts the work.
        assert_eq!(fields(&desk::respond(&db, &o.agent, id, r.version, "  ").await.unwrap_err()), ["note:validation.required"]);
        desk::respond(&db, &o.agent, id, r.version, "已安排工程师明早上门").await.unwrap();
        assert_eq!(desk::respond(&db, &o.agent, id, r.version, "again").await.unwrap_err(), AppError::Conflict);
        let r = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert_eq!((r.status.as_str(), r.response_state.as_str()), ("in_progress", "met"));
        // Response warnings no longer apply; the resolution one still does.
        assert_eq!(desk::sla_sweep(&db, t0 + 200 * 60_000).await.unwrap(), 1);

        // Closing needs a resolution first.
        assert_eq!(fields(&desk::set_status(&db, &o.agent, id, r.version, "closed", "").await.unwrap_err()), ["status:service.bad_move"]);
        assert_eq!(
            fields(&desk::set_status(&db, &o.agent, id, r.version, "resolved", " ").await.unwrap_err()),
            ["resolution:validation.required"]
        );
        desk::set_status(&db, &o.agent, id, r.version, "resolved", "更换皮带后恢复运行").await.unwrap();
        let r = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert_eq!((r.status.as_str(), r.resolution_state.as_str(), r.resolution.as_str()), ("resolved", "met", "更换皮带后恢复运行"));
        assert_eq!(desk::sla_sweep(&db, t0 + 999 * 60_000).await.unwrap(), 0, "a resolved request is not escalated");
        desk::set_status(&db, &o.agent, id, r.version, "closed", "").await.unwrap();

        // A normal repair (made after the job runs above, whose clock is ahead of the real
        // one) counts business hours (office hours in China by default).
        let normal = desk::create(&db, &o.agent, &request(c, "repair", "normal", "异响")).await.unwrap();
        let n = desk::get(&db, &o.agent, normal).await.unwrap().request;
        let policy = s.policies.iter().find(|p| p.kind == "repair" && p.priority == "normal").unwrap();
        let expected = desk::deadlines(&BusinessCalendar::office(480), policy, n.created_at);
        assert_eq!((n.response_due_at, n.resolution_due_at), (expected.response_due_at, expected.resolution_due_at));
        assert!(!n.around_the_clock);

        // Raising a priority takes the new policy's deadlines from the start.
        desk::set_priority(&db, &o.agent, normal, n.version, "urgent").await.unwrap();
        let n = desk::get(&db, &o.agent, normal).await.unwrap().request;
        assert_eq!((n.priority.as_str(), n.response_due_at - n.created_at, n.around_the_clock), ("urgent", 30 * 60_000, true));

        // Reassigning tells the new owner.
        desk::assign(&db, &o.agent, normal, n.version, o.engineer.id).await.unwrap();
        let n = desk::get(&db, &o.agent, normal).await.unwrap().request;
        assert_eq!(n.owner_id, Some(o.engineer.id));
        assert!(notices(&db, normal).await.iter().any(|(who, _)| *who == o.engineer.id));
        assert_eq!(desk::assign(&db, &o.alice, normal, n.version, o.alice.id).await.unwrap_err(), AppError::Forbidden);

        let mut tx = db.read().await.unwrap();
        let actions: Vec<(String,)> = sql("SELECT action FROM audit_log WHERE entity = 'service_request' AND entity_id = $1 ORDER BY id")
            .arg_i64(id)
            .fetch_all(&mut tx)
            .await
            .unwrap();
        let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
        assert_eq!(actions, ["create", "warn", "escalate", "update", "warn", "update", "update"]);
    })
    .await;
}

#[tokio::test]
async fn waiting_for_the_customer_stops_the_resolution_clock() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "无锡华晟机械有限公司", Some(o.alice.id)).await;
        // Urgent runs around the clock: every minute waited is a minute given back.
        let id = desk::create(&db, &o.agent, &request(c, "repair", "urgent", "空压机停机")).await.unwrap();
        let r = desk::get(&db, &o.agent, id).await.unwrap().request;
        desk::respond(&db, &o.agent, id, r.version, "请提供设备铭牌照片").await.unwrap();
        let r = desk::get(&db, &o.agent, id).await.unwrap().request;
        desk::set_status(&db, &o.agent, id, r.version, "waiting", "").await.unwrap();
        let w = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert_eq!((w.status.as_str(), w.resolution_state.as_str()), ("waiting", "paused"));
        assert!(w.waiting_since.is_some());
        assert_eq!(w.resolution_due_at, r.resolution_due_at, "the deadline moves when the waiting ends");
        // Past the resolution deadline, the job neither warns nor escalates while it waits.
        assert_eq!(desk::sla_sweep(&db, w.resolution_due_at + 60_000).await.unwrap(), 0);
        let at_risk = desk::list(&db, &o.agent, &ServiceFilter { at_risk: true, ..Default::default() }).await.unwrap();
        assert!(at_risk.rows.iter().all(|x| x.id != id));

        // It waited an hour and a half; back to work, the deadline is that much later.
        {
            let mut tx = db.write().await.unwrap();
            sql("UPDATE service_requests SET waiting_since = waiting_since - 5400000 WHERE id = $1")
                .arg_i64(id)
                .execute(&mut tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        desk::set_status(&db, &o.agent, id, w.version, "in_progress", "").await.unwrap();
        let b = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert_eq!((b.status.as_str(), b.waiting_since), ("in_progress", None));
        assert!((90..=91).contains(&b.paused_minutes), "{}", b.paused_minutes);
        assert_eq!(b.resolution_due_at - w.resolution_due_at, b.paused_minutes * 60_000);
        assert_eq!(b.resolution_warn_at - w.resolution_warn_at, b.paused_minutes * 60_000);
        assert_eq!(b.response_due_at, w.response_due_at, "only the resolution clock stops");
        // The job runs on the new deadline.
        assert_eq!(desk::sla_sweep(&db, w.resolution_due_at + 60_000).await.unwrap(), 0, "the old deadline is gone");
        assert_eq!(desk::sla_sweep(&db, b.resolution_warn_at + 60_000).await.unwrap(), 1, "the warning");
        assert_eq!(desk::sla_sweep(&db, b.resolution_due_at + 60_000).await.unwrap(), 1, "the escalation");
        // A new priority keeps the time waited off the clock.
        desk::set_priority(&db, &o.agent, id, b.version, "urgent").await.unwrap();
        let p = desk::get(&db, &o.agent, id).await.unwrap().request;
        assert_eq!((p.resolution_due_at, p.paused_minutes), (b.resolution_due_at, b.paused_minutes));
    })
    .await;
}

#[tokio::test]
async fn scope_links_assets_and_leads() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let mine = customer(&db, &o.admin, "常州启明电子有限公司", Some(o.alice.id)).await;
        let other = customer(&db, &o.admin, "天津北辰物流有限公司", Some(o.carol.id)).await;

        // Without a route the request stays with whoever logged it.
        let id = desk::create(&db, &o.alice, &request(mine, "consultation", "normal", "想了解二期扩容方案")).await.unwrap();
        for who in [&o.alice, &o.manager, &o.agent, &o.admin] {
            assert!(desk::get(&db, who, id).await.is_ok(), "{} sees it", who.username);
        }
        for who in [&o.bob, &o.carol, &o.engineer] {
            assert_eq!(desk::get(&db, who, id).await.unwrap_err(), AppError::NotFound, "{} does not", who.username);
        }
        let page = desk::list(&db, &o.bob, &ServiceFilter::default()).await.unwrap();
        assert!(page.rows.is_empty());

        // Links must belong to a customer the user can see.
        assert_eq!(
            fields(&desk::create(&db, &o.alice, &request(other, "repair", "normal", "x")).await.unwrap_err()),
            ["customer_id:validation.invalid_choice"]
        );
        let contact: i64 = {
            let mut tx = db.write().await.unwrap();
            let id =
                sql("INSERT INTO contacts (customer_id, name, version, created_at, updated_at) VALUES ($1, '王磊', 1, 0, 0) RETURNING id")
                    .arg_i64(other)
                    .fetch_i64(&mut tx)
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            id
        };
        let wrong = ServiceInput { contact_id: Some(contact), ..request(mine, "repair", "normal", "x") };
        assert_eq!(fields(&desk::create(&db, &o.alice, &wrong).await.unwrap_err()), ["contact_id:validation.invalid_choice"]);
        let bad = ServiceInput { kind: "wish".into(), subject: String::new(), ..request(mine, "repair", "normal", "") };
        assert_eq!(
            fields(&desk::create(&db, &o.alice, &bad).await.unwrap_err()),
            ["kind:validation.invalid_choice", "subject:validation.required"]
        );

        // Assets: serial numbers are unique; the warranty shows on the request.
        let asset = AssetInput {
            customer_id: mine,
            name: "螺杆空压机 LG-37".into(),
            serial_no: "LG37-2019-0042".into(),
            installed_on: "2019-03-01".into(),
            warranty_ends_on: "2021-02-28".into(),
            ..Default::default()
        };
        let a = desk::save_asset(&db, &o.alice, None, 0, &asset).await.unwrap();
        assert_eq!(fields(&desk::save_asset(&db, &o.alice, None, 0, &asset).await.unwrap_err()), ["serial_no:service.serial_taken"]);
        assert_eq!(
            desk::save_asset(&db, &o.bob, None, 0, &AssetInput { serial_no: "B-1".into(), ..asset.clone() }).await.unwrap_err(),
            AppError::NotFound
        );
        let on_other = ServiceInput { asset_id: Some(a), ..request(other, "repair", "normal", "x") };
        assert_eq!(fields(&desk::create(&db, &o.admin, &on_other).await.unwrap_err()), ["asset_id:validation.invalid_choice"]);
        let r = desk::create(&db, &o.alice, &ServiceInput { asset_id: Some(a), ..request(mine, "repair", "high", "漏油") }).await.unwrap();
        let r = desk::get(&db, &o.alice, r).await.unwrap().request;
        assert_eq!((r.asset_serial.as_deref(), r.warranty(480)), (Some("LG37-2019-0042"), "out"));
        assert_eq!(desk::assets(&db, &o.alice, mine).await.unwrap().len(), 1);
        let listed = desk::list(&db, &o.alice, &ServiceFilter { q: Some("lg37".into()), ..Default::default() }).await.unwrap();
        assert_eq!(listed.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [r.id]);

        // A consultation becomes a lead, once, and only with a way to reach the customer.
        let d = desk::get(&db, &o.alice, id).await.unwrap();
        assert!(d.can_convert);
        assert_eq!(
            fields(&desk::convert_to_lead(&db, &o.alice, id, d.request.version).await.unwrap_err()),
            ["kind:service.lead_needs_reach"]
        );
        {
            let mut tx = db.write().await.unwrap();
            sql("UPDATE customers SET phone = '0519-8888 6666' WHERE id = $1").arg_i64(mine).execute(&mut tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        let lead = desk::convert_to_lead(&db, &o.alice, id, d.request.version).await.unwrap();
        let l = app::leads::service::get(&db, &o.alice, lead).await.unwrap();
        assert_eq!((l.company.as_deref(), l.phone.as_deref()), (Some("常州启明电子有限公司"), Some("0519-8888 6666")));
        let d = desk::get(&db, &o.alice, id).await.unwrap();
        assert_eq!(d.request.lead_id, Some(lead));
        assert!(!d.can_convert);
        assert_eq!(
            fields(&desk::convert_to_lead(&db, &o.alice, id, d.request.version).await.unwrap_err()),
            ["kind:service.not_convertible"]
        );

        // Settings: only for those who hold them, and checked.
        let mut s = desk::settings(&db, &o.admin).await.unwrap();
        assert_eq!(desk::save_settings(&db, &o.alice, &s).await.unwrap_err(), AppError::Forbidden);
        let p = s.policies.iter_mut().find(|p| p.kind == "repair" && p.priority == "normal").unwrap();
        p.resolution_minutes = 10;
        s.hours.open = "9点".into();
        assert_eq!(
            fields(&desk::save_settings(&db, &o.admin, &s).await.unwrap_err()),
            ["sla.repair.normal.resolution:service.resolution_before_response", "open:validation.time"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_complaint_closes_only_with_a_satisfied_customer_or_an_override() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "南通海达纺织有限公司", Some(o.alice.id)).await;
        let id = desk::create(&db, &o.agent, &request(c, "complaint", "high", "安装工程师迟到两小时")).await.unwrap();
        let v = |id| {
            let db = db.clone();
            let agent = o.agent.clone();
            async move { desk::get(&db, &agent, id).await.unwrap().request }
        };
        let visit = |score: i64, comment: &str, issue: bool| VisitInput {
            channel: "phone".into(),
            satisfaction: score,
            comment: comment.into(),
            product_issue: issue,
        };

        // No return visit before the resolution.
        let r = v(id).await;
        assert_eq!(
            fields(&desk::record_visit(&db, &o.agent, id, r.version, &visit(5, "", false)).await.unwrap_err()),
            ["satisfaction:service.visit_after_resolution"]
        );
        desk::set_status(&db, &o.agent, id, r.version, "resolved", "已致歉并调整排班").await.unwrap();
        let r = v(id).await;
        assert_eq!(
            fields(&desk::set_status(&db, &o.agent, id, r.version, "closed", "").await.unwrap_err()),
            ["status:service.complaint_needs_satisfaction"]
        );
        assert_eq!(
            fields(&desk::record_visit(&db, &o.agent, id, r.version, &visit(0, "", true)).await.unwrap_err()),
            ["satisfaction:service.pick_satisfaction", "comment:service.describe_issue"]
        );

        // A dissatisfied customer reopens it.
        desk::record_visit(&db, &o.agent, id, r.version, &visit(2, "仍然不满意，要求补偿", false)).await.unwrap();
        let r = v(id).await;
        assert_eq!((r.status.as_str(), r.satisfaction, r.resolved_at), ("in_progress", Some(2), None));

        // Resolved again, the customer is satisfied and reports a product issue: it may close.
        desk::set_status(&db, &o.agent, id, r.version, "resolved", "赠送一次免费保养").await.unwrap();
        let r = v(id).await;
        desk::record_visit(&db, &o.agent, id, r.version, &visit(5, "满意；另反映控制面板按键松动", true)).await.unwrap();
        let r = v(id).await;
        assert_eq!((r.status.as_str(), r.satisfaction, r.product_issue), ("resolved", Some(5), true));
        desk::set_status(&db, &o.agent, id, r.version, "closed", "").await.unwrap();
        let quality = desk::list(&db, &o.agent, &ServiceFilter { product_issue: true, ..Default::default() }).await.unwrap();
        assert_eq!(quality.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        let d = desk::get(&db, &o.agent, id).await.unwrap();
        assert_eq!(d.visits.iter().map(|v| v.satisfaction).collect::<Vec<_>>(), [5, 2]);
        assert!(!d.can_override, "the agent may not override");

        // Another complaint the customer stays unhappy with: only an administrator closes it, with a reason.
        let other = desk::create(&db, &o.agent, &request(c, "complaint", "normal", "发票抬头错误")).await.unwrap();
        let r = v(other).await;
        desk::set_status(&db, &o.agent, other, r.version, "resolved", "已重开发票").await.unwrap();
        let r = v(other).await;
        assert_eq!(desk::override_close(&db, &o.agent, other, r.version, "客户拒绝沟通").await.unwrap_err(), AppError::Forbidden);
        assert_eq!(fields(&desk::override_close(&db, &o.admin, other, r.version, " ").await.unwrap_err()), ["reason:validation.required"]);
        assert!(desk::get(&db, &o.admin, other).await.unwrap().can_override);
        desk::override_close(&db, &o.admin, other, r.version, "客户拒绝沟通，经理决定结案").await.unwrap();
        let r = v(other).await;
        assert_eq!((r.status.as_str(), r.close_override.as_deref()), ("closed", Some("客户拒绝沟通，经理决定结案")));
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'service_request' AND entity_id = $1 AND action = 'override'")
            .arg_i64(other)
            .fetch_i64(&mut tx)
            .await
            .unwrap();
        assert_eq!(n, 1);
    })
    .await;
}
