//! Demo data (realistic, in Chinese) and synthetic benchmark data.
use anyhow::Context;
use app::admin::service::{create_department_as, create_user_as, Actor};
use app::admin::types::UserInput;
use app::customers::repo::{self, OwnerInfo};
use app::customers::types::CustomerInput;
use app::platform::audit::{self, AuditEntry};
use app::platform::db::{sql, Db, SqlBuilder};
use app::platform::time::now_ms;

const DEMO_PASSWORD_DEFAULT: &str = "demo-pass-2026";
const DEMO_PORTAL_LOGIN: &str = "zhoumin@xixi.example.cn";

struct DemoCustomer {
    name: &'static str,
    short: &'static str,
    industry: &'static str,
    region: &'static str,
    source: &'static str,
    status: &'static str,
    phone: &'static str,
}

const CUSTOMERS: &[DemoCustomer] = &[
    DemoCustomer {
        name: "北京天度网络科技有限公司",
        short: "天度网络",
        industry: "软件和信息技术服务",
        region: "北京",
        source: "展会",
        status: "transacting",
        phone: "010-6552 8888",
    },
    DemoCustomer {
        name: "上海浦江精密机械股份有限公司",
        short: "浦江精机",
        industry: "通用设备制造",
        region: "上海",
        source: "老客户介绍",
        status: "transacting",
        phone: "021-5836 1200",
    },
    DemoCustomer {
        name: "深圳前海云帆物流有限公司",
        short: "云帆物流",
        industry: "交通运输和仓储",
        region: "广东",
        source: "官网咨询",
        status: "potential",
        phone: "0755-2661 3300",
    },
    DemoCustomer {
        name: "杭州西溪数字营销策划有限公司",
        short: "西溪数字",
        industry: "商务服务",
        region: "浙江",
        source: "电话营销",
        status: "potential",
        phone: "0571-8877 6655",
    },
    DemoCustomer {
        name: "成都锦城医疗器械有限公司",
        short: "锦城医疗",
        industry: "医疗器械",
        region: "四川",
        source: "招投标",
        status: "transacting",
        phone: "028-8555 0101",
    },
    DemoCustomer {
        name: "武汉光谷新能源科技有限公司",
        short: "光谷新能源",
        industry: "电气机械和器材",
        region: "湖北",
        source: "展会",
        status: "dormant",
        phone: "027-8771 2345",
    },
    DemoCustomer {
        name: "南京金陵建设工程集团有限公司",
        short: "金陵建设",
        industry: "建筑业",
        region: "江苏",
        source: "老客户介绍",
        status: "transacting",
        phone: "025-8432 9000",
    },
    DemoCustomer {
        name: "广州白云国际贸易有限公司",
        short: "白云贸易",
        industry: "批发和零售",
        region: "广东",
        source: "阿里巴巴",
        status: "lost",
        phone: "020-3622 7788",
    },
    DemoCustomer {
        name: "苏州工业园区博瑞电子有限公司",
        short: "博瑞电子",
        industry: "计算机和电子设备",
        region: "江苏",
        source: "官网咨询",
        status: "transacting",
        phone: "0512-6258 3000",
    },
    DemoCustomer {
        name: "青岛海岸食品股份有限公司",
        short: "海岸食品",
        industry: "食品制造",
        region: "山东",
        source: "展会",
        status: "potential",
        phone: "0532-8090 1166",
    },
    DemoCustomer {
        name: "西安秦川航空零部件有限公司",
        short: "秦川航空",
        industry: "航空航天",
        region: "陕西",
        source: "招投标",
        status: "potential",
        phone: "029-8831 4567",
    },
    DemoCustomer {
        name: "天度网络（北京）科技有限公司",
        short: "天度北京",
        industry: "软件和信息技术服务",
        region: "北京",
        source: "电话营销",
        status: "potential",
        phone: "010-8266 1234",
    },
    DemoCustomer {
        name: "厦门鹭岛文化传媒有限公司",
        short: "鹭岛传媒",
        industry: "文化和娱乐",
        region: "福建",
        source: "微信",
        status: "dormant",
        phone: "0592-5566 778",
    },
    DemoCustomer {
        name: "重庆山城汽车配件有限公司",
        short: "山城汽配",
        industry: "汽车制造",
        region: "重庆",
        source: "老客户介绍",
        status: "transacting",
        phone: "023-6789 0011",
    },
    DemoCustomer {
        name: "长沙湘江教育咨询有限公司",
        short: "湘江教育",
        industry: "教育",
        region: "湖南",
        source: "官网咨询",
        status: "potential",
        phone: "0731-8456 2233",
    },
    DemoCustomer {
        name: "天津滨海化工有限公司",
        short: "滨海化工",
        industry: "化学原料和制品",
        region: "天津",
        source: "招投标",
        status: "lost",
        phone: "022-2532 6688",
    },
    DemoCustomer {
        name: "台北信義軟體股份有限公司",
        short: "信義軟體",
        industry: "软件和信息技术服务",
        region: "台湾",
        source: "展会",
        status: "potential",
        phone: "+886 2 2720 1234",
    },
    DemoCustomer {
        name: "香港維港貿易有限公司",
        short: "維港貿易",
        industry: "批发和零售",
        region: "香港",
        source: "老客户介绍",
        status: "transacting",
        phone: "+852 2530 8888",
    },
    DemoCustomer {
        name: "王建国",
        short: "",
        industry: "个人客户",
        region: "北京",
        source: "门店",
        status: "potential",
        phone: "138 0013 8000",
    },
    DemoCustomer {
        name: "合肥科大讯达智能科技有限公司",
        short: "讯达智能",
        industry: "软件和信息技术服务",
        region: "安徽",
        source: "电话营销",
        status: "potential",
        phone: "0551-6533 1000",
    },
];

