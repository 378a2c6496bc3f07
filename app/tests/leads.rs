//! Leads: scope and the pool, scores, status, territories and round-robin, the public
//! web form's spam checks, and conversion with the duplicate check, on SQLite and
//! PostgreSQL.
mod common;
use app::leads::service as leads;
use app::leads::territories;
use app::leads::types::*;
use app::leads::web_form;
use app::platform::audit::{verify_chain, ChainStatus};
use app::platform::db::{sql, Db};
use app::platform::error::AppError;
use app::platform::i18n::Locale;
use app::platform::time::now_ms;
use common::*;

fn lead(name: &str) -> LeadInput {
    LeadInput { name: name.into(), mobile: "13800138000".into(), ..Default::default() }
}

fn web(name: &str, region: &str, email: &str) -> LeadInput {
    LeadInput { name: name.into(), email: email.into(), region: region.into(), ..Default::default() }
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(es) => es.iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => vec![format!("{other:?}")],
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    let mut tx = db.read().await.unwrap();
    sql(&format!("SELECT COUNT(*) FROM {table}")).fetch_i64(&mut tx).await.unwrap()
}

fn names(page: LeadPage) -> Vec<String> {
    page.rows.into_iter().map(|r| r.name).collect()
}

fn view(v: &str) -> LeadFilter {
    LeadFilter { view: v.into(), ..Default::default() }
}

#[tokio::test]
async fn leads_follow_scope_and_the_pool_is_claimed_once() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let own = leads::create(&db, &o.alice, &lead("王先生")).await.unwrap();
        assert_eq!(leads::get(&db, &o.bob, own).await.unwrap_err(), AppError::NotFound);
        assert!(leads::get(&db, &o.manager, own).await.unwrap().can_edit);
        assert_eq!(leads::get(&db, &o.agent, own).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(names(leads::list(&db, &o.alice, &view("mine"), None).await.unwrap()), ["王先生"]);

        // No territory yet: a web lead waits in the pool, which every salesperson sees.
        let now = now_ms();
        let leads::WebOutcome::Created(pooled) =
            leads::submit_web(&db, &web("李女士", "北京", "li@tiandu.cn"), "10.0.0.1", now).await.unwrap()
        else {
            panic!("a new lead")
        };
        let p = leads::get(&db, &o.bob, pooled).await.unwrap();
        assert_eq!((p.owner_id, p.channel.as_str(), p.can_claim, p.can_edit), (None, "web", true, false));
        assert_eq!(names(leads::list(&db, &o.bob, &view("pool"), None).await.unwrap()), ["李女士"]);
        assert_eq!(leads::list(&db, &o.bob, &LeadFilter::default(), None).await.unwrap().total, 1);

        // Alice claims it; Bob, a moment late, is told so and loses sight of it.
        leads::claim(&db, &o.alice, pooled, p.version).await.unwrap();
        assert_eq!(fields(&leads::claim(&db, &o.bob, pooled, p.version).await.unwrap_err()), ["owner_id:lead.claimed"]);
        assert_eq!(leads::get(&db, &o.bob, pooled).await.unwrap_err(), AppError::NotFound);
        assert_eq!(leads::list(&db, &o.alice, &view("mine"), None).await.unwrap().total, 2);

        // Search and grade filters are SQL on the same scope.
        let found = leads::list(&db, &o.manager, &LeadFilter { q: "李".into(), ..Default::default() }, None).await.unwrap();
        assert_eq!(names(found), ["李女士"]);
        let hot = leads::list(&db, &o.manager, &LeadFilter { grade: "hot".into(), ..Default::default() }, None).await.unwrap();
        assert_eq!(hot.total, 0);
    })
    .await;
}

