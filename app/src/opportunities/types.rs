//! Opportunities, sales processes and the pipeline board (S2, S3, S5): types shared
//! by the browser and the server.
use crate::platform::error::FieldError;
use crate::platform::money::{parse_amount, Currency};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 2000;
pub const REASON_MAX: usize = 500;

/// Opportunity fields a stage may require before it can be entered.
pub const GATE_FIELDS: [&str; 7] = ["contact_id", "amount", "expected_close", "needs", "budget", "decision_makers", "competitors"];

/// Importance levels, most important first.
pub const IMPORTANCE: [&str; 3] = ["high", "medium", "low"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn code(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [StageKind::Open, StageKind::Won, StageKind::Lost].into_iter().find(|k| k.code() == s)
    }
}

/// One stage of a sales process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Stage {
    pub id: i64,
    pub process_id: i64,
    /// Built-in stages have a code, translated as `stage.<code>`, until renamed.
    pub code: Option<String>,
    pub name: Option<String>,
    pub position: i64,
    /// Win probability, whole percent.
    pub probability: i64,
    /// `open`, `won` or `lost`.
    pub kind: String,
    /// Comma-separated [`GATE_FIELDS`].
    pub required_fields: String,
    /// An activity kind code that must have been logged on the opportunity.
    pub required_activity: Option<String>,
}

impl Stage {
    pub fn kind(&self) -> StageKind {
        StageKind::from_code(&self.kind).unwrap_or(StageKind::Open)
    }
    pub fn required(&self) -> Vec<&str> {
        self.required_fields.split(',').map(str::trim).filter(|f| !f.is_empty()).collect()
    }
    /// The stage's name: what the user typed, else the built-in name's locale key.
    pub fn label_key(&self) -> Result<String, String> {
        match (&self.name, &self.code) {
            (Some(n), _) if !n.is_empty() => Ok(n.clone()),
            (_, Some(c)) => Err(format!("stage.{c}")),
            _ => Ok(format!("#{}", self.id)),
        }
    }
}

/// A stage as the settings page saves it (`id` None adds an open stage).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageInput {
    pub id: Option<i64>,
    pub process_id: i64,
    pub name: String,
    pub probability: i64,
    pub required_fields: Vec<String>,
    pub required_activity: Option<String>,
}

/// A sales process with its stages in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Process {
    pub id: i64,
    pub code: Option<String>,
    pub name: Option<String>,
    pub is_default: bool,
    pub stages: Vec<Stage>,
}

impl Process {
    pub fn label_key(&self) -> Result<String, String> {
        match (&self.name, &self.code) {
            (Some(n), _) if !n.is_empty() => Ok(n.clone()),
            (_, Some(c)) => Err(format!("process.{c}")),
            _ => Ok(format!("#{}", self.id)),
        }
    }
    pub fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }
    pub fn first_open(&self) -> Option<&Stage> {
        self.stages.iter().find(|s| s.kind() == StageKind::Open)
    }
}

/// Amount weighted by probability, rounded half away from zero, in minor units.
pub fn weighted(amount: i64, probability: i64) -> i64 {
    let p = probability.clamp(0, 100) as i128;
    let w = (amount as i128 * p * 2 + 100 * (amount as i128).signum()) / 200;
    w as i64
}

/// What the form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpportunityInput {
    pub name: String,
    pub customer_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub process_id: Option<i64>,
    pub stage_id: Option<i64>,
    pub amount: String,
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub expected_close: String,
    pub source: String,
    pub importance: String,
    pub needs: String,
    pub budget: String,
    pub decision_makers: String,
    pub competitors: String,
    pub is_private: bool,
    pub owner_id: Option<i64>,
}

/// A checked [`OpportunityInput`].
#[derive(Clone, Debug, PartialEq)]
pub struct ValidOpportunity {
    pub name: String,
    pub customer_id: i64,
    pub contact_id: Option<i64>,
    pub process_id: Option<i64>,
    pub stage_id: Option<i64>,
    pub amount: i64,
    pub currency: Currency,
    pub expected_close: Option<String>,
    pub source: Option<String>,
    pub importance: Option<String>,
    pub needs: Option<String>,
    pub budget: Option<String>,
    pub decision_makers: Option<String>,
    pub competitors: Option<String>,
    pub is_private: bool,
    pub owner_id: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) && d >= 1 => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
            d <= days
        }
        _ => false,
    }
}

