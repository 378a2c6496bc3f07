//! Lead settings: the sales territories that web-form and distributed leads go to,
//! round-robin among each territory's members, and the public web form's link.
use super::problem_text;
use crate::customers::api::list_owner_options;
use crate::customers::types::OwnerOption;
use crate::leads::api::{lead_territories, remove_lead_territory, save_lead_territory};
use crate::leads::types::{next_member, Territory, TerritoryInput};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, PageHeader, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 px-3 py-2 text-base focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-200 aria-[invalid=true]:border-red-500";

#[component]
pub fn LeadSettingsPage() -> impl IntoView {
    let t = use_i18n();
    let territories = Resource::new(|| (), |_| lead_territories());
    let owners = Resource::new(|| (), |_| list_owner_options());
    let notice = RwSignal::new(None::<String>);
    let reload = Callback::new(move |_: ()| territories.refetch());
    view! {
        <Title text=t.t("lead.settings_title")/>
        <PageHeader title=t.t("lead.settings_title")/>
        <p class="mb-4 max-w-3xl text-slate-700">{t.t("lead.territories_help")}</p>
        <div role="status" aria-live="polite" data-testid="territory-notice">
            {move || notice.get().map(|n| view! { <p class="mb-3 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">{n}</p> })}
        </div>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let people = owners.await.unwrap_or_default();
                match territories.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(list) => {
                        let empty = list.is_empty();
                        view! {
                            <h2 class="mb-2 text-lg font-semibold">{t.t("lead.territories")}</h2>
                            {empty.then(|| view! { <p class="mb-4 text-slate-500">{t.t("lead.no_territories")}</p> })}
                            <div class="mb-6 flex flex-col gap-4">
                                {list.into_iter().map(|x| view! { <TerritoryEditor territory=Some(x) people=people.clone() reload notice/> }).collect_view()}
                            </div>
                            <h2 class="mb-2 text-lg font-semibold">{t.t("lead.add_territory")}</h2>
                            <TerritoryEditor territory=None people reload notice/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <WebFormSection/>
    }
}

/// One territory's name, regions and members, or (with `territory` None) a new one.
#[component]
fn TerritoryEditor(
    territory: Option<Territory>,
    people: Vec<OwnerOption>,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_i18n();
    let is_new = territory.is_none();
    let x = territory.unwrap_or_default();
    let key = if is_new { "new".to_string() } else { x.id.to_string() };
    let (tid, version) = (x.id, x.version);
    let name = RwSignal::new(x.name.clone());
    let regions = RwSignal::new(x.regions.clone());
    let members = RwSignal::new(x.members.iter().map(|m| m.0).collect::<Vec<i64>>());
    let error = RwSignal::new(None::<AppError>);
    let confirming = RwSignal::new(false);
    // Members who can no longer be picked as owners still show, so they can be removed.
    let mut choices: Vec<(i64, String)> = people.into_iter().map(|p| (p.id, p.display_name)).collect();
    for (id, n) in &x.members {
        if !choices.iter().any(|c| c.0 == *id) {
            choices.push((*id, n.clone()));
        }
    }
    let next_up =
        next_member(&members.get_untracked(), x.last_user_id).and_then(|id| choices.iter().find(|c| c.0 == id).map(|c| c.1.clone()));

    let save = Action::new(move |input: &TerritoryInput| {
        let input = input.clone();
        async move { save_lead_territory(input).await }
    });
    let remove = Action::new(move |_: &()| async move { remove_lead_territory(tid, version).await });
    Effect::new(move |_| {
        for (r, key) in [(save.value().get(), "common.saved"), (remove.value().get(), "lead.territory_removed")] {
            match r {
                Some(Ok(())) => {
                    error.set(None);
                    notice.set(Some(t.t(key)));
                    reload.run(());
                }
                Some(Err(e)) => {
                    notice.set(None);
                    error.set(Some(e));
                }
                None => {}
            }
        }
    });
    let name_err = move || error.get().and_then(|e| e.field("name"));
    let regions_err = move || error.get().and_then(|e| e.field("regions"));
    let general = move || {
        error.get().and_then(|e| match &e {
            AppError::Validation(es) => {
                let other: Vec<_> = es.iter().filter(|f| f.field != "name" && f.field != "regions").cloned().collect();
                (!other.is_empty()).then(|| problem_text(t, &AppError::Validation(other)))
            }
            _ => Some(problem_text(t, &e)),
        })
    };
    let (name_id, regions_id, heading_id) =
        (format!("territory-name-{key}"), format!("territory-regions-{key}"), format!("territory-{key}"));
    let (name_err_id, regions_err_id) = (format!("{name_id}-error"), format!("{regions_id}-error"));
    let (name_for, regions_for) = (name_id.clone(), regions_id.clone());
    let (name_described, regions_described) = (name_err_id.clone(), regions_err_id.clone());
    let labelled_by = heading_id.clone();
    let heading = if is_new { t.t("lead.add_territory") } else { x.name.clone() };
    view! {
        <form class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby=labelled_by
            data-testid=if is_new { "territory-new" } else { "territory" } novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(TerritoryInput {
                    id: (!is_new).then_some(tid),
                    version,
                    name: name.get_untracked(),
                    regions: regions.get_untracked(),
                    members: members.get_untracked(),
                });
            }>
            <h3 id=heading_id class=if is_new { "sr-only" } else { "mb-2 font-semibold" }>{heading}</h3>
            {move || general().map(|g| view! { <p role="alert" class="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800">{g}</p> })}
            <div class="grid grid-cols-1 gap-x-4 md:grid-cols-2">
                <div class="flex flex-col gap-1">
                    <label for=name_for class="text-sm font-medium text-slate-700">
                        {t.t("lead.territory_name")}<span class="text-red-600" aria-hidden="true">" *"</span>
                    </label>
                    <input id=name_id type="text" maxlength="100" required class=INPUT data-testid="territory-name"
                        aria-invalid=move || name_err().is_some().to_string() aria-describedby=name_described
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p id=name_err_id class="min-h-5 text-sm text-red-600">{move || name_err().map(|c| t.t(&c))}</p>
                </div>
                <div class="flex flex-col gap-1">
                    <label for=regions_for class="text-sm font-medium text-slate-700">{t.t("lead.territory_regions")}</label>
                    <input id=regions_id type="text" maxlength="500" class=INPUT data-testid="territory-regions" placeholder=t.t("lead.territory_regions_placeholder")
                        aria-invalid=move || regions_err().is_some().to_string() aria-describedby=regions_described
                        prop:value=move || regions.get() on:input=move |ev| regions.set(event_target_value(&ev))/>
                    <p id=regions_err_id class="min-h-5 text-sm text-red-600">
                        {move || regions_err().map(|c| t.t(&c)).unwrap_or_else(|| t.t("lead.territory_regions_help"))}
                    </p>
                </div>
            </div>
            <fieldset class="mb-3">
                <legend class="mb-1 text-sm font-medium text-slate-700">{t.t("lead.territory_members")}</legend>
                {choices.is_empty().then(|| view! { <p class="text-sm text-slate-500">{t.t("lead.no_people")}</p> })}
                <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
                    {choices.into_iter().map(|(uid, n)| view! {
                        <label class="flex min-h-11 cursor-pointer items-center gap-2">
                            <input type="checkbox" class="h-5 w-5" data-testid="territory-member" value=uid.to_string()
                                prop:checked=move || members.with(|m| m.contains(&uid))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    members.update(|m| {
                                        m.retain(|x| *x != uid);
                                        if on {
                                            m.push(uid);
                                        }
                                    });
                                }/>
                            <span>{n}</span>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            {next_up.map(|n| view! { <p class="mb-3 text-sm text-slate-600" data-testid="territory-next">{t.t_args("lead.territory_next", &[("name", n)])}</p> })}
            <div class="flex flex-wrap gap-2">
                <button type="submit" class=BTN_PRIMARY data-testid="territory-save" disabled=move || save.pending().get()>
                    {if is_new { t.t("lead.add_territory") } else { t.t("common.save") }}
                </button>
                {(!is_new).then(|| view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class=BTN_SECONDARY data-testid="territory-remove" on:click=move |_| confirming.set(true)>
                            {t.t("lead.remove_territory")}
                        </button>
                    }>
                        <button type="button" class=BTN_DANGER data-testid="territory-remove-confirm" disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(()); }>
                            {t.t("lead.remove_territory_confirm")}
                        </button>
                        <button type="button" class=BTN_SECONDARY on:click=move |_| confirming.set(false)>{t.t("common.cancel")}</button>
                    </Show>
                })}
            </div>
        </form>
    }
}

