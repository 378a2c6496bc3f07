//! Customer wire types and the validation that turns form input into a `ValidCustomer`.
//! The same limits drive the server check and the inputs' `maxlength` attributes.
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const SHORT_NAME_MAX: usize = 50;
pub const CODE_MAX: usize = 50;
pub const TEXT_MAX: usize = 100;
pub const ADDRESS_MAX: usize = 300;
pub const PHONE_MAX: usize = 40;
pub const EMAIL_MAX: usize = 254;
pub const WEBSITE_MAX: usize = 200;
pub const TAX_ID_MAX: usize = 30;
pub const NOTES_MAX: usize = 4000;
pub const BANK_MAX: usize = 100;
pub const EVALUATION_MAX: usize = 2000;
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 20;
pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerKind {
    Company,
    Individual,
}

impl CustomerKind {
    pub const ALL: [CustomerKind; 2] = [CustomerKind::Company, CustomerKind::Individual];
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Individual => "individual",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Lifecycle status (C2). Until orders exist (issue 3 derives it from transactions) it is set by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerStatus {
    Potential,
    Transacting,
    Dormant,
    Lost,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] =
        [CustomerStatus::Potential, CustomerStatus::Transacting, CustomerStatus::Dormant, CustomerStatus::Lost];
    pub fn code(self) -> &'static str {
        match self {
            CustomerStatus::Potential => "potential",
            CustomerStatus::Transacting => "transacting",
            CustomerStatus::Dormant => "dormant",
            CustomerStatus::Lost => "lost",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// How strictly the credit limit is enforced on orders (used by the sales documents).
pub const CREDIT_CONTROLS: [&str; 3] = ["none", "warn", "block"];
/// How close the relationship is, as the account owner judges it.
pub const RELATIONSHIPS: [&str; 4] = ["close", "good", "normal", "weak"];

/// Splits a tag list typed with any of the usual separators, trims, drops repeats.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split([',', '，', '、', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_string());
        }
    }
    out
}

/// Raw form input, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub code: String,
    pub status: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub tax_id: String,
    pub notes: String,
    /// `None` keeps the current owner (or makes the creator the owner).
    pub owner_id: Option<i64>,
    pub level: String,
    pub category: String,
    pub customer_group: String,
    /// Comma-separated.
    pub tags: String,
    pub bank_name: String,
    pub bank_account: String,
    /// An amount as typed ("50,000.00"), in `credit_currency`.
    pub credit_limit: String,
    pub credit_currency: String,
    pub credit_days: String,
    pub credit_control: String,
    pub relationship: String,
    /// Importance, 1 to 5 stars.
    pub rating: String,
    pub evaluation: String,
}

/// A customer that passed validation; it cannot hold invalid data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidCustomer {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: CustomerKind,
    pub code: Option<String>,
    pub status: CustomerStatus,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub tax_id: Option<String>,
    pub notes: Option<String>,
    pub level: Option<String>,
    pub category: Option<String>,
    pub customer_group: Option<String>,
    pub tags: Vec<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    /// Minor units of `credit_currency`.
    pub credit_limit: Option<i64>,
    pub credit_currency: Option<String>,
    pub credit_days: Option<i64>,
    pub credit_control: Option<String>,
    pub relationship: Option<String>,
    pub rating: Option<i64>,
    pub evaluation: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn check_len(errors: &mut Vec<FieldError>, field: &str, v: &Option<String>, max: usize) {
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        errors.push(FieldError::new(field, "validation.too_long"));
    }
}

pub fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
}

pub fn is_valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 5 && s.chars().all(|c| c.is_ascii_digit() || " +-()#".contains(c) || c == '转')
}

pub fn is_valid_website(s: &str) -> bool {
    let host = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or(s);
    let host = host.split('/').next().unwrap_or("");
    host.contains('.') && !host.starts_with('.') && !host.ends_with('.') && !s.chars().any(char::is_whitespace)
}

