use super::StatusBadge;
use crate::customers::api::{list_customers, list_owner_options};
use crate::customers::types::{CustomerRow, CustomerStatus, SortKey};
use crate::platform::authz::{Action, Entity};
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, fmt_time, url_encode, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

type Key = (Option<String>, Option<String>, Option<i64>, Option<String>);

/// The list filters as a URL query string (shared by navigation and the CSV export link).
fn query_string(k: &Key) -> String {
    let mut parts = Vec::new();
    if let Some(q) = &k.0 {
        parts.push(format!("q={}", url_encode(q)));
    }
    if let Some(s) = &k.1 {
        parts.push(format!("status={}", url_encode(s)));
    }
    if let Some(o) = k.2 {
        parts.push(format!("owner={o}"));
    }
    if let Some(s) = &k.3 {
        parts.push(format!("sort={}", url_encode(s)));
    }
    parts.join("&")
}

/// The customer list. Filters live in the URL so a filtered list can be shared and reloaded.
#[component]
pub fn CustomerListPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let key = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("q"), get("status"), get("owner").and_then(|o| o.parse::<i64>().ok()), get("sort"))
    });
    let page = Resource::new(move || key.get(), |(q, s, o, so): Key| list_customers(q, s, o, so, None));
    let owners = Resource::new(|| (), |_| list_owner_options());
    // Rows appended by "load more", tagged with the filters they belong to.
    let more = RwSignal::new((None::<Key>, Vec::<CustomerRow>::new(), None::<String>));
    let loading_more = RwSignal::new(false);
    let search = RwSignal::new(key.get_untracked().0.unwrap_or_default());

    let go = move |k: Key| {
        let query = query_string(&k);
        let url = if query.is_empty() { "/customers".to_string() } else { format!("/customers?{query}") };
        navigate(&url, NavigateOptions { replace: true, ..Default::default() });
    };
    let go_search = go.clone();
    let go_status = go.clone();
    let go_owner = go.clone();
    let go_sort = go;

    let load_more = move |cursor: String| {
        let k = key.get_untracked();
        loading_more.set(true);
        leptos::task::spawn_local(async move {
            let res = list_customers(k.0.clone(), k.1.clone(), k.2, k.3.clone(), Some(cursor)).await;
            loading_more.set(false);
            if let Ok(p) = res {
                more.update(|m| {
                    if m.0.as_ref() != Some(&k) {
                        *m = (Some(k.clone()), Vec::new(), None);
                    }
                    m.1.extend(p.rows);
                    m.2 = p.next;
                });
            }
        });
    };

    let status_options = move || {
        let mut v = vec![(String::new(), t.t("customers.all_statuses"))];
        v.extend(CustomerStatus::ALL.iter().map(|s| (s.code().to_string(), t.t(&format!("customer.status.{}", s.code())))));
        v
    };

    view! {
        <PageHeader title=t.t("customers.title")>
            {can(Entity::Customer, Action::Export).then(|| {
                let csv = move || format!("/customers/export.csv?{}", query_string(&key.get()));
                let xlsx = move || format!("/customers/export.xlsx?{}", query_string(&key.get()));
                view! {
                    <a href=csv download="" rel="external" class=BTN_SECONDARY>{t.t("customers.export_csv")}</a>
                    <a href=xlsx download="" rel="external" class=BTN_SECONDARY>{t.t("customers.export_xlsx")}</a>
                }
            })}
            {can(Entity::Customer, Action::Create).then(|| view! {
                <A href="/customers/import" attr:class=BTN_SECONDARY>{t.t("nav.import")}</A>
                <A href="/customers/new" attr:class=BTN_PRIMARY>{t.t("customers.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:flex-wrap md:items-end">
            <form
                role="search"
                class="flex flex-1 gap-2"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let mut k = key.get_untracked();
                    let s = search.get_untracked().trim().to_string();
                    k.0 = (!s.is_empty()).then_some(s);
                    go_search(k);
                }
            >
                <label for="customer-search" class="sr-only">{t.t("customers.search")}</label>
                <input
                    id="customer-search"
                    type="search"
                    placeholder=t.t("customers.search_placeholder")
                    maxlength="100"
                    class="min-h-11 min-w-0 flex-1 rounded-md border border-slate-300 px-3 text-base"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
                <button type="submit" class=BTN_SECONDARY>{t.t("customers.search")}</button>
            </form>
            <div class="grid grid-cols-3 gap-2 md:flex">
                <label class="sr-only" for="filter-status">{t.t("customer.status")}</label>
                <select
                    id="filter-status"
                    class="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base"
                    on:change=move |ev| {
                        let mut k = key.get_untracked();
                        let v = event_target_value(&ev);
                        k.1 = (!v.is_empty()).then_some(v);
                        go_status(k);
                    }
                >
                    {move || {
                        let current = key.get().1.unwrap_or_default();
                        status_options()
                            .into_iter()
                            .map(|(v, l)| {
                                let sel = v == current;
                                view! { <option value=v selected=sel>{l}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label class="sr-only" for="filter-owner">{t.t("customer.owner")}</label>
                <select
                    id="filter-owner"
                    class="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base"
                    on:change=move |ev| {
                        let mut k = key.get_untracked();
                        k.2 = event_target_value(&ev).parse().ok();
                        go_owner(k);
                    }
                >
                    <option value="">{t.t("customers.all_owners")}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let current = key.get_untracked().2;
                            owners
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|o| view! { <option value=o.id.to_string() selected=current == Some(o.id)>{o.display_name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
                <label class="sr-only" for="sort">{t.t("customers.sort")}</label>
                <select
                    id="sort"
                    class="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base"
                    on:change=move |ev| {
                        let mut k = key.get_untracked();
                        let v = event_target_value(&ev);
                        k.3 = (v != SortKey::default().code()).then_some(v);
                        go_sort(k);
                    }
                >
                    {move || {
                        let current = key.get().3.unwrap_or_else(|| SortKey::default().code().to_string());
                        SortKey::ALL
                            .iter()
                            .map(|s| view! { <option value=s.code() selected=current == s.code()>{t.t(&format!("customers.sort.{}", s.code()))}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{error_text(t, &e)}</p> }.into_any(),
                    Ok(p) => {
                        let k = key.get_untracked();
                        let view_rows = move || {
                            let m = more.get();
                            let mut rows = p.rows.clone();
                            let next = if m.0.as_ref() == Some(&k) {
                                rows.extend(m.1.clone());
                                m.2.clone()
                            } else {
                                p.next.clone()
                            };
                            (rows, next)
                        };
                        let view_rows2 = view_rows.clone();
                        view! {
                            {move || {
                                let (rows, _) = view_rows();
                                if rows.is_empty() {
                                    view! { <p class="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">{t.t("customers.empty")}</p> }.into_any()
                                } else {
                                    view! { <CustomerTable rows/> }.into_any()
                                }
                            }}
                            {move || {
                                view_rows2().1.map(|cursor| {
                                    view! {
                                        <div class="mt-4 flex justify-center">
                                            <button
                                                type="button"
                                                class=BTN_SECONDARY
                                                disabled=move || loading_more.get()
                                                on:click=move |_| load_more(cursor.clone())
                                            >
                                                {t.t("customers.load_more")}
                                            </button>
                                        </div>
                                    }
                                })
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerTable(rows: Vec<CustomerRow>) -> impl IntoView {
    let t = use_i18n();
    let cards = rows.clone();
    view! {
        <table class="hidden w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm md:table">
            <thead class="bg-slate-100 text-slate-600">
                <tr>
                    <th scope="col" class="px-3 py-2">{t.t("customer.name")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.status")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.industry")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.region")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.phone")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.owner")}</th>
                    <th scope="col" class="px-3 py-2">{t.t("customer.updated_at")}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr class="border-t border-slate-100 hover:bg-slate-50">
                                <td class="px-3 py-2">
                                    <A href=format!("/customers/{}", r.id) attr:class="font-medium text-blue-800 hover:underline">{r.name.clone()}</A>
                                    {r.short_name.clone().map(|s| view! { <span class="ml-2 text-slate-500">{s}</span> })}
                                </td>
                                <td class="px-3 py-2"><StatusBadge t status=r.status.clone()/></td>
                                <td class="px-3 py-2">{r.industry.clone()}</td>
                                <td class="px-3 py-2">{r.region.clone()}</td>
                                <td class="px-3 py-2">{r.phone.clone()}</td>
                                <td class="px-3 py-2">{r.owner_name.clone()}</td>
                                <td class="px-3 py-2 whitespace-nowrap text-slate-500">{fmt_time(r.updated_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <ul class="flex flex-col gap-2 md:hidden">
            {cards
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <A href=format!("/customers/{}", r.id) attr:class="block rounded-lg border border-slate-200 bg-white p-3 active:bg-slate-50">
                                <div class="flex items-start justify-between gap-2">
                                    <span class="font-medium text-blue-800">{r.name.clone()}</span>
                                    <StatusBadge t status=r.status.clone()/>
                                </div>
                                <div class="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600">
                                    {r.region.clone().map(|v| view! { <span>{v}</span> })}
                                    {r.phone.clone().map(|v| view! { <span>{v}</span> })}
                                    {r.owner_name.clone().map(|v| view! { <span>{v}</span> })}
                                </div>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
