//! Leads (S1): types shared by the browser and the server, and the scoring rules,
//! which both sides run so the page can explain every point of a score (B5).
use crate::customers::types::{is_valid_email, is_valid_phone};
use crate::opportunities::types::is_iso_date;
use crate::platform::error::FieldError;
use crate::platform::money::{parse_amount, Currency};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const COMPANY_MAX: usize = 200;
pub const TEXT_MAX: usize = 2000;
pub const REASON_MAX: usize = 500;
/// At most this many leads are assigned or distributed in one request.
pub const BULK_MAX: usize = 200;

/// Where a lead stands. `converted` is reached only through conversion.
pub const STATUSES: [&str; 5] = ["new", "working", "qualified", "disqualified", "converted"];
/// How a lead came in.
pub const CHANNELS: [&str; 3] = ["form", "import", "web"];

/// Words in a job title that mark someone who decides or signs (中文 and English).
const DECISION_TITLES: [&str; 20] = [
    "总",
    "经理",
    "主任",
    "董事",
    "负责人",
    "主管",
    "老板",
    "创始人",
    "合伙人",
    "厂长",
    "director",
    "manager",
    "head",
    "chief",
    "ceo",
    "cto",
    "cfo",
    "president",
    "founder",
    "owner",
];
/// Sources that bring warmer leads than cold lists.
const REFERRAL_SOURCES: [&str; 4] = ["转介绍", "介紹", "介绍", "referral"];

/// One reason behind a lead's score, e.g. ("lead.score.mobile", 15).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePart {
    /// Locale key of the reason.
    pub key: String,
    pub points: i64,
}

/// The fields the score looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScoreFacts<'a> {
    pub company: Option<&'a str>,
    pub title: Option<&'a str>,
    pub mobile: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub region: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub source: Option<&'a str>,
    pub channel: &'a str,
    pub needs: Option<&'a str>,
}

/// The score of a lead, 0–100, as the parts that make it up. Each rule is a fact a
/// salesperson can check: reachable, identified, decision maker, stated needs, warm origin.
pub fn score_parts(f: ScoreFacts<'_>) -> Vec<ScorePart> {
    let filled = |v: Option<&str>| v.is_some_and(|s| !s.trim().is_empty());
    let mut parts = Vec::new();
    let mut add = |cond: bool, key: &str, points: i64| {
        if cond {
            parts.push(ScorePart { key: format!("lead.score.{key}"), points });
        }
    };
    add(filled(f.mobile), "mobile", 20);
    add(!filled(f.mobile) && filled(f.phone), "phone", 10);
    add(filled(f.email), "email", 10);
    add(filled(f.company), "company", 10);
    let title = f.title.unwrap_or_default().to_lowercase();
    add(DECISION_TITLES.iter().any(|w| title.contains(w)), "decision_maker", 20);
    add(f.needs.is_some_and(|n| n.trim().chars().count() >= 10), "needs", 15);
    let source = f.source.unwrap_or_default().to_lowercase();
    let referral = REFERRAL_SOURCES.iter().any(|w| source.contains(w));
    add(referral, "referral", 15);
    add(!referral && f.channel == "web", "inbound", 10);
    add(filled(f.industry), "industry", 5);
    add(filled(f.region), "region", 5);
    parts
}

/// The total of [`score_parts`], capped at 100.
pub fn score_total(parts: &[ScorePart]) -> i64 {
    parts.iter().map(|p| p.points).sum::<i64>().min(100)
}

/// `hot` (60 and up), `warm` (30 and up) or `cold`.
pub fn grade(score: i64) -> &'static str {
    match score {
        60.. => "hot",
        30.. => "warm",
        _ => "cold",
    }
}

/// Score bounds of a grade, for the list filter.
pub fn grade_bounds(grade: &str) -> Option<(i64, i64)> {
    match grade {
        "hot" => Some((60, 100)),
        "warm" => Some((30, 59)),
        "cold" => Some((0, 29)),
        _ => None,
    }
}