impl CustomerInput {
    pub fn validate(&self) -> Result<ValidCustomer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new("name", "validation.required"));
        } else if name.chars().count() > NAME_MAX {
            errors.push(FieldError::new("name", "validation.too_long"));
        }
        let kind = CustomerKind::from_code(self.kind.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("kind", "validation.invalid_choice"));
            CustomerKind::Company
        });
        let status = if self.status.trim().is_empty() {
            CustomerStatus::Potential
        } else {
            CustomerStatus::from_code(self.status.trim()).unwrap_or_else(|| {
                errors.push(FieldError::new("status", "validation.invalid_choice"));
                CustomerStatus::Potential
            })
        };
        let short_name = opt(&self.short_name);
        check_len(&mut errors, "short_name", &short_name, SHORT_NAME_MAX);
        let code = opt(&self.code);
        check_len(&mut errors, "code", &code, CODE_MAX);
        if code.as_ref().is_some_and(|c| !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')) {
            errors.push(FieldError::new("code", "validation.code_chars"));
        }
        let industry = opt(&self.industry);
        check_len(&mut errors, "industry", &industry, TEXT_MAX);
        let region = opt(&self.region);
        check_len(&mut errors, "region", &region, TEXT_MAX);
        let source = opt(&self.source);
        check_len(&mut errors, "source", &source, TEXT_MAX);
        let address = opt(&self.address);
        check_len(&mut errors, "address", &address, ADDRESS_MAX);
        let phone = opt(&self.phone);
        if let Some(p) = &phone {
            if p.chars().count() > PHONE_MAX {
                errors.push(FieldError::new("phone", "validation.too_long"));
            } else if !is_valid_phone(p) {
                errors.push(FieldError::new("phone", "validation.phone"));
            }
        }
        let email = opt(&self.email).map(|e| e.to_lowercase());
        if let Some(e) = &email {
            if e.chars().count() > EMAIL_MAX {
                errors.push(FieldError::new("email", "validation.too_long"));
            } else if !is_valid_email(e) {
                errors.push(FieldError::new("email", "validation.email"));
            }
        }
        let website = opt(&self.website);
        if let Some(w) = &website {
            if w.chars().count() > WEBSITE_MAX {
                errors.push(FieldError::new("website", "validation.too_long"));
            } else if !is_valid_website(w) {
                errors.push(FieldError::new("website", "validation.website"));
            }
        }
        let tax_id = opt(&self.tax_id).map(|t| t.to_uppercase());
        if let Some(t) = &tax_id {
            let n = t.chars().count();
            if !(8..=TAX_ID_MAX).contains(&n) || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.push(FieldError::new("tax_id", "validation.tax_id"));
            }
        }
        let notes = opt(&self.notes);
        check_len(&mut errors, "notes", &notes, NOTES_MAX);
        let level = opt(&self.level);
        check_len(&mut errors, "level", &level, TEXT_MAX);
        let category = opt(&self.category);
        check_len(&mut errors, "category", &category, TEXT_MAX);
        let customer_group = opt(&self.customer_group);
        check_len(&mut errors, "customer_group", &customer_group, TEXT_MAX);
        let tags = split_tags(&self.tags);
        if tags.len() > TAGS_MAX || tags.iter().any(|t| t.chars().count() > TAG_MAX) {
            errors.push(FieldError::new("tags", "validation.tags"));
        }
        let bank_name = opt(&self.bank_name);
        check_len(&mut errors, "bank_name", &bank_name, BANK_MAX);
        let bank_account = opt(&self.bank_account).map(|a| a.replace(' ', ""));
        if bank_account.as_ref().is_some_and(|a| a.len() > 34 || !a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) {
            errors.push(FieldError::new("bank_account", "validation.bank_account"));
        }
        let currency = match opt(&self.credit_currency) {
            Some(c) => crate::platform::money::Currency::from_code(&c).unwrap_or_else(|| {
                errors.push(FieldError::new("credit_currency", "validation.invalid_choice"));
                Default::default()
            }),
            None => Default::default(),
        };
        let credit_limit = match opt(&self.credit_limit) {
            Some(a) => {
                let v = crate::platform::money::parse_amount(&a, currency);
                if v.is_none() {
                    errors.push(FieldError::new("credit_limit", "validation.amount"));
                }
                v
            }
            None => None,
        };
        let credit_currency = credit_limit.map(|_| currency.code().to_string());
        let credit_days = match opt(&self.credit_days) {
            Some(d) => match d.parse::<i64>() {
                Ok(n) if (0..=3650).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("credit_days", "validation.range"));
                    None
                }
            },
            None => None,
        };
        let credit_control = opt(&self.credit_control);
        if credit_control.as_deref().is_some_and(|c| !CREDIT_CONTROLS.contains(&c)) {
            errors.push(FieldError::new("credit_control", "validation.invalid_choice"));
        }
        let relationship = opt(&self.relationship);
        if relationship.as_deref().is_some_and(|c| !RELATIONSHIPS.contains(&c)) {
            errors.push(FieldError::new("relationship", "validation.invalid_choice"));
        }
        let rating = match opt(&self.rating) {
            Some(r) => match r.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("rating", "validation.invalid_choice"));
                    None
                }
            },
            None => None,
        };
        let evaluation = opt(&self.evaluation);
        check_len(&mut errors, "evaluation", &evaluation, EVALUATION_MAX);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidCustomer {
            name,
            short_name,
            kind,
            code,
            status,
            industry,
            region,
            source,
            address,
            phone,
            email,
            website,
            tax_id,
            notes,
            level,
            category,
            customer_group,
            tags,
            bank_name,
            bank_account,
            credit_limit,
            credit_currency,
            credit_days,
            credit_control,
            relationship,
            rating,
            evaluation,
        })
    }
}

