//! Service settings: business hours (working days, hours, holidays and make-up days),
//! the SLA policy of every kind and priority, and where each kind of request goes.
use super::{INPUT, LABEL};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::tickets::api::*;
use crate::tickets::types::*;
use crate::ui::{error_text, PageHeader, BTN_PRIMARY};
use leptos::prelude::*;
use leptos_meta::Title;

const CELL: &str = "min-h-11 w-24 rounded-md border border-slate-300 px-2 text-base aria-[invalid=true]:border-red-500";

#[component]
pub fn ServiceSettingsPage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| get_service_settings());
    view! {
        <Title text=t.t("nav.service_settings")/>
        <PageHeader title=t.t("nav.service_settings")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <SettingsForm s/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(s: ServiceSettings) -> impl IntoView {
    let t = use_i18n();
    let state = RwSignal::new(s.clone());
    let save = Action::new(move |s: &ServiceSettings| {
        let s = s.clone();
        async move { save_service_settings(s).await }
    });
    let err = move |f: String| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(&f)));
    let other_error =
        move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    let invalid = move || matches!(save.value().get(), Some(Err(AppError::Validation(_))));
    let hours_field = move |key: &'static str, f: &'static str, get: fn(&BusinessHours) -> String, set: fn(&mut BusinessHours, String)| {
        let e = err(f.to_string());
        view! {
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t(key)}</span>
                <input class=INPUT data-testid=format!("hours-{f}") prop:value=move || state.with(|s| get(&s.hours))
                    on:input=move |ev| { let v = event_target_value(&ev); state.update(|s| set(&mut s.hours, v)); }
                    aria-invalid=move || e.get().is_some().to_string()/>
                <span class="min-h-5 text-sm text-red-600" data-testid=format!("hours-{f}-error")>{move || e.get().map(|c| t.t(&c))}</span>
            </label>
        }
    };
    let policy_cell = move |i: usize, f: &'static str, get: fn(&SlaPolicy) -> i64, set: fn(&mut SlaPolicy, i64)| {
        let (kind, priority) = state.with_untracked(|s| (s.policies[i].kind.clone(), s.policies[i].priority.clone()));
        let e = err(format!("sla.{kind}.{priority}.{f}"));
        view! {
            <td class="px-1 py-1">
                <input class=CELL inputmode="numeric" data-testid=format!("sla-{kind}-{priority}-{f}") prop:value=move || state.with(|s| get(&s.policies[i]).to_string())
                    on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); state.update(|s| set(&mut s.policies[i], v)); }
                    aria-invalid=move || e.get().is_some().to_string() title=move || e.get().map(|c| t.t(&c)).unwrap_or_default()/>
            </td>
        }
    };
    let mut order: Vec<usize> = (0..s.policies.len()).collect();
    let rank = |p: &SlaPolicy| {
        (KINDS.iter().position(|k| *k == p.kind).unwrap_or(99), PRIORITIES.iter().rev().position(|k| *k == p.priority).unwrap_or(99))
    };
    order.sort_by_key(|i| rank(&s.policies[*i]));
    let users = s.users.clone();
    let departments = s.departments.clone();
    let route_select = move |i: usize,
                             f: &'static str,
                             options: Vec<(i64, String)>,
                             get: fn(&ServiceRoute) -> Option<i64>,
                             set: fn(&mut ServiceRoute, Option<i64>)| {
        let kind = state.with_untracked(|s| s.routes[i].kind.clone());
        let current = state.with_untracked(|s| get(&s.routes[i]));
        let e = err(format!("route.{kind}.{f}"));
        view! {
            <td class="px-1 py-1">
                <select class=INPUT data-testid=format!("route-{kind}-{f}") on:change=move |ev| { let v = event_target_value(&ev).parse().ok(); state.update(|s| set(&mut s.routes[i], v)); }
                    aria-invalid=move || e.get().is_some().to_string()>
                    <option value="">"—"</option>
                    {options.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=Some(id) == current>{name}</option> }).collect_view()}
                </select>
            </td>
        }
    };
    view! {
        <form novalidate class="flex flex-col gap-4" data-testid="service-settings"
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(state.get_untracked()); }>
            {move || other_error().map(|m| view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{m}</p> })}
            {move || invalid().then(|| view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{t.t("service.settings_invalid")}</p> })}
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p role="status" class="rounded-md bg-green-50 p-3 text-green-800" data-testid="service-settings-saved">{t.t("common.saved")}</p> })}
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2 lg:grid-cols-3">
                <legend class="px-1 font-semibold">{t.t("service.hours")}</legend>
                {hours_field("service.work_days", "work_days", |h| h.work_days.clone(), |h, v| h.work_days = v)}
                {hours_field("service.open", "open", |h| h.open.clone(), |h, v| h.open = v)}
                {hours_field("service.close", "close", |h| h.close.clone(), |h, v| h.close = v)}
                {hours_field("service.holidays", "holidays", |h| h.holidays.clone(), |h, v| h.holidays = v)}
                {hours_field("service.extra_days", "extra_days", |h| h.extra_days.clone(), |h, v| h.extra_days = v)}
                <p class="text-sm text-slate-500 md:col-span-2 lg:col-span-3">{t.t("service.hours_hint")}</p>
            </fieldset>
            <fieldset class="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
                <legend class="px-1 font-semibold">{t.t("service.policies")}</legend>
                <p class="mb-2 text-sm text-slate-500">{t.t("service.policies_hint")}</p>
                <div class="overflow-x-auto">
                    <table class="min-w-full text-sm">
                        <thead><tr class="text-left text-slate-600">
                            <th class="px-1">{t.t("service.kind")}</th><th class="px-1">{t.t("service.priority")}</th>
                            <th class="px-1">{t.t("service.response_minutes")}</th><th class="px-1">{t.t("service.resolution_minutes")}</th>
                            <th class="px-1">{t.t("service.warn_percent")}</th><th class="px-1">{t.t("service.around_the_clock")}</th>
                        </tr></thead>
                        <tbody>
                            {order.into_iter().map(|i| {
                                let (kind, priority) = state.with_untracked(|s| (s.policies[i].kind.clone(), s.policies[i].priority.clone()));
                                view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="px-1 py-1">{t.t(&format!("service.kind.{kind}"))}</td>
                                        <td class="px-1 py-1">{t.t(&format!("service.priority.{priority}"))}</td>
                                        {policy_cell(i, "response", |p| p.response_minutes, |p, v| p.response_minutes = v)}
                                        {policy_cell(i, "resolution", |p| p.resolution_minutes, |p, v| p.resolution_minutes = v)}
                                        {policy_cell(i, "warn", |p| p.warn_percent, |p, v| p.warn_percent = v)}
                                        <td class="px-1 py-1">
                                            <input type="checkbox" class="h-5 w-5" prop:checked=move || state.with(|s| s.policies[i].around_the_clock)
                                                on:change=move |ev| { let v = event_target_checked(&ev); state.update(|s| s.policies[i].around_the_clock = v); }/>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </fieldset>
            <fieldset class="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
                <legend class="px-1 font-semibold">{t.t("service.routes")}</legend>
                <p class="mb-2 text-sm text-slate-500">{t.t("service.routes_hint")}</p>
                <div class="overflow-x-auto">
                    <table class="min-w-full text-sm">
                        <thead><tr class="text-left text-slate-600">
                            <th class="px-1">{t.t("service.kind")}</th><th class="px-1">{t.t("service.route_department")}</th>
                            <th class="px-1">{t.t("service.route_assignee")}</th><th class="px-1">{t.t("service.route_escalate")}</th>
                        </tr></thead>
                        <tbody>
                            {(0..s.routes.len()).map(|i| {
                                let kind = state.with_untracked(|s| s.routes[i].kind.clone());
                                view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="px-1 py-1">{t.t(&format!("service.kind.{kind}"))}</td>
                                        {route_select(i, "department", departments.clone(), |r| r.department_id, |r, v| r.department_id = v)}
                                        {route_select(i, "assignee", users.clone(), |r| r.assignee_id, |r, v| r.assignee_id = v)}
                                        {route_select(i, "escalate_to", users.clone(), |r| r.escalate_to, |r, v| r.escalate_to = v)}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </fieldset>
            <div class="sticky bottom-16 z-10 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="service-settings-save" disabled=move || save.pending().get()>{t.t("common.save")}</button>
            </div>
        </form>
    }
}
