//! Contact wire types (C5) and their validation.
use crate::customers::types::{is_valid_email, is_valid_phone};
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const SHORT_MAX: usize = 100;
pub const LONG_MAX: usize = 2000;

/// The part a contact plays in the customer's buying decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionRole {
    DecisionMaker,
    Influencer,
    Evaluator,
    User,
    Gatekeeper,
    Champion,
}

impl DecisionRole {
    pub const ALL: [DecisionRole; 6] = [
        DecisionRole::DecisionMaker,
        DecisionRole::Influencer,
        DecisionRole::Evaluator,
        DecisionRole::User,
        DecisionRole::Gatekeeper,
        DecisionRole::Champion,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DecisionRole::DecisionMaker => "decision_maker",
            DecisionRole::Influencer => "influencer",
            DecisionRole::Evaluator => "evaluator",
            DecisionRole::User => "user",
            DecisionRole::Gatekeeper => "gatekeeper",
            DecisionRole::Champion => "champion",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

pub const GENDERS: [&str; 2] = ["male", "female"];

/// Raw form input, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInput {
    pub name: String,
    pub gender: String,
    pub title: String,
    pub dept: String,
    pub mobile: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub qq: String,
    /// `YYYY-MM-DD`.
    pub birthday: String,
    pub hobbies: String,
    pub family: String,
    pub background: String,
    pub preferences: String,
    pub decision_role: String,
    pub reports_to_id: Option<i64>,
    pub is_primary: bool,
    pub notes: String,
}

/// A contact that passed validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidContact {
    pub name: String,
    pub gender: Option<String>,
    pub title: Option<String>,
    pub dept: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub qq: Option<String>,
    pub birthday: Option<String>,
    /// month * 100 + day of the birthday.
    pub birthday_md: Option<i64>,
    pub hobbies: Option<String>,
    pub family: Option<String>,
    pub background: Option<String>,
    pub preferences: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub reports_to_id: Option<i64>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses `YYYY-MM-DD` into (year, month, day) when it is a real calendar date.
pub fn parse_birthday(s: &str) -> Option<(i64, i64, i64)> {
    crate::platform::time::parse_date_ms(s, 0)?;
    let mut it = s.trim().splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    (1900..=2100).contains(&y).then_some((y, m, d))
}

impl ContactInput {
    pub fn validate(&self) -> Result<ValidContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &str, v: &str, max: usize| {
            let v = opt(v);
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                errors.push(FieldError::new(field, "validation.too_long"));
            }
            v
        };
        let name = text("name", &self.name, NAME_MAX);
        let title = text("title", &self.title, SHORT_MAX);
        let dept = text("dept", &self.dept, SHORT_MAX);
        let wechat = text("wechat", &self.wechat, SHORT_MAX);
        let hobbies = text("hobbies", &self.hobbies, LONG_MAX);
        let family = text("family", &self.family, LONG_MAX);
        let background = text("background", &self.background, LONG_MAX);
        let preferences = text("preferences", &self.preferences, LONG_MAX);
        let notes = text("notes", &self.notes, LONG_MAX);
        let mobile = text("mobile", &self.mobile, 40);
        let phone = text("phone", &self.phone, 40);
        let email = text("email", &self.email, 254).map(|e| e.to_lowercase());
        let qq = text("qq", &self.qq, 20);
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
        if qq.as_deref().is_some_and(|q| q.len() < 5 || !q.chars().all(|c| c.is_ascii_digit())) {
            errors.push(FieldError::new("qq", "validation.qq"));
        }
        let gender = opt(&self.gender);
        if gender.as_deref().is_some_and(|g| !GENDERS.contains(&g)) {
            errors.push(FieldError::new("gender", "validation.invalid_choice"));
        }
        let decision_role = match opt(&self.decision_role) {
            Some(r) => DecisionRole::from_code(&r).or_else(|| {
                errors.push(FieldError::new("decision_role", "validation.invalid_choice"));
                None
            }),
            None => None,
        };
        let (birthday, birthday_md) = match opt(&self.birthday) {
            Some(b) => match parse_birthday(&b) {
                Some((y, m, d)) => (Some(format!("{y:04}-{m:02}-{d:02}")), Some(m * 100 + d)),
                None => {
                    errors.push(FieldError::new("birthday", "validation.date"));
                    (None, None)
                }
            },
            None => (None, None),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidContact {
            name: name.unwrap_or_default(),
            gender,
            title,
            dept,
            mobile,
            phone,
            email,
            wechat,
            qq,
            birthday,
            birthday_md,
            hobbies,
            family,
            background,
            preferences,
            decision_role,
            reports_to_id: self.reports_to_id,
            is_primary: self.is_primary,
            notes,
        })
    }
}

