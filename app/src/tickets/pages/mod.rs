//! Service desk pages: the request list, the new-request form, a request's page, the
//! service settings, the service section of a customer's 360° page and the dashboard's
//! list of SLA targets at risk.
mod detail;
mod form;
mod settings;
mod stats;

pub use detail::ServiceDetailPage;
pub use form::NewServicePage;
pub use settings::ServiceSettingsPage;
pub use stats::{ServiceStatsPage, ServiceStatsTile};

use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::tickets::api::*;
use crate::tickets::types::*;
use crate::ui::{append_page, can, error_text, fmt_time, more_pages, paged_body, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub(crate) const INPUT: &str =
    "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base aria-[invalid=true]:border-red-500";
pub(crate) const LABEL: &str = "flex flex-col gap-1 text-sm";

/// An SLA state as a coloured chip: `target` is `response` or `resolution`.
pub(crate) fn sla_badge(t: I18n, target: &'static str, state: &str, due_at: i64) -> impl IntoView {
    let class = match state {
        "breached" => "bg-red-100 text-red-900",
        "at_risk" => "bg-amber-100 text-amber-900",
        "met_late" => "bg-orange-100 text-orange-900",
        "met" => "bg-green-100 text-green-900",
        "stopped" => "bg-slate-200 text-slate-700",
        "paused" => "bg-slate-100 text-slate-800 ring-1 ring-slate-300",
        _ => "bg-blue-100 text-blue-900",
    };
    let label = format!("{} · {}", t.t(&format!("service.target.{target}")), t.t(&format!("service.sla.{state}")));
    let title = t.t_args("service.due_at", &[("time", fmt_time(due_at))]);
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") title=title data-testid=format!("sla-{target}") data-state=state.to_string()>
            {label}
        </span>
    }
}

pub(crate) fn status_badge(t: I18n, status: &str) -> impl IntoView {
    let class = match status {
        "open" => "bg-blue-100 text-blue-900",
        "in_progress" => "bg-indigo-100 text-indigo-900",
        "waiting" => "bg-amber-100 text-amber-900",
        "resolved" => "bg-green-100 text-green-900",
        _ => "bg-slate-200 text-slate-700",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="service-status" data-status=status.to_string()>
            {t.t(&format!("service.status.{status}"))}
        </span>
    }
}

pub(crate) fn priority_badge(t: I18n, priority: &str) -> impl IntoView {
    let class = match priority {
        "urgent" => "border-red-300 text-red-800",
        "high" => "border-orange-300 text-orange-800",
        _ => "border-slate-300 text-slate-700",
    };
    view! { <span class=format!("rounded border px-2 py-0.5 text-sm {class}")>{t.t(&format!("service.priority.{priority}"))}</span> }
}

/// The SLA chip that matters now: the response while unanswered, else the resolution.
fn current_sla(t: I18n, r: &ServiceRequest) -> AnyView {
    if r.first_response_at.is_none() && r.resolved_at.is_none() && r.status != "cancelled" {
        sla_badge(t, "response", &r.response_state, r.response_due_at).into_any()
    } else {
        sla_badge(t, "resolution", &r.resolution_state, r.resolution_due_at).into_any()
    }
}

