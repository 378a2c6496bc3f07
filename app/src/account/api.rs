//! Server functions for the signed-in user.
use crate::account::types::SessionInfo;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// Who is signed in and which language to render in, known without a round trip:
/// on the server from the request (the session middleware loaded the user), in the
/// browser from the JSON the server embedded in the page head (see `crate::shell`).
pub fn current_session_info() -> SessionInfo {
    #[cfg(feature = "ssr")]
    {
        server_session_info()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(SESSION_INFO_ID))
            .and_then(|e| e.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        SessionInfo::default()
    }
}

/// Id of the `<script type="application/json">` element carrying the session info.
pub const SESSION_INFO_ID: &str = "crm-session";

#[cfg(feature = "ssr")]
fn server_session_info() -> SessionInfo {
    use crate::account::types::Me;
    let me = crate::platform::request::current_user().ok().map(|u| Me {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        department: u.department_name,
        permissions: u.permissions,
    });
    SessionInfo { me, locale: request_locale(), tz_offset_minutes: tz_offset_minutes() }
}

/// The session info as JSON that is safe inside a `<script>` element.
#[cfg(feature = "ssr")]
pub fn session_info_json() -> String {
    serde_json::to_string(&server_session_info())
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