impl OpportunityInput {
    pub fn validate(&self) -> Result<ValidOpportunity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &str, v: &str, max: usize| {
            let v = opt(v);
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                errors.push(FieldError::new(field, "validation.too_long"));
            }
            v
        };
        let name = text("name", &self.name, NAME_MAX);
        let source = text("source", &self.source, 100);
        let needs = text("needs", &self.needs, TEXT_MAX);
        let budget = text("budget", &self.budget, 200);
        let decision_makers = text("decision_makers", &self.decision_makers, TEXT_MAX);
        let competitors = text("competitors", &self.competitors, TEXT_MAX);
        if name.is_none() {
            errors.push(FieldError::new("name", "validation.required"));
        }
        if self.customer_id.is_none() {
            errors.push(FieldError::new("customer_id", "validation.required"));
        }
        let currency = match opt(&self.currency) {
            None => Currency::default(),
            Some(c) => Currency::from_code(&c).unwrap_or_else(|| {
                errors.push(FieldError::new("currency", "validation.invalid_choice"));
                Currency::default()
            }),
        };
        let amount = match opt(&self.amount) {
            None => 0,
            Some(a) => parse_amount(&a, currency).unwrap_or_else(|| {
                errors.push(FieldError::new("amount", "validation.amount"));
                0
            }),
        };
        let expected_close = opt(&self.expected_close);
        if expected_close.as_deref().is_some_and(|d| !is_iso_date(d)) {
            errors.push(FieldError::new("expected_close", "validation.date"));
        }
        let importance = opt(&self.importance);
        if importance.as_deref().is_some_and(|i| !IMPORTANCE.contains(&i)) {
            errors.push(FieldError::new("importance", "validation.invalid_choice"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidOpportunity {
            name: name.unwrap_or_default(),
            customer_id: self.customer_id.unwrap_or_default(),
            contact_id: self.contact_id,
            process_id: self.process_id,
            stage_id: self.stage_id,
            amount,
            currency,
            expected_close,
            source,
            importance,
            needs,
            budget,
            decision_makers,
            competitors,
            is_private: self.is_private,
            owner_id: self.owner_id,
        })
    }
}

/// One opportunity as its page shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Opportunity {
    pub id: i64,
    pub name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub process_id: i64,
    pub stage_id: i64,
    pub status: String,
    pub amount: i64,
    pub currency: String,
    pub expected_close: Option<String>,
    pub source: Option<String>,
    pub importance: Option<String>,
    pub needs: Option<String>,
    pub budget: Option<String>,
    pub decision_makers: Option<String>,
    pub competitors: Option<String>,
    pub is_private: bool,
    pub close_reason: Option<String>,
    pub review: Option<String>,
    pub closed_at: Option<i64>,
    pub stage_entered_at: i64,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    #[serde(skip)]
    pub department_path: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// Registration (报备): `approved`, `pending` or `rejected`.
    pub registration: String,
    pub registration_note: Option<String>,
    /// While pending: the opportunities it conflicts with.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub conflicts: Vec<Conflict>,
    /// Whether the viewer may approve or reject the pending registration.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub can_approve: bool,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_edit: bool,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_delete: bool,
}

impl Opportunity {
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
    pub fn to_input(&self) -> OpportunityInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        OpportunityInput {
            name: self.name.clone(),
            customer_id: Some(self.customer_id),
            contact_id: self.contact_id,
            process_id: Some(self.process_id),
            stage_id: Some(self.stage_id),
            amount: if self.amount == 0 { String::new() } else { crate::platform::money::format_amount(self.amount, self.currency()) },
            currency: self.currency.clone(),
            expected_close: s(&self.expected_close),
            source: s(&self.source),
            importance: s(&self.importance),
            needs: s(&self.needs),
            budget: s(&self.budget),
            decision_makers: s(&self.decision_makers),
            competitors: s(&self.competitors),
            is_private: self.is_private,
            owner_id: self.owner_id,
        }
    }
    /// Whether a gate field holds a value.
    pub fn has(&self, field: &str) -> bool {
        let filled = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        match field {
            "contact_id" => self.contact_id.is_some(),
            "amount" => self.amount > 0,
            "expected_close" => filled(&self.expected_close),
            "needs" => filled(&self.needs),
            "budget" => filled(&self.budget),
            "decision_makers" => filled(&self.decision_makers),
            "competitors" => filled(&self.competitors),
            _ => true,
        }
    }
}

