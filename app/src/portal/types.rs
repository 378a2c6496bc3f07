//! The customer portal's logins as the staff manage them on a customer's page, and the
//! checks a new login and a customer's request must pass.
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const LOGIN_MAX: usize = 120;
pub const SUBJECT_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
/// What a customer may ask for on the portal: every kind the service desk handles.
pub const PORTAL_KINDS: [&str; 6] = ["repair", "complaint", "consultation", "installation", "return", "feedback"];

/// One portal login of a customer, as its page lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PortalLogin {
    pub id: i64,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub login: String,
    pub display_name: String,
    pub active: bool,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
}

/// A new login: who it is for, what they sign in with, and a first password the staff
/// hand over (the customer changes it on the portal).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortalLoginInput {
    pub contact_id: Option<i64>,
    pub display_name: String,
    pub login: String,
    pub password: String,
}

#[derive(Clone, PartialEq)]
pub struct ValidLogin {
    pub contact_id: Option<i64>,
    pub display_name: String,
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for ValidLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidLogin").field("display_name", &self.display_name).field("login", &self.login).finish_non_exhaustive()
    }
}

/// A login is an e-mail address or a mobile number, compared without case or spaces.
pub fn normalize_login(s: &str) -> String {
    s.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
}

fn login_shape_ok(login: &str) -> bool {
    if let Some((user, domain)) = login.split_once('@') {
        return !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@');
    }
    let digits = login.strip_prefix('+').unwrap_or(login);
    (6..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

impl PortalLoginInput {
    pub fn validate(&self) -> Result<ValidLogin, Vec<FieldError>> {
        let mut errors = Vec::new();
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() {
            errors.push(FieldError::new("display_name", "validation.required"));
        } else if display_name.chars().count() > NAME_MAX {
            errors.push(FieldError::new("display_name", "validation.too_long"));
        }
        let login = normalize_login(&self.login);
        if login.is_empty() {
            errors.push(FieldError::new("login", "validation.required"));
        } else if login.chars().count() > LOGIN_MAX {
            errors.push(FieldError::new("login", "validation.too_long"));
        } else if !login_shape_ok(&login) {
            errors.push(FieldError::new("login", "portal.login_invalid"));
        }
        if let Err(e) = crate::account::types::NewPassword::parse("password", &self.password) {
            errors.push(e);
        }
        if errors.is_empty() {
            Ok(ValidLogin { contact_id: self.contact_id, display_name, login, password: self.password.clone() })
        } else {
            Err(errors)
        }
    }
}

/// What a customer fills in on the portal's request form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortalRequestForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub description: String,
    /// One of the customer's installed assets, as its id; empty for none.
    #[serde(default)]
    pub asset: String,
    /// "on" when the customer marks it urgent (a checkbox).
    #[serde(default)]
    pub urgent: Option<String>,
}

/// A customer's rating of a resolved request: the score (1–5) as the radio sent it and
/// what they wrote.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

impl RatingForm {
    /// The score; a dissatisfied customer (1–3) is asked to say what went wrong.
    pub fn validate(&self) -> Result<i64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let score = match self.score.trim().parse::<i64>() {
            Ok(s) if (1..=5).contains(&s) => s,
            _ => {
                errors.push(FieldError::new("score", "portal.rate_pick"));
                0
            }
        };
        let comment = self.comment.trim();
        if comment.chars().count() > TEXT_MAX {
            errors.push(FieldError::new("comment", "validation.too_long"));
        } else if (1..=3).contains(&score) && comment.is_empty() {
            errors.push(FieldError::new("comment", "portal.rate_why"));
        }
        if errors.is_empty() {
            Ok(score)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_needs_a_score_and_words_when_unhappy() {
        let rate = |score: &str, comment: &str| RatingForm { score: score.into(), comment: comment.into() }.validate();
        assert_eq!(rate("5", ""), Ok(5));
        assert_eq!(rate(" 2 ", "还是报警"), Ok(2));
        let codes = |r: Result<i64, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.code).collect::<Vec<_>>();
        assert_eq!(codes(rate("", "")), ["portal.rate_pick"]);
        assert_eq!(codes(rate("6", "")), ["portal.rate_pick"]);
        assert_eq!(codes(rate("2", "  ")), ["portal.rate_why"]);
    }

    fn input(login: &str, password: &str) -> PortalLoginInput {
        PortalLoginInput { contact_id: None, display_name: "王芳".into(), login: login.into(), password: password.into() }
    }

    #[test]
    fn logins_are_emails_or_mobiles_without_case_or_spaces() {
        assert_eq!(input(" Wang.Fang@Example.COM ", "long-enough-1").validate().unwrap().login, "wang.fang@example.com");
        assert_eq!(input("138 0013 8000", "long-enough-1").validate().unwrap().login, "13800138000");
        assert_eq!(input("+86-13800138000", "long-enough-1").validate().unwrap().login, "+86-13800138000");
        for bad in ["wang", "a@b", "@example.com", "12345", "a@.com"] {
            let e = input(bad, "long-enough-1").validate().unwrap_err();
            assert_eq!(e[0].code, "portal.login_invalid", "{bad}");
        }
    }

    #[test]
    fn a_login_needs_a_name_and_a_real_password() {
        let mut i = input("wang@example.com", "short");
        i.display_name = "  ".into();
        let fields: Vec<String> = i.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["display_name".to_string(), "password".to_string()]);
        // The password never shows in logs.
        let ok = input("wang@example.com", "a-secret-password").validate().unwrap();
        assert!(!format!("{ok:?}").contains("a-secret-password"));
    }
}
