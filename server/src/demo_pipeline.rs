//! Demo opportunities spread over the standard process, so the pipeline board, the
//! customer page and the stage gates have something to show.
use app::opportunities::repo;
use app::opportunities::types::{OpportunityInput, StageKind};
use app::platform::db::{sql, Tx};

struct DemoOpportunity {
    /// Index into the demo customers.
    customer: usize,
    name: &'static str,
    stage: &'static str,
    amount: &'static str,
    close_in_days: Option<i64>,
    needs: &'static str,
    with_contact: bool,
}

const OPPORTUNITIES: &[DemoOpportunity] = &[
    DemoOpportunity {
        customer: 0,
        name: "ERP 升级项目",
        stage: "prospecting",
        amount: "120000",
        close_in_days: Some(60),
        needs: "",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 0,
        name: "数据中台咨询",
        stage: "prospecting",
        amount: "260000",
        close_in_days: Some(90),
        needs: "",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 0,
        name: "培训服务",
        stage: "prospecting",
        amount: "30000",
        close_in_days: Some(30),
        needs: "",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 0,
        name: "云服务续约",
        stage: "qualification",
        amount: "",
        close_in_days: None,
        needs: "",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 0,
        name: "安全审计",
        stage: "proposal",
        amount: "180000",
        close_in_days: Some(45),
        needs: "等保三级测评与整改",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 1,
        name: "智能仓储方案",
        stage: "proposal",
        amount: "500000",
        close_in_days: Some(20),
        needs: "立体仓库与 WMS",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 2,
        name: "渠道合作框架",
        stage: "prospecting",
        amount: "80000",
        close_in_days: Some(120),
        needs: "",
        with_contact: false,
    },
    DemoOpportunity {
        customer: 2,
        name: "年度维保合同",
        stage: "won",
        amount: "96000",
        close_in_days: Some(-10),
        needs: "维保",
        with_contact: true,
    },
    DemoOpportunity {
        customer: 2,
        name: "旧系统迁移",
        stage: "lost",
        amount: "150000",
        close_in_days: Some(-20),
        needs: "迁移",
        with_contact: true,
    },
];

/// Deals won in earlier months, so the dashboard's forecast has a history:
/// (customer index, name, amount in yuan, days ago).
const WON_EARLIER: &[(usize, &str, &str, i64)] = &[
    (1, "仓储机器人试点", "210000", 35),
    (3, "门店收银系统", "64000", 70),
    (4, "冷链监控平台", "158000", 100),
    (1, "叉车调度软件", "45000", 130),
    (3, "会员小程序", "38000", 160),
];

/// Monthly sales targets of the current year (yuan): people by username, then the
/// sales department's own target, which the dashboard prefers over its members' sum.
const TARGETS: &[(&str, &str)] = &[("lina", "100000"), ("wangfang", "80000")];
const SALES_DEPARTMENT_TARGET: (&str, &str) = ("销售部", "250000");

