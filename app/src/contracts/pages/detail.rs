//! A contract's page: figures, the payment plan with each instalment's state, payments
//! and invoices with their forms, voiding with a reason, and termination.
use super::{contract_badge, money};
use crate::contracts::api::*;
use crate::contracts::types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{detail_field, error_text, fmt_time, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

const INPUT: &str = "min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base aria-[invalid=true]:border-red-500";
const LABEL: &str = "flex flex-col gap-1 text-sm";

#[component]
pub fn ContractDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_contract(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <ContractView d reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The state of one instalment: paid, partly paid, overdue or due.
fn instalment_state(i: &Instalment, today: &str) -> &'static str {
    if i.open() == 0 {
        "paid"
    } else if i.overdue(today) {
        "overdue"
    } else if i.paid > 0 {
        "partial"
    } else {
        "due"
    }
}

fn state_badge(t: I18n, state: &'static str) -> impl IntoView {
    let class = match state {
        "paid" => "bg-green-100 text-green-900",
        "overdue" => "bg-red-100 text-red-900",
        "partial" => "bg-blue-100 text-blue-900",
        _ => "bg-slate-200 text-slate-800",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-xs font-medium {class}") data-testid="instalment-state" data-state=state>
            {t.t(&format!("contract.instalment_state.{state}"))}
        </span>
    }
}

/// A validation error's messages in one line; other errors as their text.
fn error_line(t: I18n, e: &AppError) -> String {
    match e {
        AppError::Validation(v) => v.iter().map(|f| t.t(&f.code)).collect::<Vec<_>>().join(" "),
        e => error_text(t, e),
    }
}

#[component]
fn ContractView(d: ContractDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let k = d.contract.clone();
    let (id, version) = (k.id, k.version);
    let cur = k.currency.clone();
    let error = RwSignal::new(None::<AppError>);
    let reason = RwSignal::new(String::new());
    let terminating = RwSignal::new(false);
    let terminate = Action::new(move |_: &()| {
        let r = reason.get_untracked();
        async move { terminate_contract(id, version, r).await }
    });
    Effect::new(move |_| match terminate.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let figures = [
        ("contract.amount", money(k.amount, &cur), "figure-amount"),
        ("contract.received", money(k.paid, &cur), "figure-received"),
        ("contract.outstanding", money(k.outstanding(), &cur), "figure-outstanding"),
        ("contract.overdue", money(k.overdue, &cur), "figure-overdue"),
        ("contract.invoiced", money(k.invoiced, &cur), "figure-invoiced"),
    ];
    let today = d.today.clone();
    let service_bill = k.is_service_bill();
    let work_order_number = k.work_order_number.clone();
    let bill = (!d.bill_lines.is_empty()).then(|| {
        let total = k.amount;
        let list: i64 = d.bill_lines.iter().map(|l| l.list_amount()).sum();
        view! {
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3" data-testid="contract-bill">
                <h2 class="mb-2 font-semibold">{t.t("contract.bill_lines")}</h2>
                {crate::fieldwork::pages::bill_lines_table(t, d.bill_lines.clone(), cur.clone(), total, (list - total).max(0))}
            </section>
        }
    });
    let (customer_name, opportunity_name, quote_number) = (k.customer_name.clone(), k.opportunity_name.clone(), k.quote_number.clone());
    view! {
        <Title text=k.number.clone()/>
        <PageHeader title=k.number.clone()>
            {service_bill.then(|| view! {
                <a href=format!("/service-bills/{id}/pdf") rel="external" download class=BTN_SECONDARY data-testid="bill-pdf">{t.t("print.download_pdf")}</a>
            })}
            {d.can_edit.then(|| view! {
                {(!service_bill).then(|| view! {
                    <A href=format!("/contracts/{id}/edit") attr:class=BTN_SECONDARY attr:data-testid="contract-edit">{t.t("common.edit")}</A>
                })}
                <button type="button" class=BTN_SECONDARY data-testid="contract-terminate" on:click=move |_| terminating.update(|v| *v = !*v)>
                    {t.t(if service_bill { "contract.cancel_bill" } else { "contract.terminate" })}
                </button>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-3">
            {contract_badge(t, &k, &today)}
            {service_bill.then(|| view! { <span class="rounded border border-slate-300 px-2 py-0.5 text-sm" data-testid="contract-kind-service">{t.t("contract.kind.service")}</span> })}
            <span class="text-sm text-slate-600">{k.title.clone()}</span>
            {k.terminate_reason.clone().map(|r| view! { <span class="text-sm text-slate-700">{t.t("contract.terminate_reason")}": "{r}</span> })}
        </div>
        {move || error.get().map(|e| view! { <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">{error_line(t, &e)}</p> })}
        {move || terminating.get().then(|| view! {
            <section class="mb-4 flex flex-col gap-2 rounded-lg border border-red-300 bg-red-50 p-4" data-testid="terminate-panel">
                <label for="terminate-reason" class="text-sm font-medium">{t.t("contract.terminate_reason")}</label>
                <input id="terminate-reason" class=INPUT maxlength="200" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                <div><button type="button" class=BTN_DANGER data-testid="terminate-confirm" disabled=move || terminate.pending().get()
                    on:click=move |_| { terminate.dispatch(()); }>{t.t("contract.terminate")}</button></div>
            </section>
        })}
        <dl class="mb-4 grid grid-cols-2 gap-2 md:grid-cols-5" data-testid="contract-figures">
            {figures.into_iter().map(|(key, value, test)| view! {
                <div class="rounded-lg border border-slate-200 bg-white p-3">
                    <dt class="text-sm text-slate-500">{t.t(key)}</dt>
                    <dd class="text-lg font-semibold tabular-nums" data-testid=test>{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("contract.section.header")}</h2>
                <dl>
                    <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                        <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("quote.customer")}</dt>
                        <dd><A href=format!("/customers/{}", k.customer_id) attr:class="text-blue-800 underline">{customer_name}</A></dd>
                    </div>
                    {k.opportunity_id.map(|o| view! {
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("quote.opportunity")}</dt>
                            <dd><A href=format!("/opportunities/{o}") attr:class="text-blue-800 underline">{opportunity_name}</A></dd>
                        </div>
                    })}
                    {k.work_order_id.map(|w| view! {
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("contract.work_order")}</dt>
                            <dd>{if crate::ui::can(crate::platform::authz::Entity::WorkOrder, crate::platform::authz::Action::View) {
                                view! { <A href=format!("/work-orders/{w}") attr:class="font-mono text-blue-800 underline" attr:data-testid="contract-work-order">{work_order_number.clone()}</A> }.into_any()
                            } else {
                                view! { <span class="font-mono" data-testid="contract-work-order">{work_order_number.clone()}</span> }.into_any()
                            }}</dd>
                        </div>
                    })}
                    {k.quote_id.map(|q| view! {
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("order.quote")}</dt>
                            <dd><A href=format!("/quotes/{q}") attr:class="font-mono text-blue-800 underline">{quote_number}</A></dd>
                        </div>
                    })}
                    {detail_field(t, "contract.signed_on", Some(k.signed_on.clone()))}
                    {detail_field(t, "contract.term", Some(format!("{} – {}", k.starts_on, k.ends_on)))}
                    {detail_field(t, "quote.owner", k.owner_name.clone())}
                    {detail_field(t, "contract.terms", Some(k.terms.clone()))}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <h2 class="mb-2 font-semibold">{t.t("contract.plan")}</h2>
                <ul class="flex flex-col divide-y divide-slate-100" data-testid="contract-plan-view">
                    {d.plan.iter().map(|i| {
                        let state = instalment_state(i, &today);
                        view! {
                            <li class="flex flex-col gap-1 py-2" data-testid="instalment">
                                <div class="flex flex-wrap items-center justify-between gap-2">
                                    <span class="font-medium">{t.t_args("contract.instalment_n", &[("n", i.position.to_string())])}" · "{i.due_on.clone()}</span>
                                    {state_badge(t, state)}
                                </div>
                                <div class="flex flex-wrap justify-between gap-x-3 text-sm tabular-nums text-slate-600">
                                    <span>{t.t_args("contract.paid_of", &[("paid", money(i.paid, &cur)), ("amount", money(i.amount, &cur))])}</span>
                                    {(i.open() > 0).then(|| view! { <span>{t.t_args("contract.open_amount", &[("amount", money(i.open(), &cur))])}</span> })}
                                </div>
                                {(!i.note.is_empty()).then(|| view! { <span class="text-sm text-slate-500">{i.note.clone()}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            {bill}
            {(d.can_edit && k.outstanding() > 0).then(|| view! { <PaymentForm d=d.clone() reload/> })}
            {(d.can_edit && k.invoiced < k.amount).then(|| view! { <InvoiceForm d=d.clone() reload/> })}
            <Ledger d=d.clone() reload/>
        </div>
    }
}

/// Records a payment: the first open instalment and its open amount are filled in.
#[component]
fn PaymentForm(d: ContractDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (d.contract.id, d.contract.version);
    let c = d.contract.currency();
    let open: Vec<Instalment> = d.plan.iter().filter(|i| i.open() > 0).cloned().collect();
    let first = open.first().cloned();
    let instalment = RwSignal::new(first.as_ref().map(|i| i.id.to_string()).unwrap_or_default());
    let amount = RwSignal::new(first.as_ref().map(|i| plain_amount(i.open(), c)).unwrap_or_default());
    let received_on = RwSignal::new(crate::ui::today_iso());
    let method = RwSignal::new("bank".to_string());
    let reference = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let save = Action::new(move |input: &PaymentInput| {
        let input = input.clone();
        async move { record_payment(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reload.run(());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let other_error =
        move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    let open_by_id = open.clone();
    let pick = move |v: String| {
        if let Some(i) = open_by_id.iter().find(|i| i.id.to_string() == v) {
            amount.set(plain_amount(i.open(), c));
        }
        instalment.set(v);
    };
    let cur = d.contract.currency.clone();
    view! {
        <form novalidate class="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3" data-testid="payment-form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(PaymentInput {
                    instalment_id: instalment.get_untracked().parse().ok(),
                    amount: amount.get_untracked(),
                    received_on: received_on.get_untracked(),
                    method: method.get_untracked(),
                    reference: reference.get_untracked(),
                    note: note.get_untracked(),
                });
            }>
            <h2 class="font-semibold">{t.t("contract.record_payment")}</h2>
            {move || other_error().map(|m| view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{m}</p> })}
            <div class="grid grid-cols-1 gap-3 md:grid-cols-3">
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("contract.instalment")}</span>
                    <select class=INPUT data-testid="payment-instalment" on:change=move |ev| pick(event_target_value(&ev))>
                        {open.iter().map(|i| {
                            let v = i.id.to_string();
                            let label = format!("{} · {} · {}", t.t_args("contract.instalment_n", &[("n", i.position.to_string())]), i.due_on, money(i.open(), &cur));
                            view! { <option value=v.clone() selected=instalment.get_untracked() == v>{label}</option> }
                        }).collect_view()}
                    </select>
                    <span class="min-h-5 text-sm text-red-600">{move || err("instalment_id").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("contract.payment_amount")}</span>
                    <input class=INPUT inputmode="decimal" data-testid="payment-amount" prop:value=move || amount.get()
                        on:input=move |ev| amount.set(event_target_value(&ev)) aria-invalid=move || err("amount").get().is_some().to_string()/>
                    <span class="min-h-5 text-sm text-red-600" data-testid="payment-amount-error">{move || err("amount").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("contract.received_on")}</span>
                    <input type="date" class=INPUT data-testid="payment-date" prop:value=move || received_on.get()
                        on:input=move |ev| received_on.set(event_target_value(&ev)) aria-invalid=move || err("received_on").get().is_some().to_string()/>
                    <span class="min-h-5 text-sm text-red-600">{move || err("received_on").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("contract.method")}</span>
                    <select class=INPUT data-testid="payment-method" on:change=move |ev| method.set(event_target_value(&ev))>
                        {METHODS.iter().map(|m| view! { <option value=*m selected=*m == "bank">{t.t(&format!("contract.method.{m}"))}</option> }).collect_view()}
                    </select>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("contract.reference")}</span>
                    <input class=INPUT maxlength="200" prop:value=move || reference.get() on:input=move |ev| reference.set(event_target_value(&ev))/>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("inventory.note")}</span>
                    <input class=INPUT maxlength="200" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
            </div>
            <div>
                <button type="submit" class=BTN_PRIMARY data-testid="payment-save" disabled=move || save.pending().get()>{t.t("contract.record_payment")}</button>
            </div>
        </form>
    }
}

/// Issues an invoice: what is not invoiced yet is filled in.
#[component]
fn InvoiceForm(d: ContractDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (d.contract.id, d.contract.version);
    let c = d.contract.currency();
    let kind = RwSignal::new("vat_normal".to_string());
    let tax_number = RwSignal::new(String::new());
    let amount = RwSignal::new(plain_amount(d.contract.amount - d.contract.invoiced, c));
    let issued_on = RwSignal::new(crate::ui::today_iso());
    let note = RwSignal::new(String::new());
    let save = Action::new(move |input: &InvoiceInput| {
        let input = input.clone();
        async move { record_invoice(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reload.run(());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let other_error =
        move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    view! {
        <details class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3" data-testid="invoice-panel">
            <summary class="min-h-11 cursor-pointer font-semibold">{t.t("contract.issue_invoice")}</summary>
            <form novalidate class="mt-3 flex flex-col gap-3" data-testid="invoice-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(InvoiceInput {
                        kind: kind.get_untracked(),
                        tax_number: tax_number.get_untracked(),
                        amount: amount.get_untracked(),
                        issued_on: issued_on.get_untracked(),
                        note: note.get_untracked(),
                    });
                }>
                {move || other_error().map(|m| view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{m}</p> })}
                <div class="grid grid-cols-1 gap-3 md:grid-cols-3">
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("contract.invoice_kind")}</span>
                        <select class=INPUT data-testid="invoice-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {INVOICE_KINDS.iter().map(|k| view! { <option value=*k selected=*k == "vat_normal">{t.t(&format!("contract.invoice_kind.{k}"))}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("contract.tax_number")}</span>
                        <input class=INPUT maxlength="60" data-testid="invoice-tax-number" prop:value=move || tax_number.get()
                            on:input=move |ev| tax_number.set(event_target_value(&ev))/>
                        <span class="min-h-5 text-sm text-red-600">{move || err("tax_number").get().map(|c| t.t(&c))}</span>
                    </label>
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("contract.invoice_amount")}</span>
                        <input class=INPUT inputmode="decimal" data-testid="invoice-amount" prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev)) aria-invalid=move || err("amount").get().is_some().to_string()/>
                        <span class="min-h-5 text-sm text-red-600" data-testid="invoice-amount-error">{move || err("amount").get().map(|c| t.t(&c))}</span>
                    </label>
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("contract.issued_on")}</span>
                        <input type="date" class=INPUT prop:value=move || issued_on.get() on:input=move |ev| issued_on.set(event_target_value(&ev))
                            aria-invalid=move || err("issued_on").get().is_some().to_string()/>
                        <span class="min-h-5 text-sm text-red-600">{move || err("issued_on").get().map(|c| t.t(&c))}</span>
                    </label>
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("inventory.note")}</span>
                        <input class=INPUT maxlength="200" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    </label>
                </div>
                <div>
                    <button type="submit" class=BTN_PRIMARY data-testid="invoice-save" disabled=move || save.pending().get()>{t.t("contract.issue_invoice")}</button>
                </div>
            </form>
        </details>
    }
}

/// Payments and invoices, newest first; a manager may void one with a reason.
#[component]
fn Ledger(d: ContractDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (d.contract.id, d.contract.version);
    let voiding = RwSignal::new(None::<(bool, i64)>);
    let reason = RwSignal::new(String::new());
    let void = Action::new(move |(payment, row): &(bool, i64)| {
        let (payment, row, r) = (*payment, *row, reason.get_untracked());
        async move { void_contract_entry(id, version, payment, row, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = void.value().get() {
            reload.run(());
        }
    });
    let can_void = d.can_approve;
    let void_panel = move |payment: bool, row: i64| {
        view! {
            {move || (voiding.get() == Some((payment, row))).then(|| view! {
                <div class="mt-2 flex flex-col gap-2 rounded-md border border-red-200 bg-red-50 p-3">
                    <label class="text-sm font-medium" for=format!("void-{row}")>{t.t("contract.void_reason")}</label>
                    <input id=format!("void-{row}") class=INPUT maxlength="200" data-testid="void-reason" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <p class="text-sm text-red-700">{move || void.value().get().and_then(|r| r.err()).map(|e| error_line(t, &e))}</p>
                    <div><button type="button" class=BTN_DANGER data-testid="void-confirm" disabled=move || void.pending().get()
                        on:click=move |_| { void.dispatch((payment, row)); }>{t.t("contract.void")}</button></div>
                </div>
            })}
        }
    };
    let cur = d.contract.currency.clone();
    let cur2 = cur.clone();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2" data-testid="contract-payments">
            <h2 class="mb-2 font-semibold">{t.t("contract.payments")}</h2>
            {if d.payments.is_empty() {
                view! { <p class="text-sm text-slate-500">{t.t("contract.no_payments")}</p> }.into_any()
            } else {
                view! {
                    <ul class="flex flex-col divide-y divide-slate-100">
                        {d.payments.iter().map(|p| {
                            let voided = p.voided_at.is_some();
                            let row = p.id;
                            view! {
                                <li class="flex flex-col py-2 text-sm" data-testid="payment" data-voided=voided.to_string()>
                                    <div class="flex flex-wrap items-center justify-between gap-2">
                                        <span class=if voided { "font-medium line-through text-slate-500" } else { "font-medium" }>
                                            <span class="font-mono">{p.number.clone()}</span>" · "{p.received_on.clone()}" · "
                                            {t.t_args("contract.instalment_n", &[("n", p.instalment_position.to_string())])}
                                        </span>
                                        <span class="font-medium tabular-nums">{money(p.amount, &cur)}</span>
                                    </div>
                                    <span class="text-xs text-slate-500">
                                        {t.t(&format!("contract.method.{}", p.method))}
                                        {(!p.reference.is_empty()).then(|| format!(" · {}", p.reference))}
                                        {(!p.note.is_empty()).then(|| format!(" · {}", p.note))}
                                        {p.created_by_name.clone().map(|n| format!(" · {n} {}", fmt_time(p.created_at)))}
                                    </span>
                                    {p.void_reason.clone().map(|r| view! { <span class="text-xs text-red-700">{t.t("contract.voided")}": "{r}</span> })}
                                    {(can_void && !voided).then(|| view! {
                                        <div><button type="button" class="min-h-11 text-sm text-red-700 underline" data-testid="payment-void"
                                            on:click=move |_| { reason.set(String::new()); voiding.set(Some((true, row))); }>{t.t("contract.void")}</button></div>
                                        {void_panel(true, row)}
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="contract-invoices">
            <h2 class="mb-2 font-semibold">{t.t("contract.invoices")}</h2>
            {if d.invoices.is_empty() {
                view! { <p class="text-sm text-slate-500">{t.t("contract.no_invoices")}</p> }.into_any()
            } else {
                view! {
                    <ul class="flex flex-col divide-y divide-slate-100">
                        {d.invoices.iter().map(|v| {
                            let voided = v.voided_at.is_some();
                            let row = v.id;
                            view! {
                                <li class="flex flex-col py-2 text-sm" data-testid="invoice" data-voided=voided.to_string()>
                                    <div class="flex flex-wrap items-center justify-between gap-2">
                                        <span class=if voided { "line-through text-slate-500" } else { "" }>
                                            <span class="font-mono">{v.number.clone()}</span>" · "{v.issued_on.clone()}
                                        </span>
                                        <span class="font-medium tabular-nums">{money(v.amount, &cur2)}</span>
                                    </div>
                                    <span class="text-xs text-slate-500">
                                        {t.t(&format!("contract.invoice_kind.{}", v.kind))}
                                        {(!v.tax_number.is_empty()).then(|| format!(" · {}", v.tax_number))}
                                        {(!v.note.is_empty()).then(|| format!(" · {}", v.note))}
                                    </span>
                                    {v.void_reason.clone().map(|r| view! { <span class="text-xs text-red-700">{t.t("contract.voided")}": "{r}</span> })}
                                    {(can_void && !voided).then(|| view! {
                                        <div><button type="button" class="min-h-11 text-sm text-red-700 underline" data-testid="invoice-void"
                                            on:click=move |_| { reason.set(String::new()); voiding.set(Some((false, row))); }>{t.t("contract.void")}</button></div>
                                        {void_panel(false, row)}
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