/// Departments, one user per built-in role, and customers spread across the sales team.
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let actor = Actor { id: None, name: "demo".to_string() };
    let password = std::env::var("DEMO_PASSWORD").ok().filter(|p| p.len() >= 8).unwrap_or_else(|| DEMO_PASSWORD_DEFAULT.to_string());
    let err = |e: app::platform::error::AppError| anyhow::anyhow!("{e:?}");
    let hq = create_department_as(db, &actor, "总公司", None).await.map_err(err)?;
    let sales = create_department_as(db, &actor, "销售部", Some(hq)).await.map_err(err)?;
    let east = create_department_as(db, &actor, "华东销售组", Some(sales)).await.map_err(err)?;
    let north = create_department_as(db, &actor, "华北销售组", Some(sales)).await.map_err(err)?;
    let service = create_department_as(db, &actor, "客户服务部", Some(hq)).await.map_err(err)?;
    let people = [
        ("zhangwei", "张伟", sales, "sales_manager"),
        ("lina", "李娜", east, "salesperson"),
        ("wangfang", "王芳", north, "salesperson"),
        ("liuyang", "刘洋", service, "service_agent"),
        ("chenjie", "陈杰", service, "field_engineer"),
    ];
    let mut ids = Vec::new();
    for (username, name, dept, role) in people {
        let input = UserInput {
            username: username.into(),
            display_name: name.into(),
            email: format!("{username}@example.cn"),
            department_id: Some(dept),
            roles: vec![role.into()],
            active: true,
            password: password.clone(),
        };
        ids.push(create_user_as(db, &actor, &input).await.map_err(err)?);
    }
    let owners = [(ids[1], east), (ids[2], north), (ids[0], sales)];
    let portal_hash = app::account::service::hash_password(password.clone()).await.map_err(err)?;
    let mut tx = db.write().await?;
    let now = now_ms();
    let mut customer_ids = Vec::new();
    for (i, c) in CUSTOMERS.iter().enumerate() {
        let (owner, dept) = owners[i % owners.len()];
        let input = CustomerInput {
            name: c.name.into(),
            short_name: c.short.into(),
            kind: if c.short.is_empty() { "individual" } else { "company" }.into(),
            status: c.status.into(),
            industry: c.industry.into(),
            region: c.region.into(),
            source: c.source.into(),
            phone: c.phone.into(),
            ..Default::default()
        };
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo customer {} invalid: {e:?}", c.name))?;
        let owner_info = OwnerInfo { id: owner, department_id: Some(dept), department_path: None };
        // Spread creation times over the last weeks so sorting shows something.
        let at = now - (i as i64) * 3_600_000 * 7;
        let id = repo::insert(&mut tx, &valid, &owner_info, owner, at).await?;
        audit::record(
            &mut tx,
            AuditEntry::with_meta(&Default::default(), None, "demo", "create").on("customer", id).summary(c.name).after(&valid),
        )
        .await?;
        customer_ids.push((id, owner));
    }
    seed_people_and_follow_ups(&mut tx, &customer_ids, now).await?;
    crate::demo_pipeline::seed(&mut tx, &customer_ids, now).await?;
    crate::demo_leads::seed(&mut tx, [(ids[1], east), (ids[2], north)], now).await?;
    crate::demo_catalog::seed(&mut tx, ids[0], now).await?;
    // The manager's own customer: the overdue reminder lands in his plan, not a salesperson's.
    crate::demo_catalog::seed_contract(&mut tx, customer_ids[2].0, ids[0], sales, now).await?;
    crate::demo_service::seed(&mut tx, customer_ids[3].0, (ids[3], service), ids[0], ids[4], now).await?;
    // A customer's login to the self-service portal at /portal.
    sql("INSERT INTO portal_users (customer_id, login, display_name, password_hash, created_at, updated_at) VALUES ($1, $2, '周敏', $3, $4, $4)")
        .arg_i64(customer_ids[3].0)
        .arg_text(DEMO_PORTAL_LOGIN)
        .arg_text(portal_hash)
        .arg_i64(now)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    println!("Demo data loaded: departments, users zhangwei (销售经理), lina and wangfang (销售员), liuyang (客服), chenjie (工程师); password: {password}");
    println!("Customer portal (/portal): {DEMO_PORTAL_LOGIN}, same password");
    Ok(())
}

