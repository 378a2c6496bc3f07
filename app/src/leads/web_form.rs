//! The public web form (S1, I3): a small server-rendered page outside the staff app,
//! for a company's website, mail signature or a QR code on a brochure. It needs no
//! sign-in and no JavaScript, and reaches nothing but [`submit_web`].
//!
//! Spam protection, cheapest check first:
//! - a honeypot field people never see (bots that fill it are thanked and ignored);
//! - a signed time token from the page: a submission sooner than [`MIN_FILL_MS`] after
//!   the page was served, or older than [`MAX_AGE_MS`], or with a forged token, is sent
//!   back to the visitor to send again;
//! - more than two links in the message is refused;
//! - [`WEB_HOURLY_LIMIT`] submissions per client address per hour (kept in the
//!   database, so it holds across app servers);
//! - a repeat with the same e-mail or mobile within minutes folds into the first lead.
use crate::leads::service::{submit_web, WebOutcome, WEB_HOURLY_LIMIT};
use crate::leads::types::WebLeadForm;
use crate::platform::db::{sql, Db};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::{tr, Locale};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const PATH: &str = "/forms/lead";
/// People take longer than this to fill in the form; scripts do not.
pub const MIN_FILL_MS: i64 = 3_000;
pub const MAX_AGE_MS: i64 = 24 * 3_600_000;
const SECRET_KEY: &str = "web_form.secret";

/// The key that signs form tokens: made once per installation and kept in `settings`,
/// so every app server shares it.
pub async fn secret(db: &Db) -> AppResult<Vec<u8>> {
    let mut tx = db.write().await?;
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    sql("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, 0) ON CONFLICT (key) DO NOTHING")
        .arg_text(SECRET_KEY)
        .arg_text(fresh)
        .execute(&mut tx)
        .await?;
    let (value,): (String,) = sql("SELECT value FROM settings WHERE key = $1").arg_text(SECRET_KEY).fetch_one(&mut tx).await?;
    tx.commit().await?;
    hex::decode(value).map_err(AppError::internal)
}

