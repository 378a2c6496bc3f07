//! Quote pages: the list, the editor and a quote's page with its flow and revisions.
mod detail;
pub(crate) mod editor;

pub use detail::QuoteDetailPage;
pub use editor::{EditQuotePage, NewQuotePage};

use crate::platform::authz::{Action as Op, Entity};
use crate::platform::i18n::{use_i18n, I18n};
use crate::platform::money::{format_amount, Currency};
use crate::quotes::api::list_quotes;
use crate::quotes::types::*;
use crate::ui::{append_page, can, more_pages, paged_body, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base md:w-auto";

/// "12,800.00 CNY".
pub(crate) fn money(minor: i64, currency: &str) -> String {
    format!("{} {currency}", format_amount(minor, Currency::from_code(currency).unwrap_or_default()))
}

pub(crate) fn status_badge(t: I18n, status: &str) -> impl IntoView {
    let class = match status {
        "pending" => "bg-amber-100 text-amber-900",
        "approved" | "sent" => "bg-blue-100 text-blue-900",
        "accepted" => "bg-green-100 text-green-900",
        "rejected" | "declined" => "bg-red-100 text-red-900",
        _ => "bg-slate-200 text-slate-800",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="quote-status" data-status=status.to_string()>
            {t.t(&format!("quote.status.{status}"))}
        </span>
    }
}

#[component]
pub fn QuoteListPage() -> impl IntoView {
    let t = use_i18n();
    let q = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let filter = Memo::new(move |_| QuoteFilter {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        status: Some(status.get()).filter(|s| !s.is_empty()),
        ..Default::default()
    });
    let first = Resource::new(move || filter.get(), list_quotes);
    let more = more_pages(filter);
    let load_more = move |after: (i64, i64)| {
        let mut next = filter.get_untracked();
        next.after = Some(after);
        append_page(more, async move { list_quotes(next).await.ok().map(|p| (p.rows, p.next)) });
    };
    let row = move |r: Quote| {
        let label = r.label();
        let total = money(r.total, &r.currency);
        view! {
            <tr class="block rounded-lg border border-slate-200 bg-white p-3 lg:table-row lg:rounded-none lg:border-x-0 lg:border-t-0 lg:p-0" data-testid="quote-row">
                <td class="block lg:table-cell lg:px-2 lg:py-2">
                    <A href=format!("/quotes/{}", r.id) attr:class="font-mono font-medium text-blue-800 hover:underline">{label}</A>
                    <span class="ml-2 lg:hidden">{status_badge(t, &r.status)}</span>
                </td>
                <td class="block lg:table-cell lg:px-2 lg:py-2">{r.customer_name.clone()}<span class="text-slate-500">{(!r.title.is_empty()).then(|| format!(" · {}", r.title))}</span></td>
                <td class="hidden lg:table-cell lg:px-2 lg:py-2">{status_badge(t, &r.status)}</td>
                <td class="inline lg:table-cell lg:px-2 lg:py-2 text-sm text-slate-600">{r.quote_date.clone()}</td>
                <td class="block lg:table-cell lg:px-2 lg:py-2 lg:text-right font-medium tabular-nums">{total}</td>
            </tr>
        }
        .into_any()
    };
    view! {
        <Title text=t.t("quote.list_title")/>
        <PageHeader title=t.t("quote.list_title")>
            {can(Entity::Quote, Op::Create).then(|| view! {
                <A href="/quotes/new" attr:class=BTN_PRIMARY attr:data-testid="new-quote">{t.t("quote.new")}</A>
            })}
        </PageHeader>
        <div class="mb-4 flex flex-col gap-2 md:flex-row md:items-end">
            <label class="flex flex-col gap-1 text-sm md:w-72">
                <span class="font-medium text-slate-700">{t.t("product.search")}</span>
                <input type="search" class=INPUT data-testid="quote-search" placeholder=t.t("quote.search_hint")
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("quote.status")}</span>
                <select class=INPUT data-testid="quote-status-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{t.t("quote.status.current")}</option>
                    {QuoteStatus::ALL.iter().map(|s| view! { <option value=s.code()>{t.t(&format!("quote.status.{}", s.code()))}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let frame = |rows: AnyView| view! {
                    <div class="lg:overflow-x-auto lg:rounded-lg lg:border lg:border-slate-200 lg:bg-white">
                        <table class="block w-full text-left lg:table" data-testid="quote-list">
                            <thead class="hidden lg:table-header-group">
                                <tr class="border-b bg-slate-50 text-sm">
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("quote.number")}</th>
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("quote.customer")}</th>
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("quote.status")}</th>
                                    <th scope="col" class="px-2 py-2 font-medium">{t.t("quote.date")}</th>
                                    <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("quote.total")}</th>
                                </tr>
                            </thead>
                            <tbody class="flex flex-col gap-2 lg:table-row-group">{rows}</tbody>
                        </table>
                    </div>
                }.into_any();
                paged_body(t, first.await.map(|p| (p.rows, p.next)), more, "quote.empty", row, frame, load_more)
            })}
        </Transition>
    }
}

/// The quotes of a customer, on its 360° page: current revisions, newest first.
#[component]
pub fn CustomerQuotes(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Quote, Op::View) {
        return ().into_any();
    }
    let rows = Resource::new(move || customer_id, |c| list_quotes(QuoteFilter { customer_id: Some(c), ..Default::default() }));
    let may_create = can(Entity::Quote, Op::Create);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="quotes-title" data-testid="customer-quotes">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 id="quotes-title" class="font-semibold">{t.t("quote.list_title")}</h2>
                // A plain link: a router link with a query string broke hydration elsewhere.
                {may_create.then(|| view! { <a href=format!("/quotes/new?customer={customer_id}") class=BTN_SECONDARY data-testid="customer-new-quote">{t.t("quote.new")}</a> })}
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = rows.await.map(|p| p.rows).unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("quote.empty")}</p> }.into_any();
                    }
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|r| {
                                let (href, label, badge, total) = (format!("/quotes/{}", r.id), r.label(), status_badge(t, &r.status), money(r.total, &r.currency));
                                view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                        <A href=href attr:class="font-mono font-medium text-blue-800 underline">{label}</A>
                                        <span class="flex items-center gap-2 text-sm">{badge}<span class="tabular-nums">{total}</span></span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The discount limit for quotes, on the numbering settings page.
#[component]
pub fn QuoteApprovalSetting() -> impl IntoView {
    let t = use_i18n();
    let current = LocalResource::new(crate::quotes::api::get_quote_approval);
    let value = RwSignal::new(String::new());
    let save = Action::new(|v: &String| {
        let v = v.clone();
        async move { crate::quotes::api::set_quote_approval(v).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(bp)) = current.get() {
            value.set(crate::catalog::types::format_rate_bp(bp));
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let error = Signal::derive(move || server_error.get().and_then(|e| e.field("approval")));
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="quote-approval-setting">
            <h2 class="mb-2 font-semibold">{t.t("quote.approval_settings")}</h2>
            <form novalidate class="flex flex-wrap items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(value.get_untracked());
            }>
                <div class="w-full max-w-md">
                    <crate::ui::TextField id="approval" label=t.t("quote.approval_limit") value error inputmode="decimal"/>
                </div>
                <button type="submit" class=format!("{BTN_PRIMARY} mb-6") disabled=move || save.pending().get()>{t.t("common.save")}</button>
                {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <span role="status" class="mb-8 text-sm text-green-800">{t.t("common.saved")}</span> })}
            </form>
        </section>
    }
}