/// Contacts with a reports-to chain and birthdays, a few follow-ups and visit plans,
/// and two customers in the public pool, so every customer-page section has content.
async fn seed_people_and_follow_ups(tx: &mut app::platform::db::Tx, customers: &[(i64, i64)], now: i64) -> anyhow::Result<()> {
    use app::activities::types::{ActivityKind, ActivityStatus, ValidActivity};
    use app::contacts::types::ContactInput;
    let soon = app::platform::time::date_parts(now + 3 * 86_400_000 + 8 * 3_600_000);
    // name, title, decision role, mobile, index of the manager, birthday
    type Person = (&'static str, &'static str, &'static str, &'static str, Option<usize>, String);
    let people: [Person; 4] = [
        ("陈国栋", "总经理", "decision_maker", "13901010001", None, "1972-05-18".to_string()),
        ("刘晓梅", "采购经理", "evaluator", "13901010002", Some(0), format!("1985-{:02}-{:02}", soon.1, soon.2)),
        ("赵磊", "IT 主管", "influencer", "13901010003", Some(0), "1988-09-02".to_string()),
        ("孙婷", "采购专员", "user", "13901010004", Some(1), "1994-12-24".to_string()),
    ];
    for &(customer_id, owner) in customers.iter().take(3) {
        let mut contact_ids: Vec<i64> = Vec::new();
        for (name, title, role, mobile, reports_to, birthday) in &people {
            let input = ContactInput {
                name: (*name).into(),
                title: (*title).into(),
                decision_role: (*role).into(),
                mobile: (*mobile).into(),
                birthday: birthday.clone(),
                reports_to_id: reports_to.map(|i| contact_ids[i]),
                is_primary: contact_ids.is_empty(),
                ..Default::default()
            };
            let valid = input.validate().map_err(|e| anyhow::anyhow!("demo contact invalid: {e:?}"))?;
            contact_ids.push(app::contacts::repo::insert(tx, customer_id, &valid, owner, now).await?);
        }
        let follow_ups = [
            ("call", false, "电话沟通年度采购计划", -5),
            ("visit", false, "上门拜访，演示新版系统", -3),
            ("wechat", false, "微信发送报价单", -1),
            ("visit", true, "拜访采购经理，确认合同条款", 2),
        ];
        for (kind, planned, subject, days) in follow_ups {
            let at = now + days * 86_400_000;
            let valid = ValidActivity {
                kind: ActivityKind::from_code(kind).context("demo activity kind")?,
                status: if planned { ActivityStatus::Planned } else { ActivityStatus::Done },
                subject: subject.into(),
                body: None,
                occurred_at: at,
                contact_id: Some(contact_ids[1]),
            };
            let id = app::activities::repo::insert(tx, &valid, owner, now).await?;
            app::activities::repo::link(tx, id, "customer", customer_id).await?;
            app::activities::repo::link(tx, id, "contact", contact_ids[1]).await?;
        }
    }
    // Company lists (分级分类) and a classified customer or two.
    let lists: [(&str, &[&str]); 5] = [
        ("customer_category", &["终端客户", "渠道代理", "战略合作"]),
        ("customer_group", &["华东重点", "华北重点", "展会线索"]),
        ("industry", &["软件和信息技术服务", "制造业", "批发和零售", "教育", "医疗器械"]),
        ("source", &["展会", "官网咨询", "老客户介绍", "电话营销", "招投标"]),
        ("region", &["北京", "上海", "广东", "浙江", "江苏"]),
    ];
    for (kind, names) in lists {
        for (i, name) in names.iter().enumerate() {
            sql("INSERT INTO dictionary_items (kind, name, sort_order, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
                .arg_text(kind)
                .arg_text(*name)
                .arg_i64(i as i64 + 1)
                .arg_bool(true)
                .arg_i64(now)
                .execute(tx)
                .await?;
        }
    }
    for (i, &(customer_id, _)) in customers.iter().take(6).enumerate() {
        sql("UPDATE customers SET level = $1, category = $2, rating = $3 WHERE id = $4")
            .arg_text(["A", "B", "A", "C", "B", "D"][i])
            .arg_text(["终端客户", "渠道代理", "战略合作", "终端客户", "终端客户", "渠道代理"][i])
            .arg_i64(5 - (i as i64 % 4))
            .arg_i64(customer_id)
            .execute(tx)
            .await?;
        sql("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)")
            .arg_i64(customer_id)
            .arg_text(if i % 2 == 0 { "重点跟进" } else { "年度框架" })
            .execute(tx)
            .await?;
    }
    for &(customer_id, _) in customers.iter().rev().take(2) {
        sql("UPDATE customers SET owner_id = NULL, pool_since = $1 WHERE id = $2").arg_i64(now).arg_i64(customer_id).execute(tx).await?;
    }
    Ok(())
}

const CITIES: &[&str] =
    &["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "苏州", "天津", "重庆", "长沙", "青岛", "厦门", "合肥"];
const WORDS: &[&str] =
    &["天度", "华信", "博瑞", "金桥", "远航", "恒通", "鼎盛", "瑞丰", "新锐", "宏达", "星辰", "海纳", "锦程", "卓越", "启明", "正泰"];
const TRADES: &[&str] =
    &["网络科技", "精密机械", "国际贸易", "医疗器械", "物流", "建设工程", "食品", "电子", "新能源", "文化传媒", "教育咨询", "化工"];
const STATUSES: &[&str] = &["potential", "transacting", "dormant", "lost"];

/// Synthetic customers for benchmarks, inserted in large multi-row batches (not audited).
pub async fn seed_bench(db: &Db, count: i64) -> anyhow::Result<()> {
    if count <= 0 {
        anyhow::bail!("--count must be positive");
    }
    let mut tx = db.read().await?;
    let owners: Vec<(i64, Option<i64>)> = sql("SELECT id, department_id FROM users WHERE active = $1 ORDER BY id")
        .arg_bool(true)
        .fetch_all(&mut tx)
        .await
        .context("reading users")?;
    drop(tx);
    if owners.is_empty() {
        anyhow::bail!("create users first (crm seed-demo)");
    }
    let start = std::time::Instant::now();
    let now = now_ms();
    const BATCH: i64 = 400;
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let mut q = SqlBuilder::default();
        q.push(
            "INSERT INTO customers (name, short_name, kind, status, industry, region, phone, owner_id, department_id, version, \
             created_at, created_by, updated_at, updated_by, last_touch_at, level, name_key, name_core, phone_key) VALUES ",
        );
        for k in 0..n {
            let i = done + k;
            let (owner, dept) = owners[(i as usize) % owners.len()];
            let city = CITIES[(i as usize) % CITIES.len()];
            let word = WORDS[(i as usize / 7) % WORDS.len()];
            let trade = TRADES[(i as usize / 3) % TRADES.len()];
            if k > 0 {
                q.push(", ");
            }
            let name = format!("{city}{word}{trade}有限公司{i}");
            let phone = format!("010-{:08}", i % 100_000_000);
            let keys = app::customers::dedup::DedupKeys::of(app::customers::dedup::KeyFields {
                name: &name,
                phone: Some(&phone),
                ..Default::default()
            });
            q.push("(").bind_text(name.clone()).push(", ").bind_text(format!("{word}{i}"));
            q.push(", 'company', ")
                .bind_text(STATUSES[(i as usize) % STATUSES.len()])
                .push(", ")
                .bind_text(trade)
                .push(", ")
                .bind_text(city);
            q.push(", ").bind_text(phone).push(", ").bind_i64(owner).push(", ").bind_opt_i64(dept);
            let at = now - (count - i) * 1000;
            q.push(", 1, ").bind_i64(at).push(", ").bind_i64(owner).push(", ").bind_i64(at).push(", ").bind_i64(owner);
            q.push(", ").bind_i64(at);
            q.push(", ").bind_text(["A", "B", "C", "D"][(i as usize) % 4]);
            q.push(", ")
                .bind_opt_text(keys.name_key)
                .push(", ")
                .bind_opt_text(keys.name_core)
                .push(", ")
                .bind_opt_text(keys.phone_key)
                .push(")");
        }
        let mut tx = db.write().await?;
        q.execute(&mut tx).await.context("inserting benchmark customers")?;
        tx.commit().await?;
        done += n;
    }
    let secs = start.elapsed().as_secs_f64();
    // Fresh statistics, as after any bulk load, so both planners see the real row counts.
    let mut tx = db.write().await?;
    sql("ANALYZE").execute(&mut tx).await.context("ANALYZE")?;
    tx.commit().await?;
    println!("seeded {count} customers in {secs:.1}s ({:.0} rows/s)", count as f64 / secs);
    Ok(())
}

/// Runs the customer list query (first page, as `username` sees it) bare,
/// `concurrency` at a time, and prints median and p99 latency in milliseconds.
pub async fn bench_sql(
    db: &Db,
    username: &str,
    iterations: usize,
    concurrency: usize,
    search: Option<String>,
    level: Option<String>,
) -> anyhow::Result<()> {
    use app::customers::repo::{list_query, scope_is_dense, ListFilter};
    use app::customers::types::CustomerRow;
    use app::platform::authz::{authorize, Action, Entity};
    let user = bench_user(db, username).await?;
    let grant = authorize(&user, Entity::Customer, Action::View).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let label = match (&search, &level) {
        (Some(s), _) => format!(" (search {s})"),
        (None, Some(l)) => format!(" (saved query: level {l})"),
        _ => String::new(),
    };
    let filter = ListFilter { search, level, limit: 51, ..Default::default() };
    let mut tx = db.read().await?;
    let dense = scope_is_dense(&mut tx, &grant).await?;
    drop(tx);
    let query = list_query(db.backend(), &grant, &filter, dense);
    let per_task = iterations.div_ceil(concurrency.max(1));
    let mut handles = Vec::new();
    for _ in 0..concurrency.max(1) {
        let db = db.clone();
        let query = query.clone();
        handles.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let start = std::time::Instant::now();
                let mut tx = db.read().await?;
                let rows: Vec<CustomerRow> = query.fetch_all(&mut tx).await?;
                drop(tx);
                assert!(!rows.is_empty());
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, sqlx::Error>(times)
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await??);
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "bare SQL{label}, first page as {username}, concurrency {concurrency}: median {:.2} ms, p99 {:.2} ms ({} runs)",
        pct(0.5),
        pct(0.99),
        all.len()
    );
    Ok(())
}