#[tokio::test]
async fn scores_explain_themselves_and_status_moves_are_guarded() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let input = LeadInput { company: "天度科技".into(), email: "wang@tiandu.cn".into(), ..lead("王总") };
        let id = leads::create(&db, &o.alice, &input).await.unwrap();
        let l = leads::get(&db, &o.alice, id).await.unwrap();
        // The stored score is exactly the sum of the reasons the page shows.
        assert_eq!(l.score, score_total(&score_parts(l.facts())));
        assert_eq!(l.score, 40);
        let better = LeadInput { title: "采购总监".into(), needs: "需要为五十名销售采购 CRM 系统".into(), ..input.clone() };
        let l = leads::update(&db, &o.alice, id, l.version, &better).await.unwrap();
        assert_eq!((l.score, grade(l.score)), (75, "hot"));
        assert_eq!(leads::update(&db, &o.alice, id, l.version - 1, &input).await.unwrap_err(), AppError::Conflict);

        // A bad field is reported by name and nothing is saved.
        let err = leads::update(&db, &o.alice, id, l.version, &LeadInput { email: "nope".into(), ..better.clone() }).await.unwrap_err();
        assert_eq!(fields(&err), ["email:validation.email"]);

        let l = leads::set_status(&db, &o.alice, id, l.version, "working", "").await.unwrap();
        let err = leads::set_status(&db, &o.alice, id, l.version, "disqualified", " ").await.unwrap_err();
        assert_eq!(fields(&err), ["reason:validation.required"]);
        let l = leads::set_status(&db, &o.alice, id, l.version, "disqualified", "预算不足").await.unwrap();
        assert_eq!((l.status.as_str(), l.disqualify_reason.as_deref(), l.can_assign), ("disqualified", Some("预算不足"), false));
        let l = leads::set_status(&db, &o.alice, id, l.version, "new", "").await.unwrap();
        assert_eq!((l.status.as_str(), l.disqualify_reason), ("new", None));
        let err = leads::set_status(&db, &o.alice, id, l.version, "converted", "").await.unwrap_err();
        assert_eq!(fields(&err), ["status:validation.invalid_choice"]);

        // Soft delete: gone from the list, still in the table and the audit log.
        leads::delete(&db, &o.alice, id, l.version).await.unwrap();
        assert_eq!(leads::list(&db, &o.alice, &LeadFilter::default(), None).await.unwrap().total, 0);
        assert_eq!(count(&db, "leads").await, 1);
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'lead'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 6);
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn territories_hand_leads_out_in_turn() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        // Only administrators change territories.
        let north =
            TerritoryInput {
                name: "华北".into(), regions: "北京、天津".into(), members: vec![o.carol.id, o.bob.id], ..Default::default()
            };
        assert_eq!(territories::save(&db, &o.manager, &north).await.unwrap_err(), AppError::Forbidden);
        territories::save(&db, &o.admin, &north).await.unwrap();
        let rest = TerritoryInput { name: "其他".into(), members: vec![o.alice.id], ..Default::default() };
        territories::save(&db, &o.admin, &rest).await.unwrap();
        let err = territories::save(&db, &o.admin, &TerritoryInput { name: " ".into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(&err), ["name:validation.required"]);

        let now = now_ms();
        let mut owners = Vec::new();
        for (i, region) in ["北京市", "天津", "北京", "重庆"].into_iter().enumerate() {
            let input = web(&format!("访客{i}"), region, &format!("v{i}@example.cn"));
            let leads::WebOutcome::Created(id) = leads::submit_web(&db, &input, &format!("10.0.1.{i}"), now).await.unwrap() else {
                panic!("a new lead")
            };
            owners.push(leads::get(&db, &o.admin, id).await.unwrap().owner_id);
        }
        // Bob and Carol take 华北 in turn (by user id), 重庆 falls to the catch-all.
        let (first, second) = if o.bob.id < o.carol.id { (o.bob.id, o.carol.id) } else { (o.carol.id, o.bob.id) };
        assert_eq!(owners, [Some(first), Some(second), Some(first), Some(o.alice.id)]);

        // A manager distributes pool leads; an owner outside their tree is refused.
        let a = leads::create(&db, &o.alice, &LeadInput { region: "天津".into(), ..lead("待分配线索") }).await.unwrap();
        let err = leads::assign(&db, &o.manager, &[a], Some(o.agent.id)).await.unwrap_err();
        assert_eq!(fields(&err), ["owner_id:validation.owner_out_of_scope"]);
        assert_eq!(leads::assign(&db, &o.manager, &[a], None).await.unwrap(), 1);
        let l = leads::get(&db, &o.manager, a).await.unwrap();
        assert_eq!((l.owner_id, l.territory_name.as_deref()), (Some(second), Some("华北")));
        assert_eq!(leads::assign(&db, &o.manager, &[a], Some(o.alice.id)).await.unwrap(), 1);
        assert_eq!(leads::get(&db, &o.alice, a).await.unwrap().owner_id, Some(o.alice.id));
        assert_eq!(leads::assign(&db, &o.alice, &[a], Some(o.bob.id)).await.unwrap_err(), AppError::Forbidden);
        let listed = territories::list(&db, &o.alice).await.unwrap();
        assert_eq!(listed.iter().map(|t| (t.name.as_str(), t.members.len())).collect::<Vec<_>>(), [("华北", 2), ("其他", 1)]);
    })
    .await;
}

