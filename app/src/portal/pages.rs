//! Portal access on a customer's page: who at the customer can sign in to the portal,
//! when they last did, and (with edit rights on the customer) a form to open access,
//! turn a login off or on, and set a new password for someone who forgot theirs.
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::FieldError;
use crate::platform::i18n::use_i18n;
use crate::portal::api::*;
use crate::portal::types::*;
use crate::ui::{can, error_text, fmt_time, FormAlert, SelectField, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;

#[component]
pub fn PortalAccessSection(customer_id: i64, can_edit: bool) -> impl IntoView {
    let t = use_i18n();
    if !can(Entity::Customer, Op::View) {
        return ().into_any();
    }
    let logins = Resource::new(move || customer_id, list_portal_logins);
    let reload = Callback::new(move |_: ()| logins.refetch());
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="portal-title" data-testid="portal-access">
            <h2 id="portal-title" class="font-semibold">{t.t("portal.access_title")}</h2>
            <p class="mb-2 text-sm text-slate-600">{t.t("portal.access_hint")}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match logins.await {
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-500" data-testid="portal-none">{t.t("portal.no_logins")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().map(|l| view! { <LoginRow l can_edit reload/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-red-700">{error_text(t, &e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {can_edit.then(|| view! { <NewLoginForm customer_id reload/> })}
        </section>
    }
    .into_any()
}

#[component]
fn LoginRow(l: PortalLogin, can_edit: bool, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version, active) = (l.id, l.version, l.active);
    let toggle = Action::new(move |_: &()| async move { set_portal_login_active(id, version, !active).await });
    let password = RwSignal::new(String::new());
    let resetting = RwSignal::new(false);
    let reset = Action::new(move |p: &String| {
        let p = p.clone();
        async move { reset_portal_password(id, version, p).await }
    });
    Effect::new(move |_| {
        if matches!(toggle.value().get(), Some(Ok(()))) || matches!(reset.value().get(), Some(Ok(()))) {
            reload.run(());
        }
    });
    let error = move || {
        toggle
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| reset.value().get().and_then(|r| r.err()))
            .map(|e| e.field("password").map(|c| t.t(&c)).unwrap_or_else(|| error_text(t, &e)))
    };
    let last =
        l.last_login_at.map(|at| t.t_args("portal.last_login", &[("at", fmt_time(at))])).unwrap_or_else(|| t.t("portal.never_signed_in"));
    let who = match &l.contact_name {
        Some(c) if *c != l.display_name => format!("{} ({c})", l.display_name),
        _ => l.display_name.clone(),
    };
    view! {
        <li class="flex flex-col gap-2 py-2" data-testid="portal-login" data-login=l.login.clone()>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <div>
                    <p class="font-medium">{who}</p>
                    <p class="text-sm text-slate-600">{format!("{} · {last}", l.login)}</p>
                </div>
                <span class=if active { "rounded bg-green-100 px-2 py-0.5 text-sm text-green-800" } else { "rounded bg-slate-200 px-2 py-0.5 text-sm text-slate-700" }
                    data-testid="portal-login-state">
                    {t.t(if active { "portal.active" } else { "portal.inactive" })}
                </span>
            </div>
            {can_edit.then(|| view! {
                <div class="flex flex-wrap gap-2">
                    <button type="button" class=BTN_SECONDARY data-testid="portal-toggle" disabled=move || toggle.pending().get()
                        on:click=move |_| { toggle.dispatch(()); }>
                        {t.t(if active { "portal.disable" } else { "portal.enable" })}
                    </button>
                    <button type="button" class=BTN_SECONDARY data-testid="portal-reset" on:click=move |_| resetting.update(|r| *r = !*r)>
                        {t.t("portal.reset_password")}
                    </button>
                </div>
                <Show when=move || resetting.get()>
                    <form novalidate class="flex flex-wrap items-end gap-2" on:submit=move |ev| { ev.prevent_default(); reset.dispatch(password.get_untracked()); }>
                        <label class="flex flex-col gap-1 text-sm">
                            <span class="font-medium text-slate-700">{t.t("portal.new_password")}</span>
                            <input type="text" autocomplete="off" class="min-h-11 rounded-md border border-slate-300 px-3 py-2 text-base" data-testid="portal-reset-password"
                                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        </label>
                        <button type="submit" class=BTN_PRIMARY data-testid="portal-reset-save" disabled=move || reset.pending().get()>{t.t("portal.set_password")}</button>
                    </form>
                </Show>
            })}
            <p class="min-h-5 text-sm text-red-600">{error}</p>
        </li>
    }
}

/// Opens the portal to someone at the customer: a name, the e-mail or mobile they sign
/// in with, an optional contact, and a first password to hand over.
#[component]
fn NewLoginForm(customer_id: i64, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let local = RwSignal::new(Vec::<FieldError>::new());
    let contacts = Resource::new(move || customer_id, crate::contacts::api::list_contacts);
    let save = Action::new(move |input: &PortalLoginInput| {
        let input = input.clone();
        async move { create_portal_login(customer_id, input).await }
    });
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.set(Some(login.get_untracked()));
            name.set(String::new());
            login.set(String::new());
            password.set(String::new());
            contact.set(String::new());
            reload.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| {
        Signal::derive(move || {
            local.get().iter().find(|e| e.field == f).map(|e| e.code.clone()).or_else(|| server_error.get().and_then(|e| e.field(f)))
        })
    };
    // When a contact is picked, their name fills an empty name field.
    let pick_contact = move |id: String, list: &[crate::contacts::types::Contact]| {
        if let Some(c) = id.parse::<i64>().ok().and_then(|id| list.iter().find(|c| c.id == id)) {
            if name.get_untracked().trim().is_empty() {
                name.set(c.name.clone());
            }
            if login.get_untracked().trim().is_empty() {
                if let Some(v) = c.email.clone().or(c.mobile.clone()) {
                    login.set(v);
                }
            }
        }
    };
    view! {
        <form novalidate class="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3" data-testid="portal-new"
            on:submit=move |ev| {
                ev.prevent_default();
                saved.set(None);
                let input = PortalLoginInput {
                    contact_id: contact.get_untracked().parse().ok(),
                    display_name: name.get_untracked(),
                    login: login.get_untracked(),
                    password: password.get_untracked(),
                };
                match input.validate() {
                    Ok(_) => { local.set(Vec::new()); save.dispatch(input); }
                    Err(e) => local.set(e),
                }
            }>
            <h3 class="font-medium">{t.t("portal.new_login")}</h3>
            <FormAlert server_error local/>
            {move || saved.get().map(|l| view! { <p role="status" class="rounded-md bg-green-50 p-3 text-green-800" data-testid="portal-created">{t.t_args("portal.access_opened", &[("login", l)])}</p> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = contacts.await.map(|c| c.contacts).unwrap_or_default();
                    if list.is_empty() {
                        return ().into_any();
                    }
                    let mut options = vec![(String::new(), t.t("portal.no_contact"))];
                    options.extend(list.iter().map(|c| (c.id.to_string(), c.name.clone())));
                    Effect::new(move |prev: Option<String>| {
                        let now = contact.get();
                        if prev.is_some_and(|p| p != now) {
                            pick_contact(now.clone(), &list);
                        }
                        now
                    });
                    view! { <SelectField id="portal-contact" label=t.t("portal.contact") value=contact options error=err("contact_id")/> }.into_any()
                })}
            </Transition>
            <div class="grid grid-cols-1 gap-2 md:grid-cols-3">
                <TextField id="portal-name" label=t.t("portal.display_name") value=name error=err("display_name") max_len=NAME_MAX required=true/>
                <TextField id="portal-login" label=t.t("portal.login") value=login error=err("login") max_len=LOGIN_MAX required=true autocomplete="off"/>
                <TextField id="portal-password" label=t.t("portal.first_password") value=password error=err("password") max_len=128 required=true autocomplete="new-password"/>
            </div>
            <p class="text-sm text-slate-500">{t.t("portal.handover_hint")}</p>
            <div>
                <button type="submit" class=BTN_PRIMARY data-testid="portal-create" disabled=move || save.pending().get()>{t.t("portal.open_access")}</button>
            </div>
        </form>
    }
}
