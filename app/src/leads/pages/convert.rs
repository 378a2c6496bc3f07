//! Converting a lead: check the customer name against existing customers, pick one of
//! them or confirm a new one, and optionally open an opportunity, in one request.
use super::problem_text;
use crate::customers::dedup::DuplicateHit;
use crate::leads::api::{convert_lead, lead_duplicates};
use crate::leads::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::Currency;
use crate::ui::{field_error, SelectField, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;

/// Fields of the panel; refusals about anything else show above it.
const FIELDS: [&str; 5] = ["customer_name", "opportunity_name", "amount", "currency", "expected_close"];

/// The opportunity name conversion proposes: "<customer> · <person>".
fn opportunity_default(customer: &str, person: &str) -> String {
    let customer = customer.trim();
    if customer.is_empty() || customer == person.trim() {
        person.trim().to_string()
    } else {
        format!("{customer} · {}", person.trim())
    }
}

#[component]
pub fn ConvertPanel(l: Lead, notice: RwSignal<Option<String>>, on_done: Callback<Converted>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (l.id, l.version);
    let person = StoredValue::new(l.name.clone());
    let customer_name = RwSignal::new(l.customer_name());
    // Possible duplicates of the customer name; None until checked.
    let hits = RwSignal::new(None::<Vec<DuplicateHit>>);
    let checking = RwSignal::new(false);
    let check_error = RwSignal::new(None::<AppError>);
    // "new", "" (not chosen yet) or the id of an existing customer.
    let choice = RwSignal::new("new".to_string());
    let create_opp = RwSignal::new(true);
    let opp_name = RwSignal::new(opportunity_default(&l.customer_name(), &l.name));
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new(Currency::default().code().to_string());
    let expected_close = RwSignal::new(String::new());
    let local = RwSignal::new(Vec::<FieldError>::new());

    // The customer the lead will join: the chosen existing one, else the typed name.
    let target_name = move || {
        let chosen: Option<i64> = choice.get().parse().ok();
        chosen
            .and_then(|c| hits.with(|h| h.as_ref().and_then(|h| h.iter().find(|x| x.id == Some(c)).map(|x| x.name.clone()))))
            .unwrap_or_else(|| customer_name.get())
    };
    // The opportunity name follows the customer until the user edits it.
    Effect::new(move |prev: Option<String>| {
        let auto = person.with_value(|p| opportunity_default(&target_name(), p));
        if let Some(prev) = prev {
            if opp_name.get_untracked() == prev {
                opp_name.set(auto.clone());
            }
        }
        auto
    });
    // Another name needs another check.
    Effect::new(move |prev: Option<String>| {
        let name = customer_name.get();
        if prev.is_some_and(|p| p != name) {
            hits.set(None);
            choice.set("new".into());
        }
        name
    });
    let check = move || {
        let name = customer_name.get_untracked();
        checking.set(true);
        leptos::task::spawn_local(async move {
            let r = lead_duplicates(id, name).await;
            checking.set(false);
            match r {
                Ok(found) => {
                    check_error.set(None);
                    // With possible duplicates the user must say which customer they mean.
                    choice.set(if found.is_empty() { "new".into() } else { String::new() });
                    hits.set(Some(found));
                }
                Err(e) => check_error.set(Some(e)),
            }
        });
    };

    let convert = Action::new(move |input: &ConvertInput| {
        let input = input.clone();
        async move { convert_lead(id, version, input).await }
    });
    Effect::new(move |_| match convert.value().get() {
        Some(Ok(c)) => {
            notice.set(Some(t.t("lead.converted_notice")));
            on_done.run(c);
        }
        Some(Err(e)) if e.field("customer_name").as_deref() == Some("lead.duplicates") => check(),
        _ => {}
    });
    let server_error = Signal::derive(move || convert.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let general = move || {
        server_error.get().and_then(|e| match &e {
            AppError::Validation(errors) => {
                let other: Vec<FieldError> = errors.iter().filter(|f| !FIELDS.contains(&f.field.as_str())).cloned().collect();
                (!other.is_empty()).then(|| problem_text(t, &AppError::Validation(other)))
            }
            _ => Some(problem_text(t, &e)),
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = hits.with_untracked(|h| h.as_ref().is_some_and(|h| !h.is_empty()));
        let chosen = choice.get_untracked();
        if found && chosen.is_empty() {
            local.set(vec![FieldError::new("customer_name", "lead.duplicates")]);
            return;
        }
        let input = ConvertInput {
            customer_id: chosen.parse().ok(),
            customer_name: customer_name.get_untracked(),
            confirm_new: found && chosen == "new",
            create_opportunity: create_opp.get_untracked(),
            opportunity_name: opp_name.get_untracked(),
            amount: amount.get_untracked(),
            currency: currency.get_untracked(),
            expected_close: expected_close.get_untracked(),
        };
        match input.validate() {
            Ok(_) => {
                local.set(Vec::new());
                convert.dispatch(input);
            }
            Err(errors) => local.set(errors),
        }
    };
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();

    let hit_list = move || {
        hits.get().map(|found| {
            if found.is_empty() {
                return view! { <p class="mb-3 text-sm text-slate-700" data-testid="no-duplicates">{t.t("lead.no_duplicates")}</p> }.into_any();
            }
            view! {
                <fieldset class="mb-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-amber-950" data-testid="convert-duplicates">
                    <legend class="px-1 font-semibold">{t.t("dedup.title")}</legend>
                    <p class="mb-2 text-sm">{t.t("lead.duplicates_help")}</p>
                    <ul class="flex flex-col gap-2">
                        {found.into_iter().map(|h| {
                            let reasons = h.reasons.iter().map(|r| t.t(r.key())).collect::<Vec<_>>().join("、");
                            let details = view! {
                                <span class="ml-1 text-sm">{t.t_args("dedup.score", &[("n", h.score.to_string())])}</span>
                                <span class="block text-sm text-slate-700">
                                    {reasons}
                                    {h.owner_name.clone().map(|o| view! { <span class="ml-2">{t.t_args("dedup.owner", &[("name", o)])}</span> })}
                                </span>
                            };
                            match h.id {
                                Some(cid) => {
                                    let value = cid.to_string();
                                    let (checked_value, chosen_value) = (value.clone(), value.clone());
                                    view! {
                                        <li class="rounded-md bg-white p-2" data-testid="dup-hit">
                                            <label class="flex min-h-11 cursor-pointer items-start gap-2">
                                                <input type="radio" name="convert-customer" class="mt-1 h-5 w-5 shrink-0" value=value
                                                    data-testid="use-customer"
                                                    prop:checked=move || choice.get() == checked_value
                                                    on:change=move |_| choice.set(chosen_value.clone())/>
                                                <span class="min-w-0">
                                                    <span class="font-medium">{t.t_args("lead.use_customer", &[("name", h.name.clone())])}</span>
                                                    {details}
                                                </span>
                                            </label>
                                            <a href=format!("/customers/{cid}") target="_blank" rel="noopener"
                                                class="ml-7 inline-block min-h-11 py-2 text-sm text-blue-800 underline">{t.t("lead.open_customer")}</a>
                                        </li>
                                    }.into_any()
                                }
                                None => view! {
                                    <li class="rounded-md bg-white p-2" data-testid="dup-hit">
                                        <span class="font-medium">{h.name.clone()}</span>
                                        {details}
                                        <span class="block text-sm text-slate-500">{t.t("dedup.not_visible")}</span>
                                    </li>
                                }.into_any(),
                            }
                        }).collect_view()}
                        <li class="rounded-md bg-white p-2">
                            <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                <input type="radio" name="convert-customer" class="h-5 w-5 shrink-0" value="new" data-testid="create-new-customer"
                                    prop:checked=move || choice.get() == "new" on:change=move |_| choice.set("new".into())/>
                                <span class="font-medium">{t.t("lead.create_new_customer")}</span>
                            </label>
                        </li>
                    </ul>
                </fieldset>
            }.into_any()
        })
    };

    view! {
        <form id="convert-panel" novalidate class="mb-4 rounded-lg border border-blue-300 bg-white p-4" data-testid="convert-panel"
            aria-labelledby="convert-title" on:submit=submit>
            <h2 id="convert-title" class="mb-1 font-semibold">{t.t("lead.convert_title")}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.t("lead.convert_help")}</p>
            {move || general().map(|g| view! {
                <p role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">{g}</p>
            })}
            <div class="flex flex-col gap-2 sm:flex-row sm:items-start">
                <div class="min-w-0 flex-1">
                    <TextField id="convert-customer-name" label=t.t("lead.customer_name") value=customer_name error=err("customer_name")
                        max_len=COMPANY_MAX required=true/>
                </div>
                <button type="button" class=format!("{BTN_SECONDARY} sm:mt-6") data-testid="convert-check" disabled=move || checking.get()
                    on:click=move |_| check()>
                    {move || if checking.get() { t.t("lead.checking") } else { t.t("lead.check_duplicates") }}
                </button>
            </div>
            {move || check_error.get().map(|e| view! { <p role="alert" class="mb-2 text-sm text-red-700">{problem_text(t, &e)}</p> })}
            {hit_list}
            <label class="mb-2 flex min-h-11 cursor-pointer items-center gap-2">
                <input type="checkbox" id="convert-create-opportunity" class="h-5 w-5" data-testid="create-opportunity"
                    prop:checked=move || create_opp.get() on:change=move |ev| create_opp.set(event_target_checked(&ev))/>
                <span>{t.t("lead.create_opportunity")}</span>
            </label>
            <Show when=move || create_opp.get()>
                <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
                    <div class="sm:col-span-2">
                        <TextField id="convert-opportunity-name" label=t.t("lead.opportunity_name") value=opp_name error=err("opportunity_name")
                            max_len=crate::opportunities::types::NAME_MAX required=true/>
                    </div>
                    <TextField id="convert-amount" label=t.t("opportunity.amount") value=amount error=err("amount") inputmode="decimal"/>
                    <SelectField id="convert-currency" label=t.t("opportunity.currency") value=currency options=currencies.clone() error=err("currency")/>
                    <TextField id="convert-expected-close" label=t.t("opportunity.expected_close") value=expected_close error=err("expected_close")
                        input_type="date"/>
                </div>
            </Show>
            <div class="flex flex-wrap gap-2">
                <button type="submit" class=BTN_PRIMARY data-testid="convert-submit" disabled=move || convert.pending().get() || checking.get()>
                    {move || if convert.pending().get() { t.t("common.saving") } else { t.t("lead.convert_submit") }}
                </button>
            </div>
        </form>
    }
}