#[tokio::test]
async fn the_web_form_refuses_bots_floods_and_repeats() {
    on_both_databases(|db| async move {
        let key = web_form::secret(&db).await.unwrap();
        assert_eq!(web_form::secret(&db).await.unwrap(), key, "one key per installation");
        let now = now_ms();
        let form = |name: &str, email: &str| WebLeadForm {
            name: name.into(),
            email: email.into(),
            company: "天度科技".into(),
            needs: "想了解 CRM 的价格和部署方式".into(),
            token: web_form::issue_token(&key, now - 5_000),
            ..Default::default()
        };
        // A person: thanked, and the lead exists.
        let page = web_form::handle(&db, &form("张三", "zhang@tiandu.cn"), "10.9.0.1", now, Locale::ZhCn).await;
        assert_eq!(page.status, 200);
        assert_eq!(count(&db, "leads").await, 1);
        // The same person pressing send again: thanked, still one lead.
        let page = web_form::handle(&db, &form("张三", "zhang@tiandu.cn"), "10.9.0.1", now + 1_000, Locale::ZhCn).await;
        assert_eq!((page.status, count(&db, "leads").await), (200, 1));
        // A bot filling the honeypot: thanked, nothing stored.
        let bot = WebLeadForm { website: "http://spam.example".into(), ..form("bot", "bot@spam.example") };
        assert_eq!(web_form::handle(&db, &bot, "10.9.0.2", now, Locale::En).await.status, 200);
        // Too fast, forged or missing tokens: the form comes back with what was typed.
        let fast = WebLeadForm { token: web_form::issue_token(&key, now - 500), ..form("快手", "fast@example.cn") };
        let page = web_form::handle(&db, &fast, "10.9.0.3", now, Locale::En).await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("快手"));
        let forged = WebLeadForm { token: "1.00".into(), ..form("伪造", "forged@example.cn") };
        assert_eq!(web_form::handle(&db, &forged, "10.9.0.3", now, Locale::En).await.status, 422);
        // Invalid input is shown next to its field.
        let bad = WebLeadForm { email: "not-mail".into(), ..form("坏邮箱", "") };
        let page = web_form::handle(&db, &bad, "10.9.0.4", now, Locale::En).await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
        assert_eq!(count(&db, "leads").await, 1);
        // A flood from one address is stopped after the hourly limit.
        let mut statuses = Vec::new();
        for i in 0..7 {
            let p = web_form::handle(&db, &form(&format!("客户{i}"), &format!("c{i}@example.cn")), "10.9.9.9", now, Locale::En).await;
            statuses.push(p.status);
        }
        assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
        assert_eq!(count(&db, "leads").await, 6);
    })
    .await;
}

