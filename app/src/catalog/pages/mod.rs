//! Catalog pages: the product list, the product form, and a product's page with its
//! price policies and a price check.
mod detail;
mod form;

pub use detail::ProductDetailPage;
pub use form::{EditProductPage, NewProductPage};

use crate::catalog::api::list_products;
use crate::catalog::types::{Product, ProductQuery};
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::DictKind;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::i18n::use_i18n;
use crate::platform::money::format_amount;
use crate::ui::{append_page, can, more_pages, paged_body, PageHeader, BTN_PRIMARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base md:w-auto";

/// A product's price as shown in lists: "12,800.00 CNY / 台".
pub(crate) fn price_text(p: &Product) -> String {
    let unit = if p.unit.is_empty() { String::new() } else { format!(" / {}", p.unit) };
    format!("{} {}{unit}", format_amount(p.list_price, p.currency()), p.currency)
}

#[component]
pub fn ProductListPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let inactive = RwSignal::new(false);
    let query = Memo::new(move |_| ProductQuery {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        category: Some(category.get()).filter(|s| !s.is_empty()),
        inactive: inactive.get(),
        after: None,
    });
    let first = Resource::new(move || query.get(), list_products);
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let more = more_pages(query);
    let load_more = move |after: (String, i64)| {
        let mut next = query.get_untracked();
        next.after = Some(after);
        append_page(more, async move { list_products(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |p: Product| {
        let href = format!("/products/{}", p.id);
        let kind = t.t(&format!("product.kind.{}", p.kind));
        let price = price_text(&p);
        let category = (!p.category.is_empty()).then(|| format!(" · {}", p.category));
        view! {
            <tr class="block rounded-lg border border-slate-200 bg-white p-3 lg:table-row lg:rounded-none lg:border-x-0 lg:border-t-0 lg:p-0" data-testid="product-row">
                <td class="block lg:table-cell lg:px-2 lg:py-2">
                    <A href=href attr:class="font-medium text-blue-800 underline-offset-2 hover:underline">{p.name.clone()}</A>
                    <span class="ml-2 text-sm text-slate-500 lg:hidden">{p.code.clone()}</span>
                    {(!p.active).then(|| view! { <span class="ml-2 rounded bg-slate-200 px-1.5 text-xs">{t.t("product.inactive")}</span> })}
                </td>
                <td class="hidden lg:table-cell lg:px-2 lg:py-2 font-mono text-sm">{p.code.clone()}</td>
                <td class="inline lg:table-cell lg:px-2 lg:py-2 text-sm text-slate-600">{kind}{category}</td>
                <td class="block lg:table-cell lg:px-2 lg:py-2 lg:text-right tabular-nums">{price}</td>
            </tr>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("product.list_title")/>
        <PageHeader title=t.t("product.list_title")>
            {can(Entity::Product, Op::Create).then(|| view! {
                <A href="/products/new" attr:class=BTN_PRIMARY attr:data-testid="new-product">{t.t("product.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:flex-wrap md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="product-search" placeholder=t.t("product.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("product.category")}</span>
                <select class=INPUT data-testid="product-category-filter" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{t.t("common.all")}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let lists = lists.await.unwrap_or_default();
                            lists.names(DictKind::ProductCategory).into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" prop:checked=move || inactive.get() on:change=move |ev| inactive.set(event_target_checked(&ev))/>
                {t.t("product.show_inactive")}
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! {
                    <div class="lg:overflow-x-auto lg:rounded-lg lg:border lg:border-slate-200 lg:bg-white">
                        <table class="block w-full text-left lg:table" data-testid="product-list">
                            <thead class="hidden lg:table-header-group">
                                <tr class="border-b bg-slate-50 text-sm">
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("product.name")}</th>
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("product.code")}</th>
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("product.category")}</th>
                                    <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("product.list_price")}</th>
                                </tr>
                            </thead>
                            <tbody class="flex flex-col gap-2 lg:table-row-group">{rows}</tbody>
                        </table>
                    </div>
                }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "product.empty", row, frame, load_more)
            })}
        </Transition>
    }
}
