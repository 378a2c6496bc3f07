//! A product's page: its facts, its price policies (added and edited in place) and a
//! price check that shows which policy sets the price for a customer and quantity.
use super::price_text;
use crate::catalog::api::{check_price, delete_price_policy, get_product, save_price_policy, set_product_deleted};
use crate::catalog::types::*;
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::DictKind;
use crate::opportunities::pages::CustomerPicker;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{use_i18n, I18n};
use crate::platform::money::{format_amount, Currency};
use crate::ui::{detail_field, error_text, field_error, PageHeader, SelectField, TextField, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// "Customer 上海明远", "Level A", "Region 华东" or "Everyone".
fn target_text(t: I18n, p: &PricePolicy) -> String {
    match p.target() {
        PolicyTarget::Customer => format!("{} {}", t.t("policy.target.customer"), p.customer_name.clone().unwrap_or_default()),
        PolicyTarget::Level | PolicyTarget::Region => format!("{} {}", t.t(&format!("policy.target.{}", p.target)), p.target_value),
        PolicyTarget::All => t.t("policy.target.all"),
    }
}

/// "12,000.00 CNY" or "8 % off".
fn rule_text(t: I18n, p: &PricePolicy) -> String {
    match (p.price, p.discount_bp) {
        (Some(price), _) => format!("{} {}", format_amount(price, p.currency()), p.currency),
        (None, Some(bp)) => t.t_args("policy.discount_text", &[("pct", format_rate_bp(bp))]),
        _ => String::new(),
    }
}

/// "From 10 · 2026-01-01 – 2026-06-30", empty when the policy has no limits.
fn limits_text(t: I18n, p: &PricePolicy) -> String {
    let mut parts = Vec::new();
    if p.min_qty_milli > 0 {
        parts.push(t.t_args("policy.from_qty", &[("qty", format_qty(p.min_qty_milli))]));
    }
    if p.valid_from.is_some() || p.valid_to.is_some() {
        parts.push(format!("{} – {}", p.valid_from.clone().unwrap_or_default(), p.valid_to.clone().unwrap_or_default()));
    }
    parts.join(" · ")
}

#[component]
pub fn ProductDetailPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_product(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let reload = Callback::new(move |_: ()| detail.refetch());
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <ProductView d reload/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductView(d: ProductDetail, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let p = d.product.clone();
    let id = p.id;
    let deleted = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let toggle = Action::new(move |del: &bool| {
        let del = *del;
        async move { set_product_deleted(id, del).await.map(|_| del) }
    });
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(del)) => {
            error.set(None);
            deleted.set(del);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let c = p.currency();
    let money = move |v: i64| format!("{} {}", format_amount(v, c), c.code());
    let margin = (p.list_price > 0).then(|| format!("{} %", format_rate_bp((p.list_price - p.cost) * 10_000 / p.list_price)));
    view! {
        <Title text=p.name.clone()/>
        <PageHeader title=p.name.clone()>
            {d.can_edit.then(|| view! { <A href=format!("/products/{id}/edit") attr:class=BTN_SECONDARY attr:data-testid="edit-product">{t.t("common.edit")}</A> })}
            {d.can_delete.then(|| view! {
                <button type="button" class=BTN_DANGER data-testid="delete-product" disabled=move || deleted.get() || toggle.pending().get()
                    on:click=move |_| { toggle.dispatch(true); }>{t.t("common.delete")}</button>
            })}
        </PageHeader>
        {move || deleted.get().then(|| view! {
            <div role="status" class="mb-4 flex flex-wrap items-center gap-3 rounded-md border border-amber-400 bg-amber-50 px-4 py-3 text-amber-900" data-testid="product-deleted">
                <span>{t.t("product.deleted")}</span>
                <button type="button" class=BTN_SECONDARY data-testid="undo-delete" on:click=move |_| { toggle.dispatch(false); }>{t.t("common.undo")}</button>
                <A href="/products" attr:class="underline">{t.t("product.back_to_list")}</A>
            </div>
        })}
        {move || error.get().map(|e| view! { <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> })}
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="product-facts">
                <h2 class="mb-2 font-semibold">{t.t("product.section.basic")}</h2>
                <dl>
                    {detail_field(t, "product.code", Some(p.code.clone()))}
                    {detail_field(t, "product.kind", Some(t.t(&format!("product.kind.{}", p.kind))))}
                    {detail_field(t, "product.category", Some(p.category.clone()))}
                    {detail_field(t, "product.unit", Some(p.unit.clone()))}
                    {detail_field(t, "product.status", Some(t.t(if p.active { "product.active" } else { "product.inactive" })))}
                    {detail_field(t, "product.description", Some(p.description.clone()))}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("product.section.price")}</h2>
                <dl>
                    {detail_field(t, "product.list_price", Some(price_text(&p)))}
                    {detail_field(t, "product.cost", Some(money(p.cost)))}
                    {detail_field(t, "product.margin", margin)}
                    {detail_field(t, "product.tax_rate", Some(format!("{} %", format_rate_bp(p.tax_rate_bp))))}
                </dl>
            </section>
            <PoliciesSection product=p.clone() policies=d.policies.clone() can_edit=d.can_edit reload/>
            <PriceCheck product=p/>
        </div>
    }
}

#[component]
fn PoliciesSection(product: Product, policies: Vec<PricePolicy>, can_edit: bool, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    // The policy being edited: None closed, Some(None) a new one, Some(Some(p)) that one.
    let editing = RwSignal::new(None::<Option<PricePolicy>>);
    let error = RwSignal::new(None::<AppError>);
    let remove = Action::new(move |(id, version): &(i64, i64)| {
        let (id, version) = (*id, *version);
        async move { delete_price_policy(id, version).await }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            error.set(None);
            reload.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let product_id = product.id;
    let product_currency = product.currency.clone();
    let empty = policies.is_empty();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2" aria-labelledby="policies-title" data-testid="price-policies">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="policies-title" class="font-semibold">{t.t("policy.title")}</h2>
                {can_edit.then(|| view! {
                    <button type="button" class=BTN_SECONDARY data-testid="add-policy" on:click=move |_| editing.set(Some(None))>{t.t("policy.add")}</button>
                })}
            </div>
            <p class="mb-3 text-sm text-slate-600">{t.t("policy.precedence_help")}</p>
            {move || error.get().map(|e| view! { <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> })}
            {empty.then(|| view! { <p class="text-slate-500">{t.t("policy.empty")}</p> })}
            <ul class="flex flex-col divide-y divide-slate-100">
                {policies.into_iter().map(|p| {
                    let edit = p.clone();
                    let (pid, version) = (p.id, p.version);
                    view! {
                        <li class="flex flex-wrap items-center gap-x-4 gap-y-1 py-2" data-testid="policy-row">
                            <span class="min-w-40 font-medium">{if p.name.is_empty() { target_text(t, &p) } else { p.name.clone() }}</span>
                            <span class="text-sm text-slate-600">{target_text(t, &p)}</span>
                            <span class="tabular-nums">{rule_text(t, &p)}</span>
                            <span class="text-sm text-slate-600">{limits_text(t, &p)}</span>
                            {(!p.active).then(|| view! { <span class="rounded bg-slate-200 px-1.5 text-xs">{t.t("product.inactive")}</span> })}
                            {can_edit.then(|| view! {
                                <span class="ml-auto flex gap-2">
                                    <button type="button" class=BTN_SECONDARY on:click=move |_| editing.set(Some(Some(edit.clone())))>{t.t("common.edit")}</button>
                                    <button type="button" class=BTN_SECONDARY disabled=move || remove.pending().get()
                                        on:click=move |_| { remove.dispatch((pid, version)); }>{t.t("common.delete")}</button>
                                </span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || editing.get().map(|which| view! {
                <PolicyForm product_id product_currency=product_currency.clone() policy=which
                    on_done=Callback::new(move |saved: bool| {
                        editing.set(None);
                        if saved {
                            reload.run(());
                        }
                    })/>
            })}
        </section>
    }
}

#[component]
fn PolicyForm(product_id: i64, product_currency: String, policy: Option<PricePolicy>, on_done: Callback<bool>) -> impl IntoView {
    let t = use_i18n();
    let key = policy.as_ref().map(|p| (p.id, p.version));
    let initial =
        policy.as_ref().map(PricePolicy::to_input).unwrap_or_else(|| PricePolicyInput { currency: product_currency, ..Default::default() });
    let name = RwSignal::new(initial.name.clone());
    let target = RwSignal::new(initial.target.clone());
    let customer =
        RwSignal::new(initial.customer_id.map(|c| (c, policy.as_ref().and_then(|p| p.customer_name.clone()).unwrap_or_default())));
    let target_value = RwSignal::new(initial.target_value.clone());
    let min_qty = RwSignal::new(initial.min_qty.clone());
    let valid_from = RwSignal::new(initial.valid_from.clone());
    let valid_to = RwSignal::new(initial.valid_to.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let mode = RwSignal::new(if initial.discount.is_empty() { "price" } else { "discount" }.to_string());
    let price = RwSignal::new(initial.price.clone());
    let discount = RwSignal::new(initial.discount.clone());
    let active = RwSignal::new(initial.active);
    let local = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |input: &PricePolicyInput| {
        let input = input.clone();
        async move { save_price_policy(product_id, key, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_done.run(true);
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let collect = move || {
        let by_price = mode.get_untracked() == "price";
        PricePolicyInput {
            name: name.get_untracked(),
            target: target.get_untracked(),
            customer_id: customer.get_untracked().map(|c| c.0),
            target_value: target_value.get_untracked(),
            min_qty: min_qty.get_untracked(),
            valid_from: valid_from.get_untracked(),
            valid_to: valid_to.get_untracked(),
            currency: currency.get_untracked(),
            price: if by_price { price.get_untracked() } else { String::new() },
            discount: if by_price { String::new() } else { discount.get_untracked() },
            active: active.get_untracked(),
        }
    };
    let targets: Vec<(String, String)> =
        PolicyTarget::ALL.iter().map(|k| (k.code().to_string(), t.t(&format!("policy.target.{}", k.code())))).collect();
    let modes = vec![("price".to_string(), t.t("policy.fixed_price")), ("discount".to_string(), t.t("policy.discount"))];
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    view! {
        <form novalidate class="mt-4 grid grid-cols-1 gap-x-4 rounded-lg border border-blue-200 bg-blue-50/40 p-4 md:grid-cols-2" data-testid="policy-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = collect();
                match input.validate() {
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(input);
                    }
                    Err(errors) => local.set(errors),
                }
            }>
            <h3 class="font-semibold md:col-span-2">{if key.is_some() { t.t("policy.edit") } else { t.t("policy.add") }}</h3>
            {move || server_error.get().map(|e| view! {
                <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800 md:col-span-2">
                    {if matches!(e, AppError::Validation(_)) { t.t(e.message_key()) } else { error_text(t, &e) }}
                </p>
            })}
            <TextField id="policy-name" label=t.t("policy.name") value=name error=err("name") max_len=NAME_MAX/>
            <SelectField id="policy-target" label=t.t("policy.target") value=target options=targets error=err("target")/>
            {move || match PolicyTarget::from_code(&target.get()) {
                Some(PolicyTarget::Customer) => view! { <CustomerPicker customer error=err("customer_id")/> }.into_any(),
                Some(k @ (PolicyTarget::Level | PolicyTarget::Region)) => {
                    let kind = if k == PolicyTarget::Level { DictKind::Level } else { DictKind::Region };
                    view! {
                        <TextField id="policy-target-value" label=t.t(&format!("policy.target.{}", k.code())) value=target_value
                            error=err("target_value") list="policy-target-list" max_len=100/>
                        <datalist id="policy-target-list">
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    lists.await.unwrap_or_default().names(kind).into_iter().map(|n| view! { <option value=n/> }).collect_view()
                                })}
                            </Suspense>
                        </datalist>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
            <SelectField id="policy-mode" label=t.t("policy.rule") value=mode options=modes error=Signal::derive(|| None::<String>)/>
            {move || if mode.get() == "price" {
                view! {
                    <SelectField id="policy-currency" label=t.t("product.currency") value=currency options=currencies.clone() error=err("currency")/>
                    <TextField id="policy-price" label=t.t("policy.fixed_price") value=price error=err("price") inputmode="decimal"/>
                }.into_any()
            } else {
                view! { <TextField id="policy-discount" label=t.t("policy.discount_pct") value=discount error=err("discount") inputmode="decimal"/> }.into_any()
            }}
            <TextField id="policy-min-qty" label=t.t("policy.min_qty") value=min_qty error=err("min_qty") inputmode="decimal"/>
            <TextField id="policy-from" label=t.t("policy.valid_from") value=valid_from error=err("valid_from") input_type="date"/>
            <TextField id="policy-to" label=t.t("policy.valid_to") value=valid_to error=err("valid_to") input_type="date"/>
            <label class="flex min-h-11 items-center gap-2">
                <input type="checkbox" class="h-5 w-5" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                {t.t("policy.active")}
            </label>
            <div class="flex gap-2 md:col-span-2">
                <button type="submit" class=BTN_PRIMARY data-testid="policy-save" disabled=move || save.pending().get()>{t.t("common.save")}</button>
                <button type="button" class=BTN_SECONDARY on:click=move |_| on_done.run(false)>{t.t("common.cancel")}</button>
            </div>
        </form>
    }
}

/// Prices the product for a customer, quantity, date and currency on the server, with
/// the same rule quotes and orders use, and names the policy that set the price.
#[component]
fn PriceCheck(product: Product) -> impl IntoView {
    let t = use_i18n();
    let customer = RwSignal::new(None::<(i64, String)>);
    let qty = RwSignal::new("1".to_string());
    let date = RwSignal::new(String::new());
    let currency = RwSignal::new(product.currency.clone());
    let id = product.id;
    let check = Action::new(move |input: &PriceCheckInput| {
        let input = input.clone();
        async move { check_price(id, input).await }
    });
    let server_error = Signal::derive(move || check.value().get().and_then(|r| r.err()));
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2" aria-labelledby="price-check-title" data-testid="price-check">
            <h2 id="price-check-title" class="mb-2 font-semibold">{t.t("price_check.title")}</h2>
            <form novalidate class="grid grid-cols-1 gap-x-4 md:grid-cols-2 lg:grid-cols-4"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let input = PriceCheckInput {
                        customer_id: customer.get_untracked().map(|c| c.0),
                        qty: qty.get_untracked(),
                        date: date.get_untracked(),
                        currency: currency.get_untracked(),
                    };
                    match input.validate() {
                        Ok(_) => {
                            local.set(Vec::new());
                            check.dispatch(input);
                        }
                        Err(e) => local.set(e),
                    }
                }>
                <div class="md:col-span-2 lg:col-span-4">
                    <CustomerPicker customer error=err("customer_id")/>
                    <p class="text-xs text-slate-500">{t.t("price_check.customer_help")}</p>
                </div>
                <TextField id="check-qty" label=t.t("price_check.qty") value=qty error=err("qty") inputmode="decimal"/>
                <TextField id="check-date" label=t.t("price_check.date") value=date error=err("date") input_type="date"/>
                <SelectField id="check-currency" label=t.t("product.currency") value=currency options=currencies error=err("currency")/>
                <div class="flex items-center">
                    <button type="submit" class=BTN_PRIMARY data-testid="price-check-submit" disabled=move || check.pending().get()>{t.t("price_check.run")}</button>
                </div>
            </form>
            {move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! {
                <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p>
            })}
            {move || check.value().get().and_then(Result::ok).map(|q| {
                let c = Currency::from_code(&q.currency).unwrap_or_default();
                let source = match &q.policy {
                    Some(p) => t.t_args("price_check.by_policy", &[
                        ("name", if p.name.is_empty() { target_text(t, p) } else { p.name.clone() }),
                        ("rule", rule_text(t, p)),
                    ]),
                    None => t.t("price_check.by_list"),
                };
                view! {
                    <div class="mt-2 rounded-md border border-green-300 bg-green-50 p-3" role="status" data-testid="price-result">
                        <p class="text-lg font-semibold tabular-nums">
                            {t.t_args("price_check.result", &[
                                ("unit", format!("{} {}", format_amount(q.unit_price, c), q.currency)),
                                ("total", format!("{} {}", format_amount(q.line_total, c), q.currency)),
                            ])}
                        </p>
                        <p class="text-sm" data-testid="price-source">{source}</p>
                        <p class="text-sm text-slate-600">{t.t_args("price_check.list", &[("price", format!("{} {}", format_amount(q.list_price, c), q.currency))])}</p>
                        {q.rate_note.map(|n| view! { <p class="text-sm text-slate-600">{t.t("price_check.rate")}" "{n}</p> })}
                    </div>
                }
            })}
        </section>
    }
}