/// Another owner's open opportunity on the same or a name-matching customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Conflict {
    pub id: i64,
    pub name: String,
    pub customer_name: String,
    pub owner_name: Option<String>,
    pub stage_id: i64,
    pub registration: String,
}

/// A card on the pipeline board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Card {
    pub id: i64,
    pub name: String,
    pub customer_name: String,
    pub stage_id: i64,
    pub amount: i64,
    pub currency: String,
    pub expected_close: Option<String>,
    pub owner_name: Option<String>,
    pub stage_entered_at: i64,
    pub version: i64,
    /// `pending` while the registration waits for approval.
    pub registration: String,
    /// Whole days since the card entered its stage (computed by the server).
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub days_in_stage: i64,
}

/// Sum of amounts in one currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub currency: String,
    pub amount: i64,
    pub weighted: i64,
}

/// Count and totals of the cards in each stage, per currency.
pub fn column_totals(cards: &[Card], probability: i64) -> Vec<Total> {
    let mut out: Vec<Total> = Vec::new();
    for c in cards {
        match out.iter_mut().find(|t| t.currency == c.currency) {
            Some(t) => t.amount += c.amount,
            None => out.push(Total { currency: c.currency.clone(), amount: c.amount, weighted: 0 }),
        }
    }
    for t in &mut out {
        t.weighted = weighted(t.amount, probability);
    }
    out.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.currency.cmp(&b.currency)));
    out
}

/// Board filters (flat, so they live in the URL).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardQuery {
    pub process: Option<i64>,
    pub owner: Option<i64>,
    /// A team: the department and those under it.
    pub department: Option<i64>,
    /// Expected close on or after (`YYYY-MM-DD`).
    pub close_from: Option<String>,
    /// Expected close on or before.
    pub close_to: Option<String>,
}

impl BoardQuery {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = BoardQuery::default();
        for (k, v) in pairs {
            let date = || Some(v.to_string()).filter(|d| is_iso_date(d));
            match k {
                "process" => q.process = v.parse().ok(),
                "owner" => q.owner = v.parse().ok(),
                "department" => q.department = v.parse().ok(),
                "close_from" => q.close_from = date(),
                "close_to" => q.close_to = date(),
                _ => {}
            }
        }
        q
    }
    /// The board's URL with these filters.
    pub fn url(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [("process", self.process), ("owner", self.owner), ("department", self.department)] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        for (k, v) in [("close_from", &self.close_from), ("close_to", &self.close_to)] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        if parts.is_empty() {
            "/opportunities".to_string()
        } else {
            format!("/opportunities?{}", parts.join("&"))
        }
    }
}

/// A saved view of the board: a name for a set of filters, the user's own or shared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub id: i64,
    pub name: String,
    pub shared: bool,
    pub mine: bool,
    pub owner_name: Option<String>,
    pub query: BoardQuery,
}

/// Which opportunities a list, a report figure or its drill-down covers. Flat, so
/// that it lives in the URL: a dashboard number links to the list with the same
/// filter, and both run [`OppFilter`] through the same SQL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OppFilter {
    pub process: Option<i64>,
    pub stage: Option<i64>,
    /// `open`, `won` or `lost`.
    pub status: Option<String>,
    pub owner: Option<i64>,
    /// A department and the departments under it.
    pub department: Option<i64>,
    pub currency: Option<String>,
    /// Expected close on or after / on or before (`YYYY-MM-DD`).
    pub close_from: Option<String>,
    pub close_to: Option<String>,
    /// Closed (won or lost) on or after / on or before, in the user's time zone.
    pub closed_from: Option<String>,
    pub closed_to: Option<String>,
    /// `pending`: registrations waiting for approval.
    pub registration: Option<String>,
}