/// What the lead form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadInput {
    pub name: String,
    pub company: String,
    pub title: String,
    pub mobile: String,
    pub phone: String,
    pub email: String,
    pub region: String,
    pub industry: String,
    pub source: String,
    pub needs: String,
    pub notes: String,
    /// `None` keeps the current owner (or makes the creator the owner).
    pub owner_id: Option<i64>,
}

/// A checked [`LeadInput`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidLead {
    pub name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl LeadInput {
    /// Checks the form. A lead needs a name and some way to reach it (mobile, phone or e-mail).
    pub fn validate(&self) -> Result<ValidLead, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &str, v: &str, max: usize| {
            let v = opt(v);
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                errors.push(FieldError::new(field, "validation.too_long"));
            }
            v
        };
        let name = text("name", &self.name, NAME_MAX);
        let company = text("company", &self.company, COMPANY_MAX);
        let title = text("title", &self.title, 100);
        let mobile = text("mobile", &self.mobile, 40);
        let phone = text("phone", &self.phone, 40);
        let email = text("email", &self.email, 200).map(|e| e.to_lowercase());
        let region = text("region", &self.region, 100);
        let industry = text("industry", &self.industry, 100);
        let source = text("source", &self.source, 100);
        let needs = text("needs", &self.needs, TEXT_MAX);
        let notes = text("notes", &self.notes, TEXT_MAX);
        if name.is_none() {
            errors.push(FieldError::new("name", "validation.required"));
        }
        for (field, v) in [("mobile", &mobile), ("phone", &phone)] {
            if v.as_deref().is_some_and(|p| !is_valid_phone(p)) {
                errors.push(FieldError::new(field, "validation.phone"));
            }
        }
        if email.as_deref().is_some_and(|e| !is_valid_email(e)) {
            errors.push(FieldError::new("email", "validation.email"));
        }
        if mobile.is_none()
            && phone.is_none()
            && email.is_none()
            && !errors.iter().any(|e| ["mobile", "phone", "email"].contains(&e.field.as_str()))
        {
            errors.push(FieldError::new("mobile", "lead.reach_required"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidLead {
            name: name.unwrap_or_default(),
            company,
            title,
            mobile,
            phone,
            email,
            region,
            industry,
            source,
            needs,
            notes,
            owner_id: self.owner_id,
        })
    }
}

impl ValidLead {
    pub fn facts<'a>(&'a self, channel: &'a str) -> ScoreFacts<'a> {
        ScoreFacts {
            company: self.company.as_deref(),
            title: self.title.as_deref(),
            mobile: self.mobile.as_deref(),
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            region: self.region.as_deref(),
            industry: self.industry.as_deref(),
            source: self.source.as_deref(),
            channel,
            needs: self.needs.as_deref(),
        }
    }
}

/// One lead as its page shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Lead {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub channel: String,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub status: String,
    pub disqualify_reason: Option<String>,
    pub score: i64,
    pub territory_id: Option<i64>,
    pub territory_name: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_path: Option<String>,
    pub department_name: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub contact_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    pub opportunity_name: Option<String>,
    pub converted_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub can_edit: bool,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub can_assign: bool,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub can_claim: bool,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub can_delete: bool,
}

impl Lead {
    pub fn facts(&self) -> ScoreFacts<'_> {
        ScoreFacts {
            company: self.company.as_deref(),
            title: self.title.as_deref(),
            mobile: self.mobile.as_deref(),
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            region: self.region.as_deref(),
            industry: self.industry.as_deref(),
            source: self.source.as_deref(),
            channel: &self.channel,
            needs: self.needs.as_deref(),
        }
    }
    /// Whether the lead is still being worked (not converted or disqualified).
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "new" | "working" | "qualified")
    }
    pub fn to_input(&self) -> LeadInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        LeadInput {
            name: self.name.clone(),
            company: s(&self.company),
            title: s(&self.title),
            mobile: s(&self.mobile),
            phone: s(&self.phone),
            email: s(&self.email),
            region: s(&self.region),
            industry: s(&self.industry),
            source: s(&self.source),
            needs: s(&self.needs),
            notes: s(&self.notes),
            owner_id: self.owner_id,
        }
    }
    /// The customer name conversion proposes: the company, else the person.
    pub fn customer_name(&self) -> String {
        self.company.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| self.name.clone())
    }
}

