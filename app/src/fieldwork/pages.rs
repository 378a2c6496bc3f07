//! Work order pages: raising one from a request, its page (items, the customer's
//! confirmation, dispatch, cancel), the request's list of them, and the dispatch board.
use crate::fieldwork::api::*;
use crate::fieldwork::tablet::SiteRecordSection;
use crate::fieldwork::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{use_i18n, I18n};
use crate::platform::money::{format_amount, Currency};
use crate::tickets::pages::{INPUT, LABEL};
use crate::ui::{detail_field, error_text, field_error, fmt_time, FormAlert, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn money(minor: i64, currency: &str) -> String {
    format!("{} {}", currency, format_amount(minor, Currency::from_code(currency).unwrap_or_default()))
}

pub(crate) fn status_badge(t: I18n, status: &str) -> impl IntoView {
    let class = match status {
        "new" => "bg-blue-100 text-blue-900",
        "dispatched" => "bg-indigo-100 text-indigo-900",
        "in_progress" => "bg-amber-100 text-amber-900",
        "completed" => "bg-green-100 text-green-900",
        _ => "bg-slate-200 text-slate-700",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="work-status" data-status=status.to_string()>
            {t.t(&format!("work.status.{status}"))}
        </span>
    }
}

/// `HH:MM` of a time in the user's zone.
fn hhmm(ms: i64) -> String {
    fmt_time(ms).rsplit(' ').next().unwrap_or_default().to_string()
}

/// The local `YYYY-MM-DDTHH:MM` of a time, for a `datetime-local` input.
fn local_input(ms: i64) -> String {
    fmt_time(ms).replacen(' ', "T", 1)
}

/// The work orders of a request, on the request's page.
#[component]
pub fn RequestWorkOrders(request_id: i64, open: bool) -> impl IntoView {
    let t = use_i18n();
    let can_create = crate::ui::can(crate::platform::authz::Entity::WorkOrder, crate::platform::authz::Action::Create);
    let list = Resource::new(|| (), move |_| async move { list_request_work_orders(request_id).await.unwrap_or_default() });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = list.await;
                (can_create || !rows.is_empty()).then(|| view! {
                    <section class="mt-4" data-testid="request-work-orders">
                        <div class="flex flex-wrap items-center justify-between gap-2">
                            <h2 class="font-semibold">{t.t("work.title")}</h2>
                            {(can_create && open).then(|| view! {
                                <A href=format!("/work-orders/new?request={request_id}") attr:class=BTN_SECONDARY attr:data-testid="work-new">{t.t("work.new")}</A>
                            })}
                        </div>
                        <ul class="mt-2 divide-y divide-slate-100">
                            {rows.into_iter().map(|w| {
                                let when = w.planned_start.map(fmt_time);
                                view! {
                                    <li class="flex flex-wrap items-center gap-2 py-2">
                                        <A href=format!("/work-orders/{}", w.id) attr:class="font-medium text-blue-800 underline">{w.number.clone()}</A>
                                        {status_badge(t, &w.status)}
                                        <span class="text-sm text-slate-600">{w.engineer_name.clone().unwrap_or_default()}</span>
                                        <span class="text-sm text-slate-600">{when}</span>
                                        {(w.total > 0).then(|| view! { <span class="text-sm">{money(w.total, &w.currency)}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

#[component]
pub fn NewWorkOrderPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let request_id = query.read_untracked().get("request").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let navigate = use_navigate();
    let on_saved = Callback::new(move |id: i64| navigate(&format!("/work-orders/{id}"), Default::default()));
    view! {
        <Title text=t.t("work.new")/>
        <PageHeader title=t.t("work.new")>
            <A href=format!("/service/{request_id}") attr:class=BTN_SECONDARY>{t.t("work.back_to_request")}</A>
        </PageHeader>
        <WorkOrderEditor request_id existing=None on_saved/>
    }
}

/// A line being typed: a stable key, the product and the quantity.
type Line = (usize, RwSignal<String>, RwSignal<String>);

/// Items, skill, address, instructions and whether it is chargeable; for a new work
/// order (`existing` empty) or one not yet started.
#[component]
fn WorkOrderEditor(request_id: i64, existing: Option<(i64, i64, WorkOrderInput)>, on_saved: Callback<i64>) -> impl IntoView {
    let t = use_i18n();
    let start = existing.as_ref().map(|e| e.2.clone()).unwrap_or(WorkOrderInput { request_id, ..Default::default() });
    let skill = RwSignal::new(start.skill.clone());
    let address = RwSignal::new(start.address.clone());
    let instructions = RwSignal::new(start.instructions.clone());
    let chargeable = RwSignal::new(start.chargeable);
    // Each line: a stable key, the product and the quantity.
    let next_key = StoredValue::new(start.items.len());
    let lines: RwSignal<Vec<Line>> = RwSignal::new(
        start
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (i, RwSignal::new(it.product_id.map(|p| p.to_string()).unwrap_or_default()), RwSignal::new(it.qty.clone())))
            .collect(),
    );
    let products = Resource::new(|| (), |_| async move { work_order_products().await.unwrap_or_default() });
    let local: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let ids = existing.as_ref().map(|e| (e.0, e.1));
    let save = Action::new(move |input: &WorkOrderInput| {
        let input = input.clone();
        async move {
            match ids {
                Some((id, version)) => update_work_order(id, version, input).await.map(|_| id),
                None => create_work_order(input).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            on_saved.run(id);
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    // Line errors are named by position (`items.2.qty`).
    let line_err = move |i: usize, f: &str| {
        let name = format!("items.{i}.{f}");
        local
            .with(|es| es.iter().find(|e| e.field == name).map(|e| e.code.clone()))
            .or_else(|| server_error.get().and_then(|e| e.field(&name)))
            .map(|c| t.t(&c))
    };
    let add_line = move |_| {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        lines.update(|l| l.push((k, RwSignal::new(String::new()), RwSignal::new("1".into()))));
    };
    view! {
        <form novalidate class="flex flex-col gap-4" data-testid="work-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = WorkOrderInput {
                    request_id,
                    skill: skill.get_untracked(),
                    address: address.get_untracked(),
                    instructions: instructions.get_untracked(),
                    chargeable: chargeable.get_untracked(),
                    items: lines.get_untracked().iter().map(|(_, p, q)| WorkItemInput { product_id: p.get_untracked().parse().ok(), qty: q.get_untracked() }).collect(),
                };
                match input.validate() {
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(input);
                    }
                    Err(e) => local.set(e),
                }
            }>
            <FormAlert server_error local=local/>
            <fieldset class="grid min-w-0 grid-cols-1 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("work.section.job")}</legend>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("work.skill")}</span>
                    <input class=INPUT data-testid="work-skill" maxlength="60" prop:value=move || skill.get() on:input=move |ev| skill.set(event_target_value(&ev))/>
                    <span class="min-h-5 text-red-600">{move || err("skill").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("work.address")}</span>
                    <input class=INPUT data-testid="work-address" maxlength="300" placeholder=t.t("work.address_hint") prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
                    <span class="min-h-5 text-red-600">{move || err("address").get().map(|c| t.t(&c))}</span>
                </label>
                <label class="flex flex-col gap-1 text-sm md:col-span-2">
                    <span class="font-medium text-slate-700">{t.t("work.instructions")}</span>
                    <textarea class=INPUT rows="3" maxlength="4000" data-testid="work-instructions" prop:value=move || instructions.get() on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                    <span class="min-h-5 text-red-600">{move || err("instructions").get().map(|c| t.t(&c))}</span>
                </label>
                <label class="flex min-h-11 items-center gap-2 md:col-span-2">
                    <input type="checkbox" class="h-6 w-6" data-testid="work-chargeable" prop:checked=move || chargeable.get() on:change=move |ev| chargeable.set(event_target_checked(&ev))/>
                    <span>{t.t("work.chargeable")}</span>
                </label>
            </fieldset>
            <fieldset class="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
                <legend class="px-1 font-semibold">{t.t("work.items")}</legend>
                <p class="text-sm text-slate-500">{t.t("work.items_hint")}</p>
                <For each=move || lines.get() key=|l| l.0 let:line>
                    {
                        let (key, product, qty) = line;
                        let pos = move || lines.with(|l| l.iter().position(|x| x.0 == key).unwrap_or(0));
                        view! {
                            <div class="grid grid-cols-[1fr_6rem_auto] items-start gap-2" data-testid="work-line">
                                <div class="flex flex-col">
                                    <select class=INPUT data-testid="work-line-product" aria-label=t.t("work.item") on:change=move |ev| product.set(event_target_value(&ev))>
                                        <option value="">{t.t("work.pick_item")}</option>
                                        <Transition fallback=|| ()>
                                            {move || Suspend::new(async move {
                                                products.await.into_iter().map(|p| {
                                                    let id = p.id.to_string();
                                                    let selected = product.get_untracked() == id;
                                                    let label = format!("{} · {}", t.t(&format!("product.kind.{}", p.kind)), p.name);
                                                    view! { <option value=id selected=selected>{label}</option> }
                                                }).collect_view()
                                            })}
                                        </Transition>
                                    </select>
                                    <span class="min-h-5 text-sm text-red-600">{move || line_err(pos(), "product_id")}</span>
                                </div>
                                <div class="flex flex-col">
                                    <input class=INPUT inputmode="decimal" data-testid="work-line-qty" aria-label=t.t("work.qty") prop:value=move || qty.get() on:input=move |ev| qty.set(event_target_value(&ev))/>
                                    <span class="min-h-5 text-sm text-red-600">{move || line_err(pos(), "qty")}</span>
                                </div>
                                <button type="button" class=BTN_SECONDARY aria-label=t.t("work.remove_item") on:click=move |_| lines.update(|l| l.retain(|x| x.0 != key))>"✕"</button>
                            </div>
                        }
                    }
                </For>
                <span class="min-h-5 text-sm text-red-600">{move || err("items").get().map(|c| t.t(&c))}</span>
                <button type="button" class=BTN_SECONDARY data-testid="work-add-line" on:click=add_line>{t.t("work.add_item")}</button>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="work-save" disabled=move || save.pending().get()>{t.t("work.save")}</button>
            </div>
        </form>
    }
}

#[component]
pub fn WorkOrderPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_work_order(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <WorkOrderView d reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    id: i64,
    version: i64,
    reload: Callback<()>,
}

#[component]
fn WorkOrderView(d: WorkOrderDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let w = d.order.clone();
    let ctx = Ctx { id: w.id, version: w.version, reload };
    let editing = RwSignal::new(false);
    let can_change = d.can_edit && editable(&w.status);
    let input = WorkOrderInput {
        request_id: w.request_id,
        skill: w.skill.clone(),
        address: w.address.clone(),
        instructions: w.instructions.clone(),
        chargeable: w.chargeable,
        items: d
            .items
            .iter()
            .map(|i| WorkItemInput { product_id: Some(i.product_id), qty: crate::catalog::types::format_qty(i.qty_milli) })
            .collect(),
    };
    let existing = Some((w.id, w.version, input));
    let needs_confirmation = w.needs_confirmation();
    let (body, items) = (w.clone(), d.items.clone());
    let waiting_confirmation = (needs_confirmation && w.status != "cancelled").then(|| {
        view! { <span class="rounded bg-amber-100 px-2 py-0.5 text-sm font-medium text-amber-900" data-testid="work-needs-confirmation">{t.t("work.needs_confirmation")}</span> }
    });
    view! {
        <Title text=w.number.clone()/>
        <PageHeader title=format!("{} · {}", w.number, w.customer_name)>
            <A href=format!("/service/{}", w.request_id) attr:class=BTN_SECONDARY>{format!("{} {}", t.t("work.request"), w.request_number)}</A>
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-2">
            {status_badge(t, &w.status)}
            {w.chargeable.then(|| view! { <span class="rounded border border-slate-300 px-2 py-0.5 text-sm">{t.t("work.chargeable_badge")}</span> })}
            {waiting_confirmation}
        </div>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="min-w-0 rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                {
                    move || if editing.get() {
                        let existing = existing.clone();
                        view! { <WorkOrderEditor request_id=body.request_id existing on_saved=Callback::new(move |_| { editing.set(false); reload.run(()); })/> }.into_any()
                    } else {
                        summary(t, body.clone(), items.clone(), can_change, editing).into_any()
                    }
                }
                <SiteRecordSection site=d.site.clone()/>
                {(w.status == "completed").then(|| view! { <BillSection d=d.clone() reload/> })}
            </section>
            <div class="flex flex-col gap-4">
                {(can_change && needs_confirmation).then(|| view! { <ConfirmForm ctx/> })}
                {(d.can_dispatch && editable(&w.status)).then(|| {
                    let engineers = d.engineers.clone();
                    let default_start = w.planned_start.map(local_input).unwrap_or_else(|| format!("{}T09:00", crate::ui::today_iso()));
                    let minutes = match (w.planned_start, w.planned_end) {
                        (Some(s), Some(e)) => ((e - s) / 60_000).to_string(),
                        _ => "120".to_string(),
                    };
                    view! {
                        <section class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
                            <h2 class="font-semibold">{t.t("work.dispatch")}</h2>
                            <DispatchForm id=w.id version=w.version skill=w.skill.clone() engineers current=w.owner_id default_start minutes done=reload/>
                        </section>
                    }
                })}
                {can_change.then(|| view! { <CancelForm ctx/> })}
            </div>
        </div>
    }
}

/// The work order's details and priced items, read-only.
fn summary(t: I18n, w: WorkOrder, items: Vec<WorkItem>, can_change: bool, editing: RwSignal<bool>) -> impl IntoView {
    let schedule = match (w.planned_start, w.planned_end) {
        (Some(s), Some(e)) => Some(format!("{} – {}", fmt_time(s), hhmm(e))),
        _ => None,
    };
    let confirmation = match (&w.confirmed_at, &w.confirmed_by, &w.confirmed_via) {
        (Some(at), Some(by), Some(via)) => {
            Some(t.t_args("work.confirmed_line", &[("by", by.clone()), ("via", t.t(&format!("work.via.{via}"))), ("at", fmt_time(*at))]))
        }
        _ => None,
    };
    let currency = w.currency.clone();
    view! {
                    <dl class="grid grid-cols-1 gap-x-4 md:grid-cols-2">
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("work.customer")}</dt>
                            <dd><A href=format!("/customers/{}", w.customer_id) attr:class="text-blue-800 underline">{w.customer_name.clone()}</A></dd>
                        </div>
                        {detail_field(t, "work.request_subject", Some(w.request_subject.clone()))}
                        {detail_field(t, "work.skill", Some(w.skill.clone()).filter(|s| !s.is_empty()))}
                        {detail_field(t, "work.address", Some(w.address.clone()).filter(|s| !s.is_empty()))}
                        {detail_field(t, "work.engineer", w.engineer_name.clone())}
                        {detail_field(t, "work.schedule", schedule)}
                        {detail_field(t, "work.confirmation", confirmation)}
                        {detail_field(t, "work.cancel_reason", w.cancel_reason.clone())}
                    </dl>
                    {(!w.instructions.is_empty()).then(|| view! {
                        <h2 class="mt-4 font-semibold">{t.t("work.instructions")}</h2>
                        <p class="whitespace-pre-wrap text-slate-800">{w.instructions.clone()}</p>
                    })}
                    <h2 class="mt-4 font-semibold">{t.t("work.items")}</h2>
                    <div class="overflow-x-auto">
                        <table class="w-full min-w-[28rem] text-sm" data-testid="work-items">
                            <thead class="text-left text-slate-500">
                                <tr><th class="py-1">{t.t("work.item")}</th><th class="py-1 text-right">{t.t("work.qty")}</th><th class="py-1 text-right">{t.t("work.unit_price")}</th><th class="py-1 text-right">{t.t("work.amount")}</th></tr>
                            </thead>
                            <tbody>
                                {items.iter().map(|i| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="py-1">{i.description.clone()}</td>
                                        <td class="py-1 text-right">{crate::catalog::types::format_qty(i.qty_milli)}</td>
                                        <td class="py-1 text-right">{money(i.unit_price, &currency)}</td>
                                        <td class="py-1 text-right">{money(i.amount, &currency)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr class="border-t border-slate-300 font-semibold">
                                    <td class="py-1" colspan="3">{t.t("work.total")}</td>
                                    <td class="py-1 text-right" data-testid="work-total">{money(w.total, &currency)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    {can_change.then(|| view! {
                        <button type="button" class=format!("{BTN_SECONDARY} mt-4") data-testid="work-edit" on:click=move |_| editing.set(true)>{t.t("work.edit")}</button>
                    })}
    }
}

/// Service billing (V6) on a completed work order: the bill it was posted with, or the
/// bill as it would be posted now (agreed items, parts used, labour, each priced for the
/// customer, with the discount against list prices) and the form that posts it to
/// receivables.
#[component]
fn BillSection(d: WorkOrderDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let w = d.order.clone();
    let posted = d.bill.clone().map(|b| {
        let state = if b.status != "active" {
            "cancelled"
        } else if b.paid >= b.amount {
            "paid"
        } else {
            "open"
        };
        let number = if d.can_open_bill {
            view! { <A href=format!("/contracts/{}", b.contract_id) attr:class="font-mono text-blue-800 underline" attr:data-testid="work-bill-link">{b.number.clone()}</A> }.into_any()
        } else {
            view! { <span class="font-mono">{b.number.clone()}</span> }.into_any()
        };
        view! {
            <div class="mt-2 flex flex-col gap-1 rounded-md border border-slate-200 p-3" data-testid="work-bill" data-state=state>
                <div class="flex flex-wrap items-center gap-2">
                    {number}
                    <span class="rounded bg-slate-100 px-2 py-0.5 text-sm">{t.t(&format!("work.bill_state.{state}"))}</span>
                    {d.can_open_bill.then(|| view! {
                        <a href=format!("/service-bills/{}/pdf", b.contract_id) rel="external" download class=format!("{BTN_SECONDARY} ml-auto") data-testid="work-bill-pdf">{t.t("print.download_pdf")}</a>
                    })}
                </div>
                <p class="text-sm tabular-nums text-slate-700">
                    {t.t_args("work.bill_posted_line", &[
                        ("amount", money(b.amount, &b.currency)),
                        ("paid", money(b.paid, &b.currency)),
                        ("due", b.due_on.clone().unwrap_or_default()),
                    ])}
                </p>
            </div>
        }
    });
    let free = (!w.chargeable && d.can_edit)
        .then(|| view! { <p class="mt-2 text-sm text-slate-600" data-testid="work-bill-free">{t.t("work.bill_free")}</p> });
    view! {
        <section class="mt-4 border-t border-slate-200 pt-4" data-testid="work-billing">
            <h2 class="font-semibold">{t.t("work.billing")}</h2>
            {posted}
            {free}
            {d.can_bill.then(|| view! { <BillForm id=w.id version=w.version reload/> })}
        </section>
    }
}

pub(crate) fn bill_lines_table(t: I18n, lines: Vec<BillLine>, currency: String, total: i64, discount: i64) -> impl IntoView {
    let c2 = currency.clone();
    view! {
        <div class="overflow-x-auto">
            <table class="w-full min-w-[32rem] text-sm" data-testid="bill-lines">
                <thead class="text-left text-slate-500">
                    <tr>
                        <th class="py-1">{t.t("work.item")}</th>
                        <th class="py-1 text-right">{t.t("work.qty")}</th>
                        <th class="py-1 text-right">{t.t("work.list_price")}</th>
                        <th class="py-1 text-right">{t.t("work.unit_price")}</th>
                        <th class="py-1 text-right">{t.t("work.amount")}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr class="border-t border-slate-100" data-testid="bill-line" data-kind=l.kind.clone()>
                            <td class="py-1">
                                <span class="mr-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{t.t(&format!("work.bill_kind.{}", l.kind))}</span>
                                {l.description.clone()}
                            </td>
                            <td class="py-1 text-right">{format!("{} {}", crate::catalog::types::format_qty(l.qty_milli), l.unit)}</td>
                            <td class="py-1 text-right text-slate-500">{money(l.list_price, &currency)}</td>
                            <td class="py-1 text-right">{money(l.unit_price, &currency)}</td>
                            <td class="py-1 text-right">{money(l.amount, &currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    {(discount > 0).then(|| view! {
                        <tr class="border-t border-slate-200 text-slate-600">
                            <td class="py-1" colspan="4">{t.t("work.bill_discount")}</td>
                            <td class="py-1 text-right" data-testid="bill-discount">{format!("− {}", money(discount, &c2))}</td>
                        </tr>
                    })}
                    <tr class="border-t border-slate-300 font-semibold">
                        <td class="py-1" colspan="4">{t.t("work.total")}</td>
                        <td class="py-1 text-right" data-testid="bill-total">{money(total, &c2)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// The bill as it would be posted now, the labour product and payment terms, and the
/// button that posts it. Amounts are worked out again on the server when posting.
#[component]
fn BillForm(id: i64, version: i64, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    // `None`: the last labour product used; `Some(0)`: no labour charge.
    let labour = RwSignal::new(None::<i64>);
    let due_days = RwSignal::new("30".to_string());
    let note = RwSignal::new(String::new());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let draft = Resource::new(move || labour.get(), move |l| async move { service_bill_draft(id, l).await });
    let post = Action::new(move |input: &BillInput| {
        let input = input.clone();
        async move { post_service_bill(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = post.value().get() {
            reload.run(());
        }
    });
    let server_error = Signal::derive(move || post.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| {
        let e = field_error(local, server_error, f);
        move || e.get().map(|c| t.t(&c))
    };
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{error_text(t, &e)}</p> }.into_any(),
                    Ok(b) => {
                        let chosen = b.labour_product_id;
                        let minutes = b.labour_minutes;
                        let products = b.labour_products.clone();
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let input = BillInput { labour_product_id: chosen, due_days: due_days.get_untracked(), note: note.get_untracked() };
                            match input.validate() {
                                Err(e) => local.set(e),
                                Ok(_) => {
                                    local.set(Vec::new());
                                    post.dispatch(input);
                                }
                            }
                        };
                        view! {
                            <form novalidate class="mt-2 flex flex-col gap-3" data-testid="bill-form" on:submit=submit>
                                <p class="text-sm text-slate-600">{t.t("work.bill_hint")}</p>
                                {bill_lines_table(t, b.lines.clone(), b.currency.clone(), b.total, b.discount)}
                                <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                                    <label class=LABEL>
                                        <span class="font-medium text-slate-700">
                                            {t.t("work.bill_labour")}
                                            {minutes.map(|m| format!(" · {}", t.t_args("field.minutes_value", &[("minutes", m.to_string())])))}
                                        </span>
                                        <select class=INPUT data-testid="bill-labour" disabled=minutes.is_none()
                                            on:change=move |ev| labour.set(Some(event_target_value(&ev).parse().unwrap_or(0)))>
                                            <option value="0" selected=chosen.is_none()>{t.t("work.bill_no_labour")}</option>
                                            {products.into_iter().map(|p| {
                                                let selected = chosen == Some(p.id);
                                                view! { <option value=p.id.to_string() selected=selected>{format!("{} / {}", p.name, p.unit)}</option> }
                                            }).collect_view()}
                                        </select>
                                        <span class="min-h-5 text-red-600">{err("labour_product_id")}</span>
                                    </label>
                                    <label class=LABEL>
                                        <span class="font-medium text-slate-700">{t.t("work.bill_due_days_label")}</span>
                                        <input class=INPUT type="number" min="0" max="365" inputmode="numeric" data-testid="bill-due-days"
                                            prop:value=move || due_days.get() on:input=move |ev| due_days.set(event_target_value(&ev))/>
                                        <span class="min-h-5 text-red-600" data-testid="bill-error-due_days">{err("due_days")}</span>
                                    </label>
                                </div>
                                <label class=LABEL>
                                    <span class="font-medium text-slate-700">{t.t("work.bill_note")}</span>
                                    <input class=INPUT maxlength="4000" data-testid="bill-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                                    <span class="min-h-5 text-red-600">{err("note")}</span>
                                </label>
                                <p class="min-h-5 text-sm text-red-600" data-testid="bill-error">{err("lines")}</p>
                                <FormAlert server_error local/>
                                <div>
                                    <button type="submit" class=BTN_PRIMARY data-testid="bill-post" disabled=move || post.pending().get() || b.total <= 0>
                                        {t.t("work.bill_post")}
                                    </button>
                                </div>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The customer's agreement to the charges: who agreed and how.
#[component]
fn ConfirmForm(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let by = RwSignal::new(String::new());
    let via = RwSignal::new("phone".to_string());
    let save = Action::new(move |input: &ConfirmInput| {
        let input = input.clone();
        async move { confirm_work_order(ctx.id, ctx.version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let field = move |f: &'static str| move || server_error.get().and_then(|e| e.field(f)).map(|c| t.t(&c));
    let other = move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    view! {
        <form novalidate class="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="work-confirm"
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(ConfirmInput { by: by.get_untracked(), via: via.get_untracked() }); }>
            <h2 class="font-semibold">{t.t("work.confirm_title")}</h2>
            <p class="text-sm text-slate-700">{t.t("work.confirm_hint")}</p>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("work.confirmed_by")}</span>
                <input class=INPUT data-testid="work-confirm-by" maxlength="100" prop:value=move || by.get() on:input=move |ev| by.set(event_target_value(&ev))/>
                <span class="min-h-5 text-red-600">{field("by")}</span>
            </label>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("work.confirmed_via")}</span>
                <select class=INPUT data-testid="work-confirm-via" on:change=move |ev| via.set(event_target_value(&ev))>
                    {CONFIRM_VIA.iter().map(|v| view! { <option value=*v>{t.t(&format!("work.via.{v}"))}</option> }).collect_view()}
                </select>
            </label>
            <p class="min-h-5 text-sm text-red-600">{other}</p>
            <button type="submit" class=BTN_PRIMARY data-testid="work-confirm-save" disabled=move || save.pending().get()>{t.t("work.confirm_save")}</button>
        </form>
    }
}

#[component]
fn CancelForm(ctx: Ctx) -> impl IntoView {
    let t = use_i18n();
    let reason = RwSignal::new(String::new());
    let save = Action::new(move |r: &String| {
        let r = r.clone();
        async move { cancel_work_order(ctx.id, ctx.version, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            ctx.reload.run(());
        }
    });
    let error =
        move || save.value().get().and_then(|r| r.err()).map(|e| e.field("reason").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)));
    view! {
        <details class="rounded-lg border border-slate-200 bg-white p-4">
            <summary class="cursor-pointer font-semibold">{t.t("work.cancel")}</summary>
            <form novalidate class="mt-2 flex flex-col gap-2" on:submit=move |ev| { ev.prevent_default(); save.dispatch(reason.get_untracked()); }>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("work.cancel_reason")}</span>
                    <input class=INPUT data-testid="work-cancel-reason" maxlength="200" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <p class="min-h-5 text-sm text-red-600">{error}</p>
                <button type="submit" class=BTN_DANGER data-testid="work-cancel-save" disabled=move || save.pending().get()>{t.t("work.cancel_save")}</button>
            </form>
        </details>
    }
}

/// Books an engineer: engineers with the skill come first (✓); a clash with another
/// booking is explained with the work order in the way, and nothing is saved.
#[component]
fn DispatchForm(
    id: i64,
    version: i64,
    skill: String,
    engineers: Vec<Engineer>,
    current: Option<i64>,
    default_start: String,
    minutes: String,
    done: Callback<()>,
) -> impl IntoView {
    let t = use_i18n();
    let engineer = RwSignal::new(current.map(|c| c.to_string()).unwrap_or_default());
    let start = RwSignal::new(default_start);
    let minutes = RwSignal::new(minutes);
    let local: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let save = Action::new(move |input: &DispatchInput| {
        let input = input.clone();
        async move { dispatch_work_order(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(None)) = save.value().get() {
            done.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let other = move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| error_text(t, &e));
    let clash = move || {
        save.value().get().and_then(|r| r.ok()).flatten().map(|b| {
            let args = [
                ("number", b.number.clone()),
                ("customer", b.customer_name.clone()),
                ("from", fmt_time(b.start)),
                ("to", hhmm(b.end)),
            ];
            let key = if b.work_order_id == 0 { "work.clash_hidden" } else { "work.clash" };
            view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="work-clash">{t.t_args(key, &args)}</p> }
        })
    };
    let mut sorted = engineers;
    sorted.sort_by_key(|e| !e.has_skill(&skill));
    let offset = crate::ui::use_session().tz_offset_minutes;
    view! {
        <form novalidate class="flex flex-col gap-2" data-testid="work-dispatch"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = DispatchInput { engineer_id: engineer.get_untracked().parse().ok(), start: start.get_untracked(), minutes: minutes.get_untracked() };
                match input.validate(offset) {
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(input);
                    }
                    Err(e) => local.set(e),
                }
            }>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("work.engineer")}</span>
                <select class=INPUT data-testid="work-dispatch-engineer" on:change=move |ev| engineer.set(event_target_value(&ev))>
                    <option value="">{t.t("work.pick_engineer")}</option>
                    {sorted.into_iter().map(|e| {
                        let mark = if e.has_skill(&skill) && !skill.trim().is_empty() { "✓ " } else { "" };
                        let label = format!("{mark}{}{}{}", e.name, if e.region.is_empty() { String::new() } else { format!(" · {}", e.region) },
                            if e.skills.is_empty() { String::new() } else { format!(" · {}", e.skills) });
                        let id = e.user_id.to_string();
                        let selected = engineer.get_untracked() == id;
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <span class="min-h-5 text-red-600">{move || err("engineer_id").get().map(|c| t.t(&c))}</span>
            </label>
            <div class="grid grid-cols-[1fr_7rem] gap-2">
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("work.start")}</span>
                    <input type="datetime-local" class=INPUT data-testid="work-dispatch-start" prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev))/>
                    <span class="min-h-5 text-red-600">{move || err("start").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("work.minutes")}</span>
                    <input class=INPUT inputmode="numeric" data-testid="work-dispatch-minutes" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
                    <span class="min-h-5 text-red-600">{move || err("minutes").get().map(|c| t.t(&c))}</span>
                </label>
            </div>
            {clash}
            <p class="min-h-5 text-sm text-red-600">{other}</p>
            <button type="submit" class=BTN_PRIMARY data-testid="work-dispatch-save" disabled=move || save.pending().get()>{t.t("work.dispatch_save")}</button>
        </form>
    }
}

/// `YYYY-MM-DD` moved by `days`.
fn shift_day(day: &str, days: i64) -> String {
    let ms = crate::platform::time::parse_date_ms(day, 0).unwrap_or_default() + days * 86_400_000;
    let (y, m, d) = crate::platform::time::date_parts(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// First and last hour shown on the board.
const BOARD_FROM: i64 = 7;
const BOARD_TO: i64 = 21;

/// The dispatch board: one row per engineer with the day's bookings on a time line,
/// filtered by skill and region, and the work orders waiting for dispatch.
#[component]
pub fn DispatchBoardPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let day = RwSignal::new(query.read_untracked().get("day").unwrap_or_default());
    let skill = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let board = Resource::new(move || day.get(), |d| async move { get_dispatch_board(d).await });
    let reload = Callback::new(move |_| board.refetch());
    view! {
        <Title text=t.t("work.board")/>
        <PageHeader title=t.t("work.board")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                    Ok(b) => {
                        let skills: std::collections::BTreeSet<String> = b.engineers.iter().flat_map(|e| skill_list(&e.engineer.skills)).collect();
                        let regions: std::collections::BTreeSet<String> = b.engineers.iter().map(|e| e.engineer.region.clone()).filter(|r| !r.is_empty()).collect();
                        let all: Vec<Engineer> = b.engineers.iter().map(|e| e.engineer.clone()).collect();
                        let rows = b.engineers.clone();
                        let day_start = b.day_start;
                        let shown = b.day.clone();
                        view! {
                            <div class="mb-4 flex flex-wrap items-end gap-3">
                                <label class=LABEL>
                                    <span class="font-medium text-slate-700">{t.t("work.day")}</span>
                                    <input type="date" class=INPUT data-testid="board-day" prop:value=shown.clone() on:change=move |ev| day.set(event_target_value(&ev))/>
                                </label>
                                <div class="flex gap-1">
                                    <button type="button" class=BTN_SECONDARY aria-label=t.t("work.prev_day") data-testid="board-prev" on:click={
                                        let d = shift_day(&shown, -1);
                                        move |_| day.set(d.clone())
                                    }>"‹"</button>
                                    <button type="button" class=BTN_SECONDARY data-testid="board-today" on:click=move |_| day.set(String::new())>{t.t("work.today")}</button>
                                    <button type="button" class=BTN_SECONDARY aria-label=t.t("work.next_day") data-testid="board-next" on:click={
                                        let d = shift_day(&shown, 1);
                                        move |_| day.set(d.clone())
                                    }>"›"</button>
                                </div>
                                <label class=LABEL>
                                    <span class="font-medium text-slate-700">{t.t("work.skill")}</span>
                                    <select class=INPUT data-testid="board-skill" on:change=move |ev| skill.set(event_target_value(&ev))>
                                        <option value="">{t.t("work.any")}</option>
                                        {skills.into_iter().map(|s| view! { <option value=s.clone() selected=skill.get_untracked() == s>{s.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class=LABEL>
                                    <span class="font-medium text-slate-700">{t.t("work.region")}</span>
                                    <select class=INPUT data-testid="board-region" on:change=move |ev| region.set(event_target_value(&ev))>
                                        <option value="">{t.t("work.any")}</option>
                                        {regions.into_iter().map(|r| view! { <option value=r.clone() selected=region.get_untracked() == r>{r.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            </div>
                            <section class="overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid="board">
                                <div class="min-w-[44rem]">
                                    <div class="grid grid-cols-[11rem_1fr] border-b border-slate-200 text-xs text-slate-500">
                                        <div class="p-2">{t.t("work.engineer")}</div>
                                        <div class="relative h-8">
                                            {(BOARD_FROM..BOARD_TO).map(|h| {
                                                let left = format!("left: {}%", (h - BOARD_FROM) * 100 / (BOARD_TO - BOARD_FROM));
                                                view! { <span class="absolute top-2" style=left>{format!("{h:02}")}</span> }
                                            }).collect_view()}
                                        </div>
                                    </div>
                                    {rows.into_iter().map(|row| {
                                        let e = row.engineer.clone();
                                        let (s2, e2) = (e.clone(), e.clone());
                                        let visible = move || s2.has_skill(&skill.get()) && (region.get().is_empty() || e2.region == region.get());
                                        let testid = format!("board-row-{}", e.user_id);
                                        view! {
                                            <div class="grid grid-cols-[11rem_1fr] border-b border-slate-100" class:hidden=move || !visible() data-testid=testid data-engineer=e.name.clone()>
                                                <div class="p-2">
                                                    <div class="font-medium">{e.name.clone()}</div>
                                                    <div class="text-xs text-slate-500">{[e.region.clone(), e.skills.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</div>
                                                </div>
                                                <div class="relative min-h-14 bg-[linear-gradient(to_right,#f1f5f9_1px,transparent_1px)] bg-[length:7.1428%_100%]">
                                                    {row.bookings.into_iter().map(|bk| {
                                                        let span = ((BOARD_TO - BOARD_FROM) * 3_600_000) as f64;
                                                        let from = day_start + BOARD_FROM * 3_600_000;
                                                        let left = ((bk.start - from) as f64 / span * 100.0).clamp(0.0, 100.0);
                                                        let right = ((bk.end - from) as f64 / span * 100.0).clamp(0.0, 100.0);
                                                        let style = format!("left: {left:.2}%; width: {:.2}%", (right - left).max(1.5));
                                                        let label = format!("{}–{} {}", hhmm(bk.start), hhmm(bk.end), bk.customer_name);
                                                        let class = if bk.status == "in_progress" { "bg-amber-200 border-amber-400" } else { "bg-indigo-100 border-indigo-300" };
                                                        let class = format!("absolute top-1 bottom-1 overflow-hidden truncate rounded border px-1 text-xs {class}");
                                                        if bk.work_order_id == 0 {
                                                            view! { <span class=class style=style title=label.clone()>{t.t("work.busy")}</span> }.into_any()
                                                        } else {
                                                            view! { <A href=format!("/work-orders/{}", bk.work_order_id) attr:class=class attr:style=style attr:title=label.clone() attr:data-testid="board-booking">{format!("{} {label}", bk.number)}</A> }.into_any()
                                                        }
                                                    }).collect_view()}
                                                </div>
                                            </div>
                                        }
                                    }).collect_view()}
                                    {b.engineers.is_empty().then(|| view! { <p class="p-4 text-slate-500">{t.t("work.no_engineers")}</p> })}
                                </div>
                            </section>
                            <section class="mt-6" data-testid="board-waiting">
                                <h2 class="mb-2 font-semibold">{t.t("work.waiting")}</h2>
                                {b.waiting.is_empty().then(|| view! { <p class="text-slate-500">{t.t("work.none_waiting")}</p> })}
                                <ul class="grid grid-cols-1 gap-3 md:grid-cols-2">
                                    {b.waiting.into_iter().map(|w| {
                                        let engineers = all.clone();
                                        let default_start = format!("{}T09:00", b.day);
                                        let needs = w.needs_confirmation();
                                        view! {
                                            <li class="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="board-waiting-order">
                                                <div class="flex flex-wrap items-center gap-2">
                                                    <A href=format!("/work-orders/{}", w.id) attr:class="font-medium text-blue-800 underline">{w.number.clone()}</A>
                                                    <span>{w.customer_name.clone()}</span>
                                                    {(!w.skill.is_empty()).then(|| view! { <span class="rounded bg-slate-100 px-2 text-sm">{w.skill.clone()}</span> })}
                                                </div>
                                                <p class="text-sm text-slate-600">{w.request_subject.clone()}</p>
                                                <p class="text-sm text-slate-600">{w.address.clone()}</p>
                                                {if needs {
                                                    view! { <p class="text-sm text-amber-800">{t.t("work.needs_confirmation")}</p> }.into_any()
                                                } else if b.can_dispatch {
                                                    view! {
                                                        <details>
                                                            <summary class="cursor-pointer text-blue-800" data-testid="board-dispatch-open">{t.t("work.dispatch")}</summary>
                                                            <DispatchForm id=w.id version=w.version skill=w.skill.clone() engineers current=None default_start minutes="120".to_string() done=reload/>
                                                        </details>
                                                    }.into_any()
                                                } else {
                                                    ().into_any()
                                                }}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                            {b.can_dispatch.then(|| view! { <EngineersPanel engineers=b.engineers.iter().map(|e| e.engineer.clone()).collect() users=b.users.clone() reload/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Who can be dispatched, with skills and region; adding a person makes them an engineer.
#[component]
fn EngineersPanel(engineers: Vec<Engineer>, users: Vec<(i64, String)>, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let pick = RwSignal::new(String::new());
    view! {
        <details class="mt-6 rounded-lg border border-slate-200 bg-white p-4" data-testid="board-engineers">
            <summary class="cursor-pointer font-semibold">{t.t("work.engineers")}</summary>
            <ul class="mt-2 flex flex-col gap-2">
                {engineers.into_iter().map(|e| view! { <EngineerRow user_id=e.user_id name=e.name.clone() version=e.version skills=e.skills.clone() region=e.region.clone() reload/> }).collect_view()}
            </ul>
            {(!users.is_empty()).then(|| view! {
                <div class="mt-4 flex flex-col gap-2">
                    <label class=LABEL>
                        <span class="font-medium text-slate-700">{t.t("work.add_engineer")}</span>
                        <select class=INPUT data-testid="board-add-engineer" on:change=move |ev| pick.set(event_target_value(&ev))>
                            <option value="">{t.t("work.pick_person")}</option>
                            {users.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                    </label>
                    {move || pick.get().parse::<i64>().ok().map(|id| view! { <EngineerRow user_id=id name=String::new() version=0 skills=String::new() region=String::new() reload/> })}
                </div>
            })}
        </details>
    }
}

#[component]
fn EngineerRow(user_id: i64, name: String, version: i64, skills: String, region: String, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let skills = RwSignal::new(skills);
    let region = RwSignal::new(region);
    let save = Action::new(move |input: &EngineerInput| {
        let input = input.clone();
        async move { save_engineer(user_id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            reload.run(());
        }
    });
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.field("skills").or_else(|| e.field("region")).map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)))
    };
    let testid = format!("engineer-{user_id}");
    view! {
        <li>
            <form novalidate class="grid grid-cols-1 items-end gap-2 md:grid-cols-[10rem_1fr_10rem_auto]" data-testid=testid
                on:submit=move |ev| { ev.prevent_default(); save.dispatch(EngineerInput { skills: skills.get_untracked(), region: region.get_untracked() }); }>
                <span class="font-medium">{name}</span>
                <label class=LABEL>
                    <span class="text-slate-600">{t.t("work.skills")}</span>
                    <input class=INPUT data-testid="engineer-skills" maxlength="300" placeholder=t.t("work.skills_hint") prop:value=move || skills.get() on:input=move |ev| skills.set(event_target_value(&ev))/>
                </label>
                <label class=LABEL>
                    <span class="text-slate-600">{t.t("work.region")}</span>
                    <input class=INPUT data-testid="engineer-region" maxlength="100" prop:value=move || region.get() on:input=move |ev| region.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class=BTN_SECONDARY data-testid="engineer-save" disabled=move || save.pending().get()>{t.t("work.save_engineer")}</button>
                <p class="min-h-5 text-sm text-red-600 md:col-span-4">{error}</p>
            </form>
        </li>
    }
}