#[tokio::test]
async fn conversion_checks_duplicates_and_creates_everything_at_once() {
    on_both_databases(|db| async move {
        let o = org(&db).await;
        let existing = customer(&db, &o.alice, "北京天度网络科技有限公司", None).await;
        let id = leads::create(
            &db,
            &o.alice,
            &LeadInput { company: "天度网络科技（北京）有限公司".into(), title: "CTO".into(), ..lead("陈国栋") },
        )
        .await
        .unwrap();
        let l = leads::get(&db, &o.alice, id).await.unwrap();
        let new_customer = ConvertInput {
            customer_name: l.customer_name(),
            create_opportunity: true,
            opportunity_name: "CRM 采购".into(),
            amount: "120,000".into(),
            currency: "CNY".into(),
            ..Default::default()
        };
        // The existing customer is found; a new one needs confirming.
        let err = leads::convert(&db, &o.alice, id, l.version, &new_customer).await.unwrap_err();
        assert_eq!(fields(&err), ["customer_name:lead.duplicates"]);
        let hits = leads::duplicates(&db, &o.alice, id, &l.customer_name()).await.unwrap();
        assert_eq!(hits.first().and_then(|h| h.id), Some(existing));
        // A bad amount: refused before anything is created.
        let (customers_before, contacts_before) = (count(&db, "customers").await, count(&db, "contacts").await);
        let bad = ConvertInput { customer_id: Some(existing), amount: "十万".into(), ..new_customer.clone() };
        assert_eq!(fields(&leads::convert(&db, &o.alice, id, l.version, &bad).await.unwrap_err()), ["amount:validation.amount"]);
        assert_eq!((count(&db, "customers").await, count(&db, "contacts").await), (customers_before, contacts_before));

        // Attach to the existing customer: contact and opportunity made, lead converted.
        let made = leads::convert(&db, &o.alice, id, l.version, &ConvertInput { customer_id: Some(existing), ..new_customer.clone() })
            .await
            .unwrap();
        assert_eq!(made.customer_id, existing);
        let opp = app::opportunities::service::get(&db, &o.alice, made.opportunity_id.unwrap()).await.unwrap();
        assert_eq!((opp.amount, opp.contact_id, opp.customer_id), (12_000_000, Some(made.contact_id), existing));
        let l = leads::get(&db, &o.alice, id).await.unwrap();
        assert_eq!((l.status.as_str(), l.customer_name.as_deref(), l.can_edit), ("converted", Some("北京天度网络科技有限公司"), false));
        let again =
            leads::convert(&db, &o.alice, id, l.version, &ConvertInput { customer_id: Some(existing), ..new_customer.clone() }).await;
        assert_eq!(fields(&again.unwrap_err()), ["status:lead.not_open"]);

        // A lead of an unknown company becomes a new customer with its primary contact.
        let other = leads::create(&db, &o.bob, &LeadInput { company: "杭州西溪生物科技有限公司".into(), ..lead("周雪") }).await.unwrap();
        let v = leads::get(&db, &o.bob, other).await.unwrap().version;
        let input = ConvertInput { customer_name: "杭州西溪生物科技有限公司".into(), ..Default::default() };
        let made = leads::convert(&db, &o.bob, other, v, &input).await.unwrap();
        assert_eq!(made.opportunity_id, None);
        let c = app::customers::service::get_customer(&db, &o.bob, made.customer_id).await.unwrap();
        assert_eq!((c.name.as_str(), c.owner_id), ("杭州西溪生物科技有限公司", Some(o.bob.id)));
        let contacts = app::contacts::service::list_contacts(&db, &o.bob, made.customer_id).await.unwrap();
        assert_eq!(contacts.contacts.iter().map(|k| (k.name.as_str(), k.is_primary)).collect::<Vec<_>>(), [("周雪", true)]);
        // Bob may not convert into a customer he cannot edit.
        let third = leads::create(&db, &o.bob, &lead("赵六")).await.unwrap();
        let v = leads::get(&db, &o.bob, third).await.unwrap().version;
        let err = leads::convert(&db, &o.bob, third, v, &ConvertInput { customer_id: Some(existing), ..Default::default() }).await;
        assert_eq!(err.unwrap_err(), AppError::NotFound);

        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'convert'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 2);
        assert!(matches!(verify_chain(&mut tx).await.unwrap(), ChainStatus::Intact { .. }));
    })
    .await;
}