impl OppFilter {
    const KEYS: [&'static str; 11] = [
        "process",
        "stage",
        "status",
        "owner",
        "department",
        "currency",
        "close_from",
        "close_to",
        "closed_from",
        "closed_to",
        "registration",
    ];

    /// Reads the filter from URL query pairs; unknown or empty values are ignored.
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let text = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let num = |k: &str| get(k).and_then(|v| v.trim().parse().ok());
        OppFilter {
            process: num("process"),
            stage: num("stage"),
            status: text("status").filter(|s| StageKind::from_code(s).is_some()),
            owner: num("owner"),
            department: num("department"),
            currency: text("currency").filter(|c| Currency::from_code(c).is_some()),
            close_from: text("close_from").filter(|d| is_iso_date(d)),
            close_to: text("close_to").filter(|d| is_iso_date(d)),
            closed_from: text("closed_from").filter(|d| is_iso_date(d)),
            closed_to: text("closed_to").filter(|d| is_iso_date(d)),
            registration: text("registration").filter(|r| ["pending", "approved", "rejected"].contains(&r.as_str())),
        }
    }

    /// The filter as a URL query string (without `?`), keys in a fixed order.
    pub fn to_query(&self) -> String {
        let values = [
            self.process.map(|v| v.to_string()),
            self.stage.map(|v| v.to_string()),
            self.status.clone(),
            self.owner.map(|v| v.to_string()),
            self.department.map(|v| v.to_string()),
            self.currency.clone(),
            self.close_from.clone(),
            self.close_to.clone(),
            self.closed_from.clone(),
            self.closed_to.clone(),
            self.registration.clone(),
        ];
        Self::KEYS
            .iter()
            .zip(values)
            .filter_map(|(k, v)| v.map(|v| format!("{k}={}", crate::ui::url_encode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The list page showing exactly these opportunities.
    pub fn list_url(&self) -> String {
        let q = self.to_query();
        if q.is_empty() {
            "/opportunities/list".into()
        } else {
            format!("/opportunities/list?{q}")
        }
    }
}

/// One opportunity in the list view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub process_id: i64,
    pub stage_id: i64,
    pub status: String,
    pub amount: i64,
    pub currency: String,
    pub expected_close: Option<String>,
    pub closed_at: Option<i64>,
    pub owner_name: Option<String>,
    pub updated_at: i64,
}

/// A page of the list, with the count and totals of everything the filter covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OppPage {
    pub rows: Vec<ListRow>,
    /// Opaque cursor of the next page, if any.
    pub next: Option<String>,
    pub count: i64,
    /// Per currency: amount and weighted amount (each open stage at its probability).
    pub totals: Vec<Total>,
    pub processes: Vec<Process>,
}

/// The pipeline board of one process: its open stages with their cards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub process: Process,
    pub processes: Vec<Process>,
    pub cards: Vec<Card>,
    /// Cards per open stage were capped; the board says so.
    pub truncated: bool,
}

/// Most cards the board loads per stage.
pub const BOARD_STAGE_LIMIT: i64 = 500;

/// A stage move the server accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub id: i64,
    pub stage_id: i64,
    pub version: i64,
    pub stage_entered_at: i64,
}

/// One row of an opportunity's stage history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StageMove {
    pub from_stage_id: Option<i64>,
    pub to_stage_id: i64,
    pub moved_by_name: Option<String>,
    pub moved_at: i64,
    pub time_in_stage: Option<i64>,
}

/// A follow-up logged against an opportunity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpportunityActivity {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub subject: String,
    pub occurred_at: i64,
    pub by_name: Option<String>,
}

