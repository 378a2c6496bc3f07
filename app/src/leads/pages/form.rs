//! New and edit lead forms, with the score worked out live as the user types.
use super::ScoreExplanation;
use crate::customers::api::list_owner_options;
use crate::customers::types::OwnerOption;
use crate::dictionaries::api::list_dictionaries;
use crate::dictionaries::types::{DictKind, Dictionaries};
use crate::leads::api::{create_lead, get_lead, update_lead};
use crate::leads::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, field_error, FormAlert, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The people a lead may be given to, for those who may assign (empty otherwise).
fn owner_options_if(allowed: bool) -> Resource<Vec<OwnerOption>> {
    Resource::new(
        move || allowed,
        |yes| async move {
            if yes {
                list_owner_options().await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    )
}

#[component]
pub fn NewLeadPage() -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let can_assign = can(Entity::Lead, Op::Assign);
    let owners = owner_options_if(can_assign);
    let lists = Resource::new(|| (), |_| list_dictionaries());
    let save = Action::new(|input: &LeadInput| {
        let input = input.clone();
        async move { create_lead(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/leads/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.t("lead.new")/>
        <PageHeader title=t.t("lead.new")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let owners = owners.await;
                let lists = lists.await.unwrap_or_default();
                view! {
                    <LeadForm initial=LeadInput::default() channel="form" owners=can_assign.then_some(owners) lists
                        on_submit=Callback::new(move |input| { save.dispatch(input); })
                        pending=save.pending() server_error cancel_href="/leads".to_string() unowned=false/>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditLeadPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let lead = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_lead(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let lists = Resource::new(|| (), |_| list_dictionaries());
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let lists = lists.await.unwrap_or_default();
                match lead.await {
                    Ok(l) => view! { <EditForm l lists/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(l: Lead, lists: Dictionaries) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let (id, version) = (l.id, l.version);
    let owners = owner_options_if(l.can_assign);
    let save = Action::new(move |input: &LeadInput| {
        let input = input.clone();
        async move { update_lead(id, version, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&format!("/leads/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let channel = CHANNELS.iter().copied().find(|c| *c == l.channel).unwrap_or("form");
    let can_assign = l.can_assign;
    let unowned = l.owner_id.is_none();
    let initial = l.to_input();
    let title = t.t_args("lead.edit_title", &[("name", l.name.clone())]);
    view! {
        <Title text=title.clone()/>
        <PageHeader title=title/>
        <Suspense fallback=|| ()>
            {move || {
                let initial = initial.clone();
                let lists = lists.clone();
                Suspend::new(async move {
                    let owners = owners.await;
                    view! {
                        <LeadForm initial channel owners=can_assign.then_some(owners) lists
                            on_submit=Callback::new(move |input| { save.dispatch(input); })
                            pending=save.pending() server_error cancel_href=format!("/leads/{id}") unowned/>
                    }
                })
            }}
        </Suspense>
    }
}

/// The create / edit form. Checks in the browser with the server's rules, shows the
/// server's answer next to each field, and keeps what was typed on a conflict.
#[component]
fn LeadForm(
    initial: LeadInput,
    /// How the lead came in (the score counts web leads as inbound).
    channel: &'static str,
    /// Owner choices; `None` hides the owner field.
    owners: Option<Vec<OwnerOption>>,
    lists: Dictionaries,
    on_submit: Callback<LeadInput>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    cancel_href: String,
    /// The lead is in the pool: the empty owner choice keeps it there.
    unowned: bool,
) -> impl IntoView {
    let t = use_i18n();
    let name = RwSignal::new(initial.name.clone());
    let company = RwSignal::new(initial.company.clone());
    let title = RwSignal::new(initial.title.clone());
    let mobile = RwSignal::new(initial.mobile.clone());
    let phone = RwSignal::new(initial.phone.clone());
    let email = RwSignal::new(initial.email.clone());
    let region = RwSignal::new(initial.region.clone());
    let industry = RwSignal::new(initial.industry.clone());
    let source = RwSignal::new(initial.source.clone());
    let needs = RwSignal::new(initial.needs.clone());
    let notes = RwSignal::new(initial.notes.clone());
    let owner = RwSignal::new(initial.owner_id.map(|o| o.to_string()).unwrap_or_default());
    let (initial_owner, may_pick_owner) = (initial.owner_id, owners.is_some());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let err = move |f: &'static str| field_error(local, server_error, f);
    let collect = move || LeadInput {
        name: name.get_untracked(),
        company: company.get_untracked(),
        title: title.get_untracked(),
        mobile: mobile.get_untracked(),
        phone: phone.get_untracked(),
        email: email.get_untracked(),
        region: region.get_untracked(),
        industry: industry.get_untracked(),
        source: source.get_untracked(),
        needs: needs.get_untracked(),
        notes: notes.get_untracked(),
        // None keeps the owner: sent unless the user picked someone else.
        owner_id: owner.get_untracked().parse().ok().filter(|o| may_pick_owner && Some(*o) != initial_owner),
    };
    // The same rules the server scores by, on what is typed now.
    let preview = move || {
        let values = [company, title, mobile, phone, email, region, industry, source, needs].map(|s| s.get());
        let [company, title, mobile, phone, email, region, industry, source, needs] = &values;
        score_parts(ScoreFacts {
            company: Some(company),
            title: Some(title),
            mobile: Some(mobile),
            phone: Some(phone),
            email: Some(email),
            region: Some(region),
            industry: Some(industry),
            source: Some(source),
            channel,
            needs: Some(needs),
        })
    };
    let owner_field = owners.map(|list| {
        // The empty choice keeps a pooled lead in the pool and gives a new one to its creator.
        let mut options = Vec::new();
        if unowned {
            options.push((String::new(), t.t("lead.pool")));
        } else if initial_owner.is_none() {
            options.push((String::new(), t.t("lead.owner_default")));
        }
        options.extend(list.into_iter().map(|o| (o.id.to_string(), o.display_name)));
        view! { <SelectField id="owner_id" label=t.t("lead.owner") value=owner options error=err("owner_id")/> }
    });
    let datalist = |id: &'static str, kind: DictKind| {
        view! { <datalist id=id>{lists.names(kind).into_iter().map(|n| view! { <option value=n/> }).collect_view()}</datalist> }
    };
    view! {
        <form novalidate class="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start" data-testid="lead-form"
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
            <div class="flex min-w-0 flex-col gap-4">
                <FormAlert server_error local/>
                <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                    <legend class="px-1 font-semibold">{t.t("lead.section.person")}</legend>
                    <TextField id="name" label=t.t("lead.name") value=name error=err("name") max_len=NAME_MAX required=true autocomplete="off"/>
                    <TextField id="company" label=t.t("lead.company") value=company error=err("company") max_len=COMPANY_MAX/>
                    <TextField id="title" label=t.t("lead.job_title") value=title error=err("title") max_len=100/>
                    <TextField id="mobile" label=t.t("lead.mobile") value=mobile error=err("mobile") max_len=40 input_type="tel"/>
                    <TextField id="phone" label=t.t("lead.phone") value=phone error=err("phone") max_len=40 input_type="tel"/>
                    <TextField id="email" label=t.t("lead.email") value=email error=err("email") max_len=200 input_type="email"/>
                    <p class="-mt-3 mb-2 text-sm text-slate-600 md:col-span-2">{t.t("lead.reach_hint")}</p>
                </fieldset>
                <fieldset class="grid grid-cols-1 gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                    <legend class="px-1 font-semibold">{t.t("lead.section.origin")}</legend>
                    <TextField id="region" label=t.t("lead.region") value=region error=err("region") max_len=100 list="lead-region-list"/>
                    <TextField id="industry" label=t.t("lead.industry") value=industry error=err("industry") max_len=100 list="lead-industry-list"/>
                    <TextField id="source" label=t.t("lead.source") value=source error=err("source") max_len=100 list="lead-source-list"/>
                    {datalist("lead-region-list", DictKind::Region)}
                    {datalist("lead-industry-list", DictKind::Industry)}
                    {datalist("lead-source-list", DictKind::Source)}
                    {owner_field}
                    <div class="md:col-span-2">
                        <TextArea id="needs" label=t.t("lead.needs") value=needs error=err("needs") max_len=TEXT_MAX/>
                    </div>
                    <div class="md:col-span-2">
                        <TextArea id="notes" label=t.t("lead.notes") value=notes error=err("notes") max_len=TEXT_MAX/>
                    </div>
                </fieldset>
            </div>
            <section class="rounded-lg border border-slate-200 bg-white p-4 lg:sticky lg:top-16" aria-labelledby="score-preview-title"
                data-testid="score-preview">
                <h2 id="score-preview-title" class="mb-2 font-semibold">{t.t("lead.score_preview")}</h2>
                {move || view! { <ScoreExplanation t parts=preview()/> }}
                <p class="mt-2 text-xs text-slate-500">{t.t("lead.score_help")}</p>
            </section>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0 lg:col-span-2">
                <button type="submit" class=BTN_PRIMARY data-testid="lead-save" disabled=move || pending.get()>
                    {move || if pending.get() { t.t("common.saving") } else { t.t("common.save") }}
                </button>
                <A href=cancel_href attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}
