//! The manager dashboard (R1): funnel, stage flow, forecast against targets, and the
//! same per person and team. Every figure links to the opportunity list filtered to
//! exactly the opportunities behind it.
use super::charts::{compact, ForecastChart, FunnelBar, FunnelChart, MonthBar};
use crate::opportunities::pages::duration;
use crate::opportunities::pages::{money, process_label, stage_label};
use crate::opportunities::types::OppFilter;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::i18n::use_i18n;
use crate::platform::money::Currency;
use crate::reports::api::sales_dashboard;
use crate::reports::types::*;
use crate::ui::{can, error_text, PageHeader, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const SELECT: &str = "min-h-11 rounded-md border border-slate-300 bg-white px-2 py-2 text-base";
const TH: &str = "px-2 py-2 font-medium";
const TD: &str = "px-2 py-2 tabular-nums";
const LINK: &str = "text-blue-700 underline decoration-dotted underline-offset-2 hover:decoration-solid";

fn pct(p: Option<i64>) -> String {
    p.map(format_permille).unwrap_or_else(|| "—".into())
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let key = Memo::new(move |_| {
        let q = query.read();
        DashFilter::from_pairs(|k| q.get_str(k))
    });
    let data = Resource::new(move || key.get(), sales_dashboard);
    let go = Callback::new(move |f: DashFilter| {
        let q = f.to_query();
        let url = if q.is_empty() { "/dashboard".to_string() } else { format!("/dashboard?{q}") };
        navigate(&url, NavigateOptions { replace: true, ..Default::default() });
    });
    view! {
        <Title text=t.t("dashboard.title")/>
        <PageHeader title=t.t("dashboard.title")>
            {can(Entity::Opportunity, Op::Assign).then(|| view! { <A href="/admin/settings/targets" attr:class=BTN_SECONDARY>{t.t("targets.title")}</A> })}
        </PageHeader>
        <crate::contracts::pages::OverdueList/>
        <crate::tickets::pages::AtRiskList/>
        <crate::tickets::pages::ServiceStatsTile/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| go.run(DashFilter::default())>{t.t("dashboard.reset")}</button>
                    }.into_any(),
                    Ok(d) => view! { <Filters d=d.clone() go/> <Body d/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(d: Dashboard, go: Callback<DashFilter>) -> impl IntoView {
    let t = use_i18n();
    let current = DashFilter {
        process: Some(d.process_id),
        department: d.department,
        owner: d.owner,
        from: Some(d.from.clone()),
        to: Some(d.to.clone()),
        currency: Some(d.currency.clone()),
    };
    let current = StoredValue::new(current);
    let set = move |f: &dyn Fn(&mut DashFilter)| {
        let mut k = current.get_value();
        f(&mut k);
        go.run(k);
    };
    let label = "flex flex-col gap-1 text-sm font-medium text-slate-700";
    let num = |v: String| v.parse::<i64>().ok();
    view! {
        <form class="mb-4 grid grid-cols-1 gap-2 sm:grid-cols-3 lg:grid-cols-6" aria-label=t.t("dashboard.filters") on:submit=|ev| ev.prevent_default()>
            <label class=label>{t.t("pipeline.process")}
                <select id="dash-process" class=SELECT on:change=move |ev| { let v = num(event_target_value(&ev)); set(&|k| k.process = v) }>
                    {d.processes.iter().map(|p| view! { <option value=p.id.to_string() selected=p.id == d.process_id>{process_label(t, p)}</option> }).collect_view()}
                </select>
            </label>
            <label class=label>{t.t("dashboard.team")}
                <select id="dash-team" class=SELECT on:change=move |ev| { let v = num(event_target_value(&ev)); set(&|k| k.department = v) }>
                    <option value="">{t.t("dashboard.all_teams")}</option>
                    {d.departments.iter().map(|c| view! { <option value=c.id.to_string() selected=Some(c.id) == d.department>{c.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class=label>{t.t("customer.owner")}
                <select id="dash-owner" class=SELECT on:change=move |ev| { let v = num(event_target_value(&ev)); set(&|k| k.owner = v) }>
                    <option value="">{t.t("pipeline.all_owners")}</option>
                    {d.owners.iter().map(|c| view! { <option value=c.id.to_string() selected=Some(c.id) == d.owner>{c.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class=label>{t.t("dashboard.from")}
                <input id="dash-from" type="month" class=SELECT value=d.from.clone() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if is_month(&v) { set(&|k| k.from = Some(v.clone())) }
                }/>
            </label>
            <label class=label>{t.t("dashboard.to")}
                <input id="dash-to" type="month" class=SELECT value=d.to.clone() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if is_month(&v) { set(&|k| k.to = Some(v.clone())) }
                }/>
            </label>
            <label class=label>{t.t("opportunity.currency")}
                <select id="dash-currency" class=SELECT on:change=move |ev| { let v = event_target_value(&ev); set(&|k| k.currency = Some(v.clone())) }>
                    {Currency::ALL.iter().map(|c| view! { <option value=c.code() selected=c.code() == d.currency>{c.code()}</option> }).collect_view()}
                </select>
            </label>
        </form>
    }
}

/// A table's header row of translated column names.
fn head(t: crate::platform::i18n::I18n, keys: &[&str]) -> impl IntoView {
    let cells = keys.iter().map(|k| view! { <th class=TH scope="col">{t.t(k)}</th> }).collect_view();
    view! { <thead><tr class="border-b bg-slate-50">{cells}</tr></thead> }
}

/// The columns every forecast row shows: won and open (both drilling down), weighted,
/// forecast, target and attainment.
fn figure_cells(m: &dyn Fn(i64) -> String, f: &Figures, won: String, open: String, testid: (&'static str, &'static str)) -> impl IntoView {
    view! {
        <td class=TD>{figure_link(m(f.won), won, testid.0)}</td>
        <td class=TD>{figure_link(m(f.pipeline), open, testid.1)}</td>
        <td class=TD>{m(f.weighted)}</td>
        <td class=TD>{m(f.forecast())}</td>
        <td class=TD>{f.target.map(m).unwrap_or_else(|| "—".into())}</td>
        <td class=TD>{pct(f.attainment())}</td>
    }
}

const FIGURE_COLUMNS: [&str; 6] =
    ["dashboard.won", "dashboard.pipeline", "dashboard.weighted", "dashboard.forecast", "dashboard.target", "dashboard.attainment"];

/// A figure that links to its opportunities.
fn figure_link(text: String, href: String, testid: &'static str) -> impl IntoView {
    view! { <A href=href attr:class=LINK attr:data-testid=testid>{text}</A> }
}

#[component]
fn Body(d: Dashboard) -> impl IntoView {
    let t = use_i18n();
    let process = d.processes.iter().find(|p| p.id == d.process_id).cloned();
    let stage_name = move |id: i64| process.as_ref().and_then(|p| p.stage(id)).map(|s| stage_label(t, s)).unwrap_or_default();
    let cur = d.currency.clone();
    let m = move |v: i64| money(v, &cur);
    let base = d.base();
    let open_total: (i64, i64, i64) = d.funnel.iter().fold((0, 0, 0), |a, r| (a.0 + r.count, a.1 + r.amount, a.2 + r.weighted));
    let open_all = OppFilter { status: Some("open".into()), ..base.clone() };
    let won_all = d.won_between(&d.from, &d.to);
    let period = format!("{} – {}", d.from, d.to);

    // Funnel
    let bars: Vec<FunnelBar> = d
        .funnel
        .iter()
        .map(|r| {
            let name = stage_name(r.stage_id);
            FunnelBar {
                title: t.t_args(
                    "dashboard.funnel_bar",
                    &[("stage", name.clone()), ("count", r.count.to_string()), ("amount", m(r.amount)), ("weighted", m(r.weighted))],
                ),
                label: name,
                count: r.count,
                amount: r.amount,
                weighted: r.weighted,
                href: OppFilter { stage: Some(r.stage_id), ..open_all.clone() }.list_url(),
            }
        })
        .collect();
    let funnel_rows = d
        .funnel
        .iter()
        .map(|r| {
            let href = OppFilter { stage: Some(r.stage_id), ..open_all.clone() }.list_url();
            view! {
                <tr class="border-b border-slate-100" data-testid="funnel-row">
                    <th scope="row" class="px-2 py-2 text-left font-normal">{stage_name(r.stage_id)}</th>
                    <td class=TD>{figure_link(r.count.to_string(), href.clone(), "funnel-count")}</td>
                    <td class=TD data-testid="funnel-amount">{m(r.amount)}</td>
                    <td class=TD data-testid="funnel-weighted">{m(r.weighted)}</td>
                </tr>
            }
        })
        .collect_view();

    // Flow
    let flow_rows = d
        .flow
        .iter()
        .map(|f| {
            view! {
                <tr class="border-b border-slate-100">
                    <th scope="row" class="px-2 py-2 text-left font-normal">{stage_name(f.stage_id)}</th>
                    <td class=TD>{f.reached}</td>
                    <td class=TD>{pct(f.to_next_permille)}</td>
                    <td class=TD>{f.avg_ms.map(|ms| duration(t, ms)).unwrap_or_else(|| "—".into())}</td>
                    <td class=TD>{f.moves}</td>
                </tr>
            }
        })
        .collect_view();

    // Forecast
    let month_bars: Vec<MonthBar> = d
        .months
        .iter()
        .map(|r| MonthBar {
            label: r.month[2..].replace('-', "/"),
            won: r.figures.won,
            weighted: r.figures.weighted,
            target: r.figures.target,
            won_href: d.won_between(&r.month, &r.month).list_url(),
            open_href: d.open_between(&r.month, &r.month).list_url(),
            won_title: t.t_args(
                "dashboard.won_bar",
                &[("month", r.month.clone()), ("amount", m(r.figures.won)), ("count", r.figures.won_count.to_string())],
            ),
            open_title: t.t_args(
                "dashboard.open_bar",
                &[
                    ("month", r.month.clone()),
                    ("weighted", m(r.figures.weighted)),
                    ("amount", m(r.figures.pipeline)),
                    ("count", r.figures.pipeline_count.to_string()),
                ],
            ),
        })
        .collect();
    let month_rows = d
        .months
        .iter()
        .map(|r| {
            let f = &r.figures;
            view! {
                <tr class="border-b border-slate-100" data-testid="forecast-row">
                    <th scope="row" class="px-2 py-2 text-left font-normal">{r.month.clone()}</th>
                    {figure_cells(&m, f, d.won_between(&r.month, &r.month).list_url(), d.open_between(&r.month, &r.month).list_url(), ("forecast-won-link", "forecast-open-link"))}
                </tr>
            }
        })
        .collect_view();

    let won_period = d.won_between(&d.from, &d.to);
    let open_period = d.open_between(&d.from, &d.to);
    let group_table = |rows: Vec<GroupRow>, person: bool, testid: &'static str| {
        let body = rows
            .into_iter()
            .map(|r| {
                let scoped =
                    |f: OppFilter| if person { OppFilter { owner: Some(r.id), ..f } } else { OppFilter { department: Some(r.id), ..f } };
                let f = &r.figures;
                view! {
                    <tr class="border-b border-slate-100" data-testid=format!("{testid}-row")>
                        <th scope="row" class="px-2 py-2 text-left font-normal">{r.name.clone()}</th>
                        {figure_cells(&m, f, scoped(won_period.clone()).list_url(), scoped(open_period.clone()).list_url(), ("group-won", "group-open"))}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="overflow-x-auto">
                <table class="w-full min-w-[40rem] text-left text-sm" data-testid=testid>
                    {head(t, &[&[if person { "customer.owner" } else { "dashboard.team" }][..], &FIGURE_COLUMNS[..]].concat())}
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
    };
    let has_people = !d.people.is_empty();
    let has_teams = !d.teams.is_empty();
    let people = group_table(d.people.clone(), true, "people-table");
    let teams = group_table(d.teams.clone(), false, "teams-table");
    let tile = "rounded-lg border border-slate-200 bg-white p-3";
    let section = "mb-6 rounded-lg border border-slate-200 bg-white p-3 sm:p-4";
    let h2 = "mb-2 text-lg font-semibold text-slate-800";
    view! {
        <div class="mb-4 grid grid-cols-2 gap-2 lg:grid-cols-4">
            <div class=tile>
                <p class="text-sm text-slate-600">{t.t("dashboard.open_pipeline")}</p>
                <p class="text-xl font-semibold tabular-nums" data-testid="kpi-open">{figure_link(compact(t, open_total.1, &d.currency), open_all.list_url(), "kpi-open-link")}</p>
                <p class="text-sm text-slate-600">{t.t_args("dashboard.open_detail", &[("count", open_total.0.to_string()), ("weighted", compact(t, open_total.2, &d.currency))])}</p>
            </div>
            <div class=tile>
                <p class="text-sm text-slate-600">{t.t("dashboard.won_in_period")}</p>
                <p class="text-xl font-semibold tabular-nums" data-testid="kpi-won">{figure_link(compact(t, d.total.won, &d.currency), won_all.list_url(), "kpi-won-link")}</p>
                <p class="text-sm text-slate-600">{t.t_args("dashboard.won_detail", &[("count", d.total.won_count.to_string())])}</p>
            </div>
            <div class=tile>
                <p class="text-sm text-slate-600">{t.t("dashboard.target")}</p>
                <p class="text-xl font-semibold tabular-nums" data-testid="kpi-target">{d.total.target.map(|v| compact(t, v, &d.currency)).unwrap_or_else(|| "—".into())}</p>
                <p class="text-sm text-slate-600">{t.t_args("dashboard.attainment_detail", &[("pct", pct(d.total.attainment()))])}</p>
            </div>
            <div class=tile>
                <p class="text-sm text-slate-600">{t.t("dashboard.win_rate")}</p>
                <p class="text-xl font-semibold tabular-nums" data-testid="kpi-win-rate">{pct(permille(d.won, d.closed))}</p>
                <p class="text-sm text-slate-600">{t.t_args("dashboard.win_rate_detail", &[("won", d.won.to_string()), ("closed", d.closed.to_string())])}</p>
            </div>
        </div>
        <section class=section aria-labelledby="funnel-h">
            <h2 id="funnel-h" class=h2>{t.t("dashboard.funnel")}</h2>
            <p class="mb-2 text-sm text-slate-600">{t.t("dashboard.funnel_hint")}</p>
            <div class="grid grid-cols-1 gap-4 xl:grid-cols-2">
                <FunnelChart bars title=t.t("dashboard.funnel") desc=t.t("dashboard.funnel_desc") currency=d.currency.clone()/>
                <div class="overflow-x-auto">
                    <table class="w-full text-left text-sm" data-testid="funnel-table">
                        {head(t, &["opportunity.stage", "dashboard.count", "opportunity.amount", "dashboard.weighted"])}
                        <tbody>{funnel_rows}</tbody>
                    </table>
                </div>
            </div>
        </section>
        <section class=section aria-labelledby="flow-h">
            <h2 id="flow-h" class=h2>{t.t("dashboard.flow")}</h2>
            <p class="mb-2 text-sm text-slate-600">{t.t_args("dashboard.flow_hint", &[("period", period.clone())])}</p>
            <div class="overflow-x-auto">
                <table class="w-full min-w-[32rem] text-left text-sm" data-testid="flow-table">
                    {head(t, &["opportunity.stage", "dashboard.reached", "dashboard.to_next", "dashboard.avg_time", "dashboard.moves"])}
                    <tbody>{flow_rows}</tbody>
                </table>
            </div>
        </section>
        <section class=section aria-labelledby="forecast-h">
            <h2 id="forecast-h" class=h2>{t.t("dashboard.forecast_title")}</h2>
            <p class="mb-2 text-sm text-slate-600">{t.t("dashboard.forecast_hint")}</p>
            <ul class="mb-2 flex flex-wrap gap-4 text-sm text-slate-700" aria-hidden="true">
                <li><span class="mr-1 inline-block h-3 w-3 bg-green-600"></span>{t.t("dashboard.won")}</li>
                <li><span class="mr-1 inline-block h-3 w-3 bg-blue-300"></span>{t.t("dashboard.weighted")}</li>
                <li><span class="mr-1 inline-block h-0.5 w-4 bg-red-600 align-middle"></span>{t.t("dashboard.target")}</li>
            </ul>
            <ForecastChart bars=month_bars title=t.t("dashboard.forecast_title") desc=t.t("dashboard.forecast_desc")/>
            <div class="mt-3 overflow-x-auto">
                <table class="w-full min-w-[40rem] text-left text-sm" data-testid="forecast-table">
                    {head(t, &[&["dashboard.month"][..], &FIGURE_COLUMNS[..]].concat())}
                    <tbody>{month_rows}</tbody>
                </table>
            </div>
        </section>
        <section class=section aria-labelledby="people-h">
            <h2 id="people-h" class=h2>{t.t("dashboard.by_person")}</h2>
            {if has_people { people.into_any() } else { view! { <p class="text-slate-600">{t.t("dashboard.nothing")}</p> }.into_any() }}
        </section>
        <section class=section aria-labelledby="teams-h">
            <h2 id="teams-h" class=h2>{t.t("dashboard.by_team")}</h2>
            {if has_teams { teams.into_any() } else { view! { <p class="text-slate-600">{t.t("dashboard.nothing")}</p> }.into_any() }}
        </section>
    }
}
