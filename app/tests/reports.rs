//! The sales dashboard (funnel, flow, forecast) and targets, on SQLite and
//! PostgreSQL: every figure equals the list its drill-down opens, scopes hold, and
//! targets follow the department-over-people rule.
mod common;
use app::contacts::service as contacts;
use app::contacts::types::ContactInput;
use app::opportunities::service as opps;
use app::opportunities::types::*;
use app::platform::db::sql;
use app::platform::error::AppError;
use app::reports::service as reports;
use app::reports::types::*;
use common::*;

const TZ: i32 = 480;

fn opp(name: &str, customer: i64, amount: &str, close: &str) -> OpportunityInput {
    OpportunityInput {
        name: name.into(),
        customer_id: Some(customer),
        currency: "CNY".into(),
        amount: amount.into(),
        expected_close: close.into(),
        ..Default::default()
    }
}

fn today() -> String {
    let (y, m, d) = app::platform::time::date_parts(app::platform::time::now_ms() + TZ as i64 * 60_000);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Count and CNY (amount, weighted) of the list a figure drills down to.
async fn list_of(db: &app::platform::db::Db, user: &app::platform::authz::CurrentUser, f: &OppFilter) -> (i64, i64, i64) {
    let page = opps::list(db, user, f, None, TZ).await.unwrap();
    let cny = page.totals.iter().find(|t| t.currency == "CNY").map(|t| (t.amount, t.weighted)).unwrap_or((0, 0));
    (page.count, cny.0, cny.1)
}

#[tokio::test]
async fn dashboard_figures_equal_their_lists_within_scope() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let today = today();
        let month = today[..7].to_string();
        let ca = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let cb = customer(&db, &o.bob, "上海浦江精密机械股份有限公司", None).await;
        let cc = customer(&db, &o.carol, "广州南沙港务有限公司", None).await;
        opps::create(&db, &o.alice, &opp("ERP 升级", ca, "1000.50", &today)).await.unwrap();
        opps::create(&db, &o.alice, &opp("数据中台", ca, "2000", "")).await.unwrap();
        let won = opps::create(&db, &o.alice, &opp("维保续约", ca, "3000", &today)).await.unwrap();
        opps::create(&db, &o.bob, &opp("智能仓储", cb, "500", &today)).await.unwrap();
        opps::create(&db, &o.carol, &opp("港口调度", cc, "700", &today)).await.unwrap();
        opps::create(&db, &o.alice, &OpportunityInput { currency: "USD".into(), ..opp("海外子公司", ca, "900", &today) }).await.unwrap();
        let v = opps::get(&db, &o.alice, won).await.unwrap().version;
        opps::close(&db, &o.alice, won, v, true, "价格优势", "").await.unwrap();

        let d = reports::dashboard(&db, &o.manager, &DashFilter::default(), TZ).await.unwrap();
        assert_eq!(d.currency, "CNY");
        let prospecting = d.funnel[0].clone();
        // Four CNY opportunities are open in the manager's tree; the USD one is another currency.
        assert_eq!((prospecting.count, prospecting.amount), (4, 100_050 + 200_000 + 50_000 + 70_000));
        assert_eq!(prospecting.weighted, weighted(420_050, 10));
        let open = OppFilter { status: Some("open".into()), stage: Some(prospecting.stage_id), ..d.base() };
        assert_eq!(list_of(&db, &o.manager, &open).await, (4, 420_050, prospecting.weighted));

        // Forecast: this month's won and expected figures equal their drill-down lists.
        let row = d.months.iter().find(|m| m.month == month).expect("this month").figures.clone();
        assert_eq!((row.won, row.won_count), (300_000, 1));
        assert_eq!((row.pipeline, row.pipeline_count), (100_050 + 50_000 + 70_000, 3));
        assert_eq!(list_of(&db, &o.manager, &d.won_between(&month, &month)).await, (1, 300_000, 0));
        assert_eq!(list_of(&db, &o.manager, &d.open_between(&month, &month)).await, (3, 220_050, row.weighted));
        assert_eq!(d.total.won, 300_000);

        // Per person: each row's figures are its owner's list.
        let alice = d.people.iter().find(|p| p.id == o.alice.id).expect("alice row").figures.clone();
        assert_eq!((alice.won, alice.pipeline), (300_000, 100_050));
        let alice_open = OppFilter { owner: Some(o.alice.id), ..d.open_between(&d.from, &d.to) };
        assert_eq!(list_of(&db, &o.manager, &alice_open).await, (1, 100_050, alice.weighted));

        // A salesperson's dashboard covers only their own opportunities.
        let mine = reports::dashboard(&db, &o.bob, &DashFilter::default(), TZ).await.unwrap();
        assert_eq!((mine.funnel[0].count, mine.funnel[0].amount), (1, 50_000));
        assert_eq!(mine.people.iter().map(|p| p.id).collect::<Vec<_>>(), vec![o.bob.id]);
        // A team filter narrows to that department's tree; USD has its own figures.
        let east = d.departments.iter().find(|c| c.name == "华东销售组").unwrap().id;
        let team = reports::dashboard(&db, &o.manager, &DashFilter { department: Some(east), ..Default::default() }, TZ).await.unwrap();
        assert_eq!(team.funnel[0].count, 3);
        let usd = reports::dashboard(&db, &o.admin, &DashFilter { currency: Some("USD".into()), ..Default::default() }, TZ).await.unwrap();
        assert_eq!((usd.funnel[0].count, usd.funnel[0].amount), (1, 90_000));

        // Bad periods are refused; people without opportunity rights see nothing.
        let backwards = DashFilter { from: Some("2026-12".into()), to: Some("2026-01".into()), ..Default::default() };
        assert_eq!(
            reports::dashboard(&db, &o.manager, &backwards, TZ).await.unwrap_err(),
            AppError::validation("to", "report.period_invalid")
        );
        assert_eq!(reports::dashboard(&db, &o.agent, &DashFilter::default(), TZ).await.unwrap_err(), AppError::Forbidden);
    })
    .await;
}

