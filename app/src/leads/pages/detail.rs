//! One lead: its fields, its score explained point by point, what the viewer may do
//! (work, qualify, disqualify, reopen, claim, assign, delete) and the conversion panel.
use super::convert::ConvertPanel;
use super::{problem_text, LeadStatusBadge, ScoreExplanation};
use crate::customers::api::list_owner_options;
use crate::leads::api::{assign_leads, claim_lead, delete_lead, get_lead, set_lead_status};
use crate::leads::types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{detail_field as field, error_text, fmt_time, PageHeader, TextArea, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let lead = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_lead(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Kept outside the lead's view so they survive the reload after an action.
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        id.track();
        notice.set(None);
    });
    let reload = Callback::new(move |_: ()| lead.refetch());
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Ok(l) => view! { <LeadView l reload notice/> }.into_any(),
                    Err(e) => view! {
                        <div class="mx-auto max-w-md py-12 text-center">
                            <h1 class="text-xl font-bold">{error_text(t, &e)}</h1>
                            <A href="/leads" attr:class="mt-4 inline-block min-h-11 py-2 text-blue-700 underline">{t.t("lead.back_to_list")}</A>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A phone number or e-mail address as a link the phone can dial or write to.
fn reach(t: I18n, key: &str, scheme: &'static str, value: Option<String>) -> impl IntoView {
    let value = value.filter(|v| !v.trim().is_empty());
    view! {
        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t(key)}</dt>
            <dd class="min-w-0 break-words">
                {match value {
                    Some(v) => view! { <a href=format!("{scheme}{v}") class="text-blue-800 underline">{v.clone()}</a> }.into_any(),
                    None => view! { <span>"—"</span> }.into_any(),
                }}
            </dd>
        </div>
    }
}

