use crate::admin::api::list_roles;
use crate::platform::authz::{Action, Entity};
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, PageHeader};
use leptos::prelude::*;

/// Each role's entity × action grants with their data scope.
#[component]
pub fn RolesPage() -> impl IntoView {
    let t = use_i18n();
    let roles = Resource::new(|| (), |_| list_roles());
    view! {
        <PageHeader title=t.t("roles.title")/>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{t.t("roles.help")}</p>
        <Suspense fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match roles.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|r| {
                        let perms = r.permissions.clone();
                        view! {
                            <section class="mb-6 overflow-x-auto rounded-lg border border-slate-200 bg-white p-4">
                                <h2 class="mb-2 font-semibold">
                                    {t.t(&format!("role.{}", r.code))}
                                    <span class="ml-2 text-sm font-normal text-slate-500">{t.t_args("roles.user_count", &[("n", r.user_count.to_string())])}</span>
                                </h2>
                                <table class="w-full text-left text-sm">
                                    <thead>
                                        <tr class="text-slate-500">
                                            <th scope="col" class="py-1 pr-3">{t.t("roles.entity")}</th>
                                            {Action::ALL.iter().map(|a| view! { <th scope="col" class="px-2 py-1">{t.t(&format!("action.{}", a.code()))}</th> }).collect_view()}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {Entity::ALL.iter().map(|e| {
                                            let perms = perms.clone();
                                            view! {
                                                <tr class="border-t border-slate-100">
                                                    <th scope="row" class="py-1 pr-3 font-medium">{t.t(&format!("entity.{}", e.code()))}</th>
                                                    {Action::ALL.iter().map(|a| {
                                                        let s = perms.iter().find(|p| p.0 == *e && p.1 == *a).map(|p| p.2);
                                                        view! { <td class="px-2 py-1">{s.map(|s| t.t(&format!("scope.{}", s.code()))).unwrap_or_else(|| "—".into())}</td> }
                                                    }).collect_view()}
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}