/// A row of the lead list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LeadRow {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub channel: String,
    pub status: String,
    pub score: i64,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The lead list's filter, kept in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadFilter {
    /// `mine`, `pool` (no owner) or empty for every lead in scope.
    pub view: String,
    pub status: String,
    pub grade: String,
    pub q: String,
}

impl LeadFilter {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = LeadFilter::default();
        for (k, v) in pairs {
            let v = v.trim().to_string();
            match k {
                "view" if ["mine", "pool"].contains(&v.as_str()) => f.view = v,
                "status" if STATUSES.contains(&v.as_str()) || v == "open" => f.status = v,
                "grade" if grade_bounds(&v).is_some() => f.grade = v,
                "q" => f.q = v,
                _ => {}
            }
        }
        f
    }
    /// `?view=…&status=…` (empty when nothing is set).
    pub fn to_query(&self) -> String {
        let pairs: Vec<String> = [("view", &self.view), ("status", &self.status), ("grade", &self.grade), ("q", &self.q)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::ui::url_encode(v)))
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// A page of the lead list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    /// Cursor of the next page.
    pub next: Option<String>,
    /// How many leads the filter covers.
    pub total: i64,
}

/// What conversion creates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConvertInput {
    /// Attach to this existing customer instead of creating one.
    pub customer_id: Option<i64>,
    /// Name of the new customer.
    pub customer_name: String,
    /// The user saw the possible duplicates and still wants a new customer.
    pub confirm_new: bool,
    pub create_opportunity: bool,
    pub opportunity_name: String,
    pub amount: String,
    pub currency: String,
    pub expected_close: String,
}

/// A checked [`ConvertInput`].
#[derive(Clone, Debug, PartialEq)]
pub struct ValidConvert {
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub confirm_new: bool,
    /// Name, amount, currency, expected close.
    pub opportunity: Option<(String, i64, Currency, Option<String>)>,
}

impl ConvertInput {
    pub fn validate(&self) -> Result<ValidConvert, Vec<FieldError>> {
        let mut errors = Vec::new();
        let customer_name = self.customer_name.trim().to_string();
        if self.customer_id.is_none() && customer_name.is_empty() {
            errors.push(FieldError::new("customer_name", "validation.required"));
        }
        if customer_name.chars().count() > COMPANY_MAX {
            errors.push(FieldError::new("customer_name", "validation.too_long"));
        }
        let mut opportunity = None;
        if self.create_opportunity {
            let name = self.opportunity_name.trim().to_string();
            if name.is_empty() {
                errors.push(FieldError::new("opportunity_name", "validation.required"));
            } else if name.chars().count() > crate::opportunities::types::NAME_MAX {
                errors.push(FieldError::new("opportunity_name", "validation.too_long"));
            }
            let currency = Currency::from_code(self.currency.trim()).unwrap_or_default();
            let amount = match opt(&self.amount) {
                None => 0,
                Some(a) => parse_amount(&a, currency).unwrap_or_else(|| {
                    errors.push(FieldError::new("amount", "validation.amount"));
                    0
                }),
            };
            let close = opt(&self.expected_close);
            if close.as_deref().is_some_and(|d| !is_iso_date(d)) {
                errors.push(FieldError::new("expected_close", "validation.date"));
            }
            opportunity = Some((name, amount, currency, close));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidConvert { customer_id: self.customer_id, customer_name, confirm_new: self.confirm_new, opportunity })
    }
}

/// What a conversion created or linked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Converted {
    pub customer_id: i64,
    pub contact_id: i64,
    pub opportunity_id: Option<i64>,
}

/// A sales territory: regions and the people who take its leads in turn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Territory {
    pub id: i64,
    pub name: String,
    /// Comma-separated; empty catches leads no other territory takes.
    pub regions: String,
    pub members: Vec<(i64, String)>,
    pub last_user_id: Option<i64>,
    pub version: i64,
}

/// A territory as the settings page saves it (`id` None adds one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TerritoryInput {
    pub id: Option<i64>,
    pub version: i64,
    pub name: String,
    pub regions: String,
    pub members: Vec<i64>,
}

