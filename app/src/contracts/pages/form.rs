//! The contract form: customer, dates, amount and terms, and the payment plan with a
//! live check that it adds up to the amount (and a button that splits it evenly).
use crate::contracts::api::*;
use crate::contracts::types::*;
use crate::opportunities::pages::CustomerPicker;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::{format_amount, parse_amount, Currency};
use crate::ui::{error_text, field_error, FormAlert, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

const CELL: &str = "min-h-11 w-full rounded-md border border-slate-300 px-2 text-base aria-[invalid=true]:border-red-500";

#[derive(Clone, Copy)]
struct Row {
    key: u64,
    id: Option<i64>,
    due_on: RwSignal<String>,
    amount: RwSignal<String>,
    note: RwSignal<String>,
}

impl Row {
    fn new(key: u64, i: &InstalmentInput) -> Row {
        Row {
            key,
            id: i.id,
            due_on: RwSignal::new(i.due_on.clone()),
            amount: RwSignal::new(i.amount.clone()),
            note: RwSignal::new(i.note.clone()),
        }
    }
    fn input(&self) -> InstalmentInput {
        InstalmentInput {
            id: self.id,
            due_on: self.due_on.get_untracked(),
            amount: self.amount.get_untracked(),
            note: self.note.get_untracked(),
        }
    }
}

#[component]
pub fn NewContractPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read_untracked().get(k).and_then(|v| v.parse::<i64>().ok());
    let (opportunity, quote, customer) = (param("opportunity"), param("quote"), param("customer"));
    let draft = Resource::new(
        move || (opportunity, quote, customer),
        |(opportunity, quote, customer)| async move {
            if opportunity.is_some() || quote.is_some() {
                return new_contract_form(opportunity, quote).await;
            }
            let mut name = String::new();
            if let Some(c) = customer {
                name = crate::customers::api::get_customer(c).await.map(|c| c.name).unwrap_or_default();
            }
            Ok(blank(customer, name))
        },
    );
    view! {
        <Title text=t.t("contract.new")/>
        <PageHeader title=t.t("contract.new")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) => view! { <CreateForm d/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An empty form: signed and starting today, for a year, one instalment in a month.
fn blank(customer: Option<i64>, customer_name: String) -> ContractDraft {
    let today = crate::ui::today_iso();
    let input = ContractInput {
        customer_id: customer,
        currency: Currency::Cny.code().into(),
        signed_on: today.clone(),
        starts_on: today.clone(),
        ends_on: add_months(&today, 12).unwrap_or_default(),
        plan: vec![InstalmentInput { due_on: add_months(&today, 1).unwrap_or_default(), ..Default::default() }],
        ..Default::default()
    };
    ContractDraft { input, customer_name }
}

#[component]
fn CreateForm(d: ContractDraft) -> impl IntoView {
    let navigate = use_navigate();
    let save = Action::new(|input: &ContractInput| {
        let input = input.clone();
        async move { create_contract(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/contracts/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <ContractForm initial=d.input customer_name=d.customer_name on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href="/contracts".to_string()/>
    }
}

#[component]
pub fn EditContractPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_contract(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <EditForm d/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(d: ContractDetail) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (d.contract.id, d.contract.version);
    let save = Action::new(move |input: &ContractInput| {
        let input = input.clone();
        async move { update_contract(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            navigate(&format!("/contracts/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let title = t.t_args("contract.edit_title", &[("number", d.contract.number.clone())]);
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title/>
        <ContractForm initial=d.to_input() customer_name=d.contract.customer_name.clone().unwrap_or_default()
            on_submit=Callback::new(move |i| { save.dispatch(i); })
            pending=save.pending() server_error cancel_href=format!("/contracts/{id}")/>
    }
}

#[component]
fn ContractForm(
    initial: ContractInput,
    customer_name: String,
    on_submit: Callback<ContractInput>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    cancel_href: String,
) -> impl IntoView {
    let t = use_i18n();
    let customer = RwSignal::new(initial.customer_id.map(|c| (c, customer_name)));
    let (opportunity_id, quote_id) = (initial.opportunity_id, initial.quote_id);
    let title = RwSignal::new(initial.title.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let amount = RwSignal::new(initial.amount.clone());
    let signed_on = RwSignal::new(initial.signed_on.clone());
    let starts_on = RwSignal::new(initial.starts_on.clone());
    let ends_on = RwSignal::new(initial.ends_on.clone());
    let terms = RwSignal::new(initial.terms.clone());
    let next_key = StoredValue::new(initial.plan.len() as u64);
    let rows = RwSignal::new(initial.plan.iter().enumerate().map(|(i, p)| Row::new(i as u64, p)).collect::<Vec<_>>());
    let split_n = RwSignal::new(String::from("3"));
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);
    let row_error = move |i: usize, f: &str| {
        let key = format!("plan.{i}.{f}");
        Signal::derive(move || {
            local
                .with(|es| es.iter().find(|e| e.field == key).map(|e| e.code.clone()))
                .or_else(|| server_error.get().and_then(|e| e.field(&key)))
        })
    };
    // Rows are made in the form's owner: the buttons that add them live in views that
    // may be rebuilt.
    let owner = Owner::current().expect("the form runs in a reactive owner");
    let owner_split = owner.clone();
    let add_row = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let last = rows.with_untracked(|r| r.last().map(|r| r.due_on.get_untracked())).unwrap_or_else(|| starts_on.get_untracked());
        let due = add_months(&last, 1).unwrap_or(last);
        let r = owner.with(|| Row::new(key, &InstalmentInput { due_on: due, ..Default::default() }));
        rows.update(|rs| rs.push(r));
    };
    // Replaces the unpaid plan by N monthly instalments from the start date that add up
    // to the amount exactly.
    let split = move |_| {
        let c = Currency::from_code(&currency.get_untracked()).unwrap_or_default();
        let (Some(total), Ok(n)) = (parse_amount(&amount.get_untracked(), c), split_n.get_untracked().trim().parse::<usize>()) else {
            local.set(vec![FieldError::new("amount", "validation.amount")]);
            return;
        };
        let n = n.clamp(1, PLAN_MAX);
        let start = starts_on.get_untracked();
        let parts = split_evenly(total, n);
        let made: Vec<Row> = parts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                let due = add_months(&start, i as i64 + 1).unwrap_or_else(|| start.clone());
                owner_split
                    .with(|| Row::new(key, &InstalmentInput { id: None, due_on: due, amount: plain_amount(*a, c), note: String::new() }))
            })
            .collect();
        local.set(Vec::new());
        rows.set(made);
    };
    // The plan against the amount, as typed.
    let gap = Memo::new(move |_| {
        let c = Currency::from_code(&currency.get()).unwrap_or_default();
        let total = parse_amount(&amount.get(), c)?;
        let planned: i64 = rows.get().iter().map(|r| parse_amount(&r.amount.get(), c).unwrap_or(0)).sum();
        Some((total - planned, c))
    });
    let collect = move || ContractInput {
        customer_id: customer.get_untracked().map(|c| c.0),
        opportunity_id,
        quote_id,
        title: title.get_untracked(),
        currency: currency.get_untracked(),
        amount: amount.get_untracked(),
        signed_on: signed_on.get_untracked(),
        starts_on: starts_on.get_untracked(),
        ends_on: ends_on.get_untracked(),
        terms: terms.get_untracked(),
        plan: rows.get_untracked().iter().map(Row::input).collect(),
    };
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    let entries = move || rows.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <form novalidate class="flex flex-col gap-4" data-testid="contract-form"
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
                <legend class="px-1 font-semibold">{t.t("contract.section.header")}</legend>
                <CustomerPicker customer error=err("customer_id")/>
                <p class="text-sm text-red-600 md:col-span-2">{move || err("customer_id").get().map(|c| t.t(&c))}</p>
                {move || err("opportunity_id").get().or_else(|| err("quote_id").get()).map(|c| view! {
                    <p role="alert" class="text-sm text-red-600 md:col-span-2">{t.t(&c)}</p>
                })}
                <div class="md:col-span-2"><TextField id="title" label=t.t("contract.title") value=title error=err("title") max_len=TITLE_MAX required=true/></div>
                <TextField id="amount" label=t.t("contract.amount") value=amount error=err("amount") inputmode="decimal" required=true/>
                <SelectField id="currency" label=t.t("product.currency") value=currency options=currencies error=err("currency")/>
                <TextField id="signed_on" label=t.t("contract.signed_on") value=signed_on error=err("signed_on") input_type="date" required=true/>
                <TextField id="starts_on" label=t.t("contract.starts_on") value=starts_on error=err("starts_on") input_type="date" required=true/>
                <TextField id="ends_on" label=t.t("contract.ends_on") value=ends_on error=err("ends_on") input_type="date" required=true/>
            </fieldset>

            <fieldset class="rounded-lg border border-slate-200 bg-white p-4" data-testid="contract-plan">
                <legend class="px-1 font-semibold">{t.t("contract.plan")}</legend>
                <div class="mb-3 flex flex-wrap items-end gap-2">
                    <label class="flex flex-col gap-1 text-sm">
                        <span class="font-medium text-slate-700">{t.t("contract.split_count")}</span>
                        <input class="min-h-11 w-24 rounded-md border border-slate-300 px-2 text-base" inputmode="numeric" data-testid="split-count"
                            prop:value=move || split_n.get() on:input=move |ev| split_n.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" class=BTN_SECONDARY data-testid="split-plan" on:click=split>{t.t("contract.split")}</button>
                </div>
                <p class="min-h-5 text-sm text-red-600" role="status">{move || err("plan").get().map(|c| t.t(&c))}</p>
                <ol class="flex flex-col gap-3">
                    <For each=entries key=|(i, r)| (*i, r.key) let:entry>
                        {
                        let (i, r) = entry;
                        view! {
                            <li class="grid grid-cols-2 gap-2 rounded-md border border-slate-200 p-3 lg:grid-cols-[auto_minmax(0,1fr)_minmax(0,1fr)_minmax(0,2fr)_auto]" data-testid="plan-row">
                                <span class="col-span-2 self-center text-sm font-medium text-slate-600 lg:col-span-1">{t.t_args("contract.instalment_n", &[("n", (i + 1).to_string())])}</span>
                                <label class="flex flex-col gap-1 text-sm">
                                    <span class="font-medium text-slate-700">{t.t("contract.due_on")}</span>
                                    <input type="date" class=CELL data-testid="plan-due" prop:value=move || r.due_on.get()
                                        on:input=move |ev| r.due_on.set(event_target_value(&ev))
                                        aria-invalid=move || row_error(i, "due_on").get().is_some().to_string()/>
                                </label>
                                <label class="flex flex-col gap-1 text-sm">
                                    <span class="font-medium text-slate-700">{t.t("contract.instalment_amount")}</span>
                                    <input class=CELL inputmode="decimal" data-testid="plan-amount" prop:value=move || r.amount.get()
                                        on:input=move |ev| r.amount.set(event_target_value(&ev))
                                        aria-invalid=move || row_error(i, "amount").get().is_some().to_string()/>
                                </label>
                                <label class="col-span-2 flex flex-col gap-1 text-sm lg:col-span-1">
                                    <span class="font-medium text-slate-700">{t.t("contract.instalment_note")}</span>
                                    <input class=CELL maxlength="200" prop:value=move || r.note.get() on:input=move |ev| r.note.set(event_target_value(&ev))/>
                                </label>
                                <div class="flex items-end">
                                    <button type="button" class="min-h-11 px-2 text-sm text-red-700 underline"
                                        on:click=move |_| rows.update(|rs| rs.retain(|x| x.key != r.key))>{t.t("quote.line.remove")}</button>
                                </div>
                                <p class="col-span-2 text-sm text-red-600 lg:col-span-5">
                                    {move || ["due_on", "amount", "note"].iter().filter_map(|f| row_error(i, f).get().map(|c| t.t(&c))).collect::<Vec<_>>().join(" ")}
                                </p>
                            </li>
                        }
                        }
                    </For>
                </ol>
                <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
                    <button type="button" class=BTN_SECONDARY data-testid="add-instalment" on:click=add_row>{t.t("contract.add_instalment")}</button>
                    <span data-testid="plan-gap" class=move || if gap.get().is_some_and(|(g, _)| g != 0) { "text-sm font-medium text-amber-800" } else { "text-sm text-green-800" }>
                        {move || gap.get().map(|(g, c)| if g == 0 {
                            t.t("contract.plan_matches")
                        } else {
                            t.t_args("contract.plan_gap", &[("amount", format_amount(g, c))])
                        })}
                    </span>
                </div>
            </fieldset>

            <fieldset class="rounded-lg border border-slate-200 bg-white p-4">
                <legend class="px-1 font-semibold">{t.t("quote.terms")}</legend>
                <TextArea id="terms" label=t.t("contract.terms") value=terms error=err("terms") max_len=TEXT_MAX/>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="contract-save" disabled=move || pending.get()>
                    {move || if pending.get() { t.t("common.saving") } else { t.t("common.save") }}
                </button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}