#[component]
pub fn ServiceListPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let status = RwSignal::new("open".to_string());
    let kind = RwSignal::new(String::new());
    let mine = RwSignal::new(false);
    let at_risk = RwSignal::new(false);
    // `/service?quality=1` opens the product-quality list.
    let quality = RwSignal::new(leptos_router::hooks::use_query_map().read_untracked().get("quality").is_some());
    let filter = Memo::new(move |_| ServiceFilter {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        kind: Some(kind.get()).filter(|s| !s.is_empty()),
        mine: mine.get(),
        at_risk: at_risk.get(),
        product_issue: quality.get(),
        status: if quality.get() { None } else { Some(status.get()).filter(|s| !s.is_empty()) },
        ..Default::default()
    });
    let first = Resource::new(move || filter.get(), list_service_requests);
    let more = more_pages(filter);
    let load_more = move |after: (i64, i64)| {
        let mut next = filter.get_untracked();
        next.after = Some(after);
        append_page(more, async move { list_service_requests(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |r: ServiceRequest| {
        let (number, customer, subject, sla) =
            (r.number.clone(), r.customer_name.clone().unwrap_or_default(), r.subject.clone(), current_sla(t, &r));
        let (status, priority) = (status_badge(t, &r.status), priority_badge(t, &r.priority));
        let kind = t.t(&format!("service.kind.{}", r.kind));
        let owner = r.owner_name.clone().or(r.department_name.clone()).unwrap_or_else(|| t.t("service.unassigned"));
        view! {
            <li class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 lg:flex-row lg:items-center lg:gap-4" data-testid="service-row">
                <A href=format!("/service/{}", r.id) attr:class="font-mono font-medium text-blue-800 hover:underline lg:w-40">{number}</A>
                <span class="min-w-0 flex-1">
                    <span class="font-medium">{subject}</span>
                    <span class="block text-sm text-slate-500">{format!("{customer} · {kind} · {owner}")}</span>
                </span>
                <span class="flex flex-wrap items-center gap-2">{priority}{status}{sla}</span>
            </li>
        }
        .into_any()
    };
    let select = |value: RwSignal<String>, options: Vec<(String, String)>, testid: &'static str| {
        view! {
            <select class=INPUT data-testid=testid on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(v, label)| { let sel = v == value.get_untracked(); view! { <option value=v selected=sel>{label}</option> } }).collect_view()}
            </select>
        }
    };
    let mut statuses = vec![("open".to_string(), t.t("service.filter.open")), (String::new(), t.t("service.filter.all"))];
    statuses.extend(STATUSES.iter().map(|s| (s.to_string(), t.t(&format!("service.status.{s}")))));
    let mut kinds = vec![(String::new(), t.t("service.filter.all_kinds"))];
    kinds.extend(KINDS.iter().map(|k| (k.to_string(), t.t(&format!("service.kind.{k}")))));
    view! {
        <Title text=t.t("service.list_title")/>
        <PageHeader title=t.t("service.list_title")>
            {can(Entity::Setting, Op::Edit).then(|| view! { <A href="/admin/settings/service" attr:class=BTN_SECONDARY>{t.t("nav.service_settings")}</A> })}
            {can(Entity::ServiceRequest, Op::Create).then(|| view! {
                <A href="/service/new" attr:class=BTN_PRIMARY attr:data-testid="new-service">{t.t("service.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 grid grid-cols-1 gap-2 md:grid-cols-2 lg:grid-cols-6 lg:items-end">
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="service-search" placeholder=t.t("service.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("service.status")}</span>
                {select(status, statuses, "service-status-filter")}
            </label>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("service.kind")}</span>
                {select(kind, kinds, "service-kind-filter")}
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="service-mine" prop:checked=move || mine.get() on:change=move |ev| mine.set(event_target_checked(&ev))/>
                {t.t("service.filter.mine")}
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="service-at-risk" prop:checked=move || at_risk.get() on:change=move |ev| at_risk.set(event_target_checked(&ev))/>
                {t.t("service.filter.at_risk")}
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="service-quality" prop:checked=move || quality.get() on:change=move |ev| quality.set(event_target_checked(&ev))/>
                {t.t("service.filter.quality")}
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! { <ul class="flex flex-col gap-2" data-testid="service-list">{rows}</ul> }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "service.empty", row, frame, load_more)
            })}
        </Transition>
    }
}

/// Warranty of an asset today (or on a request's day) as a chip.
pub(crate) fn warranty_badge(t: I18n, state: &'static str) -> impl IntoView {
    let class = match state {
        "in" => "bg-green-100 text-green-900",
        "out" => "bg-red-100 text-red-900",
        _ => "bg-slate-200 text-slate-700",
    };
    view! { <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="warranty" data-state=state>{t.t(&format!("service.warranty.{state}"))}</span> }
}

/// The service part of a customer's 360° page: recent requests and installed assets.
#[component]
pub fn CustomerService(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::ServiceRequest, Op::View) && !can(Entity::Customer, Op::View) {
        return ().into_any();
    }
    let requests =
        Resource::new(move || customer_id, |c| list_service_requests(ServiceFilter { customer_id: Some(c), ..Default::default() }));
    let may_create = can(Entity::ServiceRequest, Op::Create);
    view! {
        {can(Entity::ServiceRequest, Op::View).then(|| view! {
            <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="service-title" data-testid="customer-service">
                <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                    <h2 id="service-title" class="font-semibold">{t.t("service.list_title")}</h2>
                    {may_create.then(|| view! { <a href=format!("/service/new?customer={customer_id}") class=BTN_SECONDARY data-testid="customer-new-service">{t.t("service.new")}</a> })}
                </div>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = requests.await.map(|p| p.rows).unwrap_or_default();
                        if list.is_empty() {
                            return view! { <p class="text-sm text-slate-500">{t.t("service.empty")}</p> }.into_any();
                        }
                        view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().take(10).map(|r| { let (number, status, sla) = (r.number.clone(), status_badge(t, &r.status), current_sla(t, &r)); view! {
                                    <li class="flex flex-col gap-1 py-2">
                                        <div class="flex flex-wrap items-center justify-between gap-2">
                                            <A href=format!("/service/{}", r.id) attr:class="font-mono font-medium text-blue-800 underline">{number}</A>
                                            <span class="flex flex-wrap gap-2">{status}{sla}</span>
                                        </div>
                                        <span class="text-sm text-slate-600">{format!("{} · {}", t.t(&format!("service.kind.{}", r.kind)), r.subject)}</span>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        }.into_any()
                    })}
                </Transition>
            </section>
        })}
        <AssetsSection customer_id/>
    }
    .into_any()
}

