//! Activity wire types and validation.
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;
pub const TIMELINE_PAGE: i64 = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityKind {
    Call,
    Visit,
    Meeting,
    Email,
    Note,
    Wechat,
    Qq,
    Sms,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Note,
        ActivityKind::Wechat,
        ActivityKind::Qq,
        ActivityKind::Sms,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
            ActivityKind::Wechat => "wechat",
            ActivityKind::Qq => "qq",
            ActivityKind::Sms => "sms",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn icon(code: &str) -> &'static str {
        match code {
            "call" => "📞",
            "visit" => "🚗",
            "meeting" => "👥",
            "email" => "✉️",
            "wechat" => "💬",
            "qq" => "🐧",
            "sms" => "📩",
            _ => "📝",
        }
    }
}

/// `planned` is a visit plan (or any follow-up scheduled ahead); `done` happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityStatus {
    Planned,
    Done,
}

impl ActivityStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::Planned => "planned",
            ActivityStatus::Done => "done",
        }
    }
}

/// Raw form input. `occurred_at` is the browser's `datetime-local` value in the
/// user's display time zone; empty means now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityInput {
    pub kind: String,
    pub planned: bool,
    pub subject: String,
    pub body: String,
    pub occurred_at: String,
    pub contact_id: Option<i64>,
    /// Also log it against this opportunity of the same customer.
    #[serde(default)]
    pub opportunity_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: i64,
    pub contact_id: Option<i64>,
}

/// Parses `YYYY-MM-DDTHH:MM` (or with a space) in `offset_minutes` into UTC milliseconds.
pub fn parse_local_datetime(s: &str, offset_minutes: i32) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' ']).unwrap_or((s, "00:00"));
    let day = crate::platform::time::parse_date_ms(date, offset_minutes)?;
    let mut hm = time.split(':');
    let h: i64 = hm.next()?.parse().ok()?;
    let m: i64 = hm.next().unwrap_or("0").parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(day + (h * 60 + m) * 60_000)
}

impl ActivityInput {
    /// `now` and `offset_minutes` come from the server (time) and the user's display zone.
    pub fn validate(&self, now: i64, offset_minutes: i32) -> Result<ValidActivity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ActivityKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "validation.invalid_choice"));
        }
        let subject = self.subject.trim().to_string();
        if subject.is_empty() {
            errors.push(FieldError::new("subject", "validation.required"));
        } else if subject.chars().count() > SUBJECT_MAX {
            errors.push(FieldError::new("subject", "validation.too_long"));
        }
        let body = Some(self.body.trim().to_string()).filter(|b| !b.is_empty());
        if body.as_ref().is_some_and(|b| b.chars().count() > BODY_MAX) {
            errors.push(FieldError::new("body", "validation.too_long"));
        }
        let status = if self.planned { ActivityStatus::Planned } else { ActivityStatus::Done };
        let occurred_at = if self.occurred_at.trim().is_empty() {
            if self.planned {
                errors.push(FieldError::new("occurred_at", "validation.required"));
            }
            now
        } else {
            match parse_local_datetime(&self.occurred_at, offset_minutes) {
                Some(t) => t,
                None => {
                    errors.push(FieldError::new("occurred_at", "validation.datetime"));
                    now
                }
            }
        };
        // A plan lies ahead; a record of something done cannot be in the future (5 minutes' slack for clocks).
        if errors.is_empty() && self.planned && occurred_at < now - 60_000 * 60 * 24 {
            errors.push(FieldError::new("occurred_at", "validation.plan_in_past"));
        }
        if errors.is_empty() && !self.planned && occurred_at > now + 5 * 60_000 {
            errors.push(FieldError::new("occurred_at", "validation.done_in_future"));
        }
        match (kind, errors.is_empty()) {
            (Some(kind), true) => Ok(ValidActivity { kind, status, subject, body, occurred_at, contact_id: self.contact_id }),
            _ => Err(errors),
        }
    }
}

/// One entry of a timeline or plan list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Activity {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: i64,
    pub result: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub version: i64,
    /// Filled in by the service (one query per page).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub attachments: Vec<AttachmentRef>,
    /// Set when the entry is a business document (quote, order, shipment, contract,
    /// payment, invoice) rather than an activity; its `id` is then negative.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub doc: Option<TimelineDoc>,
}

