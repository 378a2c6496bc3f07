//! The value model, scores with their explanation, and the pyramid, on SQLite and PostgreSQL.
mod common;
use app::activities::service as activities;
use app::activities::types::ActivityInput;
use app::customers::value::{Band, ValueModel};
use app::customers::value_service as value;
use app::platform::error::AppError;
use common::*;

#[tokio::test]
async fn scores_explain_themselves_and_the_pyramid_counts_within_scope() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let busy = customer(&db, &o.alice, "常联系的客户", None).await;
        customer(&db, &o.alice, "很少联系的客户", None).await;
        customer(&db, &o.carol, "华北客户", None).await;
        for i in 0..10 {
            let input = ActivityInput { kind: "call".into(), subject: format!("电话 {i}"), ..Default::default() };
            activities::log_activity(&db, &o.alice, busy, &input, 480).await.unwrap();
        }
        let v = value::customer_value(&db, &o.alice, busy).await.unwrap();
        let followups = v.parts.iter().find(|p| p.indicator == "activity_90d").unwrap();
        assert_eq!((followups.value.as_str(), followups.score), ("10", 100));
        assert_eq!(v.score, v.parts.iter().map(|p| p.points).sum::<f64>().round() as i64);
        assert_eq!(value::customer_value(&db, &o.bob, busy).await.unwrap_err(), AppError::NotFound);

        // A simple two-band model: follow-ups only.
        let model = ValueModel {
            weights: vec![("activity_90d".into(), 100)],
            bands: vec![Band { name: "活跃".into(), min_score: 50 }, Band { name: "沉睡".into(), min_score: 0 }],
        };
        assert_eq!(value::save_model(&db, &o.alice, &model).await.unwrap_err(), AppError::Forbidden);
        value::save_model(&db, &o.admin, &model).await.unwrap();
        let before = value::pyramid(&db, &o.manager).await.unwrap();
        assert_eq!((before.unscored, before.computed_at), (3, None), "nothing scored yet");
        assert_eq!(value::recompute_all(&db, app::platform::time::now_ms()).await.unwrap(), 3);
        let manager = value::pyramid(&db, &o.manager).await.unwrap();
        assert_eq!(manager.bands, vec![("活跃".to_string(), 1), ("沉睡".to_string(), 2)]);
        assert!(manager.computed_at.is_some());
        let alice = value::pyramid(&db, &o.alice).await.unwrap();
        assert_eq!(alice.bands, vec![("活跃".to_string(), 1), ("沉睡".to_string(), 1)], "only her own customers");
    })
    .await;
}