/// The regions of a territory, trimmed, each split on `,` `，` `、` or `;`.
pub fn split_regions(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect()
}

/// Whether `region` (a lead's) falls in a territory covering `regions`: equal, or one
/// contains the other (so 北京 covers 北京市 and 北京市朝阳区), case-insensitively.
pub fn region_matches(regions: &[String], region: &str) -> bool {
    let r = region.trim().to_lowercase();
    !r.is_empty()
        && regions.iter().any(|t| {
            let t = t.to_lowercase();
            r.contains(&t) || t.contains(&r)
        })
}

/// The territory a lead from `region` belongs to: the first whose regions match, else
/// the first catch-all (a territory without regions). Territories come in id order.
pub fn pick_territory<'a>(territories: &'a [Territory], region: Option<&str>) -> Option<&'a Territory> {
    let with_members = || territories.iter().filter(|t| !t.members.is_empty());
    region
        .and_then(|r| with_members().find(|t| region_matches(&split_regions(&t.regions), r)))
        .or_else(|| with_members().find(|t| split_regions(&t.regions).is_empty()))
}

/// Round-robin: the member after `last` in member order (by user id), wrapping around.
pub fn next_member(members: &[i64], last: Option<i64>) -> Option<i64> {
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    match last {
        Some(l) => sorted.iter().copied().find(|m| *m > l).or(sorted.first().copied()),
        None => sorted.first().copied(),
    }
}

/// What the public web form posts. `website` is a honeypot people never see; `token`
/// proves the form was fetched from this server a few seconds earlier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebLeadForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub lang: String,
}

impl WebLeadForm {
    pub fn to_input(&self) -> LeadInput {
        LeadInput {
            name: self.name.clone(),
            company: self.company.clone(),
            mobile: self.mobile.clone(),
            email: self.email.clone(),
            region: self.region.clone(),
            needs: self.needs.clone(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>() -> ScoreFacts<'a> {
        ScoreFacts { channel: "form", ..Default::default() }
    }

    #[test]
    fn a_bare_lead_scores_nothing_and_each_fact_adds_its_points() {
        assert!(score_parts(facts()).is_empty());
        let f = ScoreFacts { mobile: Some("13800000000"), phone: Some("010-1234567"), email: Some("a@b.cn"), ..facts() };
        let parts = score_parts(f);
        let keys: Vec<&str> = parts.iter().map(|p| p.key.as_str()).collect();
        // A mobile counts; a landline adds nothing on top of it.
        assert_eq!(keys, ["lead.score.mobile", "lead.score.email"]);
        assert_eq!(score_total(&parts), 30);
        let f = ScoreFacts { phone: Some("010-1234567"), ..facts() };
        assert_eq!(score_total(&score_parts(f)), 10);
    }

    #[test]
    fn decision_makers_referrals_and_web_leads_are_warmer() {
        let boss = ScoreFacts { title: Some("销售总监"), ..facts() };
        assert_eq!(score_parts(boss)[0].key, "lead.score.decision_maker");
        let boss = ScoreFacts { title: Some("Purchasing Manager"), ..facts() };
        assert_eq!(score_total(&score_parts(boss)), 20);
        let clerk = ScoreFacts { title: Some("采购专员"), ..facts() };
        assert_eq!(score_total(&score_parts(clerk)), 0);
        let web = ScoreFacts { channel: "web", ..facts() };
        assert_eq!(score_total(&score_parts(web)), 10);
        // A referral counts once, even when it came through the web form.
        let referred = ScoreFacts { channel: "web", source: Some("客户转介绍"), ..facts() };
        assert_eq!(score_parts(referred).iter().map(|p| p.points).collect::<Vec<_>>(), [15]);
        let short = ScoreFacts { needs: Some("想了解"), ..facts() };
        assert_eq!(score_total(&score_parts(short)), 0);
        let long = ScoreFacts { needs: Some("需要一套支持五十人的销售管理系统"), ..facts() };
        assert_eq!(score_total(&score_parts(long)), 15);
    }

    #[test]
    fn the_total_is_capped_and_graded() {
        let all = ScoreFacts {
            company: Some("天度科技"),
            title: Some("CEO"),
            mobile: Some("13800000000"),
            email: Some("ceo@tiandu.cn"),
            region: Some("北京"),
            industry: Some("软件"),
            source: Some("referral"),
            channel: "web",
            needs: Some("Fifty seats of CRM, this quarter"),
            phone: None,
        };
        assert_eq!(score_total(&score_parts(all)), 100);
        assert_eq!((grade(100), grade(60), grade(59), grade(30), grade(29), grade(0)), ("hot", "hot", "warm", "warm", "cold", "cold"));
        for g in ["hot", "warm", "cold"] {
            let (lo, hi) = grade_bounds(g).unwrap();
            assert_eq!((grade(lo), grade(hi)), (g, g));
        }
    }

    #[test]
    fn a_lead_needs_a_name_and_a_way_to_reach_it() {
        let errs = LeadInput::default().validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "mobile"]);
        assert_eq!(errs[1].code, "lead.reach_required");
        let bad = LeadInput { name: "王".into(), email: "not-an-email".into(), ..Default::default() };
        let errs = bad.validate().unwrap_err();
        assert_eq!((errs.len(), errs[0].field.as_str(), errs[0].code.as_str()), (1, "email", "validation.email"));
        let ok = LeadInput { name: " 王五 ".into(), email: "WANG@Example.cn".into(), ..Default::default() }.validate().unwrap();
        assert_eq!((ok.name.as_str(), ok.email.as_deref()), ("王五", Some("wang@example.cn")));
    }

