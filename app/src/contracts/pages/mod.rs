//! Contract pages: the list, the form, a contract's page, the receivables report, the
//! contracts on a customer's 360° page and the overdue list of the dashboard.
mod detail;
mod form;

pub use detail::ContractDetailPage;
pub use form::{EditContractPage, NewContractPage};

use crate::contracts::api::*;
use crate::contracts::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{append_page, can, error_text, more_pages, paged_body, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub(crate) use crate::quotes::pages::money;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base md:w-auto";

/// Active, overdue, paid in full or terminated.
pub(crate) fn contract_badge(t: I18n, k: &Contract, _today: &str) -> impl IntoView {
    let state = if !k.active() {
        "terminated"
    } else if k.overdue > 0 {
        "overdue"
    } else if k.outstanding() == 0 {
        "paid"
    } else {
        "active"
    };
    let class = match state {
        "overdue" => "bg-red-100 text-red-900",
        "paid" => "bg-green-100 text-green-900",
        "terminated" => "bg-slate-200 text-slate-700",
        _ => "bg-blue-100 text-blue-900",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="contract-status" data-status=state>
            {t.t(&format!("contract.status.{state}"))}
        </span>
    }
}

#[component]
pub fn ContractListPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let filter = Memo::new(move |_| ContractFilter {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        overdue: overdue.get(),
        ..Default::default()
    });
    let first = Resource::new(move || filter.get(), list_contracts);
    let more = more_pages(filter);
    let load_more = move |after: (i64, i64)| {
        let mut next = filter.get_untracked();
        next.after = Some(after);
        append_page(more, async move { list_contracts(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |k: Contract| {
        let cur = k.currency.clone();
        let (number, customer, badge) = (k.number.clone(), k.customer_name.clone(), contract_badge(t, &k, ""));
        view! {
            <li class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 md:flex-row md:items-center md:gap-4" data-testid="contract-row">
                <A href=format!("/contracts/{}", k.id) attr:class="font-mono font-medium text-blue-800 hover:underline md:w-44">{number}</A>
                <span class="min-w-0 flex-1">{customer}<span class="text-slate-500">{format!(" · {}", k.title)}</span></span>
                <span>{badge}</span>
                <span class="text-sm tabular-nums text-slate-600">{t.t_args("contract.received_of", &[("paid", money(k.paid, &cur)), ("amount", money(k.amount, &cur))])}</span>
            </li>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("contract.list_title")/>
        <PageHeader title=t.t("contract.list_title")>
            <A href="/receivables" attr:class=BTN_SECONDARY>{t.t("receivables.title")}</A>
            {can(Entity::Contract, Op::Create).then(|| view! {
                <A href="/contracts/new" attr:class=BTN_PRIMARY attr:data-testid="new-contract">{t.t("contract.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="contract-search" placeholder=t.t("quote.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="contract-overdue-filter" prop:checked=move || overdue.get()
                    on:change=move |ev| overdue.set(event_target_checked(&ev))/>
                {t.t("contract.only_overdue")}
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! { <ul class="flex flex-col gap-2" data-testid="contract-list">{rows}</ul> }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "contract.empty", row, frame, load_more)
            })}
        </Transition>
    }
}

/// Receivables per customer and currency: contracted, received, outstanding, overdue
/// (with the oldest overdue due date) and invoiced, most overdue first.
#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let overdue_only = RwSignal::new(false);
    let filter = Memo::new(move |_| ReceivableFilter {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        overdue_only: overdue_only.get(),
        ..Default::default()
    });
    let first = Resource::new(move || filter.get(), get_receivables);
    let more = more_pages(filter);
    let load_more = move |offset: i64| {
        let mut next = filter.get_untracked();
        next.offset = offset;
        append_page(more, async move { get_receivables(next).await.ok().map(|p| (p.rows, p.next_offset)) });
    };
    let row = move |r: Receivable| {
        let cur = r.currency.clone();
        let overdue_class =
            if r.overdue > 0 { "px-2 py-2 text-right font-medium tabular-nums text-red-700" } else { "px-2 py-2 text-right tabular-nums" };
        view! {
            <tr class="border-t border-slate-100" data-testid="receivable-row">
                <td class="px-2 py-2"><A href=format!("/customers/{}", r.customer_id) attr:class="text-blue-800 underline">{r.customer_name.clone()}</A></td>
                <td class="px-2 py-2 text-right tabular-nums">{money(r.contracted, &cur)}</td>
                <td class="px-2 py-2 text-right tabular-nums" data-testid="receivable-received">{money(r.received, &cur)}</td>
                <td class="px-2 py-2 text-right tabular-nums" data-testid="receivable-outstanding">{money(r.outstanding, &cur)}</td>
                <td class=overdue_class data-testid="receivable-overdue">
                    {money(r.overdue, &cur)}
                    {r.oldest_due.clone().map(|d| view! { <span class="block text-xs font-normal text-slate-500">{t.t_args("receivables.since", &[("date", d)])}</span> })}
                </td>
                <td class="px-2 py-2 text-right tabular-nums">{money(r.invoiced, &cur)}</td>
            </tr>
        }
        .into_any()
    };
    let th = "px-2 py-2 font-medium";
    view! {
        <Title text=t.t("receivables.title")/>
        <PageHeader title=t.t("receivables.title")>
            <A href="/contracts" attr:class=BTN_SECONDARY>{t.t("contract.list_title")}</A>
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("receivables.search")}</span>
                <input type="search" class=INPUT data-testid="receivables-search" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" class="h-5 w-5" data-testid="receivables-overdue" prop:checked=move || overdue_only.get()
                    on:change=move |ev| overdue_only.set(event_target_checked(&ev))/>
                {t.t("contract.only_overdue")}
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let report = first.await;
                let totals = report.as_ref().map(|r| r.totals.clone()).unwrap_or_default();
                let today = report.as_ref().map(|r| r.today.clone()).unwrap_or_default();
                let frame = move |rows: AnyView| view! {
                    <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                        <table class="w-full min-w-[40rem] text-sm" data-testid="receivables-table">
                            <thead class="bg-slate-50 text-left text-slate-600">
                                <tr>
                                    <th class=th>{t.t("quote.customer")}</th>
                                    <th class=format!("{th} text-right")>{t.t("receivables.contracted")}</th>
                                    <th class=format!("{th} text-right")>{t.t("contract.received")}</th>
                                    <th class=format!("{th} text-right")>{t.t("contract.outstanding")}</th>
                                    <th class=format!("{th} text-right")>{t.t("contract.overdue")}</th>
                                    <th class=format!("{th} text-right")>{t.t("contract.invoiced")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any();
                view! {
                    <p class="mb-2 text-sm text-slate-500">{t.t_args("receivables.as_of", &[("date", today)])}</p>
                    {(!totals.is_empty()).then(|| view! {
                        <dl class="mb-4 grid grid-cols-1 gap-2 md:grid-cols-3" data-testid="receivables-totals">
                            {totals.into_iter().map(|s| view! {
                                <div class="rounded-lg border border-slate-200 bg-white p-3 text-sm tabular-nums" data-testid="receivables-total" data-currency=s.currency.clone()>
                                    <dt class="font-medium">{s.currency.clone()}</dt>
                                    <dd>{t.t("contract.outstanding")}": "<strong data-testid="total-outstanding">{money(s.outstanding, &s.currency)}</strong></dd>
                                    <dd class="text-red-700">{t.t("contract.overdue")}": "<strong data-testid="total-overdue">{money(s.overdue, &s.currency)}</strong></dd>
                                    <dd class="text-slate-600">{t.t("contract.received")}": "{money(s.received, &s.currency)}</dd>
                                </div>
                            }).collect_view()}
                        </dl>
                    })}
                    {paged_body(t, report.map(|p| (p.rows, p.next_offset)), more, "receivables.empty", row, frame, load_more)}
                }.into_any()
            })}
        </Transition>
    }
}

/// The contracts of a customer with what is still to collect, on its 360° page.
#[component]
pub fn CustomerContracts(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Contract, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(move || customer_id, |c| list_contracts(ContractFilter { customer_id: Some(c), ..Default::default() }));
    let may_create = can(Entity::Contract, Op::Create);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="contracts-title" data-testid="customer-contracts">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="contracts-title" class="font-semibold">{t.t("contract.list_title")}</h2>
                {may_create.then(|| view! { <a href=format!("/contracts/new?customer={customer_id}") class=BTN_SECONDARY data-testid="customer-new-contract">{t.t("contract.new")}</a> })}
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = rows.await.map(|p| p.rows).unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("contract.empty")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|k| { let (number, badge) = (k.number.clone(), contract_badge(t, &k, "")); view! {
                                <li class="flex flex-col gap-1 py-2">
                                    <div class="flex flex-wrap items-center justify-between gap-2">
                                        <A href=format!("/contracts/{}", k.id) attr:class="font-mono font-medium text-blue-800 underline">{number}</A>
                                        {badge}
                                    </div>
                                    <span class="text-sm tabular-nums text-slate-600">
                                        {t.t_args("contract.received_of", &[("paid", money(k.paid, &k.currency)), ("amount", money(k.amount, &k.currency))])}
                                        {(k.overdue > 0).then(|| view! { <span class="ml-2 font-medium text-red-700">{t.t_args("contract.overdue_amount", &[("amount", money(k.overdue, &k.currency))])}</span> })}
                                    </span>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The oldest overdue instalments the user may see, on the dashboard.
#[component]
pub fn OverdueList() -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Contract, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(|| (), |_| overdue_instalments());
    view! {
        <section class="mb-4 rounded-lg border border-red-200 bg-white p-4" aria-labelledby="overdue-title" data-testid="overdue-list">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="overdue-title" class="font-semibold">{t.t("receivables.overdue_title")}</h2>
                <a href="/receivables" class="text-sm text-blue-800 underline">{t.t("receivables.title")}</a>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <p class="text-sm text-red-700">{error_text(t, &e)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-500">{t.t("receivables.no_overdue")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().map(|o| view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="overdue-row">
                                        <span class="min-w-0">
                                            <a href=format!("/contracts/{}", o.contract_id) class="font-mono text-blue-800 underline">{o.contract_number.clone()}</a>
                                            " · "{o.customer_name.clone()}" · "{t.t_args("contract.instalment_n", &[("n", o.position.to_string())])}
                                            <span class="block text-xs text-slate-500">{t.t_args("receivables.due", &[("date", o.due_on.clone())])}{o.owner_name.clone().map(|n| format!(" · {n}"))}</span>
                                        </span>
                                        <span class="font-medium tabular-nums text-red-700">{money(o.open, &o.currency)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The customer's transaction summary (C7): per currency what was ordered, contracted,
/// received, and what is outstanding and overdue; credit use; loyalty.
#[component]
pub fn CustomerTransactions(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Contract, Op::View) && !can(Entity::Order, Op::View) {
        return ().into_any();
    }
    let data = Resource::new(move || customer_id, customer_transactions);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="transactions-title" data-testid="customer-transactions">
            <h2 id="transactions-title" class="mb-2 font-semibold">{t.t("transactions.title")}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let s = match data.await {
                        Ok(s) => s,
                        Err(e) => return view! { <p class="text-sm text-red-700">{error_text(t, &e)}</p> }.into_any(),
                    };
                    if s.currencies.is_empty() && s.credit.is_none() {
                        return view! { <p class="text-sm text-slate-500">{t.t("transactions.none")}</p> }.into_any();
                    }
                    let loyalty = s.first_at.map(|f| t.t_args("transactions.loyalty", &[
                        ("first", crate::ui::fmt_time(f).chars().take(10).collect()),
                        ("last", s.last_at.map(|l| crate::ui::fmt_time(l).chars().take(10).collect::<String>()).unwrap_or_default()),
                        ("n", s.deals_12m.to_string()),
                    ]));
                    view! {
                        <div class="flex flex-col gap-3">
                            {s.currencies.into_iter().map(|c| {
                                let cur = c.currency.clone();
                                let overdue_class = if c.overdue > 0 { "font-medium text-red-700" } else { "font-medium" };
                                let tiles = [
                                    ("transactions.ordered", money(c.ordered, &cur), c.orders),
                                    ("receivables.contracted", money(c.contracted, &cur), c.contracts),
                                ];
                                view! {
                                    <dl class="grid grid-cols-2 gap-2 text-sm tabular-nums md:grid-cols-5" data-testid="transactions-currency" data-currency=cur.clone()>
                                        {tiles.into_iter().map(|(k, v, n)| view! {
                                            <div><dt class="text-slate-500">{t.t(k)}" ("{n}")"</dt><dd class="font-medium">{v}</dd></div>
                                        }).collect_view()}
                                        <div><dt class="text-slate-500">{t.t("contract.received")}</dt><dd class="font-medium" data-testid="transactions-received">{money(c.received, &cur)}</dd></div>
                                        <div><dt class="text-slate-500">{t.t("contract.outstanding")}</dt><dd class="font-medium">{money(c.outstanding, &cur)}</dd></div>
                                        <div><dt class="text-slate-500">{t.t("contract.overdue")}</dt>
                                            <dd class=overdue_class>{money(c.overdue, &cur)}</dd></div>
                                    </dl>
                                }
                            }).collect_view()}
                            {s.credit.map(|c| {
                                let text = match c.used {
                                    Some(u) => t.t_args("transactions.credit", &[("used", money(u, &c.currency)), ("limit", money(c.limit, &c.currency))]),
                                    None => t.t_args("transactions.credit_unknown", &[("limit", money(c.limit, &c.currency))]),
                                };
                                let over = c.used.is_none_or(|u| u > c.limit);
                                let class = if over { "text-sm font-medium text-amber-800" } else { "text-sm text-slate-700" };
                                view! { <p class=class data-testid="transactions-credit">{text}</p> }
                            })}
                            {loyalty.map(|l| view! { <p class="text-sm text-slate-600">{l}</p> })}
                        </div>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
    .into_any()
}
