//! Service statistics on SQLite and PostgreSQL: volume by kind and status, first response
//! and resolution against the SLA (on time, overdue, average), per person, failure causes,
//! satisfaction from return visits, engineers' planned work, all within the user's scope.
mod common;
use app::catalog::types::ProductInput;
use app::platform::db::sql;
use app::tickets::service as desk;
use app::tickets::stats::compute::stats;
use app::tickets::types::{ServiceInput, VisitInput};
use common::*;

#[tokio::test]
async fn service_statistics_count_what_happened_in_scope() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.admin, "宁波海天塑机有限公司", Some(o.alice.id)).await;
        let p = app::catalog::service::create_product(
            &db,
            &o.admin,
            &ProductInput {
                name: "注塑机 HT-200".into(),
                list_price: "1".into(),
                tax_rate: "13".into(),
                unit: "台".into(),
                kind: "product".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let input = |kind: &str, subject: &str, product: Option<i64>| ServiceInput {
            customer_id: Some(c),
            kind: kind.into(),
            channel: "phone".into(),
            priority: "normal".into(),
            subject: subject.into(),
            product_id: product,
            ..Default::default()
        };
        // Three by the agent, one by alice (hers).
        let a = desk::create(&db, &o.agent, &input("repair", "料筒温度异常", Some(p))).await.unwrap();
        let b = desk::create(&db, &o.agent, &input("repair", "液压泄漏", Some(p))).await.unwrap();
        let late = desk::create(&db, &o.agent, &input("complaint", "上门迟到", None)).await.unwrap();
        let mine = desk::create(&db, &o.alice, &input("consultation", "选型咨询", None)).await.unwrap();

        // a: answered and resolved on time, then a return visit scoring 5; b: answered;
        // late: its response deadline already passed without an answer.
        let r = desk::get(&db, &o.agent, a).await.unwrap().request;
        desk::respond(&db, &o.agent, a, r.version, "已安排").await.unwrap();
        let r = desk::get(&db, &o.agent, a).await.unwrap().request;
        desk::set_status(&db, &o.agent, a, r.version, "resolved", "更换热电偶").await.unwrap();
        let r = desk::get(&db, &o.agent, a).await.unwrap().request;
        let visit = VisitInput {
            channel: "phone".into(), satisfaction: 5, comment: "螺杆磨损，建议改进材质".into(), product_issue: true
        };
        desk::record_visit(&db, &o.agent, a, r.version, &visit).await.unwrap();
        let r = desk::get(&db, &o.agent, b).await.unwrap().request;
        desk::respond(&db, &o.agent, b, r.version, "收到").await.unwrap();
        let mut tx = db.write().await.unwrap();
        sql("UPDATE service_requests SET response_due_at = created_at - 1 WHERE id = $1").arg_i64(late).execute(&mut tx).await.unwrap();
        tx.commit().await.unwrap();

        let s = stats(&db, &o.agent, "month").await.unwrap();
        assert_eq!(s.total, 4);
        assert_eq!(s.by_kind[0], ("repair".to_string(), 2));
        assert!(s.by_kind.contains(&("complaint".to_string(), 1)) && s.by_kind.contains(&("consultation".to_string(), 1)));
        assert!(s.by_status.contains(&("resolved".to_string(), 1)), "{:?}", s.by_status);
        assert_eq!((s.response.done, s.response.on_time, s.response.overdue), (2, 2, 1));
        assert_eq!(s.response.on_time_percent(), Some(100));
        assert!(s.response.avg_minutes.is_some_and(|m| m < 5));
        assert_eq!((s.resolution.done, s.resolution.on_time, s.resolution.overdue), (1, 1, 0));
        assert_eq!(s.causes, [("注塑机 HT-200".to_string(), 2)]);
        assert_eq!(s.product_issues, 1);
        assert_eq!((s.visits, s.satisfaction_x100, s.scores), (1, Some(500), [0, 0, 0, 0, 1]));
        let agent = s.people.iter().find(|p| p.user_id == o.agent.id).unwrap();
        assert_eq!((agent.handled, agent.resolved, agent.resolved_on_time, agent.satisfaction_x100), (3, 1, 1, Some(500)));
        assert!(s.engineers.is_empty());

        // Alice sees her own request only; last month had nothing.
        let s = stats(&db, &o.alice, "month").await.unwrap();
        assert_eq!((s.total, s.response.done, s.visits), (1, 0, 0));
        assert_eq!(s.people.iter().map(|p| p.user_id).collect::<Vec<_>>(), [o.alice.id]);
        let _ = mine;
        assert_eq!(stats(&db, &o.agent, "last_month").await.unwrap().total, 0);
        assert_eq!(stats(&db, &o.agent, "year").await.unwrap().total, 4);
        // An unknown period is this month.
        assert_eq!(stats(&db, &o.agent, "decade").await.unwrap().period, "month");
    })
    .await;
}
