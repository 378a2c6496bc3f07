//! Demo leads and territories: some worked by the salespeople, some waiting in the
//! pool, so the lead list, scores, claiming and conversion have something to show.
use app::leads::repo::{self, Placement};
use app::leads::types::{score_parts, score_total, LeadInput};
use app::platform::audit::{self, AuditEntry};
use app::platform::db::{sql, Tx};

struct DemoLead {
    name: &'static str,
    company: &'static str,
    title: &'static str,
    mobile: &'static str,
    email: &'static str,
    region: &'static str,
    source: &'static str,
    needs: &'static str,
    /// 0: 李娜, 1: 王芳, None: the pool.
    owner: Option<usize>,
    channel: &'static str,
    status: &'static str,
}

const LEADS: &[DemoLead] = &[
    DemoLead {
        name: "周志明",
        company: "苏州工业园区明德电子有限公司",
        title: "采购总监",
        mobile: "13962100001",
        email: "zhou@mingde-elec.cn",
        region: "江苏",
        source: "展会",
        needs: "计划为三十名销售上线客户管理系统，希望下季度完成",
        owner: Some(0),
        channel: "form",
        status: "working",
    },
    DemoLead {
        name: "孙丽",
        company: "上海禾丰食品有限公司",
        title: "市场专员",
        mobile: "",
        email: "sunli@hefeng-food.cn",
        region: "上海",
        source: "网站",
        needs: "了解报价",
        owner: Some(0),
        channel: "web",
        status: "new",
    },
    DemoLead {
        name: "钱伟",
        company: "北京京华物流有限公司",
        title: "总经理",
        mobile: "13801000002",
        email: "",
        region: "北京",
        source: "客户转介绍",
        needs: "车队和客户服务都需要管理，想看演示",
        owner: Some(1),
        channel: "form",
        status: "qualified",
    },
    DemoLead {
        name: "黄晓东",
        company: "广州南沙精工机械有限公司",
        title: "设备部经理",
        mobile: "13902000003",
        email: "huang@nansha-jg.cn",
        region: "广东",
        source: "网站",
        needs: "售后工单和工程师派工，需要平板使用",
        owner: None,
        channel: "web",
        status: "new",
    },
    DemoLead {
        name: "林芳",
        company: "",
        title: "",
        mobile: "13600000004",
        email: "",
        region: "福建",
        source: "网站",
        needs: "",
        owner: None,
        channel: "web",
        status: "new",
    },
];

/// Two territories (华东 for 李娜, 华北 for 王芳) and the demo leads. `people` are
/// (user id, department id) of 李娜 and 王芳.
pub async fn seed(tx: &mut Tx, people: [(i64, i64); 2], now: i64) -> anyhow::Result<()> {
    for (name, regions, (member, _)) in [("华东", "上海, 江苏, 浙江", people[0]), ("华北", "北京, 天津, 河北", people[1])] {
        let id = sql("INSERT INTO lead_territories (name, regions, version, updated_at) VALUES ($1, $2, 1, $3) RETURNING id")
            .arg_text(name)
            .arg_text(regions)
            .arg_i64(now)
            .fetch_i64(tx)
            .await?;
        sql("INSERT INTO lead_territory_members (territory_id, user_id) VALUES ($1, $2)").arg_i64(id).arg_i64(member).execute(tx).await?;
    }
    for (i, l) in LEADS.iter().enumerate() {
        let input = LeadInput {
            name: l.name.into(),
            company: l.company.into(),
            title: l.title.into(),
            mobile: l.mobile.into(),
            email: l.email.into(),
            region: l.region.into(),
            source: l.source.into(),
            needs: l.needs.into(),
            ..Default::default()
        };
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo lead {} invalid: {e:?}", l.name))?;
        let score = score_total(&score_parts(valid.facts(l.channel)));
        let place = Placement { owner: l.owner.map(|o| people[o]).map(|(u, d)| (u, Some(d))), territory_id: None };
        let at = now - (i as i64 + 1) * 3_600_000 * 5;
        let id = repo::insert(tx, &valid, l.channel, score, place, None, at).await?;
        sql("UPDATE leads SET status = $1 WHERE id = $2").arg_text(l.status).arg_i64(id).execute(tx).await?;
        audit::record(tx, AuditEntry::with_meta(&Default::default(), None, "demo", "create").on("lead", id).summary(l.name).after(&valid))
            .await?;
    }
    Ok(())
}