/// An opportunity in a customer's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpportunityRow {
    pub id: i64,
    pub name: String,
    pub stage_id: i64,
    pub process_id: i64,
    pub status: String,
    pub amount: i64,
    pub currency: String,
    pub expected_close: Option<String>,
    pub owner_name: Option<String>,
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_amounts_round_half_away_from_zero() {
        assert_eq!(weighted(100_000, 25), 25_000);
        assert_eq!(weighted(1, 50), 1);
        assert_eq!(weighted(3, 50), 2);
        assert_eq!(weighted(999, 10), 100);
        assert_eq!(weighted(12_345, 0), 0);
        assert_eq!(weighted(12_345, 100), 12_345);
        assert_eq!(weighted(12_345, 150), 12_345, "probability is clamped");
        assert_eq!(weighted(i64::MAX / 2, 75), ((i64::MAX / 2) as i128 * 75 / 100) as i64);
    }

    #[test]
    fn column_totals_sum_per_currency_and_weight_each() {
        let card = |amount: i64, currency: &str| Card {
            id: 0,
            name: String::new(),
            customer_name: String::new(),
            stage_id: 1,
            amount,
            currency: currency.into(),
            expected_close: None,
            owner_name: None,
            stage_entered_at: 0,
            version: 1,
            registration: "approved".into(),
            days_in_stage: 0,
        };
        let totals = column_totals(&[card(100_000, "CNY"), card(50_050, "CNY"), card(20_000, "USD")], 50);
        assert_eq!(
            totals,
            vec![
                Total { currency: "CNY".into(), amount: 150_050, weighted: 75_025 },
                Total { currency: "USD".into(), amount: 20_000, weighted: 10_000 },
            ]
        );
        assert!(column_totals(&[], 50).is_empty());
    }

    #[test]
    fn input_is_checked_field_by_field() {
        let bad = OpportunityInput {
            amount: "12.345".into(),
            expected_close: "2026-02-30".into(),
            importance: "urgent".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "customer_id", "amount", "expected_close", "importance"]);
        let ok = OpportunityInput {
            name: " ERP 升级 ".into(),
            customer_id: Some(7),
            amount: "１２８,０００.５".into(),
            expected_close: "2028-02-29".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!((ok.name.as_str(), ok.amount, ok.currency), ("ERP 升级", 12_800_050, Currency::Cny));
    }

    #[test]
    fn filters_round_trip_through_the_url() {
        let f = OppFilter {
            process: Some(2),
            stage: Some(7),
            status: Some("won".into()),
            department: Some(4),
            currency: Some("CNY".into()),
            closed_from: Some("2026-11-01".into()),
            closed_to: Some("2026-11-30".into()),
            ..Default::default()
        };
        let q = f.to_query();
        assert_eq!(q, "process=2&stage=7&status=won&department=4&currency=CNY&closed_from=2026-11-01&closed_to=2026-11-30");
        let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|kv| kv.split_once('=')).collect();
        let back = OppFilter::from_pairs(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v));
        assert_eq!(back, f);
        let junk = [("status", "maybe"), ("currency", "XXX"), ("close_to", "2026-02-30"), ("owner", "x")];
        let dropped = OppFilter::from_pairs(|k| junk.iter().find(|(key, _)| *key == k).map(|(_, v)| *v));
        assert_eq!(dropped, OppFilter::default());
        assert_eq!(OppFilter::default().list_url(), "/opportunities/list");
    }

    #[test]
    fn gate_fields_know_when_they_are_filled() {
        let mut o = Opportunity::default();
        assert!(GATE_FIELDS.iter().all(|f| !o.has(f)));
        o.amount = 1;
        o.contact_id = Some(3);
        o.needs = Some("  ".into());
        o.expected_close = Some("2027-01-31".into());
        let filled: Vec<&str> = GATE_FIELDS.iter().copied().filter(|f| o.has(f)).collect();
        assert_eq!(filled, vec!["contact_id", "amount", "expected_close"]);
    }

    #[test]
    fn board_filters_round_trip_through_the_url() {
        let q = BoardQuery { process: Some(2), owner: Some(7), department: None, close_from: Some("2026-01-01".into()), close_to: None };
        assert_eq!(q.url(), "/opportunities?process=2&owner=7&close_from=2026-01-01");
        let back = BoardQuery::from_pairs(q.url().split_once('?').unwrap().1.split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, q);
        assert_eq!(BoardQuery::from_pairs([("close_to", "2026-02-30"), ("owner", "x")]), BoardQuery::default());
        assert_eq!(BoardQuery::default().url(), "/opportunities");
    }
}