    #[test]
    fn territories_match_regions_loosely_and_fall_back_to_the_catch_all() {
        let t = |id, regions: &str, members: Vec<i64>| Territory {
            id,
            name: format!("t{id}"),
            regions: regions.into(),
            members: members.into_iter().map(|m| (m, String::new())).collect(),
            ..Default::default()
        };
        let all = [t(1, "北京、天津", vec![5, 3]), t(2, "上海,Jiangsu", vec![7]), t(3, "", vec![9]), t(4, "广东", vec![])];
        assert_eq!(pick_territory(&all, Some("北京市朝阳区")).map(|t| t.id), Some(1));
        assert_eq!(pick_territory(&all, Some("jiangsu")).map(|t| t.id), Some(2));
        // A territory without members takes nothing; the catch-all does.
        assert_eq!(pick_territory(&all, Some("广东")).map(|t| t.id), Some(3));
        assert_eq!(pick_territory(&all, None).map(|t| t.id), Some(3));
        assert_eq!(pick_territory(&all[..2], Some("重庆")), None);
    }

    #[test]
    fn round_robin_goes_around_the_members_in_order() {
        let members = [8, 3, 5];
        let mut last = None;
        let mut got = Vec::new();
        for _ in 0..5 {
            last = next_member(&members, last);
            got.push(last.unwrap());
        }
        assert_eq!(got, [3, 5, 8, 3, 5]);
        // A member who left the territory is skipped over.
        assert_eq!(next_member(&members, Some(6)), Some(8));
        assert_eq!(next_member(&[], Some(6)), None);
    }

    #[test]
    fn conversion_needs_a_customer_and_a_named_opportunity() {
        let errs = ConvertInput { create_opportunity: true, amount: "abc".into(), ..Default::default() }.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["customer_name", "opportunity_name", "amount"]);
        let ok = ConvertInput {
            customer_id: Some(4),
            create_opportunity: true,
            opportunity_name: "CRM".into(),
            amount: "12,000.50".into(),
            currency: "CNY".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.opportunity.map(|o| o.1), Some(1_200_050));
    }

    #[test]
    fn the_filter_round_trips_through_the_url() {
        let f = LeadFilter::from_pairs([("view", "pool"), ("status", "working"), ("grade", "hot"), ("q", "天度"), ("x", "1")]);
        assert_eq!(f.to_query(), format!("?view=pool&status=working&grade=hot&q={}", crate::ui::url_encode("天度")));
        assert_eq!(LeadFilter::from_pairs([("status", "nonsense"), ("view", "all")]), LeadFilter::default());
    }
}
