use super::{CollaboratorsSection, DuplicatesSection, OwnershipSection, StatusBadge, ValueSection};
use crate::activities::pages::TimelineSection;
use crate::contacts::pages::ContactsSection;
use crate::customers::api::{delete_customer, get_customer, restore_customer};
use crate::customers::types::CustomerDetail;
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{detail_field as field, error_text, fmt_time, ErrorBanner, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The customer whose id is in the URL (`NotFound` for an id that is not a number).
pub(crate) fn customer_from_url() -> Resource<Result<CustomerDetail, AppError>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let t = use_i18n();
    let detail = customer_from_url();
    let merged = RwSignal::new(None::<(i64, String)>);
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(c) => view! { <CustomerView c merged on_change=Callback::new(move |_| detail.refetch())/> }.into_any(),
                    Err(e) => view! {
                        <div class="mx-auto max-w-md py-12 text-center">
                            <h1 class="text-xl font-bold">{error_text(t, &e)}</h1>
                            <A href="/customers" attr:class="mt-4 inline-block text-blue-700 underline">{t.t("customers.back_to_list")}</A>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerView(c: CustomerDetail, merged: RwSignal<Option<(i64, String)>>, on_change: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let id = c.id;
    let version = c.version;
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let delete = Action::new(move |_: &()| async move { delete_customer(id, version).await });
    let restore = Action::new(move |_: &()| async move { restore_customer(id).await.map(|_| ()) });
    Effect::new(move |_| {
        for r in [delete.value().get(), restore.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    error.set(None);
                    confirming.set(false);
                    on_change.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let deleted = c.deleted_at.is_some();
    let kind = t.t(&format!("customer.kind.{}", c.kind));
    view! {
        <Title text=c.name.clone()/>
        <PageHeader title=c.name.clone()>
            {(c.can_edit && !deleted).then(|| view! { <A href=format!("/customers/{id}/edit") attr:class=BTN_PRIMARY>{t.t("common.edit")}</A> })}
            {(c.can_delete && !deleted).then(|| view! {
                <button type="button" class=BTN_SECONDARY on:click=move |_| confirming.set(true)>{t.t("common.delete")}</button>
            })}
        </PageHeader>
        {deleted.then(|| view! {
            <div role="status" class="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
                <span>{t.t("customers.deleted_notice")}</span>
                {c.merged_into.map(|m| view! { <A href=format!("/customers/{m}") attr:class="text-blue-800 underline">{t.t("merge.merged_into")}</A> })}
                <button type="button" class=BTN_PRIMARY disabled=move || restore.pending().get() on:click=move |_| { restore.dispatch(()); }>
                    {t.t("common.undo")}
                </button>
            </div>
        })}
        <Show when=move || confirming.get()>
            <div role="alertdialog" aria-labelledby="confirm-delete-title" class="mb-4 rounded-md border border-red-300 bg-red-50 p-4">
                <p id="confirm-delete-title" class="mb-3 font-medium text-red-900">{t.t("customers.confirm_delete")}</p>
                <div class="flex gap-2">
                    <button type="button" class=BTN_DANGER disabled=move || delete.pending().get() on:click=move |_| { delete.dispatch(()); }>
                        {t.t("common.delete")}
                    </button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| confirming.set(false)>{t.t("common.cancel")}</button>
                </div>
            </div>
        </Show>
        <ErrorBanner error=error/>
        <KeyFiguresBar c=c.clone()/>
        <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("customers.section.basic")}</h2>
                <dl>
                    <div class="flex flex-col border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
                        <dt class="w-32 shrink-0 text-sm text-slate-500">{t.t("customer.status")}</dt>
                        <dd><StatusBadge t status=c.status.clone()/></dd>
                    </div>
                    {field(t, "customer.short_name", c.short_name.clone())}
                    {field(t, "customer.kind", Some(kind))}
                    {field(t, "customer.code", c.code.clone())}
                    {field(t, "customer.industry", c.industry.clone())}
                    {field(t, "customer.region", c.region.clone())}
                    {field(t, "customer.source", c.source.clone())}
                    {field(t, "customer.tax_id", c.tax_id.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("customers.section.contact")}</h2>
                <dl>
                    {field(t, "customer.phone", c.phone.clone())}
                    {field(t, "customer.email", c.email.clone())}
                    {field(t, "customer.website", c.website.clone())}
                    {field(t, "customer.address", c.address.clone())}
                </dl>
                <h2 class="mb-2 mt-4 font-semibold">{t.t("customers.section.ownership")}</h2>
                <dl>
                    {field(t, "customer.owner", c.owner_name.clone())}
                    {field(t, "customer.department", c.department_name.clone())}
                    {field(t, "customer.created_at", Some(format!("{} · {}", fmt_time(c.created_at), c.created_by_name.clone().unwrap_or_default())))}
                    {field(t, "customer.updated_at", Some(format!("{} · {}", fmt_time(c.updated_at), c.updated_by_name.clone().unwrap_or_default())))}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("customers.section.classification")}</h2>
                <dl>
                    {field(t, "customer.level", c.level.clone())}
                    {field(t, "customer.category", c.category.clone())}
                    {field(t, "customer.customer_group", c.customer_group.clone())}
                </dl>
                <ul class="mt-2 flex flex-wrap gap-1" aria-label=t.t("customer.tags") data-testid="tags">
                    {c.tags.iter().map(|tag| view! { <li class="rounded-full bg-blue-50 px-2 py-0.5 text-sm text-blue-800">{"#"}{tag.clone()}</li> }).collect_view()}
                </ul>
                <h2 class="mb-2 mt-4 font-semibold">{t.t("customers.section.evaluation")}</h2>
                <dl>
                    {field(t, "customer.relationship", c.relationship.as_ref().map(|r| t.t(&format!("customer.relationship.{r}"))))}
                    {field(t, "customer.rating", c.rating.map(|r| "★".repeat(r as usize) + &"☆".repeat(5 - r as usize)))}
                    {field(t, "customer.evaluation", c.evaluation.clone())}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="mb-2 font-semibold">{t.t("customers.section.financial")}</h2>
                <dl>
                    {field(t, "customer.bank_name", c.bank_name.clone())}
                    {field(t, "customer.bank_account", c.bank_account.clone())}
                    {field(t, "customer.credit_limit", c.credit_limit.map(|m| format!("{} {}", crate::platform::money::format_amount(m, c.currency()), c.currency().code())))}
                    {field(t, "customer.credit_days", c.credit_days.map(|d| t.t_args("customer.days", &[("n", d.to_string())])))}
                    {field(t, "customer.credit_control", c.credit_control.as_ref().map(|r| t.t(&format!("customer.credit_control.{r}"))))}
                </dl>
            </section>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
                <h2 class="mb-2 font-semibold">{t.t("customer.notes")}</h2>
                <p class="whitespace-pre-wrap">{c.notes.clone().unwrap_or_else(|| "—".into())}</p>
            </section>
            <div class="lg:col-span-2">
                <DuplicatesSection customer_id=id can_edit=c.can_edit && !deleted on_change=on_change merged/>
            </div>
            <div class="lg:col-span-2">
                <ValueSection customer_id=id/>
            </div>
            <div class="lg:col-span-2">
                <OwnershipSection c=c.clone() on_change=on_change/>
            </div>
            <div class="lg:col-span-2">
                <CollaboratorsSection entity="customer" record_id=id owner_id=c.owner_id/>
            </div>
            <div class="lg:col-span-2">
                <ContactsSection customer_id=id on_change=Callback::new(|_| ())/>
            </div>
            <div class="flex flex-col gap-4 lg:col-span-2">
                <crate::contracts::pages::CustomerTransactions customer_id=id/>
                <crate::opportunities::pages::CustomerOpportunities customer_id=id/>
                <crate::quotes::pages::CustomerQuotes customer_id=id/>
                <crate::orders::pages::CustomerOrders customer_id=id/>
                <crate::contracts::pages::CustomerContracts customer_id=id/>
                <crate::tickets::pages::CustomerService customer_id=id/>
                <crate::portal::pages::PortalAccessSection customer_id=id can_edit=c.can_edit && !deleted/>
            </div>
            <div class="lg:col-span-2">
                <TimelineSection customer_id=id/>
            </div>
        </div>
    }
}

/// The 360° header: status, owner, level and the activity figures at a glance.
#[component]
fn KeyFiguresBar(c: CustomerDetail) -> impl IntoView {
    let t = use_i18n();
    let f = c.figures.clone();
    let since =
        f.days_since_activity
            .map(|days| if days == 0 { t.t("figures.today") } else { t.t_args("figures.days_ago", &[("n", days.to_string())]) });
    let tiles = [
        (t.t("figures.contacts"), f.contacts.to_string()),
        (t.t("figures.activities"), f.activities.to_string()),
        (t.t("figures.planned"), f.planned.to_string()),
        (t.t("figures.last_activity"), since.unwrap_or_else(|| "—".into())),
    ];
    view! {
        <div class="mb-4 flex flex-wrap items-center gap-2" data-testid="key-figures">
            <StatusBadge t status=c.status.clone()/>
            {c.level.clone().map(|l| view! { <span class="rounded-full bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-800">{t.t("customer.level")} " " {l}</span> })}
            <span class="text-sm text-slate-600">{c.owner_name.clone().unwrap_or_else(|| t.t("pool.in_pool"))}</span>
        </div>
        <dl class="mb-4 grid grid-cols-2 gap-2 sm:grid-cols-4">
            {tiles.into_iter().map(|(k, v)| view! {
                <div class="rounded-lg border border-slate-200 bg-white px-3 py-2">
                    <dt class="text-xs text-slate-500">{k}</dt>
                    <dd class="text-lg font-semibold">{v}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
