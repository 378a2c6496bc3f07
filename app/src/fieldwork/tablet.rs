//! The engineer's tablet (V4): today's jobs in order and, for each, check-in and
//! check-out, labour, notes, parts from stock, photos, the customer's signature and
//! completion. Touch first with big targets, for 768×1024 and phones.
//!
//! It keeps working without a network. The server renders the day's jobs into the page,
//! so they show with the first paint, before the bundle has arrived; in the browser the
//! newest of that day and the device's own copy wins, and the server is asked again
//! whenever it can be. The service worker (`public/sw.js`) keeps the page itself. What the engineer does is
//! queued on the device as changes with keys made there, shown at once, and sent one at
//! a time, in order, whenever the network is there; a change the server refuses because
//! the office changed the work order meanwhile is kept and shown until the engineer has
//! read it.
use crate::catalog::types::{format_qty, parse_qty};
use crate::fieldwork::api::{get_field_kit, sync_field_change};
use crate::fieldwork::field::*;
use crate::fieldwork::pages::status_badge;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{use_i18n, I18n};
use crate::tickets::pages::INPUT;
use crate::ui::{fmt_time, use_session, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::{Deserialize, Serialize};

const BIG: &str = "inline-flex min-h-14 items-center justify-center rounded-lg px-5 py-3 text-lg font-semibold disabled:opacity-50";

/// A change the server would not apply, kept until the engineer has read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub change: FieldChange,
    pub job: String,
    pub reason: String,
}

/// The tablet's state: the day from the server, the queue, and the refusals.
#[derive(Clone, Copy)]
struct Field {
    kit: RwSignal<Option<FieldKit>>,
    queue: RwSignal<Vec<FieldChange>>,
    refused: RwSignal<Vec<Refusal>>,
    online: RwSignal<bool>,
    syncing: RwSignal<bool>,
    /// Signed out while offline: changes wait until the engineer signs in again.
    signed_out: RwSignal<bool>,
    last_sync: RwSignal<Option<i64>>,
    user: i64,
}

/// Signing out on a shared device: the day's jobs leave it; changes not sent yet stay
/// until the same engineer signs in again.
pub fn forget_device_copy() {
    device::forget();
}

fn storage_key(user: i64, what: &str) -> String {
    format!("crm.field.{user}.{what}")
}

impl Field {
    fn save(&self) {
        let user = self.user;
        if let Some(queue) = self.queue.try_get_untracked() {
            device::put(&storage_key(user, "queue"), &queue);
        }
        if let Some(refused) = self.refused.try_get_untracked() {
            device::put(&storage_key(user, "refused"), &refused);
        }
        if let Some(kit) = self.kit.try_get_untracked().flatten() {
            device::put(&storage_key(user, "kit"), &kit);
        }
    }

    /// Takes a copy of the day unless the one shown is newer: the server's page may be
    /// older than the device's copy when the service worker served it offline.
    fn offer(&self, kit: FieldKit) {
        if kit.user_id != self.user {
            return;
        }
        if self.kit.with_untracked(|k| k.as_ref().is_none_or(|k| k.fetched_at <= kit.fetched_at)) {
            self.kit.set(Some(kit));
        }
    }

    fn restore(&self) {
        let user = self.user;
        if let Some(kit) = device::get::<FieldKit>(&storage_key(user, "kit")) {
            self.offer(kit);
        }
        self.queue.set(device::get(&storage_key(user, "queue")).unwrap_or_default());
        self.refused.set(device::get(&storage_key(user, "refused")).unwrap_or_default());
    }

    /// Queues a change made now on a job, after the checks the device can make.
    fn enqueue(&self, work_order_id: i64, op: FieldOp) -> Result<(), Vec<FieldError>> {
        op.validate()?;
        let change = FieldChange { key: device::new_key(), work_order_id, at: device::now(), op };
        self.queue.update(|q| q.push(change));
        self.save();
        self.sync();
        Ok(())
    }

    /// Sends the queue in order, one change at a time, until it is empty or the network
    /// fails; then fetches the day again. The page may be left meanwhile: the round then
    /// stops at the next change (the queue is on the device for next time).
    fn sync(&self) {
        let f = *self;
        if f.syncing.try_get_untracked().unwrap_or(true) || !device::online() {
            return;
        }
        f.syncing.set(true);
        leptos::task::spawn_local(async move {
            let mut reached = false;
            while let Some(change) = f.queue.try_get_untracked().and_then(|q| q.first().cloned()) {
                let job = f
                    .kit
                    .try_get_untracked()
                    .flatten()
                    .and_then(|k| k.jobs.iter().find(|j| j.order.id == change.work_order_id).map(|j| j.order.number.clone()))
                    .unwrap_or_default();
                let refused = match sync_field_change(change.clone()).await {
                    Ok(r) if r.applied() => None,
                    Ok(r) => Some(r.reason.unwrap_or_else(|| "field.refused".into())),
                    Err(AppError::NotFound) | Err(AppError::Forbidden) => Some("field.gone".into()),
                    Err(AppError::Validation(errs)) => Some(errs.first().map(|e| e.code.clone()).unwrap_or_else(|| "field.refused".into())),
                    Err(AppError::Unauthenticated) => {
                        f.signed_out.try_set(true);
                        break;
                    }
                    // The network or the server is away: try again later, in order.
                    Err(_) => break,
                };
                reached = true;
                f.signed_out.try_set(false);
                if let Some(reason) = refused {
                    f.refused.try_update(|r| r.push(Refusal { change: change.clone(), job, reason }));
                }
                if f.queue.try_update(|q| q.retain(|c| c.key != change.key)).is_none() {
                    return;
                }
                f.save();
            }
            if reached || f.queue.try_with_untracked(Vec::is_empty).unwrap_or(false) {
                if let Ok(kit) = get_field_kit().await {
                    f.kit.try_set(Some(kit));
                    f.last_sync.try_set(Some(device::now()));
                    f.save();
                }
            }
            f.syncing.try_set(false);
        });
    }
}