#[component]
fn LeadView(l: Lead, reload: Callback<()>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (l.id, l.version);
    let is_open = l.is_open();
    let error = RwSignal::new(None::<AppError>);
    let disqualifying = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let confirming_delete = RwSignal::new(false);
    let converting = RwSignal::new(false);
    let assign_to = RwSignal::new(String::new());

    let done = move |r: Result<String, AppError>| match r {
        Ok(msg) => {
            error.set(None);
            notice.set(Some(msg));
            reload.run(());
        }
        Err(e) => {
            notice.set(None);
            error.set(Some(e));
        }
    };
    let set_status = Action::new(move |(status, reason): &(String, String)| {
        let (status, reason) = (status.clone(), reason.clone());
        async move {
            let label = t.t(&format!("lead.status.{status}"));
            set_lead_status(id, version, status, reason).await.map(|_| t.t_args("lead.status_changed", &[("status", label)]))
        }
    });
    let claim =
        Action::new(move |_: &()| async move { claim_lead(id, version).await.map(|l| t.t_args("lead.claimed_you", &[("name", l.name)])) });
    let assign = Action::new(move |owner: &i64| {
        let owner = *owner;
        async move { assign_leads(vec![id], Some(owner)).await.map(|n| t.t_args("lead.assigned_count", &[("n", n.to_string())])) }
    });
    Effect::new(move |_| {
        if let Some(r) = set_status.value().get() {
            done(r);
        }
    });
    Effect::new(move |_| {
        if let Some(r) = claim.value().get() {
            done(r);
        }
    });
    Effect::new(move |_| {
        if let Some(r) = assign.value().get() {
            done(r);
        }
    });
    let delete = Action::new(move |_: &()| async move { delete_lead(id, version).await });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => navigate("/leads", Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let assignable = l.can_assign && is_open;
    let current_owner = l.owner_id;
    let owners = Resource::new(
        move || assignable,
        |yes| async move {
            if yes {
                list_owner_options().await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    let reason_err = Signal::derive(move || error.get().and_then(|e| e.field("reason")));
    let general = move || error.get().filter(|e| e.field("reason").is_none());
    let busy = move || set_status.pending().get() || claim.pending().get() || assign.pending().get();
    let status_button = move |status: &'static str, key: &'static str, class: &'static str| {
        view! {
            <button type="button" class=class data-testid=format!("status-{status}") disabled=busy
                on:click=move |_| { set_status.dispatch((status.to_string(), String::new())); }>
                {t.t(key)}
            </button>
        }
    };
    let (is_new, is_qualified, is_converted) = (l.status == "new", l.status == "qualified", l.status == "converted");
    let is_disqualified = l.status == "disqualified";
    let can_edit = l.can_edit;
    let convert_lead = l.clone();
    let parts = score_parts(l.facts());
    let channel = t.t(&format!("lead.channel.{}", l.channel));
    let owner_text = l.owner_name.clone().unwrap_or_else(|| t.t("lead.pool"));
    let converted = is_converted.then(|| {
        view! {
            <section role="status" class="mb-4 rounded-lg border border-violet-300 bg-violet-50 p-4 text-violet-950" data-testid="converted">
                <h2 class="font-semibold">{t.t("lead.converted_title")}</h2>
                <ul class="mt-1 flex flex-col gap-1">
                    {l.customer_id.map(|c| view! {
                        <li>{t.t("lead.customer")} ": "
                            <A href=format!("/customers/{c}") attr:class="font-medium text-blue-800 underline" attr:data-testid="converted-customer">
                                {l.customer_name.clone().unwrap_or_else(|| format!("#{c}"))}
                            </A>
                        </li>
                    })}
                    {l.opportunity_id.map(|o| view! {
                        <li>{t.t("lead.opportunity")} ": "
                            <A href=format!("/opportunities/{o}") attr:class="font-medium text-blue-800 underline" attr:data-testid="converted-opportunity">
                                {l.opportunity_name.clone().unwrap_or_else(|| format!("#{o}"))}
                            </A>
                        </li>
                    })}
                    {l.converted_at.map(|at| view! { <li class="text-sm">{t.t("lead.converted_at")} ": " {fmt_time(at)}</li> })}
                </ul>
            </section>
        }
    });
    view! {
        <Title text=l.name.clone()/>
        <PageHeader title=l.name.clone()>
            {(can_edit && !is_converted).then(|| view! {
                <A href=format!("/leads/{id}/edit") attr:class=BTN_PRIMARY attr:data-testid="lead-edit">{t.t("common.edit")}</A>
            })}
            {l.can_delete.then(|| view! {
                <button type="button" class=BTN_SECONDARY data-testid="lead-delete" on:click=move |_| confirming_delete.set(true)>{t.t("common.delete")}</button>
            })}
            <A href="/leads" attr:class=BTN_SECONDARY>{t.t("lead.back_to_list")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-2 text-sm">
            <LeadStatusBadge t status=l.status.clone()/>
            <span class="text-slate-600">{channel.clone()}</span>
            <span class="text-slate-600" data-testid="lead-owner">{t.t("lead.owner")} ": " {owner_text.clone()}</span>
        </div>
        <Show when=move || confirming_delete.get()>
            <div role="alertdialog" aria-labelledby="confirm-delete-lead" class="mb-4 rounded-md border border-red-300 bg-red-50 p-4">
                <p id="confirm-delete-lead" class="mb-3 font-medium text-red-900">{t.t("lead.confirm_delete")}</p>
                <div class="flex flex-wrap gap-2">
                    <button type="button" class=BTN_DANGER data-testid="lead-delete-confirm" disabled=move || delete.pending().get()
                        on:click=move |_| { delete.dispatch(()); }>{t.t("common.delete")}</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| confirming_delete.set(false)>{t.t("common.cancel")}</button>
                </div>
            </div>
        </Show>
        <div role="status" aria-live="polite" data-testid="lead-notice">
            {move || notice.get().map(|n| view! { <p class="mb-3 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{n}</p> })}
        </div>
        {move || general().map(|e| view! {
            <p role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">{problem_text(t, &e)}</p>
        })}
        {converted}
        {is_disqualified.then(|| view! {
            <p class="mb-4 rounded-md border border-slate-300 bg-slate-100 px-3 py-2" data-testid="disqualify-reason">
                {t.t("lead.disqualify_reason")} ": " {l.disqualify_reason.clone().unwrap_or_default()}
            </p>
        })}
        <div class="mb-4 flex flex-wrap gap-2" data-testid="lead-actions">
            {(can_edit && is_open && is_new).then(|| status_button("working", "lead.start_working", BTN_SECONDARY))}
            {(can_edit && is_open && !is_qualified).then(|| status_button("qualified", "lead.qualify", BTN_SECONDARY))}
            {(can_edit && is_open).then(|| view! {
                <button type="button" class=BTN_SECONDARY data-testid="disqualify" on:click=move |_| disqualifying.update(|d| *d = !*d)>
                    {t.t("lead.disqualify")}
                </button>
            })}
            {(can_edit && is_disqualified).then(|| status_button("new", "lead.reopen", BTN_SECONDARY))}
            {(l.can_claim && l.owner_id.is_none() && is_open).then(|| view! {
                <button type="button" class=BTN_PRIMARY data-testid="claim" disabled=busy on:click=move |_| { claim.dispatch(()); }>
                    {t.t("lead.claim")}
                </button>
            })}
            {(can_edit && is_open).then(|| view! {
                <button type="button" class=BTN_PRIMARY data-testid="convert" aria-expanded=move || converting.get().to_string()
                    aria-controls="convert-panel" on:click=move |_| converting.update(|c| *c = !*c)>
                    {t.t("lead.convert")}
                </button>
            })}
        </div>
        <Show when=move || disqualifying.get()>
            <form class="mb-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="disqualify-form" on:submit=move |ev| {
                ev.prevent_default();
                set_status.dispatch(("disqualified".to_string(), reason.get_untracked()));
            }>
                <TextArea id="disqualify-reason" label=t.t("lead.disqualify_reason") value=reason error=reason_err max_len=REASON_MAX/>
                <div class="flex flex-wrap gap-2">
                    <button type="submit" class=BTN_DANGER data-testid="disqualify-submit" disabled=busy>{t.t("lead.disqualify")}</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| disqualifying.set(false)>{t.t("common.cancel")}</button>
                </div>
            </form>
        </Show>
        {assignable.then(|| view! {
            <form class="mb-4 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="assign-form" on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(o) = assign_to.get_untracked().parse::<i64>() {
                    assign.dispatch(o);
                }
            }>
                <div class="flex min-w-0 flex-1 flex-col gap-1">
                    <label for="lead-assign-owner" class="text-sm font-medium text-slate-700">{t.t("lead.assign_to")}</label>
                    <select id="lead-assign-owner" class="min-h-11 min-w-0 rounded-md border border-slate-300 bg-white px-2 text-base" data-testid="assign-owner"
                        on:change=move |ev| assign_to.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                owners.await.into_iter().filter(|o| Some(o.id) != current_owner)
                                    .map(|o| view! { <option value=o.id.to_string()>{o.display_name}</option> }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <button type="submit" class=BTN_SECONDARY data-testid="assign-submit" disabled=move || busy() || assign_to.with(String::is_empty)>
                    {t.t("lead.assign")}
                </button>
            </form>
        })}
        <Show when=move || converting.get()>
            <ConvertPanel l=convert_lead.clone() notice on_done=Callback::new(move |_| {
                converting.set(false);
                reload.run(());
            })/>
        </Show>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("lead.section.person")}</h2>
                <dl>
                    {field(t, "lead.name", Some(l.name.clone()))}
                    {field(t, "lead.company", l.company.clone())}
                    {field(t, "lead.job_title", l.title.clone())}
                    {reach(t, "lead.mobile", "tel:", l.mobile.clone())}
                    {reach(t, "lead.phone", "tel:", l.phone.clone())}
                    {reach(t, "lead.email", "mailto:", l.email.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="lead-score-section">
                <h2 class="mb-2 font-semibold">{t.t("lead.score_title")}</h2>
                <ScoreExplanation t parts/>
                <p class="mt-2 text-xs text-slate-500">{t.t("lead.score_help")}</p>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("lead.section.origin")}</h2>
                <dl>
                    {field(t, "lead.region", l.region.clone())}
                    {field(t, "lead.industry", l.industry.clone())}
                    {field(t, "lead.source", l.source.clone())}
                    {field(t, "lead.channel", Some(channel))}
                    {field(t, "lead.needs", l.needs.clone())}
                    {field(t, "lead.notes", l.notes.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("lead.section.ownership")}</h2>
                <dl>
                    {field(t, "lead.owner", Some(owner_text))}
                    {field(t, "lead.territory", l.territory_name.clone())}
                    {field(t, "lead.department", l.department_name.clone())}
                    {field(t, "lead.created_at", Some(fmt_time(l.created_at)))}
                    {field(t, "lead.updated_at", Some(fmt_time(l.updated_at)))}
                </dl>
            </section>
        </div>
    }
}
