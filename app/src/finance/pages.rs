//! Settings pages: currencies and exchange rates, and document numbering.
use crate::finance::api::*;
use crate::finance::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::{format_rate_micro, Currency};
use crate::platform::numbering::{NumberingInput, NumberingRule, DATE_PARTS};
use crate::ui::{error_text, field_error, PageHeader, SelectField, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ExchangeRatesPage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| list_exchange_rates());
    let error = RwSignal::new(None::<AppError>);
    let draft =
        RateDraft { currency: RwSignal::new(String::new()), rate_date: RwSignal::new(String::new()), rate: RwSignal::new(String::new()) };
    let remove = Action::new(|id: &i64| {
        let id = *id;
        async move { delete_exchange_rate(id).await }
    });
    let rebase = Action::new(|c: &String| {
        let c = c.clone();
        async move { set_base_currency(c).await }
    });
    Effect::new(move |_| {
        for r in [remove.value().get(), rebase.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Title text=t.t("settings.currencies")/>
        <PageHeader title=t.t("settings.currencies")/>
        <p class="mb-4 max-w-3xl text-slate-600">{t.t("rates.help")}</p>
        {move || error.get().map(|e| view! {
            <p role="alert" class="mb-3 rounded-md bg-red-50 p-3 text-red-800">
                {match &e { AppError::Validation(v) => v.iter().map(|f| t.t(&f.code)).collect::<Vec<_>>().join(" "), e => error_text(t, e) }}
            </p>
        })}
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => {
                        let base = Currency::from_code(&page.base).unwrap_or_default();
                        let can_edit = page.can_edit;
                        let empty = page.rates.is_empty();
                        view! {
                            <section class="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
                                <label class="flex flex-col gap-1">
                                    <span class="text-sm font-medium text-slate-700">{t.t("rates.base")}</span>
                                    <select class="min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base" data-testid="base-currency"
                                        disabled=!can_edit || !empty
                                        on:change=move |ev| { rebase.dispatch(event_target_value(&ev)); }>
                                        {Currency::ALL.iter().map(|c| view! { <option value=c.code() selected=*c == base>{c.code()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <p class="text-sm text-slate-600">{t.t(if empty { "rates.base_help" } else { "rates.base_locked" })}</p>
                            </section>
                            {can_edit.then(|| view! { <AddRate base draft on_added=Callback::new(move |_| data.refetch())/> })}
                            <section class="rounded-lg border border-slate-200 bg-white p-4">
                                <h2 class="mb-2 font-semibold">{t.t("rates.list")}</h2>
                                {empty.then(|| view! { <p class="text-slate-500">{t.t("rates.empty")}</p> })}
                                <ul class="flex flex-col divide-y divide-slate-100" data-testid="rate-list">
                                    {page.rates.into_iter().map(|r| {
                                        let id = r.id;
                                        view! {
                                            <li class="flex flex-wrap items-center gap-x-4 py-2" data-testid="rate-row">
                                                <span class="tabular-nums">{r.rate_date.clone()}</span>
                                                <span class="font-medium tabular-nums">{format!("1 {} = {} {}", r.currency, format_rate_micro(r.rate_micro), base.code())}</span>
                                                {can_edit.then(|| view! {
                                                    <button type="button" class=format!("{BTN_SECONDARY} ml-auto") disabled=move || remove.pending().get()
                                                        on:click=move |_| { remove.dispatch(id); }>{t.t("common.delete")}</button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// What is typed in the add-rate form; kept by the page so the form keeps the currency
/// and date when the list reloads after an addition.
#[derive(Clone, Copy)]
struct RateDraft {
    currency: RwSignal<String>,
    rate_date: RwSignal<String>,
    rate: RwSignal<String>,
}

#[component]
fn AddRate(base: Currency, draft: RateDraft, on_added: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let RateDraft { currency, rate_date, rate } = draft;
    if Currency::from_code(&currency.get_untracked()).is_none_or(|c| c == base) {
        let first = Currency::ALL.into_iter().find(|c| *c != base).unwrap_or(Currency::Usd);
        currency.set(first.code().to_string());
    }
    let local = RwSignal::new(Vec::<FieldError>::new());
    let add = Action::new(|i: &RateInput| {
        let i = i.clone();
        async move { add_exchange_rate(i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            rate.set(String::new());
            on_added.run(());
        }
    });
    let server_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let options: Vec<(String, String)> =
        Currency::ALL.iter().filter(|c| **c != base).map(|c| (c.code().to_string(), c.code().to_string())).collect();
    view! {
        <form novalidate class="mb-4 grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4" data-testid="add-rate"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = RateInput { currency: currency.get_untracked(), rate_date: rate_date.get_untracked(), rate: rate.get_untracked() };
                match input.validate(base) {
                    Ok(_) => {
                        local.set(Vec::new());
                        add.dispatch(input);
                    }
                    Err(e) => local.set(e),
                }
            }>
            <h2 class="font-semibold md:col-span-4">{t.t("rates.add")}</h2>
            <SelectField id="rate-currency" label=t.t("rates.currency") value=currency options error=err("currency")/>
            <TextField id="rate-date" label=t.t("rates.date") value=rate_date error=err("rate_date") input_type="date" required=true/>
            <TextField id="rate-value" label=t.t_args("rates.value", &[("base", base.code().to_string())]) value=rate error=err("rate") inputmode="decimal" required=true/>
            <div class="flex items-center">
                <button type="submit" class=BTN_PRIMARY data-testid="rate-save" disabled=move || add.pending().get()>{t.t("rates.add")}</button>
            </div>
        </form>
    }
}

#[component]
pub fn NumberingPage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| list_numbering_rules());
    view! {
        <Title text=t.t("settings.numbering")/>
        <PageHeader title=t.t("settings.numbering")/>
        <p class="mb-4 max-w-3xl text-slate-600">{t.t("numbering.help")}</p>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => {
                        let (can_edit, today) = (page.can_edit, page.today);
                        view! {
                            <div class="flex flex-col gap-3">
                                {page.rules.into_iter().map(|(rule, next)| view! {
                                    <RuleRow rule next today can_edit on_saved=Callback::new(move |_| data.refetch())/>
                                }).collect_view()}
                            </div>
                            {can_edit.then(|| view! { <crate::quotes::pages::QuoteApprovalSetting/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Element ids of one rule's fields, unique on the page.
fn field_ids(kind: &str) -> (&'static str, &'static str, &'static str) {
    match kind {
        "product" => ("product-prefix", "product-date-part", "product-digits"),
        "quote" => ("quote-prefix", "quote-date-part", "quote-digits"),
        "order" => ("order-prefix", "order-date-part", "order-digits"),
        "contract" => ("contract-prefix", "contract-date-part", "contract-digits"),
        "invoice" => ("invoice-prefix", "invoice-date-part", "invoice-digits"),
        _ => ("payment-prefix", "payment-date-part", "payment-digits"),
    }
}

#[component]
fn RuleRow(rule: NumberingRule, next: String, today: (i64, i64, i64), can_edit: bool, on_saved: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let prefix = RwSignal::new(rule.prefix.clone());
    let date_part = RwSignal::new(rule.date_part.clone());
    let digits = RwSignal::new(rule.digits.to_string());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let (kind, version) = (rule.doc_kind.clone(), rule.version);
    let save = Action::new(move |i: &NumberingInput| {
        let (i, kind) = (i.clone(), kind.clone());
        async move { update_numbering_rule(kind, version, i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            on_saved.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let parts: Vec<(String, String)> = DATE_PARTS.iter().map(|p| (p.to_string(), t.t(&format!("numbering.date.{p}")))).collect();
    // What the next number would look like with the rule as typed.
    let preview = move || {
        let r = NumberingRule {
            doc_kind: String::new(),
            prefix: prefix.get().trim().to_string(),
            date_part: date_part.get(),
            digits: digits.get().trim().parse().unwrap_or(4),
            version: 0,
        };
        r.format(today, 1)
    };
    let (prefix_id, date_id, digits_id) = field_ids(&rule.doc_kind);
    let kind_label = t.t(&format!("numbering.kind.{}", rule.doc_kind));
    view! {
        <form novalidate class="grid grid-cols-1 items-start gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-5"
            data-testid=format!("numbering-{}", rule.doc_kind)
            on:submit=move |ev| {
                ev.prevent_default();
                let input = NumberingInput { prefix: prefix.get_untracked(), date_part: date_part.get_untracked(), digits: digits.get_untracked() };
                match input.validate() {
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(input);
                    }
                    Err(e) => local.set(e),
                }
            }>
            <div class="md:col-span-5 flex flex-wrap items-baseline gap-x-3">
                <h2 class="font-semibold">{kind_label}</h2>
                <span class="text-sm text-slate-600">{t.t_args("numbering.next", &[("number", next)])}</span>
            </div>
            <TextField id=prefix_id label=t.t("numbering.prefix") value=prefix error=err("prefix") max_len=12/>
            <SelectField id=date_id label=t.t("numbering.date_part") value=date_part options=parts error=err("date_part")/>
            <TextField id=digits_id label=t.t("numbering.digits") value=digits error=err("digits") inputmode="numeric"/>
            <p class="pt-8 font-mono text-sm text-slate-700" aria-live="polite">{t.t("numbering.example")}" "{preview}</p>
            <div class="pt-6">
                {can_edit.then(|| view! {
                    <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                })}
                {move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! {
                    <p role="alert" class="text-sm text-red-700">{error_text(t, &e)}</p>
                })}
            </div>
        </form>
    }
}

/// The company profile: the letterhead of printed quotes and, later, orders and contracts.
#[component]
pub fn CompanyProfilePage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| get_company_profile());
    view! {
        <Title text=t.t("settings.company")/>
        <PageHeader title=t.t("settings.company")/>
        <p class="mb-4 max-w-3xl text-slate-600">{t.t("company.help")}</p>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(page) => view! { <CompanyForm page/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CompanyForm(page: CompanyProfilePage) -> impl IntoView {
    let t = use_i18n();
    let p = page.profile;
    let stamp = RwSignal::new(page.stamp);
    let f = [
        RwSignal::new(p.name),
        RwSignal::new(p.address),
        RwSignal::new(p.phone),
        RwSignal::new(p.email),
        RwSignal::new(p.website),
        RwSignal::new(p.tax_id),
        RwSignal::new(p.bank_name),
        RwSignal::new(p.bank_account),
    ];
    let profile = move || CompanyProfile {
        name: f[0].get_untracked(),
        address: f[1].get_untracked(),
        phone: f[2].get_untracked(),
        email: f[3].get_untracked(),
        website: f[4].get_untracked(),
        tax_id: f[5].get_untracked(),
        bank_name: f[6].get_untracked(),
        bank_account: f[7].get_untracked(),
    };
    let local = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(|(s, p): &(String, CompanyProfile)| {
        let (s, p) = (s.clone(), p.clone());
        async move { save_company_profile(s, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = save.value().get() {
            stamp.set(s);
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |field: &'static str| field_error(local, server_error, field);
    let can_edit = page.can_edit;
    view! {
        <form novalidate class="flex max-w-2xl flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4" data-testid="company-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let p = profile();
                match p.validate() {
                    Err(errs) => local.set(errs),
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch((stamp.get_untracked(), p));
                    }
                }
            }>
            <crate::ui::FormAlert server_error local/>
            <fieldset disabled=!can_edit class="grid gap-x-4 sm:grid-cols-2">
                <div class="sm:col-span-2"><TextField id="company-name" label=t.t("company.name") value=f[0] error=err("name") required=true max_len=100 autocomplete="organization"/></div>
                <div class="sm:col-span-2"><TextField id="company-address" label=t.t("company.address") value=f[1] error=err("address") max_len=200 autocomplete="street-address"/></div>
                <TextField id="company-phone" label=t.t("company.phone") value=f[2] error=err("phone") input_type="tel" max_len=40/>
                <TextField id="company-email" label=t.t("company.email") value=f[3] error=err("email") input_type="email" max_len=100/>
                <TextField id="company-website" label=t.t("company.website") value=f[4] error=err("website") max_len=100 inputmode="url"/>
                <TextField id="company-tax-id" label=t.t("company.tax_id") value=f[5] error=err("tax_id") max_len=30/>
                <TextField id="company-bank" label=t.t("company.bank_name") value=f[6] error=err("bank_name") max_len=100/>
                <TextField id="company-account" label=t.t("company.bank_account") value=f[7] error=err("bank_account") max_len=40/>
            </fieldset>
            {can_edit.then(|| view! {
                <div class="flex items-center gap-3">
                    <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span role="status" class="text-sm text-green-800">{t.t("common.saved")}</span> })}
                </div>
            })}
        </form>
    }
}