#[component]
pub fn FieldPage() -> impl IntoView {
    let t = use_i18n();
    let user = use_session().me.map(|m| m.id).unwrap_or_default();
    let f = Field {
        kit: RwSignal::new(None),
        queue: RwSignal::new(Vec::new()),
        refused: RwSignal::new(Vec::new()),
        online: RwSignal::new(true),
        syncing: RwSignal::new(false),
        signed_out: RwSignal::new(false),
        last_sync: RwSignal::new(None),
        user,
    };
    // The day as the server had it when it rendered the page (or, offline, when the
    // service worker kept it).
    let served = Resource::new(|| (), |_| get_field_kit());
    let loaded = RwSignal::new(false);
    Effect::new(move |_| {
        f.restore();
        f.save();
        f.online.set(device::online());
        device::register_worker();
        let listeners = device::on_network(move |up| {
            f.online.set(up);
            if up {
                f.sync();
            }
        });
        let retry = set_interval_with_handle(move || f.sync(), std::time::Duration::from_secs(20)).ok();
        on_cleanup(move || {
            listeners.into_iter().for_each(|l| l.remove());
            if let Some(r) = retry {
                r.clear();
            }
        });
        loaded.set(true);
        f.sync();
    });
    let query = use_query_map();
    // A job opens once the page runs on the device: the page the service worker keeps is
    // the list, whichever job was asked for, and must hydrate as what it is.
    let selected = Memo::new(move |_| query.read().get("job").and_then(|v| v.parse::<i64>().ok()).filter(|_| loaded.get()));
    let jobs = Memo::new(move |_| {
        let queue = f.queue.get();
        f.kit.with(|k| {
            k.as_ref()
                .map(|k| k.jobs.iter().map(|j| with_pending(j, &queue, &k.parts, &k.warehouses)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let has_kit = Memo::new(move |_| f.kit.with(Option::is_some));
    view! {
        <Title text=t.t("field.title")/>
        <div class="mx-auto max-w-3xl" data-testid="field-page">
            <StatusBar f/>
            <RefusedList f/>
            <Suspense fallback=move || view! { <p class="py-8 text-center text-slate-500">{t.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    if let Ok(kit) = served.await {
                        f.offer(kit);
                    }
                    // Only what changes the page's shape re-renders it; the sections follow
                    // the job themselves, so what is being typed or signed is never lost.
                    move || {
                        if !has_kit.get() {
                            return if loaded.get() {
                                view! { <p class="py-8 text-center text-slate-600" data-testid="field-no-data">{t.t("field.no_data")}</p> }.into_any()
                            } else {
                                view! { <p class="py-8 text-center text-slate-500">{t.t("common.loading")}</p> }.into_any()
                            };
                        }
                        match selected.get() {
                            Some(id) => view! { <JobView f id jobs/> }.into_any(),
                            None => view! { <JobList jobs/> }.into_any(),
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn StatusBar(f: Field) -> impl IntoView {
    let t = use_i18n();
    view! {
        <div class="mb-3 flex flex-wrap items-center gap-2 rounded-lg bg-slate-100 px-3 py-2" data-testid="field-status">
            <span
                class=move || if f.online.get() { "rounded px-2 py-1 text-sm font-medium bg-green-100 text-green-900" } else { "rounded px-2 py-1 text-sm font-medium bg-amber-200 text-amber-950" }
                data-testid="field-network" data-online=move || f.online.get().to_string()
            >
                {move || if f.online.get() { t.t("field.online") } else { t.t("field.offline") }}
            </span>
            <span class="text-sm text-slate-700" data-testid="field-pending" data-count=move || f.queue.with(Vec::len).to_string()>
                {move || match f.queue.with(Vec::len) {
                    0 => t.t("field.all_sent"),
                    n => t.t_args("field.pending", &[("count", n.to_string())]),
                }}
            </span>
            {move || f.last_sync.get().map(|at| view! { <span class="text-xs text-slate-500">{t.t_args("field.synced_at", &[("time", fmt_time(at))])}</span> })}
            {move || f.signed_out.get().then(|| view! {
                <a href="/login?next=/field" class="text-sm font-medium text-red-800 underline" data-testid="field-signed-out">{t.t("field.sign_in_again")}</a>
            })}
            <button type="button" class=format!("{BTN_SECONDARY} ml-auto") data-testid="field-sync"
                disabled=move || f.syncing.get() || !f.online.get()
                on:click=move |_| f.sync()>
                {move || if f.syncing.get() { t.t("field.syncing") } else { t.t("field.sync_now") }}
            </button>
        </div>
    }
}

fn op_label(t: I18n, op: &FieldOp) -> String {
    t.t(&format!("field.op.{}", op.code()))
}

#[component]
fn RefusedList(f: Field) -> impl IntoView {
    let t = use_i18n();
    move || {
        let list = f.refused.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="mb-3 rounded-lg border border-red-300 bg-red-50 p-3" data-testid="field-refused">
                    <h2 class="font-semibold text-red-900">{t.t("field.refused_title")}</h2>
                    <p class="text-sm text-red-900">{t.t("field.refused_hint")}</p>
                    <ul class="mt-2 space-y-2">
                        {list.into_iter().map(|r| {
                            let key = r.change.key.clone();
                            let detail = match &r.change.op {
                                FieldOp::Note { text } => text.clone(),
                                FieldOp::Complete { resolution } => resolution.clone(),
                                FieldOp::Part { qty_milli, .. } => format_qty(*qty_milli),
                                FieldOp::Labour { minutes } => minutes.to_string(),
                                FieldOp::Signature { signer, .. } => signer.clone(),
                                FieldOp::Photo { name, .. } => name.clone(),
                                _ => String::new(),
                            };
                            view! {
                                <li class="flex flex-wrap items-center gap-2 rounded bg-white p-2" data-testid="field-refusal">
                                    <span class="font-medium">{r.job.clone()}</span>
                                    <span>{op_label(t, &r.change.op)}</span>
                                    <span class="text-slate-700">{detail}</span>
                                    <span class="text-red-800" data-testid="field-refusal-reason">{t.t(&r.reason)}</span>
                                    <button type="button" class=format!("{BTN_SECONDARY} ml-auto") on:click=move |_| {
                                        f.refused.update(|l| l.retain(|x| x.change.key != key));
                                        f.save();
                                    }>{t.t("field.dismiss")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

fn map_link(address: &str) -> String {
    format!("https://uri.amap.com/search?keyword={}", crate::ui::url_encode(address))
}

fn span(job: &FieldJob) -> String {
    match (job.order.planned_start, job.order.planned_end) {
        (Some(s), Some(e)) => {
            let end = fmt_time(e);
            format!("{}–{}", fmt_time(s), end.rsplit(' ').next().unwrap_or_default())
        }
        _ => String::new(),
    }
}

#[component]
fn JobList(jobs: Memo<Vec<FieldJob>>) -> impl IntoView {
    let t = use_i18n();
    view! {
        <h1 class="mb-2 text-xl font-bold">{t.t("field.title")}</h1>
        {move || {
            let list = jobs.get();
            if list.is_empty() {
                return view! { <p class="py-8 text-center text-slate-600" data-testid="field-empty">{t.t("field.no_jobs")}</p> }.into_any();
            }
            view! {
                <ol class="space-y-3" data-testid="field-jobs">
                    {list.into_iter().enumerate().map(|(i, j)| {
                        let o = j.order.clone();
                        view! {
                            <li>
                                <a href=format!("/field?job={}", o.id) class="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm active:bg-slate-50" data-testid="field-job" data-number=o.number.clone()>
                                    <div class="flex flex-wrap items-center gap-2">
                                        <span class="flex h-8 w-8 items-center justify-center rounded-full bg-blue-700 font-bold text-white">{i + 1}</span>
                                        <span class="text-lg font-semibold">{span(&j)}</span>
                                        {status_badge(t, &o.status)}
                                    </div>
                                    <div class="mt-1 text-lg">{o.customer_name.clone()}</div>
                                    <div class="text-slate-600">{o.address.clone()}</div>
                                    <div class="text-sm text-slate-500">{format!("{} · {}", o.number, o.request_subject)}</div>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

/// A section's errors, shown next to its fields.
fn err_text(t: I18n, errors: RwSignal<Vec<FieldError>>, field: &'static str) -> impl IntoView {
    move || {
        errors.with(|es| es.iter().find(|e| e.field == field).map(|e| t.t(&e.code))).map(|m| {
            view! {
                <p class="text-sm text-red-700" data-testid=format!("field-error-{field}")>{m}</p>
            }
        })
    }
}

#[component]
fn JobView(f: Field, id: i64, jobs: Memo<Vec<FieldJob>>) -> impl IntoView {
    let t = use_i18n();
    let navigate = use_navigate();
    let job = Memo::new(move |_| jobs.with(|l| l.iter().find(|j| j.order.id == id).cloned()));
    let open =
        Memo::new(move |_| job.with(|j| j.as_ref().is_some_and(|j| matches!(j.order.status.as_str(), "dispatched" | "in_progress"))));
    let site = move || job.with(|j| j.as_ref().map(|j| j.site.clone()).unwrap_or_default());
    let checked_in = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.site.checked_in_at)));
    let checked_out = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.site.checked_out_at)));
    let signed = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.site.signed_by.clone())));
    let signature_id = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.site.signature_id)));
    let completed = Memo::new(move |_| {
        job.with(|j| j.as_ref().and_then(|j| j.site.completed_at.map(|at| (at, j.site.resolution.clone().unwrap_or_default()))))
    });
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let run = move |op: FieldOp| match f.enqueue(id, op) {
        Ok(()) => {
            errors.set(Vec::new());
            true
        }
        Err(e) => {
            errors.set(e);
            false
        }
    };
    let note = RwSignal::new(String::new());
    let labour =
        RwSignal::new(job.with_untracked(|j| j.as_ref().and_then(|j| j.site.labour_minutes).map(|m| m.to_string()).unwrap_or_default()));
    let resolution = RwSignal::new(String::new());
    let kit = f.kit.get_untracked().unwrap_or_default();
    let warehouse = RwSignal::new(kit.warehouses.first().map(|w| w.0.to_string()).unwrap_or_default());
    let part = RwSignal::new(String::new());
    let qty = RwSignal::new("1".to_string());
    let photo_busy = RwSignal::new(false);
    let back = move |_| navigate("/field", Default::default());
    let header = move || {
        let Some(j) = job.get() else {
            return view! { <p class="py-8 text-center text-slate-600" data-testid="field-job-missing">{t.t("field.job_missing")}</p> }
                .into_any();
        };
        let o = j.order.clone();
        view! {
            <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="field-job-view" data-number=o.number.clone()>
                <div class="flex flex-wrap items-center gap-2">
                    <h1 class="text-xl font-bold">{o.customer_name.clone()}</h1>
                    {status_badge(t, &o.status)}
                </div>
                <p class="text-slate-600">{format!("{} · {} · {}", o.number, o.request_number, o.request_subject)}</p>
                <p class="mt-1 text-lg">{span(&j)}</p>
                <p class="mt-2 text-lg">{o.address.clone()}</p>
                <div class="mt-2 flex flex-wrap gap-2">
                    {(!o.address.is_empty()).then(|| view! {
                        <a href=map_link(&o.address) target="_blank" rel="noopener" class=BTN_SECONDARY data-testid="field-map">{format!("🗺️ {}", t.t("field.map"))}</a>
                    })}
                    {j.customer_phone.clone().filter(|p| !p.is_empty()).map(|p| view! {
                        <a href=format!("tel:{p}") class=BTN_SECONDARY>{format!("📞 {p}")}</a>
                    })}
                </div>
                {(!o.instructions.is_empty()).then(|| view! { <p class="mt-2 whitespace-pre-wrap rounded bg-amber-50 p-2">{o.instructions.clone()}</p> })}
                {(!j.items.is_empty()).then(|| view! {
                    <ul class="mt-2 list-disc pl-5 text-slate-700">
                        {j.items.iter().map(|it| view! { <li>{format!("{} × {}", it.description, format_qty(it.qty_milli))}</li> }).collect_view()}
                    </ul>
                })}
            </section>
        }
        .into_any()
    };
    let warehouses = kit.warehouses.clone();
    let parts = kit.parts.clone();
    view! {
        <div class="space-y-4">
            <button type="button" class=BTN_SECONDARY on:click=back data-testid="field-back">{format!("← {}", t.t("field.all_jobs"))}</button>
            {header}

            <section class="grid grid-cols-2 gap-3">
                <div class="rounded-lg border border-slate-200 bg-white p-3">
                    <div class="text-sm text-slate-500">{t.t("field.checked_in")}</div>
                    <div class="text-lg font-semibold" data-testid="field-checked-in">{move || checked_in.get().map(fmt_time).unwrap_or_else(|| "—".into())}</div>
                    {move || (open.get() && checked_in.get().is_none()).then(|| view! {
                        <button type="button" class=format!("{BIG} mt-2 w-full bg-blue-700 text-white") data-testid="field-check-in"
                            on:click=move |_| { run(FieldOp::CheckIn); }>{t.t("field.check_in")}</button>
                    })}
                </div>
                <div class="rounded-lg border border-slate-200 bg-white p-3">
                    <div class="text-sm text-slate-500">{t.t("field.checked_out")}</div>
                    <div class="text-lg font-semibold" data-testid="field-checked-out">{move || checked_out.get().map(fmt_time).unwrap_or_else(|| "—".into())}</div>
                    {move || (open.get() && checked_in.get().is_some() && checked_out.get().is_none()).then(|| view! {
                        <button type="button" class=format!("{BIG} mt-2 w-full bg-slate-700 text-white") data-testid="field-check-out"
                            on:click=move |_| { run(FieldOp::CheckOut); }>{t.t("field.check_out")}</button>
                    })}
                </div>
            </section>

            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="font-semibold">{t.t("field.notes")}</h2>
                <ul class="mt-1 space-y-1" data-testid="field-notes">
                    {move || site().entries.into_iter().filter(|e| e.op == "note" && e.outcome != "conflict").map(|n| view! {
                        <li class="rounded bg-slate-50 p-2" data-testid="field-note" data-pending={(n.outcome == "pending").to_string()}>
                            <span class="text-xs text-slate-500">{fmt_time(n.happened_at)}</span>" "{n.text}
                        </li>
                    }).collect_view()}
                </ul>
                <div class:hidden=move || !open.get()>
                    <textarea class=format!("{INPUT} mt-2 min-h-24 w-full text-lg") data-testid="field-note-input" aria-label=t.t("field.notes")
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    {err_text(t, errors, "note")}
                    <button type="button" class=format!("{BIG} mt-2 bg-blue-700 text-white") data-testid="field-note-add"
                        on:click=move |_| if run(FieldOp::Note { text: note.get_untracked().trim().to_string() }) { note.set(String::new()) }>
                        {t.t("field.add_note")}
                    </button>
                </div>
            </section>

            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="font-semibold">{t.t("field.parts")}</h2>
                <ul class="mt-1 space-y-1" data-testid="field-parts">
                    {move || site().parts.into_iter().map(|p| view! {
                        <li class="rounded bg-slate-50 p-2" data-testid="field-part">{format!("{} × {} {} · {}", p.name, format_qty(p.qty_milli), p.unit, p.warehouse_name)}</li>
                    }).collect_view()}
                </ul>
                <div class:hidden=move || !open.get()>
                    <div class="mt-2 grid gap-2 sm:grid-cols-3">
                        <label class="flex flex-col gap-1 text-sm">{t.t("field.warehouse")}
                            <select class=format!("{INPUT} min-h-12 text-lg") data-testid="field-part-warehouse" on:change=move |ev| warehouse.set(event_target_value(&ev))>
                                {warehouses.into_iter().map(|(wid, name)| view! { <option value=wid.to_string() selected=move || warehouse.get() == wid.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="flex flex-col gap-1 text-sm">{t.t("field.part")}
                            <select class=format!("{INPUT} min-h-12 text-lg") data-testid="field-part-product" on:change=move |ev| part.set(event_target_value(&ev))>
                                <option value="">{t.t("common.choose")}</option>
                                {parts.into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                            </select>
                            {err_text(t, errors, "part")}
                        </label>
                        <label class="flex flex-col gap-1 text-sm">{t.t("field.qty")}
                            <input type="text" inputmode="decimal" class=format!("{INPUT} min-h-12 text-lg") data-testid="field-part-qty"
                                prop:value=move || qty.get() on:input=move |ev| qty.set(event_target_value(&ev))/>
                            {err_text(t, errors, "qty")}
                        </label>
                    </div>
                    <button type="button" class=format!("{BIG} mt-2 bg-blue-700 text-white") data-testid="field-part-add" on:click=move |_| {
                        let Ok(product_id) = part.get_untracked().parse::<i64>() else {
                            errors.set(vec![FieldError::new("part", "validation.required")]);
                            return;
                        };
                        let Some(qty_milli) = parse_qty(&qty.get_untracked()) else {
                            errors.set(vec![FieldError::new("qty", "validation.quantity")]);
                            return;
                        };
                        let warehouse_id = warehouse.get_untracked().parse::<i64>().unwrap_or_default();
                        if run(FieldOp::Part { product_id, warehouse_id, qty_milli }) {
                            qty.set("1".into());
                        }
                    }>{t.t("field.add_part")}</button>
                </div>
            </section>

            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="font-semibold">{t.t("field.labour")}</h2>
                <div class="mt-1 flex flex-wrap items-end gap-2">
                    <label class="flex flex-col gap-1 text-sm">{t.t("field.minutes")}
                        <input type="number" min="0" inputmode="numeric" class=format!("{INPUT} min-h-12 w-32 text-lg") data-testid="field-labour"
                            prop:value=move || labour.get() on:input=move |ev| labour.set(event_target_value(&ev)) disabled=move || !open.get()/>
                    </label>
                    <button type="button" class=format!("{BIG} bg-blue-700 text-white") data-testid="field-labour-save" class:hidden=move || !open.get() on:click=move |_| {
                        match labour.get_untracked().trim().parse::<i64>() {
                            Ok(minutes) => { run(FieldOp::Labour { minutes }); }
                            Err(_) => errors.set(vec![FieldError::new("labour", "field.labour_range")]),
                        }
                    }>{t.t("common.save")}</button>
                </div>
                {err_text(t, errors, "labour")}
            </section>

            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="font-semibold">{t.t("field.photos")}</h2>
                <ul class="mt-1 flex flex-wrap gap-2" data-testid="field-photos">
                    {move || site().entries.into_iter().filter(|e| e.op == "photo" && e.outcome != "conflict").map(|p| {
                        let label = p.text.clone();
                        match p.attachment_id {
                            Some(a) => view! { <li data-testid="field-photo"><a href=format!("/attachments/{a}") target="_blank" class="block rounded bg-slate-100 px-3 py-2 underline">{format!("📷 {label}")}</a></li> }.into_any(),
                            None => view! { <li data-testid="field-photo" data-pending="true" class="rounded bg-amber-50 px-3 py-2">{format!("📷 {label} · {}", t.t("field.waiting"))}</li> }.into_any(),
                        }
                    }).collect_view()}
                </ul>
                <div class:hidden=move || !open.get()>
                    <label class=format!("{BIG} mt-2 cursor-pointer bg-blue-700 text-white")>
                        {move || if photo_busy.get() { t.t("field.photo_busy") } else { format!("📷 {}", t.t("field.take_photo")) }}
                        <input type="file" accept="image/*" capture="environment" class="sr-only" data-testid="field-photo-input"
                            on:change=move |ev| {
                                #[cfg(feature = "hydrate")]
                                {
                                    use wasm_bindgen::JsCast;
                                    let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                                    let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
                                    input.set_value("");
                                    photo_busy.set(true);
                                    leptos::task::spawn_local(async move {
                                        let name = file.name();
                                        match device::compress_photo(&file).await {
                                            Some(data) => { run(FieldOp::Photo { name, data }); }
                                            None => errors.set(vec![FieldError::new("photo", "attachment.bad_type")]),
                                        }
                                        photo_busy.set(false);
                                    });
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = ev;
                            }/>
                    </label>
                    {err_text(t, errors, "photo")}
                </div>
            </section>

            {move || {
                let (can_sign, who, picture) = (open.get() && signed.get().is_none(), signed.get(), signature_id.get());
                view! { <SignatureSection f id can_sign signed_by=who signature_id=picture errors/> }
            }}

            <section class="rounded-lg border border-slate-200 bg-white p-4">
                <h2 class="font-semibold">{t.t("field.completion")}</h2>
                {move || match completed.get() {
                    Some((at, what)) => view! {
                        <p class="mt-1 text-green-800" data-testid="field-completed">{t.t_args("field.completed_at", &[("time", fmt_time(at))])}</p>
                        <p class="whitespace-pre-wrap">{what}</p>
                    }.into_any(),
                    None => ().into_any(),
                }}
                <div class:hidden=move || !open.get()>
                    <label class="mt-1 flex flex-col gap-1 text-sm">{t.t("field.resolution")}
                        <textarea class=format!("{INPUT} min-h-24 text-lg") data-testid="field-resolution"
                            prop:value=move || resolution.get() on:input=move |ev| resolution.set(event_target_value(&ev))></textarea>
                    </label>
                    {err_text(t, errors, "resolution")}
                    <button type="button" class=format!("{BIG} mt-2 w-full bg-green-700 text-white") data-testid="field-complete"
                        on:click=move |_| { run(FieldOp::Complete { resolution: resolution.get_untracked().trim().to_string() }); }>
                        {t.t("field.complete")}
                    </button>
                </div>
            </section>
        </div>
    }
}

/// The customer signs on the screen with a finger, a pen or a mouse.
#[component]
fn SignatureSection(
    f: Field,
    id: i64,
    can_sign: bool,
    signed_by: Option<String>,
    signature_id: Option<i64>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let t = use_i18n();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let signer = RwSignal::new(String::new());
    let inked = RwSignal::new(false);
    let drawing = StoredValue::new(false);
    let down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            drawing.set_value(true);
            device::stroke(&c, ev.offset_x() as f64, ev.offset_y() as f64, true);
            inked.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        if drawing.get_value() {
            if let Some(c) = canvas.get() {
                device::stroke(&c, ev.offset_x() as f64, ev.offset_y() as f64, false);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let up = move |_| drawing.set_value(false);
    let clear = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get() {
            device::clear(&c);
        }
        inked.set(false);
    };
    let save = move |_| {
        if !inked.get_untracked() {
            errors.set(vec![FieldError::new("signature", "field.signature_missing")]);
            return;
        }
        #[cfg(feature = "hydrate")]
        let data = canvas.get().map(|c| device::png(&c)).unwrap_or_default();
        #[cfg(not(feature = "hydrate"))]
        let data = String::new();
        if f.enqueue(id, FieldOp::Signature { signer: signer.get_untracked().trim().to_string(), data }).map_err(|e| errors.set(e)).is_ok()
        {
            errors.set(Vec::new());
        }
    };
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" data-testid="field-signature">
            <h2 class="font-semibold">{t.t("field.signature")}</h2>
            {signed_by.clone().map(|who| view! {
                <p class="mt-1" data-testid="field-signed-by">{t.t_args("field.signed_by", &[("name", who)])}</p>
            })}
            {signature_id.map(|a| view! { <img src=format!("/attachments/{a}") alt=t.t("field.signature") class="mt-1 h-24 rounded border"/> })}
            {can_sign.then(|| view! {
                <label class="mt-1 flex flex-col gap-1 text-sm">{t.t("field.signer")}
                    <input type="text" class=format!("{INPUT} min-h-12 text-lg") data-testid="field-signer"
                        prop:value=move || signer.get() on:input=move |ev| signer.set(event_target_value(&ev))/>
                </label>
                {err_text(t, errors, "signer")}
                <canvas node_ref=canvas width="600" height="200" data-testid="field-signature-pad"
                    class="mt-2 w-full max-w-full rounded border-2 border-dashed border-slate-400 bg-white"
                    style="touch-action: none; aspect-ratio: 3 / 1;"
                    on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up on:pointerleave=up></canvas>
                {err_text(t, errors, "signature")}
                <div class="mt-2 flex gap-2">
                    <button type="button" class=format!("{BIG} border border-slate-300 bg-white") on:click=clear>{t.t("field.clear")}</button>
                    <button type="button" class=format!("{BIG} bg-blue-700 text-white") data-testid="field-signature-save" on:click=save>{t.t("field.save_signature")}</button>
                </div>
            })}
        </section>
    }
}

/// What the tablet needs from the browser. Outside the browser (rendering on the server)
/// these do nothing: the page fills itself in once it runs on the device.
mod device {
    use serde::{de::DeserializeOwned, Serialize};

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
        #[cfg(feature = "hydrate")]
        {
            let text = storage()?.get_item(key).ok()??;
            serde_json::from_str(&text).ok()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = key;
            None
        }
    }

    pub fn put<T: Serialize>(key: &str, value: &T) {
        #[cfg(feature = "hydrate")]
        if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(value)) {
            let _ = s.set_item(key, &text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (key, value);
    }

    pub fn now() -> i64 {
        #[cfg(feature = "hydrate")]
        {
            js_sys::Date::now() as i64
        }
        #[cfg(not(feature = "hydrate"))]
        {
            crate::platform::time::now_ms()
        }
    }

    /// A random key for a change (a UUID where the browser makes them).
    pub fn new_key() -> String {
        #[cfg(feature = "hydrate")]
        {
            if let Some(uuid) = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()) {
                return uuid;
            }
            let r = || format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u64);
            format!("{:x}-{}{}{}", now(), r(), r(), r())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            String::new()
        }
    }

    pub fn online() -> bool {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            true
        }
    }

    /// Calls `f(true)` when the network comes back and `f(false)` when it goes.
    pub fn on_network(f: impl Fn(bool) + Clone + 'static) -> [leptos::prelude::WindowListenerHandle; 2] {
        let g = f.clone();
        [
            leptos::prelude::window_event_listener(leptos::ev::online, move |_| f(true)),
            leptos::prelude::window_event_listener(leptos::ev::offline, move |_| g(false)),
        ]
    }

    /// The service worker's cache (`CACHE` in `public/sw.js`).
    #[cfg(feature = "hydrate")]
    const WORKER_CACHE: &str = "crm-field-v1";

    /// Removes the field data kept on this device (every engineer's day: customers'
    /// names, addresses and phone numbers, refusals, and the page the service worker
    /// kept, which holds the day too), except queues of changes not sent yet, which wait
    /// for that engineer's next sign-in.
    pub fn forget() {
        #[cfg(feature = "hydrate")]
        if let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) {
            let _ = caches.delete(WORKER_CACHE);
        }
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            let keys: Vec<String> =
                (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with("crm.field.")).collect();
            for k in keys {
                let pending = k.ends_with(".queue") && s.get_item(&k).ok().flatten().is_some_and(|v| v.trim() != "[]");
                if !pending {
                    let _ = s.remove_item(&k);
                }
            }
        }
    }

    /// Installs the service worker that keeps the page for offline use.
    pub fn register_worker() {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().service_worker().register("/sw.js");
        }
    }

    /// Scales a photo to at most 1600 pixels on its long side and re-encodes it as JPEG,
    /// so a phone camera's 5 MB becomes a few hundred KB. Base64, no prefix.
    #[cfg(feature = "hydrate")]
    pub async fn compress_photo(file: &web_sys::File) -> Option<String> {
        use wasm_bindgen::JsCast;
        const LONG_SIDE: f64 = 1600.0;
        let window = web_sys::window()?;
        let promise = window.create_image_bitmap_with_blob(file).ok()?;
        let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
        let scale = (LONG_SIDE / w.max(h)).min(1.0);
        let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
        let canvas: web_sys::HtmlCanvasElement = window.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(cw as u32);
        canvas.set_height(ch as u32);
        let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch).ok()?;
        bitmap.close();
        let url = canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &wasm_bindgen::JsValue::from_f64(0.75)).ok()?;
        url.split_once(',').map(|(_, b64)| b64.to_string())
    }

    #[cfg(feature = "hydrate")]
    fn context(c: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
        use wasm_bindgen::JsCast;
        c.get_context("2d").ok()??.dyn_into().ok()
    }

    /// Draws the signature: a new stroke at (x, y) or a line to it. Positions are in CSS
    /// pixels of the shown canvas, scaled to its drawing size.
    #[cfg(feature = "hydrate")]
    pub fn stroke(c: &web_sys::HtmlCanvasElement, x: f64, y: f64, start: bool) {
        let Some(ctx) = context(c) else { return };
        let shown = c.get_bounding_client_rect();
        let (sx, sy) = (c.width() as f64 / shown.width().max(1.0), c.height() as f64 / shown.height().max(1.0));
        let (x, y) = (x * sx, y * sy);
        if start {
            ctx.set_line_width(3.0);
            ctx.set_line_cap("round");
            ctx.set_line_join("round");
            ctx.set_stroke_style_str("#0f172a");
            ctx.begin_path();
            ctx.move_to(x, y);
            ctx.line_to(x + 0.1, y + 0.1);
        } else {
            ctx.line_to(x, y);
        }
        ctx.stroke();
    }

    #[cfg(feature = "hydrate")]
    pub fn clear(c: &web_sys::HtmlCanvasElement) {
        if let Some(ctx) = context(c) {
            ctx.clear_rect(0.0, 0.0, c.width() as f64, c.height() as f64);
        }
    }

    /// The signature as a PNG, base64 without the prefix.
    #[cfg(feature = "hydrate")]
    pub fn png(c: &web_sys::HtmlCanvasElement) -> String {
        c.to_data_url().ok().and_then(|u| u.split_once(',').map(|(_, b)| b.to_string())).unwrap_or_default()
    }
}

/// What the engineer did on site, on the work order's page in the office; changes the
/// server refused (the office had changed the order meanwhile) are listed so nothing
/// done on site goes unseen.
#[component]
pub fn SiteRecordSection(site: SiteRecord) -> impl IntoView {
    let t = use_i18n();
    let nothing = site.checked_in_at.is_none() && site.entries.is_empty() && site.parts.is_empty();
    if nothing {
        return ().into_any();
    }
    let time = |v: Option<i64>| v.map(fmt_time);
    let refused: Vec<FieldEntry> = site.entries.iter().filter(|e| e.outcome == "conflict").cloned().collect();
    let kept: Vec<FieldEntry> = site.entries.iter().filter(|e| e.outcome != "conflict").cloned().collect();
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="work-site">
            <h2 class="font-semibold">{t.t("field.on_site")}</h2>
            <dl class="grid grid-cols-1 gap-x-4 md:grid-cols-2">
                {crate::ui::detail_field(t, "field.checked_in", time(site.checked_in_at))}
                {crate::ui::detail_field(t, "field.checked_out", time(site.checked_out_at))}
                {crate::ui::detail_field(t, "field.labour", site.labour_minutes.map(|m| t.t_args("field.minutes_value", &[("minutes", m.to_string())])))}
                {crate::ui::detail_field(t, "field.completed", time(site.completed_at))}
                {crate::ui::detail_field(t, "field.resolution", site.resolution.clone())}
                {crate::ui::detail_field(t, "field.signature", site.signed_by.clone())}
            </dl>
            {site.signature_id.map(|a| view! { <img src=format!("/attachments/{a}") alt=t.t("field.signature") class="mt-2 h-24 rounded border" data-testid="work-signature"/> })}
            {(!site.parts.is_empty()).then(|| view! {
                <h3 class="mt-3 font-medium">{t.t("field.parts")}</h3>
                <ul class="list-disc pl-5" data-testid="work-parts">
                    {site.parts.iter().map(|p| view! { <li>{format!("{} × {} {} · {}", p.name, format_qty(p.qty_milli), p.unit, p.warehouse_name)}</li> }).collect_view()}
                </ul>
            })}
            {(!kept.is_empty()).then(|| view! {
                <h3 class="mt-3 font-medium">{t.t("field.notes_photos")}</h3>
                <ul class="space-y-1" data-testid="work-site-entries">
                    {kept.into_iter().map(|e| view! {
                        <li class="text-sm" data-testid=format!("work-site-{}", e.op)>
                            <span class="text-slate-500">{format!("{} · {} · ", fmt_time(e.happened_at), e.user_name)}</span>
                            {match e.attachment_id {
                                Some(a) => view! { <a href=format!("/attachments/{a}") target="_blank" class="text-blue-800 underline">{format!("📷 {}", e.text)}</a> }.into_any(),
                                None => view! { <span class="whitespace-pre-wrap">{e.text}</span> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!refused.is_empty()).then(|| view! {
                <h3 class="mt-3 font-medium text-red-900">{t.t("field.refused_title")}</h3>
                <ul class="space-y-1" data-testid="work-site-refused">
                    {refused.into_iter().map(|e| view! {
                        <li class="rounded bg-red-50 p-2 text-sm">
                            {format!("{} · {} · {} {} — ", fmt_time(e.happened_at), e.user_name, t.t(&format!("field.op.{}", e.op)), e.text)}
                            <span class="text-red-800">{e.reason.map(|r| t.t(&r)).unwrap_or_default()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}
