//! Wire types for the signed-in user and their own settings.
use crate::platform::authz::Permissions;
use crate::platform::error::FieldError;
use crate::platform::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The signed-in user as the browser knows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department: Option<String>,
    pub permissions: Permissions,
}

/// What every page needs before it renders: who is signed in and in which language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub me: Option<Me>,
    pub locale: Locale,
    /// Offset used to display UTC times (minutes east of UTC).
    pub tz_offset_minutes: i32,
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// A password that satisfies the policy (length only: NIST SP 800-63B).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let n = s.chars().count();
        if n < PASSWORD_MIN {
            Err(FieldError::new(field, "validation.password_too_short"))
        } else if n > PASSWORD_MAX {
            Err(FieldError::new(field, "validation.too_long"))
        } else {
            Ok(NewPassword(s.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_is_length_based() {
        assert!(NewPassword::parse("p", "short").is_err());
        assert!(NewPassword::parse("p", "长密码长密码长密码").is_ok());
        assert!(NewPassword::parse("p", &"x".repeat(129)).is_err());
        assert_eq!(format!("{:?}", NewPassword::parse("p", "secret-pass").unwrap()), "NewPassword(***)");
    }
}
