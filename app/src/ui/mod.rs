//! Reusable components: layout shell, form fields, banners.
use crate::account::types::SessionInfo;
use crate::platform::authz::{Action, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n, Locale};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

mod paged;
pub use paged::{append_page, more_pages, paged_body, More};

pub fn use_session() -> SessionInfo {
    use_context::<SessionInfo>().unwrap_or_default()
}

/// Whether the signed-in user holds `entity × action` at any scope.
pub fn can(entity: Entity, action: Action) -> bool {
    use_session().me.map(|m| m.permissions.can(entity, action)).unwrap_or(false)
}

/// The translated message for an error, with the request id for internal errors.
pub fn error_text(t: I18n, e: &AppError) -> String {
    match e {
        AppError::Internal { request_id } => format!("{} ({})", t.t(e.message_key()), request_id),
        AppError::RateLimited { retry_after_secs } => t.t_args(e.message_key(), &[("minutes", ((retry_after_secs + 59) / 60).to_string())]),
        _ => t.t(e.message_key()),
    }
}

/// Percent-encodes a query-string value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Formats a UTC millisecond time in the user's display offset.
pub fn fmt_time(ms: i64) -> String {
    crate::platform::time::format_ms(ms, use_session().tz_offset_minutes)
}

/// Today as (year, month, day) in the company's time zone, on the server or in the browser.
pub fn local_date() -> (i64, i64, i64) {
    #[cfg(feature = "ssr")]
    let now = crate::platform::time::now_ms();
    #[cfg(not(feature = "ssr"))]
    let now = js_sys::Date::now() as i64;
    crate::platform::time::date_parts(now + use_session().tz_offset_minutes as i64 * 60_000)
}

/// Today's date (`YYYY-MM-DD`) in the company's time zone.
pub fn today_iso() -> String {
    let (y, m, d) = local_date();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The error code to show under `field`: the browser's own check first, then the server's answer.
pub fn field_error(
    local: RwSignal<Vec<crate::platform::error::FieldError>>,
    server: Signal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        local.with(|es| es.iter().find(|e| e.field == field).map(|e| e.code.clone())).or_else(|| server.get().and_then(|e| e.field(field)))
    })
}

/// One labelled value of a record's page (`—` when empty), inside a `<dl>`.
pub fn detail_field(t: I18n, key: &str, value: Option<String>) -> impl IntoView {
    view! {
        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t(key)}</dt>
            <dd class="min-w-0 whitespace-pre-wrap break-words">{value.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| "—".to_string())}</dd>
        </div>
    }
}

/// Red banner for a failed request.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_i18n();
    move || {
        error.get().map(|e| {
            view! {
                <div role="alert" class="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800">
                    {error_text(t, &e)}
                </div>
            }
        })
    }
}

/// The banner above a form: a conflict (someone saved first; reload to see it), the
/// server's refusal, or the browser's own check failing. Field messages sit by the fields.
#[component]
pub fn FormAlert(
    #[prop(into)] server_error: Signal<Option<AppError>>,
    local: RwSignal<Vec<crate::platform::error::FieldError>>,
) -> impl IntoView {
    let t = use_i18n();
    let red = "rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800";
    move || match server_error.get() {
        Some(AppError::Conflict) => Some(
            view! {
                <div role="alert" class="rounded-md border border-amber-400 bg-amber-50 px-4 py-3 text-amber-900">
                    <p class="font-medium">{t.t("error.conflict")}</p>
                    <p class="text-sm">{t.t("customers.conflict_help")}</p>
                    <a href="" class="mt-2 inline-block min-h-11 py-2 text-sm font-medium underline">{t.t("customers.load_latest")}</a>
                </div>
            }
            .into_any(),
        ),
        Some(e @ AppError::Validation(_)) => Some(view! { <div role="alert" class=red>{t.t(e.message_key())}</div> }.into_any()),
        Some(e) => Some(view! { <div role="alert" class=red>{error_text(t, &e)}</div> }.into_any()),
        None => (!local.get().is_empty()).then(|| view! { <div role="alert" class=red>{t.t("error.validation")}</div> }.into_any()),
    }
}

