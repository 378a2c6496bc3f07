//! A service request's page: its SLA clocks, the customer, asset and warranty, the reply
//! that answers the customer, status moves (resolving with a resolution), assignment,
//! priority and a consultation's conversion into a lead.
use super::{priority_badge, sla_badge, status_badge, warranty_badge, INPUT, LABEL};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::tickets::api::*;
use crate::tickets::types::*;
use crate::ui::{detail_field, error_text, fmt_time, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_service_request(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <ServiceView d reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What one action of the page needs: the request's id and version, and the reload.
#[derive(Clone, Copy)]
struct Ctx {
    id: i64,
    version: i64,
    reload: Callback<()>,
}

#[component]
fn ServiceView(d: ServiceDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let r = d.request.clone();
    let ctx = Ctx { id: r.id, version: r.version, reload };
    let offset = crate::ui::use_session().tz_offset_minutes;
    let warranty = r.asset_id.map(|_| warranty_badge(t, r.warranty(offset)));
    let responded = r.first_response_at.map(fmt_time);
    let resolved = r.resolved_at.map(fmt_time);
    let open = r.open();
    let asset = r.asset_serial.clone().map(|s| format!("{} · {s}", r.asset_name.clone().unwrap_or_default()));
    let owner = r.owner_name.clone().or(r.department_name.clone()).unwrap_or_else(|| t.t("service.unassigned"));
    let (response, resolution) = (
        sla_badge(t, "response", &r.response_state, r.response_due_at),
        sla_badge(t, "resolution", &r.resolution_state, r.resolution_due_at),
    );
    view! {
        <Title text=format!("{} {}", r.number, r.subject)/>
        <PageHeader title=format!("{} · {}", r.number, r.subject)>
            <A href="/service" attr:class=BTN_SECONDARY>{t.t("service.list_title")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-2" data-testid="service-header">
            {status_badge(t, &r.status)}
            {priority_badge(t, &r.priority)}
            {response}
            {resolution}
            {r.response_escalated_at.or(r.resolution_escalated_at).map(|_| view! {
                <span class="rounded bg-red-700 px-2 py-0.5 text-sm font-medium text-white" data-testid="service-escalated">{t.t("service.escalated")}</span>
            })}
        </div>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <dl class="grid grid-cols-1 gap-3 md:grid-cols-2">
                    <div>
                        <dt class="text-sm text-slate-500">{t.t("service.customer")}</dt>
                        <dd><A href=format!("/customers/{}", r.customer_id) attr:class="text-blue-800 underline">{r.customer_name.clone().unwrap_or_default()}</A></dd>
                    </div>
                    {detail_field(t, "service.contact", r.contact_name.clone())}
                    {detail_field(t, "service.kind", Some(t.t(&format!("service.kind.{}", r.kind))))}
                    {detail_field(t, "service.channel", Some(t.t(&format!("service.channel.{}", r.channel))))}
                    <div>
                        <dt class="text-sm text-slate-500">{t.t("service.asset")}</dt>
                        <dd class="flex flex-wrap items-center gap-2">{asset.unwrap_or_else(|| "—".into())}{warranty}</dd>
                    </div>
                    {detail_field(t, "service.product", r.product_name.clone())}
                    {detail_field(t, "service.owner", Some(owner))}
                    {detail_field(t, "service.created_at", Some(fmt_time(r.created_at)))}
                    {detail_field(t, "service.response_due", Some(fmt_time(r.response_due_at)))}
                    {detail_field(t, "service.responded_at", responded)}
                    {detail_field(t, "service.resolution_due", Some(fmt_time(r.resolution_due_at)))}
                    {detail_field(t, "service.waiting_since", r.waiting_since.map(fmt_time))}
                    {detail_field(t, "service.paused", (r.paused_minutes > 0).then(|| t.t_args("field.minutes_value", &[("minutes", r.paused_minutes.to_string())])))}
                    {detail_field(t, "service.resolved_at", resolved)}
                </dl>
                {(!r.description.is_empty()).then(|| view! {
                    <h2 class="mt-4 font-semibold">{t.t("service.description")}</h2>
                    <p class="whitespace-pre-wrap text-slate-800" data-testid="service-description">{r.description.clone()}</p>
                })}
                {(!r.resolution.is_empty()).then(|| view! {
                    <h2 class="mt-4 font-semibold">{t.t("service.resolution")}</h2>
                    <p class="whitespace-pre-wrap text-slate-800" data-testid="service-resolution">{r.resolution.clone()}</p>
                })}
                {r.close_override.clone().map(|why| view! {
                    <p class="mt-4 rounded-md bg-amber-50 p-3 text-amber-900" data-testid="service-override">{t.t_args("service.closed_by_override", &[("reason", why)])}</p>
                })}
                {r.product_issue.then(|| view! {
                    <p class="mt-4 rounded-md bg-orange-50 p-3 text-orange-900" data-testid="service-product-issue">{t.t("service.product_issue_flagged")}</p>
                })}
                <MessageThread messages=d.messages.clone()/>
                <VisitList visits=d.visits.clone()/>
                <crate::knowledge::pages::RequestArticlesSection request_id=r.id/>
                <crate::fieldwork::pages::RequestWorkOrders request_id=r.id open/>
                {r.lead_id.map(|l| view! {
                    <p class="mt-4"><A href=format!("/leads/{l}") attr:class="text-blue-800 underline" attr:data-testid="service-lead">{t.t("service.open_lead")}</A></p>
                })}
            </section>
            <div class="flex flex-col gap-4">
                {(d.can_edit && open).then(|| view! { <ReplyForm ctx/> })}
                {d.can_edit.then(|| view! { <StatusForm ctx moves=d.moves.clone()/> })}
                {(d.can_edit && open).then(|| view! { <PriorityForm ctx current=r.priority.clone()/> })}
                {d.can_assign.then(|| view! { <AssignForm ctx current=r.owner_id assignees=d.assignees.clone()/> })}
                {d.can_convert.then(|| view! { <ConvertButton ctx/> })}
                {(d.can_edit && matches!(r.status.as_str(), "resolved" | "closed")).then(|| view! { <VisitForm ctx/> })}
                {(d.can_override && r.status == "resolved" && !r.satisfaction.is_some_and(satisfied)).then(|| view! { <OverrideForm ctx/> })}
            </div>
        </div>
    }
}

/// The answer to the customer: stops the response clock.
#[component]
fn ReplyForm(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let note = RwSignal::new(String::new());
    let save = Action::new(move |n: &String| {
        let n = n.clone();
        async move { respond_service_request(ctx.id, ctx.version, n).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("note").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <form novalidate class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="service-reply"
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(note.get_untracked()); }>
            <label class=LABEL>
                <span class="font-semibold">{t.t("service.reply")}</span>
                <textarea class=INPUT rows="3" maxlength="4000" data-testid="service-reply-note" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) aria-invalid=move || error().is_some().to_string()></textarea>
            </label>
            <p class="min-h-5 text-sm text-red-600" data-testid="service-reply-error">{error}</p>
            <button type="submit" class=BTN_PRIMARY data-testid="service-reply-save" disabled=move || save.pending().get()>{t.t("service.send_reply")}</button>
        </form>
    }
}

/// The next statuses as buttons; resolving asks for the resolution first.
#[component]
fn StatusForm(ctx: Ctx, moves: Vec<String>) -> impl IntoView {
    let t = use_i18n();
    let resolution = RwSignal::new(String::new());
    let save = Action::new(move |status: &String| {
        let status = status.clone();
        async move { set_service_status(ctx.id, ctx.version, status, resolution.get_untracked()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.field("resolution").or_else(|| e.field("status")).map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)))
    };
    let resolves = moves.iter().any(|m| m == "resolved");
    view! {
        <section class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="service-status-form">
            <h2 class="font-semibold">{t.t("service.status")}</h2>
            {resolves.then(|| view! {
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.resolution")}</span>
                    <textarea class=INPUT rows="3" maxlength="4000" data-testid="service-resolution-input" prop:value=move || resolution.get()
                        on:input=move |ev| resolution.set(event_target_value(&ev))></textarea>
                </label>
            })}
            <p class="min-h-5 text-sm text-red-600" data-testid="service-status-error">{error}</p>
            <div class="flex flex-wrap gap-2">
                {moves.into_iter().map(|m| {
                    let label = t.t(&format!("service.move.{m}"));
                    let testid = format!("service-move-{m}");
                    let class = if m == "resolved" { BTN_PRIMARY } else { BTN_SECONDARY };
                    view! { <button type="button" class=class data-testid=testid disabled=move || save.pending().get() on:click=move |_| { save.dispatch(m.clone()); }>{label}</button> }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn PriorityForm(ctx: Ctx, current: String) -> impl IntoView {
    let t = use_i18n();
    let save = Action::new(move |p: &String| {
        let p = p.clone();
        async move { set_service_priority(ctx.id, ctx.version, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("priority").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <label class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <span class="font-semibold">{t.t("service.priority")}</span>
            <select class=INPUT data-testid="service-priority-change" on:change=move |ev| { save.dispatch(event_target_value(&ev)); }>
                {PRIORITIES.iter().map(|p| view! { <option value=*p selected=*p == current>{t.t(&format!("service.priority.{p}"))}</option> }).collect_view()}
            </select>
            <span class="text-slate-500">{t.t("service.priority_hint")}</span>
            <span class="min-h-5 text-red-600">{error}</span>
        </label>
    }
}

#[component]
fn AssignForm(ctx: Ctx, current: Option<i64>, assignees: Vec<(i64, String)>) -> impl IntoView {
    let t = use_i18n();
    let pick = RwSignal::new(current.map(|c| c.to_string()).unwrap_or_default());
    let save = Action::new(move |owner: &i64| {
        let owner = *owner;
        async move { assign_service_request(ctx.id, ctx.version, owner).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("owner_id").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <form novalidate class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="service-assign"
            on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(o) = pick.get_untracked().parse::<i64>() {
                    save.dispatch(o);
                }
            }>
            <label class=LABEL>
                <span class="font-semibold">{t.t("service.assign_to")}</span>
                <select class=INPUT data-testid="service-assignee" on:change=move |ev| pick.set(event_target_value(&ev))>
                    <option value="">{t.t("service.unassigned")}</option>
                    {assignees.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=Some(id) == current>{name}</option> }).collect_view()}
                </select>
            </label>
            <p class="min-h-5 text-sm text-red-600">{error}</p>
            <button type="submit" class=BTN_SECONDARY data-testid="service-assign-save" disabled=move || save.pending().get()>{t.t("service.assign")}</button>
        </form>
    }
}

#[component]
fn ConvertButton(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let save = Action::new(move |_: &()| async move { convert_service_to_lead(ctx.id, ctx.version).await });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(lead)) = save.value().get() {
            navigate(&format!("/leads/{lead}"), Default::default());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("kind").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <section class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
            <p class="text-sm text-slate-600">{t.t("service.convert_hint")}</p>
            <p class="min-h-5 text-sm text-red-600">{error}</p>
            <button type="button" class=BTN_SECONDARY data-testid="service-convert" disabled=move || save.pending().get() on:click=move |_| { save.dispatch(()); }>
                {t.t("service.convert")}
            </button>
        </section>
    }
}

/// What the customer and the service desk wrote to each other (the portal shows the
/// same thread): the customer's messages on the left, the replies on the right.
#[component]
fn MessageThread(messages: Vec<ServiceMessage>) -> impl IntoView {
    let t = use_i18n();
    if messages.is_empty() {
        return ().into_any();
    }
    view! {
        <h2 class="mt-4 font-semibold">{t.t("service.conversation")}</h2>
        <ol class="mt-2 flex flex-col gap-2" data-testid="service-messages">
            {messages.into_iter().map(|m| {
                let (class, who) = if m.from_customer {
                    ("mr-8 rounded-lg bg-slate-100 p-3", t.t_args("service.from_customer", &[("name", m.author.clone())]))
                } else {
                    ("ml-8 rounded-lg bg-blue-50 p-3", m.author.clone())
                };
                view! {
                    <li class=class data-testid="service-message" data-from-customer=m.from_customer.to_string()>
                        <p class="text-sm text-slate-600">{format!("{who} · {}", fmt_time(m.created_at))}</p>
                        <p class="whitespace-pre-wrap text-slate-900">{m.body.clone()}</p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The return visits so far, newest first, with their scores.
#[component]
fn VisitList(visits: Vec<ReturnVisit>) -> impl IntoView {
    let t = use_i18n();
    if visits.is_empty() {
        return ().into_any();
    }
    view! {
        <h2 class="mt-4 font-semibold">{t.t("service.visits")}</h2>
        <ul class="divide-y divide-slate-100" data-testid="service-visits">
            {visits.into_iter().map(|v| {
                let class = if satisfied(v.satisfaction) { "font-medium text-green-800" } else { "font-medium text-red-800" };
                view! {
                    <li class="py-2" data-testid="service-visit" data-score=v.satisfaction.to_string()>
                        <span class=class>{t.t_args("service.score", &[("score", v.satisfaction.to_string())])}</span>
                        <span class="ml-2 text-sm text-slate-600">
                            {format!("{} · {} · {}", t.t(&format!("service.visit_channel.{}", v.channel)), fmt_time(v.created_at), v.created_by_name.clone().unwrap_or_default())}
                        </span>
                        {(!v.comment.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-800">{v.comment.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A return visit: channel, a 1–5 score as large buttons, a comment and a product-issue flag.
#[component]
fn VisitForm(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let channel = RwSignal::new("phone".to_string());
    let score = RwSignal::new(0_i64);
    let comment = RwSignal::new(String::new());
    let issue = RwSignal::new(false);
    let save = Action::new(move |input: &VisitInput| {
        let input = input.clone();
        async move { record_service_visit(ctx.id, ctx.version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let other_error =
        move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    view! {
        <form novalidate class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="service-visit-form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(VisitInput { channel: channel.get_untracked(), satisfaction: score.get_untracked(), comment: comment.get_untracked(), product_issue: issue.get_untracked() });
            }>
            <h2 class="font-semibold">{t.t("service.return_visit")}</h2>
            {move || other_error().map(|m| view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{m}</p> })}
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("service.visit_channel")}</span>
                <select class=INPUT data-testid="visit-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                    {VISIT_CHANNELS.iter().map(|c| view! { <option value=*c selected=*c == "phone">{t.t(&format!("service.visit_channel.{c}"))}</option> }).collect_view()}
                </select>
            </label>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t.t("service.satisfaction")}</legend>
                <div class="mt-1 flex gap-2" role="group">
                    {(1..=5).map(|n| view! {
                        <button type="button" data-testid=format!("visit-score-{n}") aria-pressed=move || (score.get() == n).to_string()
                            class="min-h-11 min-w-11 rounded-md border border-slate-300 text-lg aria-[pressed=true]:border-blue-700 aria-[pressed=true]:bg-blue-700 aria-[pressed=true]:text-white"
                            on:click=move |_| score.set(n)>{n.to_string()}</button>
                    }).collect_view()}
                </div>
                <p class="min-h-5 text-sm text-red-600" data-testid="visit-score-error">{move || err("satisfaction").get().map(|c| t.t(&c))}</p>
            </fieldset>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("service.visit_comment")}</span>
                <textarea class=INPUT rows="2" maxlength="4000" data-testid="visit-comment" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))
                    aria-invalid=move || err("comment").get().is_some().to_string()></textarea>
                <span class="min-h-5 text-sm text-red-600" data-testid="visit-comment-error">{move || err("comment").get().map(|c| t.t(&c))}</span>
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="visit-product-issue" prop:checked=move || issue.get() on:change=move |ev| issue.set(event_target_checked(&ev))/>
                {t.t("service.flag_product_issue")}
            </label>
            <button type="submit" class=BTN_PRIMARY data-testid="visit-save" disabled=move || save.pending().get()>{t.t("service.save_visit")}</button>
        </form>
    }
}

/// Closing a complaint without a satisfied customer: a reason, for the record.
#[component]
fn OverrideForm(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let reason = RwSignal::new(String::new());
    let save = Action::new(move |r: &String| {
        let r = r.clone();
        async move { override_service_close(ctx.id, ctx.version, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("reason").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <form novalidate class="flex flex-col gap-2 rounded-lg border border-amber-300 bg-white p-4" data-testid="service-override-form"
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(reason.get_untracked()); }>
            <label class=LABEL>
                <span class="font-semibold">{t.t("service.override")}</span>
                <span class="text-slate-600">{t.t("service.override_hint")}</span>
                <input class=INPUT maxlength="200" data-testid="override-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <p class="min-h-5 text-sm text-red-600" data-testid="override-error">{error}</p>
            <button type="submit" class=BTN_DANGER data-testid="override-save" disabled=move || save.pending().get()>{t.t("service.override_close")}</button>
        </form>
    }
}
