use crate::admin::api::{create_user, list_departments, list_roles, list_users, update_user};
use crate::admin::types::*;
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, ErrorBanner, PageHeader, SelectField, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;

/// `None` = closed, `Some(None)` = new user, `Some(Some(u))` = editing `u`.
type Editing = Option<Option<UserRow>>;

#[component]
pub fn UsersPage() -> impl IntoView {
    let t = use_i18n();
    let users = Resource::new(|| (), |_| list_users());
    let departments = Resource::new(|| (), |_| list_departments());
    let roles = Resource::new(|| (), |_| list_roles());
    let editing = RwSignal::<Editing>::new(None);
    let can_create = can(Entity::User, Op::Create);
    let can_edit = can(Entity::User, Op::Edit);
    view! {
        <PageHeader title=t.t("users.title")>
            {can_create.then(|| view! { <button type="button" class=BTN_PRIMARY on:click=move |_| editing.set(Some(None))>{t.t("users.new")}</button> })}
        </PageHeader>
        <Suspense fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let (u, d, r) = (users.await, departments.await, roles.await);
                match (u, d, r) {
                    (Ok(u), Ok(d), Ok(r)) => {
                        let (d2, r2) = (d.clone(), r.clone());
                        view! {
                            {move || editing.get().map(|e| {
                                view! {
                                    <UserEditor
                                        user=e
                                        departments=d2.clone()
                                        roles=r2.clone()
                                        on_done=Callback::new(move |saved: bool| {
                                            editing.set(None);
                                            if saved { users.refetch(); }
                                        })
                                    />
                                }
                            })}
                            <div class="overflow-x-auto">
                            <table class="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
                                <thead class="bg-slate-100 text-slate-600">
                                    <tr>
                                        <th scope="col" class="px-3 py-2">{t.t("auth.username")}</th>
                                        <th scope="col" class="px-3 py-2">{t.t("users.display_name")}</th>
                                        <th scope="col" class="px-3 py-2">{t.t("users.department")}</th>
                                        <th scope="col" class="px-3 py-2">{t.t("users.roles")}</th>
                                        <th scope="col" class="px-3 py-2">{t.t("users.active")}</th>
                                        <th scope="col" class="px-3 py-2"><span class="sr-only">{t.t("common.edit")}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {u.into_iter().map(|row| {
                                        let roles_text = row.roles.iter().map(|c| t.t(&format!("role.{c}"))).collect::<Vec<_>>().join("、");
                                        let row2 = row.clone();
                                        view! {
                                            <tr class="border-t border-slate-100">
                                                <td class="px-3 py-2 font-mono">{row.username.clone()}</td>
                                                <td class="px-3 py-2">{row.display_name.clone()}</td>
                                                <td class="px-3 py-2">{row.department_name.clone()}</td>
                                                <td class="px-3 py-2">{roles_text}</td>
                                                <td class="px-3 py-2">{if row.active { t.t("common.yes") } else { t.t("common.no") }}</td>
                                                <td class="px-3 py-2 text-right">
                                                    {can_edit.then(|| view! {
                                                        <button type="button" class="min-h-11 px-2 text-blue-700 underline"
                                                            aria-label=t.t_args("users.edit_named", &[("name", row.username.clone())])
                                                            on:click=move |_| editing.set(Some(Some(row2.clone())))>
                                                            {t.t("common.edit")}
                                                        </button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any()
                    }
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <p role="alert" class="text-red-700">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserEditor(user: Option<UserRow>, departments: Vec<DepartmentRow>, roles: Vec<RoleView>, on_done: Callback<bool>) -> impl IntoView {
    let t = use_i18n();
    let is_new = user.is_none();
    let u = user.clone();
    let username = RwSignal::new(u.as_ref().map(|u| u.username.clone()).unwrap_or_default());
    let display_name = RwSignal::new(u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default());
    let email = RwSignal::new(u.as_ref().and_then(|u| u.email.clone()).unwrap_or_default());
    let department = RwSignal::new(u.as_ref().and_then(|u| u.department_id).map(|d| d.to_string()).unwrap_or_default());
    let selected_roles = RwSignal::new(u.as_ref().map(|u| u.roles.clone()).unwrap_or_default());
    let active = RwSignal::new(u.as_ref().map(|u| u.active).unwrap_or(true));
    let password = RwSignal::new(String::new());
    let target = u.as_ref().map(|u| (u.id, u.version));
    let save = Action::new(move |input: &UserInput| {
        let input = input.clone();
        async move {
            match target {
                Some((id, version)) => update_user(id, version, input).await.map(|_| ()),
                None => create_user(input).await.map(|_| ()),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            on_done.run(true);
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| Signal::derive(move || server_error.get().and_then(|e| e.field(f)));
    let general = Signal::derive(move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let mut dept_options = vec![(String::new(), "—".to_string())];
    dept_options.extend(departments.iter().map(|d| (d.id.to_string(), format!("{}{}", "　".repeat(d.depth()), d.name))));
    let title = if is_new { t.t("users.new") } else { t.t_args("users.edit_named", &[("name", username.get_untracked())]) };
    view! {
        <section aria-label=title.clone() class="mb-6 rounded-lg border border-blue-200 bg-white p-4 shadow-sm">
            <h2 class="mb-3 font-semibold">{title.clone()}</h2>
            <form
                class="grid grid-cols-1 gap-x-4 md:grid-cols-2"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(UserInput {
                        username: username.get_untracked(),
                        display_name: display_name.get_untracked(),
                        email: email.get_untracked(),
                        department_id: department.get_untracked().parse().ok(),
                        roles: selected_roles.get_untracked(),
                        active: active.get_untracked(),
                        password: password.get_untracked(),
                    });
                }
            >
                <TextField id="username" label=t.t("auth.username") value=username error=err("username") max_len=USERNAME_MAX required=true/>
                <TextField id="display_name" label=t.t("users.display_name") value=display_name error=err("display_name") max_len=DISPLAY_NAME_MAX required=true/>
                <TextField id="email" label=t.t("customer.email") value=email error=err("email") input_type="email"/>
                <SelectField id="department_id" label=t.t("users.department") value=department options=dept_options error=err("department_id")/>
                <TextField
                    id="password"
                    label=if is_new { t.t("auth.password") } else { t.t("users.reset_password") }
                    value=password
                    error=err("password")
                    input_type="password"
                    autocomplete="new-password"
                    required=is_new
                />
                <fieldset class="flex flex-col gap-1">
                    <legend class="text-sm font-medium text-slate-700">{t.t("users.roles")}</legend>
                    {roles.iter().map(|r| {
                        let code = r.code.clone();
                        let code2 = r.code.clone();
                        view! {
                            <label class="flex min-h-11 items-center gap-2">
                                <input type="checkbox" class="h-5 w-5"
                                    prop:checked=move || selected_roles.get().contains(&code)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected_roles.update(|v| {
                                            v.retain(|c| c != &code2);
                                            if on { v.push(code2.clone()); }
                                        });
                                    }
                                />
                                {t.t(&format!("role.{}", r.code))}
                            </label>
                        }
                    }).collect_view()}
                    <p class="min-h-5 text-sm text-red-600">{move || err("roles").get().map(|c: String| t.t(&c))}</p>
                </fieldset>
                <label class="flex min-h-11 items-center gap-2">
                    <input type="checkbox" class="h-5 w-5" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                    {t.t("users.active")}
                </label>
                <p class="min-h-5 text-sm text-red-600">{move || err("active").get().map(|c: String| t.t(&c))}</p>
                <div class="md:col-span-2"><ErrorBanner error=general/></div>
                <div class="flex gap-2 md:col-span-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| on_done.run(false)>{t.t("common.cancel")}</button>
                </div>
            </form>
        </section>
    }
}