#[tokio::test]
async fn stage_flow_counts_how_far_opportunities_got() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let c = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let k = contacts::create_contact(&db, &o.alice, c, &ContactInput { name: "陈国栋".into(), ..Default::default() }).await.unwrap();
        let lost = opps::create(&db, &o.alice, &OpportunityInput { contact_id: Some(k), ..opp("旧系统迁移", c, "100", "") }).await.unwrap();
        let won = opps::create(&db, &o.alice, &opp("维保", c, "100", "")).await.unwrap();
        opps::create(&db, &o.alice, &opp("培训", c, "100", "")).await.unwrap();
        let board = opps::board(&db, &o.alice, &BoardQuery::default()).await.unwrap();
        let qualification = board.process.stages.iter().find(|s| s.code.as_deref() == Some("qualification")).unwrap().id;
        let v = opps::get(&db, &o.alice, lost).await.unwrap().version;
        let m = opps::move_stage(&db, &o.alice, lost, v, qualification).await.unwrap();
        opps::close(&db, &o.alice, lost, m.version, false, "预算取消", "").await.unwrap();
        let v = opps::get(&db, &o.alice, won).await.unwrap().version;
        opps::close(&db, &o.alice, won, v, true, "老客户", "").await.unwrap();

        let d = reports::dashboard(&db, &o.alice, &DashFilter::default(), TZ).await.unwrap();
        let reached: Vec<i64> = d.flow.iter().map(|f| f.reached).collect();
        // prospecting 3, qualification 2 (one lost there, one won beyond), then the won one.
        assert_eq!(reached, vec![3, 2, 1, 1, 1]);
        assert_eq!(d.flow[0].to_next_permille, Some(667));
        assert_eq!(d.flow[1].to_next_permille, Some(500));
        assert_eq!((d.won, d.closed), (1, 2));
        // Two moves left prospecting (to qualification and to won), one left qualification.
        assert_eq!((d.flow[0].moves, d.flow[1].moves), (2, 1));
        assert!(d.flow[0].avg_ms.is_some_and(|ms| ms >= 0));
    })
    .await;
}

