//! Demo service desk: repairs, installations and complaints routed to the service agent
//! with the sales manager as the supervisor for breaches, an installed machining centre
//! in warranty at one customer with an open repair on it, a resolved consultation, and
//! the field engineer's skills and region, and a few knowledge base articles.
use app::platform::db::{sql, Tx};
use app::platform::numbering::next_number;
use app::platform::time::local_today;
use app::tickets::repo::{self, NewRequest};
use app::tickets::sla::BusinessCalendar;
use app::tickets::types::ValidService;

pub async fn seed(tx: &mut Tx, customer: i64, agent: (i64, i64), supervisor: i64, engineer: i64, now: i64) -> anyhow::Result<()> {
    let (agent, service_dept) = agent;
    // The field engineer's skills and region, for the dispatch board.
    sql("INSERT INTO engineer_profiles (user_id, skills, region, updated_at, updated_by) VALUES ($1, '数控机床, 电气', '北京', $2, $3)")
        .arg_i64(engineer)
        .arg_i64(now)
        .arg_i64(agent)
        .execute(tx)
        .await?;
    sql("UPDATE service_routes SET assignee_id = $1, escalate_to = $2 WHERE kind IN ('repair', 'installation', 'complaint')")
        .arg_i64(agent)
        .arg_i64(supervisor)
        .execute(tx)
        .await?;
    let asset = sql(
        "INSERT INTO service_assets (customer_id, name, serial_no, installed_on, warranty_ends_on, location, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, '立式加工中心 VMC-850', 'VMC850-2025-0117', '2025-06-10', '2027-06-09', '二号车间', $2, $3, $2, $3) RETURNING id",
    )
    .arg_i64(customer)
    .arg_i64(now)
    .arg_i64(agent)
    .fetch_i64(tx)
    .await?;
    // A few knowledge base articles, two of them public FAQ.
    let articles = [
        (
            "主轴异响排查步骤",
            "1. 低速空转，听诊异响来自主轴前端还是后端。\n2. 检查主轴轴承润滑脂是否充足、是否变色。\n3. 检查皮带张紧与联轴器对中。\n4. 轴承游隙超差时更换轴承，并重新做动平衡。",
            "数控机床",
            "主轴, 轴承, 异响",
            "public",
        ),
        (
            "空压机压力不足的处理",
            "先看进气滤芯是否堵塞，再用肥皂水检查管路泄漏点；确认加载、卸载压力设定，必要时清洗最小压力阀。",
            "空压机",
            "压力, 泄漏",
            "internal",
        ),
        (
            "收银终端无法开机怎么办",
            "请确认电源适配器指示灯常亮；长按电源键 10 秒强制重启；仍无法开机请联系客服报修，并提供设备序列号。",
            "收银终端",
            "开机, 电源",
            "public",
        ),
    ];
    for (title, body, category, tags, audience) in articles {
        sql("INSERT INTO kb_articles (title, body, category, tags, audience, published, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)")
        .arg_text(title)
        .arg_text(body)
        .arg_text(category)
        .arg_text(tags)
        .arg_text(audience)
        .arg_bool(true)
        .arg_i64(now)
        .arg_i64(agent)
        .execute(tx)
        .await?;
    }
    let cal = BusinessCalendar::office(app::account::api::tz_offset_minutes());
    let requests = [
        (
            "repair",
            "normal",
            "主轴高速运转时异响",
            "客户来电：主轴转速超过 6000 转时有明显异响，已暂停夜班生产。",
            Some(asset),
            2 * 3_600_000,
        ),
        ("consultation", "low", "五轴升级方案咨询", "客户想了解现有设备加装第四、五轴的可行性与报价。", None, 3 * 86_400_000),
    ];
    for (kind, priority, subject, description, asset_id, age) in requests {
        let created = now - age;
        let policy = repo::policy(tx, kind, priority).await?.ok_or_else(|| anyhow::anyhow!("no SLA policy for {kind}/{priority}"))?;
        let v = ValidService {
            customer_id: customer,
            contact_id: None,
            kind: kind.into(),
            channel: "phone".into(),
            priority: priority.into(),
            subject: subject.into(),
            description: description.into(),
            product_id: None,
            asset_id,
        };
        let number = next_number(tx, "service_request", local_today()).await?;
        let n = NewRequest {
            number: &number,
            owner_id: Some(agent),
            department_id: Some(service_dept),
            deadlines: app::tickets::service::deadlines(&cal, &policy, created),
            around_the_clock: policy.around_the_clock,
        };
        let id = repo::insert(tx, &v, &n, Some(agent), created).await?;
        if kind == "consultation" {
            sql("UPDATE service_requests SET status = 'resolved', first_response_at = $1, resolved_at = $2, \
                 resolution = '已发送五轴升级方案与报价单，客户内部评估中。' WHERE id = $3")
            .arg_i64(created + 1_800_000)
            .arg_i64(created + 86_400_000)
            .arg_i64(id)
            .execute(tx)
            .await?;
        }
    }
    Ok(())
}