fn mac(secret: &[u8], issued: i64) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(format!("lead-form:{issued}").as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// A token saying "this server served the form at `now`".
pub fn issue_token(secret: &[u8], now: i64) -> String {
    format!("{now}.{}", mac(secret, now))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenCheck {
    Fine,
    TooFast,
    /// Expired, forged or missing.
    Invalid,
}

pub fn check_token(secret: &[u8], token: &str, now: i64) -> TokenCheck {
    let Some((issued, sig)) = token.split_once('.') else { return TokenCheck::Invalid };
    let Ok(issued) = issued.parse::<i64>() else { return TokenCheck::Invalid };
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(format!("lead-form:{issued}").as_bytes());
    let Ok(sig) = hex::decode(sig) else { return TokenCheck::Invalid };
    if m.verify_slice(&sig).is_err() || now - issued > MAX_AGE_MS || issued > now + 60_000 {
        return TokenCheck::Invalid;
    }
    if now - issued < MIN_FILL_MS {
        return TokenCheck::TooFast;
    }
    TokenCheck::Fine
}

fn links(text: &str) -> usize {
    let t = text.to_lowercase();
    t.matches("http://").count() + t.matches("https://").count() + t.matches("www.").count()
}

/// What the handler answers: an HTTP status and a whole HTML page.
pub struct Page {
    pub status: u16,
    pub html: String,
}

/// Handles a submission end to end.
pub async fn handle(db: &Db, form: &WebLeadForm, ip: &str, now: i64, locale: Locale) -> Page {
    let key = match secret(db).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = ?e, "web form secret unavailable");
            return Page { status: 503, html: render(locale, form, &[FieldError::new("form", "error.internal")], "") };
        }
    };
    let again = |errors: &[FieldError]| render(locale, form, errors, &issue_token(&key, now));
    if !form.website.trim().is_empty() {
        tracing::warn!(%ip, "web form honeypot filled; ignored");
        return Page { status: 200, html: render_thanks(locale) };
    }
    match check_token(&key, &form.token, now) {
        TokenCheck::Fine => {}
        TokenCheck::TooFast => return Page { status: 422, html: again(&[FieldError::new("form", "webform.too_fast")]) },
        TokenCheck::Invalid => return Page { status: 422, html: again(&[FieldError::new("form", "webform.expired")]) },
    }
    if links(&form.needs) > 2 {
        return Page { status: 422, html: again(&[FieldError::new("needs", "webform.too_many_links")]) };
    }
    match submit_web(db, &form.to_input(), ip, now).await {
        Ok(WebOutcome::Created(id)) => {
            tracing::info!(lead = id, "web form lead created");
            Page { status: 200, html: render_thanks(locale) }
        }
        Ok(WebOutcome::Repeated(id)) => {
            tracing::info!(lead = id, "web form repeat folded into an earlier lead");
            Page { status: 200, html: render_thanks(locale) }
        }
        Err(AppError::Validation(errors)) => {
            let status = if errors.iter().any(|e| e.code == "webform.rate_limited") { 429 } else { 422 };
            if status == 429 {
                tracing::warn!(%ip, limit = WEB_HOURLY_LIMIT, "web form rate limit reached");
            }
            Page { status, html: again(&errors) }
        }
        Err(e) => {
            tracing::error!(error = ?e, "web form submission failed");
            Page { status: 500, html: again(&[FieldError::new("form", "error.internal")]) }
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(locale: Locale, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/crm.css\"></head>\
         <body class=\"min-h-screen bg-slate-50 text-slate-900\"><main class=\"mx-auto max-w-lg px-4 py-8\">{body}</main></body></html>",
        lang = locale.code(),
        title = esc(&tr(locale, "webform.title")),
    )
}

/// The form, with the visitor's values and the errors of a refused submission.
pub fn render(locale: Locale, form: &WebLeadForm, errors: &[FieldError], token: &str) -> String {
    let t = |k: &str| esc(&tr(locale, k));
    let err = |field: &str| errors.iter().find(|e| e.field == field).map(|e| tr(locale, &e.code));
    let banner = err("form")
        .map(|m| {
            format!(
                "<div role=\"alert\" class=\"mb-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800\">{}</div>",
                esc(&m)
            )
        })
        .unwrap_or_default();
    let field = |name: &str, label: &str, value: &str, kind: &str, required: bool, autocomplete: &str| {
        let e = err(name);
        format!(
            "<div class=\"mb-3 flex flex-col gap-1\"><label for=\"{name}\" class=\"text-sm font-medium text-slate-700\">{label}{star}</label>\
             <input id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{value}\" autocomplete=\"{autocomplete}\" maxlength=\"200\"{req} \
             aria-invalid=\"{invalid}\" aria-describedby=\"{name}-error\" \
             class=\"min-h-11 rounded-md border border-slate-300 px-3 py-2 text-base aria-[invalid=true]:border-red-500\">\
             <p id=\"{name}-error\" class=\"min-h-5 text-sm text-red-600\">{msg}</p></div>",
            star = if required { "<span class=\"text-red-600\" aria-hidden=\"true\"> *</span>" } else { "" },
            value = esc(value),
            req = if required { " required" } else { "" },
            invalid = e.is_some(),
            msg = e.map(|m| esc(&m)).unwrap_or_default(),
        )
    };
    let needs_err = err("needs");
    let body = format!(
        "<h1 class=\"mb-2 text-2xl font-bold\">{title}</h1><p class=\"mb-4 text-slate-600\">{intro}</p>{banner}\
         <form method=\"post\" action=\"{PATH}\" class=\"rounded-lg border border-slate-200 bg-white p-4\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\"><input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
         {name}{company}{mobile}{email}{region}\
         <div class=\"mb-3 flex flex-col gap-1\"><label for=\"needs\" class=\"text-sm font-medium text-slate-700\">{needs_label}</label>\
         <textarea id=\"needs\" name=\"needs\" rows=\"4\" maxlength=\"2000\" aria-invalid=\"{needs_invalid}\" aria-describedby=\"needs-error\" \
         class=\"rounded-md border border-slate-300 px-3 py-2 text-base\">{needs}</textarea>\
         <p id=\"needs-error\" class=\"min-h-5 text-sm text-red-600\">{needs_msg}</p></div>\
         <div aria-hidden=\"true\" style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\">\
         <label for=\"website\">{honeypot}</label><input id=\"website\" name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>\
         <p class=\"mb-3 text-sm text-slate-500\">{required_note}</p>\
         <button type=\"submit\" class=\"inline-flex min-h-11 w-full items-center justify-center rounded-md bg-blue-700 px-4 py-2 text-base font-medium text-white\">{submit}</button>\
         </form>",
        title = t("webform.title"),
        intro = t("webform.intro"),
        token = esc(token),
        lang = locale.code(),
        name = field("name", &t("webform.name"), &form.name, "text", true, "name"),
        company = field("company", &t("webform.company"), &form.company, "text", false, "organization"),
        mobile = field("mobile", &t("webform.mobile"), &form.mobile, "tel", false, "tel"),
        email = field("email", &t("webform.email"), &form.email, "email", false, "email"),
        region = field("region", &t("webform.region"), &form.region, "text", false, "address-level1"),
        needs_label = t("webform.needs"),
        needs_invalid = needs_err.is_some(),
        needs = esc(&form.needs),
        needs_msg = needs_err.map(|m| esc(&m)).unwrap_or_default(),
        honeypot = t("webform.honeypot"),
        required_note = t("webform.required_note"),
        submit = t("webform.submit"),
    );
    page(locale, &body)
}

pub fn render_thanks(locale: Locale) -> String {
    let t = |k: &str| esc(&tr(locale, k));
    page(
        locale,
        &format!(
            "<div role=\"status\" class=\"rounded-lg border border-green-300 bg-green-50 p-6\"><h1 class=\"mb-2 text-2xl font-bold\">{}</h1>\
             <p class=\"mb-4\">{}</p><a class=\"text-blue-800 underline\" href=\"{PATH}?lang={}\">{}</a></div>",
            t("webform.thanks_title"),
            t("webform.thanks"),
            locale.code(),
            t("webform.again"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_signed_and_timed() {
        let key = b"secret-key";
        let token = issue_token(key, 1_000_000);
        assert_eq!(check_token(key, &token, 1_000_000 + MIN_FILL_MS), TokenCheck::Fine);
        assert_eq!(check_token(key, &token, 1_000_500), TokenCheck::TooFast);
        assert_eq!(check_token(key, &token, 1_000_000 + MAX_AGE_MS + 1), TokenCheck::Invalid);
        assert_eq!(check_token(b"other-key", &token, 1_010_000), TokenCheck::Invalid);
        // An earlier time with the old signature is a forgery.
        let forged = token.replacen("1000000", "999999", 1);
        assert_eq!(check_token(key, &forged, 1_010_000), TokenCheck::Invalid);
        assert_eq!(check_token(key, "", 1_010_000), TokenCheck::Invalid);
        assert_eq!(check_token(key, "12.zz", 1_010_000), TokenCheck::Invalid);
    }

    #[test]
    fn the_form_escapes_what_the_visitor_typed_and_shows_errors_by_their_fields() {
        let form = WebLeadForm { name: "<script>alert(1)</script>".into(), needs: "a \"quote\" & more".into(), ..Default::default() };
        let html = render(Locale::En, &form, &[FieldError::new("email", "validation.email")], "1.ab");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a &quot;quote&quot; &amp; more</textarea>"));
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
        assert!(html.contains("name=\"website\""));
        assert!(html.contains(&format!("action=\"{PATH}\"")));
    }

    #[test]
    fn links_are_counted() {
        assert_eq!(links("see https://a.cn and http://b.cn and www.c.cn"), 3);
        assert_eq!(links("我们需要五十个账号"), 0);
    }
}
