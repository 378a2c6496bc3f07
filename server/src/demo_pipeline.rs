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

/// `customers` are the demo customers as (id, owner); `now` is UTC milliseconds.
pub async fn seed(tx: &mut Tx, customers: &[(i64, i64)], now: i64) -> anyhow::Result<()> {
    let process = repo::processes(tx).await?.into_iter().find(|p| p.is_default).ok_or_else(|| anyhow::anyhow!("no default process"))?;
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
            sql("UPDATE opportunities SET status = $1, closed_at = $2, close_reason = $3 WHERE id = $4")
                .arg_text(stage.kind().code())
                .arg_i64(entered)
                .arg_text(reason)
                .arg_i64(id)
                .execute(tx)
                .await?;
        }
    }
    Ok(())
}
