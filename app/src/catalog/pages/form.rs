//! New and edit product forms.
use crate::catalog::api::{create_product, get_product, update_product};
use crate::catalog::types::*;
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::{DictKind, Dictionaries};
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::Currency;
use crate::ui::{error_text, field_error, FormAlert, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn NewProductPage() -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let save = Action::new(|input: &ProductInput| {
        let input = input.clone();
        async move { create_product(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/products/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.t("product.new")/>
        <PageHeader title=t.t("product.new")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let lists = lists.await.unwrap_or_default();
                view! {
                    <ProductForm initial=ProductInput::default() lists on_submit=Callback::new(move |i| { save.dispatch(i); })
                        pending=save.pending() server_error cancel_href="/products".to_string()/>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditProductPage() -> impl IntoView {
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
    let lists = Resource::new(|| (), |_| list_dictionaries());
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let lists = lists.await.unwrap_or_default();
                match detail.await {
                    Ok(d) => view! { <EditForm p=d.product lists/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(p: Product, lists: Dictionaries) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (p.id, p.version);
    let save = Action::new(move |input: &ProductInput| {
        let input = input.clone();
        async move { update_product(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&format!("/products/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let title = t.t_args("product.edit_title", &[("name", p.name.clone())]);
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title/>
        <ProductForm initial=p.to_input() lists on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href=format!("/products/{id}")/>
    }
}

/// The create / edit form: checked in the browser by the server's rules, the server's
/// answer shown next to each field, what was typed kept on a conflict.
#[component]
fn ProductForm(
    initial: ProductInput,
    lists: Dictionaries,
    on_submit: Callback<ProductInput>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    cancel_href: String,
) -> impl IntoView {
    let t = use_i18n();
    let code = RwSignal::new(initial.code.clone());
    let name = RwSignal::new(initial.name.clone());
    let kind = RwSignal::new(initial.kind.clone());
    let category = RwSignal::new(initial.category.clone());
    let unit = RwSignal::new(initial.unit.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let list_price = RwSignal::new(initial.list_price.clone());
    let cost = RwSignal::new(initial.cost.clone());
    let tax_rate = RwSignal::new(initial.tax_rate.clone());
    let description = RwSignal::new(initial.description.clone());
    let active = RwSignal::new(initial.active);
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);
    let collect = move || ProductInput {
        code: code.get_untracked(),
        name: name.get_untracked(),
        kind: kind.get_untracked(),
        category: category.get_untracked(),
        unit: unit.get_untracked(),
        currency: currency.get_untracked(),
        list_price: list_price.get_untracked(),
        cost: cost.get_untracked(),
        tax_rate: tax_rate.get_untracked(),
        description: description.get_untracked(),
        active: active.get_untracked(),
    };
    let kinds: Vec<(String, String)> =
        ProductKind::ALL.iter().map(|k| (k.code().to_string(), t.t(&format!("product.kind.{}", k.code())))).collect();
    let mut categories = vec![(String::new(), t.t("product.no_category"))];
    categories.extend(lists.names(DictKind::ProductCategory).into_iter().map(|n| (n.clone(), n)));
    // A category hidden since keeps showing on the products that have it.
    if !initial.category.is_empty() && !categories.iter().any(|(v, _)| *v == initial.category) {
        categories.push((initial.category.clone(), initial.category.clone()));
    }
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    let units = lists.names(DictKind::ProductUnit);
    view! {
        <form novalidate class="flex max-w-3xl flex-col gap-4" data-testid="product-form"
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
                <legend class="px-1 font-semibold">{t.t("product.section.basic")}</legend>
                <TextField id="name" label=t.t("product.name") value=name error=err("name") max_len=NAME_MAX required=true autocomplete="off"/>
                <div>
                    <TextField id="code" label=t.t("product.code") value=code error=err("code") max_len=CODE_MAX autocomplete="off"/>
                    <p class="-mt-4 mb-2 text-xs text-slate-500">{t.t("product.code_help")}</p>
                </div>
                <SelectField id="kind" label=t.t("product.kind") value=kind options=kinds error=err("kind")/>
                <SelectField id="category" label=t.t("product.category") value=category options=categories error=err("category")/>
                <TextField id="unit" label=t.t("product.unit") value=unit error=err("unit") max_len=20 list="product-unit-list"/>
                <datalist id="product-unit-list">{units.into_iter().map(|n| view! { <option value=n/> }).collect_view()}</datalist>
                <label class="flex min-h-11 items-center gap-2 self-center">
                    <input type="checkbox" id="active" class="h-5 w-5" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                    {t.t("product.active")}
                </label>
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("product.section.price")}</legend>
                <SelectField id="currency" label=t.t("product.currency") value=currency options=currencies error=err("currency")/>
                <TextField id="list_price" label=t.t("product.list_price") value=list_price error=err("list_price") inputmode="decimal"/>
                <TextField id="cost" label=t.t("product.cost") value=cost error=err("cost") inputmode="decimal"/>
                <TextField id="tax_rate" label=t.t("product.tax_rate") value=tax_rate error=err("tax_rate") inputmode="decimal"/>
                <div class="md:col-span-2">
                    <TextArea id="description" label=t.t("product.description") value=description error=err("description") max_len=TEXT_MAX/>
                </div>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="product-save" disabled=move || pending.get()>
                    {move || if pending.get() { t.t("common.saving") } else { t.t("common.save") }}
                </button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}