/// One row of the customer list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub level: Option<String>,
    pub category: Option<String>,
}

/// The customer list's filters and sort, as they appear in the URL and in saved views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub owner: Option<i64>,
    pub sort: Option<String>,
    pub level: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    pub tag: Option<String>,
    pub department: Option<i64>,
    /// `YYYY-MM-DD`, in the user's time zone.
    pub created_from: Option<String>,
    pub created_to: Option<String>,
}

impl ListQuery {
    /// Reads the query from URL parameters (empty values are absent).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        ListQuery {
            q: text("q"),
            status: text("status"),
            owner: text("owner").and_then(|v| v.parse().ok()),
            sort: text("sort"),
            level: text("level"),
            category: text("category"),
            region: text("region"),
            tag: text("tag"),
            department: text("department").and_then(|v| v.parse().ok()),
            created_from: text("created_from"),
            created_to: text("created_to"),
        }
    }

    /// The URL query string (without `?`), shared by navigation, export links and saved views.
    pub fn to_query_string(&self) -> String {
        let enc = crate::ui::url_encode;
        let mut parts = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", enc(&v)));
            }
        };
        add("q", self.q.clone());
        add("status", self.status.clone());
        add("owner", self.owner.map(|o| o.to_string()));
        add("sort", self.sort.clone());
        add("level", self.level.clone());
        add("category", self.category.clone());
        add("region", self.region.clone());
        add("tag", self.tag.clone());
        add("department", self.department.map(|d| d.to_string()));
        add("created_from", self.created_from.clone());
        add("created_to", self.created_to.clone());
        parts.join("&")
    }

    /// Filters beyond the search box, status and owner (shown as "more filters").
    pub fn has_advanced(&self) -> bool {
        self.level.is_some()
            || self.category.is_some()
            || self.region.is_some()
            || self.tag.is_some()
            || self.department.is_some()
            || self.created_from.is_some()
            || self.created_to.is_some()
    }
}

/// Columns a list view can show, in display order.
pub const LIST_COLUMNS_CHOICE: [&str; 11] =
    ["short_name", "kind", "status", "level", "category", "industry", "region", "phone", "owner", "created_at", "updated_at"];
pub const DEFAULT_COLUMNS: [&str; 6] = ["status", "level", "industry", "region", "owner", "updated_at"];

/// A saved query (查询方案).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    pub shared: bool,
    /// Whether the viewer owns it (and so may delete it).
    pub mine: bool,
    pub owner_name: Option<String>,
    pub query: ListQuery,
    pub columns: Vec<String>,
}

/// A page of the list and the cursor for the next one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    pub next: Option<String>,
}

/// The full record for the detail and edit pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerDetail {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub tax_id: Option<String>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    #[serde(skip)]
    pub department_path: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub created_by_name: Option<String>,
    pub updated_at: i64,
    pub updated_by_name: Option<String>,
    pub deleted_at: Option<i64>,
    /// Last follow-up (or assignment); the pool clock runs from here.
    pub last_touch_at: i64,
    pub pool_since: Option<i64>,
    /// Set when this customer was merged into another one (and so deleted).
    pub merged_into: Option<i64>,
    pub level: Option<String>,
    pub category: Option<String>,
    pub customer_group: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub credit_limit: Option<i64>,
    pub credit_currency: Option<String>,
    pub credit_days: Option<i64>,
    pub credit_control: Option<String>,
    pub relationship: Option<String>,
    pub rating: Option<i64>,
    pub evaluation: Option<String>,
    /// Filled in by the service from `customer_tags`.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub tags: Vec<String>,
    /// Counts for the 360° header (filled in by the service, one query).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub figures: KeyFigures,
    /// Whether the viewer may edit / delete / reassign / claim this record (filled in by the service).
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_edit: bool,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_delete: bool,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_assign: bool,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub can_claim: bool,
}