/// `customers` are the demo customers as (id, owner); `now` is UTC milliseconds.
pub async fn seed(tx: &mut Tx, customers: &[(i64, i64)], now: i64) -> anyhow::Result<()> {
    let process = repo::processes(tx).await?.into_iter().find(|p| p.is_default).ok_or_else(|| anyhow::anyhow!("no default process"))?;
    let proposal = process.stages.iter().find(|s| s.code.as_deref() == Some("proposal")).map(|s| s.id);
    for o in OPPORTUNITIES {
        let Some(&(customer_id, owner)) = customers.get(o.customer) else { continue };
        let contact: Option<(i64,)> = if o.with_contact {
            sql("SELECT id FROM contacts WHERE customer_id = $1 ORDER BY id LIMIT 1").arg_i64(customer_id).fetch_optional(tx).await?
        } else {
            None
        };
        let department: Option<(Option<i64>,)> =
            sql("SELECT department_id FROM users WHERE id = $1").arg_i64(owner).fetch_optional(tx).await?;
        let close = o.close_in_days.map(|d| {
            let (y, m, day) = app::platform::time::date_parts(now + d * 86_400_000);
            format!("{y:04}-{m:02}-{day:02}")
        });
        let input = OpportunityInput {
            name: o.name.into(),
            customer_id: Some(customer_id),
            contact_id: contact.map(|c| c.0),
            amount: o.amount.into(),
            currency: "CNY".into(),
            expected_close: close.unwrap_or_default(),
            needs: o.needs.into(),
            importance: "medium".into(),
            ..Default::default()
        };
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo opportunity {} invalid: {e:?}", o.name))?;
        let stage =
            process.stages.iter().find(|s| s.code.as_deref() == Some(o.stage)).ok_or_else(|| anyhow::anyhow!("no stage {}", o.stage))?;
        // Entered its stage a few days ago, so "days in stage" shows something.
        let entered = now - 3 * 86_400_000;
        let id = repo::insert(tx, &valid, stage, (owner, department.and_then(|d| d.0)), owner, entered).await?;
        repo::record_move(tx, id, None, stage.id, owner, entered, None).await?;
        if stage.kind() != StageKind::Open {
            let reason = if stage.kind() == StageKind::Won { "价格与服务都有优势" } else { "客户选择了竞争对手" };
            // A lost deal got as far as the proposal; a won one all the way.
            let furthest = if stage.kind() == StageKind::Won { Some(stage.id) } else { proposal };
            sql("UPDATE opportunities SET status = $1, closed_at = $2, close_reason = $3, furthest_stage_id = $4 WHERE id = $5")
                .arg_text(stage.kind().code())
                .arg_i64(entered)
                .arg_text(reason)
                .arg_opt_i64(furthest)
                .arg_i64(id)
                .execute(tx)
                .await?;
        }
    }
    let won = process.stages.iter().find(|s| s.kind() == StageKind::Won).ok_or_else(|| anyhow::anyhow!("no won stage"))?;
    for &(customer, name, amount, days_ago) in WON_EARLIER {
        let Some(&(customer_id, owner)) = customers.get(customer) else { continue };
        let at = now - days_ago * 86_400_000;
        let (y, m, d) = app::platform::time::date_parts(at);
        let input = OpportunityInput {
            name: name.into(),
            customer_id: Some(customer_id),
            amount: amount.into(),
            currency: "CNY".into(),
            expected_close: format!("{y:04}-{m:02}-{d:02}"),
            importance: "medium".into(),
            ..Default::default()
        };
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo opportunity {name} invalid: {e:?}"))?;
        let department: Option<(Option<i64>,)> =
            sql("SELECT department_id FROM users WHERE id = $1").arg_i64(owner).fetch_optional(tx).await?;
        let first = process.first_open().ok_or_else(|| anyhow::anyhow!("no open stage"))?;
        let created = at - 40 * 86_400_000;
        let id = repo::insert(tx, &valid, first, (owner, department.and_then(|d| d.0)), owner, created).await?;
        repo::record_move(tx, id, None, first.id, owner, created, None).await?;
        repo::record_move(tx, id, Some(first.id), won.id, owner, at, Some(at - created)).await?;
        sql("UPDATE opportunities SET stage_id = $1, status = 'won', closed_at = $2, close_reason = $3, furthest_stage_id = $1, \
             stage_entered_at = $2, updated_at = $2 WHERE id = $4")
        .arg_i64(won.id)
        .arg_i64(at)
        .arg_text("老客户复购")
        .arg_i64(id)
        .execute(tx)
        .await?;
    }
    seed_targets(tx, now).await
}

async fn seed_targets(tx: &mut Tx, now: i64) -> anyhow::Result<()> {
    let (year, _, _) = app::platform::time::date_parts(now);
    let months = |yuan: &str| -> anyhow::Result<Vec<(String, Option<i64>)>> {
        let minor =
            app::platform::money::parse_amount(yuan, app::platform::money::Currency::Cny).ok_or_else(|| anyhow::anyhow!("bad amount"))?;
        Ok((1..=12).map(|m| (format!("{year:04}-{m:02}"), Some(minor))).collect())
    };
    for (username, yuan) in TARGETS {
        let user: Option<(i64,)> = sql("SELECT id FROM users WHERE username = $1").arg_text(*username).fetch_optional(tx).await?;
        if let Some((id,)) = user {
            app::reports::repo::save_targets(tx, (Some(id), None), "CNY", &months(yuan)?, Some(id), now).await?;
        }
    }
    let dept: Option<(i64,)> =
        sql("SELECT id FROM departments WHERE name = $1").arg_text(SALES_DEPARTMENT_TARGET.0).fetch_optional(tx).await?;
    if let Some((id,)) = dept {
        app::reports::repo::save_targets(tx, (None, Some(id)), "CNY", &months(SALES_DEPARTMENT_TARGET.1)?, None, now).await?;
    }
    Ok(())
}