/// A contact as shown on the customer page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub gender: Option<String>,
    pub title: Option<String>,
    pub dept: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub qq: Option<String>,
    pub birthday: Option<String>,
    pub hobbies: Option<String>,
    pub family: Option<String>,
    pub background: Option<String>,
    pub preferences: Option<String>,
    pub decision_role: Option<String>,
    pub reports_to_id: Option<i64>,
    pub is_primary: bool,
    pub notes: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

impl Contact {
    pub fn to_input(&self) -> ContactInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactInput {
            name: self.name.clone(),
            gender: s(&self.gender),
            title: s(&self.title),
            dept: s(&self.dept),
            mobile: s(&self.mobile),
            phone: s(&self.phone),
            email: s(&self.email),
            wechat: s(&self.wechat),
            qq: s(&self.qq),
            birthday: s(&self.birthday),
            hobbies: s(&self.hobbies),
            family: s(&self.family),
            background: s(&self.background),
            preferences: s(&self.preferences),
            decision_role: s(&self.decision_role),
            reports_to_id: self.reports_to_id,
            is_primary: self.is_primary,
            notes: s(&self.notes),
        }
    }
}

/// The contacts of one customer and what the viewer may do with them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerContacts {
    pub contacts: Vec<Contact>,
    pub can_edit: bool,
}

/// One row of the upcoming-birthdays list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BirthdayRow {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub mobile: Option<String>,
    pub birthday: String,
    pub birthday_md: i64,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub days_until: i64,
}

/// A node of the reports-to chart: a contact and the people reporting to them.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgNode {
    pub contact: Contact,
    pub reports: Vec<OrgNode>,
}

/// Builds the reports-to forest. Contacts whose manager is missing (or who sit in a
/// cycle) become roots, so every contact appears exactly once.
pub fn org_chart(contacts: &[Contact]) -> Vec<OrgNode> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<i64> = contacts.iter().map(|c| c.id).collect();
    let mut children: HashMap<i64, Vec<&Contact>> = HashMap::new();
    let mut roots: Vec<&Contact> = Vec::new();
    for c in contacts {
        match c.reports_to_id.filter(|m| ids.contains(m) && *m != c.id) {
            Some(m) => children.entry(m).or_default().push(c),
            None => roots.push(c),
        }
    }
    fn build(c: &Contact, children: &std::collections::HashMap<i64, Vec<&Contact>>, seen: &mut HashSet<i64>) -> OrgNode {
        seen.insert(c.id);
        let mut reports = Vec::new();
        for k in children.get(&c.id).into_iter().flatten() {
            if !seen.contains(&k.id) {
                reports.push(build(k, children, seen));
            }
        }
        OrgNode { contact: c.clone(), reports }
    }
    let mut seen = HashSet::new();
    let mut forest: Vec<OrgNode> = roots.iter().map(|c| build(c, &children, &mut seen)).collect();
    // Members of a reports-to cycle are unreachable from any root: show them at the top.
    for c in contacts {
        if !seen.contains(&c.id) {
            forest.push(build(c, &children, &mut seen));
        }
    }
    forest
}

