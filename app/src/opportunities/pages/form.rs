//! New and edit opportunity forms.
use super::board::{process_label, stage_label};
use crate::contacts::api::list_contacts;
use crate::customers::api::list_customers_by;
use crate::customers::types::ListQuery;
use crate::opportunities::api::{create_opportunity, get_opportunity, sales_processes, update_opportunity};
use crate::opportunities::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::platform::money::Currency;
use crate::ui::{error_text, field_error, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn NewOpportunityPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let customer = query.read_untracked().get("customer").and_then(|v| v.parse::<i64>().ok());
    let save = Action::new(|input: &OpportunityInput| {
        let input = input.clone();
        async move { create_opportunity(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/opportunities/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let initial = OpportunityInput { customer_id: customer, currency: Currency::Cny.code().into(), ..Default::default() };
    let cancel = customer.map(|c| format!("/customers/{c}")).unwrap_or_else(|| "/opportunities".into());
    view! {
        <PageHeader title=t.t("opportunity.new")/>
        <OpportunityForm initial is_new=true on_submit=Callback::new(move |input| { save.dispatch(input); })
            pending=save.pending() server_error cancel_href=cancel/>
    }
}

#[component]
pub fn EditOpportunityPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default());
    let opp = Resource::new(move || id.get(), get_opportunity);
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match opp.await {
                    Ok(o) => view! { <EditForm o/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(o: Opportunity) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (o.id, o.version);
    let save = Action::new(move |input: &OpportunityInput| {
        let input = input.clone();
        async move { update_opportunity(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&format!("/opportunities/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <PageHeader title=t.t_args("opportunity.edit_title", &[("name", o.name.clone())])/>
        <OpportunityForm initial=o.to_input() is_new=false on_submit=Callback::new(move |input| { save.dispatch(input); })
            pending=save.pending() server_error cancel_href=format!("/opportunities/{id}")/>
    }
}

/// Picks the customer of a new opportunity by searching names.
#[component]
pub(crate) fn CustomerPicker(customer: RwSignal<Option<(i64, String)>>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let t = use_i18n();
    let term = RwSignal::new(String::new());
    let results = Resource::new(
        move || term.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                return Ok(Default::default());
            }
            list_customers_by(ListQuery { q: Some(q), ..Default::default() }, None).await
        },
    );
    view! {
        <div class="flex flex-col gap-1 sm:col-span-2">
            {move || match customer.get() {
                Some((_, name)) => view! {
                    <p class="text-sm font-medium text-slate-700">{t.t("opportunity.customer_id")}</p>
                    <div class="flex items-center gap-2">
                        <strong data-testid="picked-customer">{name}</strong>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| customer.set(None)>{t.t("opportunity.change_customer")}</button>
                    </div>
                }.into_any(),
                None => view! {
                    <TextField id="customer-search" label=t.t("opportunity.customer_id") value=term error required=true/>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = results.await.map(|p| p.rows).unwrap_or_default();
                            view! {
                                <ul class="flex flex-col gap-1" aria-label=t.t("opportunity.customer_matches")>
                                    {rows.into_iter().take(8).map(|r| {
                                        let pick = (r.id, r.name.clone());
                                        view! { <li><button type="button" class="min-h-11 w-full rounded-md border border-slate-200 px-3 text-left hover:bg-slate-50"
                                            on:click=move |_| customer.set(Some(pick.clone()))>{r.name.clone()}</button></li> }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                    </Transition>
                }.into_any(),
            }}
            <p class="sr-only">{move || error.get().map(|c| t.t(&c))}</p>
        </div>
    }
}

#[component]
fn OpportunityForm(
    initial: OpportunityInput,
    is_new: bool,
    on_submit: Callback<OpportunityInput>,
    pending: Memo<bool>,
    server_error: Signal<Option<AppError>>,
    cancel_href: String,
) -> impl IntoView {
    let t = use_i18n();
    let name = RwSignal::new(initial.name.clone());
    let customer = RwSignal::new(initial.customer_id.map(|id| (id, String::new())));
    let contact = RwSignal::new(initial.contact_id.map(|c| c.to_string()).unwrap_or_default());
    let process = RwSignal::new(initial.process_id.map(|p| p.to_string()).unwrap_or_default());
    let stage = RwSignal::new(initial.stage_id.map(|s| s.to_string()).unwrap_or_default());
    let amount = RwSignal::new(initial.amount.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let expected_close = RwSignal::new(initial.expected_close.clone());
    let source = RwSignal::new(initial.source.clone());
    let importance = RwSignal::new(initial.importance.clone());
    let needs = RwSignal::new(initial.needs.clone());
    let budget = RwSignal::new(initial.budget.clone());
    let decision_makers = RwSignal::new(initial.decision_makers.clone());
    let competitors = RwSignal::new(initial.competitors.clone());
    let is_private = RwSignal::new(initial.is_private);
    let owner_id = initial.owner_id;
    // Managers pick the owner; everyone else keeps it (the server checks the assign scope).
    let may_assign = crate::ui::can(crate::platform::authz::Entity::Opportunity, crate::platform::authz::Action::Assign);
    let owner = RwSignal::new(owner_id.map(|o| o.to_string()).unwrap_or_default());
    let owners = Resource::new(
        || (),
        move |_| async move {
            match may_assign {
                true => crate::customers::api::list_owner_options().await.unwrap_or_default(),
                false => Vec::new(),
            }
        },
    );
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);
    let processes = Resource::new(|| (), |_| sales_processes());
    let contacts = Resource::new(
        move || customer.get().map(|c| c.0),
        |c| async move {
            match c {
                Some(c) => list_contacts(c).await.map(|l| l.contacts).unwrap_or_default(),
                None => Vec::new(),
            }
        },
    );
    // A customer given in the URL shows its name once known.
    Effect::new(move |_| {
        if let Some((id, n)) = customer.get_untracked() {
            if n.is_empty() {
                leptos::task::spawn_local(async move {
                    if let Ok(c) = crate::customers::api::get_customer(id).await {
                        customer.set(Some((id, c.name)));
                    }
                });
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OpportunityInput {
            name: name.get_untracked(),
            customer_id: customer.get_untracked().map(|c| c.0),
            contact_id: contact.get_untracked().parse().ok(),
            process_id: process.get_untracked().parse().ok(),
            stage_id: stage.get_untracked().parse().ok(),
            amount: amount.get_untracked(),
            currency: currency.get_untracked(),
            expected_close: expected_close.get_untracked(),
            source: source.get_untracked(),
            importance: importance.get_untracked(),
            needs: needs.get_untracked(),
            budget: budget.get_untracked(),
            decision_makers: decision_makers.get_untracked(),
            competitors: competitors.get_untracked(),
            is_private: is_private.get_untracked(),
            owner_id: if may_assign { owner.get_untracked().parse().ok().or(owner_id) } else { owner_id },
        };
        match input.validate() {
            Err(errors) => local.set(errors),
            Ok(_) => {
                local.set(Vec::new());
                on_submit.run(input);
            }
        }
    };
    let currencies: Vec<(String, String)> = Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    let importance_options = move || {
        let mut o = vec![(String::new(), "—".to_string())];
        o.extend(IMPORTANCE.iter().map(|i| (i.to_string(), t.t(&format!("opportunity.importance.{i}")))));
        o
    };
    let general = Signal::derive(move || {
        server_error.get().filter(|e| match e {
            AppError::Validation(es) => es.iter().any(|f| f.field == "stage"),
            _ => true,
        })
    });
    view! {
        <form class="grid max-w-3xl grid-cols-1 gap-x-4 sm:grid-cols-2" on:submit=submit novalidate data-testid="opportunity-form">
            {move || general.get().map(|e| view! {
                <p role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800 sm:col-span-2">
                    {super::board::refusal(t, &e, "")}
                </p>
            })}
            <div class="sm:col-span-2">
                <TextField id="name" label=t.t("opportunity.name") value=name error=err("name") required=true max_len=NAME_MAX/>
            </div>
            {if is_new {
                view! { <CustomerPicker customer error=err("customer_id")/> }.into_any()
            } else {
                ().into_any()
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = contacts.await;
                    let mut options = vec![(String::new(), "—".to_string())];
                    options.extend(list.into_iter().map(|k| (k.id.to_string(), k.name)));
                    view! { <SelectField id="contact" label=t.t("opportunity.contact_id") value=contact options error=err("contact_id")/> }
                })}
            </Suspense>
            {is_new.then(|| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = processes.await.unwrap_or_default();
                        if process.get_untracked().is_empty() {
                            if let Some(p) = list.iter().find(|p| p.is_default).or(list.first()) {
                                process.set(p.id.to_string());
                            }
                        }
                        let p_options: Vec<(String, String)> = list.iter().map(|p| (p.id.to_string(), process_label(t, p))).collect();
                        let stage_options = move || {
                            let pid: Option<i64> = process.get().parse().ok();
                            let mut o = vec![(String::new(), t.t("opportunity.first_stage"))];
                            if let Some(p) = list.iter().find(|p| Some(p.id) == pid) {
                                o.extend(p.stages.iter().filter(|s| s.kind() == StageKind::Open).map(|s| (s.id.to_string(), stage_label(t, s))));
                            }
                            o
                        };
                        view! {
                            <SelectField id="process" label=t.t("pipeline.process") value=process options=p_options error=err("process_id")/>
                            {move || view! { <SelectField id="stage" label=t.t("opportunity.stage") value=stage options=stage_options() error=err("stage_id")/> }}
                        }
                    })}
                </Suspense>
            })}
            <TextField id="amount" label=t.t("opportunity.amount") value=amount error=err("amount") inputmode="decimal"/>
            <SelectField id="currency" label=t.t("opportunity.currency") value=currency options=currencies error=err("currency")/>
            <TextField id="expected_close" label=t.t("opportunity.expected_close") value=expected_close error=err("expected_close") input_type="date"/>
            <SelectField id="importance" label=t.t("opportunity.importance") value=importance options=importance_options() error=err("importance")/>
            {may_assign.then(|| view! {
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let mut options = Vec::new();
                        if is_new {
                            options.push((String::new(), t.t("lead.owner_default")));
                        }
                        options.extend(owners.await.into_iter().map(|o| (o.id.to_string(), o.display_name)));
                        view! { <SelectField id="owner_id" label=t.t("customer.owner") value=owner options error=err("owner_id")/> }
                    })}
                </Transition>
            })}
            <TextField id="source" label=t.t("opportunity.source") value=source error=err("source") max_len=100/>
            <TextField id="budget" label=t.t("opportunity.budget") value=budget error=err("budget") max_len=200/>
            <div class="sm:col-span-2">
                <TextArea id="needs" label=t.t("opportunity.needs") value=needs error=err("needs") max_len=TEXT_MAX/>
            </div>
            <TextArea id="decision_makers" label=t.t("opportunity.decision_makers") value=decision_makers error=err("decision_makers") max_len=TEXT_MAX/>
            <TextArea id="competitors" label=t.t("opportunity.competitors") value=competitors error=err("competitors") max_len=TEXT_MAX/>
            <label class="mb-4 flex min-h-11 items-center gap-2 sm:col-span-2">
                <input type="checkbox" id="is_private" class="h-5 w-5" prop:checked=move || is_private.get() on:change=move |ev| is_private.set(event_target_checked(&ev))/>
                <span>{t.t("opportunity.is_private")}</span>
                <span class="text-sm text-slate-500">{t.t("opportunity.is_private_help")}</span>
            </label>
            <div class="flex gap-2 sm:col-span-2">
                <button type="submit" class=BTN_PRIMARY disabled=move || pending.get()>{t.t("common.save")}</button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}