/// Where the public web form lives and a link to paste into the company website.
#[component]
fn WebFormSection() -> impl IntoView {
    let t = use_i18n();
    // The page's origin is known only in the browser; the server renders the relative path.
    let origin = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| origin.set(window().location().origin().unwrap_or_default()));
    let url = move || format!("{}/forms/lead", origin.get());
    let snippet = move || format!("<a href=\"{}\">{}</a>", url(), t.t("webform.title"));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::{JsCast, JsValue};
            // navigator.clipboard.writeText, looked up by name (no extra web-sys features).
            let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
            let clipboard = get(window().as_ref(), "navigator").and_then(|n| get(&n, "clipboard"));
            if let Some(clipboard) = clipboard {
                if let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
                    copied.set(write.call1(&clipboard, &JsValue::from_str(&snippet())).is_ok());
                }
            }
        }
    };
    view! {
        <section class="mt-8 max-w-3xl rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="webform-title" data-testid="webform-section">
            <h2 id="webform-title" class="mb-1 text-lg font-semibold">{t.t("lead.web_form_title")}</h2>
            <p class="mb-3 text-slate-700">{t.t("lead.web_form_help")}</p>
            <p class="mb-3">
                <a href="/forms/lead" target="_blank" rel="external noopener" class="inline-block min-h-11 break-all py-2 text-blue-800 underline"
                    data-testid="webform-link">{url}</a>
            </p>
            <p class="mb-1 text-sm font-medium text-slate-700" id="webform-snippet-label">{t.t("lead.web_form_snippet")}</p>
            <pre class="mb-2 select-all whitespace-pre-wrap break-all rounded-md bg-slate-100 p-3 font-mono text-sm" aria-labelledby="webform-snippet-label"
                data-testid="webform-snippet">{snippet}</pre>
            <div class="flex flex-wrap items-center gap-2">
                <button type="button" class=BTN_SECONDARY data-testid="webform-copy" on:click=copy>{t.t("lead.copy")}</button>
                <span role="status" class="text-sm text-green-800">{move || copied.get().then(|| t.t("lead.copied"))}</span>
            </div>
        </section>
    }
}
