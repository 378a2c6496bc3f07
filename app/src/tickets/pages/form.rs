//! Logging a service request: customer, contact and installed asset (with its warranty),
//! kind, channel, priority, subject and description.
use super::{warranty_badge, INPUT, LABEL};
use crate::opportunities::pages::CustomerPicker;
use crate::platform::error::FieldError;
use crate::platform::i18n::use_i18n;
use crate::tickets::api::*;
use crate::tickets::types::*;
use crate::ui::{field_error, FormAlert, PageHeader, TextArea, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn NewServicePage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let preset = query.read_untracked().get("customer").and_then(|v| v.parse::<i64>().ok());
    let customer: RwSignal<Option<(i64, String)>> = RwSignal::new(None);
    // A customer given in the address is filled in with its name.
    Effect::new(move |_| {
        if let Some(c) = preset {
            leptos::task::spawn_local(async move {
                if let Ok(d) = crate::customers::api::get_customer(c).await {
                    customer.set(Some((c, d.name)));
                }
            });
        }
    });
    let contact = RwSignal::new(String::new());
    let asset = RwSignal::new(String::new());
    let kind = RwSignal::new("repair".to_string());
    let channel = RwSignal::new("phone".to_string());
    let priority = RwSignal::new("normal".to_string());
    let subject = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let local: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let customer_id = Memo::new(move |_| customer.get().map(|c| c.0));
    let contacts = Resource::new(
        move || customer_id.get(),
        |c| async move {
            match c {
                Some(c) => crate::contacts::api::list_contacts(c).await.map(|l| l.contacts).unwrap_or_default(),
                None => Vec::new(),
            }
        },
    );
    let assets = Resource::new(
        move || customer_id.get(),
        |c| async move {
            match c {
                Some(c) => list_assets(c).await.unwrap_or_default(),
                None => Vec::new(),
            }
        },
    );
    let save = Action::new(move |input: &ServiceInput| {
        let input = input.clone();
        async move { create_service_request(input).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/service/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    let offset = crate::ui::use_session().tz_offset_minutes;
    let now = crate::ui::local_date();
    let today_ms = crate::platform::time::parse_date_ms(&format!("{:04}-{:02}-{:02}", now.0, now.1, now.2), offset).unwrap_or_default();
    let choices = move |prefix: &'static str, values: &'static [&'static str], value: RwSignal<String>, testid: &'static str| {
        view! {
            <select id=testid class=INPUT data-testid=testid on:change=move |ev| value.set(event_target_value(&ev))>
                {values.iter().map(|v| view! { <option value=*v selected=*v == value.get_untracked()>{t.t(&format!("{prefix}.{v}"))}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <Title text=t.t("service.new")/>
        <PageHeader title=t.t("service.new")/>
        <form novalidate class="flex flex-col gap-4" data-testid="service-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = ServiceInput {
                    customer_id: customer_id.get_untracked(),
                    contact_id: contact.get_untracked().parse().ok(),
                    kind: kind.get_untracked(),
                    channel: channel.get_untracked(),
                    priority: priority.get_untracked(),
                    subject: subject.get_untracked(),
                    description: description.get_untracked(),
                    product_id: None,
                    asset_id: asset.get_untracked().parse().ok(),
                };
                match input.validate() {
                    Ok(_) => {
                        local.set(Vec::new());
                        save.dispatch(input);
                    }
                    Err(e) => local.set(e),
                }
            }>
            <FormAlert server_error local=local/>
            <fieldset class="grid grid-cols-1 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <legend class="px-1 font-semibold">{t.t("service.section.customer")}</legend>
                <CustomerPicker customer error=err("customer_id")/>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.contact")}</span>
                    <select class=INPUT data-testid="service-contact" on:change=move |ev| contact.set(event_target_value(&ev))>
                        <option value="">{t.t("service.no_contact")}</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                contacts.await.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()
                            })}
                        </Transition>
                    </select>
                    <span class="min-h-5 text-sm text-red-600">{move || err("contact_id").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.asset")}</span>
                    <select class=INPUT data-testid="service-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                        <option value="">{t.t("service.no_asset")}</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                assets.await.into_iter().map(|a| view! { <option value=a.id.to_string()>{format!("{} · {}", a.name, a.serial_no)}</option> }).collect_view()
                            })}
                        </Transition>
                    </select>
                    <span class="min-h-5 text-sm text-red-600">{move || err("asset_id").get().map(|c| t.t(&c))}</span>
                </label>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = assets.await;
                        let picked = asset.get().parse::<i64>().ok().and_then(|id| list.into_iter().find(|a| a.id == id));
                        picked.map(|a| view! {
                            <p class="flex items-center gap-2 text-sm" data-testid="service-asset-warranty">
                                {warranty_badge(t, warranty_on(a.warranty_ends_on.as_deref(), today_ms, offset))}
                                {a.warranty_ends_on.map(|d| t.t_args("service.warranty_until", &[("date", d)]))}
                            </p>
                        })
                    })}
                </Transition>
            </fieldset>
            <fieldset class="grid grid-cols-1 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3">
                <legend class="px-1 font-semibold">{t.t("service.section.request")}</legend>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.kind")}</span>
                    {choices("service.kind", &KINDS, kind, "service-kind")}
                    <span class="min-h-5 text-sm text-red-600">{move || err("kind").get().map(|c| t.t(&c))}</span>
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.channel")}</span>
                    {choices("service.channel", &CHANNELS, channel, "service-channel")}
                </label>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("service.priority")}</span>
                    {choices("service.priority", &PRIORITIES, priority, "service-priority")}
                    <span class="min-h-5 text-sm text-red-600">{move || err("priority").get().map(|c| t.t(&c))}</span>
                </label>
                <div class="md:col-span-3"><TextField id="subject" label=t.t("service.subject") value=subject error=err("subject") max_len=SUBJECT_MAX required=true/></div>
                <div class="md:col-span-3"><TextArea id="description" label=t.t("service.description") value=description error=err("description") max_len=TEXT_MAX/></div>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="service-save" disabled=move || save.pending().get()>{t.t("service.save")}</button>
                <A href="/service" attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}
