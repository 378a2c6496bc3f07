//! Import pages: upload (a plain form, works before hydration), then mapping,
//! preview, check report, and the run with a progress bar.
use crate::customers::api::{check_import, get_import_job, import_progress, start_import};
use crate::customers::import_types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::ui::{error_text, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ImportStartPage() -> impl IntoView {
    view! { <UploadStart entity="customer"/> }
}

/// The lead import (S1): the same steps as the customers'.
#[component]
pub fn LeadImportStartPage() -> impl IntoView {
    view! { <UploadStart entity="lead"/> }
}

/// Locale key of an import page's title or explanation.
fn entity_key(entity: &str, key: &str) -> String {
    if entity == "lead" {
        format!("lead.import_{key}")
    } else {
        format!("import.{key}")
    }
}

#[component]
fn UploadStart(entity: &'static str) -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let error = move || query.read().get("error").filter(|e| e.starts_with("import.") || e.starts_with("error."));
    let action = if entity == "lead" { "/import/leads" } else { "/import/customers" };
    view! {
        <Title text=t.t(&entity_key(entity, "title"))/>
        <PageHeader title=t.t(&entity_key(entity, "title"))/>
        <div class="max-w-2xl rounded-lg border border-slate-200 bg-white p-4">
            <p class="mb-3 text-slate-700">{t.t(&entity_key(entity, "explain"))}</p>
            <form method="post" action=action enctype="multipart/form-data" class="flex flex-col gap-3" data-testid="import-upload">
                <label for="import-file" class="text-sm font-medium text-slate-700">{t.t("import.file")}</label>
                <input id="import-file" name="file" type="file" required accept=".csv,.xlsx,.txt"
                    aria-describedby="import-file-error"
                    class="min-h-11 rounded-md border border-slate-300 p-2 text-base"/>
                <p id="import-file-error" role="alert" class="min-h-5 text-sm text-red-600">{move || error().map(|e| t.t(&e))}</p>
                <div><button type="submit" class=BTN_PRIMARY>{t.t("import.upload")}</button></div>
            </form>
        </div>
    }
}

#[component]
pub fn ImportJobPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let job = Resource::new(move || id.get(), get_import_job);
    view! {
        <Title text=t.t("import.title")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match job.await {
                    Ok(j) => view! { <JobView j/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn report_view(t: I18n, entity: &'static str, r: ImportReport) -> impl IntoView {
    let counts = [
        ("import.count.total", r.total),
        ("import.count.create", r.create),
        ("import.count.update", r.update),
        ("import.count.skip", r.skip),
        ("import.count.invalid", r.invalid),
        ("import.count.contacts", r.contacts),
    ];
    // Leads are never updated by an import and carry no contacts.
    let counts = counts.into_iter().filter(|(k, _)| entity != "lead" || !k.ends_with(".update") && !k.ends_with(".contacts"));
    let title = if r.applied { t.t("import.report.applied") } else { t.t("import.report.check") };
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="import-report" aria-labelledby="import-report-title">
            <h2 id="import-report-title" class="mb-2 font-semibold">{title}</h2>
            <dl class="mb-3 grid grid-cols-2 gap-2 sm:grid-cols-6">
                {counts.into_iter().map(|(k, n)| view! {
                    <div class="rounded bg-slate-50 p-2"><dt class="text-xs text-slate-500">{t.t(k)}</dt><dd class="text-lg font-semibold">{n}</dd></div>
                }).collect_view()}
            </dl>
            {(!r.issues.is_empty()).then(|| view! {
                <h3 class="mb-1 font-medium text-red-800">{t.t("import.issues")}</h3>
                <div class="mb-3 max-h-80 overflow-auto">
                    <table class="w-full text-left text-sm">
                        <thead><tr class="border-b"><th class="p-1">{t.t("import.row")}</th><th class="p-1">{t.t("import.column")}</th><th class="p-1">{t.t("import.value")}</th><th class="p-1">{t.t("import.problem")}</th></tr></thead>
                        <tbody>
                            {r.issues.into_iter().map(|i| view! {
                                <tr class="border-b border-slate-100" data-testid="import-issue">
                                    <td class="p-1">{i.row}</td>
                                    <td class="p-1">{t.t(&entity_field_label_key(entity, &i.field))}</td>
                                    <td class="p-1 break-all">{i.value}</td>
                                    <td class="p-1 text-red-700">{t.t(&i.code)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(!r.duplicates.is_empty()).then(|| view! {
                <h3 class="mb-1 font-medium text-amber-900">{t.t("import.duplicates")}</h3>
                <ul class="max-h-60 overflow-auto text-sm">
                    {r.duplicates.into_iter().map(|d| view! {
                        <li class="border-b border-slate-100 py-1">
                            {t.t_args("import.duplicate_line", &[("row", d.row.to_string()), ("name", d.name), ("existing", d.existing), ("score", d.score.to_string())])}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn JobView(j: ImportJob) -> impl IntoView {
    let t = use_i18n();
    let id = j.id;
    let headers = j.headers.clone();
    let entity: &'static str = if j.entity == "lead" { "lead" } else { "customer" };
    let (list_href, start_href) = entity_home(entity);
    let mapping: Vec<(String, RwSignal<String>)> = import_fields(entity)
        .iter()
        .map(|f| (f.to_string(), RwSignal::new(j.suggested.column(f).map(|c| c.to_string()).unwrap_or_default())))
        .collect();
    let mode = RwSignal::new(DupMode::Skip.code().to_string());
    let plan = {
        let mapping = mapping.clone();
        move || ImportPlan {
            mapping: mapping.iter().map(|(f, s)| (f.clone(), s.get_untracked().parse().ok())).collect(),
            mode: DupMode::from_code(&mode.get_untracked()).unwrap_or_default(),
        }
    };
    let check = Action::new(move |p: &ImportPlan| {
        let p = p.clone();
        async move { check_import(id, p).await }
    });
    let progress = RwSignal::new(None::<ImportProgress>);
    let run_error = RwSignal::new(None::<AppError>);
    let poll = move || {
        leptos::task::spawn_local(async move {
            if let Ok(p) = import_progress(id).await {
                progress.set(Some(p));
            }
        });
    };
    // Poll while running: a timer on the client only.
    Effect::new(move |_| {
        let running = progress.with(|p| p.as_ref().is_some_and(|p| p.status == "running"));
        if running {
            if let Ok(h) = set_interval_with_handle(poll, std::time::Duration::from_millis(400)) {
                on_cleanup(move || h.clear());
            }
        }
    });
    let start = Action::new(move |p: &ImportPlan| {
        let p = p.clone();
        async move { start_import(id, p).await }
    });
    Effect::new(move |_| match start.value().get() {
        Some(Ok(())) => {
            run_error.set(None);
            progress.set(Some(ImportProgress { status: "running".into(), ..Default::default() }));
            poll();
        }
        Some(Err(e)) => run_error.set(Some(e)),
        None => {}
    });
    let done_report = j.report.clone().filter(|_| j.status == "done");
    let already_done = done_report.is_some();
    let plan_for_check = plan.clone();
    let plan_for_start = plan.clone();
    let check_error = move || check.value().get().and_then(|r| r.err());
    view! {
        <PageHeader title=t.t_args("import.job_title", &[("file", j.file_name.clone())])>
            <A href=start_href attr:class=BTN_SECONDARY>{t.t("import.another")}</A>
        </PageHeader>
        <p class="mb-3 text-slate-700">{t.t_args("import.rows", &[("n", j.row_count.to_string())])}</p>
        <section class="mb-4 overflow-x-auto rounded-lg border border-slate-200 bg-white p-3" aria-label=t.t("import.preview")>
            <table class="text-left text-sm" data-testid="import-preview">
                <thead><tr class="border-b">{j.headers.iter().map(|h| view! { <th class="whitespace-nowrap p-1">{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {j.sample.iter().map(|r| view! { <tr class="border-b border-slate-100">{r.iter().map(|c| view! { <td class="whitespace-nowrap p-1">{c.clone()}</td> }).collect_view()}</tr> }).collect_view()}
                </tbody>
            </table>
        </section>
        {(!already_done).then(|| view! {
            <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="mapping-title">
                <h2 id="mapping-title" class="mb-2 font-semibold">{t.t("import.mapping")}</h2>
                <div class="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
                    {mapping.iter().map(|(f, sig)| {
                        let sig = *sig;
                        let fid = format!("map-{f}");
                        let fid2 = fid.clone();
                        let label = t.t(&entity_field_label_key(entity, f));
                        let headers = headers.clone();
                        view! {
                            <div class="flex flex-col text-sm">
                                <label for=fid2 class="font-medium text-slate-700">{label}{(f == "name").then_some(" *")}</label>
                                <select id=fid class="min-h-11 rounded-md border border-slate-300 bg-white px-2" on:change=move |ev| sig.set(event_target_value(&ev))>
                                    <option value="" selected=move || sig.get().is_empty()>{t.t("import.not_imported")}</option>
                                    {headers.iter().enumerate().map(|(i, h)| {
                                        let v = i.to_string();
                                        let v2 = v.clone();
                                        view! { <option value=v selected=move || sig.get() == v2>{h.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <fieldset class="mt-4">
                    <legend class="mb-1 text-sm font-medium text-slate-700">{t.t("import.mode")}</legend>
                    <div class="flex flex-wrap gap-4">
                        {dup_modes(entity).iter().map(|m| {
                            let code = m.code();
                            view! {
                                <label class="flex min-h-11 items-center gap-2">
                                    <input type="radio" name="dup-mode" class="h-5 w-5" value=code checked=move || mode.get() == code on:change=move |_| mode.set(code.to_string())/>
                                    {t.t(&format!("import.mode.{code}"))}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="mt-4 flex flex-wrap gap-2">
                    <button type="button" class=BTN_SECONDARY disabled=move || check.pending().get() on:click={
                        let plan = plan_for_check.clone();
                        move |_| { check.dispatch(plan()); }
                    }>{t.t("import.check")}</button>
                    <button type="button" class=BTN_PRIMARY
                        disabled=move || start.pending().get() || progress.with(|p| p.as_ref().is_some_and(|p| p.status == "running" || p.status == "done"))
                        on:click={
                            let plan = plan_for_start.clone();
                            move |_| { start.dispatch(plan()); }
                        }>{t.t("import.run")}</button>
                </div>
                <p role="alert" class="mt-2 min-h-5 text-sm text-red-700">
                    {move || check_error().or(run_error.get()).map(|e| e.field("name").map(|k| t.t(&k)).unwrap_or_else(|| error_text(t, &e)))}
                </p>
            </section>
        })}
        {move || progress.get().map(|p| {
            let pct = (p.processed * 100).checked_div(p.total).unwrap_or(0);
            view! {
                <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4">
                    <label for="import-progress" class="text-sm">{t.t(&format!("import.status.{}", p.status))}</label>
                    <progress id="import-progress" class="h-4 w-full" max="100" value=if p.status == "done" { 100 } else { pct }></progress>
                    {p.error.clone().map(|e| view! { <p role="alert" class="text-red-700">{t.t("import.failed")} " " {t.t(&e)}</p> })}
                </section>
            }
        })}
        {move || check.value().get().and_then(|r| r.ok()).filter(|_| progress.with(|p| p.is_none())).map(|r| report_view(t, entity, r))}
        {move || progress.get().and_then(|p| p.report).map(|r| report_view(t, entity, r))}
        {done_report.map(|r| report_view(t, entity, r))}
        {move || progress.with(|p| p.as_ref().is_some_and(|p| p.status == "done")).then(|| view! {
            <A href=list_href attr:class=format!("{BTN_PRIMARY} mt-4")>{t.t(&entity_key(entity, "to_list"))}</A>
        })}
    }
}
