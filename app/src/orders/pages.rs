//! Order pages: the list, the editor (the quote editor with a warehouse and stock per
//! line), and an order's page with its flow, credit, shipments and returns.
use crate::catalog::types::format_qty;
use crate::inventory::api::list_warehouses;
use crate::orders::api::*;
use crate::orders::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::quotes::pages::editor::{OrderExtras, QuoteEditor};
use crate::quotes::pages::money;
use crate::quotes::types::QuoteInput;
use crate::ui::{
    append_page, can, detail_field, error_text, fmt_time, more_pages, paged_body, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base md:w-auto";

pub(crate) fn order_badge(t: I18n, status: &str) -> impl IntoView {
    let class = match status {
        "pending" => "bg-amber-100 text-amber-900",
        "confirmed" | "partially_shipped" => "bg-blue-100 text-blue-900",
        "shipped" => "bg-green-100 text-green-900",
        "cancelled" => "bg-red-100 text-red-900",
        _ => "bg-slate-200 text-slate-800",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="order-status" data-status=status.to_string()>
            {t.t(&format!("order.status.{status}"))}
        </span>
    }
}

#[component]
pub fn OrderListPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let filter = Memo::new(move |_| OrderFilter {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        status: Some(status.get()).filter(|s| !s.is_empty()),
        ..Default::default()
    });
    let first = Resource::new(move || filter.get(), list_orders);
    let more = more_pages(filter);
    let load_more = move |after: (i64, i64)| {
        let mut next = filter.get_untracked();
        next.after = Some(after);
        append_page(more, async move { list_orders(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |r: Order| {
        let total = money(r.total, &r.currency);
        view! {
            <li class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:items-center md:gap-4" data-testid="order-row">
                <A href=format!("/orders/{}", r.id) attr:class="font-mono font-medium text-blue-800 hover:underline md:w-44">{r.number.clone()}</A>
                <span class="min-w-0 flex-1">{r.customer_name.clone()}<span class="text-slate-500">{(!r.title.is_empty()).then(|| format!(" · {}", r.title))}</span></span>
                <span>{order_badge(t, &r.status)}</span>
                <span class="text-sm text-slate-600">{r.order_date.clone()}</span>
                <span class="font-medium tabular-nums md:w-40 md:text-right">{total}</span>
            </li>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("order.list_title")/>
        <PageHeader title=t.t("order.list_title")>
            {can(Entity::Order, Op::Create).then(|| view! {
                <A href="/orders/new" attr:class=BTN_PRIMARY attr:data-testid="new-order">{t.t("order.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="order-search" placeholder=t.t("quote.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("quote.status")}</span>
                <select class=INPUT data-testid="order-status-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{t.t("order.status.all")}</option>
                    {OrderStatus::ALL.iter().map(|s| view! { <option value=s.code()>{t.t(&format!("order.status.{}", s.code()))}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! { <ul class="flex flex-col gap-2" data-testid="order-list">{rows}</ul> }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "order.empty", row, frame, load_more)
            })}
        </Transition>
    }
}

/// The active warehouses as select options.
fn warehouse_options(page: &crate::inventory::types::WarehousesPage) -> Vec<(String, String)> {
    page.warehouses.iter().filter(|w| w.active).map(|w| (w.id.to_string(), format!("{} · {}", w.code, w.name))).collect()
}

#[component]
pub fn NewOrderPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let param = |k: &str| query.read_untracked().get(k).and_then(|v| v.parse::<i64>().ok());
    let initial = QuoteInput {
        customer_id: param("customer"),
        opportunity_id: param("opportunity"),
        currency: crate::platform::money::Currency::Cny.code().into(),
        ..Default::default()
    };
    let warehouses = Resource::new(|| (), |_| list_warehouses());
    let warehouse = RwSignal::new(String::new());
    let save = Action::new(move |input: &QuoteInput| {
        let input = OrderInput { doc: input.clone(), warehouse_id: warehouse.get_untracked().parse().ok(), quote_id: None };
        async move { create_order(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/orders/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.t("order.new")/>
        <PageHeader title=t.t("order.new")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || {
                let initial = initial.clone();
                Suspend::new(async move {
                    match warehouses.await {
                        Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                        Ok(page) => {
                            let options = warehouse_options(&page);
                            if let Some((first, _)) = options.first() {
                                warehouse.set(first.clone());
                            }
                            view! {
                                <QuoteEditor initial customer_name=String::new() on_submit=Callback::new(move |i| { save.dispatch(i); })
                                    pending=save.pending() server_error cancel_href="/orders".to_string()
                                    order=OrderExtras { warehouse, warehouses: options }/>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn EditOrderPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            let Some(id) = id else { return Err(AppError::NotFound) };
            Ok((get_order(id).await?, list_warehouses().await?))
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((d, w)) => view! { <EditOrderForm d options=warehouse_options(&w)/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditOrderForm(d: OrderDetail, options: Vec<(String, String)>) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (d.order.id, d.order.version);
    let input = d.to_input();
    let warehouse = RwSignal::new(d.order.warehouse_id.to_string());
    let quote_id = input.quote_id;
    let save = Action::new(move |doc: &QuoteInput| {
        let input = OrderInput { doc: doc.clone(), warehouse_id: warehouse.get_untracked().parse().ok(), quote_id };
        async move { update_order(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            navigate(&format!("/orders/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let title = t.t_args("order.edit_title", &[("number", d.order.number.clone())]);
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title/>
        <QuoteEditor initial=input.doc customer_name=d.order.customer_name.clone().unwrap_or_default()
            on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href=format!("/orders/{id}")
            order=OrderExtras { warehouse, warehouses: options }/>
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_order(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <OrderView d reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn credit_text(t: I18n, c: &Credit) -> Option<(String, bool)> {
    let fmt = |minor: i64, cur: &str| money(minor, cur);
    match c {
        Credit::Unchecked => None,
        Credit::Within { used, limit, currency } => {
            Some((t.t_args("order.credit_within", &[("used", fmt(*used, currency)), ("limit", fmt(*limit, currency))]), false))
        }
        Credit::Over { used, limit, currency, .. } => {
            Some((t.t_args("order.credit_over", &[("used", fmt(*used, currency)), ("limit", fmt(*limit, currency))]), true))
        }
    }
}

#[component]
fn OrderView(d: OrderDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let o = d.order.clone();
    let (id, version, status) = (o.id, o.version, o.status());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let step = Action::new(move |s: &OrderStep| {
        let s = *s;
        let n = note.get_untracked();
        async move { advance_order(id, version, s, n).await }
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            reload.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let busy = move || step.pending().get();
    let button = move |s: OrderStep, key: &'static str, class: &'static str| {
        view! {
            <button type="button" class=class data-testid=format!("order-{}", key.rsplit('.').next().unwrap_or(key)) disabled=busy
                on:click=move |_| { step.dispatch(s); }>{t.t(key)}</button>
        }
    };
    let mut actions = Vec::new();
    if d.can_edit && status == OrderStatus::Draft {
        actions.push(
            view! { <A href=format!("/orders/{id}/edit") attr:class=BTN_SECONDARY attr:data-testid="order-edit">{t.t("common.edit")}</A> }
                .into_any(),
        );
        actions.push(button(OrderStep::Confirm, "order.step.confirm", BTN_PRIMARY).into_any());
    }
    if d.can_edit && matches!(status, OrderStatus::Draft | OrderStatus::Pending | OrderStatus::Confirmed) {
        actions.push(button(OrderStep::Cancel, "order.step.cancel", BTN_SECONDARY).into_any());
    }
    let deciding = d.can_approve && status == OrderStatus::Pending;
    let credit = credit_text(t, &d.credit);
    let c = o.currency.clone();
    let line_error = move |i: usize| error.get().and_then(|e| e.field(&format!("lines.{i}.qty"))).map(|code| t.t(&code));
    let can_ship = d.can_edit && status.holds_stock();
    let can_return = d.can_edit && matches!(status, OrderStatus::PartiallyShipped | OrderStatus::Shipped);
    let lines = d.lines.clone();
    view! {
        <Title text=o.number.clone()/>
        <PageHeader title=o.number.clone()>
            {actions}
        </PageHeader>
        <div class="mb-4 flex flex-wrap items-center gap-3">
            {order_badge(t, &o.status)}
            {credit.map(|(text, over)| view! {
                <span class=if over { "text-sm font-medium text-amber-800" } else { "text-sm text-slate-600" } data-testid="order-credit">{text}</span>
            })}
            {o.approval_note.clone().filter(|n| !n.is_empty()).map(|n| view! {
                <span class="text-sm text-slate-700" data-testid="order-approval-note">{t.t("quote.decision_note")}": "{n}{o.decided_by_name.clone().map(|b| format!(" · {b}"))}</span>
            })}
        </div>
        {move || error.get().map(|e| view! {
            <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">
                {match &e { AppError::Validation(v) => v.iter().map(|f| t.t(&f.code)).collect::<Vec<_>>().join(" "), e => error_text(t, e) }}
            </p>
        })}
        {deciding.then(|| view! {
            <section class="mb-4 flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="order-approval-panel">
                <h2 class="font-semibold">{t.t("order.approval_title")}</h2>
                <label for="order-decision-note" class="text-sm font-medium">{t.t("quote.decision_note")}</label>
                <textarea id="order-decision-note" rows="2" class="rounded-md border border-slate-300 px-3 py-2 text-base"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <div class="flex gap-2">
                    {button(OrderStep::Approve, "order.step.approve", BTN_PRIMARY)}
                    {button(OrderStep::Reject, "order.step.reject", BTN_DANGER)}
                </div>
            </section>
        })}
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("order.section.header")}</h2>
                <dl>
                    <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                        <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("quote.customer")}</dt>
                        <dd><A href=format!("/customers/{}", o.customer_id) attr:class="text-blue-800 underline">{o.customer_name.clone()}</A></dd>
                    </div>
                    {o.quote_id.map(|q| view! {
                        <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                            <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("order.quote")}</dt>
                            <dd><A href=format!("/quotes/{q}") attr:class="font-mono text-blue-800 underline">{o.quote_number.clone()}</A></dd>
                        </div>
                    })}
                    {detail_field(t, "quote.title", Some(o.title.clone()))}
                    {detail_field(t, "order.date", Some(o.order_date.clone()))}
                    {detail_field(t, "order.delivery_date", Some(o.delivery_date.clone()))}
                    {detail_field(t, "order.warehouse", o.warehouse_name.clone())}
                    {detail_field(t, "quote.owner", o.owner_name.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <h2 class="mb-2 font-semibold">{t.t("quote.section.lines")}</h2>
                <ul class="flex flex-col divide-y divide-slate-100" data-testid="order-lines">
                    {lines.iter().enumerate().map(|(i, l)| {
                        let c = c.clone();
                        view! {
                            <li class="flex flex-col gap-1 py-2" data-testid="order-line">
                                <div class="flex flex-wrap items-baseline justify-between gap-x-3">
                                    <span class="font-medium">{l.name.clone()}</span>
                                    <span class="font-medium tabular-nums">{money(l.amount, &c)}</span>
                                </div>
                                <div class="flex flex-wrap justify-between gap-x-3 text-sm tabular-nums text-slate-600">
                                    <span>{format!("{} {} × {}", format_qty(l.qty_milli), l.unit, money(l.unit_price, &c))}</span>
                                    <span data-testid="order-line-shipped">
                                        {t.t_args("order.shipped_of", &[("shipped", format_qty(l.shipped_milli)), ("qty", format_qty(l.qty_milli)), ("unit", l.unit.clone())])}
                                        {(l.returned_milli > 0).then(|| t.t_args("order.returned", &[("qty", format_qty(l.returned_milli))]))}
                                    </span>
                                </div>
                                <p class="text-sm text-red-700">{move || line_error(i)}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <dl class="ml-auto mt-3 grid max-w-sm grid-cols-2 gap-y-1 tabular-nums">
                    <dt>{t.t("quote.subtotal")}</dt><dd class="text-right">{money(o.subtotal, &o.currency)}</dd>
                    <dt>{t.t("quote.discount_total")}</dt><dd class="text-right">{money(-o.discount_total, &o.currency)}</dd>
                    <dt>{t.t("quote.tax_total")}</dt><dd class="text-right">{money(o.tax_total, &o.currency)}</dd>
                    <dt class="font-semibold">{t.t("quote.total")}</dt><dd class="text-right font-semibold" data-testid="order-total">{money(o.total, &o.currency)}</dd>
                </dl>
            </section>
            {(can_ship || can_return).then(|| view! { <ShipmentForm d=d.clone() can_ship can_return reload error/> })}
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3" data-testid="order-shipments">
                <h2 class="mb-2 font-semibold">{t.t("order.shipments")}</h2>
                {if d.shipments.is_empty() {
                    view! { <p class="text-sm text-slate-500">{t.t("order.no_shipments")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="flex flex-col divide-y divide-slate-100">
                            {d.shipments.iter().map(|s| view! {
                                <li class="flex flex-col py-2 text-sm" data-testid="shipment" data-kind=s.kind.clone()>
                                    <span class="font-medium">{t.t(&format!("order.shipment.{}", s.kind))}" · "{s.warehouse_name.clone()}</span>
                                    <span>{s.summary.clone()}</span>
                                    <span class="text-xs text-slate-500">{fmt_time(s.created_at)}{s.created_by_name.clone().map(|n| format!(" · {n}"))}{(!s.note.is_empty()).then(|| format!(" · {}", s.note))}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            {(!o.terms.is_empty() || !o.notes.is_empty()).then(|| view! {
                <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3">
                    <dl>
                        {detail_field(t, "quote.terms", Some(o.terms.clone()))}
                        {detail_field(t, "quote.notes", Some(o.notes.clone()))}
                    </dl>
                </section>
            })}
        </div>
    }
}

/// Ship or take back quantities per line: open quantities are filled in for a shipment.
#[component]
fn ShipmentForm(
    d: OrderDetail,
    can_ship: bool,
    can_return: bool,
    reload: Callback<()>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let t = use_i18n();
    let returning = RwSignal::new(!can_ship);
    let lines = d.lines.clone();
    let qty: Vec<RwSignal<String>> = lines.iter().map(|_| RwSignal::new(String::new())).collect();
    let fill = {
        let (lines, qty) = (lines.clone(), qty.clone());
        move |ret: bool| {
            for (l, q) in lines.iter().zip(&qty) {
                let n = if ret { 0 } else { l.open_milli() };
                q.set(if n > 0 { format_qty(n) } else { String::new() });
            }
        }
    };
    fill(!can_ship);
    let note = RwSignal::new(String::new());
    let (id, version) = (d.order.id, d.order.version);
    let save = Action::new(move |(ret, input): &(bool, ShipmentInput)| {
        let (ret, input) = (*ret, input.clone());
        async move { record_shipment(id, version, ret, input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            reload.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let qty_submit = qty.clone();
    let fill_toggle = fill.clone();
    view! {
        <form novalidate class="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:col-span-3" data-testid="shipment-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = ShipmentInput {
                    lines: ids.iter().zip(&qty_submit).map(|(id, q)| (*id, q.get_untracked())).collect(),
                    note: note.get_untracked(),
                };
                save.dispatch((returning.get_untracked(), input));
            }>
            <div class="flex flex-wrap items-center gap-4">
                <h2 class="font-semibold">{move || t.t(if returning.get() { "order.return_title" } else { "order.ship_title" })}</h2>
                {(can_ship && can_return).then(|| view! {
                    <label class="flex min-h-11 items-center gap-2 text-sm">
                        <input type="checkbox" class="h-5 w-5" data-testid="shipment-return" prop:checked=move || returning.get()
                            on:change=move |ev| {
                                let r = event_target_checked(&ev);
                                returning.set(r);
                                fill_toggle(r);
                            }/>
                        {t.t("order.is_return")}
                    </label>
                })}
            </div>
            <ul class="flex flex-col gap-2">
                {lines.iter().zip(qty.iter().copied()).enumerate().map(|(i, (l, q))| {
                    let label = format!("{} ({})", l.name, l.unit);
                    let input_id = format!("ship-qty-{i}");
                    let (open, back) = (l.open_milli(), l.returnable_milli());
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2">
                            <label for=input_id.clone() class="min-w-0 flex-1 text-sm">{label}
                                <span class="block text-xs text-slate-500">
                                    {move || if returning.get() {
                                        t.t_args("order.returnable", &[("qty", format_qty(back))])
                                    } else {
                                        t.t_args("order.open", &[("qty", format_qty(open))])
                                    }}
                                </span>
                            </label>
                            <input id=input_id inputmode="decimal" class="min-h-11 w-28 rounded-md border border-slate-300 px-2 text-right text-base" data-testid="ship-qty"
                                prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("inventory.note")}</span>
                <input class="min-h-11 rounded-md border border-slate-300 px-3 text-base" maxlength="200" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <div>
                <button type="submit" class=BTN_PRIMARY data-testid="shipment-save" disabled=move || save.pending().get()>
                    {move || t.t(if returning.get() { "order.record_return" } else { "order.record_shipment" })}
                </button>
            </div>
        </form>
    }
}

/// The orders of a customer, on its 360° page.
#[component]
pub fn CustomerOrders(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Order, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(move || customer_id, |c| list_orders(OrderFilter { customer_id: Some(c), ..Default::default() }));
    let may_create = can(Entity::Order, Op::Create);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="orders-title" data-testid="customer-orders">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="orders-title" class="font-semibold">{t.t("order.list_title")}</h2>
                {may_create.then(|| view! { <a href=format!("/orders/new?customer={customer_id}") class=BTN_SECONDARY data-testid="customer-new-order">{t.t("order.new")}</a> })}
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = rows.await.map(|p| p.rows).unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("order.empty")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|r| view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                    <A href=format!("/orders/{}", r.id) attr:class="font-mono font-medium text-blue-800 underline">{r.number.clone()}</A>
                                    <span class="flex items-center gap-2 text-sm">{order_badge(t, &r.status)}<span class="tabular-nums">{money(r.total, &r.currency)}</span></span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
    .into_any()
}