/// The user `username` as the session middleware would load them.
pub(crate) async fn bench_user(db: &Db, username: &str) -> anyhow::Result<app::platform::authz::CurrentUser> {
    let mut tx = db.read().await?;
    let (id,): (i64,) = sql("SELECT id FROM users WHERE username = $1")
        .arg_text(username)
        .fetch_optional(&mut tx)
        .await?
        .with_context(|| format!("no user {username}"))?;
    drop(tx);
    app::account::service::load_user(db, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.with_context(|| format!("no user {username}"))
}

/// Times the duplicate check of the create form against the whole table: for sampled
/// existing names, an equivalent spelling (region moved into brackets) is checked.
pub async fn bench_dup(db: &Db, username: &str, iterations: usize, concurrency: usize) -> anyhow::Result<()> {
    use app::customers::types::CustomerInput;
    let user = bench_user(db, username).await?;
    let mut tx = db.read().await?;
    let total = sql("SELECT COUNT(*) FROM customers").fetch_i64(&mut tx).await?;
    let step = (total / iterations.max(1) as i64).max(1);
    let names: Vec<(String,)> = sql("SELECT name FROM customers WHERE id % $1 = 0 ORDER BY id LIMIT $2")
        .arg_i64(step)
        .arg_i64(iterations as i64)
        .fetch_all(&mut tx)
        .await?;
    drop(tx);
    // "北京天度网络有限公司12" becomes "天度网络（北京）有限公司12": same company, other spelling.
    let inputs: Vec<CustomerInput> = names
        .into_iter()
        .map(|(n,)| {
            let swapped = CITIES
                .iter()
                .find_map(|c| n.strip_prefix(c).map(|rest| rest.replacen("有限公司", &format!("（{c}）有限公司"), 1)))
                .unwrap_or(n);
            CustomerInput { name: swapped, kind: "company".into(), ..Default::default() }
        })
        .collect();
    let chunks: Vec<Vec<CustomerInput>> = inputs.chunks(inputs.len().div_ceil(concurrency.max(1)).max(1)).map(|c| c.to_vec()).collect();
    let mut handles = Vec::new();
    for chunk in chunks {
        let (db, user) = (db.clone(), user.clone());
        handles.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut found = 0usize;
            for input in chunk {
                let start = std::time::Instant::now();
                let hits =
                    app::customers::service::check_duplicates(&db, &user, &input, None).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
                found += usize::from(!hits.is_empty());
            }
            Ok::<_, anyhow::Error>((times, found))
        }));
    }
    let (mut all, mut found) = (Vec::new(), 0);
    for h in handles {
        let (t, f) = h.await??;
        all.extend(t);
        found += f;
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "duplicate check over {total} customers, concurrency {concurrency}: median {:.2} ms, p99 {:.2} ms ({} checks, {found} found their original)",
        pct(0.5),
        pct(0.99),
        all.len()
    );
    Ok(())
}

