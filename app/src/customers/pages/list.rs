use super::StatusBadge;
use crate::customers::api::{delete_view, list_customers_by, list_department_options, list_owner_options, list_saved_views, save_view};
use crate::customers::types::{CustomerRow, CustomerStatus, ListQuery, SortKey, DEFAULT_COLUMNS, LIST_COLUMNS_CHOICE};
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::DictKind;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{can, error_text, fmt_time, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const SELECT: &str = "min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base";

/// Label key of a list column.
fn column_label(c: &str) -> String {
    match c {
        "owner" => "customer.owner".into(),
        c => format!("customer.{c}"),
    }
}

/// The customer list. Filters live in the URL so a filtered list can be shared and
/// reloaded; a saved query (查询方案) is a named URL plus its columns.
#[component]
pub fn CustomerListPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let key = Memo::new(move |_| {
        let q = query.read();
        ListQuery::from_lookup(|k| q.get(k))
    });
    let view_id = Memo::new(move |_| query.read().get("view").and_then(|v| v.parse::<i64>().ok()));
    let page = Resource::new(move || key.get(), |k| list_customers_by(k, None));
    let owners = Resource::new(|| (), |_| list_owner_options());
    let views = Resource::new(|| (), |_| list_saved_views());
    // Rows appended by "load more", tagged with the filters they belong to.
    let more = RwSignal::new((None::<ListQuery>, Vec::<CustomerRow>::new(), None::<String>));
    let loading_more = RwSignal::new(false);
    let search = RwSignal::new(key.get_untracked().q.unwrap_or_default());
    let show_more = RwSignal::new(key.get_untracked().has_advanced());
    let saving = RwSignal::new(false);

    let go = Callback::new(move |(k, view): (ListQuery, Option<i64>)| {
        let mut qs = k.to_query_string();
        if let Some(v) = view {
            qs = if qs.is_empty() { format!("view={v}") } else { format!("{qs}&view={v}") };
        }
        let url = if qs.is_empty() { "/customers".to_string() } else { format!("/customers?{qs}") };
        navigate(&url, NavigateOptions { replace: true, ..Default::default() });
    });
    let go = move |k: ListQuery, view: Option<i64>| go.run((k, view));
    // Changing a filter keeps the chosen view's columns.
    let set = move |f: &dyn Fn(&mut ListQuery)| {
        let mut k = key.get_untracked();
        f(&mut k);
        go(k, view_id.get_untracked());
    };

    let load_more = move |cursor: String| {
        let k = key.get_untracked();
        loading_more.set(true);
        leptos::task::spawn_local(async move {
            let res = list_customers_by(k.clone(), Some(cursor)).await;
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
    // The chosen view's columns (default columns without one).
    let columns = Signal::derive(move || {
        let chosen = view_id.get();
        views
            .get()
            .and_then(|r| r.ok())
            .and_then(|vs| vs.into_iter().find(|v| Some(v.id) == chosen))
            .map(|v| v.columns)
            .unwrap_or_else(|| DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect())
    });

    view! {
        <PageHeader title=t.t("customers.title")>
            {can(Entity::Customer, Op::Export).then(|| {
                let csv = move || format!("/customers/export.csv?{}", key.get().to_query_string());
                let xlsx = move || format!("/customers/export.xlsx?{}", key.get().to_query_string());
                view! {
                    <a href=csv download="" rel="external" class=BTN_SECONDARY>{t.t("customers.export_csv")}</a>
                    <a href=xlsx download="" rel="external" class=BTN_SECONDARY>{t.t("customers.export_xlsx")}</a>
                }
            })}
            {can(Entity::Customer, Op::Create).then(|| view! {
                <A href="/customers/import" attr:class=BTN_SECONDARY>{t.t("nav.import")}</A>
                <A href="/customers/new" attr:class=BTN_PRIMARY>{t.t("customers.new")}</A>
            })}
        </PageHeader>
        <div class="mb-2 flex flex-wrap items-center gap-2">
            <label for="saved-view" class="text-sm font-medium text-slate-700">{t.t("views.label")}</label>
            <select id="saved-view" class=SELECT on:change=move |ev| {
                let id = event_target_value(&ev).parse::<i64>().ok();
                let chosen = id.and_then(|id| views.get_untracked().and_then(|r| r.ok()).and_then(|vs| vs.into_iter().find(|v| v.id == id)));
                match chosen {
                    Some(v) => {
                        show_more.set(v.query.has_advanced());
                        search.set(v.query.q.clone().unwrap_or_default());
                        go(v.query, Some(v.id));
                    }
                    None => go(ListQuery::default(), None),
                }
            }>
                <option value="" selected=move || view_id.get().is_none()>{t.t("views.none")}</option>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        views.await.unwrap_or_default().into_iter().map(|v| {
                            let id = v.id;
                            let label = if v.mine { v.name.clone() } else { format!("{} · {}", v.name, v.owner_name.clone().unwrap_or_default()) };
                            view! { <option value=id.to_string() selected=move || view_id.get() == Some(id)>{label}{v.shared.then(|| format!(" ({})", t.t("views.shared")))}</option> }
                        }).collect_view()
                    })}
                </Transition>
            </select>
            <button type="button" class=BTN_SECONDARY on:click=move |_| saving.update(|s| *s = !*s)>{t.t("views.save_current")}</button>
            {move || {
                let chosen = view_id.get();
                views.get().and_then(|r| r.ok()).and_then(|vs| vs.into_iter().find(|v| Some(v.id) == chosen && v.mine)).map(|v| {
                    let id = v.id;
                    view! {
                        <button type="button" class="min-h-11 px-2 text-sm text-red-700 underline" on:click=move |_| {
                            leptos::task::spawn_local(async move {
                                if delete_view(id).await.is_ok() {
                                    views.refetch();
                                }
                            });
                        }>{t.t("views.delete")}</button>
                    }
                })
            }}
        </div>
        <Show when=move || saving.get()>
            <SaveViewForm query=key on_saved=Callback::new(move |id: i64| {
                saving.set(false);
                views.refetch();
                go(key.get_untracked(), Some(id));
            })/>
        </Show>
        <div class="mb-4 flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:flex-wrap md:items-end">
            <form
                role="search"
                class="flex flex-1 gap-2"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let s = search.get_untracked().trim().to_string();
                    set(&|k| k.q = (!s.is_empty()).then(|| s.clone()));
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
                <select id="filter-status" class=SELECT on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|k| k.status = (!v.is_empty()).then(|| v.clone()));
                }>
                    {move || {
                        let current = key.get().status.unwrap_or_default();
                        status_options().into_iter().map(|(v, l)| {
                            let sel = v == current;
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()
                    }}
                </select>
                <label class="sr-only" for="filter-owner">{t.t("customer.owner")}</label>
                <select id="filter-owner" class=SELECT on:change=move |ev| {
                    let v = event_target_value(&ev).parse().ok();
                    set(&|k| k.owner = v);
                }>
                    <option value="">{t.t("customers.all_owners")}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let current = key.get_untracked().owner;
                            owners.await.unwrap_or_default().into_iter()
                                .map(|o| view! { <option value=o.id.to_string() selected=current == Some(o.id)>{o.display_name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
                <label class="sr-only" for="sort">{t.t("customers.sort")}</label>
                <select id="sort" class=SELECT on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|k| k.sort = (v != SortKey::default().code()).then(|| v.clone()));
                }>
                    {move || {
                        let current = key.get().sort.unwrap_or_else(|| SortKey::default().code().to_string());
                        SortKey::ALL.iter()
                            .map(|s| view! { <option value=s.code() selected=current == s.code()>{t.t(&format!("customers.sort.{}", s.code()))}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
            <button type="button" class=BTN_SECONDARY aria-expanded=move || show_more.get().to_string() aria-controls="more-filters"
                on:click=move |_| show_more.update(|s| *s = !*s)>{t.t("customers.more_filters")}</button>
        </div>
        <Show when=move || show_more.get()>
            <MoreFilters key set=Callback::new(move |k: ListQuery| go(k, view_id.get_untracked()))/>
        </Show>
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
                                    view! { <CustomerTable rows columns=columns.get()/> }.into_any()
                                }
                            }}
                            {move || {
                                view_rows2().1.map(|cursor| {
                                    view! {
                                        <div class="mt-4 flex justify-center">
                                            <button type="button" class=BTN_SECONDARY disabled=move || loading_more.get() on:click=move |_| load_more(cursor.clone())>
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

/// Level, category, region, tag, department and creation dates.
#[component]
fn MoreFilters(key: Memo<ListQuery>, set: Callback<ListQuery>) -> impl IntoView {
    let t = use_i18n();
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let departments = Resource::new(|| (), |_| list_department_options());
    let k0 = key.get_untracked();
    let region = RwSignal::new(k0.region.clone().unwrap_or_default());
    let tag = RwSignal::new(k0.tag.clone().unwrap_or_default());
    let from = RwSignal::new(k0.created_from.clone().unwrap_or_default());
    let to = RwSignal::new(k0.created_to.clone().unwrap_or_default());
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let apply_text = move || {
        let mut k = key.get_untracked();
        k.region = some(region.get_untracked());
        k.tag = some(tag.get_untracked());
        k.created_from = some(from.get_untracked());
        k.created_to = some(to.get_untracked());
        set.run(k);
    };
    let list_select = move |id: &'static str,
                            label: &'static str,
                            kind: DictKind,
                            get: fn(&ListQuery) -> Option<String>,
                            put: fn(&mut ListQuery, Option<String>)| {
        view! {
            <label class="flex flex-col text-sm" for=id>
                <span class="text-slate-700">{t.t(label)}</span>
            </label>
            <select id=id class=SELECT on:change=move |ev| {
                let mut k = key.get_untracked();
                put(&mut k, some(event_target_value(&ev)));
                set.run(k);
            }>
                <option value="">{t.t("customers.any")}</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let current = get(&key.get_untracked());
                        lists.await.unwrap_or_default().names(kind).into_iter().map(|n| {
                            let sel = current.as_deref() == Some(n.as_str());
                            view! { <option value=n.clone() selected=sel>{n.clone()}</option> }
                        }).collect_view()
                    })}
                </Suspense>
            </select>
        }
    };
    view! {
        <form id="more-filters" class="mb-4 grid grid-cols-1 gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-4"
            on:submit=move |ev| { ev.prevent_default(); apply_text(); }>
            <div class="flex flex-col">{list_select("filter-level", "customer.level", DictKind::Level, |k| k.level.clone(), |k, v| k.level = v)}</div>
            <div class="flex flex-col">{list_select("filter-category", "customer.category", DictKind::Category, |k| k.category.clone(), |k, v| k.category = v)}</div>
            <div class="flex flex-col">
                <label for="filter-department" class="text-sm text-slate-700">{t.t("customer.department")}</label>
                <select id="filter-department" class=SELECT on:change=move |ev| {
                    let mut k = key.get_untracked();
                    k.department = event_target_value(&ev).parse().ok();
                    set.run(k);
                }>
                    <option value="">{t.t("customers.any")}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let current = key.get_untracked().department;
                            departments.await.unwrap_or_default().into_iter()
                                .map(|d| view! { <option value=d.id.to_string() selected=current == Some(d.id)>{d.display_name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <div class="flex flex-col">
                <label for="filter-region" class="text-sm text-slate-700">{t.t("customer.region")}</label>
                <input id="filter-region" class="min-h-11 rounded-md border border-slate-300 px-2" prop:value=move || region.get() on:input=move |ev| region.set(event_target_value(&ev))/>
            </div>
            <div class="flex flex-col">
                <label for="filter-tag" class="text-sm text-slate-700">{t.t("customers.tag")}</label>
                <input id="filter-tag" class="min-h-11 rounded-md border border-slate-300 px-2" prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev))/>
            </div>
            <div class="flex flex-col">
                <label for="filter-from" class="text-sm text-slate-700">{t.t("customers.created_from")}</label>
                <input id="filter-from" type="date" class="min-h-11 rounded-md border border-slate-300 px-2" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            </div>
            <div class="flex flex-col">
                <label for="filter-to" class="text-sm text-slate-700">{t.t("customers.created_to")}</label>
                <input id="filter-to" type="date" class="min-h-11 rounded-md border border-slate-300 px-2" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
            </div>
            <div class="flex items-end gap-2">
                <button type="submit" class=BTN_PRIMARY>{t.t("customers.apply")}</button>
                <button type="button" class=BTN_SECONDARY on:click=move |_| {
                    region.set(String::new());
                    tag.set(String::new());
                    from.set(String::new());
                    to.set(String::new());
                    let k = key.get_untracked();
                    set.run(ListQuery { q: k.q, status: k.status, owner: k.owner, sort: k.sort, ..Default::default() });
                }>{t.t("customers.clear")}</button>
            </div>
        </form>
    }
}

/// Saves the current filters and chosen columns as a named view.
#[component]
fn SaveViewForm(query: Memo<ListQuery>, on_saved: Callback<i64>) -> impl IntoView {
    let t = use_i18n();
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let chosen: Vec<(String, RwSignal<bool>)> =
        LIST_COLUMNS_CHOICE.iter().map(|c| (c.to_string(), RwSignal::new(DEFAULT_COLUMNS.contains(c)))).collect();
    let cols = chosen.clone();
    let save = Action::new(move |(n, s, cs): &(String, bool, Vec<String>)| {
        let (n, s, cs) = (n.clone(), *s, cs.clone());
        let q = query.get_untracked();
        async move { save_view(n, s, q, cs).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            on_saved.run(id);
        }
    });
    let err = move |f: &'static str| save.value().get().and_then(|r| r.err()).and_then(|e: AppError| e.field(f)).map(|k: String| t.t(&k));
    view! {
        <form class="mb-3 rounded-lg border border-blue-200 bg-blue-50/40 p-3" data-testid="save-view" on:submit=move |ev| {
            ev.prevent_default();
            let columns: Vec<String> = cols.iter().filter(|(_, s)| s.get_untracked()).map(|(c, _)| c.clone()).collect();
            save.dispatch((name.get_untracked(), shared.get_untracked(), columns));
        }>
            <div class="flex flex-wrap items-end gap-3">
                <div class="flex flex-col">
                    <label for="view-name" class="text-sm font-medium text-slate-700">{t.t("views.name")}</label>
                    <input id="view-name" maxlength="50" class="min-h-11 rounded-md border border-slate-300 px-2" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p class="min-h-5 text-sm text-red-600">{move || err("name")}</p>
                </div>
                <label class="flex min-h-11 items-center gap-2">
                    <input type="checkbox" class="h-5 w-5" prop:checked=move || shared.get() on:change=move |ev| shared.set(event_target_checked(&ev))/>
                    {t.t("views.share")}
                </label>
            </div>
            <fieldset class="mt-2">
                <legend class="text-sm font-medium text-slate-700">{t.t("views.columns")}</legend>
                <div class="flex flex-wrap gap-x-4">
                    {chosen.into_iter().map(|(c, s)| view! {
                        <label class="flex min-h-11 items-center gap-2">
                            <input type="checkbox" class="h-5 w-5" prop:checked=move || s.get() on:change=move |ev| s.set(event_target_checked(&ev))/>
                            {t.t(&column_label(&c))}
                        </label>
                    }).collect_view()}
                </div>
                <p class="min-h-5 text-sm text-red-600">{move || err("columns")}</p>
            </fieldset>
            <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
        </form>
    }
}

fn cell(t: I18n, r: &CustomerRow, c: &str) -> AnyView {
    let text = |v: Option<String>| view! { {v} }.into_any();
    match c {
        "short_name" => text(r.short_name.clone()),
        "kind" => text(Some(t.t(&format!("customer.kind.{}", r.kind)))),
        "status" => view! { <StatusBadge t status=r.status.clone()/> }.into_any(),
        "level" => text(r.level.clone()),
        "category" => text(r.category.clone()),
        "industry" => text(r.industry.clone()),
        "region" => text(r.region.clone()),
        "phone" => text(r.phone.clone()),
        "owner" => text(r.owner_name.clone().or_else(|| Some(t.t("pool.title")))),
        "created_at" => text(Some(fmt_time(r.created_at))),
        "updated_at" => text(Some(fmt_time(r.updated_at))),
        _ => text(None),
    }
}

#[component]
fn CustomerTable(rows: Vec<CustomerRow>, columns: Vec<String>) -> impl IntoView {
    let t = use_i18n();
    let cards = rows.clone();
    let heads = columns.clone();
    view! {
        <table class="hidden w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm md:table" data-testid="customer-table">
            <thead class="bg-slate-100 text-slate-600">
                <tr>
                    <th scope="col" class="px-3 py-2">{t.t("customer.name")}</th>
                    {heads.iter().map(|c| view! { <th scope="col" class="px-3 py-2">{t.t(&column_label(c))}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let cells = columns.iter().map(|c| { let v = cell(t, &r, c); view! { <td class="whitespace-nowrap px-3 py-2">{v}</td> } }).collect_view();
                        view! {
                            <tr class="border-t border-slate-100 hover:bg-slate-50">
                                <td class="px-3 py-2">
                                    <A href=format!("/customers/{}", r.id) attr:class="font-medium text-blue-800 hover:underline">{r.name.clone()}</A>
                                </td>
                                {cells}
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
                                    {r.level.clone().map(|v| view! { <span>{v}</span> })}
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