impl CustomerDetail {
    /// The form input that reproduces this record, for the edit page.
    pub fn to_input(&self) -> CustomerInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        CustomerInput {
            name: self.name.clone(),
            short_name: s(&self.short_name),
            kind: self.kind.clone(),
            code: s(&self.code),
            status: self.status.clone(),
            industry: s(&self.industry),
            region: s(&self.region),
            source: s(&self.source),
            address: s(&self.address),
            phone: s(&self.phone),
            email: s(&self.email),
            website: s(&self.website),
            tax_id: s(&self.tax_id),
            notes: s(&self.notes),
            owner_id: self.owner_id,
            level: s(&self.level),
            category: s(&self.category),
            customer_group: s(&self.customer_group),
            tags: self.tags.join(", "),
            bank_name: s(&self.bank_name),
            bank_account: s(&self.bank_account),
            credit_limit: self.credit_limit.map(|m| crate::platform::money::format_amount(m, self.currency())).unwrap_or_default(),
            credit_currency: s(&self.credit_currency),
            credit_days: self.credit_days.map(|d| d.to_string()).unwrap_or_default(),
            credit_control: s(&self.credit_control),
            relationship: s(&self.relationship),
            rating: self.rating.map(|r| r.to_string()).unwrap_or_default(),
            evaluation: s(&self.evaluation),
        }
    }

    pub fn currency(&self) -> crate::platform::money::Currency {
        self.credit_currency.as_deref().and_then(crate::platform::money::Currency::from_code).unwrap_or_default()
    }
}

/// The numbers at the top of the customer 360° page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct KeyFigures {
    pub contacts: i64,
    pub activities: i64,
    pub planned: i64,
    pub last_activity_at: Option<i64>,
    /// Whole days since the last follow-up, as the server counted them.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub days_since_activity: Option<i64>,
}

/// One row of a customer's ownership history (assignment, reassignment, pool moves).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OwnerChange {
    pub id: i64,
    /// `reassign`, `release`, `claim` or `auto_return`.
    pub kind: String,
    pub from_name: Option<String>,
    pub to_name: Option<String>,
    pub reason: Option<String>,
    pub changed_by_name: Option<String>,
    pub changed_at: i64,
}

/// One customer in the public pool (公海).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PoolRow {
    pub id: i64,
    pub name: String,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub pool_since: Option<i64>,
}

/// A page of the pool, with how many more customers the user may claim today.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolPage {
    pub rows: Vec<PoolRow>,
    pub next: Option<String>,
    /// `None` when there is no daily limit.
    pub claims_left: Option<i64>,
}

/// Rules of the public pool, edited in settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSettings {
    /// Customers without a follow-up for this many days go back to the pool; 0 turns it off.
    pub return_days: i64,
    /// How many customers one person may claim per day; 0 means no limit.
    pub daily_claim_limit: i64,
}

