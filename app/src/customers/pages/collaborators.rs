//! Collaborators on the customer page (C3) and the project team on the opportunity
//! page (S3): who besides the owner works on the record, with view or edit access; the
//! owner or a manager adds and removes them.
use crate::customers::api::{add_collaborator, list_owner_options, record_collaborators, remove_collaborator};
use crate::customers::types::ShareAccess;
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{fmt_time, ErrorBanner, SelectField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;

#[component]
pub fn CollaboratorsSection(
    /// `customer` or `opportunity`.
    entity: &'static str,
    record_id: i64,
    owner_id: Option<i64>,
) -> impl IntoView {
    let t = use_i18n();
    let me = crate::ui::use_session().me.map(|m| m.id).unwrap_or_default();
    let list = Resource::new(move || record_id, move |id| record_collaborators(entity.to_string(), id));
    // The opportunity's collaborators are its project team.
    let (title_key, help_key) = if entity == "opportunity" { ("share.team", "share.team_help") } else { ("share.title", "share.help") };
    let people = Resource::new(|| (), |_| list_owner_options());
    let who = RwSignal::new(String::new());
    let access = RwSignal::new(ShareAccess::View.code().to_string());
    let error = RwSignal::new(None::<AppError>);
    let add = Action::new(move |(user, access): &(i64, String)| {
        let (user, access) = (*user, access.clone());
        async move { add_collaborator(entity.to_string(), record_id, user, access).await }
    });
    let remove = Action::new(move |user: &i64| {
        let user = *user;
        async move { remove_collaborator(entity.to_string(), record_id, user).await }
    });
    Effect::new(move |_| {
        for r in [add.value().get(), remove.value().get()].into_iter().flatten() {
            match r {
                Ok(()) => {
                    who.set(String::new());
                    error.set(None);
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let who_err = Signal::derive(move || error.get().and_then(|e| e.field("collaborator")));
    let general = Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let access_options =
        move || ShareAccess::ALL.iter().map(|a| (a.code().to_string(), t.t(&format!("share.access.{}", a.code())))).collect::<Vec<_>>();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="collab-title" data-testid="collaborators">
            <h2 id="collab-title" class="mb-1 font-semibold">{t.t(title_key)}</h2>
            <p class="mb-2 text-sm text-slate-600">{t.t(help_key)}</p>
            <ErrorBanner error=general/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let data = list.await.unwrap_or_default();
                    let can_manage = data.can_manage;
                    let rows = data.rows;
                    let taken: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
                    view! {
                        {if rows.is_empty() {
                            view! { <p class="text-sm text-slate-500">{t.t("share.none")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="divide-y divide-slate-100" data-testid="collaborator-list">
                                    {rows.into_iter().map(|r| {
                                        let uid = r.user_id;
                                        let may_remove = can_manage || uid == me;
                                        let label = if uid == me { t.t("share.leave") } else { t.t("share.remove") };
                                        view! {
                                            <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                                <div>
                                                    <span class="font-medium">{r.display_name.clone()}</span>
                                                    {r.department_name.clone().map(|d| view! { <span class="text-sm text-slate-500">" · " {d}</span> })}
                                                    <span class="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs">{t.t(&format!("share.access.{}", r.access))}</span>
                                                    <div class="text-xs text-slate-500">
                                                        {fmt_time(r.added_at)} {r.added_by_name.clone().map(|b| format!(" · {b}"))}
                                                    </div>
                                                </div>
                                                <div class="flex flex-wrap gap-2">
                                                    {can_manage.then(|| {
                                                        let other = if r.access == ShareAccess::Edit.code() { ShareAccess::View } else { ShareAccess::Edit };
                                                        let switch = t.t(&format!("share.make.{}", other.code()));
                                                        view! {
                                                            <button type="button" class=BTN_SECONDARY aria-label=format!("{switch}: {}", r.display_name)
                                                                disabled=move || add.pending().get() on:click=move |_| { add.dispatch((uid, other.code().to_string())); }>{switch.clone()}</button>
                                                        }
                                                    })}
                                                    {may_remove.then(|| view! {
                                                        <button type="button" class=BTN_SECONDARY aria-label=format!("{label}: {}", r.display_name)
                                                            disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(uid); }>{label.clone()}</button>
                                                    })}
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {can_manage.then(|| view! {
                            <form class="mt-3 grid grid-cols-1 gap-2 sm:grid-cols-3 sm:items-end" on:submit=move |ev| {
                                ev.prevent_default();
                                match who.get_untracked().parse::<i64>() {
                                    Ok(u) => { add.dispatch((u, access.get_untracked())); }
                                    Err(_) => error.set(Some(AppError::validation("collaborator", "validation.required"))),
                                }
                            }>
                                <Suspense fallback=|| ()>
                                    {move || {
                                        let taken = taken.clone();
                                        Suspend::new(async move {
                                            let mut options = vec![(String::new(), "—".to_string())];
                                            options.extend(people.await.unwrap_or_default().into_iter()
                                                .filter(|p| Some(p.id) != owner_id && !taken.contains(&p.id))
                                                .map(|p| (p.id.to_string(), p.display_name)));
                                            view! { <SelectField id="collaborator" label=t.t("share.person") value=who options error=who_err/> }
                                        })
                                    }}
                                </Suspense>
                                <SelectField id="collaborator-access" label=t.t("share.access") value=access options=access_options() error=Signal::derive(|| None::<String>)/>
                                <div class="pb-6">
                                    <button type="submit" class=BTN_PRIMARY disabled=move || add.pending().get()>{t.t("share.add")}</button>
                                </div>
                            </form>
                        })}
                    }
                })}
            </Transition>
        </section>
    }
}
