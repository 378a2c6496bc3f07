//! The opportunity list: a table of what the filter in the URL covers, with its
//! count and totals. Report figures drill down here with the same filter, so the
//! list's count and totals are the figure the user clicked.
use super::board::{money, process_label, stage_label};
use crate::opportunities::api::list_opportunities;
use crate::opportunities::types::*;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, fmt_time, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpportunityListPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        OppFilter::from_pairs(|k| q.get_str(k))
    });
    let first = Resource::new(move || filter.get(), |f| list_opportunities(f, None));
    // Rows of the pages loaded after the first one ("load more").
    let more = RwSignal::new(Vec::<ListRow>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let more_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        filter.track();
        more.set(Vec::new());
        next.set(None);
    });
    let load_more = move |_| {
        let Some(after) = next.get_untracked() else { return };
        loading.set(true);
        let f = filter.get_untracked();
        leptos::task::spawn_local(async move {
            match list_opportunities(f, Some(after)).await {
                Ok(p) => {
                    more.update(|m| m.extend(p.rows));
                    next.set(Some(p.next.unwrap_or_default()).filter(|s| !s.is_empty()));
                    more_error.set(None);
                }
                Err(e) => more_error.set(Some(error_text(t, &e))),
            }
            loading.set(false);
        });
    };
    view! {
        <Title text=t.t("opportunity.list_title")/>
        <PageHeader title=t.t("opportunity.list_title")>
            <A href="/opportunities" attr:class=BTN_SECONDARY>{t.t("opportunity.board_view")}</A>
            <A href="/opportunities/new" attr:class=BTN_PRIMARY>{t.t("opportunity.new")}</A>
        </PageHeader>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => {
                        if next.get_untracked().is_none() && more.with_untracked(Vec::is_empty) {
                            next.set(page.next.clone());
                        }
                        let f = filter.get_untracked();
                        let processes = page.processes.clone();
                        let stage_of = move |id: i64| processes.iter().flat_map(|p| p.stages.iter()).find(|s| s.id == id).map(|s| stage_label(t, s)).unwrap_or_default();
                        let chips = chips(t, &f, &page.processes, &stage_of);
                        let totals = page.totals.iter().map(|x| {
                            let weighted = (x.weighted > 0).then(|| t.t_args("opportunity.list_weighted", &[("amount", money(x.weighted, &x.currency))]));
                            view! { <span class="mr-3 inline-block" data-testid="list-total">{money(x.amount, &x.currency)}{weighted.map(|w| format!(" · {w}"))}</span> }
                        }).collect_view();
                        let stage_of2 = stage_of.clone();
                        let row = move |r: ListRow| {
                            let when = match r.status.as_str() {
                                "open" => r.expected_close.clone().unwrap_or_else(|| "—".into()),
                                _ => r.closed_at.map(|ms| fmt_time(ms)[..10].to_string()).unwrap_or_default(),
                            };
                            let status = t.t(&format!("opportunity.status.{}", r.status));
                            view! {
                                <tr class="border-b border-slate-100" data-testid="list-row">
                                    <td class="px-2 py-2"><A href=format!("/opportunities/{}", r.id) attr:class="font-medium text-blue-700 underline">{r.name.clone()}</A>
                                        <div class="text-sm text-slate-600 md:hidden">{r.customer_name.clone()}</div></td>
                                    <td class="hidden px-2 py-2 md:table-cell"><A href=format!("/customers/{}", r.customer_id) attr:class="text-blue-700 underline">{r.customer_name.clone()}</A></td>
                                    <td class="px-2 py-2">{stage_of2(r.stage_id)}<div class="text-xs text-slate-500">{status}</div></td>
                                    <td class="px-2 py-2 text-right tabular-nums">{money(r.amount, &r.currency)}</td>
                                    <td class="hidden px-2 py-2 sm:table-cell">{when}</td>
                                    <td class="hidden px-2 py-2 lg:table-cell">{r.owner_name.clone().unwrap_or_default()}</td>
                                </tr>
                            }
                        };
                        let row2 = row.clone();
                        let rows = page.rows.clone();
                        view! {
                            <div class="mb-3 flex flex-wrap items-center gap-2" aria-label=t.t("opportunity.list_filters")>{chips}</div>
                            <p class="mb-3 text-slate-800" aria-live="polite">
                                <span class="font-semibold" data-testid="list-count">{t.t_args("opportunity.list_count", &[("n", page.count.to_string())])}</span>
                                " · " {totals}
                            </p>
                            {if page.count == 0 {
                                view! { <p class="rounded-md bg-slate-50 p-4 text-slate-600">{t.t("opportunity.list_empty")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                                        <table class="w-full text-left text-sm" data-testid="opportunity-list">
                                            <thead><tr class="border-b bg-slate-50">
                                                <th scope="col" class="px-2 py-2 font-medium">{t.t("opportunity.name")}</th>
                                                <th scope="col" class="hidden px-2 py-2 font-medium md:table-cell">{t.t("opportunity.customer_id")}</th>
                                                <th scope="col" class="px-2 py-2 font-medium">{t.t("opportunity.stage")}</th>
                                                <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("opportunity.amount")}</th>
                                                <th scope="col" class="hidden px-2 py-2 font-medium sm:table-cell">{t.t("opportunity.list_date")}</th>
                                                <th scope="col" class="hidden px-2 py-2 font-medium lg:table-cell">{t.t("customer.owner")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {rows.into_iter().map(row).collect_view()}
                                                {move || more.get().into_iter().map(row2.clone()).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            <div class="mt-3">
                                {move || next.get().map(|_| view! {
                                    <button type="button" class=BTN_SECONDARY on:click=load_more disabled=move || loading.get()>{t.t("common.load_more")}</button>
                                })}
                                {move || more_error.get().map(|e| view! { <p role="alert" class="text-red-700">{e}</p> })}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The active filters as removable chips.
fn chips(t: crate::platform::i18n::I18n, f: &OppFilter, processes: &[Process], stage_of: &dyn Fn(i64) -> String) -> impl IntoView {
    let mut out: Vec<(String, OppFilter)> = Vec::new();
    let without = |g: &dyn Fn(&mut OppFilter)| {
        let mut c = f.clone();
        g(&mut c);
        c
    };
    if let Some(p) = f.process.and_then(|id| processes.iter().find(|p| p.id == id)) {
        out.push((process_label(t, p), without(&|c| c.process = None)));
    }
    if let Some(s) = f.stage {
        out.push((stage_of(s), without(&|c| c.stage = None)));
    }
    if let Some(s) = &f.status {
        out.push((t.t(&format!("opportunity.status.{s}")), without(&|c| c.status = None)));
    }
    if f.owner.is_some() {
        out.push((t.t("opportunity.list_one_owner"), without(&|c| c.owner = None)));
    }
    if f.department.is_some() {
        out.push((t.t("opportunity.list_one_team"), without(&|c| c.department = None)));
    }
    if let Some(c) = &f.currency {
        out.push((c.clone(), without(&|x| x.currency = None)));
    }
    if f.close_from.is_some() || f.close_to.is_some() {
        let text = format!(
            "{} {} – {}",
            t.t("opportunity.expected_close"),
            f.close_from.clone().unwrap_or_default(),
            f.close_to.clone().unwrap_or_default()
        );
        out.push((
            text,
            without(&|c| {
                c.close_from = None;
                c.close_to = None;
            }),
        ));
    }
    if f.closed_from.is_some() || f.closed_to.is_some() {
        let text = format!(
            "{} {} – {}",
            t.t("opportunity.closed_at"),
            f.closed_from.clone().unwrap_or_default(),
            f.closed_to.clone().unwrap_or_default()
        );
        out.push((
            text,
            without(&|c| {
                c.closed_from = None;
                c.closed_to = None;
            }),
        ));
    }
    out.into_iter()
        .map(|(label, rest)| {
            let aria = t.t_args("opportunity.list_remove_filter", &[("filter", label.clone())]);
            view! {
                <A href=rest.list_url() attr:class="inline-flex min-h-11 items-center gap-1 rounded-full border border-slate-300 bg-white px-3 text-sm" attr:aria-label=aria attr:data-testid="filter-chip">
                    {label} <span aria-hidden="true">"×"</span>
                </A>
            }
        })
        .collect_view()
}
