//! Server functions for the signed-in user.
use crate::account::types::SessionInfo;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Who is signed in and which language to render in. Public: the login page needs the language.
#[server(input = GetUrl, endpoint = "session_info")]
pub async fn get_session_info() -> Result<SessionInfo, AppError> {
    use crate::account::types::Me;
    use crate::platform::request;
    let locale = request_locale();
    let me = match request::current_user() {
        Ok(u) => {
            let db = request::db()?;
            let mut tx = db.read().await?;
            let department: Option<(String,)> = crate::platform::db::sql("SELECT name FROM departments WHERE id = $1")
                .arg_i64(u.department_id.unwrap_or(-1))
                .fetch_optional(&mut tx)
                .await?;
            Some(Me {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                department: department.map(|d| d.0),
                permissions: u.permissions,
            })
        }
        Err(_) => None,
    };
    Ok(SessionInfo { me, locale, tz_offset_minutes: tz_offset_minutes() })
}

/// Changes the signed-in user's password.
#[server]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::platform::request;
    let user = request::current_user()?;
    crate::account::service::change_password(&request::db()?, &user, &current, &new, &confirm).await
}

/// Language for this request: the user's setting, else the `crm_lang` cookie, else Accept-Language.
#[cfg(feature = "ssr")]
pub fn request_locale() -> crate::platform::i18n::Locale {
    use crate::platform::i18n::Locale;
    use crate::platform::request;
    if let Some(l) = request::current_user().ok().and_then(|u| u.locale) {
        return l;
    }
    if let Some(l) = request::header("cookie").and_then(|c| cookie_value(&c, "crm_lang")).and_then(|v| Locale::from_tag(&v)) {
        return l;
    }
    Locale::negotiate(&request::header("accept-language").unwrap_or_default())
}

/// Display offset for times. China Standard Time unless CRM_TZ_OFFSET_MINUTES says otherwise.
#[cfg(feature = "ssr")]
pub fn tz_offset_minutes() -> i32 {
    std::env::var("CRM_TZ_OFFSET_MINUTES").ok().and_then(|v| v.parse().ok()).filter(|m: &i32| m.abs() <= 14 * 60).unwrap_or(480)
}

/// Value of one cookie in a `Cookie` header.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::cookie_value;

    #[test]
    fn reads_one_cookie_among_many() {
        assert_eq!(cookie_value("a=1; crm_lang=zh-TW; b=2", "crm_lang").as_deref(), Some("zh-TW"));
        assert_eq!(cookie_value("crm_langx=en", "crm_lang"), None);
        assert_eq!(cookie_value("", "crm_lang"), None);
    }
}