/// A business document on the customer's timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TimelineDoc {
    /// Unique over all documents and never equal to an activity id (negative).
    pub entry_id: i64,
    pub at: i64,
    /// quote, order, ship, return, contract, payment or invoice.
    pub kind: String,
    /// The page it links to.
    pub href: String,
    pub number: String,
    pub title: String,
    pub amount: Option<i64>,
    pub currency: String,
    /// The document's status code, or `void`.
    pub state: String,
    pub by_name: Option<String>,
}

impl TimelineDoc {
    pub const KINDS: [&'static str; 7] = ["quote", "order", "ship", "return", "contract", "payment", "invoice"];
    pub fn icon(&self) -> &'static str {
        match self.kind.as_str() {
            "quote" => "🧾",
            "order" => "🛒",
            "ship" | "return" => "🚚",
            "contract" => "📑",
            "payment" => "💴",
            "service_request" => "🛠️",
            _ => "🧮",
        }
    }
    /// As a timeline entry.
    pub fn into_entry(self) -> Activity {
        Activity {
            id: self.entry_id,
            kind: "document".into(),
            status: "done".into(),
            subject: self.number.clone(),
            body: None,
            occurred_at: self.at,
            result: None,
            owner_id: None,
            owner_name: self.by_name.clone(),
            contact_id: None,
            contact_name: None,
            customer_id: None,
            customer_name: None,
            version: 0,
            attachments: Vec::new(),
            doc: Some(self),
        }
    }
}

/// A file attached to an activity, as listed on the timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AttachmentRef {
    pub id: i64,
    pub activity_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

/// "1.2 MB", "830 KB", "12 B".
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

/// A page of the timeline and the cursor for the next one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub items: Vec<Activity>,
    pub next: Option<String>,
    /// Whether the viewer may log activities here.
    pub can_log: bool,
}

/// Keyset cursor `occurred_at.id`.
pub fn encode_cursor(at: i64, id: i64) -> String {
    format!("{at}.{id}")
}

pub fn decode_cursor(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;

    #[test]
    fn parses_local_time_in_the_users_zone() {
        let utc = parse_local_datetime("2026-11-30T09:30", 0).unwrap();
        assert_eq!(parse_local_datetime("2026-11-30T09:30", 480).unwrap(), utc - 8 * 3_600_000);
        assert_eq!(parse_local_datetime("2026-11-30 09:30", 0), Some(utc));
        assert_eq!(parse_local_datetime("2026-11-30T24:00", 0), None);
        assert_eq!(parse_local_datetime("soon", 0), None);
    }

    #[test]
    fn a_done_call_defaults_to_now_and_a_plan_needs_a_time() {
        let call = ActivityInput { kind: "call".into(), subject: "确认报价".into(), ..Default::default() };
        let v = call.validate(NOW, 480).unwrap();
        assert_eq!((v.kind, v.status, v.occurred_at), (ActivityKind::Call, ActivityStatus::Done, NOW));
        let plan = ActivityInput { kind: "visit".into(), planned: true, subject: "拜访".into(), ..Default::default() };
        let errs = plan.validate(NOW, 480).unwrap_err();
        assert_eq!(errs[0].field, "occurred_at");
    }

    #[test]
    fn rejects_bad_kind_empty_subject_and_future_records() {
        let bad = ActivityInput { kind: "fax".into(), subject: " ".into(), ..Default::default() };
        let fields: Vec<String> = bad.validate(NOW, 0).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "subject"]);
        let future =
            ActivityInput { kind: "call".into(), subject: "x".into(), occurred_at: "2100-01-01T00:00".into(), ..Default::default() };
        assert_eq!(future.validate(NOW, 0).unwrap_err()[0].code, "validation.done_in_future");
    }

    #[test]
    fn cursor_round_trips() {
        assert_eq!(decode_cursor(&encode_cursor(NOW, 42)), Some((NOW, 42)));
        assert_eq!(decode_cursor("x.1"), None);
    }
}