/// A customer's installed assets with their warranty, and a form to add one.
#[component]
fn AssetsSection(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    let assets = Resource::new(move || customer_id, list_assets);
    let may_edit = can(Entity::Customer, Op::Edit) || can(Entity::ServiceRequest, Op::Edit);
    let offset = crate::ui::use_session().tz_offset_minutes;
    let now = crate::ui::local_date();
    let today_ms = crate::platform::time::parse_date_ms(&format!("{:04}-{:02}-{:02}", now.0, now.1, now.2), offset).unwrap_or_default();
    let name = RwSignal::new(String::new());
    let serial = RwSignal::new(String::new());
    let installed = RwSignal::new(String::new());
    let warranty = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let save = Action::new(move |input: &AssetInput| {
        let input = input.clone();
        async move { save_asset(None, 0, input).await }
    });
    let remove = Action::new(move |a: &(i64, i64)| {
        let (id, version) = *a;
        async move { delete_asset(id, version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            for s in [name, serial, installed, warranty, location] {
                s.set(String::new());
            }
            assets.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = remove.value().get() {
            assets.refetch();
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let other_error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !matches!(e, AppError::Validation(_)))
            .or_else(|| remove.value().get().and_then(|r| r.err()))
            .map(|e| error_text(t, &e))
    };
    let field = move |label: &'static str, f: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t(label)}</span>
                <input type=kind class=INPUT data-testid=format!("asset-{f}") prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || err(f).get().is_some().to_string()/>
                <span class="min-h-5 text-sm text-red-600" data-testid=format!("asset-{f}-error")>{move || err(f).get().map(|c| t.t(&c))}</span>
            </label>
        }
    };
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="assets-title" data-testid="customer-assets">
            <h2 id="assets-title" class="mb-2 font-semibold">{t.t("service.assets")}</h2>
            {move || other_error().map(|m| view! { <p role="alert" class="mb-2 rounded-md bg-red-50 p-3 text-red-800">{m}</p> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = assets.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("service.no_assets")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|a| {
                                let state = warranty_on(a.warranty_ends_on.as_deref(), today_ms, offset);
                                let detail = [a.product_name.clone(), a.installed_on.clone().map(|d| t.t_args("service.installed_on_date", &[("date", d)])),
                                    a.warranty_ends_on.clone().map(|d| t.t_args("service.warranty_until", &[("date", d)])), Some(a.location.clone()).filter(|l| !l.is_empty())]
                                    .into_iter().flatten().collect::<Vec<_>>().join(" · ");
                                let (id, version) = (a.id, a.version);
                                view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="asset-row">
                                        <span class="min-w-0 flex-1">
                                            <span class="font-medium">{a.name.clone()}</span>
                                            <span class="ml-2 font-mono text-sm">{a.serial_no.clone()}</span>
                                            <span class="block text-sm text-slate-600">{detail}</span>
                                        </span>
                                        {warranty_badge(t, state)}
                                        {may_edit.then(|| view! {
                                            <button type="button" class="min-h-11 px-2 text-sm text-red-700 underline" on:click=move |_| { remove.dispatch((id, version)); }>
                                                {t.t("service.remove_asset")}
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
            {may_edit.then(|| view! {
                <details class="mt-3" data-testid="asset-panel">
                    <summary class="min-h-11 cursor-pointer text-blue-800 underline">{t.t("service.add_asset")}</summary>
                    <form novalidate class="mt-2 grid grid-cols-1 gap-3 md:grid-cols-2 lg:grid-cols-3" data-testid="asset-form"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            save.dispatch(AssetInput {
                                customer_id,
                                product_id: None,
                                name: name.get_untracked(),
                                serial_no: serial.get_untracked(),
                                installed_on: installed.get_untracked(),
                                warranty_ends_on: warranty.get_untracked(),
                                location: location.get_untracked(),
                                note: String::new(),
                            });
                        }>
                        {field("service.asset_name", "name", name, "text")}
                        {field("service.serial_no", "serial_no", serial, "text")}
                        {field("service.installed_on", "installed_on", installed, "date")}
                        {field("service.warranty_ends_on", "warranty_ends_on", warranty, "date")}
                        {field("service.location", "location", location, "text")}
                        <div class="flex items-end pb-6">
                            <button type="submit" class=BTN_PRIMARY data-testid="asset-save" disabled=move || save.pending().get()>{t.t("service.add_asset")}</button>
                        </div>
                    </form>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// Requests whose response or resolution is at risk or breached, on the dashboard.
#[component]
pub fn AtRiskList() -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::ServiceRequest, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(|| (), |_| service_at_risk());
    view! {
        <section class="mb-4 rounded-lg border border-amber-200 bg-white p-4" aria-labelledby="at-risk-title" data-testid="service-at-risk-list">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="at-risk-title" class="font-semibold">{t.t("service.at_risk_title")}</h2>
                <a href="/service" class="text-sm text-blue-800 underline">{t.t("service.list_title")}</a>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <p class="text-sm text-red-700">{error_text(t, &e)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-500">{t.t("service.none_at_risk")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().map(|r| {
                                    let target: &'static str = if r.target == "response" { "response" } else { "resolution" };
                                    let badge = sla_badge(t, target, &r.state, r.due_at);
                                    view! {
                                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="at-risk-row">
                                            <span class="min-w-0 flex-1">
                                                <A href=format!("/service/{}", r.id) attr:class="font-mono text-blue-800 underline">{r.number.clone()}</A>
                                                <span class="ml-2">{r.subject.clone()}</span>
                                                <span class="block text-sm text-slate-500">{format!("{} · {}", r.customer_name, r.owner_name.clone().unwrap_or_else(|| t.t("service.unassigned")))}</span>
                                            </span>
                                            {badge}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
