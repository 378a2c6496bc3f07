//! Service requests (服务申请), installed assets and the service desk's settings as the
//! browser and the server share them. Times are UTC milliseconds; dates ISO dates.
use crate::platform::error::FieldError;
use crate::tickets::sla::BusinessCalendar;
use serde::{Deserialize, Serialize};

pub const SUBJECT_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const SHORT_MAX: usize = 200;

/// Kinds of request FEATURES.md V1 names: 咨询, 投诉, 报修, 安装, 退换货, 意见建议.
pub const KINDS: [&str; 6] = ["consultation", "complaint", "repair", "installation", "return", "feedback"];
/// How the request came in.
pub const CHANNELS: [&str; 5] = ["phone", "email", "web", "portal", "visit"];
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
pub const STATUSES: [&str; 6] = ["open", "in_progress", "waiting", "resolved", "closed", "cancelled"];
/// How a return visit (回访) reached the customer.
pub const VISIT_CHANNELS: [&str; 5] = ["phone", "sms", "wechat", "email", "visit"];

/// A satisfaction score (1–5) that lets a complaint close: 4 or 5.
pub fn satisfied(score: i64) -> bool {
    score >= 4
}

/// Where a request may go from `from`: working it, waiting on the customer, resolved,
/// closed after a resolution, cancelled while not resolved, and reopened.
pub fn status_moves(from: &str) -> &'static [&'static str] {
    match from {
        "open" => &["in_progress", "waiting", "resolved", "cancelled"],
        "in_progress" => &["waiting", "resolved", "cancelled"],
        "waiting" => &["in_progress", "resolved", "cancelled"],
        "resolved" => &["closed", "in_progress"],
        "closed" | "cancelled" => &["in_progress"],
        _ => &[],
    }
}

/// Still being worked: the SLA clocks run.
pub fn is_open(status: &str) -> bool {
    matches!(status, "open" | "in_progress" | "waiting")
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceRequest {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub customer_name: Option<String>,
    pub contact_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub contact_name: Option<String>,
    pub kind: String,
    pub channel: String,
    pub priority: String,
    pub subject: String,
    pub description: String,
    pub product_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub product_name: Option<String>,
    pub asset_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub asset_serial: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub asset_name: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub warranty_ends_on: Option<String>,
    pub status: String,
    pub owner_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub department_name: Option<String>,
    pub response_due_at: i64,
    pub resolution_due_at: i64,
    pub response_warn_at: i64,
    pub resolution_warn_at: i64,
    pub around_the_clock: bool,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub resolution: String,
    pub response_escalated_at: Option<i64>,
    pub resolution_escalated_at: Option<i64>,
    pub lead_id: Option<i64>,
    /// The latest return visit's score (1–5).
    pub satisfaction: Option<i64>,
    /// A return visit found a product issue: the request is on the product-quality list.
    pub product_issue: bool,
    /// Why a complaint was closed without a satisfied customer.
    pub close_override: Option<String>,
    /// Since when the request waits for the customer (its resolution clock is stopped).
    pub waiting_since: Option<i64>,
    /// Business minutes the resolution clock was stopped for, in all.
    pub paused_minutes: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// SLA states (`met`, `met_late`, `on_track`, `at_risk`, `breached`, `stopped`;
    /// resolution also `paused` while waiting for the customer) at
    /// the server's clock when it was read.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub response_state: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub resolution_state: String,
}

/// Where one target stands at `now`: met (in time or late) once `done`; while running,
/// on track until its warning time, at risk until its deadline, breached after; a
/// cancelled request's running targets are `stopped`.
pub fn target_state(warn_at: i64, due_at: i64, done: Option<i64>, cancelled: bool, now: i64) -> &'static str {
    match done {
        Some(d) if d <= due_at => "met",
        Some(_) => "met_late",
        None if cancelled => "stopped",
        None if now >= due_at => "breached",
        None if now >= warn_at => "at_risk",
        None => "on_track",
    }
}

