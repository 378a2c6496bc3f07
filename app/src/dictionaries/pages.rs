//! Settings page for the user-defined lists.
use crate::dictionaries::api::*;
use crate::dictionaries::types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DictionariesPage() -> impl IntoView {
    let t = use_i18n();
    let kind = RwSignal::new(DictKind::Level);
    let data = Resource::new(|| (), |_| list_dictionaries());
    let error = RwSignal::new(None::<AppError>);
    let new_name = RwSignal::new(String::new());
    let add = Action::new(move |(k, n): &(DictKind, String)| {
        let (k, n) = (*k, n.clone());
        async move { add_dictionary_item(k, n).await.map(|_| ()) }
    });
    let change = Action::new(move |op: &(i64, &'static str, String)| {
        let (id, what, name) = op.clone();
        async move {
            match what {
                "up" => move_dictionary_item(id, true).await,
                "down" => move_dictionary_item(id, false).await,
                "hide" => set_dictionary_item_active(id, false).await,
                "show" => set_dictionary_item_active(id, true).await,
                _ => rename_dictionary_item(id, name).await,
            }
        }
    });
    Effect::new(move |_| {
        for r in [add.value().get(), change.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            new_name.set(String::new());
        }
    });
    view! {
        <Title text=t.t("settings.dictionaries")/>
        <PageHeader title=t.t("settings.dictionaries")/>
        <div class="mb-3 flex flex-wrap gap-1" role="tablist">
            {DictKind::ALL.iter().map(|k| {
                let k = *k;
                view! {
                    <button type="button" role="tab" aria-selected=move || (kind.get() == k).to_string()
                        class="min-h-11 rounded-full border border-slate-300 px-3 text-sm aria-[selected=true]:border-blue-700 aria-[selected=true]:bg-blue-700 aria-[selected=true]:text-white"
                        on:click=move |_| kind.set(k)>
                        {t.t(&format!("dict.{}", k.code()))}
                    </button>
                }
            }).collect_view()}
        </div>
        <section class="max-w-2xl rounded-lg border border-slate-200 bg-white p-4" data-testid="dictionary">
            <p class="mb-2 text-sm text-slate-600">{move || if kind.get().closed() { t.t("dict.closed_help") } else { t.t("dict.open_help") }}</p>
            <p role="alert" class="min-h-5 text-sm text-red-700">{move || error.get().map(|e| e.field("name").map(|k| t.t(&k)).unwrap_or_else(|| error_text(t, &e)))}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let items = data.await.unwrap_or_default().items(kind.get());
                    view! {
                        <ul class="divide-y divide-slate-100">
                            {items.into_iter().map(|i| {
                                let name = RwSignal::new(i.name.clone());
                                let id = i.id;
                                let active = i.active;
                                let label = i.name.clone();
                                view! {
                                    <li class="flex flex-wrap items-center gap-2 py-2">
                                        <input aria-label=t.t_args("dict.rename", &[("name", label)]) class="min-h-11 flex-1 rounded-md border border-slate-300 px-2 aria-[disabled=true]:text-slate-400"
                                            aria-disabled=(!active).to_string() prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                                        <button type="button" class=BTN_SECONDARY on:click=move |_| { change.dispatch((id, "rename", name.get_untracked())); }>{t.t("common.save")}</button>
                                        <button type="button" class=BTN_SECONDARY aria-label=t.t("dict.up") on:click=move |_| { change.dispatch((id, "up", String::new())); }>"↑"</button>
                                        <button type="button" class=BTN_SECONDARY aria-label=t.t("dict.down") on:click=move |_| { change.dispatch((id, "down", String::new())); }>"↓"</button>
                                        {if active {
                                            view! { <button type="button" class=BTN_SECONDARY on:click=move |_| { change.dispatch((id, "hide", String::new())); }>{t.t("dict.hide")}</button> }.into_any()
                                        } else {
                                            view! { <button type="button" class=BTN_SECONDARY on:click=move |_| { change.dispatch((id, "show", String::new())); }>{t.t("dict.show")}</button> }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
            <form class="mt-3 flex gap-2" on:submit=move |ev| { ev.prevent_default(); add.dispatch((kind.get_untracked(), new_name.get_untracked())); }>
                <input aria-label=t.t("dict.new_item") placeholder=t.t("dict.new_item") class="min-h-11 flex-1 rounded-md border border-slate-300 px-2"
                    maxlength=ITEM_MAX.to_string() prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                <button type="submit" class=BTN_PRIMARY disabled=move || add.pending().get()>{t.t("dict.add")}</button>
            </form>
        </section>
    }
}
