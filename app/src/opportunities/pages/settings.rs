//! Settings page for sales processes: stages, probabilities and stage gates.
use super::board::{process_label, stage_label};
use crate::activities::types::ActivityKind;
use crate::opportunities::api::{
    create_sales_process, move_sales_stage, remove_sales_stage, rename_sales_process, sales_processes, save_sales_stage,
};
use crate::opportunities::types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{ErrorBanner, PageHeader, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProcessSettingsPage() -> impl IntoView {
    let t = use_i18n();
    let list = Resource::new(|| (), |_| sales_processes());
    let reload = Callback::new(move |_: ()| list.refetch());
    let new_name = RwSignal::new(String::new());
    let create = Action::new(|name: &String| {
        let name = name.clone();
        async move { create_sales_process(name).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            new_name.set(String::new());
            list.refetch();
        }
    });
    let create_err = Signal::derive(move || create.value().get().and_then(|r| r.err()).and_then(|e| e.field("name")));
    view! {
        <Title text=t.t("process.settings")/>
        <PageHeader title=t.t("process.settings")/>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{t.t("process.help")}</p>
        <Transition fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(ps) => ps.into_iter().map(|p| view! { <ProcessEditor p reload/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
        <form class="mt-6 flex max-w-xl flex-wrap items-end gap-2" on:submit=move |ev| { ev.prevent_default(); create.dispatch(new_name.get_untracked()); }>
            <div class="flex-1">
                <TextField id="new-process" label=t.t("process.new_name") value=new_name error=create_err max_len=50/>
            </div>
            <div class="pb-6"><button type="submit" class=BTN_PRIMARY disabled=move || create.pending().get()>{t.t("process.add")}</button></div>
        </form>
    }
}

#[component]
fn ProcessEditor(p: Process, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let pid = p.id;
    let name = RwSignal::new(process_label(t, &p));
    let rename = Action::new(move |n: &String| {
        let n = n.clone();
        async move { rename_sales_process(pid, n).await }
    });
    let rename_err = Signal::derive(move || rename.value().get().and_then(|r| r.err()).and_then(|e| e.field("name")));
    let error = RwSignal::new(None::<AppError>);
    let heading = format!("process-{pid}");
    let labelled_by = heading.clone();
    view! {
        <section class="mb-6 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby=labelled_by data-testid="process">
            <h2 id=heading class="mb-2 font-semibold">{process_label(t, &p)}</h2>
            <form class="mb-3 flex max-w-xl flex-wrap items-end gap-2" on:submit=move |ev| { ev.prevent_default(); rename.dispatch(name.get_untracked()); }>
                <div class="flex-1"><TextField id="process-name" label=t.t("process.name") value=name error=rename_err max_len=50/></div>
                <div class="pb-6"><button type="submit" class=BTN_SECONDARY>{t.t("process.rename")}</button></div>
            </form>
            <ErrorBanner error=error/>
            <ol class="flex flex-col gap-3">
                {p.stages.iter().map(|s| view! { <li><StageEditor s=Some(s.clone()) process_id=pid reload error/></li> }).collect_view()}
                <li><StageEditor s=None process_id=pid reload error/></li>
            </ol>
        </section>
    }
}

#[component]
fn StageEditor(s: Option<Stage>, process_id: i64, reload: Callback<()>, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let t = use_i18n();
    let id = s.as_ref().map(|s| s.id);
    let kind = s.as_ref().map(|s| s.kind()).unwrap_or(StageKind::Open);
    let name = RwSignal::new(s.as_ref().map(|s| stage_label(t, s)).unwrap_or_default());
    let probability = RwSignal::new(s.as_ref().map(|s| s.probability.to_string()).unwrap_or_else(|| "50".into()));
    let required = RwSignal::new(s.as_ref().map(|s| s.required().into_iter().map(String::from).collect::<Vec<_>>()).unwrap_or_default());
    let activity = RwSignal::new(s.as_ref().and_then(|s| s.required_activity.clone()).unwrap_or_default());
    let save = Action::new(move |input: &StageInput| {
        let input = input.clone();
        async move { save_sales_stage(input).await }
    });
    let shift = Action::new(move |up: &bool| {
        let up = *up;
        async move { move_sales_stage(id.unwrap_or_default(), up).await }
    });
    let remove = Action::new(move |_: &()| async move { remove_sales_stage(id.unwrap_or_default()).await });
    Effect::new(move |_| {
        for r in [save.value().get(), shift.value().get(), remove.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    error.set(None);
                    reload.run(());
                }
                Err(AppError::Validation(es)) if es.iter().any(|e| e.field != "stage") => {}
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let prefix = id.map(|i| format!("stage-{i}")).unwrap_or_else(|| format!("new-stage-{process_id}"));
    let label = if id.is_some() { t.t("process.stage") } else { t.t("process.add_stage") };
    let open = kind == StageKind::Open;
    view! {
        <form class="rounded-md border border-slate-200 p-3" data-testid="stage-editor" aria-label=label.clone() on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(StageInput {
                id,
                process_id,
                name: name.get_untracked(),
                probability: probability.get_untracked().trim().parse().unwrap_or(-1),
                required_fields: required.get_untracked(),
                required_activity: Some(activity.get_untracked()).filter(|a| !a.is_empty()),
            });
        }>
            <div class="grid grid-cols-1 gap-x-3 sm:grid-cols-3">
                <div class="flex flex-col gap-1">
                    <label for=format!("{prefix}-name") class="text-sm font-medium text-slate-700">{label.clone()}</label>
                    <input id=format!("{prefix}-name") class="min-h-11 rounded-md border border-slate-300 px-3" maxlength="50"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p class="min-h-5 text-sm text-red-600">{move || err("name").get().map(|c| t.t(&c))}</p>
                </div>
                <div class="flex flex-col gap-1">
                    <label for=format!("{prefix}-probability") class="text-sm font-medium text-slate-700">{t.t("process.probability")}</label>
                    <input id=format!("{prefix}-probability") type="number" min="0" max="100" inputmode="numeric" disabled=!open
                        class="min-h-11 rounded-md border border-slate-300 px-3" prop:value=move || probability.get() on:input=move |ev| probability.set(event_target_value(&ev))/>
                    <p class="min-h-5 text-sm text-red-600">{move || err("probability").get().map(|c| t.t(&c))}</p>
                </div>
                <div class="flex flex-col gap-1">
                    <label for=format!("{prefix}-activity") class="text-sm font-medium text-slate-700">{t.t("process.required_activity")}</label>
                    <select id=format!("{prefix}-activity") class="min-h-11 rounded-md border border-slate-300 bg-white px-2"
                        on:change=move |ev| activity.set(event_target_value(&ev))>
                        <option value="" selected=move || activity.get().is_empty()>"—"</option>
                        {ActivityKind::ALL.iter().map(|k| {
                            let code = k.code();
                            view! { <option value=code selected=move || activity.get() == code>{t.t(&format!("activity.kind.{code}"))}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="mb-2">
                <legend class="text-sm font-medium text-slate-700">{t.t("process.required_fields")}</legend>
                <div class="flex flex-wrap gap-x-4">
                    {GATE_FIELDS.iter().map(|f| {
                        let f = *f;
                        view! {
                            <label class="flex min-h-11 items-center gap-2">
                                <input type="checkbox" class="h-5 w-5" prop:checked=move || required.get().iter().any(|r| r == f)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        required.update(|r| { r.retain(|x| x != f); if on { r.push(f.to_string()); } });
                                    }/>
                                {t.t(&format!("opportunity.{f}"))}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="flex flex-wrap gap-2">
                <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{if id.is_some() { t.t("common.save") } else { t.t("process.add_stage") }}</button>
                {(id.is_some() && open).then(|| view! {
                    <button type="button" class=BTN_SECONDARY aria-label=t.t("process.move_up") on:click=move |_| { shift.dispatch(true); }>"↑"</button>
                    <button type="button" class=BTN_SECONDARY aria-label=t.t("process.move_down") on:click=move |_| { shift.dispatch(false); }>"↓"</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| { remove.dispatch(()); }>{t.t("process.remove_stage")}</button>
                })}
                {(!open).then(|| view! { <span class="self-center text-sm text-slate-500">{t.t(&format!("process.kind.{}", kind.code()))}</span> })}
            </div>
        </form>
    }
}
