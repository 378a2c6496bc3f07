//! Contacts on the customer page (cards, form, reports-to chart) and the birthday list.
use crate::contacts::api::{create_contact, list_contacts, set_contact_deleted, upcoming_birthdays, update_contact};
use crate::contacts::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{error_text, ErrorBanner, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Which contact form is open: none, a new contact, or an existing one.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    Closed,
    New,
    Existing(Box<Contact>),
}

/// The contacts section of the customer 360° page.
#[component]
pub fn ContactsSection(customer_id: i64, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(move || customer_id, list_contacts);
    let editing = RwSignal::new(Editing::Closed);
    let undo = RwSignal::new(None::<(i64, String)>);
    let error = RwSignal::new(None::<AppError>);
    let remove = Action::new(move |(id, deleted): &(i64, bool)| {
        let (id, deleted) = (*id, *deleted);
        async move { set_contact_deleted(id, deleted).await }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            error.set(None);
            data.refetch();
            on_change.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let saved = Callback::new(move |_: ()| {
        editing.set(Editing::Closed);
        data.refetch();
        on_change.run(());
    });
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="contacts-title" data-testid="contacts">
            <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                        Ok(cc) => {
                            let can_edit = cc.can_edit;
                            let contacts = cc.contacts.clone();
                            let chart = org_chart(&contacts);
                            let has_chart = contacts.iter().any(|c| c.reports_to_id.is_some());
                            let all = contacts.clone();
                            view! {
                                <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                                    <h2 id="contacts-title" class="font-semibold">
                                        {t.t("contacts.title")} " " <span class="text-slate-500">{format!("({})", contacts.len())}</span>
                                    </h2>
                                    {can_edit.then(|| view! {
                                        <button type="button" class=BTN_SECONDARY on:click=move |_| editing.set(Editing::New)>
                                            {t.t("contacts.add")}
                                        </button>
                                    })}
                                </div>
                                <ErrorBanner error=error/>
                                {move || undo.get().map(|(id, name)| view! {
                                    <div role="status" class="mb-3 flex flex-wrap items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
                                        <span>{t.t_args("contacts.deleted", &[("name", name)])}</span>
                                        <button type="button" class=BTN_SECONDARY on:click=move |_| { undo.set(None); remove.dispatch((id, false)); }>
                                            {t.t("common.undo")}
                                        </button>
                                    </div>
                                })}
                                {
                                    let all = all.clone();
                                    move || match editing.get() {
                                        Editing::Closed => None,
                                        Editing::New => Some(view! {
                                            <ContactForm customer_id contact=None others=all.clone() on_saved=saved on_cancel=Callback::new(move |_| editing.set(Editing::Closed))/>
                                        }),
                                        Editing::Existing(c) => Some(view! {
                                            <ContactForm customer_id contact=Some(*c) others=all.clone() on_saved=saved on_cancel=Callback::new(move |_| editing.set(Editing::Closed))/>
                                        }),
                                    }
                                }
                                {contacts.is_empty().then(|| view! { <p class="text-slate-500">{t.t("contacts.none")}</p> })}
                                <ul class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                                    {contacts.into_iter().map(|c| {
                                        let c2 = c.clone();
                                        let (id, name) = (c.id, c.name.clone());
                                        view! {
                                            <li>
                                                <ContactCard c>
                                                    {can_edit.then(|| {
                                                        let c2 = c2.clone();
                                                        let name = name.clone();
                                                        view! {
                                                            <div class="mt-2 flex gap-2">
                                                                <button type="button" class="min-h-11 px-2 text-sm text-blue-700 underline" on:click=move |_| editing.set(Editing::Existing(Box::new(c2.clone())))>
                                                                    {t.t("common.edit")}
                                                                </button>
                                                                <button type="button" class="min-h-11 px-2 text-sm text-red-700 underline" on:click=move |_| {
                                                                    undo.set(Some((id, name.clone())));
                                                                    remove.dispatch((id, true));
                                                                }>
                                                                    {t.t("common.delete")}
                                                                </button>
                                                            </div>
                                                        }
                                                    })}
                                                </ContactCard>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {has_chart.then(|| view! {
                                    <div class="mt-4" data-testid="org-chart">
                                        <h3 class="mb-2 font-semibold">{t.t("contacts.org_chart")}</h3>
                                        <div class="overflow-x-auto">
                                            <OrgTree nodes=chart/>
                                        </div>
                                    </div>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The reports-to tree as nested lists (screen readers announce the levels).
#[component]
fn OrgTree(nodes: Vec<OrgNode>) -> impl IntoView {
    let t = use_i18n();
    view! {
        <ul class="ml-2 border-l-2 border-blue-200 pl-3">
            {nodes.into_iter().map(|n| {
                let reports = n.reports;
                view! {
                    <li class="py-1">
                        <span class="inline-block rounded-md border border-slate-200 bg-slate-50 px-2 py-1">
                            <span class="font-medium">{n.contact.name.clone()}</span>
                            {n.contact.title.clone().map(|ti| view! { <span class="text-sm text-slate-600">" · " {ti}</span> })}
                            {n.contact.decision_role.clone().map(|r| view! { <span class="ml-1 text-xs text-blue-800">{t.t(&format!("contact.role.{r}"))}</span> })}
                        </span>
                        {(!reports.is_empty()).then(|| view! { <OrgTree nodes=reports/> }.into_any())}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn line(t: I18n, key: &'static str, v: Option<String>) -> Option<impl IntoView> {
    v.map(|v| {
        view! {
            <div class="text-sm"><span class="text-slate-500">{t.t(key)} ": "</span><span class="break-words">{v}</span></div>
        }
    })
}

#[component]
fn ContactCard(c: Contact, children: Children) -> impl IntoView {
    let t = use_i18n();
    let details = [
        ("contact.hobbies", c.hobbies.clone()),
        ("contact.family", c.family.clone()),
        ("contact.background", c.background.clone()),
        ("contact.preferences", c.preferences.clone()),
        ("contact.notes", c.notes.clone()),
    ];
    let has_details = details.iter().any(|d| d.1.is_some());
    view! {
        <article class="h-full rounded-md border border-slate-200 p-3" data-testid="contact-card">
            <div class="flex flex-wrap items-baseline gap-2">
                <h3 class="font-semibold">{c.name.clone()}</h3>
                {c.is_primary.then(|| view! { <span class="rounded-full bg-blue-100 px-2 text-xs text-blue-800">{t.t("contact.primary")}</span> })}
                {c.decision_role.clone().map(|r| view! { <span class="rounded-full bg-slate-100 px-2 text-xs">{t.t(&format!("contact.role.{r}"))}</span> })}
            </div>
            <p class="text-sm text-slate-600">{[c.title.clone(), c.dept.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
            {c.mobile.clone().map(|m| view! { <a class="block min-h-8 text-blue-700" href=format!("tel:{}", m.replace(' ', ""))>"📱 " {m.clone()}</a> })}
            {c.phone.clone().map(|m| view! { <a class="block min-h-8 text-blue-700" href=format!("tel:{}", m.replace(' ', ""))>"☎ " {m.clone()}</a> })}
            {c.email.clone().map(|m| view! { <a class="block min-h-8 break-all text-blue-700" href=format!("mailto:{m}")>"✉ " {m.clone()}</a> })}
            {line(t, "contact.wechat", c.wechat.clone())}
            {line(t, "contact.qq", c.qq.clone())}
            {line(t, "contact.birthday", c.birthday.clone())}
            {has_details.then(|| view! {
                <details class="mt-1">
                    <summary class="min-h-8 cursor-pointer text-sm text-blue-700">{t.t("contacts.more")}</summary>
                    {details.into_iter().map(|(k, v)| line(t, k, v)).collect_view()}
                </details>
            })}
            {children()}
        </article>
    }
}

/// Create / edit form; server errors appear beside their fields and a conflict keeps the input.
#[component]
fn ContactForm(
    customer_id: i64,
    contact: Option<Contact>,
    others: Vec<Contact>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = use_i18n();
    let initial = contact.as_ref().map(Contact::to_input).unwrap_or_default();
    let target = contact.as_ref().map(|c| (c.id, c.version));
    let own_id = target.map(|x| x.0);
    let name = RwSignal::new(initial.name.clone());
    let gender = RwSignal::new(initial.gender.clone());
    let title = RwSignal::new(initial.title.clone());
    let dept = RwSignal::new(initial.dept.clone());
    let mobile = RwSignal::new(initial.mobile.clone());
    let phone = RwSignal::new(initial.phone.clone());
    let email = RwSignal::new(initial.email.clone());
    let wechat = RwSignal::new(initial.wechat.clone());
    let qq = RwSignal::new(initial.qq.clone());
    let birthday = RwSignal::new(initial.birthday.clone());
    let hobbies = RwSignal::new(initial.hobbies.clone());
    let family = RwSignal::new(initial.family.clone());
    let background = RwSignal::new(initial.background.clone());
    let preferences = RwSignal::new(initial.preferences.clone());
    let role = RwSignal::new(initial.decision_role.clone());
    let reports_to = RwSignal::new(initial.reports_to_id.map(|i| i.to_string()).unwrap_or_default());
    let primary = RwSignal::new(initial.is_primary);
    let notes = RwSignal::new(initial.notes.clone());
    let local_errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |input: &ContactInput| {
        let input = input.clone();
        async move {
            match target {
                Some((id, version)) => update_contact(id, version, input).await.map(|_| ()),
                None => create_contact(customer_id, input).await.map(|_| ()),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            on_saved.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let field_error = move |f: &'static str| crate::ui::field_error(local_errors, server_error, f);
    let general_error = Signal::derive(move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ContactInput {
            name: name.get_untracked(),
            gender: gender.get_untracked(),
            title: title.get_untracked(),
            dept: dept.get_untracked(),
            mobile: mobile.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            wechat: wechat.get_untracked(),
            qq: qq.get_untracked(),
            birthday: birthday.get_untracked(),
            hobbies: hobbies.get_untracked(),
            family: family.get_untracked(),
            background: background.get_untracked(),
            preferences: preferences.get_untracked(),
            decision_role: role.get_untracked(),
            reports_to_id: reports_to.get_untracked().parse().ok(),
            is_primary: primary.get_untracked(),
            notes: notes.get_untracked(),
        };
        match input.validate() {
            Err(es) => local_errors.set(es),
            Ok(_) => {
                local_errors.set(Vec::new());
                save.dispatch(input);
            }
        }
    };
    let mut role_options = vec![(String::new(), "—".to_string())];
    role_options.extend(DecisionRole::ALL.iter().map(|r| (r.code().to_string(), t.t(&format!("contact.role.{}", r.code())))));
    let mut gender_options = vec![(String::new(), "—".to_string())];
    gender_options.extend(GENDERS.iter().map(|g| (g.to_string(), t.t(&format!("contact.gender.{g}")))));
    let mut manager_options = vec![(String::new(), "—".to_string())];
    manager_options.extend(others.iter().filter(|c| Some(c.id) != own_id).map(|c| (c.id.to_string(), c.name.clone())));
    let heading = if target.is_some() { t.t("contacts.edit") } else { t.t("contacts.add") };
    view! {
        <form on:submit=submit novalidate class="mb-4 rounded-md border border-blue-200 bg-blue-50/40 p-3" aria-label=heading.clone() data-testid="contact-form">
            <h3 class="mb-2 font-semibold">{heading.clone()}</h3>
            <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
                <TextField id="contact-name" label=t.t("contact.name") value=name error=field_error("name") max_len=NAME_MAX required=true/>
                <TextField id="contact-title" label=t.t("contact.title") value=title error=field_error("title") max_len=SHORT_MAX/>
                <TextField id="contact-dept" label=t.t("contact.dept") value=dept error=field_error("dept") max_len=SHORT_MAX/>
                <SelectField id="contact-gender" label=t.t("contact.gender") value=gender options=gender_options error=field_error("gender")/>
                <TextField id="contact-mobile" label=t.t("contact.mobile") value=mobile error=field_error("mobile") input_type="tel" max_len=40/>
                <TextField id="contact-phone" label=t.t("contact.phone") value=phone error=field_error("phone") input_type="tel" max_len=40/>
                <TextField id="contact-email" label=t.t("contact.email") value=email error=field_error("email") input_type="email" max_len=254/>
                <TextField id="contact-wechat" label=t.t("contact.wechat") value=wechat error=field_error("wechat") max_len=SHORT_MAX/>
                <TextField id="contact-qq" label=t.t("contact.qq") value=qq error=field_error("qq") max_len=20/>
                <TextField id="contact-birthday" label=t.t("contact.birthday") value=birthday error=field_error("birthday") input_type="date"/>
                <SelectField id="contact-role" label=t.t("contact.decision_role") value=role options=role_options error=field_error("decision_role")/>
                <SelectField id="contact-reports-to" label=t.t("contact.reports_to") value=reports_to options=manager_options error=field_error("reports_to_id")/>
            </div>
            <label class="mb-3 flex min-h-11 items-center gap-2">
                <input type="checkbox" class="h-5 w-5" prop:checked=move || primary.get() on:change=move |ev| primary.set(event_target_checked(&ev))/>
                {t.t("contact.is_primary")}
            </label>
            <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
                <TextArea id="contact-hobbies" label=t.t("contact.hobbies") value=hobbies error=field_error("hobbies") max_len=LONG_MAX/>
                <TextArea id="contact-family" label=t.t("contact.family") value=family error=field_error("family") max_len=LONG_MAX/>
                <TextArea id="contact-background" label=t.t("contact.background") value=background error=field_error("background") max_len=LONG_MAX/>
                <TextArea id="contact-preferences" label=t.t("contact.preferences") value=preferences error=field_error("preferences") max_len=LONG_MAX/>
            </div>
            <TextArea id="contact-notes" label=t.t("contact.notes") value=notes error=field_error("notes") max_len=LONG_MAX/>
            <ErrorBanner error=general_error/>
            <div class="mt-3 flex gap-2">
                <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                <button type="button" class=BTN_SECONDARY on:click=move |_| on_cancel.run(())>{t.t("common.cancel")}</button>
            </div>
        </form>
    }
}

/// Contacts with a birthday in the coming days (customer care, C5).
#[component]
pub fn BirthdaysPage() -> impl IntoView {
    let t = use_i18n();
    let days = RwSignal::new(30_i64);
    let rows = Resource::new(move || days.get(), upcoming_birthdays);
    view! {
        <Title text=t.t("birthdays.title")/>
        <PageHeader title=t.t("birthdays.title")>
            <label class="flex items-center gap-2 text-sm">
                {t.t("birthdays.window")}
                <select class="min-h-11 rounded-md border border-slate-300 bg-white px-2" on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(30))>
                    {[7_i64, 30, 90].into_iter().map(|d| view! { <option value=d.to_string() selected=move || days.get() == d>{t.t_args("birthdays.days", &[("n", d.to_string())])}</option> }).collect_view()}
                </select>
            </label>
        </PageHeader>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="text-slate-500">{t.t("birthdays.none")}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="birthdays">
                            {rows.into_iter().map(|r| view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                                    <div>
                                        <div class="font-medium">{r.name.clone()} {r.title.clone().map(|x| view! { <span class="text-sm text-slate-500">" · " {x}</span> })}</div>
                                        <A href=format!("/customers/{}", r.customer_id) attr:class="text-sm text-blue-700 underline">{r.customer_name.clone()}</A>
                                    </div>
                                    <div class="text-right">
                                        <div class="font-medium">{r.birthday[5..].to_string()}</div>
                                        <div class="text-sm text-slate-600">{if r.days_until == 0 { t.t("birthdays.today") } else { t.t_args("birthdays.in_days", &[("n", r.days_until.to_string())]) }}</div>
                                        {r.mobile.clone().map(|m| view! { <a class="text-sm text-blue-700" href=format!("tel:{}", m.replace(' ', ""))>{m.clone()}</a> })}
                                    </div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
