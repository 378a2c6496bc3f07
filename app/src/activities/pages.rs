//! The customer timeline (newest first, filter by type, infinite scroll), the log
//! form, and the user's visit plan.
use crate::activities::api::{complete_activity, customer_timeline, delete_attachment, log_activity, my_visit_plan, set_activity_deleted};
use crate::activities::types::*;
use crate::contacts::api::list_contacts;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, fmt_time, ErrorBanner, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The activities timeline of one customer.
#[component]
pub fn TimelineSection(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    let kind = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<Activity>::new());
    let next = RwSignal::new(None::<String>);
    let can_log = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let logging = RwSignal::new(false);
    // (kind, cursor): a page request; a new kind starts from the top.
    let fetch = Action::new(move |(k, after): &(String, Option<String>)| {
        let (k, after) = (k.clone(), after.clone());
        async move { (after.is_none(), customer_timeline(customer_id, Some(k), after).await) }
    });
    Effect::new(move |_| {
        if let Some((fresh, r)) = fetch.value().get() {
            match r {
                Ok(page) => {
                    if fresh {
                        items.set(page.items);
                    } else {
                        items.update(|v| v.extend(page.items));
                    }
                    next.set(page.next);
                    can_log.set(page.can_log);
                    loaded.set(true);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let reload = move || {
        fetch.dispatch((kind.get_untracked(), None));
    };
    Effect::new(move |_| {
        fetch.dispatch((kind.get(), None));
    });
    let load_more = move || {
        if let Some(n) = next.get_untracked() {
            if !fetch.pending().get_untracked() {
                fetch.dispatch((kind.get_untracked(), Some(n)));
            }
        }
    };
    let sentinel = NodeRef::<leptos::html::Div>::new();
    infinite_scroll(sentinel, load_more);
    let remove = Action::new(move |(id, deleted): &(i64, bool)| {
        let (id, deleted) = (*id, *deleted);
        async move { set_activity_deleted(id, deleted).await }
    });
    let undo = RwSignal::new(None::<i64>);
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => reload(),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let query = leptos_router::hooks::use_query_map();
    let attach_error = move || query.read().get("attach_error").filter(|e| e.starts_with("attachment.") || e.starts_with("error."));
    let chips = std::iter::once(String::new())
        .chain(ActivityKind::ALL.iter().map(|k| k.code().to_string()))
        .chain(std::iter::once("document".to_string()))
        .collect::<Vec<_>>();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="timeline-title" data-testid="timeline">
            <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 id="timeline-title" class="font-semibold">{t.t("activities.timeline")}</h2>
                <Show when=move || can_log.get()>
                    <button type="button" class=BTN_PRIMARY on:click=move |_| logging.update(|l| *l = !*l)>{t.t("activities.log")}</button>
                </Show>
            </div>
            <Show when=move || logging.get()>
                <ActivityForm customer_id on_saved=Callback::new(move |_| { logging.set(false); reload(); }) on_cancel=Callback::new(move |_| logging.set(false))/>
            </Show>
            <div class="-mx-1 mb-3 flex gap-1 overflow-x-auto pb-1" role="group" aria-label=t.t("activities.filter")>
                {chips.into_iter().map(|k| {
                    let k2 = k.clone();
                    let k3 = k.clone();
                    let label = if k.is_empty() { t.t("activities.all") } else { t.t(&format!("activity.kind.{k}")) };
                    view! {
                        <button type="button" aria-pressed=move || (kind.get() == k2).to_string()
                            class="min-h-11 shrink-0 rounded-full border border-slate-300 px-3 text-sm aria-[pressed=true]:border-blue-700 aria-[pressed=true]:bg-blue-700 aria-[pressed=true]:text-white"
                            on:click=move |_| kind.set(k3.clone())>
                            {label}
                        </button>
                    }
                }).collect_view()}
            </div>
            <ErrorBanner error=error/>
            {move || attach_error().map(|code| view! {
                <div role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">{t.t(&code)}</div>
            })}
            {move || undo.get().map(|id| view! {
                <div role="status" class="mb-3 flex items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
                    <span>{t.t("activities.deleted")}</span>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| { undo.set(None); remove.dispatch((id, false)); }>{t.t("common.undo")}</button>
                </div>
            })}
            <Show when=move || loaded.get() && items.with(Vec::is_empty)>
                <p class="text-slate-500">{t.t("activities.none")}</p>
            </Show>
            <ol class="relative border-l-2 border-slate-200 pl-4" data-testid="timeline-items">
                <For each=move || items.get() key=|a| (a.id, a.version) let:a>
                    <TimelineItem a customer_id can_edit=can_log.get_untracked()
                        on_delete=Callback::new(move |id| { undo.set(Some(id)); remove.dispatch((id, true)); })
                        on_change=Callback::new(move |_| reload())/>
                </For>
            </ol>
            <div node_ref=sentinel class="h-1"></div>
            <Show when=move || next.get().is_some()>
                <button type="button" class=BTN_SECONDARY disabled=move || fetch.pending().get() on:click=move |_| load_more()>
                    {t.t("common.load_more")}
                </button>
            </Show>
        </section>
    }
}

/// Calls `load` whenever the sentinel scrolls into view (infinite scroll); the
/// "load more" button stays for keyboards and for browsers without the observer.
fn infinite_scroll(sentinel: NodeRef<leptos::html::Div>, load: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        Effect::new(move |_| {
            let Some(el) = sentinel.get() else { return };
            let load = load.clone();
            let cb = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let visible = entries.iter().any(|e| e.unchecked_into::<web_sys::IntersectionObserverEntry>().is_intersecting());
                if visible {
                    load();
                }
            });
            if let Ok(observer) = web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) {
                observer.observe(&el);
                on_cleanup(move || observer.disconnect());
            }
            cb.forget();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (sentinel, load);
}

/// A business document on the timeline: what it is, its number (a link), title, amount
/// and state.
fn document_item(t: crate::platform::i18n::I18n, at: i64, d: crate::activities::types::TimelineDoc) -> AnyView {
    let amount = d.amount.map(|a| crate::quotes::pages::money(a, &d.currency));
    let state = match d.kind.as_str() {
        "quote" => Some(t.t(&format!("quote.status.{}", d.state))),
        "order" => Some(t.t(&format!("order.status.{}", d.state))),
        "contract" if d.state == "terminated" => Some(t.t("contract.status.terminated")),
        "payment" | "invoice" if d.state == "void" => Some(t.t("contract.voided")),
        "service_request" => Some(t.t(&format!("service.status.{}", d.state))),
        _ => None,
    };
    view! {
        <li class="mb-4" data-testid="timeline-document" data-kind=d.kind.clone()>
            <span aria-hidden="true" class="absolute -left-3 flex h-6 w-6 items-center justify-center rounded-full bg-white text-sm ring-2 ring-slate-200">
                {d.icon()}
            </span>
            <div class="flex flex-wrap items-baseline gap-x-2">
                <span class="text-xs text-slate-500">{t.t(&format!("timeline.doc.{}", d.kind))}</span>
                <a href=d.href.clone() class="font-mono font-medium text-blue-800 underline">{d.number.clone()}</a>
                {(!d.title.is_empty()).then(|| view! { <span class="min-w-0 break-words">{d.title.clone()}</span> })}
                {amount.map(|m| view! { <span class="font-medium tabular-nums">{m}</span> })}
                {state.map(|s| view! { <span class="rounded-full bg-slate-100 px-2 text-xs text-slate-700">{s}</span> })}
            </div>
            <div class="text-sm text-slate-600">
                <time>{fmt_time(at)}</time>
                {d.by_name.clone().map(|o| view! { <span>" · " {o}</span> })}
            </div>
        </li>
    }
    .into_any()
}

#[component]
fn TimelineItem(a: Activity, customer_id: i64, can_edit: bool, on_delete: Callback<i64>, on_change: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    if let Some(d) = a.doc.clone() {
        return document_item(t, a.occurred_at, d);
    }
    let planned = a.status == "planned";
    let id = a.id;
    let remove_file = Action::new(move |fid: &i64| {
        let fid = *fid;
        async move { delete_attachment(fid).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove_file.value().get() {
            on_change.run(());
        }
    });
    let files = a.attachments.clone();
    view! {
        <li class="mb-4" data-testid="activity">
            <span aria-hidden="true" class="absolute -left-3 flex h-6 w-6 items-center justify-center rounded-full bg-white text-sm ring-2 ring-slate-200">
                {ActivityKind::icon(&a.kind)}
            </span>
            <div class="flex flex-wrap items-baseline gap-x-2">
                <span class="font-medium">{a.subject.clone()}</span>
                <span class="text-xs text-slate-500">{t.t(&format!("activity.kind.{}", a.kind))}</span>
                {planned.then(|| view! { <span class="rounded-full bg-amber-100 px-2 text-xs text-amber-900">{t.t("activity.status.planned")}</span> })}
            </div>
            <div class="text-sm text-slate-600">
                <time>{fmt_time(a.occurred_at)}</time>
                {a.owner_name.clone().map(|o| view! { <span>" · " {o}</span> })}
                {a.contact_name.clone().map(|c| view! { <span>" · " {t.t("activity.with")} " " {c}</span> })}
            </div>
            {a.body.clone().map(|b| view! { <p class="mt-1 whitespace-pre-wrap break-words">{b}</p> })}
            {a.result.clone().map(|r| view! { <p class="mt-1 whitespace-pre-wrap rounded bg-green-50 px-2 py-1 text-sm"><span class="font-medium">{t.t("activity.result")} ": "</span>{r}</p> })}
            {(!files.is_empty()).then(|| view! {
                <ul class="mt-1 space-y-1" aria-label=t.t("attachment.list")>
                    {files.into_iter().map(|f| {
                        let fid = f.id;
                        view! {
                            <li class="flex flex-wrap items-center gap-2 text-sm">
                                <a class="min-h-8 text-blue-700 underline" href=format!("/attachments/{fid}") rel="external" download="">
                                    "📎 " {f.file_name.clone()}
                                </a>
                                <span class="text-slate-500">{human_size(f.size_bytes)}</span>
                                {can_edit.then(|| view! {
                                    <button type="button" class="min-h-8 px-1 text-red-700 underline" aria-label=t.t_args("attachment.delete", &[("name", f.file_name.clone())])
                                        on:click=move |_| { remove_file.dispatch(fid); }>"×"</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {can_edit.then(|| view! {
                <details class="mt-1">
                    <summary class="min-h-11 cursor-pointer py-2 text-sm text-blue-700">{t.t("attachment.add")}</summary>
                    <form method="post" enctype="multipart/form-data" action=format!("/activities/{id}/attachments?back=/customers/{customer_id}")
                        class="flex flex-wrap items-center gap-2" data-testid="attachment-form">
                        <input type="file" name="file" required aria-label=t.t("attachment.file") class="min-h-11 max-w-full text-sm"
                            accept=".jpg,.jpeg,.png,.gif,.webp,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.zip"/>
                        <button type="submit" class=BTN_SECONDARY>{t.t("attachment.upload")}</button>
                        <span class="text-xs text-slate-500">{t.t("attachment.limits")}</span>
                    </form>
                </details>
            })}
            {(can_edit && planned).then(|| view! { <CompleteForm a=a.clone() on_done=on_change/> })}
            {can_edit.then(|| view! {
                <button type="button" class="min-h-11 text-sm text-red-700 underline" on:click=move |_| on_delete.run(id)>{t.t("common.delete")}</button>
            })}
        </li>
    }
    .into_any()
}

/// Records the result of a planned visit.
#[component]
fn CompleteForm(a: Activity, on_done: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let open = RwSignal::new(false);
    let result = RwSignal::new(String::new());
    let (id, version) = (a.id, a.version);
    let save = Action::new(move |r: &String| {
        let r = r.clone();
        async move { complete_activity(id, version, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            on_done.run(());
        }
    });
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field("result")));
    let general = Signal::derive(move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="mr-3 min-h-11 text-sm text-blue-700 underline" on:click=move |_| open.set(true)>{t.t("activity.record_result")}</button>
        }>
            <form class="mt-2 rounded-md border border-slate-200 p-2" on:submit=move |ev| { ev.prevent_default(); save.dispatch(result.get_untracked()); }>
                <TextArea id="activity-result" label=t.t("activity.result") value=result error=err max_len=BODY_MAX/>
                <ErrorBanner error=general/>
                <div class="flex gap-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| open.set(false)>{t.t("common.cancel")}</button>
                </div>
            </form>
        </Show>
    }
}

/// Logs a follow-up on a customer (and, when given, one of its opportunities).
#[component]
pub fn ActivityForm(
    customer_id: i64,
    #[prop(optional)] opportunity_id: Option<i64>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = use_i18n();
    let contacts = Resource::new(move || customer_id, list_contacts);
    let kind = RwSignal::new("call".to_string());
    let planned = RwSignal::new(false);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let occurred_at = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let local_errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |input: &ActivityInput| {
        let input = input.clone();
        async move { log_activity(customer_id, input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_saved.run(());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let field_error = move |f: &'static str| crate::ui::field_error(local_errors, server_error, f);
    let general_error = Signal::derive(move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ActivityInput {
            kind: kind.get_untracked(),
            planned: planned.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            occurred_at: occurred_at.get_untracked(),
            contact_id: contact.get_untracked().parse().ok(),
            opportunity_id,
        };
        // Checked in the browser without the clock rules; the server has the authoritative time.
        match input.validate(i64::MAX / 4, 0) {
            Err(es) => local_errors
                .set(es.into_iter().filter(|e| e.code != "validation.done_in_future" && e.code != "validation.plan_in_past").collect()),
            Ok(_) => local_errors.set(Vec::new()),
        }
        if local_errors.with_untracked(Vec::is_empty) {
            save.dispatch(input);
        }
    };
    let kinds: Vec<(String, String)> =
        ActivityKind::ALL.iter().map(|k| (k.code().to_string(), t.t(&format!("activity.kind.{}", k.code())))).collect();
    view! {
        <form on:submit=submit novalidate class="mb-4 rounded-md border border-blue-200 bg-blue-50/40 p-3" data-testid="activity-form">
            <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
                <SelectField id="activity-kind" label=t.t("activity.kind") value=kind options=kinds error=field_error("kind")/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let mut options = vec![(String::new(), "—".to_string())];
                        options.extend(contacts.await.map(|c| c.contacts).unwrap_or_default().into_iter().map(|c| (c.id.to_string(), c.name)));
                        view! { <SelectField id="activity-contact" label=t.t("activity.contact") value=contact options error=field_error("contact_id")/> }
                    })}
                </Suspense>
            </div>
            <label class="mb-2 flex min-h-11 items-center gap-2">
                <input type="checkbox" class="h-5 w-5" prop:checked=move || planned.get() on:change=move |ev| planned.set(event_target_checked(&ev))/>
                {t.t("activity.is_plan")}
            </label>
            <TextField id="activity-subject" label=t.t("activity.subject") value=subject error=field_error("subject") max_len=SUBJECT_MAX required=true/>
            <TextField id="activity-time" label=t.t("activity.occurred_at") value=occurred_at error=field_error("occurred_at") input_type="datetime-local"/>
            <TextArea id="activity-body" label=t.t("activity.body") value=body error=field_error("body") max_len=BODY_MAX/>
            <ErrorBanner error=general_error/>
            <div class="flex gap-2">
                <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                <button type="button" class=BTN_SECONDARY on:click=move |_| on_cancel.run(())>{t.t("common.cancel")}</button>
            </div>
        </form>
    }
}

/// The signed-in user's planned visits and follow-ups (拜访计划), soonest first.
#[component]
pub fn VisitPlanPage() -> impl IntoView {
    let t = use_i18n();
    let plan = Resource::new(|| (), |_| my_visit_plan());
    view! {
        <Title text=t.t("activities.plan")/>
        <PageHeader title=t.t("activities.plan")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match plan.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="text-slate-500">{t.t("activities.plan_empty")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="plan">
                            {items.into_iter().map(|a| {
                                let customer = a.customer_id.map(|c| (c, a.customer_name.clone().unwrap_or_default()));
                                view! {
                                    <li class="px-4 py-3">
                                        <div class="flex flex-wrap items-baseline justify-between gap-2">
                                            <span class="font-medium">{ActivityKind::icon(&a.kind)} " " {a.subject.clone()}</span>
                                            <time class="text-sm text-slate-600">{fmt_time(a.occurred_at)}</time>
                                        </div>
                                        {customer.map(|(id, name)| view! { <A href=format!("/customers/{id}") attr:class="text-sm text-blue-700 underline">{name}</A> })}
                                        {a.contact_name.clone().map(|c| view! { <span class="text-sm text-slate-600">" · " {c}</span> })}
                                        {a.body.clone().map(|b| view! { <p class="text-sm">{b}</p> })}
                                        <CompleteForm a=a.clone() on_done=Callback::new(move |_| plan.refetch())/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
