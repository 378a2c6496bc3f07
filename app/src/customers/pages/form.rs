use super::detail::customer_from_url;
use crate::customers::api::{check_customer_duplicates, create_customer, list_owner_options, update_customer};
use crate::customers::dedup::DuplicateHit;
use crate::customers::types::*;
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::{DictKind, Dictionaries};
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, use_session, FormAlert, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let owners = Resource::new(|| (), |_| list_owner_options());
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let save = Action::new(|input: &CustomerInput| {
        let input = input.clone();
        async move { create_customer(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/customers/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let me = use_session().me.map(|m| m.id);
    let initial = CustomerInput { kind: "company".into(), status: "potential".into(), owner_id: me, ..Default::default() };
    view! {
        <PageHeader title=t.t("customers.new")/>
        <Suspense fallback=|| ()>
            {move || {
                let initial = initial.clone();
                Suspend::new(async move {
                    let owners = owners.await.unwrap_or_default();
                    let lists = lists.await.unwrap_or_default();
                    view! {
                        <CustomerForm
                            initial
                            owners
                            lists
                            can_assign=can(Entity::Customer, Op::Assign)
                            on_submit=Callback::new(move |input| { save.dispatch(input); })
                            pending=save.pending()
                            server_error
                            cancel_href="/customers".to_string()
                            exclude_id=None
                        />
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn EditCustomerPage() -> impl IntoView {
    let t = use_i18n();
    let detail = customer_from_url();
    let owners = Resource::new(|| (), |_| list_owner_options());
    let lists = Resource::new(|| (), |_| list_dictionaries());
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let owners = owners.await.unwrap_or_default();
                let lists = lists.await.unwrap_or_default();
                match detail.await {
                    Ok(c) => view! { <EditForm c owners lists/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(c: CustomerDetail, owners: Vec<OwnerOption>, lists: Dictionaries) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (c.id, c.version);
    let save = Action::new(move |input: &CustomerInput| {
        let input = input.clone();
        async move { update_customer(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            navigate(&format!("/customers/{}", saved.id), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <PageHeader title=t.t_args("customers.edit_title", &[("name", c.name.clone())])/>
        <CustomerForm
            initial=c.to_input()
            owners
            lists
            can_assign=c.can_assign
            on_submit=Callback::new(move |input| { save.dispatch(input); })
            pending=save.pending()
            server_error
            cancel_href=format!("/customers/{id}")
            exclude_id=Some(id)
        />
    }
}

/// The create / edit form. Validates in the browser with the same rules as the
/// server, then submits; server errors show next to their fields, and a
/// conflict keeps everything typed so nothing is lost.
#[component]
fn CustomerForm(
    initial: CustomerInput,
    owners: Vec<OwnerOption>,
    lists: Dictionaries,
    can_assign: bool,
    on_submit: Callback<CustomerInput>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    cancel_href: String,
    exclude_id: Option<i64>,
) -> impl IntoView {
    let t = use_i18n();
    // Possible duplicates found for the input as it was last submitted; saving again
    // without changes after seeing them means "save anyway".
    let duplicates = RwSignal::new(Vec::<DuplicateHit>::new());
    let acknowledged = RwSignal::new(None::<CustomerInput>);
    let checking = RwSignal::new(false);
    let name = RwSignal::new(initial.name.clone());
    let short_name = RwSignal::new(initial.short_name.clone());
    let kind = RwSignal::new(initial.kind.clone());
    let code = RwSignal::new(initial.code.clone());
    let status = RwSignal::new(initial.status.clone());
    let industry = RwSignal::new(initial.industry.clone());
    let region = RwSignal::new(initial.region.clone());
    let source = RwSignal::new(initial.source.clone());
    let address = RwSignal::new(initial.address.clone());
    let phone = RwSignal::new(initial.phone.clone());
    let email = RwSignal::new(initial.email.clone());
    let website = RwSignal::new(initial.website.clone());
    let tax_id = RwSignal::new(initial.tax_id.clone());
    let notes = RwSignal::new(initial.notes.clone());
    let owner = RwSignal::new(initial.owner_id.map(|o| o.to_string()).unwrap_or_default());
    let level = RwSignal::new(initial.level.clone());
    let category = RwSignal::new(initial.category.clone());
    let group = RwSignal::new(initial.customer_group.clone());
    let tags = RwSignal::new(initial.tags.clone());
    let bank_name = RwSignal::new(initial.bank_name.clone());
    let bank_account = RwSignal::new(initial.bank_account.clone());
    let credit_limit = RwSignal::new(initial.credit_limit.clone());
    let credit_currency =
        RwSignal::new(if initial.credit_currency.is_empty() { "CNY".to_string() } else { initial.credit_currency.clone() });
    let credit_days = RwSignal::new(initial.credit_days.clone());
    let credit_control = RwSignal::new(initial.credit_control.clone());
    let relationship = RwSignal::new(initial.relationship.clone());
    let rating = RwSignal::new(initial.rating.clone());
    let evaluation = RwSignal::new(initial.evaluation.clone());
    let local_errors = RwSignal::new(Vec::<FieldError>::new());

    let collect = move || CustomerInput {
        name: name.get_untracked(),
        short_name: short_name.get_untracked(),
        kind: kind.get_untracked(),
        code: code.get_untracked(),
        status: status.get_untracked(),
        industry: industry.get_untracked(),
        region: region.get_untracked(),
        source: source.get_untracked(),
        address: address.get_untracked(),
        phone: phone.get_untracked(),
        email: email.get_untracked(),
        website: website.get_untracked(),
        tax_id: tax_id.get_untracked(),
        notes: notes.get_untracked(),
        owner_id: owner.get_untracked().parse().ok(),
        level: level.get_untracked(),
        category: category.get_untracked(),
        customer_group: group.get_untracked(),
        tags: tags.get_untracked(),
        bank_name: bank_name.get_untracked(),
        bank_account: bank_account.get_untracked(),
        credit_limit: credit_limit.get_untracked(),
        credit_currency: credit_currency.get_untracked(),
        credit_days: credit_days.get_untracked(),
        credit_control: credit_control.get_untracked(),
        relationship: relationship.get_untracked(),
        rating: rating.get_untracked(),
        evaluation: evaluation.get_untracked(),
    };
    let err = move |f: &'static str| crate::ui::field_error(local_errors, server_error, f);
    let kind_options: Vec<(String, String)> =
        CustomerKind::ALL.iter().map(|k| (k.code().to_string(), t.t(&format!("customer.kind.{}", k.code())))).collect();
    let status_options: Vec<(String, String)> =
        CustomerStatus::ALL.iter().map(|s| (s.code().to_string(), t.t(&format!("customer.status.{}", s.code())))).collect();
    let owner_options: Vec<(String, String)> = owners.iter().map(|o| (o.id.to_string(), o.display_name.clone())).collect();
    // Closed lists offer their active items plus the record's current value (it may have been hidden since).
    let list_options = |kind: DictKind, current: &str| {
        let mut v = vec![(String::new(), "—".to_string())];
        let mut names = lists.names(kind);
        if !current.is_empty() && !names.iter().any(|n| n == current) {
            names.push(current.to_string());
        }
        v.extend(names.into_iter().map(|n| (n.clone(), n)));
        v
    };
    let level_options = list_options(DictKind::Level, &initial.level);
    let category_options = list_options(DictKind::Category, &initial.category);
    let group_options = list_options(DictKind::Group, &initial.customer_group);
    let choice = |prefix: &str, codes: &[&str]| {
        let mut v = vec![(String::new(), "—".to_string())];
        v.extend(codes.iter().map(|c| (c.to_string(), t.t(&format!("{prefix}.{c}")))));
        v
    };
    let control_options = choice("customer.credit_control", &CREDIT_CONTROLS);
    let relationship_options = choice("customer.relationship", &RELATIONSHIPS);
    let rating_options = choice("customer.rating", &["1", "2", "3", "4", "5"]);
    let currency_options: Vec<(String, String)> =
        crate::platform::money::Currency::ALL.iter().map(|c| (c.code().to_string(), c.code().to_string())).collect();
    let datalist = |id: &'static str, kind: DictKind| {
        view! { <datalist id=id>{lists.names(kind).into_iter().map(|n| view! { <option value=n/> }).collect_view()}</datalist> }
    };

    view! {
        <form
            novalidate
            class="flex flex-col gap-4"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = collect();
                match input.validate() {
                    Ok(_) => {
                        local_errors.set(Vec::new());
                        if acknowledged.get_untracked().as_ref() == Some(&input) {
                            on_submit.run(input);
                            return;
                        }
                        checking.set(true);
                        leptos::task::spawn_local(async move {
                            let hits = check_customer_duplicates(input.clone(), exclude_id).await.unwrap_or_default();
                            checking.set(false);
                            if hits.is_empty() {
                                duplicates.set(Vec::new());
                                on_submit.run(input);
                            } else {
                                duplicates.set(hits);
                                acknowledged.set(Some(input));
                            }
                        });
                    }
                    Err(errs) => local_errors.set(errs),
                }
            }
        >
            <FormAlert server_error local=local_errors/>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("customers.section.basic")}</legend>
                <TextField id="name" label=t.t("customer.name") value=name error=err("name") max_len=NAME_MAX required=true/>
                <TextField id="short_name" label=t.t("customer.short_name") value=short_name error=err("short_name") max_len=SHORT_NAME_MAX/>
                <SelectField id="kind" label=t.t("customer.kind") value=kind options=kind_options error=err("kind")/>
                <SelectField id="status" label=t.t("customer.status") value=status options=status_options error=err("status")/>
                <TextField id="code" label=t.t("customer.code") value=code error=err("code") max_len=CODE_MAX/>
                <TextField id="tax_id" label=t.t("customer.tax_id") value=tax_id error=err("tax_id") max_len=TAX_ID_MAX/>
                <TextField id="industry" label=t.t("customer.industry") value=industry error=err("industry") max_len=TEXT_MAX list="industry-list"/>
                <TextField id="region" label=t.t("customer.region") value=region error=err("region") max_len=TEXT_MAX list="region-list"/>
                <TextField id="source" label=t.t("customer.source") value=source error=err("source") max_len=TEXT_MAX list="source-list"/>
                {datalist("industry-list", DictKind::Industry)}
                {datalist("region-list", DictKind::Region)}
                {datalist("source-list", DictKind::Source)}
                {can_assign.then(|| view! { <SelectField id="owner_id" label=t.t("customer.owner") value=owner options=owner_options error=err("owner_id")/> })}
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("customers.section.contact")}</legend>
                <TextField id="phone" label=t.t("customer.phone") value=phone error=err("phone") max_len=PHONE_MAX input_type="tel"/>
                <TextField id="email" label=t.t("customer.email") value=email error=err("email") max_len=EMAIL_MAX input_type="email"/>
                <TextField id="website" label=t.t("customer.website") value=website error=err("website") max_len=WEBSITE_MAX/>
                <TextField id="address" label=t.t("customer.address") value=address error=err("address") max_len=ADDRESS_MAX/>
                <div class="md:col-span-2">
                    <TextArea id="notes" label=t.t("customer.notes") value=notes error=err("notes") max_len=NOTES_MAX/>
                </div>
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("customers.section.classification")}</legend>
                <SelectField id="level" label=t.t("customer.level") value=level options=level_options error=err("level")/>
                <SelectField id="category" label=t.t("customer.category") value=category options=category_options error=err("category")/>
                <SelectField id="customer_group" label=t.t("customer.customer_group") value=group options=group_options error=err("customer_group")/>
                <TextField id="tags" label=t.t("customer.tags") value=tags error=err("tags")/>
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("customers.section.financial")}</legend>
                <TextField id="bank_name" label=t.t("customer.bank_name") value=bank_name error=err("bank_name") max_len=BANK_MAX/>
                <TextField id="bank_account" label=t.t("customer.bank_account") value=bank_account error=err("bank_account") max_len=40/>
                <TextField id="credit_limit" label=t.t("customer.credit_limit") value=credit_limit error=err("credit_limit") input_type="text" inputmode="decimal"/>
                <SelectField id="credit_currency" label=t.t("customer.credit_currency") value=credit_currency options=currency_options error=err("credit_currency")/>
                <TextField id="credit_days" label=t.t("customer.credit_days") value=credit_days error=err("credit_days") inputmode="numeric"/>
                <SelectField id="credit_control" label=t.t("customer.credit_control") value=credit_control options=control_options error=err("credit_control")/>
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("customers.section.evaluation")}</legend>
                <SelectField id="relationship" label=t.t("customer.relationship") value=relationship options=relationship_options error=err("relationship")/>
                <SelectField id="rating" label=t.t("customer.rating") value=rating options=rating_options error=err("rating")/>
                <div class="md:col-span-2">
                    <TextArea id="evaluation" label=t.t("customer.evaluation") value=evaluation error=err("evaluation") max_len=EVALUATION_MAX/>
                </div>
            </fieldset>
            <DuplicateWarning duplicates/>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY disabled=move || pending.get() || checking.get()>
                    {move || {
                        if pending.get() || checking.get() {
                            t.t("common.saving")
                        } else if !duplicates.get().is_empty() {
                            t.t("dedup.save_anyway")
                        } else {
                            t.t("common.save")
                        }
                    }}
                </button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}

/// Lists possible duplicates with their score and the reasons, linking those the user may open.
#[component]
fn DuplicateWarning(duplicates: RwSignal<Vec<DuplicateHit>>) -> impl IntoView {
    let t = use_i18n();
    move || {
        let hits = duplicates.get();
        (!hits.is_empty()).then(|| {
            view! {
                <section role="alert" aria-labelledby="dup-title" class="rounded-lg border border-amber-400 bg-amber-50 p-4 text-amber-950">
                    <h2 id="dup-title" class="font-semibold">{t.t("dedup.title")}</h2>
                    <p class="mb-2 text-sm">{t.t("dedup.help")}</p>
                    <ul class="flex flex-col gap-2">
                        {hits
                            .into_iter()
                            .map(|h| {
                                let reasons = h.reasons.iter().map(|r| t.t(r.key())).collect::<Vec<_>>().join("、");
                                view! {
                                    <li class="rounded-md bg-white p-2">
                                        {match h.id {
                                            Some(id) => view! { <A href=format!("/customers/{id}") attr:class="font-medium text-blue-800 underline">{h.name.clone()}</A> }.into_any(),
                                            None => view! { <span class="font-medium">{h.name.clone()}</span> }.into_any(),
                                        }}
                                        <span class="ml-2 text-sm">{t.t_args("dedup.score", &[("n", h.score.to_string())])}</span>
                                        <div class="text-sm text-slate-700">
                                            {reasons}
                                            {h.owner_name.clone().map(|o| view! { <span class="ml-2">{t.t_args("dedup.owner", &[("name", o)])}</span> })}
                                            {h.id.is_none().then(|| view! { <span class="ml-2 text-slate-500">{t.t("dedup.not_visible")}</span> })}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
