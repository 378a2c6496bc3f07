//! Ownership on the customer page (release, claim, reassign, history), the public
//! pool, the bulk transfer page and the pool settings.
use crate::customers::api::*;
use crate::customers::types::{CustomerDetail, OwnerOption, PoolRow, PoolSettings, REASON_MAX};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, fmt_time, ErrorBanner, PageHeader, SelectField, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The field error `code` for `field`, from a failed request.
fn field_err(r: Option<Result<(), AppError>>, field: &'static str) -> Option<String> {
    r.and_then(|r| r.err()).and_then(|e| e.field(field))
}

/// What the viewer may do about who owns this customer, and the history of owners.
#[component]
pub fn OwnershipSection(c: CustomerDetail, on_change: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (c.id, c.version);
    let history = Resource::new(move || id, customer_owner_history);
    let mode = RwSignal::new("");
    let reason = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let owners = Resource::new(|| (), |_| list_owner_options());
    let release = Action::new(move |r: &String| {
        let r = r.clone();
        async move { release_customer(id, version, r).await }
    });
    let claim = Action::new(move |_: &()| async move { claim_customer(id).await });
    let transfer = Action::new(move |(to, r): &(i64, String)| {
        let (to, r) = (*to, r.clone());
        async move { transfer_customers(vec![id], None, to, r).await.map(|_| ()) }
    });
    Effect::new(move |_| {
        for r in [release.value().get(), claim.value().get(), transfer.value().get()].into_iter().flatten() {
            if r.is_ok() {
                mode.set("");
                reason.set(String::new());
                on_change.run(());
            }
        }
    });
    let general = Signal::derive(move || {
        [release.value().get(), claim.value().get(), transfer.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .filter(|e| !matches!(e, AppError::Validation(_)))
    });
    let claim_err = move || field_err(claim.value().get(), "claim");
    let reason_err =
        Signal::derive(move || field_err(release.value().get(), "reason").or_else(|| field_err(transfer.value().get(), "reason")));
    let to_err = Signal::derive(move || field_err(transfer.value().get(), "to"));
    let in_pool = c.owner_id.is_none();
    let can_release = c.can_edit && !in_pool && c.deleted_at.is_none();
    let can_assign = c.can_assign && c.deleted_at.is_none();
    let can_claim = c.can_claim && c.deleted_at.is_none();
    let current_owner = c.owner_id;
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="ownership-title" data-testid="ownership">
            <h2 id="ownership-title" class="mb-2 font-semibold">{t.t("ownership.title")}</h2>
            <p class="mb-2">
                {if in_pool {
                    view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 text-sm text-amber-900">{t.t("pool.in_pool")}</span> }.into_any()
                } else {
                    view! { <span>{t.t("customer.owner")} ": " <strong>{c.owner_name.clone().unwrap_or_default()}</strong></span> }.into_any()
                }}
                <span class="ml-2 text-sm text-slate-600">{t.t("ownership.last_touch")} ": " {fmt_time(c.last_touch_at)}</span>
            </p>
            <div class="flex flex-wrap gap-2">
                {can_claim.then(|| view! {
                    <button type="button" class=BTN_PRIMARY disabled=move || claim.pending().get() on:click=move |_| { claim.dispatch(()); }>{t.t("pool.claim")}</button>
                })}
                {can_release.then(|| view! {
                    <button type="button" class=BTN_SECONDARY on:click=move |_| mode.set("release")>{t.t("pool.release")}</button>
                })}
                {can_assign.then(|| view! {
                    <button type="button" class=BTN_SECONDARY on:click=move |_| mode.set("transfer")>{t.t("ownership.transfer")}</button>
                })}
            </div>
            <p role="alert" class="min-h-5 text-sm text-red-600">{move || claim_err().map(|k| t.t(&k))}</p>
            <Show when=move || mode.get() == "release">
                <form class="mt-2 rounded-md border border-slate-200 p-3" on:submit=move |ev| { ev.prevent_default(); release.dispatch(reason.get_untracked()); }>
                    <TextArea id="release-reason" label=t.t("ownership.reason") value=reason error=reason_err max_len=REASON_MAX/>
                    <div class="flex gap-2">
                        <button type="submit" class=BTN_PRIMARY disabled=move || release.pending().get()>{t.t("pool.release_confirm")}</button>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| mode.set("")>{t.t("common.cancel")}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || mode.get() == "transfer">
                <form class="mt-2 rounded-md border border-slate-200 p-3" on:submit=move |ev| {
                    ev.prevent_default();
                    transfer.dispatch((to.get_untracked().parse().unwrap_or(0), reason.get_untracked()));
                }>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let mut options = vec![(String::new(), "—".to_string())];
                            options.extend(owners.await.unwrap_or_default().into_iter().filter(|o| Some(o.id) != current_owner).map(|o| (o.id.to_string(), o.display_name)));
                            view! { <SelectField id="transfer-to" label=t.t("ownership.new_owner") value=to options error=to_err/> }
                        })}
                    </Suspense>
                    <TextArea id="transfer-reason" label=t.t("ownership.reason") value=reason error=reason_err max_len=REASON_MAX/>
                    <div class="flex gap-2">
                        <button type="submit" class=BTN_PRIMARY disabled=move || transfer.pending().get()>{t.t("ownership.transfer")}</button>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| mode.set("")>{t.t("common.cancel")}</button>
                    </div>
                </form>
            </Show>
            <ErrorBanner error=general/>
            <h3 class="mb-1 mt-3 text-sm font-semibold text-slate-700">{t.t("ownership.history")}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = history.await.unwrap_or_default();
                    if rows.is_empty() {
                        return view! { <p class="text-sm text-slate-500">{t.t("ownership.no_history")}</p> }.into_any();
                    }
                    view! {
                        <ul class="space-y-1 text-sm" data-testid="owner-history">
                            {rows.into_iter().map(|h| {
                                let what = t.t_args(&format!("ownership.kind.{}", h.kind), &[
                                    ("from", h.from_name.clone().unwrap_or_else(|| "—".into())),
                                    ("to", h.to_name.clone().unwrap_or_else(|| "—".into())),
                                    ("days", h.reason.clone().unwrap_or_default()),
                                ]);
                                let reason = (h.kind != "auto_return").then_some(h.reason.clone()).flatten();
                                view! {
                                    <li class="border-b border-slate-100 py-1">
                                        <span class="text-slate-500">{fmt_time(h.changed_at)}</span> " " {what}
                                        {h.changed_by_name.clone().map(|b| view! { <span class="text-slate-500">" · " {b}</span> })}
                                        {reason.map(|r| view! { <div class="text-slate-700">{t.t("ownership.reason")} ": " {r}</div> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

/// The public pool (公海): unowned customers anyone with the claim permission may take.
#[component]
pub fn PoolPage() -> impl IntoView {
    let t = use_i18n();
    let search = RwSignal::new(String::new());
    let term = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<PoolRow>::new());
    let next = RwSignal::new(None::<String>);
    let claims_left = RwSignal::new(None::<i64>);
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let fetch = Action::new(move |(q, after): &(String, Option<String>)| {
        let (q, after) = (q.clone(), after.clone());
        async move { (after.is_none(), list_pool(Some(q), after).await) }
    });
    Effect::new(move |_| {
        if let Some((fresh, r)) = fetch.value().get() {
            match r {
                Ok(p) => {
                    if fresh {
                        rows.set(p.rows);
                    } else {
                        rows.update(|v| v.extend(p.rows));
                    }
                    next.set(p.next);
                    claims_left.set(p.claims_left);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| {
        fetch.dispatch((term.get(), None));
    });
    let claim = Action::new(move |(id, name): &(i64, String)| {
        let (id, name) = (*id, name.clone());
        async move { claim_customer(id).await.map(|_| name) }
    });
    Effect::new(move |_| {
        if let Some(r) = claim.value().get() {
            match r {
                Ok(name) => {
                    notice.set(Some(name));
                    error.set(None);
                    fetch.dispatch((term.get_untracked(), None));
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Title text=t.t("pool.title")/>
        <PageHeader title=t.t("pool.title")/>
        <p class="mb-3 text-slate-700" data-testid="claims-left">
            {move || match claims_left.get() {
                Some(n) => t.t_args("pool.claims_left", &[("n", n.to_string())]),
                None => t.t("pool.no_limit"),
            }}
        </p>
        <form class="mb-3 flex gap-2" role="search" on:submit=move |ev| { ev.prevent_default(); term.set(search.get_untracked()); }>
            <input type="search" aria-label=t.t("customers.search") placeholder=t.t("customers.search_placeholder")
                class="min-h-11 flex-1 rounded-md border border-slate-300 px-3"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            <button type="submit" class=BTN_SECONDARY>{t.t("common.search")}</button>
        </form>
        {move || notice.get().map(|name| view! {
            <div role="status" class="mb-3 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{t.t_args("pool.claimed", &[("name", name)])}</div>
        })}
        {move || error.get().map(|e| view! {
            <div role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">
                {e.field("claim").map(|k| t.t(&k)).unwrap_or_else(|| error_text(t, &e))}
            </div>
        })}
        <Show when=move || fetch.value().with(|v| v.is_some()) && rows.with(Vec::is_empty)>
            <p class="text-slate-500">{t.t("pool.empty")}</p>
        </Show>
        <ul class="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="pool">
            <For each=move || rows.get() key=|r| r.id let:r>
                {
                    let (id, name) = (r.id, r.name.clone());
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                            <div class="min-w-0">
                                <A href=format!("/customers/{id}") attr:class="font-medium text-blue-800 underline">{r.name.clone()}</A>
                                <div class="text-sm text-slate-600">
                                    {[r.industry.clone(), r.region.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}
                                    {r.pool_since.map(|p| view! { <span>" · " {t.t("pool.since")} " " {fmt_time(p)}</span> })}
                                </div>
                            </div>
                            <button type="button" class=BTN_PRIMARY disabled=move || claim.pending().get() on:click=move |_| { claim.dispatch((id, name.clone())); }>
                                {t.t("pool.claim")}
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
        <Show when=move || next.get().is_some()>
            <button type="button" class=format!("{BTN_SECONDARY} mt-3") on:click=move |_| { fetch.dispatch((term.get_untracked(), next.get_untracked())); }>
                {t.t("common.load_more")}
            </button>
        </Show>
    }
}

/// Bulk reassignment (业务员变更): move every customer of one person to another.
#[component]
pub fn TransferPage() -> impl IntoView {
    let t = use_i18n();
    let owners = Resource::new(|| (), |_| list_owner_options());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let count = Resource::new(
        move || from.get().parse::<i64>().ok(),
        |f| async move {
            match f {
                Some(f) => transfer_count(f).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let run = Action::new(move |(f, to, r): &(i64, i64, String)| {
        let (f, to, r) = (*f, *to, r.clone());
        async move { transfer_customers(Vec::new(), Some(f), to, r).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = run.value().get() {
            count.refetch();
        }
    });
    let err = move |f: &'static str| Signal::derive(move || run.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)));
    let general = Signal::derive(move || run.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))));
    let from_err = Signal::derive(move || None::<String>);
    view! {
        <Title text=t.t("transfer.title")/>
        <PageHeader title=t.t("transfer.title")/>
        <p class="mb-4 max-w-2xl text-slate-700">{t.t("transfer.explain")}</p>
        <form class="max-w-xl rounded-lg border border-slate-200 bg-white p-4" data-testid="transfer-form" on:submit=move |ev| {
            ev.prevent_default();
            if let (Ok(f), Ok(to_id)) = (from.get_untracked().parse(), to.get_untracked().parse()) {
                run.dispatch((f, to_id, reason.get_untracked()));
            }
        }>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list: Vec<OwnerOption> = owners.await.unwrap_or_default();
                    let mut options = vec![(String::new(), "—".to_string())];
                    options.extend(list.into_iter().map(|o| (o.id.to_string(), o.display_name)));
                    view! {
                        <SelectField id="transfer-from" label=t.t("transfer.from") value=from options=options.clone() error=from_err/>
                        <SelectField id="transfer-to" label=t.t("ownership.new_owner") value=to options error=err("to")/>
                    }
                })}
            </Suspense>
            <p class="mb-2 text-slate-700" data-testid="transfer-count">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match count.await {
                            Ok(Some(n)) => t.t_args("transfer.count", &[("n", n.to_string())]),
                            Ok(None) => String::new(),
                            Err(e) => error_text(t, &e),
                        }
                    })}
                </Transition>
            </p>
            <TextArea id="transfer-reason" label=t.t("ownership.reason") value=reason error=err("reason") max_len=REASON_MAX/>
            <ErrorBanner error=general/>
            {move || run.value().get().and_then(|r| r.ok()).map(|n| view! {
                <div role="status" class="mb-2 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{t.t_args("transfer.done", &[("n", n.to_string())])}</div>
            })}
            <button type="submit" class=BTN_PRIMARY disabled=move || run.pending().get() || from.get().is_empty() || to.get().is_empty()>{t.t("ownership.transfer")}</button>
        </form>
    }
}

/// Pool rules (公海规则) in settings.
#[component]
pub fn PoolSettingsPage() -> impl IntoView {
    let t = use_i18n();
    let current = Resource::new(|| (), |_| get_pool_settings());
    view! {
        <Title text=t.t("settings.pool")/>
        <PageHeader title=t.t("settings.pool")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match current.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(s) => view! { <PoolSettingsForm s/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PoolSettingsForm(s: PoolSettings) -> impl IntoView {
    let t = use_i18n();
    let days = RwSignal::new(s.return_days.to_string());
    let limit = RwSignal::new(s.daily_claim_limit.to_string());
    let local = RwSignal::new(Vec::<(&'static str, &'static str)>::new());
    let save = Action::new(move |s: &PoolSettings| {
        let s = *s;
        async move { save_pool_settings(s).await }
    });
    let err = move |f: &'static str| {
        Signal::derive(move || {
            local
                .with(|l| l.iter().find(|e| e.0 == f).map(|e| e.1.to_string()))
                .or_else(|| save.value().get().and_then(|r| r.err()).and_then(|e| e.field(f)))
        })
    };
    let general = Signal::derive(move || save.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation(_))));
    view! {
        <form class="max-w-xl rounded-lg border border-slate-200 bg-white p-4" on:submit=move |ev| {
            ev.prevent_default();
            let (d, l) = (days.get_untracked().trim().parse::<i64>(), limit.get_untracked().trim().parse::<i64>());
            let mut errs = Vec::new();
            if d.is_err() { errs.push(("return_days", "validation.number")); }
            if l.is_err() { errs.push(("daily_claim_limit", "validation.number")); }
            local.set(errs);
            if let (Ok(return_days), Ok(daily_claim_limit)) = (d, l) {
                save.dispatch(PoolSettings { return_days, daily_claim_limit });
            }
        }>
            <TextField id="pool-return-days" label=t.t("settings.pool.return_days") value=days error=err("return_days") input_type="number"/>
            <p class="-mt-1 mb-2 text-sm text-slate-600">{t.t("settings.pool.return_days_help")}</p>
            <TextField id="pool-claim-limit" label=t.t("settings.pool.daily_claim_limit") value=limit error=err("daily_claim_limit") input_type="number"/>
            <p class="-mt-1 mb-2 text-sm text-slate-600">{t.t("settings.pool.daily_claim_limit_help")}</p>
            <ErrorBanner error=general/>
            {move || save.value().get().and_then(|r| r.ok()).map(|_| view! {
                <div role="status" class="mb-2 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{t.t("common.saved")}</div>
            })}
            <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
        </form>
    }
}
