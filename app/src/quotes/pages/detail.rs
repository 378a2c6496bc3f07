//! A quote's page: header, lines with the policy that priced each, totals, the approval
//! flow's next steps for this user, and every revision.
use super::{money, status_badge};
use crate::catalog::types::{format_qty, format_rate_bp};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::quotes::api::{advance_quote, get_quote, revise_quote};
use crate::quotes::types::*;
use crate::ui::{detail_field, error_text, fmt_time, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn QuoteDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_quote(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <QuoteView d reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteView(d: QuoteDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let q = d.quote.clone();
    let (id, version, status) = (q.id, q.version, q.status());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let step = Action::new(move |s: &QuoteStep| {
        let s = *s;
        let n = note.get_untracked();
        async move { advance_quote(id, version, s, n).await }
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            reload.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let revise = Action::new(move |_: &()| async move { revise_quote(id, version).await });
    Effect::new(move |_| match revise.value().get() {
        Some(Ok(new_id)) => navigate(&format!("/quotes/{new_id}/edit"), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let navigate_order = use_navigate();
    let to_order = Action::new(move |_: &()| async move { crate::orders::api::order_from_quote(id).await });
    Effect::new(move |_| match to_order.value().get() {
        Some(Ok(order)) => navigate_order(&format!("/orders/{order}"), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let busy = move || step.pending().get() || revise.pending().get() || to_order.pending().get();
    let c = q.currency.clone();
    let needs_approval = q.effective_discount_bp > d.approval_bp;
    let title = q.label();
    let button = move |s: QuoteStep, key: &'static str, class: &'static str| {
        view! {
            <button type="button" class=class data-testid=format!("quote-{}", key.rsplit('.').next().unwrap_or(key)) disabled=busy
                on:click=move |_| { step.dispatch(s); }>{t.t(key)}</button>
        }
    };
    let mut actions = Vec::new();
    if d.can_edit && status.editable() {
        actions.push(
            view! { <A href=format!("/quotes/{id}/edit") attr:class=BTN_SECONDARY attr:data-testid="quote-edit">{t.t("common.edit")}</A> }
                .into_any(),
        );
        actions.push(button(QuoteStep::Submit, "quote.step.submit", BTN_PRIMARY).into_any());
    }
    if d.can_edit && status == QuoteStatus::Approved {
        actions.push(button(QuoteStep::Send, "quote.step.send", BTN_PRIMARY).into_any());
    }
    if d.can_edit && matches!(status, QuoteStatus::Approved | QuoteStatus::Sent) {
        actions.push(button(QuoteStep::Accept, "quote.step.accept", BTN_SECONDARY).into_any());
        actions.push(button(QuoteStep::Decline, "quote.step.decline", BTN_SECONDARY).into_any());
    }
    if d.can_edit && status.revisable() && !status.editable() {
        actions.push(view! {
            <button type="button" class=BTN_SECONDARY data-testid="quote-revise" disabled=busy on:click=move |_| { revise.dispatch(()); }>
                {t.t("quote.step.revise")}
            </button>
        }.into_any());
    }
    if matches!(status, QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted)
        && crate::ui::can(crate::platform::authz::Entity::Order, crate::platform::authz::Action::Create)
    {
        actions.push(view! {
            <button type="button" class=BTN_PRIMARY data-testid="quote-to-order" disabled=busy on:click=move |_| { to_order.dispatch(()); }>
                {t.t("order.from_quote")}
            </button>
        }.into_any());
    }
    if matches!(status, QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted)
        && crate::ui::can(crate::platform::authz::Entity::Contract, crate::platform::authz::Action::Create)
    {
        actions.push(view! {
            <a href=format!("/contracts/new?quote={id}") class=BTN_SECONDARY data-testid="quote-to-contract">{t.t("contract.from_quote")}</a>
        }.into_any());
    }
    // A plain link: the browser downloads the file; the router must not take the click.
    actions.push(
        view! {
            <a href=format!("/quotes/{id}/pdf") rel="external" download class=BTN_SECONDARY data-testid="quote-pdf">{t.t("print.download_pdf")}</a>
        }
        .into_any(),
    );
    let deciding = d.can_approve && status == QuoteStatus::Pending;
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title>
            {actions}
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-3">
            {status_badge(t, &q.status)}
            {(needs_approval && status.editable()).then(|| view! {
                <span class="text-sm text-amber-800" data-testid="needs-approval">
                    {t.t_args("quote.needs_approval", &[("pct", format_rate_bp(q.effective_discount_bp)), ("limit", format_rate_bp(d.approval_bp))])}
                </span>
            })}
            {q.approval_note.clone().filter(|n| !n.is_empty()).map(|n| view! {
                <span class="text-sm text-slate-700" data-testid="approval-note">{t.t("quote.decision_note")}": "{n}{q.decided_by_name.clone().map(|b| format!(" · {b}"))}</span>
            })}
        </div>
        {move || error.get().map(|e| view! {
            <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">
                {match &e { AppError::Validation(v) => v.iter().map(|f| t.t(&f.code)).collect::<Vec<_>>().join(" "), e => error_text(t, e) }}
            </p>
        })}
        {deciding.then(|| view! {
            <section class="mb-4 flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="approval-panel">
                <h2 class="font-semibold">{t.t("quote.approval_title")}</h2>
                <label for="decision-note" class="text-sm font-medium">{t.t("quote.decision_note")}</label>
                <textarea id="decision-note" rows="2" class="rounded-md border border-slate-300 px-3 py-2 text-base"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <div class="flex gap-2">
                    {button(QuoteStep::Approve, "quote.step.approve", BTN_PRIMARY)}
                    {button(QuoteStep::Reject, "quote.step.reject", BTN_DANGER)}
                </div>
            </section>
        })}
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("quote.section.header")}</h2>
                <dl>
                    <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                        <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("quote.customer")}</dt>
                        <dd><A href=format!("/customers/{}", q.customer_id) attr:class="text-blue-800 underline">{q.customer_name.clone()}</A></dd>
                    </div>
                    {q.opportunity_id.map(|o| view! {
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("quote.opportunity")}</dt>
                            <dd><A href=format!("/opportunities/{o}") attr:class="text-blue-800 underline">{q.opportunity_name.clone()}</A></dd>
                        </div>
                    })}
                    {detail_field(t, "quote.title", Some(q.title.clone()))}
                    {detail_field(t, "quote.date", Some(q.quote_date.clone()))}
                    {detail_field(t, "quote.valid_until", Some(q.valid_until.clone()))}
                    {detail_field(t, "quote.owner", q.owner_name.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <h2 class="mb-2 font-semibold">{t.t("quote.section.lines")}</h2>
                // Phones get one card per line; wider screens the table.
                <ul class="flex flex-col divide-y divide-slate-100 sm:hidden" data-testid="quote-line-cards">
                    {d.lines.iter().map(|l| {
                        let c = c.clone();
                        view! {
                            <li class="py-2">
                                <p class="font-medium">{l.name.clone()}</p>
                                {l.policy_name.clone().map(|n| view! { <p class="text-xs text-slate-500">{t.t_args("quote.line.policy", &[("name", n)])}</p> })}
                                <p class="flex flex-wrap justify-between gap-x-3 text-sm tabular-nums text-slate-700">
                                    <span>{format!("{} {} × {}", format_qty(l.qty_milli), l.unit, money(l.unit_price, &c))}
                                        {(l.discount_bp > 0).then(|| format!(" −{} %", format_rate_bp(l.discount_bp)))}</span>
                                    <span class="font-medium text-slate-900">{money(l.amount, &c)}</span>
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="hidden overflow-x-auto sm:block">
                    <table class="w-full text-left text-sm" data-testid="quote-line-table">
                        <thead>
                            <tr class="border-b bg-slate-50">
                                <th scope="col" class="px-2 py-2 font-medium">{t.t("quote.line.name")}</th>
                                <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("price_check.qty")}</th>
                                <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("quote.line.unit_price")}</th>
                                <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("quote.line.discount")}</th>
                                <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("quote.line.amount")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.lines.iter().map(|l| {
                                let c = c.clone();
                                view! {
                                    <tr class="border-b border-slate-100 align-top" data-testid="quote-line-row">
                                        <td class="px-2 py-2">
                                            <span class="font-medium">{l.name.clone()}</span>
                                            {l.policy_name.clone().map(|n| view! { <span class="block text-xs text-slate-500">{t.t_args("quote.line.policy", &[("name", n)])}</span> })}
                                        </td>
                                        <td class="px-2 py-2 text-right tabular-nums whitespace-nowrap">{format!("{} {}", format_qty(l.qty_milli), l.unit)}</td>
                                        <td class="px-2 py-2 text-right tabular-nums whitespace-nowrap">{money(l.unit_price, &c)}</td>
                                        <td class="px-2 py-2 text-right tabular-nums">{(l.discount_bp > 0).then(|| format!("{} %", format_rate_bp(l.discount_bp)))}</td>
                                        <td class="px-2 py-2 text-right tabular-nums whitespace-nowrap">{money(l.amount, &c)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <dl class="ml-auto mt-3 grid max-w-sm grid-cols-2 gap-y-1 tabular-nums" data-testid="quote-totals">
                    <dt>{t.t("quote.subtotal")}</dt><dd class="text-right">{money(q.subtotal, &q.currency)}</dd>
                    <dt>{t.t_args("quote.discount_pct", &[("pct", format_rate_bp(q.discount_bp))])}</dt><dd class="text-right">{money(-q.discount_total, &q.currency)}</dd>
                    <dt>{t.t("quote.tax_total")}</dt><dd class="text-right">{money(q.tax_total, &q.currency)}</dd>
                    <dt class="font-semibold">{t.t("quote.total")}</dt><dd class="text-right font-semibold" data-testid="quote-total">{money(q.total, &q.currency)}</dd>
                </dl>
            </section>
            {(!q.terms.is_empty() || !q.notes.is_empty()).then(|| view! {
                <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                    <dl>
                        {detail_field(t, "quote.terms", Some(q.terms.clone()))}
                        {detail_field(t, "quote.notes", Some(q.notes.clone()))}
                    </dl>
                </section>
            })}
            <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="quote-revisions">
                <h2 class="mb-2 font-semibold">{t.t("quote.revisions")}</h2>
                <ul class="flex flex-col gap-1">
                    {d.revisions.iter().map(|r| {
                        let current = r.id == id;
                        view! {
                            <li class="flex flex-wrap items-center gap-2">
                                <A href=format!("/quotes/{}", r.id) attr:class=if current { "font-semibold" } else { "text-blue-800 underline" }>
                                    {format!("R{}", r.revision)}
                                </A>
                                {status_badge(t, &r.status)}
                                <span class="tabular-nums">{money(r.total, &q.currency)}</span>
                                <span class="text-xs text-slate-500">{fmt_time(r.updated_at)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}
