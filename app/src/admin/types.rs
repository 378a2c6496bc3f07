//! Wire types for administration: users, departments, roles, audit log.
use crate::platform::authz::{Action, Entity, Scope};
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const USERNAME_MAX: usize = 50;
pub const DISPLAY_NAME_MAX: usize = 100;
pub const DEPARTMENT_NAME_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub active: bool,
    pub roles: Vec<String>,
    pub version: i64,
}

/// Form input for creating or editing a user. An empty password on edit keeps the current one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub department_id: Option<i64>,
    pub roles: Vec<String>,
    pub active: bool,
    pub password: String,
}

/// Validated user fields (password checked separately, it is never echoed back).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub roles: Vec<String>,
    pub active: bool,
}

impl UserInput {
    pub fn validate(&self) -> Result<ValidUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let username = self.username.trim().to_lowercase();
        if username.is_empty() {
            errors.push(FieldError::new("username", "validation.required"));
        } else if username.chars().count() > USERNAME_MAX {
            errors.push(FieldError::new("username", "validation.too_long"));
        } else if !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            errors.push(FieldError::new("username", "validation.username_chars"));
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() {
            errors.push(FieldError::new("display_name", "validation.required"));
        } else if display_name.chars().count() > DISPLAY_NAME_MAX {
            errors.push(FieldError::new("display_name", "validation.too_long"));
        }
        let email = Some(self.email.trim().to_lowercase()).filter(|e| !e.is_empty());
        if email.as_deref().is_some_and(|e| !crate::customers::types::is_valid_email(e)) {
            errors.push(FieldError::new("email", "validation.email"));
        }
        let mut roles: Vec<String> = self.roles.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
        roles.sort();
        roles.dedup();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidUser { username, display_name, email, department_id: self.department_id, roles, active: self.active })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DepartmentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub path: String,
    pub version: i64,
    pub user_count: i64,
}

impl DepartmentRow {
    /// Nesting depth from the materialised path (`/1/` is 0).
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub builtin: bool,
    pub user_count: i64,
    pub permissions: Vec<(Entity, Action, Scope)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: String,
    pub request_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub next: Option<i64>,
}

/// The actions the audit log records, for the filter.
pub const AUDIT_ACTIONS: [&str; 31] = [
    "login",
    "logout",
    "login_failed",
    "login_locked",
    "password_change",
    "create",
    "update",
    "delete",
    "restore",
    "export",
    "reassign",
    "release",
    "claim",
    "auto_return",
    "complete",
    "merge",
    "unmerge",
    "not_duplicate",
    "link",
    "unlink",
    "share",
    "unshare",
    "import",
    "move",
    "win",
    "lose",
    "target",
    "register",
    "approve",
    "reject",
    "convert",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        let ok = UserInput { username: " Li.Na ".into(), display_name: "李娜".into(), ..Default::default() }.validate().unwrap();
        assert_eq!(ok.username, "li.na");
        let bad = UserInput { username: "李 娜".into(), display_name: "".into(), email: "x".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "display_name", "email"]);
    }

    #[test]
    fn department_depth_from_path() {
        let d = |path: &str| DepartmentRow { id: 1, parent_id: None, name: "x".into(), path: path.into(), version: 1, user_count: 0 };
        assert_eq!(d("/1/").depth(), 0);
        assert_eq!(d("/1/4/9/").depth(), 2);
    }
}