impl ServiceRequest {
    pub fn open(&self) -> bool {
        is_open(&self.status)
    }
    /// Fills the two SLA states for the time `now`.
    pub fn with_states(mut self, now: i64) -> Self {
        let cancelled = self.status == "cancelled";
        // A request resolved without an explicit response was answered by the resolution.
        let responded = self.first_response_at.or(self.resolved_at);
        self.response_state = target_state(self.response_warn_at, self.response_due_at, responded, cancelled, now).into();
        self.resolution_state = if self.waiting_since.is_some() && self.resolved_at.is_none() {
            "paused"
        } else {
            target_state(self.resolution_warn_at, self.resolution_due_at, self.resolved_at, cancelled, now)
        }
        .into();
        self
    }
    /// Warranty of the asset on the day the request came in: `in`, `out` or `unknown`.
    pub fn warranty(&self, offset_minutes: i32) -> &'static str {
        warranty_on(self.warranty_ends_on.as_deref(), self.created_at, offset_minutes)
    }
}

/// `in` when `at` (UTC ms) falls on or before the warranty's last day in the company's
/// zone, `out` after it, `unknown` without a warranty end.
pub fn warranty_on(ends_on: Option<&str>, at: i64, offset_minutes: i32) -> &'static str {
    let Some(end) = ends_on.filter(|d| !d.is_empty()) else {
        return "unknown";
    };
    let (y, m, d) = crate::platform::time::date_parts(at + offset_minutes as i64 * 60_000);
    if format!("{y:04}-{m:02}-{d:02}").as_str() <= end {
        "in"
    } else {
        "out"
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub customer_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub kind: String,
    pub channel: String,
    pub priority: String,
    pub subject: String,
    pub description: String,
    pub product_id: Option<i64>,
    pub asset_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidService {
    pub customer_id: i64,
    pub contact_id: Option<i64>,
    pub kind: String,
    pub channel: String,
    pub priority: String,
    pub subject: String,
    pub description: String,
    pub product_id: Option<i64>,
    pub asset_id: Option<i64>,
}

fn choice(errors: &mut Vec<FieldError>, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        errors.push(FieldError::new(field, "validation.invalid_choice"));
    }
}

