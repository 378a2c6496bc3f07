//! The lead list: everything in scope, mine or the pool, filtered in the URL; bulk
//! assignment by hand or by territory, and claiming from the pool.
use super::{problem_text, LeadStatusBadge, ScoreBadge};
use crate::customers::api::list_owner_options;
use crate::leads::api::{assign_leads, claim_lead, get_lead, list_leads};
use crate::leads::types::{LeadFilter, LeadRow, STATUSES};
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, fmt_time, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const SELECT: &str = "min-h-11 w-full min-w-0 md:w-auto rounded-md border border-slate-300 bg-white px-2 text-base";
const TH: &str = "px-2 py-2 font-medium";
/// A cell: an inline item of the card on phones and tablets, a table cell on wide screens.
const TD: &str = "block lg:table-cell lg:px-2 lg:py-2 lg:align-middle";
/// A cell shown only in the table (its content is in the name cell on phones).
const TD_WIDE: &str = "hidden lg:table-cell lg:px-2 lg:py-2 lg:align-middle";

#[component]
pub fn LeadListPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        let q = query.read();
        LeadFilter::from_pairs(q.latest_values().map(|(k, v)| (k.as_ref(), v)))
    });
    let first = Resource::new(move || filter.get(), |f| list_leads(f, None));
    // Rows of the pages after the first ("load more") and the cursor after them; None
    // until more is loaded.
    let more = RwSignal::new(None::<(Vec<LeadRow>, Option<String>)>);
    let loading_more = RwSignal::new(false);
    let selected = RwSignal::new(Vec::<i64>::new());
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let search = RwSignal::new(filter.get_untracked().q);
    Effect::new(move |_| {
        filter.track();
        more.set(None);
        selected.set(Vec::new());
    });
    let reload = move || {
        more.set(None);
        selected.set(Vec::new());
        first.refetch();
    };

    let go = Callback::new(move |f: LeadFilter| {
        navigate(&format!("/leads{}", f.to_query()), NavigateOptions { replace: true, ..Default::default() });
    });
    let set = move |change: &dyn Fn(&mut LeadFilter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        go.run(f);
    };

    let load_more = move |cursor: String| {
        let f = filter.get_untracked();
        loading_more.set(true);
        leptos::task::spawn_local(async move {
            let res = list_leads(f.clone(), Some(cursor)).await;
            loading_more.set(false);
            if filter.get_untracked() != f {
                return;
            }
            match res {
                Ok(p) => more.update(|m| {
                    let (rows, next) = m.get_or_insert_with(Default::default);
                    rows.extend(p.rows);
                    *next = p.next;
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let may_assign = can(Entity::Lead, Op::Assign);
    let may_claim = can(Entity::Lead, Op::Claim);
    let owners = Resource::new(
        move || may_assign,
        |yes| async move {
            if yes {
                list_owner_options().await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    let owner = RwSignal::new(String::new());
    let assign = Action::new(move |(ids, owner): &(Vec<i64>, Option<i64>)| {
        let (ids, owner) = (ids.clone(), *owner);
        async move { assign_leads(ids, owner).await }
    });
    Effect::new(move |_| match assign.value().get() {
        Some(Ok(n)) => {
            error.set(None);
            notice.set(Some(t.t_args("lead.assigned_count", &[("n", n.to_string())])));
            reload();
        }
        Some(Err(e)) => {
            notice.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    // A list row carries no version: read the lead first, then claim that version.
    let claim = Action::new(move |(id, name): &(i64, String)| {
        let (id, name) = (*id, name.clone());
        async move {
            let lead = get_lead(id).await?;
            claim_lead(id, lead.version).await.map(|_| name)
        }
    });
    Effect::new(move |_| match claim.value().get() {
        Some(Ok(name)) => {
            error.set(None);
            notice.set(Some(t.t_args("lead.claimed_you", &[("name", name)])));
            reload();
        }
        Some(Err(e)) => {
            notice.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    // Ids of every row on screen, for "select all".
    let shown_ids = move || {
        let mut ids: Vec<i64> =
            first.get_untracked().and_then(|r| r.ok()).map(|p| p.rows.iter().map(|r| r.id).collect()).unwrap_or_default();
        if let Some((rows, _)) = more.get_untracked() {
            ids.extend(rows.iter().map(|r| r.id));
        }
        ids
    };

    let tab = move |view: &'static str, key: &'static str| {
        let href = move || {
            let mut f = filter.get();
            f.view = view.to_string();
            format!("/leads{}", f.to_query())
        };
        let current = move || (filter.get().view == view).then_some("page");
        // A plain anchor: router links with a query string break hydration outside a Suspense.
        view! {
            <a href=href aria-current=current data-testid=format!("lead-tab-{}", if view.is_empty() { "all" } else { view })
                class="inline-flex min-h-11 items-center rounded-md px-3 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-blue-50 aria-[current=page]:font-semibold aria-[current=page]:text-blue-800">
                {t.t(key)}
            </a>
        }
    };
    let status_options = move || {
        let mut v = vec![(String::new(), t.t("lead.all_statuses")), ("open".to_string(), t.t("lead.status.open"))];
        v.extend(STATUSES.iter().map(|s| (s.to_string(), t.t(&format!("lead.status.{s}")))));
        v
    };
    let grade_options = move || {
        let mut v = vec![(String::new(), t.t("lead.all_grades"))];
        v.extend(["hot", "warm", "cold"].iter().map(|g| (g.to_string(), t.t(&format!("lead.grade.{g}")))));
        v
    };

    let row = move |r: LeadRow| {
        let id = r.id;
        let name = r.name.clone();
        let claim_name = r.name.clone();
        let company = r.company.clone().unwrap_or_default();
        let owner = r.owner_name.clone().unwrap_or_else(|| t.t("lead.pool"));
        let created = fmt_time(r.created_at);
        let unowned = r.owner_id.is_none();
        let open = matches!(r.status.as_str(), "new" | "working" | "qualified");
        view! {
            <tr class="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-slate-200 bg-white p-3 lg:table-row lg:rounded-none lg:border-0 lg:border-b lg:border-slate-100 lg:p-0"
                data-testid="lead-row" data-id=id.to_string()>
                {may_assign.then(|| view! {
                    <td class=format!("{TD} shrink-0 lg:w-12")>
                        <label class="-m-2 flex min-h-11 min-w-11 cursor-pointer items-center justify-center">
                            <input type="checkbox" class="h-5 w-5" data-testid="lead-select"
                                aria-label=t.t_args("lead.select_row", &[("name", name.clone())])
                                prop:checked=move || selected.with(|s| s.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| {
                                        s.retain(|x| *x != id);
                                        if on {
                                            s.push(id);
                                        }
                                    });
                                }/>
                        </label>
                    </td>
                })}
                <td class=format!("{TD} min-w-0 flex-1 basis-40")>
                    <A href=format!("/leads/{id}") attr:class="break-words font-medium text-blue-800 underline">{r.name.clone()}</A>
                    {(!company.is_empty()).then(|| view! { <div class="break-words text-sm text-slate-600 lg:hidden">{company.clone()}</div> })}
                </td>
                <td class=format!("{TD_WIDE} max-w-xs break-words")>{company.clone()}</td>
                <td class=format!("{TD} shrink-0")><ScoreBadge t score=r.score/></td>
                // Starts the second line of the card on phones.
                <td class="block h-0 basis-full p-0 lg:hidden" aria-hidden="true"></td>
                <td class=TD><LeadStatusBadge t status=r.status.clone()/></td>
                <td class=format!("{TD} text-sm") data-testid="lead-owner">
                    {if unowned {
                        view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-900">{owner}</span> }.into_any()
                    } else {
                        view! { <span>{owner}</span> }.into_any()
                    }}
                </td>
                <td class=format!("{TD} text-sm text-slate-600")>{r.source.clone().unwrap_or_default()}</td>
                <td class=format!("{TD} whitespace-nowrap text-sm text-slate-600")>{created}</td>
                {may_claim.then(|| view! {
                    <td class=format!("{TD} ml-auto lg:ml-0 lg:text-right")>
                        {(unowned && open).then(|| view! {
                            <button type="button" class=BTN_PRIMARY data-testid="claim" disabled=move || claim.pending().get()
                                on:click=move |_| { claim.dispatch((id, claim_name.clone())); }>
                                {t.t("lead.claim")}
                            </button>
                        })}
                    </td>
                })}
            </tr>
        }
    };

    view! {
        <Title text=t.t("lead.list_title")/>
        <PageHeader title=t.t("lead.list_title")>
            <a href="/forms/lead" target="_blank" rel="external noopener" class=BTN_SECONDARY data-testid="web-form-link">{t.t("lead.web_form")}</a>
            {can(Entity::Setting, Op::Edit).then(|| view! {
                <A href="/admin/settings/leads" attr:class=BTN_SECONDARY>{t.t("lead.territories")}</A>
            })}
            {can(Entity::Lead, Op::Create).then(|| view! {
                <A href="/leads/import" attr:class=BTN_SECONDARY attr:data-testid="import-leads">{t.t("lead.import")}</A>
                <A href="/leads/new" attr:class=BTN_PRIMARY attr:data-testid="new-lead">{t.t("lead.new")}</A>
            })}
        </PageHeader>
        <nav class="mb-3 flex flex-wrap gap-1" aria-label=t.t("lead.views")>
            {tab("", "lead.view.all")}
            {tab("mine", "lead.view.mine")}
            {tab("pool", "lead.view.pool")}
        </nav>
        <div class="mb-3 flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:items-center">
            <form role="search" class="flex min-w-0 flex-1 gap-2" on:submit=move |ev| {
                ev.prevent_default();
                let q = search.get_untracked().trim().to_string();
                set(&|f| f.q = q.clone());
            }>
                <label for="lead-search" class="sr-only">{t.t("lead.search")}</label>
                <input id="lead-search" type="search" maxlength="100" placeholder=t.t("lead.search_placeholder")
                    class="min-h-11 min-w-0 flex-1 rounded-md border border-slate-300 px-3 text-base"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                <button type="submit" class=BTN_SECONDARY>{t.t("common.search")}</button>
            </form>
            <div class="grid grid-cols-2 gap-2 md:flex">
                <label for="lead-filter-status" class="sr-only">{t.t("lead.status")}</label>
                <select id="lead-filter-status" class=SELECT data-testid="lead-filter-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|f| f.status = v.clone());
                }>
                    {move || {
                        let current = filter.get().status;
                        status_options().into_iter().map(|(v, l)| {
                            let sel = v == current;
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()
                    }}
                </select>
                <label for="lead-filter-grade" class="sr-only">{t.t("lead.grade")}</label>
                <select id="lead-filter-grade" class=SELECT data-testid="lead-filter-grade" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|f| f.grade = v.clone());
                }>
                    {move || {
                        let current = filter.get().grade;
                        grade_options().into_iter().map(|(v, l)| {
                            let sel = v == current;
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
        </div>
        {may_assign.then(|| view! {
            <div class="mb-3 flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 sm:flex-row sm:flex-wrap sm:items-center" data-testid="bulk-bar">
                <label class="flex min-h-11 cursor-pointer items-center gap-2">
                    <input type="checkbox" class="h-5 w-5" data-testid="select-all"
                        prop:checked=move || { let ids = shown_ids(); !ids.is_empty() && selected.with(|s| ids.iter().all(|i| s.contains(i))) }
                        on:change=move |ev| selected.set(if event_target_checked(&ev) { shown_ids() } else { Vec::new() })/>
                    <span>{t.t("lead.select_all")}</span>
                </label>
                <span class="text-sm text-slate-600" data-testid="selected-count">
                    {move || t.t_args("lead.selected_count", &[("n", selected.with(Vec::len).to_string())])}
                </span>
                <div class="flex min-w-0 flex-wrap gap-2">
                    <label for="assign-owner" class="sr-only">{t.t("lead.assign_to")}</label>
                    <select id="assign-owner" class=format!("{SELECT} flex-1") data-testid="assign-owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                        <option value="">{t.t("lead.assign_to")}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                owners.await.into_iter().map(|o| view! { <option value=o.id.to_string()>{o.display_name}</option> }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <button type="button" class=BTN_PRIMARY data-testid="assign-submit"
                        disabled=move || assign.pending().get() || selected.with(Vec::is_empty) || owner.with(String::is_empty)
                        on:click=move |_| {
                            if let Ok(o) = owner.get_untracked().parse::<i64>() {
                                assign.dispatch((selected.get_untracked(), Some(o)));
                            }
                        }>
                        {t.t("lead.assign")}
                    </button>
                    <button type="button" class=BTN_SECONDARY data-testid="distribute" title=t.t("lead.distribute_help")
                        disabled=move || assign.pending().get() || selected.with(Vec::is_empty)
                        on:click=move |_| { assign.dispatch((selected.get_untracked(), None)); }>
                        {t.t("lead.distribute")}
                    </button>
                </div>
            </div>
        })}
        <div role="status" aria-live="polite" data-testid="lead-notice">
            {move || notice.get().map(|n| view! {
                <p class="mb-3 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{n}</p>
            })}
        </div>
        {move || error.get().map(|e| view! {
            <p role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">{problem_text(t, &e)}</p>
        })}
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => {
                        let first_next = page.next.clone();
                        let next = move || match more.get() {
                            Some((_, n)) => n,
                            None => first_next.clone(),
                        };
                        let row2 = row;
                        view! {
                            <p class="mb-2 font-semibold text-slate-800" data-testid="lead-count">
                                {t.t_args("lead.count", &[("n", page.total.to_string())])}
                            </p>
                            {if page.rows.is_empty() {
                                view! { <p class="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">{t.t("lead.empty")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="lg:overflow-x-auto lg:rounded-lg lg:border lg:border-slate-200 lg:bg-white">
                                        <table class="block w-full text-left text-sm lg:table" data-testid="lead-list">
                                            <thead class="hidden lg:table-header-group">
                                                <tr class="border-b bg-slate-50">
                                                    {may_assign.then(|| view! { <th scope="col" class=TH><span class="sr-only">{t.t("lead.select")}</span></th> })}
                                                    <th scope="col" class=TH>{t.t("lead.name")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.company")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.score")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.status")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.owner")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.source")}</th>
                                                    <th scope="col" class=TH>{t.t("lead.created_at")}</th>
                                                    {may_claim.then(|| view! { <th scope="col" class=TH><span class="sr-only">{t.t("common.actions")}</span></th> })}
                                                </tr>
                                            </thead>
                                            <tbody class="flex flex-col gap-2 lg:table-row-group">
                                                {page.rows.into_iter().map(row).collect_view()}
                                                {move || more.get().map(|(rows, _)| rows.into_iter().map(row2).collect_view())}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            {move || next().map(|cursor| view! {
                                <div class="mt-4 flex justify-center">
                                    <button type="button" class=BTN_SECONDARY data-testid="load-more" disabled=move || loading_more.get()
                                        on:click=move |_| load_more(cursor.clone())>
                                        {t.t("common.load_more")}
                                    </button>
                                </div>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
