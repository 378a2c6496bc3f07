use crate::admin::api::{create_department, list_departments, rename_department};
use crate::admin::types::{DepartmentRow, DEPARTMENT_NAME_MAX};
use crate::platform::authz::{Action as Op, Entity};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{can, error_text, ErrorBanner, PageHeader, SelectField, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let t = use_i18n();
    let departments = Resource::new(|| (), |_| list_departments());
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let create = Action::new(move |(n, p): &(String, Option<i64>)| {
        let (n, p) = (n.clone(), *p);
        async move { create_department(n, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            departments.refetch();
        }
    });
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let can_create = can(Entity::Department, Op::Create);
    let can_edit = can(Entity::Department, Op::Edit);
    view! {
        <PageHeader title=t.t("departments.title")/>
        <Transition fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match departments.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(list) => {
                        let mut options = vec![(String::new(), t.t("departments.top_level"))];
                        options.extend(list.iter().map(|d| (d.id.to_string(), format!("{}{}", "　".repeat(d.depth()), d.name))));
                        view! {
                            {can_create.then(|| view! {
                                <form
                                    class="mb-6 grid gap-x-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[1fr_1fr_auto] md:items-start"
                                    on:submit=move |ev| {
                                        ev.prevent_default();
                                        create.dispatch((name.get_untracked(), parent.get_untracked().parse().ok()));
                                    }
                                >
                                    <TextField id="department-name" label=t.t("departments.name") value=name
                                        error=Signal::derive(move || create_error.get().and_then(|e| e.field("name")))
                                        max_len=DEPARTMENT_NAME_MAX required=true/>
                                    <SelectField id="department-parent" label=t.t("departments.parent") value=parent options=options
                                        error=Signal::derive(move || create_error.get().and_then(|e| e.field("parent_id")))/>
                                    <button type="submit" class=format!("{BTN_PRIMARY} md:mt-6")>{t.t("departments.add")}</button>
                                </form>
                            })}
                            <ul class="rounded-lg border border-slate-200 bg-white">
                                {list.into_iter().map(|d| view! { <DepartmentItem d can_edit on_saved=Callback::new(move |_| departments.refetch())/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn DepartmentItem(d: DepartmentRow, can_edit: bool, on_saved: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let editing = RwSignal::new(false);
    let name = RwSignal::new(d.name.clone());
    let (id, version) = (d.id, d.version);
    let rename = Action::new(move |n: &String| {
        let n = n.clone();
        async move { rename_department(id, version, n).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = rename.value().get() {
            editing.set(false);
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || rename.value().get().and_then(|r| r.err()));
    let indent = format!("padding-left: {}rem", 1.0 + d.depth() as f32 * 1.5);
    let label = d.name.clone();
    view! {
        <li class="border-b border-slate-100 py-2 pr-3 last:border-0" style=indent>
            <Show when=move || editing.get() fallback={
                let label = label.clone();
                move || view! {
                    <div class="flex min-h-11 items-center justify-between gap-2">
                        <span>
                            <span class="font-medium">{label.clone()}</span>
                            <span class="ml-2 text-sm text-slate-500">{t.t_args("departments.user_count", &[("n", d.user_count.to_string())])}</span>
                        </span>
                        {can_edit.then(|| view! { <button type="button" class="min-h-11 px-2 text-blue-700 underline" on:click=move |_| editing.set(true)>{t.t("departments.rename")}</button> })}
                    </div>
                }
            }>
                <form class="flex flex-wrap items-start gap-2" on:submit=move |ev| { ev.prevent_default(); rename.dispatch(name.get_untracked()); }>
                    <TextField id="rename" label=t.t("departments.name") value=name error=Signal::derive(move || error.get().and_then(|e| e.field("name"))) max_len=DEPARTMENT_NAME_MAX/>
                    <button type="submit" class=format!("{BTN_PRIMARY} mt-6")>{t.t("common.save")}</button>
                    <button type="button" class=format!("{BTN_SECONDARY} mt-6") on:click=move |_| editing.set(false)>{t.t("common.cancel")}</button>
                    <div class="w-full"><ErrorBanner error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))))/></div>
                </form>
            </Show>
        </li>
    }
}