/// A labelled text input with its validation message underneath.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] max_len: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let t = use_i18n();
    let err_id = format!("{id}-error");
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium text-slate-700">
                {label}
                {required.then(|| view! { <span class="text-red-600" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                name=id
                type=input_type
                class="min-h-11 rounded-md border border-slate-300 px-3 py-2 text-base focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-200 aria-[invalid=true]:border-red-500"
                maxlength=max_len.map(|m| m.to_string())
                required=required
                autocomplete=autocomplete
                list=list
                inputmode=inputmode
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p id=err_id class="min-h-5 text-sm text-red-600">
                {move || error.get().map(|code| t.t(&code))}
            </p>
        </div>
    }
}

/// A labelled multi-line input.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] max_len: Option<usize>,
) -> impl IntoView {
    let t = use_i18n();
    let err_id = format!("{id}-error");
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium text-slate-700">{label}</label>
            <textarea
                id=id
                name=id
                rows="4"
                class="rounded-md border border-slate-300 px-3 py-2 text-base focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-200"
                maxlength=max_len.map(|m| m.to_string())
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p id=err_id class="min-h-5 text-sm text-red-600">
                {move || error.get().map(|code| t.t(&code))}
            </p>
        </div>
    }
}

/// A labelled select over `(value, label)` options.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = use_i18n();
    let err_id = format!("{id}-error");
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium text-slate-700">{label}</label>
            <select
                id=id
                name=id
                class="min-h-11 rounded-md border border-slate-300 bg-white px-3 py-2 text-base"
                aria-describedby=err_id.clone()
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let v2 = v.clone();
                        view! { <option value=v selected=move || value.get() == v2>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <p id=err_id class="min-h-5 text-sm text-red-600">
                {move || error.get().map(|code| t.t(&code))}
            </p>
        </div>
    }
}

pub const BTN_PRIMARY: &str = "inline-flex min-h-11 items-center justify-center rounded-md bg-blue-700 px-4 py-2 text-base font-medium text-white hover:bg-blue-800 disabled:opacity-60";
pub const BTN_SECONDARY: &str = "inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-base font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60";
pub const BTN_DANGER: &str = "inline-flex min-h-11 items-center justify-center rounded-md bg-red-700 px-4 py-2 text-base font-medium text-white hover:bg-red-800 disabled:opacity-60";

