use crate::admin::api::{list_audit, verify_audit};
use crate::admin::types::{AuditRow, AUDIT_ACTIONS};
use crate::platform::audit_types::ChainStatus;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, fmt_time, url_encode, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

type Filters = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

/// Browse and filter the audit log; verify its hash chain.
#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("actor"), get("action"), get("entity"), get("from"), get("to"))
    });
    let page = Resource::new(move || filters.get(), |f: Filters| list_audit(f.0, f.1, f.2, None, f.3, f.4, None));
    let more = RwSignal::new((None::<Filters>, Vec::<AuditRow>::new(), None::<i64>));
    let actor = RwSignal::new(filters.get_untracked().0.unwrap_or_default());
    let action = RwSignal::new(filters.get_untracked().1.unwrap_or_default());
    let entity = RwSignal::new(filters.get_untracked().2.unwrap_or_default());
    let from = RwSignal::new(filters.get_untracked().3.unwrap_or_default());
    let to = RwSignal::new(filters.get_untracked().4.unwrap_or_default());
    let verify = Action::new(|_: &()| verify_audit());

    let load_more = move |before: i64| {
        let f = filters.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(p) = list_audit(f.0.clone(), f.1.clone(), f.2.clone(), None, f.3.clone(), f.4.clone(), Some(before)).await {
                more.update(|m| {
                    if m.0.as_ref() != Some(&f) {
                        *m = (Some(f.clone()), Vec::new(), None);
                    }
                    m.1.extend(p.rows);
                    m.2 = p.next;
                });
            }
        });
    };
    let input_class = "min-h-11 rounded-md border border-slate-300 bg-white px-2 text-base";
    view! {
        <PageHeader title=t.t("audit.title")>
            <button type="button" class=BTN_SECONDARY on:click=move |_| { verify.dispatch(()); } disabled=move || verify.pending().get()>
                {t.t("audit.verify")}
            </button>
        </PageHeader>
        {move || verify.value().get().map(|r| match r {
            Ok(ChainStatus::Intact { rows }) => view! { <p role="status" class="mb-4 rounded-md bg-green-50 px-4 py-3 text-green-800">{t.t_args("audit.intact", &[("n", rows.to_string())])}</p> }.into_any(),
            Ok(ChainStatus::Broken { seq }) => view! { <p role="alert" class="mb-4 rounded-md bg-red-50 px-4 py-3 text-red-800">{t.t_args("audit.broken", &[("seq", seq.to_string())])}</p> }.into_any(),
            Err(e) => view! { <p role="alert" class="mb-4 text-red-700">{error_text(t, &e)}</p> }.into_any(),
        })}
        <form
            class="mb-4 grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-white p-3 md:grid-cols-6 md:items-end"
            on:submit=move |ev| {
                ev.prevent_default();
                let mut parts = Vec::new();
                for (k, v) in [("actor", actor), ("action", action), ("entity", entity), ("from", from), ("to", to)] {
                    let v = v.get_untracked();
                    if !v.trim().is_empty() {
                        parts.push(format!("{k}={}", url_encode(v.trim())));
                    }
                }
                navigate(&format!("/admin/audit?{}", parts.join("&")), NavigateOptions { replace: true, ..Default::default() });
            }
        >
            <label class="flex flex-col text-sm">{t.t("audit.actor")}
                <input class=input_class prop:value=move || actor.get() on:input=move |ev| actor.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col text-sm">{t.t("audit.action")}
                <select class=input_class on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value="">{t.t("audit.any")}</option>
                    {AUDIT_ACTIONS.iter().map(|a| view! { <option value=*a selected=move || action.get() == *a>{t.t(&format!("audit.action.{a}"))}</option> }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col text-sm">{t.t("audit.entity")}
                <select class=input_class on:change=move |ev| entity.set(event_target_value(&ev))>
                    <option value="">{t.t("audit.any")}</option>
                    {["customer", "contact", "activity", "opportunity", "quote", "order", "product", "warehouse", "stock_movement", "stocktake", "price_policy", "exchange_rate", "user", "department", "setting", "portal_user"].iter().map(|e| view! { <option value=*e selected=move || entity.get() == *e>{t.t(&format!("entity.{e}"))}</option> }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col text-sm">{t.t("audit.from")}
                <input type="date" class=input_class prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            </label>
            <label class="flex flex-col text-sm">{t.t("audit.to")}
                <input type="date" class=input_class prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class=BTN_PRIMARY>{t.t("audit.filter")}</button>
        </form>
        <Transition fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{error_text(t, &e)}</p> }.into_any(),
                    Ok(p) => {
                        let f = filters.get_untracked();
                        let rows_and_next = move || {
                            let m = more.get();
                            let mut rows = p.rows.clone();
                            if m.0.as_ref() == Some(&f) {
                                rows.extend(m.1.clone());
                                (rows, m.2)
                            } else {
                                (rows, p.next)
                            }
                        };
                        let rn2 = rows_and_next.clone();
                        view! {
                            <ul class="flex flex-col gap-2">
                                {move || rows_and_next().0.into_iter().map(|r| view! { <AuditItem r/> }).collect_view()}
                            </ul>
                            {move || rn2().1.map(|before| view! {
                                <div class="mt-4 flex justify-center">
                                    <button type="button" class=BTN_SECONDARY on:click=move |_| load_more(before)>{t.t("customers.load_more")}</button>
                                </div>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditItem(r: AuditRow) -> impl IntoView {
    let t = use_i18n();
    let has_detail = r.before_json.is_some() || r.after_json.is_some();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span class="font-mono text-slate-500">{"#"}{r.seq}</span>
                <span class="whitespace-nowrap text-slate-600">{fmt_time(r.at)}</span>
                <span class="font-medium">{r.actor_name.clone()}</span>
                <span class="rounded bg-slate-100 px-2 py-0.5">{t.t(&format!("audit.action.{}", r.action))}</span>
                {r.entity.clone().map(|e| view! { <span>{t.t(&format!("entity.{e}"))}{r.entity_id.map(|id| format!(" #{id}"))}</span> })}
                <span class="text-slate-700">{r.summary.clone()}</span>
                <span class="ml-auto font-mono text-xs text-slate-400">{r.ip.clone()}</span>
            </div>
            {(r.action == "merge").then(|| view! { <crate::customers::pages::UndoMergeButton seq=r.seq/> })}
            {has_detail.then(|| view! {
                <details class="mt-2">
                    <summary class="min-h-11 cursor-pointer py-2 text-blue-700">{t.t("audit.changes")}</summary>
                    <div class="grid grid-cols-1 gap-2 md:grid-cols-2">
                        <div><h3 class="text-xs text-slate-500">{t.t("audit.before")}</h3><pre class="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{r.before_json.clone().unwrap_or_default()}</pre></div>
                        <div><h3 class="text-xs text-slate-500">{t.t("audit.after")}</h3><pre class="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{r.after_json.clone().unwrap_or_default()}</pre></div>
                    </div>
                </details>
            })}
        </li>
    }
}
