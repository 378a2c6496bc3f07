//! Service statistics (V9): the page for managers and the dashboard's summary.
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::i18n::{use_i18n, I18n};
use crate::tickets::api::get_service_stats;
use crate::tickets::stats::*;
use crate::ui::{can, error_text, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

fn percent(v: Option<i64>) -> String {
    v.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// Minutes as "2 h 05 min" or "35 min".
fn duration(t: I18n, minutes: Option<i64>) -> String {
    match minutes {
        None => "—".into(),
        Some(m) if m >= 60 => t.t_args("stats.hours_minutes", &[("h", (m / 60).to_string()), ("m", format!("{:02}", m % 60))]),
        Some(m) => t.t_args("stats.minutes", &[("m", m.to_string())]),
    }
}

fn score(x100: Option<i64>) -> String {
    x100.map(|s| format!("{}.{:02} / 5", s / 100, s % 100)).unwrap_or_else(|| "—".into())
}

fn tile(label: String, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-slate-200 bg-white p-3">
            <div class="text-sm text-slate-500">{label}</div>
            <div class="text-2xl font-semibold" data-testid=testid>{value}</div>
        </div>
    }
}

/// A bar per row, as long as its share of the largest.
fn bars(rows: Vec<(String, i64)>, testid: &'static str) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    view! {
        <ul class="flex flex-col gap-1" data-testid=testid>
            {rows.into_iter().map(|(label, n)| {
                let width = format!("width: {}%", (n * 100 / max).max(2));
                view! {
                    <li class="grid grid-cols-[8rem_1fr_3rem] items-center gap-2 text-sm">
                        <span class="truncate">{label}</span>
                        <span class="h-3 rounded bg-blue-200"><span class="block h-3 rounded bg-blue-600" style=width></span></span>
                        <span class="text-right tabular-nums">{n}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ServiceStatsPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let period = Memo::new(move |_| query.read().get("period").unwrap_or_else(|| "month".into()));
    let data = Resource::new(move || period.get(), |p| async move { get_service_stats(p).await });
    view! {
        <Title text=t.t("stats.title")/>
        <PageHeader title=t.t("stats.title")>
            <A href="/service" attr:class=crate::ui::BTN_SECONDARY>{t.t("service.list_title")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-wrap gap-2" role="group" aria-label=t.t("stats.period")>
            {PERIODS.iter().map(|p| {
                let p = *p;
                let navigate = navigate.clone();
                let class = move || if period.get() == p { "min-h-11 rounded-md bg-blue-700 px-3 text-white" } else { "min-h-11 rounded-md border border-slate-300 bg-white px-3" };
                view! {
                    <button type="button" class=class data-testid=format!("stats-period-{p}") aria-pressed=move || (period.get() == p).to_string()
                        on:click=move |_| navigate(&format!("/service/stats?period={p}"), Default::default())>{t.t(&format!("stats.period.{p}"))}</button>
                }
            }).collect_view()}
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                    Ok(s) => view! { <StatsBody s/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StatsBody(s: ServiceStats) -> impl IntoView {
    let t = use_i18n();
    let kinds: Vec<(String, i64)> = s.by_kind.iter().map(|(k, n)| (t.t(&format!("service.kind.{k}")), *n)).collect();
    let statuses: Vec<(String, i64)> = s.by_status.iter().map(|(k, n)| (t.t(&format!("service.status.{k}")), *n)).collect();
    let scores: Vec<(String, i64)> = (1..=5).rev().map(|i| (format!("{i} ★"), s.scores[i - 1])).collect();
    view! {
        <p class="mb-3 text-sm text-slate-500">{t.t_args("stats.range", &[("from", s.from.clone()), ("to", s.to.clone())])}</p>
        <div class="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="stats-tiles">
            {tile(t.t("stats.total"), s.total.to_string(), "stats-total")}
            {tile(t.t("stats.response_on_time"), percent(s.response.on_time_percent()), "stats-response-on-time")}
            {tile(t.t("stats.resolution_on_time"), percent(s.resolution.on_time_percent()), "stats-resolution-on-time")}
            {tile(t.t("stats.satisfaction"), score(s.satisfaction_x100), "stats-satisfaction")}
        </div>
        <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("stats.sla")}</h2>
                <table class="w-full text-sm" data-testid="stats-sla">
                    <thead class="text-left text-slate-500">
                        <tr><th></th><th class="text-right">{t.t("stats.done")}</th><th class="text-right">{t.t("stats.on_time")}</th><th class="text-right">{t.t("stats.overdue")}</th><th class="text-right">{t.t("stats.average")}</th></tr>
                    </thead>
                    <tbody>
                        {[("stats.first_response", s.response.clone()), ("stats.resolution", s.resolution.clone())].into_iter().map(|(k, x)| view! {
                            <tr class="border-t border-slate-100">
                                <td class="py-1">{t.t(k)}</td>
                                <td class="py-1 text-right tabular-nums">{x.done}</td>
                                <td class="py-1 text-right tabular-nums">{format!("{} ({})", x.on_time, percent(x.on_time_percent()))}</td>
                                <td class="py-1 text-right tabular-nums">{x.overdue}</td>
                                <td class="py-1 text-right">{duration(t, x.avg_minutes)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("stats.by_kind")}</h2>
                {bars(kinds, "stats-by-kind")}
                <h2 class="mb-2 mt-4 font-semibold">{t.t("stats.by_status")}</h2>
                {bars(statuses, "stats-by-status")}
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <h2 class="mb-2 font-semibold">{t.t("stats.people")}</h2>
                <div class="overflow-x-auto">
                    <table class="w-full min-w-[32rem] text-sm" data-testid="stats-people">
                        <thead class="text-left text-slate-500">
                            <tr><th>{t.t("stats.person")}</th><th class="text-right">{t.t("stats.handled")}</th><th class="text-right">{t.t("stats.resolved")}</th><th class="text-right">{t.t("stats.on_time")}</th><th class="text-right">{t.t("stats.satisfaction")}</th></tr>
                        </thead>
                        <tbody>
                            {s.people.iter().map(|p| view! {
                                <tr class="border-t border-slate-100">
                                    <td class="py-1">{p.name.clone()}</td>
                                    <td class="py-1 text-right tabular-nums">{p.handled}</td>
                                    <td class="py-1 text-right tabular-nums">{p.resolved}</td>
                                    <td class="py-1 text-right tabular-nums">{percent((p.resolved > 0).then(|| (p.resolved_on_time * 100 + p.resolved / 2) / p.resolved))}</td>
                                    <td class="py-1 text-right">{score(p.satisfaction_x100)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(!s.engineers.is_empty()).then(|| view! {
                    <h2 class="mb-2 mt-4 font-semibold">{t.t("stats.engineers")}</h2>
                    <div class="overflow-x-auto">
                        <table class="w-full min-w-[28rem] text-sm" data-testid="stats-engineers">
                            <thead class="text-left text-slate-500">
                                <tr><th>{t.t("work.engineer")}</th><th class="text-right">{t.t("stats.jobs")}</th><th class="text-right">{t.t("stats.completed")}</th><th class="text-right">{t.t("stats.planned_time")}</th></tr>
                            </thead>
                            <tbody>
                                {s.engineers.iter().map(|e| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="py-1">{e.name.clone()}</td>
                                        <td class="py-1 text-right tabular-nums">{e.jobs}</td>
                                        <td class="py-1 text-right tabular-nums">{e.completed}</td>
                                        <td class="py-1 text-right">{duration(t, Some(e.planned_minutes))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("stats.causes")}</h2>
                {if s.causes.is_empty() {
                    view! { <p class="text-sm text-slate-500">{t.t("stats.no_causes")}</p> }.into_any()
                } else {
                    bars(s.causes.clone(), "stats-causes").into_any()
                }}
                <p class="mt-2 text-sm">
                    <A href="/service?quality=1" attr:class="text-blue-800 underline">{t.t_args("stats.product_issues", &[("n", s.product_issues.to_string())])}</A>
                </p>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t_args("stats.visits", &[("n", s.visits.to_string())])}</h2>
                {bars(scores, "stats-scores")}
            </section>
        </div>
    }
}

/// This month's service figures on the dashboard, linking to the statistics.
#[component]
pub fn ServiceStatsTile() -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::ServiceRequest, Op::View) {
        return ().into_any();
    }
    let data = Resource::new(|| (), |_| get_service_stats("month".to_string()));
    view! {
        <section class="mb-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="service-stats-tile">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 class="font-semibold">{t.t("stats.tile_title")}</h2>
                <a href="/service/stats" class="text-sm text-blue-800 underline">{t.t("stats.open")}</a>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="text-sm text-red-700">{error_text(t, &e)}</p> }.into_any(),
                        Ok(s) => view! {
                            <div class="grid grid-cols-2 gap-3 md:grid-cols-4">
                                {tile(t.t("stats.total"), s.total.to_string(), "tile-total")}
                                {tile(t.t("stats.response_on_time"), percent(s.response.on_time_percent()), "tile-response")}
                                {tile(t.t("stats.resolution_on_time"), percent(s.resolution.on_time_percent()), "tile-resolution")}
                                {tile(t.t("stats.satisfaction"), score(s.satisfaction_x100), "tile-satisfaction")}
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
