//! The registration (报备) panel of an opportunity: why it waits for approval, and the
//! approve and reject buttons for a manager who may decide.
use super::board::refusal;
use crate::opportunities::api::decide_registration;
use crate::opportunities::types::*;
use crate::platform::i18n::use_i18n;
use crate::ui::{TextArea, BTN_DANGER, BTN_PRIMARY};
use leptos::prelude::*;

#[component]
pub fn RegistrationPanel(o: Opportunity, stage_label: Callback<i64, String>, reload: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    let (id, version) = (o.id, o.version);
    let note = RwSignal::new(String::new());
    let decide = Action::new(move |approve: &bool| {
        let approve = *approve;
        let note = note.get_untracked();
        async move { decide_registration(id, version, approve, note).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = decide.value().get() {
            reload.run(());
        }
    });
    let err = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    let note_err = Signal::derive(move || err.get().and_then(|e| e.field("registration_note")));
    match o.registration.as_str() {
        "pending" => view! {
            <section class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4" role="status" data-testid="registration">
                <h2 class="font-semibold text-amber-900">{t.t("registration.pending_title")}</h2>
                <p class="mb-2 text-amber-900">{t.t("registration.pending_help")}</p>
                <ul class="mb-3 list-disc pl-5 text-sm" data-testid="registration-conflicts">
                    {o.conflicts.iter().map(|c| {
                        let text = t.t_args("registration.conflict", &[
                            ("name", c.name.clone()),
                            ("customer", c.customer_name.clone()),
                            ("owner", c.owner_name.clone().unwrap_or_default()),
                            ("stage", stage_label.run(c.stage_id)),
                        ]);
                        view! { <li>{text}</li> }
                    }).collect_view()}
                </ul>
                {o.can_approve.then(|| view! {
                    <div class="rounded-md border border-amber-200 bg-white p-3">
                        {move || err.get().filter(|e| e.field("registration_note").is_none()).map(|e| view! {
                            <p role="alert" class="mb-2 rounded-md bg-red-50 px-3 py-2 text-red-800">{refusal(t, &e, "")}</p>
                        })}
                        <TextArea id="registration_note" label=t.t("registration.note") value=note error=note_err max_len=REASON_MAX/>
                        <div class="flex flex-wrap gap-2">
                            <button type="button" class=BTN_PRIMARY disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(true); }>{t.t("registration.approve")}</button>
                            <button type="button" class=BTN_DANGER disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(false); }>{t.t("registration.reject")}</button>
                        </div>
                    </div>
                })}
            </section>
        }
        .into_any(),
        "rejected" => view! {
            <section class="mb-4 rounded-lg border border-slate-300 bg-slate-50 p-4" data-testid="registration">
                <h2 class="font-semibold">{t.t("registration.rejected_title")}</h2>
                <p>{o.registration_note.clone().unwrap_or_default()}</p>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