/// Times a customer import of `rows` generated rows (5% duplicates of existing
/// customers, 1% invalid) as `username`: upload, the dry-run check, and the run.
pub async fn bench_import(db: &Db, username: &str, rows: usize) -> anyhow::Result<()> {
    use app::customers::import;
    let user = bench_user(db, username).await?;
    let mut csv = String::from("客户名称,电话,邮箱,联系人姓名\n");
    for i in 0..rows {
        let name = if i % 20 == 0 {
            format!("{}{}{}有限公司{}", CITIES[i % CITIES.len()], WORDS[(i / 7) % WORDS.len()], TRADES[(i / 3) % TRADES.len()], i)
        } else {
            format!("导入测试{i}科技有限公司")
        };
        let email = if i % 100 == 1 { "bad-email".to_string() } else { format!("i{i}@import.example.cn") };
        csv.push_str(&format!("{name},0755-{:08},{email},联系人{i}\n", 50_000_000 + i));
    }
    let err = |e: app::platform::error::AppError| anyhow::anyhow!("{e:?}");
    let t0 = std::time::Instant::now();
    let id = import::upload(db, &user, "bench.csv", csv.as_bytes()).await.map_err(err)?;
    let uploaded = t0.elapsed();
    let headers = import::get_job(db, &user, id).await.map_err(err)?.headers;
    let plan = import::suggest(&headers);
    let t1 = std::time::Instant::now();
    let checked = import::check(db, &user, id, &plan).await.map_err(err)?;
    let check_time = t1.elapsed();
    let t2 = std::time::Instant::now();
    import::start(db, &user, id, plan).await.map_err(err)?;
    let report = loop {
        let p = import::progress(db, &user, id).await.map_err(err)?;
        if p.status != "running" {
            break p.report.with_context(|| format!("import failed: {:?}", p.error))?;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let run_time = t2.elapsed();
    let rate = |d: std::time::Duration| rows as f64 / d.as_secs_f64();
    println!(
        "import {rows} rows: upload+parse {:.0} ms, check {:.0} ms ({:.0} rows/s), run {:.0} ms ({:.0} rows/s); created {}, skipped {}, invalid {} (check found {} duplicates)",
        uploaded.as_secs_f64() * 1000.0,
        check_time.as_secs_f64() * 1000.0,
        rate(check_time),
        run_time.as_secs_f64() * 1000.0,
        rate(run_time),
        report.create,
        report.skip,
        report.invalid,
        checked.skip
    );
    Ok(())
}