#[tokio::test]
async fn targets_are_set_by_managers_and_a_department_target_wins() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let year: i64 = today()[..4].parse().unwrap();
        let twelve = |v: &str| vec![v.to_string(); 12];
        let input = |user: Option<i64>, dept: Option<i64>, months: Vec<String>, stamp| TargetInput {
            user_id: user,
            department_id: dept,
            year,
            currency: "CNY".into(),
            months,
            stamp,
        };
        // A salesperson may not set targets; a manager may, for their tree only.
        assert_eq!(
            reports::save_targets(&db, &o.alice, &input(Some(o.alice.id), None, twelve("1"), 0)).await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            reports::save_targets(&db, &o.manager, &input(Some(o.agent.id), None, twelve("1"), 0)).await.unwrap_err(),
            AppError::Forbidden
        );
        // Bad amounts are named by month; nothing is saved.
        let mut bad = twelve("1000");
        bad[2] = "abc".into();
        bad[11] = "-5".into();
        let err = reports::save_targets(&db, &o.manager, &input(Some(o.alice.id), None, bad, 0)).await.unwrap_err();
        assert_eq!(
            err,
            AppError::Validation(vec![
                app::platform::error::FieldError::new("m3", "validation.amount"),
                app::platform::error::FieldError::new("m12", "validation.amount"),
            ])
        );
        let saved = reports::save_targets(&db, &o.manager, &input(Some(o.alice.id), None, twelve("1000"), 0)).await.unwrap();
        assert!(saved.stamp > 0);
        // A stale sheet is a conflict, not an overwrite.
        assert_eq!(
            reports::save_targets(&db, &o.manager, &input(Some(o.alice.id), None, twelve("5"), 0)).await.unwrap_err(),
            AppError::Conflict
        );
        let mut bob = twelve("");
        bob[0] = "400".into();
        reports::save_targets(&db, &o.manager, &input(Some(o.bob.id), None, bob, 0)).await.unwrap();

        let sheet = reports::target_sheet(&db, &o.manager, year, "CNY").await.unwrap();
        let alice_row = sheet.rows.iter().find(|r| r.user_id == Some(o.alice.id)).unwrap();
        assert_eq!(alice_row.months, vec![Some(100_000); 12]);
        assert!(sheet.rows.iter().all(|r| r.user_id != Some(o.agent.id)), "the service agent is outside the manager's tree");

        let period = DashFilter { from: Some(format!("{year}-01")), to: Some(format!("{year}-12")), ..Default::default() };
        let d = reports::dashboard(&db, &o.manager, &period, TZ).await.unwrap();
        assert_eq!(d.months[0].figures.target, Some(140_000));
        assert_eq!(d.months[1].figures.target, Some(100_000));
        assert_eq!(d.total.target, Some(12 * 100_000 + 40_000));

        // The sales department's own target wins over its people's sum when it is selected.
        let sales: i64 = sql("SELECT id FROM departments WHERE name = '销售部'").fetch_i64(&mut db.read().await.unwrap()).await.unwrap();
        reports::save_targets(&db, &o.manager, &input(None, Some(sales), twelve("5000"), 0)).await.unwrap();
        let team = reports::dashboard(&db, &o.manager, &DashFilter { department: Some(sales), ..period.clone() }, TZ).await.unwrap();
        assert_eq!(team.months[0].figures.target, Some(500_000));
        let alone = reports::dashboard(&db, &o.manager, &DashFilter { owner: Some(o.alice.id), ..period }, TZ).await.unwrap();
        assert_eq!(alone.months[0].figures.target, Some(100_000));

        let audited: i64 =
            sql("SELECT COUNT(*) FROM audit_log WHERE action = 'target'").fetch_i64(&mut db.read().await.unwrap()).await.unwrap();
        assert_eq!(audited, 3);
    })
    .await;
}

/// Milliseconds of a UTC date-time `YYYY-MM-DD` plus hours.
fn at(day: &str, hours: i64) -> i64 {
    app::platform::time::parse_date_ms(day, 0).unwrap() + hours * 3_600_000
}

