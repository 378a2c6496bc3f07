//! The quote editor: customer and opportunity, dates, currency, lines from the catalog
//! (priced by the server with the customer's price policies) or typed in, discounts,
//! and totals worked out live with the same arithmetic the server saves with.
use super::money;
use crate::catalog::api::{check_price, list_products};
use crate::catalog::types::{format_rate_bp, parse_qty, parse_rate_bp, PriceCheckInput, Product, ProductQuery};
use crate::opportunities::api::customer_opportunities;
use crate::opportunities::pages::CustomerPicker;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::{format_amount, parse_amount, Currency};
use crate::quotes::api::{create_quote, get_quote, update_quote};
use crate::quotes::types::*;
use crate::ui::{error_text, field_error, FormAlert, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

const CELL: &str = "min-h-11 w-full rounded-md border border-slate-300 px-2 text-base aria-[invalid=true]:border-red-500";

/// One line being edited. The catalog price is what the server priced the product at
/// for this customer and quantity (shown as the placeholder of the unit price).
#[derive(Clone, Copy)]
struct LineState {
    key: u64,
    product_id: Option<i64>,
    name: RwSignal<String>,
    unit: RwSignal<String>,
    qty: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
    tax_rate: RwSignal<String>,
    catalog: RwSignal<Option<(i64, Option<String>)>>,
}

impl LineState {
    fn new(key: u64, l: &LineInput) -> Self {
        LineState {
            key,
            product_id: l.product_id,
            name: RwSignal::new(l.name.clone()),
            unit: RwSignal::new(l.unit.clone()),
            qty: RwSignal::new(l.qty.clone()),
            unit_price: RwSignal::new(l.unit_price.clone()),
            discount: RwSignal::new(l.discount.clone()),
            tax_rate: RwSignal::new(l.tax_rate.clone()),
            catalog: RwSignal::new(None),
        }
    }
    fn input(&self) -> LineInput {
        LineInput {
            product_id: self.product_id,
            name: self.name.get_untracked(),
            unit: self.unit.get_untracked(),
            qty: self.qty.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            discount: self.discount.get_untracked(),
            tax_rate: self.tax_rate.get_untracked(),
        }
    }
}

#[component]
pub fn NewQuotePage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let param = |k: &str| query.read_untracked().get(k).and_then(|v| v.parse::<i64>().ok());
    let initial = QuoteInput {
        customer_id: param("customer"),
        opportunity_id: param("opportunity"),
        currency: Currency::Cny.code().into(),
        ..Default::default()
    };
    let save = Action::new(|input: &QuoteInput| {
        let input = input.clone();
        async move { create_quote(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/quotes/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.t("quote.new")/>
        <PageHeader title=t.t("quote.new")/>
        <QuoteEditor initial customer_name=String::new() on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href="/quotes".to_string()/>
    }
}

#[component]
pub fn EditQuotePage() -> impl IntoView {
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
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <EditForm d/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(d: QuoteDetail) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (d.quote.id, d.quote.version);
    let save = Action::new(move |input: &QuoteInput| {
        let input = input.clone();
        async move { update_quote(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            navigate(&format!("/quotes/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let title = t.t_args("quote.edit_title", &[("number", d.quote.label())]);
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title/>
        <QuoteEditor initial=d.to_input() customer_name=d.quote.customer_name.clone().unwrap_or_default()
            on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href=format!("/quotes/{id}")/>
    }
}

/// What an order adds to the quote editor: the warehouse it ships from, whose stock
/// each product line is checked against as it is typed.
#[derive(Clone)]
pub(crate) struct OrderExtras {
    pub warehouse: RwSignal<String>,
    pub warehouses: Vec<(String, String)>,
}

/// The document editor of quotes and, with `order`, of orders (order date and delivery
/// date in place of quote date and validity, plus the warehouse and stock per line).
#[component]
pub(crate) fn QuoteEditor(
    initial: QuoteInput,
    customer_name: String,
    on_submit: Callback<QuoteInput>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    cancel_href: String,
    #[prop(optional)] order: Option<OrderExtras>,
) -> impl IntoView {
    let t = use_i18n();
    let is_order = order.is_some();
    let warehouse = order.as_ref().map(|o| o.warehouse);
    let warehouse_options = order.map(|o| o.warehouses).unwrap_or_default();
    let customer = RwSignal::new(initial.customer_id.map(|c| (c, customer_name)));
    let opportunity = RwSignal::new(initial.opportunity_id.map(|o| o.to_string()).unwrap_or_default());
    let title = RwSignal::new(initial.title.clone());
    let quote_date = RwSignal::new(initial.quote_date.clone());
    let valid_until = RwSignal::new(initial.valid_until.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let discount = RwSignal::new(initial.discount.clone());
    let terms = RwSignal::new(initial.terms.clone());
    let notes = RwSignal::new(initial.notes.clone());
    let next_key = StoredValue::new(initial.lines.len() as u64);
    let lines = RwSignal::new(initial.lines.iter().enumerate().map(|(i, l)| LineState::new(i as u64, l)).collect::<Vec<_>>());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);

    // A customer given in the URL shows its name once known.
    Effect::new(move |_| {
        if let Some((id, n)) = customer.get_untracked() {
            if n.is_empty() {
                leptos::task::spawn_local(async move {
                    if let Ok(c) = crate::customers::api::get_customer(id).await {
                        customer.set(Some((id, c.name)));
                    }
                });
            }
        }
    });
    let opportunities = Resource::new(
        move || customer.get().map(|c| c.0),
        |c| async move {
            match c {
                Some(c) => customer_opportunities(c).await.unwrap_or_default(),
                None => Vec::new(),
            }
        },
    );
    // The server's price for one product line, for this customer, quantity, date and currency.
    let reprice = move |l: LineState| {
        let Some(pid) = l.product_id else { return };
        let input = PriceCheckInput {
            customer_id: customer.get_untracked().map(|c| c.0),
            qty: l.qty.get_untracked(),
            date: quote_date.get_untracked(),
            currency: currency.get_untracked(),
        };
        if parse_qty(&input.qty).is_none() {
            return;
        }
        leptos::task::spawn_local(async move {
            let priced = check_price(pid, input).await.ok().map(|q| (q.unit_price, q.policy.map(|p| p.name)));
            l.catalog.set(priced);
        });
    };
    // Customer, date or currency changed: every product line is priced again.
    Effect::new(move |_| {
        customer.track();
        quote_date.track();
        currency.track();
        for l in lines.get_untracked() {
            reprice(l);
        }
    });
    // Lines are created in the editor's reactive owner: a product is picked inside the
    // search results, whose owner is dropped when the results change.
    let owner = Owner::current().expect("the editor runs in a reactive owner");
    let owner_custom = owner.clone();
    let add_product = move |p: Product| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let l = owner.with(|| {
            LineState::new(
                key,
                &LineInput {
                    product_id: Some(p.id),
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    qty: "1".into(),
                    tax_rate: format_rate_bp(p.tax_rate_bp),
                    ..Default::default()
                },
            )
        });
        lines.update(|ls| ls.push(l));
        reprice(l);
    };
    let add_custom = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let l = owner_custom.with(|| LineState::new(key, &LineInput { qty: "1".into(), ..Default::default() }));
        lines.update(|ls| ls.push(l));
    };

    // Live totals with the server's arithmetic on what is typed now.
    let preview = Memo::new(move |_| {
        let c = Currency::from_code(&currency.get()).unwrap_or_default();
        let figures: Vec<LineFigures> = lines
            .get()
            .iter()
            .map(|l| {
                let catalog = l.catalog.get().map(|c| c.0);
                let typed = parse_amount(&l.unit_price.get(), c);
                let unit_price = typed.or(catalog).unwrap_or(0);
                LineFigures {
                    qty_milli: parse_qty(&l.qty.get()).unwrap_or(0),
                    priced_unit: catalog.unwrap_or(unit_price),
                    unit_price,
                    discount_bp: parse_rate_bp(&l.discount.get()).unwrap_or(0),
                    tax_rate_bp: parse_rate_bp(&l.tax_rate.get()).unwrap_or(0),
                }
            })
            .collect();
        totals(&figures, parse_rate_bp(&discount.get()).unwrap_or(0))
    });

    // Orders: what each product line's warehouse has available, as lines and quantities change.
    let stock = Resource::new(
        move || {
            let w = warehouse.map(|w| w.get()).and_then(|w| w.parse::<i64>().ok());
            let mut ids: Vec<i64> = lines.get().iter().filter_map(|l| l.product_id).collect();
            ids.sort_unstable();
            ids.dedup();
            (w, ids)
        },
        |(w, ids)| async move {
            match w {
                Some(w) if !ids.is_empty() => crate::inventory::api::stock_availability(w, ids).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        },
    );
    let stock_note = move |l: LineState| {
        let pid = l.product_id?;
        let a = stock.get()?.into_iter().find(|a| a.product_id == pid && a.stocked)?;
        let short = parse_qty(&l.qty.get()).is_some_and(|q| q > a.available_milli);
        let text = t.t_args(
            if short { "order.stock_short" } else { "order.stock_available" },
            &[
                ("qty", crate::catalog::types::format_qty(a.available_milli.max(0))),
                ("unit", l.unit.get()),
                ("all", crate::catalog::types::format_qty(a.available_everywhere_milli.max(0))),
            ],
        );
        Some(view! {
            <span class=if short { "text-xs font-medium text-red-700" } else { "text-xs text-green-800" } data-testid="line-stock" data-short=short.to_string()>{text}</span>
        })
    };
    let collect = move || QuoteInput {
        customer_id: customer.get_untracked().map(|c| c.0),
        opportunity_id: opportunity.get_untracked().parse().ok(),
        title: title.get_untracked(),
        quote_date: quote_date.get_untracked(),
        valid_until: valid_until.get_untracked(),
        currency: currency.get_untracked(),
        discount: discount.get_untracked(),
        terms: terms.get_untracked(),
        notes: notes.get_untracked(),
        lines: lines.get_untracked().iter().map(LineState::input).collect(),
    };
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    let entries = move || lines.get().into_iter().enumerate().collect::<Vec<_>>();
    let line_error = move |i: usize, f: &str| {
        let key = format!("lines.{i}.{f}");
        Signal::derive(move || {
            local
                .with(|es| es.iter().find(|e| e.field == key).map(|e| e.code.clone()))
                .or_else(|| server_error.get().and_then(|e| e.field(&key)))
        })
    };
    view! {
        <form novalidate class="flex flex-col gap-4" data-testid="quote-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = collect();
                match input.validate() {
                    Ok(_) => {
                        local.set(Vec::new());
                        on_submit.run(input);
                    }
                    Err(errors) => local.set(errors),
                }
            }>
            <FormAlert server_error local=local/>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t(if is_order { "order.section.header" } else { "quote.section.header" })}</legend>
                <CustomerPicker customer error=err("customer_id")/>
                <p class="text-sm text-red-600 md:col-span-2">{move || err("customer_id").get().map(|c| t.t(&c))}</p>
                <div class="flex flex-col gap-1">
                    <label for="opportunity_id" class="text-sm font-medium text-slate-700">{t.t("quote.opportunity")}</label>
                    <select id="opportunity_id" class="min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base"
                        on:change=move |ev| opportunity.set(event_target_value(&ev))>
                        <option value="">{t.t("quote.no_opportunity")}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                opportunities.await.into_iter().map(|o| {
                                    let v = o.id.to_string();
                                    let selected = opportunity.get_untracked() == v;
                                    view! { <option value=v selected=selected>{o.name}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <p class="min-h-5 text-sm text-red-600">{move || err("opportunity_id").get().map(|c| t.t(&c))}</p>
                </div>
                <TextField id="title" label=t.t("quote.title") value=title error=err("title") max_len=TITLE_MAX/>
                <TextField id="quote_date" label=t.t(if is_order { "order.date" } else { "quote.date" }) value=quote_date error=err("quote_date") input_type="date"/>
                <TextField id="valid_until" label=t.t(if is_order { "order.delivery_date" } else { "quote.valid_until" }) value=valid_until error=err("valid_until") input_type="date"/>
                {warehouse.map(|w| view! {
                    <SelectField id="warehouse_id" label=t.t("order.warehouse") value=w options=warehouse_options.clone() error=err("warehouse_id")/>
                })}
                <SelectField id="currency" label=t.t("product.currency") value=currency options=currencies error=err("currency")/>
            </fieldset>

            <fieldset class="rounded-lg border border-slate-200 bg-white p-4" data-testid="quote-lines">
                <legend class="px-1 font-semibold">{t.t("quote.section.lines")}</legend>
                <p class="min-h-5 text-sm text-red-600">{move || err("lines").get().map(|c| t.t(&c))}</p>
                <ol class="flex flex-col gap-3">
                    <For each=entries key=|(i, l)| (*i, l.key) let:entry>
                        {
                        let (i, l) = entry;
                        view! {
                        <li class="grid grid-cols-2 gap-2 rounded-md border border-slate-200 p-3 md:grid-cols-[minmax(0,3fr)_repeat(4,minmax(0,1fr))_auto]" data-testid="quote-line">
                            <label class="col-span-2 flex flex-col gap-1 text-sm md:col-span-1">
                                <span class="font-medium text-slate-700">{t.t("quote.line.name")}</span>
                                <input class=CELL data-testid="line-name" prop:value=move || l.name.get() on:input=move |ev| l.name.set(event_target_value(&ev))
                                    aria-invalid=move || line_error(i, "name").get().is_some().to_string()/>
                                <span class="text-xs text-slate-500">
                                    {move || l.catalog.get().and_then(|c| c.1).filter(|n| !n.is_empty()).map(|n| t.t_args("quote.line.policy", &[("name", n)]))}
                                </span>
                                <Transition fallback=|| ()>{move || stock_note(l)}</Transition>
                            </label>
                            <label class="flex flex-col gap-1 text-sm">
                                <span class="font-medium text-slate-700">{move || format!("{} {}", t.t("price_check.qty"), l.unit.get())}</span>
                                <input class=CELL inputmode="decimal" data-testid="line-qty" prop:value=move || l.qty.get()
                                    on:input=move |ev| l.qty.set(event_target_value(&ev)) on:change=move |_| reprice(l)
                                    aria-invalid=move || line_error(i, "qty").get().is_some().to_string()/>
                            </label>
                            <label class="flex flex-col gap-1 text-sm">
                                <span class="font-medium text-slate-700">{t.t("quote.line.unit_price")}</span>
                                <input class=CELL inputmode="decimal" data-testid="line-price" prop:value=move || l.unit_price.get()
                                    placeholder=move || l.catalog.get().map(|c| format_amount(c.0, Currency::from_code(&currency.get()).unwrap_or_default()))
                                    on:input=move |ev| l.unit_price.set(event_target_value(&ev))
                                    aria-invalid=move || line_error(i, "unit_price").get().is_some().to_string()/>
                            </label>
                            <label class="flex flex-col gap-1 text-sm">
                                <span class="font-medium text-slate-700">{t.t("quote.line.discount")}</span>
                                <input class=CELL inputmode="decimal" data-testid="line-discount" prop:value=move || l.discount.get()
                                    on:input=move |ev| l.discount.set(event_target_value(&ev))
                                    aria-invalid=move || line_error(i, "discount").get().is_some().to_string()/>
                            </label>
                            <label class="flex flex-col gap-1 text-sm">
                                <span class="font-medium text-slate-700">{t.t("product.tax_rate")}</span>
                                <input class=CELL inputmode="decimal" data-testid="line-tax" prop:value=move || l.tax_rate.get()
                                    on:input=move |ev| l.tax_rate.set(event_target_value(&ev))
                                    aria-invalid=move || line_error(i, "tax_rate").get().is_some().to_string()/>
                            </label>
                            <div class="flex items-end justify-between gap-2 md:flex-col md:items-end">
                                <span class="font-medium tabular-nums" data-testid="line-net">
                                    {move || preview.with(|p| p.lines.get(i).map(|x| money(x.amount, &currency.get())))}
                                </span>
                                <button type="button" class="min-h-11 px-2 text-sm text-red-700 underline" aria-label=t.t("quote.line.remove")
                                    on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != l.key))>{t.t("quote.line.remove")}</button>
                            </div>
                            <p class="col-span-2 text-sm text-red-600 md:col-span-6">
                                {move || ["name", "qty", "unit_price", "discount", "tax_rate"].iter()
                                    .filter_map(|f| line_error(i, f).get().map(|c| t.t(&c))).collect::<Vec<_>>().join(" ")}
                            </p>
                        </li>
                        }
                        }
                    </For>
                </ol>
                <ProductAdder on_pick=Callback::new(add_product)/>
                <button type="button" class=format!("{BTN_SECONDARY} mt-2") data-testid="add-custom-line" on:click=add_custom>{t.t("quote.add_custom")}</button>
            </fieldset>

            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("quote.section.totals")}</legend>
                <div>
                    <TextField id="discount" label=t.t(if is_order { "order.doc_discount" } else { "quote.doc_discount" }) value=discount error=err("discount") inputmode="decimal"/>
                </div>
                <dl class="grid grid-cols-2 gap-y-1 self-start tabular-nums" data-testid="quote-totals">
                    <dt>{t.t("quote.subtotal")}</dt><dd class="text-right">{move || money(preview.get().subtotal, &currency.get())}</dd>
                    <dt>{t.t("quote.discount_total")}</dt><dd class="text-right">{move || money(preview.get().discount_total, &currency.get())}</dd>
                    <dt>{t.t("quote.tax_total")}</dt><dd class="text-right">{move || money(preview.get().tax_total, &currency.get())}</dd>
                    <dt class="font-semibold">{t.t("quote.total")}</dt>
                    <dd class="text-right font-semibold" data-testid="quote-total">{move || money(preview.get().total, &currency.get())}</dd>
                    <dt class="text-sm text-slate-600">{t.t("quote.effective_discount")}</dt>
                    <dd class="text-right text-sm text-slate-600">{move || format!("{} %", format_rate_bp(preview.get().effective_discount_bp))}</dd>
                </dl>
                <div class="md:col-span-2"><TextArea id="terms" label=t.t("quote.terms") value=terms error=err("terms") max_len=TEXT_MAX/></div>
                <div class="md:col-span-2"><TextArea id="notes" label=t.t("quote.notes") value=notes error=err("notes") max_len=TEXT_MAX/></div>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="quote-save" disabled=move || pending.get()>
                    {move || if pending.get() { t.t("common.saving") } else { t.t("common.save") }}
                </button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}

/// Searches the catalog and adds the picked product as a line.
#[component]
pub(crate) fn ProductAdder(on_pick: Callback<Product>) -> impl IntoView {
    let t = use_i18n();
    let term = RwSignal::new(String::new());
    let results = Resource::new(
        move || term.get(),
        |q| async move {
            if q.trim().is_empty() {
                return Vec::new();
            }
            list_products(ProductQuery { q: Some(q), ..Default::default() }).await.map(|p| p.rows).unwrap_or_default()
        },
    );
    view! {
        <div class="mt-3 flex flex-col gap-1">
            <label for="product-add" class="text-sm font-medium text-slate-700">{t.t("quote.add_product")}</label>
            <input id="product-add" type="search" class=CELL data-testid="product-add" placeholder=t.t("product.search_hint")
                prop:value=move || term.get() on:input=move |ev| term.set(event_target_value(&ev))/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = results.await;
                    view! {
                        <ul class="flex flex-col gap-1" aria-label=t.t("quote.product_matches")>
                            {rows.into_iter().take(8).map(|p| {
                                let label = format!("{} · {}", p.name, p.code);
                                view! {
                                    <li><button type="button" class="min-h-11 w-full rounded-md border border-slate-200 px-3 text-left hover:bg-slate-50"
                                        on:click=move |_| {
                                            on_pick.run(p.clone());
                                            term.set(String::new());
                                        }>{label}</button></li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </div>
    }
}