impl PoolSettings {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(0..=3650).contains(&self.return_days) {
            errors.push(FieldError::new("return_days", "validation.range"));
        }
        if !(0..=1000).contains(&self.daily_claim_limit) {
            errors.push(FieldError::new("daily_claim_limit", "validation.range"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

pub const REASON_MAX: usize = 500;

/// A user who can own customers, for the owner picker and filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OwnerOption {
    pub id: i64,
    pub display_name: String,
}

/// List sort orders; each has a matching index and keyset cursor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    UpdatedDesc,
    CreatedDesc,
    NameAsc,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::UpdatedDesc, SortKey::CreatedDesc, SortKey::NameAsc];
    pub fn code(self) -> &'static str {
        match self {
            SortKey::UpdatedDesc => "updated",
            SortKey::CreatedDesc => "created",
            SortKey::NameAsc => "name",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Keyset cursor: the sort key and id of the last row shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    Time(i64, i64),
    Name(String, i64),
}

impl Cursor {
    pub fn encode(&self) -> String {
        match self {
            Cursor::Time(t, id) => format!("t.{t}.{id}"),
            Cursor::Name(n, id) => format!("n.{id}.{n}"),
        }
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let (kind, rest) = s.split_once('.')?;
        let (a, b) = rest.split_once('.')?;
        match kind {
            "t" => Some(Cursor::Time(a.parse().ok()?, b.parse().ok()?)),
            "n" => Some(Cursor::Name(b.to_string(), a.parse().ok()?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> CustomerInput {
        CustomerInput { name: name.into(), kind: "company".into(), ..Default::default() }
    }

    #[test]
    fn a_name_is_enough() {
        let v = input("  北京天度网络科技有限公司 ").validate().unwrap();
        assert_eq!(v.name, "北京天度网络科技有限公司");
        assert_eq!(v.status, CustomerStatus::Potential);
        assert_eq!(v.phone, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut i = input(" ");
        i.email = "not-an-email".into();
        i.phone = "call me".into();
        i.website = "nowhere".into();
        i.tax_id = "123".into();
        i.kind = "robot".into();
        i.code = "C 1".into();
        let errs = i.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in ["name", "email", "phone", "website", "tax_id", "kind", "code"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn accepts_real_world_contact_details() {
        let mut i = input("天度网络（北京）科技有限公司");
        i.email = "Sales@TianDu.com.cn".into();
        i.phone = "+86 (010) 6552-8888 转 123".into();
        i.website = "https://www.tiandu.com.cn/about".into();
        i.tax_id = "91110105mA01abcd2x".into();
        let v = i.validate().unwrap();
        assert_eq!(v.email.as_deref(), Some("sales@tiandu.com.cn"));
        assert_eq!(v.tax_id.as_deref(), Some("91110105MA01ABCD2X"));
    }

    #[test]
    fn financial_and_evaluation_fields_are_checked_and_normalised() {
        let mut i = input("天度网络");
        i.credit_limit = "50,000".into();
        i.credit_currency = "cny".into();
        i.credit_days = "45".into();
        i.credit_control = "warn".into();
        i.rating = "4".into();
        i.tags = "重点， 华东、重点,展会".into();
        i.bank_account = "6222 0200 1234 5678".into();
        let v = i.validate().unwrap();
        assert_eq!((v.credit_limit, v.credit_currency.as_deref(), v.credit_days), (Some(5_000_000), Some("CNY"), Some(45)));
        assert_eq!(v.tags, ["重点", "华东", "展会"]);
        assert_eq!(v.bank_account.as_deref(), Some("6222020012345678"));
        let mut bad = input("x");
        bad.credit_limit = "5万".into();
        bad.credit_days = "-1".into();
        bad.rating = "9".into();
        bad.relationship = "enemy".into();
        bad.tags = (0..11).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["tags", "credit_limit", "credit_days", "relationship", "rating"]);
    }

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert!(input(&"客".repeat(NAME_MAX)).validate().is_ok());
        assert!(input(&"客".repeat(NAME_MAX + 1)).validate().is_err());
    }

    #[test]
    fn cursors_round_trip_including_dots_in_names() {
        for c in [Cursor::Time(1_700_000_000_000, 42), Cursor::Name("A.B. 有限公司".into(), 7)] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("garbage"), None);
        assert_eq!(Cursor::decode("t.x.1"), None);
    }
}

/// What a collaborator may do with a customer shared with them (C3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareAccess {
    /// See the customer, its contacts and timeline, and log follow-ups.
    View,
    /// Also edit the customer.
    Edit,
}

impl ShareAccess {
    pub const ALL: [ShareAccess; 2] = [ShareAccess::View, ShareAccess::Edit];
    pub fn code(self) -> &'static str {
        match self {
            ShareAccess::View => "view",
            ShareAccess::Edit => "edit",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == s)
    }
}

/// A person the customer is shared with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Collaborator {
    pub user_id: i64,
    pub display_name: String,
    pub department_name: Option<String>,
    /// `view` or `edit` ([`ShareAccess::code`]).
    pub access: String,
    pub added_at: i64,
    pub added_by_name: Option<String>,
}

/// The collaborators of one customer, and whether the viewer may change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Collaborators {
    pub rows: Vec<Collaborator>,
    pub can_manage: bool,
}

/// A customer linked to another as related (a branch, a sister company), not a duplicate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedCustomer {
    /// `None` when the related customer lies outside the viewer's scope (name only).
    pub id: Option<i64>,
    pub name: String,
    pub owner_name: Option<String>,
    pub linked_at: i64,
}
