//! Sign-in and personal settings pages.
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, use_session, LanguageSwitcher, PageHeader, TextField, BTN_PRIMARY};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The login form posts to `/login` as a plain HTML form, so it works before
/// the WASM loads and needs no client state; errors come back in the query.
#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let error = move || query.read().get("error");
    let username = move || query.read().get("username").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/customers".to_string());
    let message = move || {
        error().map(|e| match e.as_str() {
            "locked" => {
                let secs: i64 = query.read().get("retry").and_then(|r| r.parse().ok()).unwrap_or(900);
                error_text(t, &AppError::RateLimited { retry_after_secs: secs })
            }
            "required" => t.t("auth.fill_both"),
            "csrf" => t.t("error.forbidden"),
            _ => t.t("auth.invalid_credentials"),
        })
    };
    view! {
        <div class="flex min-h-screen flex-col items-center justify-center bg-slate-50 px-4">
            <div class="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                <h1 class="mb-1 text-2xl font-bold text-blue-800">{t.t("app.name")}</h1>
                <p class="mb-6 text-slate-600">{t.t("auth.sign_in_prompt")}</p>
                <form method="post" action="/auth/login" class="flex flex-col gap-3">
                    <input type="hidden" name="next" value=next/>
                    <div class="flex flex-col gap-1">
                        <label for="username" class="text-sm font-medium">{t.t("auth.username")}</label>
                        <input
                            id="username"
                            name="username"
                            autocomplete="username"
                            required
                            maxlength="50"
                            class="min-h-11 rounded-md border border-slate-300 px-3 text-base"
                            value=username
                        />
                    </div>
                    <div class="flex flex-col gap-1">
                        <label for="password" class="text-sm font-medium">{t.t("auth.password")}</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            maxlength="128"
                            aria-describedby="login-error"
                            class="min-h-11 rounded-md border border-slate-300 px-3 text-base"
                        />
                        <p id="login-error" role="alert" class="min-h-5 text-sm text-red-600">{message}</p>
                    </div>
                    <button type="submit" class=BTN_PRIMARY>{t.t("auth.sign_in")}</button>
                </form>
            </div>
            <div class="mt-4">
                <LanguageSwitcher/>
            </div>
        </div>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_i18n();
    let session = use_session();
    let me = session.me.clone();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let change = Action::new(move |args: &(String, String, String)| {
        let (c, n, f) = args.clone();
        async move { crate::account::api::change_password(c, n, f).await }
    });
    let result = change.value();
    let field_error = move |f: &'static str| Signal::derive(move || result.get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let general_error = Signal::derive(move || result.get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))));
    Effect::new(move |_| {
        if let Some(Ok(())) = result.get() {
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        }
    });
    view! {
        <PageHeader title=t.t("account.title")/>
        <div class="grid max-w-3xl gap-6 md:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-3 font-semibold">{t.t("account.profile")}</h2>
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                    <dt class="text-slate-500">{t.t("auth.username")}</dt>
                    <dd>{me.as_ref().map(|m| m.username.clone())}</dd>
                    <dt class="text-slate-500">{t.t("users.display_name")}</dt>
                    <dd>{me.as_ref().map(|m| m.display_name.clone())}</dd>
                    <dt class="text-slate-500">{t.t("users.department")}</dt>
                    <dd>{me.as_ref().and_then(|m| m.department.clone()).unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <h2 class="mb-2 mt-6 font-semibold">{t.t("nav.language")}</h2>
                <LanguageSwitcher/>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-3 font-semibold">{t.t("account.change_password")}</h2>
                <form
                    class="flex flex-col gap-2"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        change.dispatch((current.get_untracked(), new.get_untracked(), confirm.get_untracked()));
                    }
                >
                    <TextField id="current" label=t.t("account.current_password") value=current error=field_error("current") input_type="password" autocomplete="current-password" required=true/>
                    <TextField id="new" label=t.t("account.new_password") value=new error=field_error("new") input_type="password" autocomplete="new-password" required=true/>
                    <TextField id="confirm" label=t.t("account.confirm_password") value=confirm error=field_error("confirm") input_type="password" autocomplete="new-password" required=true/>
                    <crate::ui::ErrorBanner error=general_error/>
                    {move || matches!(result.get(), Some(Ok(()))).then(|| view! { <p role="status" class="text-green-700">{t.t("account.password_changed")}</p> })}
                    <button type="submit" class=BTN_PRIMARY disabled=move || change.pending().get()>{t.t("account.change_password")}</button>
                </form>
            </section>
        </div>
    }
}