#[tokio::test]
async fn rollups_give_the_same_dashboard_as_reading_every_opportunity() {
    use app::customers::collaborators;
    use app::customers::types::ShareAccess;
    use app::platform::authz::Entity;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let ca = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let cb = customer(&db, &o.bob, "上海浦江精密机械股份有限公司", None).await;
        let cc = customer(&db, &o.carol, "广州南沙港务有限公司", None).await;
        let board = opps::board(&db, &o.alice, &BoardQuery::default()).await.unwrap();
        let stage = |code: &str| board.process.stages.iter().find(|s| s.code.as_deref() == Some(code)).unwrap().id;
        let (qualification, proposal) = (stage("qualification"), stage("proposal"));

        // Opportunities of three people in two teams, some private, created, moved and
        // closed a few hours either side of month starts (UTC), so every time zone
        // below puts some of them in another month than UTC does.
        let edges = [("2025-03-01", -9), ("2025-03-01", 3), ("2025-06-01", -2), ("2025-06-30", 20), ("2025-12-31", 18), ("2026-01-01", 4)];
        let mut ids = Vec::new();
        for (i, (day, hours)) in edges.iter().enumerate() {
            for (who, c) in [(&o.alice, ca), (&o.bob, cb), (&o.carol, cc)] {
                let k = contacts::create_contact(&db, who, c, &ContactInput { name: format!("联系人 {i}"), ..Default::default() })
                    .await
                    .unwrap();
                let input = OpportunityInput {
                    contact_id: Some(k),
                    needs: "系统升级".into(),
                    is_private: i % 3 == 1,
                    ..opp(&format!("商机 {i} {}", who.username), c, &format!("{}", 100 * (i + 1)), &format!("2025-{:02}-15", i * 2 + 1))
                };
                let id = opps::create(&db, who, &input).await.unwrap();
                let mut v = opps::get(&db, who, id).await.unwrap().version;
                if i % 2 == 0 {
                    v = opps::move_stage(&db, who, id, v, qualification).await.unwrap().version;
                }
                if i % 3 == 0 {
                    v = opps::move_stage(&db, who, id, v, proposal).await.unwrap().version;
                }
                match i % 4 {
                    1 => {
                        opps::close(&db, who, id, v, true, "价格优势", "").await.unwrap();
                    }
                    3 => {
                        opps::close(&db, who, id, v, false, "预算取消", "").await.unwrap();
                    }
                    _ => {}
                }
                let t = at(day, *hours);
                let mut tx = db.write().await.unwrap();
                sql(
                    "UPDATE opportunities SET created_at = $1, closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $2 END WHERE id = $3",
                )
                .arg_i64(t - 86_400_000 * (i as i64 + 1))
                .arg_i64(t)
                .arg_i64(id)
                .execute(&mut tx)
                .await
                .unwrap();
                sql("INSERT INTO opportunity_stage_history (opportunity_id, from_stage_id, to_stage_id, moved_at, time_in_stage) \
                     VALUES ($1, $2, $3, $4, $5)")
                .arg_i64(id)
                .arg_i64(qualification)
                .arg_i64(proposal)
                .arg_i64(t + 3_600_000)
                .arg_i64(86_400_000 * (i as i64 + 1))
                .execute(&mut tx)
                .await
                .unwrap();
                tx.commit().await.unwrap();
                ids.push((id, who.clone()));
            }
        }
        // Sharing reaches across teams and into private rows; a reassignment and a
        // deletion move rows between and out of the rollups.
        collaborators::add(&db, &o.carol, Entity::Opportunity, ids[5].0, o.alice.id, ShareAccess::View).await.unwrap();
        collaborators::add(&db, &o.carol, Entity::Opportunity, ids[14].0, o.bob.id, ShareAccess::Edit).await.unwrap();
        collaborators::add(&db, &o.bob, Entity::Opportunity, ids[4].0, o.carol.id, ShareAccess::View).await.unwrap();
        let (id, who) = &ids[0];
        let mut reassigned = opps::get(&db, who, *id).await.unwrap();
        let input = OpportunityInput {
            owner_id: Some(o.carol.id),
            contact_id: reassigned.contact_id,
            needs: "系统升级".into(),
            ..opp(&reassigned.name, ca, "4321", "2025-04-30")
        };
        reassigned = opps::update(&db, &o.manager, *id, reassigned.version, &input).await.unwrap();
        assert_eq!(reassigned.owner_id, Some(o.carol.id));
        let (id, who) = &ids[2];
        let v = opps::get(&db, who, *id).await.unwrap().version;
        opps::delete(&db, who, *id, v).await.unwrap();

        let year = DashFilter { from: Some("2025-01".into()), to: Some("2025-12".into()), ..Default::default() };
        let filters = [
            year.clone(),
            DashFilter { from: Some("2025-03".into()), to: Some("2025-06".into()), ..Default::default() },
            DashFilter { owner: Some(o.carol.id), ..year.clone() },
            DashFilter { department: Some(o.alice.department_id.unwrap()), ..year.clone() },
        ];
        let mut seen_won = 0;
        for user in [&o.admin, &o.manager, &o.alice, &o.bob, &o.carol] {
            for tz in [480, -300, 330, 0, 840, -720] {
                for f in &filters {
                    let rolled = reports::dashboard_from(&db, user, f, tz, reports::Source::Rollup).await.unwrap();
                    let scanned = reports::dashboard_from(&db, user, f, tz, reports::Source::Scan).await.unwrap();
                    assert_eq!(rolled, scanned, "{} at {tz} with {f:?}", user.username);
                    seen_won += rolled.total.won_count;
                }
            }
        }
        assert!(seen_won > 0);
    })
    .await;
}