/// Days from `today` (month, day) to the next `md` birthday, 0..=365, in a non-leap sense
/// except that 29 February counts as 1 March in non-leap years.
pub fn days_until_birthday(today: (i64, i64, i64), md: i64) -> i64 {
    let (y, m, d) = today;
    let day_of_year = |y: i64, m: i64, d: i64| -> Option<i64> {
        let start = crate::platform::time::parse_date_ms(&format!("{y:04}-01-01"), 0)?;
        let at = crate::platform::time::parse_date_ms(&format!("{y:04}-{m:02}-{d:02}"), 0)
            .or_else(|| crate::platform::time::parse_date_ms(&format!("{y:04}-03-01"), 0))?;
        Some((at - start) / 86_400_000)
    };
    let today_doy = day_of_year(y, m, d).unwrap_or(0);
    let (bm, bd) = (md / 100, md % 100);
    let this_year = day_of_year(y, bm, bd).unwrap_or(0);
    if this_year >= today_doy {
        this_year - today_doy
    } else {
        let year_len = day_of_year(y, 12, 31).unwrap_or(364) + 1;
        year_len - today_doy + day_of_year(y + 1, bm, bd).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: i64, reports_to: Option<i64>) -> Contact {
        Contact {
            id,
            customer_id: 1,
            name: format!("c{id}"),
            gender: None,
            title: None,
            dept: None,
            mobile: None,
            phone: None,
            email: None,
            wechat: None,
            qq: None,
            birthday: None,
            hobbies: None,
            family: None,
            background: None,
            preferences: None,
            decision_role: None,
            reports_to_id: reports_to,
            is_primary: false,
            notes: None,
            version: 1,
            updated_at: 0,
        }
    }

    #[test]
    fn validates_every_field_at_once() {
        let i = ContactInput {
            name: " ".into(),
            mobile: "abc".into(),
            email: "x@".into(),
            qq: "12a".into(),
            birthday: "1985-02-30".into(),
            decision_role: "boss".into(),
            gender: "x".into(),
            ..Default::default()
        };
        let fields: Vec<String> = i.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        for f in ["name", "mobile", "email", "qq", "birthday", "decision_role", "gender"] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn normalises_birthday_and_email() {
        let i = ContactInput {
            name: "王建国".into(),
            birthday: "1978-3-9".into(),
            email: "Wang@Example.CN".into(),
            decision_role: "decision_maker".into(),
            ..Default::default()
        };
        let v = i.validate().unwrap();
        assert_eq!(v.birthday.as_deref(), Some("1978-03-09"));
        assert_eq!(v.birthday_md, Some(309));
        assert_eq!(v.email.as_deref(), Some("wang@example.cn"));
        assert_eq!(v.decision_role, Some(DecisionRole::DecisionMaker));
    }

    #[test]
    fn org_chart_nests_reports_and_survives_cycles_and_missing_managers() {
        let cs = vec![
            contact(1, None),
            contact(2, Some(1)),
            contact(3, Some(2)),
            contact(4, Some(99)),
            contact(5, Some(6)),
            contact(6, Some(5)),
        ];
        let forest = org_chart(&cs);
        let roots: Vec<i64> = forest.iter().map(|n| n.contact.id).collect();
        assert_eq!(roots[..2], [1, 4]);
        assert_eq!(forest[0].reports[0].contact.id, 2);
        assert_eq!(forest[0].reports[0].reports[0].contact.id, 3);
        fn count(n: &[OrgNode]) -> usize {
            n.iter().map(|x| 1 + count(&x.reports)).sum()
        }
        assert_eq!(count(&forest), 6, "every contact appears exactly once");
    }

    #[test]
    fn days_until_birthday_wraps_the_year() {
        assert_eq!(days_until_birthday((2026, 11, 30), 1130), 0);
        assert_eq!(days_until_birthday((2026, 11, 30), 1201), 1);
        assert_eq!(days_until_birthday((2026, 12, 31), 101), 1);
        assert_eq!(days_until_birthday((2026, 2, 27), 229), 2, "29 Feb falls on 1 Mar in a common year");
        assert_eq!(days_until_birthday((2026, 11, 30), 1129), 364);
    }
}
