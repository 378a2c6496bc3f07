//! Inventory pages: stock per warehouse, the movements ledger, stock in/out/transfer,
//! stocktake, and the warehouses settings.
use crate::catalog::types::{format_qty, Product};
use crate::inventory::api::*;
use crate::inventory::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::quotes::pages::editor::ProductAdder;
use crate::ui::{
    append_page, can, error_text, field_error, fmt_time, more_pages, paged_body, FormAlert, PageHeader, SelectField, TextField,
    BTN_PRIMARY, BTN_SECONDARY,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base md:w-auto";

/// Warehouses as filter options: "all" first.
fn warehouse_filter(t: crate::platform::i18n::I18n, ws: &[Warehouse]) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), t.t("inventory.all_warehouses"))];
    v.extend(ws.iter().map(|w| (w.id.to_string(), format!("{} · {}", w.code, w.name))));
    v
}

#[component]
pub fn StockPage() -> impl IntoView {
    let t = use_i18n();
    let warehouses = Resource::new(|| (), |_| list_warehouses());
    let warehouse = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let short_only = RwSignal::new(false);
    let query = Memo::new(move |_| StockQuery {
        warehouse_id: warehouse.get().parse().ok(),
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        short_only: short_only.get(),
        after: None,
    });
    let first = Resource::new(move || query.get(), stock_levels);
    let more = more_pages(query);
    let load_more = move |after: (String, i64, i64)| {
        let mut next = query.get_untracked();
        next.after = Some(after);
        append_page(more, async move { stock_levels(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |r: StockRow| {
        let available = r.available_milli();
        view! {
            <li class="grid grid-cols-3 gap-x-3 gap-y-1 rounded-lg border border-slate-200 bg-white p-3 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)_repeat(3,minmax(0,1fr))] md:items-center"
                data-testid="stock-row">
                <span class="col-span-3 md:col-span-1">
                    <A href=format!("/products/{}", r.product_id) attr:class="font-medium text-blue-800 hover:underline">{r.product_name.clone()}</A>
                    <span class="ml-2 font-mono text-xs text-slate-500">{r.product_code.clone()}</span>
                </span>
                <span class="col-span-3 text-sm text-slate-600 md:col-span-1">{r.warehouse_name.clone()}</span>
                <span class="text-sm tabular-nums md:text-right"><span class="text-slate-500 md:hidden">{t.t("inventory.on_hand")}" "</span>{format!("{} {}", format_qty(r.on_hand_milli), r.unit)}</span>
                <span class="text-sm tabular-nums md:text-right"><span class="text-slate-500 md:hidden">{t.t("inventory.reserved")}" "</span>{format_qty(r.reserved_milli)}</span>
                <span class=if available <= 0 { "text-sm font-semibold tabular-nums text-red-700 md:text-right" } else { "text-sm font-semibold tabular-nums md:text-right" }
                    data-testid="stock-available">
                    <span class="font-normal text-slate-500 md:hidden">{t.t("inventory.available")}" "</span>{format_qty(available)}
                </span>
            </li>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("inventory.title")/>
        <PageHeader title=t.t("inventory.title")>
            <A href="/inventory/movements" attr:class=BTN_SECONDARY>{t.t("inventory.movements")}</A>
            {can(Entity::Inventory, Op::Create).then(|| view! {
                <A href="/inventory/move" attr:class=BTN_PRIMARY attr:data-testid="stock-move">{t.t("inventory.move")}</A>
                <A href="/inventory/stocktake" attr:class=BTN_SECONDARY attr:data-testid="stocktake">{t.t("inventory.stocktake")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="stock-search" placeholder=t.t("product.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("order.warehouse")}</span>
                <select class=INPUT data-testid="stock-warehouse" on:change=move |ev| warehouse.set(event_target_value(&ev))>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let ws = warehouses.await.map(|p| p.warehouses).unwrap_or_default();
                            warehouse_filter(t, &ws).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="stock-short" prop:checked=move || short_only.get()
                    on:change=move |ev| short_only.set(event_target_checked(&ev))/>
                {t.t("inventory.short_only")}
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let page = first.await;
                let totals = page.as_ref().ok().map(|p| t.t_args("inventory.totals", &[("on_hand", format_qty(p.total_on_hand_milli)), ("reserved", format_qty(p.total_reserved_milli))]));
                let frame = move |rows: AnyView| view! {
                    <p class="mb-2 text-sm text-slate-600" data-testid="stock-totals">{totals}</p>
                    <div class="mb-1 hidden grid-cols-[minmax(0,3fr)_minmax(0,2fr)_repeat(3,minmax(0,1fr))] gap-x-3 px-3 text-sm font-medium text-slate-600 md:grid">
                        <span>{t.t("quote.line.name")}</span><span>{t.t("order.warehouse")}</span>
                        <span class="text-right">{t.t("inventory.on_hand")}</span><span class="text-right">{t.t("inventory.reserved")}</span>
                        <span class="text-right">{t.t("inventory.available")}</span>
                    </div>
                    <ul class="flex flex-col gap-2" data-testid="stock-list">{rows}</ul>
                }.into_any();
                paged_body(t, page.map(|p| (p.rows, p.next)), more, "inventory.empty", row, frame, load_more)
            })}
        </Transition>
    }
}

#[component]
pub fn MovementsPage() -> impl IntoView {
    let t = use_i18n();
    let warehouses = Resource::new(|| (), |_| list_warehouses());
    let warehouse = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let query = Memo::new(move |_| MovementQuery {
        warehouse_id: warehouse.get().parse().ok(),
        kind: Some(kind.get()).filter(|k| !k.is_empty()),
        ..Default::default()
    });
    let first = Resource::new(move || query.get(), stock_movements);
    let more = more_pages(query);
    let load_more = move |before: i64| {
        let mut next = query.get_untracked();
        next.before = Some(before);
        append_page(more, async move { stock_movements(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |m: Movement| {
        let sign = if m.qty_milli < 0 { "−" } else { "+" };
        view! {
            <li class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:items-center md:gap-4" data-testid="movement-row" data-kind=m.kind.clone()>
                <span class="text-sm text-slate-500 md:w-40">{fmt_time(m.created_at)}</span>
                <span class="min-w-0 flex-1"><span class="font-medium">{m.product_name.clone()}</span>" · "{m.warehouse_name.clone()}</span>
                <span class="text-sm">{t.t(&format!("inventory.kind.{}", m.kind))}
                    {m.ref_label.clone().zip(m.ref_id).map(|(label, id)| view! { " " <A href=format!("/orders/{id}") attr:class="font-mono text-blue-800 underline">{label}</A> })}
                </span>
                <span class=if m.qty_milli < 0 { "font-medium tabular-nums text-red-700 md:w-24 md:text-right" } else { "font-medium tabular-nums text-green-800 md:w-24 md:text-right" }>
                    {format!("{sign}{} {}", format_qty(m.qty_milli.abs()), m.unit)}
                </span>
                <span class="text-sm tabular-nums text-slate-600 md:w-28 md:text-right">{t.t_args("inventory.balance", &[("qty", format_qty(m.balance_milli))])}</span>
                <span class="text-xs text-slate-500">{m.created_by_name.clone()}{(!m.note.is_empty()).then(|| format!(" · {}", m.note))}</span>
            </li>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("inventory.movements")/>
        <PageHeader title=t.t("inventory.movements")>
            <A href="/inventory" attr:class=BTN_SECONDARY>{t.t("inventory.title")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("order.warehouse")}</span>
                <select class=INPUT on:change=move |ev| warehouse.set(event_target_value(&ev))>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let ws = warehouses.await.map(|p| p.warehouses).unwrap_or_default();
                            warehouse_filter(t, &ws).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("inventory.kind")}</span>
                <select class=INPUT data-testid="movement-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{t.t("inventory.all_kinds")}</option>
                    {MOVEMENT_KINDS.iter().map(|k| view! { <option value=*k>{t.t(&format!("inventory.kind.{k}"))}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! { <ul class="flex flex-col gap-2" data-testid="movement-list">{rows}</ul> }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "inventory.no_movements", row, frame, load_more)
            })}
        </Transition>
    }
}

/// The active warehouses as form options.
fn active_options(page: &WarehousesPage) -> Vec<(String, String)> {
    page.warehouses.iter().filter(|w| w.active).map(|w| (w.id.to_string(), format!("{} · {}", w.code, w.name))).collect()
}

#[component]
pub fn StockMovePage() -> impl IntoView {
    let t = use_i18n();
    let warehouses = Resource::new(|| (), |_| list_warehouses());
    view! {
        <Title text=t.t("inventory.move")/>
        <PageHeader title=t.t("inventory.move")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match warehouses.await {
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => view! { <MoveForm options=active_options(&page)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MoveForm(options: Vec<(String, String)>) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let kind = RwSignal::new("in".to_string());
    let warehouse = RwSignal::new(options.first().map(|o| o.0.clone()).unwrap_or_default());
    let to_warehouse = RwSignal::new(options.get(1).map(|o| o.0.clone()).unwrap_or_default());
    let product = RwSignal::new(None::<(i64, String, String)>);
    let qty = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let input = move || MoveInput {
        kind: kind.get_untracked(),
        warehouse_id: warehouse.get_untracked().parse().ok(),
        to_warehouse_id: to_warehouse.get_untracked().parse().ok(),
        product_id: product.get_untracked().map(|p| p.0),
        qty: qty.get_untracked(),
        note: note.get_untracked(),
    };
    let save = Action::new(|i: &MoveInput| {
        let i = i.clone();
        async move { post_stock_move(i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate("/inventory/movements", Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let kinds: Vec<(String, String)> =
        ["in", "out", "transfer"].iter().map(|k| (k.to_string(), t.t(&format!("inventory.move.{k}")))).collect();
    let owner = Owner::current().expect("the form runs in a reactive owner");
    let pick = Callback::new(move |p: Product| {
        owner.with(|| product.set(Some((p.id, p.name.clone(), p.unit.clone()))));
    });
    view! {
        <form novalidate class="flex max-w-2xl flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="move-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let i = input();
                match i.validate() {
                    Err(e) => local.set(e),
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(i);
                    }
                }
            }>
            <FormAlert server_error local/>
            <SelectField id="kind" label=t.t("inventory.kind") value=kind options=kinds error=err("kind")/>
            <SelectField id="warehouse_id" label=t.t("order.warehouse") value=warehouse options=options.clone() error=err("warehouse_id")/>
            <Show when=move || kind.get() == "transfer">
                <SelectField id="to_warehouse_id" label=t.t("inventory.to_warehouse") value=to_warehouse options=options.clone() error=err("to_warehouse_id")/>
            </Show>
            <div class="flex flex-col gap-1">
                <span class="text-sm font-medium text-slate-700">{t.t("inventory.product")}</span>
                <p class="min-h-6 font-medium" data-testid="move-product">{move || product.get().map(|p| p.1)}</p>
                <p class="min-h-5 text-sm text-red-600">{move || err("product_id").get().map(|c| t.t(&c))}</p>
            </div>
            <ProductAdder on_pick=pick/>
            <TextField id="qty" label=t.t("price_check.qty") value=qty error=err("qty") inputmode="decimal"/>
            <TextField id="note" label=t.t("inventory.note") value=note error=err("note") max_len=200/>
            <div class="flex gap-2">
                <button type="submit" class=BTN_PRIMARY data-testid="move-save" disabled=move || save.pending().get()>{t.t("inventory.post")}</button>
                <A href="/inventory" attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}

#[component]
pub fn StocktakePage() -> impl IntoView {
    let t = use_i18n();
    let warehouses = Resource::new(|| (), |_| list_warehouses());
    view! {
        <Title text=t.t("inventory.stocktake")/>
        <PageHeader title=t.t("inventory.stocktake")/>
        <p class="mb-4 max-w-3xl text-slate-600">{t.t("inventory.stocktake_help")}</p>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match warehouses.await {
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => view! { <StocktakeForm options=active_options(&page)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One product being counted: its system quantity and what was counted.
#[derive(Clone, Copy)]
struct CountLine {
    product_id: i64,
    name: RwSignal<String>,
    unit: RwSignal<String>,
    system: RwSignal<i64>,
    counted: RwSignal<String>,
}

#[component]
fn StocktakeForm(options: Vec<(String, String)>) -> impl IntoView {
    let t = use_i18n();
    let warehouse = RwSignal::new(options.first().map(|o| o.0.clone()).unwrap_or_default());
    let lines = RwSignal::new(Vec::<CountLine>::new());
    let note = RwSignal::new(String::new());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let result = RwSignal::new(None::<StocktakeResult>);
    let owner = Owner::current().expect("the form runs in a reactive owner");
    // Everything the warehouse holds is listed to count; more products can be added.
    let load = move |w: String| {
        let Ok(w) = w.parse::<i64>() else { return };
        let owner = owner.clone();
        leptos::task::spawn_local(async move {
            let mut rows = Vec::new();
            let mut query = StockQuery { warehouse_id: Some(w), ..Default::default() };
            while let Ok(page) = stock_levels(query.clone()).await {
                rows.extend(page.rows);
                match page.next {
                    Some(n) if rows.len() < 500 => query.after = Some(n),
                    _ => break,
                }
            }
            owner.with(|| {
                lines.set(
                    rows.into_iter()
                        .map(|r| CountLine {
                            product_id: r.product_id,
                            name: RwSignal::new(r.product_name),
                            unit: RwSignal::new(r.unit),
                            system: RwSignal::new(r.on_hand_milli),
                            counted: RwSignal::new(String::new()),
                        })
                        .collect(),
                )
            });
        });
    };
    let load_effect = load.clone();
    Effect::new(move |_| load_effect(warehouse.get()));
    let owner_pick = Owner::current().expect("the form runs in a reactive owner");
    let pick = Callback::new(move |p: Product| {
        if lines.with_untracked(|ls| ls.iter().any(|l| l.product_id == p.id)) {
            return;
        }
        let l = owner_pick.with(|| CountLine {
            product_id: p.id,
            name: RwSignal::new(p.name.clone()),
            unit: RwSignal::new(p.unit.clone()),
            system: RwSignal::new(0),
            counted: RwSignal::new(String::new()),
        });
        lines.update(|ls| ls.push(l));
    });
    let save = Action::new(|i: &StocktakeInput| {
        let i = i.clone();
        async move { post_stocktake(i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get() {
            result.set(Some(r));
            load(warehouse.get_untracked());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let line_error = move |i: usize| {
        let key = format!("lines.{i}.counted");
        local
            .with(|es| es.iter().find(|e| e.field == key).map(|e| e.code.clone()))
            .or_else(|| server_error.get().and_then(|e| e.field(&key)))
    };
    let entries = move || lines.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <form novalidate class="flex max-w-3xl flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="stocktake-form"
            on:submit=move |ev| {
                ev.prevent_default();
                // Blank lines were not counted; the server skips them.
                let counted: Vec<(i64, String)> = lines.get_untracked().iter().map(|l| (l.product_id, l.counted.get_untracked())).collect();
                let i = StocktakeInput { warehouse_id: warehouse.get_untracked().parse().ok(), lines: counted, note: note.get_untracked() };
                result.set(None);
                match i.validate() {
                    Err(e) => local.set(e),
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(i);
                    }
                }
            }>
            <FormAlert server_error local/>
            {move || result.get().map(|r| view! {
                <p role="status" class="rounded-md bg-green-50 p-3 text-green-900" data-testid="stocktake-result">
                    {t.t_args("inventory.stocktake_done", &[("counted", r.counted.to_string()), ("adjusted", r.adjusted.to_string())])}
                </p>
            })}
            <SelectField id="warehouse_id" label=t.t("order.warehouse") value=warehouse options=options error=err("warehouse_id")/>
            <p class="min-h-5 text-sm text-red-600">{move || err("lines").get().map(|c| t.t(&c))}</p>
            <ul class="flex flex-col divide-y divide-slate-100">
                <For each=entries key=|(i, l)| (*i, l.product_id) let:entry>
                    {
                        let (i, l) = entry;
                        let id = format!("count-{i}");
                        view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="count-line">
                                <label for=id.clone() class="min-w-0 flex-1">
                                    <span class="font-medium">{move || l.name.get()}</span>
                                    <span class="block text-sm text-slate-500">{move || t.t_args("inventory.system_qty", &[("qty", format_qty(l.system.get())), ("unit", l.unit.get())])}</span>
                                </label>
                                <input id=id inputmode="decimal" class="min-h-11 w-28 rounded-md border border-slate-300 px-2 text-right text-base" data-testid="count-qty"
                                    prop:value=move || l.counted.get() on:input=move |ev| l.counted.set(event_target_value(&ev))
                                    aria-invalid=move || line_error(i).is_some().to_string()/>
                                <p class="w-full text-sm text-red-600">{move || line_error(i).map(|c| t.t(&c))}</p>
                            </li>
                        }
                    }
                </For>
            </ul>
            <ProductAdder on_pick=pick/>
            <TextField id="note" label=t.t("inventory.note") value=note error=err("note") max_len=200/>
            <div class="flex gap-2">
                <button type="submit" class=BTN_PRIMARY data-testid="stocktake-save" disabled=move || save.pending().get()>{t.t("inventory.post")}</button>
                <A href="/inventory" attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}

#[component]
pub fn WarehousesPage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| list_warehouses());
    view! {
        <Title text=t.t("settings.warehouses")/>
        <PageHeader title=t.t("settings.warehouses")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => {
                        let reload = Callback::new(move |_| data.refetch());
                        let can_edit = page.can_edit;
                        view! {
                            <ul class="mb-4 flex max-w-3xl flex-col gap-3" data-testid="warehouses">
                                {page.warehouses.into_iter().map(|w| view! { <WarehouseRow w=Some(w) can_edit reload/> }).collect_view()}
                            </ul>
                            {can_edit.then(|| view! {
                                <h2 class="mb-2 font-semibold">{t.t("inventory.new_warehouse")}</h2>
                                <ul class="mb-4 max-w-3xl"><WarehouseRow w=None can_edit reload/></ul>
                            })}
                            {page.can_edit_settings.then(|| view! { <NegativeStockSetting allow=page.allow_negative/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn WarehouseRow(w: Option<Warehouse>, can_edit: bool, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (w.as_ref().map(|w| w.id), w.as_ref().map(|w| w.version).unwrap_or(0));
    let w = w.unwrap_or(Warehouse { active: true, ..Default::default() });
    let code = RwSignal::new(w.code.clone());
    let name = RwSignal::new(w.name.clone());
    let address = RwSignal::new(w.address.clone());
    let active = RwSignal::new(w.active);
    let local = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |i: &WarehouseInput| {
        let i = i.clone();
        async move { save_warehouse(id, version, i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reload.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let key = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    let prefix = format!("wh-{key}");
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-4" data-testid="warehouse">
            <form novalidate class="grid grid-cols-1 gap-x-3 md:grid-cols-[8rem_minmax(0,1fr)_minmax(0,2fr)_auto_auto] md:items-start"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let i = WarehouseInput { code: code.get_untracked(), name: name.get_untracked(), address: address.get_untracked(), active: active.get_untracked() };
                    match i.validate() {
                        Err(e) => local.set(e),
                        Ok(_) => {
                            local.set(Vec::new());
                            save.dispatch(i);
                        }
                    }
                }>
                <fieldset disabled=!can_edit class="contents">
                    <WhField id=format!("{prefix}-code") label=t.t("inventory.warehouse_code") value=code error=err("code")/>
                    <WhField id=format!("{prefix}-name") label=t.t("inventory.warehouse_name") value=name error=err("name")/>
                    <WhField id=format!("{prefix}-address") label=t.t("company.address") value=address error=err("address")/>
                    <label class="flex min-h-11 items-center gap-2 text-sm md:mt-6">
                        <input type="checkbox" class="h-5 w-5" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                        {t.t("inventory.active")}
                    </label>
                </fieldset>
                {can_edit.then(|| view! {
                    <button type="submit" class=format!("{BTN_SECONDARY} md:mt-6") disabled=move || save.pending().get()>{t.t("common.save")}</button>
                })}
                <p class="text-sm text-red-600 md:col-span-5">{move || {
                    let mut msgs: Vec<String> = err("active").get().into_iter().map(|c| t.t(&c)).collect();
                    if matches!(server_error.get(), Some(AppError::Conflict)) {
                        msgs.push(t.t("error.conflict"));
                    }
                    msgs.join(" ")
                }}</p>
            </form>
        </li>
    }
}

/// A small labelled input whose id is made at run time (one row per warehouse).
#[component]
fn WhField(id: String, #[prop(into)] label: String, value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    view! {
        <div class="flex flex-col gap-1">
            <label for=id.clone() class="text-sm font-medium text-slate-700">{label}</label>
            <input id=id class="min-h-11 rounded-md border border-slate-300 px-3 text-base aria-[invalid=true]:border-red-500"
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <p class="min-h-5 text-sm text-red-600">{move || error.get().map(|c| t.t(&c))}</p>
        </div>
    }
}

#[component]
fn NegativeStockSetting(allow: bool) -> impl IntoView {
    let t = use_i18n();
    let value = RwSignal::new(allow);
    let save = Action::new(|v: &bool| {
        let v = *v;
        async move { set_allow_negative(v).await }
    });
    view! {
        <section class="max-w-3xl rounded-lg border border-slate-200 bg-white p-4" data-testid="negative-stock">
            <label class="flex min-h-11 items-center gap-2">
                <input type="checkbox" class="h-5 w-5" prop:checked=move || value.get()
                    on:change=move |ev| {
                        let v = event_target_checked(&ev);
                        value.set(v);
                        save.dispatch(v);
                    }/>
                {t.t("inventory.allow_negative")}
            </label>
            <p class="text-sm text-slate-600">{t.t("inventory.allow_negative_help")}</p>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <p role="status" class="text-sm text-green-800">{t.t("common.saved")}</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p role="alert" class="text-sm text-red-700">{error_text(t, &e)}</p> }.into_any()),
                None => None,
            }}
        </section>
    }
}
