//! Duplicates of a saved customer on its page: merge into this one, link as related,
//! or mark as different; and the customers linked as related.
use crate::customers::api::{
    customer_duplicates, link_customers, mark_not_duplicate, merge_customers, related_customers, undo_merge, unlink_customers,
};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, ErrorBanner, BTN_DANGER, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DuplicatesSection(
    customer_id: i64,
    can_edit: bool,
    on_change: Callback<()>,
    /// The last merge on this page (audit seq, merged name); it outlives the reload a merge triggers.
    merged: RwSignal<Option<(i64, String)>>,
) -> impl IntoView {
    let t = use_i18n();
    let hits = Resource::new(move || customer_id, customer_duplicates);
    let confirming = RwSignal::new(None::<(i64, String)>);
    let error = RwSignal::new(None::<AppError>);
    let merge = Action::new(move |other: &i64| {
        let other = *other;
        async move { merge_customers(customer_id, other).await }
    });
    let ignore = Action::new(move |other: &i64| {
        let other = *other;
        async move { mark_not_duplicate(customer_id, other).await }
    });
    let link = Action::new(move |other: &i64| {
        let other = *other;
        async move { link_customers(customer_id, other).await }
    });
    let unlink = Action::new(move |other: &i64| {
        let other = *other;
        async move { unlink_customers(customer_id, other).await }
    });
    let related = Resource::new(move || customer_id, related_customers);
    let undo = Action::new(move |seq: &i64| {
        let seq = *seq;
        async move { undo_merge(seq).await }
    });
    Effect::new(move |_| match merge.value().get() {
        Some(Ok(seq)) => {
            if let Some((_, name)) = confirming.get_untracked() {
                merged.set(Some((seq, name)));
            }
            confirming.set(None);
            error.set(None);
            hits.refetch();
            on_change.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match ignore.value().get() {
        Some(Ok(())) => hits.refetch(),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        for r in [link.value().get(), unlink.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    hits.refetch();
                    related.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| match undo.value().get() {
        Some(Ok(_)) => {
            merged.set(None);
            hits.refetch();
            on_change.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        {move || merged.get().map(|(seq, name)| view! {
            <div role="status" class="flex flex-wrap items-center justify-between gap-2 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
                <span>{t.t_args("merge.done", &[("name", name)])}</span>
                <button type="button" class=BTN_SECONDARY disabled=move || undo.pending().get() on:click=move |_| { undo.dispatch(seq); }>{t.t("merge.undo")}</button>
            </div>
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = hits.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="rounded-lg border border-amber-300 bg-amber-50 p-4" aria-labelledby="dups-title" data-testid="duplicates">
                        <h2 id="dups-title" class="mb-2 font-semibold text-amber-900">{t.t("merge.title")}</h2>
                        <ErrorBanner error=error/>
                        <ul class="space-y-2">
                            {list.into_iter().map(|h| {
                                let reasons = h.reasons.iter().map(|r| t.t(r.key())).collect::<Vec<_>>().join("、");
                                let name = h.name.clone();
                                view! {
                                    <li class="rounded-md border border-amber-200 bg-white p-3">
                                        <div class="flex flex-wrap items-baseline gap-2">
                                            {match h.id {
                                                Some(id) => view! { <A href=format!("/customers/{id}") attr:class="font-medium text-blue-800 underline">{h.name.clone()}</A> }.into_any(),
                                                None => view! { <span class="font-medium">{h.name.clone()}</span> }.into_any(),
                                            }}
                                            <span class="text-sm">{t.t_args("dedup.score", &[("n", h.score.to_string())])}</span>
                                            {h.owner_name.clone().map(|o| view! { <span class="text-sm text-slate-600">{t.t("customer.owner")} ": " {o}</span> })}
                                        </div>
                                        <p class="text-sm text-slate-700">{reasons}</p>
                                        {(can_edit && h.id.is_some()).then(|| {
                                            let other = h.id.unwrap_or_default();
                                            let name = name.clone();
                                            view! {
                                                <div class="mt-2 flex flex-wrap gap-2">
                                                    <button type="button" class=BTN_SECONDARY on:click=move |_| confirming.set(Some((other, name.clone())))>{t.t("merge.merge_here")}</button>
                                                    <button type="button" class=BTN_SECONDARY disabled=move || link.pending().get() on:click=move |_| { link.dispatch(other); }>{t.t("merge.link")}</button>
                                                    <button type="button" class=BTN_SECONDARY disabled=move || ignore.pending().get() on:click=move |_| { ignore.dispatch(other); }>{t.t("merge.not_duplicate")}</button>
                                                </div>
                                            }
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {move || confirming.get().map(|(other, name)| view! {
                            <div role="alertdialog" aria-labelledby="merge-confirm" class="mt-3 rounded-md border border-red-300 bg-white p-3">
                                <p id="merge-confirm" class="mb-2">{t.t_args("merge.confirm", &[("name", name)])}</p>
                                <div class="flex gap-2">
                                    <button type="button" class=BTN_DANGER disabled=move || merge.pending().get() on:click=move |_| { merge.dispatch(other); }>{t.t("merge.confirm_button")}</button>
                                    <button type="button" class=BTN_SECONDARY on:click=move |_| confirming.set(None)>{t.t("common.cancel")}</button>
                                </div>
                            </div>
                        })}
                    </section>
                })
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = related.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="related-title" data-testid="related">
                        <h2 id="related-title" class="mb-2 font-semibold">{t.t("related.title")}</h2>
                        <ul class="divide-y divide-slate-100">
                            {list.into_iter().map(|r| {
                                let unlink_id = r.id.filter(|_| can_edit);
                                let unlink_label = format!("{}: {}", t.t("related.unlink"), r.name);
                                view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                        <div>
                                            {match r.id {
                                                Some(id) => view! { <A href=format!("/customers/{id}") attr:class="font-medium text-blue-800 underline">{r.name.clone()}</A> }.into_any(),
                                                None => view! { <span class="font-medium">{r.name.clone()}</span> }.into_any(),
                                            }}
                                            {r.owner_name.clone().map(|o| view! { <span class="ml-2 text-sm text-slate-600">{t.t("customer.owner")} ": " {o}</span> })}
                                        </div>
                                        {unlink_id.map(|other| view! {
                                            <button type="button" class=BTN_SECONDARY aria-label=unlink_label.clone()
                                                disabled=move || unlink.pending().get() on:click=move |_| { unlink.dispatch(other); }>{t.t("related.unlink")}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

/// Undo button on a merge entry of the audit log.
#[component]
pub fn UndoMergeButton(seq: i64) -> impl IntoView {
    let t = use_i18n();
    let undo = Action::new(move |_: &()| async move { undo_merge(seq).await });
    view! {
        <div class="mt-2 flex flex-wrap items-center gap-2">
            {move || match undo.value().get() {
                Some(Ok(id)) => view! {
                    <A href=format!("/customers/{id}") attr:class="text-green-800 underline">{t.t("merge.undone")}</A>
                }.into_any(),
                other => view! {
                    <button type="button" class=BTN_SECONDARY disabled=move || undo.pending().get() on:click=move |_| { undo.dispatch(()); }>{t.t("merge.undo")}</button>
                    {other.and_then(|r| r.err()).map(|e| view! { <span role="alert" class="text-red-700">{error_text(t, &e)}</span> })}
                }.into_any(),
            }}
        </div>
    }
}