#[tokio::test]
async fn leads_import_through_the_customers_importer() {
    use app::customers::import;
    use app::customers::import_types::DupMode;
    on_both_databases(|db| async move {
        let o = org(&db).await;
        territories::save(
            &db,
            &o.admin,
            &TerritoryInput { name: "华北".into(), regions: "北京".into(), members: vec![o.carol.id], ..Default::default() },
        )
        .await
        .unwrap();
        leads::create(&db, &o.alice, &LeadInput { mobile: "13900000001".into(), ..lead("已有线索") }).await.unwrap();
        let csv = "姓名,公司,手机,邮箱,地区,负责人\n\
                   周一,一号公司,13900000011,,北京,\n\
                   吴二,二号公司,,not-mail,上海,\n\
                   郑三,三号公司,13900000001,,上海,\n\
                   王四,四号公司,13900000044,,重庆,bob\n\
                   王四重复,四号公司,13900000044,,重庆,\n\
                   冯五,五号公司,,feng@example.cn,重庆,nobody\n";
        // A salesperson's lead import is theirs alone; the service agent may not import leads.
        assert_eq!(import::upload_as(&db, &o.agent, "lead", "线索.csv", csv.as_bytes()).await.unwrap_err(), AppError::Forbidden);
        let id = import::upload_as(&db, &o.manager, "lead", "线索.csv", csv.as_bytes()).await.unwrap();
        assert_eq!(import::get_job(&db, &o.alice, id).await.unwrap_err(), AppError::NotFound);
        let job = import::get_job(&db, &o.manager, id).await.unwrap();
        assert_eq!(job.entity, "lead");
        // Headings in Chinese map to the lead fields.
        for (field, col) in [("name", 0), ("company", 1), ("mobile", 2), ("email", 3), ("region", 4), ("owner", 5)] {
            assert_eq!(job.suggested.column(field), Some(col), "{field}");
        }
        let report = import::check(&db, &o.manager, id, &job.suggested).await.unwrap();
        assert_eq!((report.total, report.create, report.skip, report.invalid), (6, 2, 2, 2));
        let issues: Vec<String> = report.issues.iter().map(|i| format!("{}:{}:{}", i.row, i.field, i.code)).collect();
        assert_eq!(issues, ["3:email:validation.email", "7:owner:import.unknown_user"]);
        assert_eq!(report.duplicates.iter().map(|d| (d.row, d.existing.as_str())).collect::<Vec<_>>(), [(4, "已有线索"), (6, "王四")]);
        assert_eq!(count(&db, "leads").await, 1, "a check writes nothing");

        let mut plan = job.suggested.clone();
        plan.mode = DupMode::Skip;
        import::start(&db, &o.manager, id, plan).await.unwrap();
        let done = loop {
            let p = import::progress(&db, &o.manager, id).await.unwrap();
            if p.status != "running" {
                break p;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert_eq!(done.status, "done", "{done:?}");
        // 北京 goes to the territory, the named owner is kept; all came in by import.
        let rows = leads::list(&db, &o.admin, &LeadFilter::default(), None).await.unwrap().rows;
        let owner = |name: &str| rows.iter().find(|r| r.name == name).map(|r| (r.owner_id, r.channel.clone()));
        assert_eq!(owner("周一"), Some((Some(o.carol.id), "import".into())));
        assert_eq!(owner("王四"), Some((Some(o.bob.id), "import".into())));
        assert_eq!(count(&db, "leads").await, 3);
        let mut tx = db.read().await.unwrap();
        let n = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'lead'").fetch_i64(&mut tx).await.unwrap();
        assert_eq!(n, 1);
    })
    .await;
}