/// Forms posting to the server's language switch; work before and without hydration.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let t = use_i18n();
    let location = use_location();
    let next = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/auth/locale" class="flex items-center gap-1" aria-label=t.t("nav.language")>
            <input type="hidden" name="next" value=next/>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    let current = l == t.locale();
                    view! {
                        <button
                            type="submit"
                            name="locale"
                            value=l.code()
                            lang=l.code()
                            aria-pressed=current.to_string()
                            class=if current {
                                "min-h-11 rounded px-2 text-sm font-semibold text-blue-800 underline"
                            } else {
                                "min-h-11 rounded px-2 text-sm text-slate-600 hover:text-blue-800"
                            }
                        >
                            {l.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

#[derive(Clone, Copy)]
struct NavItem {
    href: &'static str,
    key: &'static str,
    icon: &'static str,
}

fn nav_items() -> Vec<NavItem> {
    let mut items = Vec::new();
    if can(Entity::Customer, Action::View) {
        items.push(NavItem { href: "/customers", key: "nav.customers", icon: "👥" });
    }
    if can(Entity::Lead, Action::View) {
        items.push(NavItem { href: "/leads", key: "nav.leads", icon: "🎯" });
    }
    if can(Entity::Opportunity, Action::View) {
        items.push(NavItem { href: "/dashboard", key: "nav.dashboard", icon: "📈" });
    }
    if can(Entity::Opportunity, Action::View) {
        items.push(NavItem { href: "/opportunities", key: "nav.pipeline", icon: "📊" });
    }
    if can(Entity::Quote, Action::View) {
        items.push(NavItem { href: "/quotes", key: "nav.quotes", icon: "🧾" });
    }
    if can(Entity::Order, Action::View) {
        items.push(NavItem { href: "/orders", key: "nav.orders", icon: "🛒" });
    }
    if can(Entity::Contract, Action::View) {
        items.push(NavItem { href: "/contracts", key: "nav.contracts", icon: "📝" });
        items.push(NavItem { href: "/receivables", key: "nav.receivables", icon: "💴" });
    }
    if can(Entity::ServiceRequest, Action::View) {
        items.push(NavItem { href: "/service", key: "nav.service", icon: "🛠️" });
    }
    if can(Entity::WorkOrder, Action::Assign) {
        items.push(NavItem { href: "/dispatch", key: "nav.dispatch", icon: "🗓️" });
    } else if can(Entity::WorkOrder, Action::View) {
        // Engineers: their day on the tablet, and the schedule.
        items.push(NavItem { href: "/field", key: "nav.field", icon: "📱" });
        items.push(NavItem { href: "/dispatch", key: "nav.schedule", icon: "🗓️" });
    }
    if can(Entity::ServiceRequest, Action::View) {
        items.push(NavItem { href: "/service/stats", key: "nav.service_stats", icon: "📉" });
    }
    if can(Entity::KnowledgeArticle, Action::View) {
        items.push(NavItem { href: "/kb", key: "nav.kb", icon: "📚" });
    }
    if can(Entity::Product, Action::View) {
        items.push(NavItem { href: "/products", key: "nav.products", icon: "📦" });
    }
    if can(Entity::Inventory, Action::View) {
        items.push(NavItem { href: "/inventory", key: "nav.inventory", icon: "🏬" });
    }
    if can(Entity::Customer, Action::Create) {
        items.push(NavItem { href: "/customers/new", key: "nav.new_customer", icon: "➕" });
    }
    if can(Entity::Customer, Action::Create) {
        items.push(NavItem { href: "/customers/import", key: "nav.import", icon: "📥" });
    }
    if can(Entity::Customer, Action::Claim) {
        items.push(NavItem { href: "/customers/pool", key: "nav.pool", icon: "🌊" });
    }
    if can(Entity::Customer, Action::Assign) {
        items.push(NavItem { href: "/customers/transfer", key: "nav.transfer", icon: "🔁" });
    }
    if can(Entity::Customer, Action::View) {
        items.push(NavItem { href: "/customers/pyramid", key: "nav.pyramid", icon: "🔺" });
    }
    if can(Entity::Customer, Action::Edit) {
        items.push(NavItem { href: "/activities/plan", key: "nav.visit_plan", icon: "🗓️" });
    }
    if can(Entity::Customer, Action::View) {
        items.push(NavItem { href: "/contacts/birthdays", key: "nav.birthdays", icon: "🎂" });
    }
    if can(Entity::User, Action::View) {
        items.push(NavItem { href: "/admin/users", key: "nav.users", icon: "🧑‍💼" });
    }
    if can(Entity::Department, Action::View) {
        items.push(NavItem { href: "/admin/departments", key: "nav.departments", icon: "🏢" });
    }
    if can(Entity::Role, Action::View) {
        items.push(NavItem { href: "/admin/roles", key: "nav.roles", icon: "🔐" });
    }
    if can(Entity::AuditLog, Action::View) {
        items.push(NavItem { href: "/admin/audit", key: "nav.audit", icon: "📜" });
    }
    if can(Entity::Setting, Action::View) {
        items.push(NavItem { href: "/admin/settings/pool", key: "nav.pool_settings", icon: "⚙️" });
        items.push(NavItem { href: "/admin/settings/lists", key: "nav.lists", icon: "🗂️" });
        items.push(NavItem { href: "/admin/settings/value", key: "nav.value_model", icon: "📈" });
        items.push(NavItem { href: "/admin/settings/processes", key: "nav.processes", icon: "🪜" });
        items.push(NavItem { href: "/admin/settings/currencies", key: "nav.currencies", icon: "💱" });
        items.push(NavItem { href: "/admin/settings/numbering", key: "nav.numbering", icon: "🔢" });
        items.push(NavItem { href: "/admin/settings/company", key: "nav.company", icon: "🏛️" });
        items.push(NavItem { href: "/admin/settings/warehouses", key: "nav.warehouses", icon: "🏗️" });
        items.push(NavItem { href: "/admin/settings/service", key: "nav.service_settings", icon: "⏱️" });
    }
    if can(Entity::Setting, Action::Edit) {
        items.push(NavItem { href: "/admin/settings/leads", key: "nav.lead_settings", icon: "🧭" });
    }
    if can(Entity::Opportunity, Action::Assign) {
        items.push(NavItem { href: "/opportunities/list?registration=pending", key: "nav.registrations", icon: "🛎️" });
        items.push(NavItem { href: "/admin/settings/targets", key: "nav.targets", icon: "🎯" });
    }
    items.push(NavItem { href: "/account", key: "nav.account", icon: "⚙️" });
    items
}

/// The menu entry a path belongs to: the longest entry (without a query) that is the
/// path or a folder above it.
fn current_nav(path: &str, hrefs: &[&'static str]) -> Option<&'static str> {
    hrefs
        .iter()
        .filter(|h| !h.contains('?'))
        .filter(|h| path == **h || path.strip_prefix(**h).is_some_and(|rest| rest.starts_with('/')))
        .max_by_key(|h| h.len())
        .copied()
}

/// Layout for signed-in pages: sidebar on desktop, bottom navigation on phones.
#[component]
pub fn AppShell() -> impl IntoView {
    let t = use_i18n();
    let session = use_session();
    let me = session.me.clone();
    let items = nav_items();
    // The entry the page belongs to: the longest one its path starts with, so the
    // service statistics page does not light up the service requests entry too.
    let location = use_location();
    let hrefs: Vec<&'static str> = items.iter().map(|i| i.href).collect();
    let current = Memo::new(move |_| current_nav(&location.pathname.get(), &hrefs));
    let aria = move |href: &'static str| move || (current.get() == Some(href)).then_some("page");
    // Phones get the most used destinations; the rest stay reachable from Account.
    // Plain anchors: the router still handles the click, and `aria-current` is ours.
    let bottom_view = items
        .clone()
        .into_iter()
        .filter(|i| matches!(i.href, "/customers" | "/leads" | "/opportunities" | "/field" | "/customers/new" | "/admin/users" | "/account"))
        .map(|i| {
            view! {
                <a href=i.href aria-current=aria(i.href) class="flex min-h-14 flex-1 flex-col items-center justify-center gap-0.5 text-xs text-slate-700 aria-[current=page]:text-blue-800 aria-[current=page]:font-semibold">
                    <span aria-hidden="true" class="text-lg">{i.icon}</span>
                    <span>{t.t(i.key)}</span>
                </a>
            }
        })
        .collect_view();
    let side_view = items
        .into_iter()
        .map(|i| {
            let class = "flex min-h-11 items-center gap-3 rounded-md px-3 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-blue-50 aria-[current=page]:font-semibold aria-[current=page]:text-blue-800";
            view! { <a href=i.href class=class aria-current=aria(i.href)><span aria-hidden="true">{i.icon}</span><span>{t.t(i.key)}</span></a> }
        })
        .collect_view();
    view! {
        <div class="min-h-screen bg-slate-50 text-slate-900">
            <header class="sticky top-0 z-20 flex items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 py-1 md:px-6">
                <A href="/customers" attr:class="flex min-h-11 items-center text-lg font-bold text-blue-800">
                    {t.t("app.name")}
                </A>
                <div class="flex items-center gap-2">
                    <div class="hidden sm:block">
                        <LanguageSwitcher/>
                    </div>
                    <span class="hidden text-sm text-slate-600 md:inline" data-testid="current-user">
                        {me.as_ref().map(|m| m.display_name.clone())}
                    </span>
                    <form method="post" action="/auth/logout" on:submit=|_| crate::fieldwork::tablet::forget_device_copy()>
                        <button type="submit" class="min-h-11 rounded-md px-3 text-sm text-slate-700 hover:bg-slate-100">
                            {t.t("nav.logout")}
                        </button>
                    </form>
                </div>
            </header>
            <div class="flex">
                <nav aria-label=t.t("nav.main") class="sticky top-14 hidden h-[calc(100vh-3.5rem)] w-56 shrink-0 flex-col gap-1 border-r border-slate-200 bg-white p-3 md:flex">
                    {side_view}
                </nav>
                <main class="min-w-0 flex-1 px-3 pb-24 pt-4 md:px-8 md:pb-8">
                    <Outlet/>
                </main>
            </div>
            <nav aria-label=t.t("nav.bottom") class="fixed inset-x-0 bottom-0 z-20 flex border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] md:hidden">
                {bottom_view}
            </nav>
        </div>
    }
}

/// Page heading with optional actions on the right.
#[component]
pub fn PageHeader(#[prop(into)] title: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-xl font-bold md:text-2xl">{title}</h1>
            <div class="flex flex-wrap gap-2">{children.map(|c| c())}</div>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_i18n();
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <div class="mx-auto max-w-md py-16 text-center">
            <h1 class="text-2xl font-bold">{t.t("error.not_found")}</h1>
            <A href="/customers" attr:class="mt-4 inline-block text-blue-700 underline">{t.t("nav.customers")}</A>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{current_nav, url_encode};

    #[test]
    fn the_menu_lights_the_closest_entry() {
        let hrefs = ["/customers", "/customers/new", "/service", "/service/stats", "/service?quality=1", "/field"];
        assert_eq!(current_nav("/service/stats", &hrefs), Some("/service/stats"));
        assert_eq!(current_nav("/service/42", &hrefs), Some("/service"));
        assert_eq!(current_nav("/service", &hrefs), Some("/service"));
        assert_eq!(current_nav("/customers/new", &hrefs), Some("/customers/new"));
        assert_eq!(current_nav("/customers/7/edit", &hrefs), Some("/customers"));
        assert_eq!(current_nav("/fieldwork", &hrefs), None, "a prefix that is not a folder");
        assert_eq!(current_nav("/quotes", &hrefs), None);
    }

    #[test]
    fn encodes_chinese_and_reserved_characters() {
        assert_eq!(url_encode("天度"), "%E5%A4%A9%E5%BA%A6");
        assert_eq!(url_encode("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(url_encode("safe-_.~"), "safe-_.~");
    }
}
