//! One opportunity: its stage path, fields, win or lose with a reason and review, the
//! stage history with time in each stage; and the opportunities section of the
//! customer 360° page.
use super::board::{money, refusal, stage_label};
use crate::opportunities::api::{
    close_opportunity, customer_opportunities, get_opportunity, opportunity_activities, opportunity_history, sales_processes,
};
use crate::opportunities::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{can, error_text, fmt_time, PageHeader, TextArea, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

pub(crate) fn duration(t: I18n, ms: i64) -> String {
    let hours = ms / 3_600_000;
    if hours < 24 {
        t.t_args("pipeline.hours", &[("n", hours.to_string())])
    } else {
        t.t_args("pipeline.days", &[("n", (hours / 24).to_string())])
    }
}

#[component]
pub fn OpportunityDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default());
    let opp = Resource::new(move || id.get(), get_opportunity);
    let processes = Resource::new(|| (), |_| sales_processes());
    let history = Resource::new(move || id.get(), opportunity_history);
    let reload = Callback::new(move |_: ()| {
        opp.refetch();
        history.refetch();
    });
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let procs = processes.await.unwrap_or_default();
                match opp.await {
                    Ok(o) => {
                        let process = procs.into_iter().find(|p| p.id == o.process_id);
                        view! { <Detail o process history reload/> }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(
    o: Opportunity,
    process: Option<Process>,
    history: Resource<Result<Vec<StageMove>, AppError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let t = use_i18n();
    let stages = process.map(|p| p.stages).unwrap_or_default();
    let label_of = {
        let stages = stages.clone();
        move |id: i64| stages.iter().find(|s| s.id == id).map(|s| stage_label(t, s)).unwrap_or_else(|| format!("#{id}"))
    };
    let current = stages.iter().find(|s| s.id == o.stage_id).cloned();
    let is_open = o.status == "open";
    let (id, version) = (o.id, o.version);
    let closing = RwSignal::new(None::<bool>);
    let reason = RwSignal::new(String::new());
    let review = RwSignal::new(String::new());
    let close = Action::new(move |(won, reason, review): &(bool, String, String)| {
        let (won, reason, review) = (*won, reason.clone(), review.clone());
        async move { close_opportunity(id, version, won, reason, review).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = close.value().get() {
            closing.set(None);
            reload.run(());
        }
    });
    let close_err = Signal::derive(move || close.value().get().and_then(|r| r.err()));
    let reason_err = Signal::derive(move || close_err.get().and_then(|e| e.field("close_reason")));
    let review_err = Signal::derive(move || close_err.get().and_then(|e| e.field("review")));
    let won_label = stages.iter().find(|s| s.kind() == StageKind::Won).map(|s| stage_label(t, s)).unwrap_or_default();
    let field = |key: &str, v: Option<String>| {
        view! {
            <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t(key)}</dt>
                <dd class="whitespace-pre-wrap">{v.unwrap_or_else(|| "—".into())}</dd>
            </div>
        }
    };
    let status_badge = match o.status.as_str() {
        "won" => ("bg-green-100 text-green-800", t.t("opportunity.status.won")),
        "lost" => ("bg-slate-200 text-slate-700", t.t("opportunity.status.lost")),
        _ => ("bg-blue-100 text-blue-800", t.t("opportunity.status.open")),
    };
    let label_for_history = label_of.clone();
    let label_for_registration = {
        let label_of = label_of.clone();
        Callback::new(move |id: i64| label_of(id))
    };
    let pending = o.registration == "pending";
    let registration = o.clone();
    view! {
        <Title text=o.name.clone()/>
        <PageHeader title=o.name.clone()>
            {(o.can_edit && is_open).then(|| view! { <A href=format!("/opportunities/{id}/edit") attr:class=BTN_PRIMARY>{t.t("common.edit")}</A> })}
            // A plain link: a router link with a query string broke hydration elsewhere.
            {can(Entity::Quote, Op::Create).then(|| view! {
                <a href=format!("/quotes/new?customer={}&opportunity={id}", o.customer_id) class=BTN_SECONDARY data-testid="opportunity-new-quote">{t.t("quote.new")}</a>
            })}
            {(o.status == "won" && can(Entity::Contract, Op::Create)).then(|| view! {
                <a href=format!("/contracts/new?opportunity={id}") class=BTN_PRIMARY data-testid="opportunity-new-contract">{t.t("contract.from_opportunity")}</a>
            })}
            <A href="/opportunities" attr:class=BTN_SECONDARY>{t.t("pipeline.title")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-2">
            <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {}", status_badge.0) data-testid="opportunity-status">{status_badge.1}</span>
            <A href=format!("/customers/{}", o.customer_id) attr:class="text-blue-800 underline">{o.customer_name.clone()}</A>
            <span class="font-semibold">{money(o.amount, &o.currency)}</span>
            {current.as_ref().map(|s| view! { <span class="text-sm text-slate-600">{t.t_args("pipeline.weighted_of", &[("amount", money(weighted(o.amount, s.probability), &o.currency)), ("p", s.probability.to_string())])}</span> })}
        </div>
        <super::registration::RegistrationPanel o=registration stage_label=label_for_registration reload/>
        <ol class="mb-4 flex flex-wrap gap-1" aria-label=t.t("opportunity.stage_path") data-testid="stage-path">
            {stages.iter().filter(|s| s.kind() == StageKind::Open || s.id == o.stage_id).map(|s| {
                let here = s.id == o.stage_id;
                view! {
                    <li class=if here { "rounded-md bg-blue-700 px-3 py-1 text-sm text-white" } else { "rounded-md bg-slate-100 px-3 py-1 text-sm text-slate-700" }
                        aria-current=here.then_some("step")>
                        {stage_label(t, s)} {format!(" {}%", s.probability)}
                    </li>
                }
            }).collect_view()}
        </ol>
        {(o.can_edit && is_open && !pending).then(|| view! {
            <div class="mb-4 flex flex-wrap gap-2">
                <button type="button" class=BTN_PRIMARY on:click=move |_| closing.set(Some(true))>{t.t("opportunity.win")}</button>
                <button type="button" class=BTN_SECONDARY on:click=move |_| closing.set(Some(false))>{t.t("opportunity.lose")}</button>
            </div>
        })}
        {move || closing.get().map(|won| {
            let won_label = won_label.clone();
            view! {
                <form class="mb-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="close-form" on:submit=move |ev| {
                    ev.prevent_default();
                    close.dispatch((won, reason.get_untracked(), review.get_untracked()));
                }>
                    <h2 class="mb-2 font-semibold">{if won { t.t("opportunity.win") } else { t.t("opportunity.lose") }}</h2>
                    {move || close_err.get().filter(|e| e.field("close_reason").is_none() && e.field("review").is_none()).map(|e| view! {
                        <p role="alert" class="mb-2 rounded-md bg-red-50 px-3 py-2 text-red-800">{refusal(t, &e, &won_label)}</p>
                    })}
                    <TextArea id="close_reason" label=if won { t.t("opportunity.win_reason") } else { t.t("opportunity.lose_reason") } value=reason error=reason_err max_len=REASON_MAX/>
                    <TextArea id="review" label=t.t("opportunity.review") value=review error=review_err max_len=TEXT_MAX/>
                    <div class="flex gap-2">
                        <button type="submit" class=if won { BTN_PRIMARY } else { BTN_DANGER } disabled=move || close.pending().get()>{t.t("common.save")}</button>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| closing.set(None)>{t.t("common.cancel")}</button>
                    </div>
                </form>
            }
        })}
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("opportunity.section.deal")}</h2>
                <dl>
                    {field("opportunity.contact_id", o.contact_name.clone())}
                    {field("opportunity.expected_close", o.expected_close.clone())}
                    {field("opportunity.importance", o.importance.as_ref().map(|i| t.t(&format!("opportunity.importance.{i}"))))}
                    {field("opportunity.source", o.source.clone())}
                    {field("opportunity.budget", o.budget.clone())}
                    {field("customer.owner", o.owner_name.clone())}
                    {field("opportunity.visibility", Some(if o.is_private { t.t("opportunity.private") } else { t.t("opportunity.public") }))}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("opportunity.section.needs")}</h2>
                <dl>
                    {field("opportunity.needs", o.needs.clone())}
                    {field("opportunity.decision_makers", o.decision_makers.clone())}
                    {field("opportunity.competitors", o.competitors.clone())}
                    {(!is_open).then(|| view! {
                        {field("opportunity.close_reason", o.close_reason.clone())}
                        {field("opportunity.review", o.review.clone())}
                        {field("opportunity.closed_at", o.closed_at.map(fmt_time))}
                    })}
                </dl>
            </section>
            <div class="lg:col-span-2">
                <crate::customers::pages::CollaboratorsSection entity="opportunity" record_id=id owner_id=o.owner_id/>
            </div>
            <div class="lg:col-span-2">
                <OpportunityActivities id customer_id=o.customer_id can_log=o.can_edit/>
            </div>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2" aria-labelledby="history-title">
                <h2 id="history-title" class="mb-2 font-semibold">{t.t("opportunity.history")}</h2>
                <Transition fallback=|| ()>
                    {move || {
                        let label_of = label_for_history.clone();
                        Suspend::new(async move {
                            let rows = history.await.unwrap_or_default();
                            view! {
                                <ul class="divide-y divide-slate-100 text-sm" data-testid="stage-history">
                                    {rows.into_iter().map(|h| {
                                        let what = match h.from_stage_id {
                                            Some(f) => t.t_args("pipeline.moved_from_to", &[("from", label_of(f)), ("to", label_of(h.to_stage_id))]),
                                            None => t.t_args("pipeline.entered", &[("to", label_of(h.to_stage_id))]),
                                        };
                                        view! {
                                            <li class="py-2">
                                                <span class="text-slate-500">{fmt_time(h.moved_at)}</span> " " {what}
                                                {h.moved_by_name.map(|b| view! { <span class="text-slate-500">" · " {b}</span> })}
                                                {h.time_in_stage.map(|ms| view! { <span class="text-slate-500">" · " {t.t_args("pipeline.time_in_stage", &[("d", duration(t, ms))])}</span> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })
                    }}
                </Transition>
            </section>
        </div>
    }
}

/// The opportunities of a customer, on its 360° page.
#[component]
pub fn CustomerOpportunities(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Opportunity, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(move || customer_id, customer_opportunities);
    let processes = Resource::new(|| (), |_| sales_processes());
    let may_create = can(Entity::Opportunity, Op::Create);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="opps-title" data-testid="customer-opportunities">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="opps-title" class="font-semibold">{t.t("opportunity.plural")}</h2>
                {may_create.then(|| view! { <A href=format!("/opportunities/new?customer={customer_id}") attr:class=BTN_SECONDARY>{t.t("opportunity.new")}</A> })}
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = rows.await.unwrap_or_default();
                    let procs = processes.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("opportunity.none")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|r| {
                                let stage = procs.iter().flat_map(|p| p.stages.iter()).find(|s| s.id == r.stage_id).map(|s| stage_label(t, s)).unwrap_or_default();
                                view! {
                                    <li class="flex flex-wrap items-baseline justify-between gap-2 py-2">
                                        <A href=format!("/opportunities/{}", r.id) attr:class="font-medium text-blue-800 underline">{r.name.clone()}</A>
                                        <span class="text-sm text-slate-700">
                                            {stage} " · " {money(r.amount, &r.currency)}
                                            {r.expected_close.clone().map(|d| format!(" · {}", t.t_args("pipeline.closes", &[("date", d)])))}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }.into_any()
}

/// Follow-ups logged against the opportunity; logging one here links it to the
/// opportunity and its customer (and may open a stage that requires it).
#[component]
fn OpportunityActivities(id: i64, customer_id: i64, can_log: bool) -> impl IntoView {
    let t = use_i18n();
    let list = Resource::new(move || id, opportunity_activities);
    let open = RwSignal::new(false);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="opp-activities-title" data-testid="opportunity-activities">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="opp-activities-title" class="font-semibold">{t.t("opportunity.activities")}</h2>
                {can_log.then(|| view! { <button type="button" class=BTN_SECONDARY on:click=move |_| open.set(true)>{t.t("activities.log")}</button> })}
            </div>
            <Show when=move || open.get()>
                <crate::activities::pages::ActivityForm customer_id opportunity_id=id
                    on_saved=Callback::new(move |_| { open.set(false); list.refetch(); })
                    on_cancel=Callback::new(move |_| open.set(false))/>
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = list.await.unwrap_or_default();
                    if rows.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("opportunity.no_activities")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100 text-sm">
                            {rows.into_iter().map(|a| view! {
                                <li class="py-2" data-testid="opportunity-activity">
                                    <span class="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{t.t(&format!("activity.kind.{}", a.kind))}</span>
                                    {(a.status == "planned").then(|| view! { <span class="mr-2 text-xs text-amber-800">{t.t("activity.status.planned")}</span> })}
                                    {a.subject.clone()}
                                    <span class="text-slate-500">" · " {fmt_time(a.occurred_at)} {a.by_name.clone().map(|b| format!(" · {b}"))}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