impl ServiceInput {
    pub fn validate(&self) -> Result<ValidService, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.customer_id.is_none() {
            errors.push(FieldError::new("customer_id", "validation.required"));
        }
        choice(&mut errors, "kind", &self.kind, &KINDS);
        choice(&mut errors, "channel", &self.channel, &CHANNELS);
        choice(&mut errors, "priority", &self.priority, &PRIORITIES);
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.push(FieldError::new("subject", "validation.required"));
        } else if subject.chars().count() > SUBJECT_MAX {
            errors.push(FieldError::new("subject", "validation.too_long"));
        }
        if self.description.chars().count() > TEXT_MAX {
            errors.push(FieldError::new("description", "validation.too_long"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidService {
            customer_id: self.customer_id.unwrap_or_default(),
            contact_id: self.contact_id,
            kind: self.kind.clone(),
            channel: self.channel.clone(),
            priority: self.priority.clone(),
            subject: subject.to_string(),
            description: self.description.trim().to_string(),
            product_id: self.product_id,
            asset_id: self.asset_id,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceFilter {
    pub q: Option<String>,
    /// `open` (not resolved, closed or cancelled), one status, or everything.
    pub status: Option<String>,
    pub kind: Option<String>,
    pub mine: bool,
    /// Open requests whose response or resolution is at risk or breached.
    pub at_risk: bool,
    /// Only requests a return visit flagged with a product issue (the quality list).
    pub product_issue: bool,
    pub customer_id: Option<i64>,
    /// Keyset: (updated_at, id) of the last row shown.
    pub after: Option<(i64, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServicePage {
    pub rows: Vec<ServiceRequest>,
    pub next: Option<(i64, i64)>,
}

/// A request with what its page offers: the next statuses and who it may go to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub request: ServiceRequest,
    pub moves: Vec<String>,
    pub can_edit: bool,
    pub can_assign: bool,
    pub assignees: Vec<(i64, String)>,
    pub can_convert: bool,
    pub visits: Vec<ReturnVisit>,
    /// May close a complaint the customer is not satisfied with, giving a reason.
    pub can_override: bool,
    /// The conversation the customer sees on the portal, oldest first.
    pub messages: Vec<ServiceMessage>,
}

/// One message between the customer and the service desk on a request: a staff reply,
/// or what the customer wrote on the portal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceMessage {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
    pub from_customer: bool,
    pub author: String,
}

/// A return visit (回访) after the request was resolved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReturnVisit {
    pub id: i64,
    pub channel: String,
    pub satisfaction: i64,
    pub comment: String,
    pub product_issue: bool,
    pub created_at: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub created_by_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitInput {
    pub channel: String,
    /// 1–5; 0 when none was picked.
    pub satisfaction: i64,
    pub comment: String,
    pub product_issue: bool,
}

impl VisitInput {
    pub fn validate(&self) -> Result<VisitInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        choice(&mut errors, "channel", &self.channel, &VISIT_CHANNELS);
        if !(1..=5).contains(&self.satisfaction) {
            errors.push(FieldError::new("satisfaction", "service.pick_satisfaction"));
        }
        let comment = self.comment.trim();
        if comment.chars().count() > TEXT_MAX {
            errors.push(FieldError::new("comment", "validation.too_long"));
        }
        // A product issue needs a word on what is wrong, for the quality team.
        if self.product_issue && comment.is_empty() {
            errors.push(FieldError::new("comment", "service.describe_issue"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(VisitInput { comment: comment.to_string(), ..self.clone() })
    }
}

/// An installed product at a customer's site (V7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Asset {
    pub id: i64,
    pub customer_id: i64,
    pub product_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub product_name: Option<String>,
    pub name: String,
    pub serial_no: String,
    pub installed_on: Option<String>,
    pub warranty_ends_on: Option<String>,
    pub location: String,
    pub note: String,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssetInput {
    pub customer_id: i64,
    pub product_id: Option<i64>,
    pub name: String,
    pub serial_no: String,
    pub installed_on: String,
    pub warranty_ends_on: String,
    pub location: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidAsset {
    pub customer_id: i64,
    pub product_id: Option<i64>,
    pub name: String,
    pub serial_no: String,
    pub installed_on: Option<String>,
    pub warranty_ends_on: Option<String>,
    pub location: String,
    pub note: String,
}

fn iso_date(s: &str) -> bool {
    crate::platform::time::parse_date_ms(s, 0).is_some() && s.len() == 10
}

impl AssetInput {
    pub fn validate(&self) -> Result<ValidAsset, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |errors: &mut Vec<FieldError>, field: &str, v: &str, required: bool, max: usize| {
            let v = v.trim();
            if required && v.is_empty() {
                errors.push(FieldError::new(field, "validation.required"));
            } else if v.chars().count() > max {
                errors.push(FieldError::new(field, "validation.too_long"));
            }
            v.to_string()
        };
        let name = text(&mut errors, "name", &self.name, true, SHORT_MAX);
        let serial_no = text(&mut errors, "serial_no", &self.serial_no, true, 100);
        let location = text(&mut errors, "location", &self.location, false, SHORT_MAX);
        let note = text(&mut errors, "note", &self.note, false, TEXT_MAX);
        let date = |errors: &mut Vec<FieldError>, field: &str, v: &str| {
            let v = v.trim();
            if v.is_empty() {
                None
            } else if iso_date(v) {
                Some(v.to_string())
            } else {
                errors.push(FieldError::new(field, "validation.date"));
                None
            }
        };
        let installed_on = date(&mut errors, "installed_on", &self.installed_on);
        let warranty_ends_on = date(&mut errors, "warranty_ends_on", &self.warranty_ends_on);
        if let (Some(a), Some(b)) = (&installed_on, &warranty_ends_on) {
            if b < a {
                errors.push(FieldError::new("warranty_ends_on", "validation.date_order"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidAsset {
            customer_id: self.customer_id,
            product_id: self.product_id,
            name,
            serial_no,
            installed_on,
            warranty_ends_on,
            location,
            note,
        })
    }
}

/// Targets for one kind and priority (minutes of business time unless around the clock).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SlaPolicy {
    pub kind: String,
    pub priority: String,
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    pub warn_percent: i64,
    pub around_the_clock: bool,
}

impl SlaPolicy {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let key = |f: &str| format!("sla.{}.{}.{f}", self.kind, self.priority);
        let mut errors = Vec::new();
        if !KINDS.contains(&self.kind.as_str()) || !PRIORITIES.contains(&self.priority.as_str()) {
            errors.push(FieldError::new(&key("kind"), "validation.invalid_choice"));
        }
        if !(1..=525_600).contains(&self.response_minutes) {
            errors.push(FieldError::new(&key("response"), "validation.range"));
        }
        if !(1..=525_600).contains(&self.resolution_minutes) {
            errors.push(FieldError::new(&key("resolution"), "validation.range"));
        } else if self.resolution_minutes < self.response_minutes {
            errors.push(FieldError::new(&key("resolution"), "service.resolution_before_response"));
        }
        if !(1..=99).contains(&self.warn_percent) {
            errors.push(FieldError::new(&key("warn"), "validation.percent"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Who a new request of a kind goes to, and who hears about a breach.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceRoute {
    pub kind: String,
    pub department_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub escalate_to: Option<i64>,
}

/// Business hours as typed in settings: working weekdays (`1`–`7`, Monday first),
/// opening and closing `HH:MM`, holidays and make-up working days as ISO dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub work_days: String,
    pub open: String,
    pub close: String,
    pub holidays: String,
    pub extra_days: String,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self { work_days: "12345".into(), open: "09:00".into(), close: "18:00".into(), holidays: String::new(), extra_days: String::new() }
    }
}

fn minute_of_day(s: &str) -> Option<i32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440).then_some(h * 60 + m)
}

fn day_list(s: &str) -> Option<Vec<i64>> {
    s.split([',', ' ', '\n', '，', '、'])
        .filter(|d| !d.trim().is_empty())
        .map(|d| Some(crate::platform::time::parse_date_ms(d.trim(), 0)? / 86_400_000))
        .collect()
}

impl BusinessHours {
    /// The calendar these hours describe in the company's zone, or the fields in error.
    pub fn calendar(&self, offset_minutes: i32) -> Result<BusinessCalendar, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut work_days = [false; 7];
        for c in self.work_days.chars().filter(|c| !c.is_whitespace() && *c != ',') {
            match c.to_digit(10) {
                Some(d @ 1..=7) => work_days[d as usize - 1] = true,
                _ => errors.push(FieldError::new("work_days", "validation.invalid_choice")),
            }
        }
        if !work_days.iter().any(|d| *d) {
            errors.push(FieldError::new("work_days", "validation.required"));
        }
        let open = minute_of_day(&self.open);
        let close = minute_of_day(&self.close);
        if open.is_none() {
            errors.push(FieldError::new("open", "validation.time"));
        }
        match (open, close) {
            (_, None) => errors.push(FieldError::new("close", "validation.time")),
            (Some(o), Some(c)) if c <= o => errors.push(FieldError::new("close", "validation.date_order")),
            _ => {}
        }
        let holidays = day_list(&self.holidays);
        if holidays.is_none() {
            errors.push(FieldError::new("holidays", "validation.date"));
        }
        let extra = day_list(&self.extra_days);
        if extra.is_none() {
            errors.push(FieldError::new("extra_days", "validation.date"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BusinessCalendar {
            offset_minutes,
            work_days,
            start_minute: open.unwrap_or(0),
            end_minute: close.unwrap_or(1440),
            holidays: holidays.unwrap_or_default(),
            extra_work_days: extra.unwrap_or_default(),
        })
    }
}

/// The service desk's settings page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceSettings {
    pub policies: Vec<SlaPolicy>,
    pub routes: Vec<ServiceRoute>,
    pub hours: BusinessHours,
    /// People and departments routes may name.
    pub users: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
}

/// A request on the dashboard's list of SLA targets at risk or breached.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AtRiskRequest {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub customer_name: String,
    pub priority: String,
    pub owner_name: Option<String>,
    /// `response` or `resolution`: the target at stake.
    pub target: String,
    pub state: String,
    pub due_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ServiceInput {
        ServiceInput {
            customer_id: Some(1),
            kind: "repair".into(),
            channel: "phone".into(),
            priority: "normal".into(),
            subject: " 打印机卡纸 ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn validates_requests() {
        let v = input().validate().unwrap();
        assert_eq!(v.subject, "打印机卡纸");
        let bad = ServiceInput { customer_id: None, kind: "x".into(), subject: " ".into(), ..input() }.validate().unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["customer_id", "kind", "subject"]);
    }

    #[test]
    fn target_states_follow_the_clock() {
        assert_eq!(target_state(80, 100, None, false, 50), "on_track");
        assert_eq!(target_state(80, 100, None, false, 80), "at_risk");
        assert_eq!(target_state(80, 100, None, false, 100), "breached");
        assert_eq!(target_state(80, 100, Some(100), false, 500), "met");
        assert_eq!(target_state(80, 100, Some(101), false, 500), "met_late");
        assert_eq!(target_state(80, 100, None, true, 500), "stopped");
        let r = ServiceRequest {
            response_warn_at: 8,
            response_due_at: 10,
            resolution_warn_at: 80,
            resolution_due_at: 100,
            resolved_at: Some(9),
            status: "resolved".into(),
            ..Default::default()
        }
        .with_states(50);
        assert_eq!((r.response_state.as_str(), r.resolution_state.as_str()), ("met", "met"));
    }

    #[test]
    fn return_visits_need_a_score_and_words_for_a_product_issue() {
        let ok = VisitInput { channel: "phone".into(), satisfaction: 5, comment: " 很满意 ".into(), product_issue: false };
        assert_eq!(ok.validate().unwrap().comment, "很满意");
        let bad =
            VisitInput { channel: "fax".into(), satisfaction: 0, comment: String::new(), product_issue: true }.validate().unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "satisfaction", "comment"]);
        assert!(satisfied(4) && !satisfied(3));
    }

    #[test]
    fn status_moves_close_only_after_resolution() {
        assert!(!status_moves("open").contains(&"closed"));
        assert!(status_moves("resolved").contains(&"closed"));
        assert!(status_moves("closed").contains(&"in_progress"));
        assert!(is_open("waiting") && !is_open("resolved"));
    }

    #[test]
    fn warranty_is_read_on_the_company_date() {
        // 2026-12-31 20:00 UTC is already 2027-01-01 in Beijing.
        let at = crate::platform::time::parse_date_ms("2026-12-31", 0).unwrap() + 20 * 3_600_000;
        assert_eq!(warranty_on(Some("2026-12-31"), at, 0), "in");
        assert_eq!(warranty_on(Some("2026-12-31"), at, 480), "out");
        assert_eq!(warranty_on(None, at, 480), "unknown");
    }

    #[test]
    fn business_hours_make_a_calendar() {
        let cal = BusinessHours { holidays: "2026-10-01, 2026-10-02".into(), extra_days: "2026-10-11".into(), ..Default::default() }
            .calendar(480)
            .unwrap();
        assert_eq!(cal.start_minute, 540);
        assert_eq!(cal.end_minute, 1080);
        assert_eq!(cal.work_days, [true, true, true, true, true, false, false]);
        assert_eq!(cal.holidays.len(), 2);
        let bad = BusinessHours {
            work_days: "9".into(),
            open: "18:00".into(),
            close: "09:00".into(),
            holidays: "soon".into(),
            ..Default::default()
        }
        .calendar(480)
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["work_days", "work_days", "close", "holidays"]);
    }

    #[test]
    fn assets_need_a_name_serial_and_ordered_dates() {
        let ok = AssetInput {
            customer_id: 1,
            name: "空压机".into(),
            serial_no: "SN-1".into(),
            installed_on: "2026-01-05".into(),
            warranty_ends_on: "2028-01-04".into(),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let bad = AssetInput { serial_no: String::new(), warranty_ends_on: "2025-01-01".into(), ..ok }.validate().unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["serial_no", "warranty_ends_on"]);
    }
}
