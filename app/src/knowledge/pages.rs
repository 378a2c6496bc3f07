//! Knowledge base pages: search, an article, writing one, and the articles a service
//! request suggests and links.
use crate::knowledge::api::*;
use crate::knowledge::types::*;
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::{use_i18n, I18n};
use crate::tickets::pages::{INPUT, LABEL};
use crate::ui::{error_text, field_error, fmt_time, FormAlert, PageHeader, TextField, BTN_DANGER, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn badges(t: I18n, audience: &str, published: bool) -> impl IntoView {
    view! {
        {(audience == "public").then(|| view! { <span class="rounded bg-green-100 px-2 py-0.5 text-xs text-green-900">{t.t("kb.audience.public")}</span> })}
        {(!published).then(|| view! { <span class="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900" data-testid="kb-draft">{t.t("kb.draft")}</span> })}
    }
}

fn article_row(t: I18n, a: ArticleRow) -> impl IntoView {
    view! {
        <li class="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3" data-testid="kb-row">
            <div class="flex flex-wrap items-center gap-2">
                <A href=format!("/kb/{}", a.id) attr:class="font-medium text-blue-800 hover:underline">{a.title.clone()}</A>
                {(!a.category.is_empty()).then(|| view! { <span class="rounded bg-slate-100 px-2 text-sm">{a.category.clone()}</span> })}
                {badges(t, &a.audience, a.published)}
            </div>
            <p class="text-sm text-slate-600">{a.excerpt.clone()}</p>
        </li>
    }
}

/// Search across titles, bodies and tags (Chinese substrings match), by category.
#[component]
pub fn KbListPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let q = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    let typed = RwSignal::new(q.get_untracked());
    let category = RwSignal::new(String::new());
    let page = Resource::new(move || (q.get(), category.get()), |(q, c)| async move { search_articles(q, c).await });
    let categories = Resource::new(|| (), |_| async move { article_categories().await.unwrap_or_default() });
    view! {
        <Title text=t.t("kb.title")/>
        <PageHeader title=t.t("kb.title")>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    page.await.ok().filter(|p| p.can_edit).map(|_| view! { <A href="/kb/new" attr:class=BTN_PRIMARY attr:data-testid="kb-new">{t.t("kb.new")}</A> })
                })}
            </Transition>
        </PageHeader>
        <form class="mb-4 flex flex-wrap items-end gap-2" role="search" on:submit=move |ev| { ev.prevent_default(); q.set(typed.get_untracked()); }>
            <label class="flex min-w-0 flex-1 flex-col gap-1 text-sm">
                <span class="font-medium text-slate-700">{t.t("kb.search")}</span>
                <input type="search" class=INPUT data-testid="kb-search" placeholder=t.t("kb.search_hint") prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <label class=LABEL>
                <span class="font-medium text-slate-700">{t.t("kb.category")}</span>
                <select class=INPUT data-testid="kb-category-filter" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{t.t("kb.all_categories")}</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            categories.await.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()
                        })}
                    </Transition>
                </select>
            </label>
            <button type="submit" class=BTN_SECONDARY data-testid="kb-search-go">{t.t("kb.search_go")}</button>
        </form>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! { <p class="py-8 text-center text-slate-500" data-testid="kb-empty">{t.t("kb.none")}</p> }.into_any(),
                    Ok(p) => view! { <ul class="flex flex-col gap-2">{p.rows.into_iter().map(|a| article_row(t, a)).collect_view()}</ul> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn KbArticlePage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_article(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // After a delete: the version to restore at, for the undo.
    let deleted: RwSignal<Option<(i64, i64)>> = RwSignal::new(None);
    let remove = Action::new(move |(id, version, del): &(i64, i64, bool)| {
        let (id, version, del) = (*id, *version, *del);
        async move { set_article_deleted(id, version, del).await.map(|v| (id, v, del)) }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok((id, v, true))) => deleted.set(Some((id, v))),
        Some(Ok((_, _, false))) => {
            deleted.set(None);
            detail.refetch();
        }
        _ => {}
    });
    let remove_error = move || remove.value().get().and_then(|r| r.err()).map(|e| error_text(t, &e));
    view! {
        {move || deleted.get().map(|(id, v)| view! {
            <div role="status" class="mb-4 flex flex-wrap items-center gap-3 rounded-md bg-slate-800 p-3 text-white" data-testid="kb-deleted">
                <span>{t.t("kb.deleted")}</span>
                <button type="button" class="underline" data-testid="kb-undo" on:click=move |_| { remove.dispatch((id, v, false)); }>{t.t("kb.undo")}</button>
                <A href="/kb" attr:class="underline">{t.t("kb.back")}</A>
            </div>
        })}
        <Show when=move || deleted.get().is_none()>
            <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                        Ok(d) => {
                            let a = d.article.clone();
                            let (id, version) = (a.id, a.version);
                            let meta = t.t_args("kb.updated_by", &[("at", fmt_time(a.updated_at)), ("by", a.updated_by_name.clone().unwrap_or_default())]);
                            view! {
                                <Title text=a.title.clone()/>
                                <PageHeader title=a.title.clone()>
                                    <A href="/kb" attr:class=BTN_SECONDARY>{t.t("kb.back")}</A>
                                    {d.can_edit.then(|| view! {
                                        <A href=format!("/kb/{id}/edit") attr:class=BTN_SECONDARY attr:data-testid="kb-edit">{t.t("kb.edit")}</A>
                                        <button type="button" class=BTN_DANGER data-testid="kb-delete" on:click=move |_| { remove.dispatch((id, version, true)); }>{t.t("kb.delete")}</button>
                                    })}
                                </PageHeader>
                                <div class="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                                    {(!a.category.is_empty()).then(|| view! { <span class="rounded bg-slate-100 px-2">{a.category.clone()}</span> })}
                                    {badges(t, &a.audience, a.published)}
                                    {(!a.tags.is_empty()).then(|| view! { <span>{format!("# {}", a.tags)}</span> })}
                                    <span>{meta}</span>
                                </div>
                                <p class="min-h-5 text-sm text-red-600">{remove_error}</p>
                                <article class="whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 leading-relaxed text-slate-900" data-testid="kb-body">{a.body.clone()}</article>
                                {(!d.requests.is_empty()).then(|| view! {
                                    <section class="mt-4">
                                        <h2 class="font-semibold">{t.t("kb.used_on")}</h2>
                                        <ul class="mt-1 flex flex-col gap-1">
                                            {d.requests.iter().map(|(rid, number, subject)| view! {
                                                <li><A href=format!("/service/{rid}") attr:class="text-blue-800 underline">{format!("{number} {subject}")}</A></li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </Show>
    }
}

#[component]
pub fn KbNewPage() -> impl IntoView {
    let t = use_i18n();
    view! {
        <Title text=t.t("kb.new")/>
        <PageHeader title=t.t("kb.new")/>
        <ArticleForm existing=None/>
    }
}

#[component]
pub fn KbEditPage() -> impl IntoView {
    let t = use_i18n();
    let params = use_params_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let detail = Resource::new(|| (), move |_| async move { get_article(id).await });
    view! {
        <Title text=t.t("kb.edit")/>
        <PageHeader title=t.t("kb.edit")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) if d.can_edit => view! { <ArticleForm existing=Some((d.article.id, d.article.version, d.article.to_input()))/> }.into_any(),
                    Ok(_) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &AppError::Forbidden)}</p> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-12 text-center text-lg">{error_text(t, &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ArticleForm(existing: Option<(i64, i64, ArticleInput)>) -> impl IntoView {
    let t = use_i18n();
    let start = existing.as_ref().map(|e| e.2.clone()).unwrap_or_default();
    let title = RwSignal::new(start.title.clone());
    let body = RwSignal::new(start.body.clone());
    let category = RwSignal::new(start.category.clone());
    let tags = RwSignal::new(start.tags.clone());
    let audience = RwSignal::new(start.audience.clone());
    let published = RwSignal::new(start.published);
    let ids = existing.as_ref().map(|e| (e.0, e.1));
    let local: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let save = Action::new(move |input: &ArticleInput| {
        let input = input.clone();
        async move {
            match ids {
                Some((id, version)) => update_article(id, version, input).await.map(|_| id),
                None => create_article(input).await,
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/kb/{id}"), Default::default());
        }
    });
    let server_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let err = move |f: &'static str| field_error(local, server_error, f);
    view! {
        <form novalidate class="flex flex-col gap-4" data-testid="kb-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let input = ArticleInput {
                    title: title.get_untracked(),
                    body: body.get_untracked(),
                    category: category.get_untracked(),
                    tags: tags.get_untracked(),
                    audience: audience.get_untracked(),
                    published: published.get_untracked(),
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
            <fieldset class="grid min-w-0 grid-cols-1 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2">
                <div class="md:col-span-2"><TextField id="kb-title" label=t.t("kb.article_title") value=title error=err("title") max_len=TITLE_MAX required=true/></div>
                <TextField id="kb-category" label=t.t("kb.category") value=category error=err("category") max_len=SHORT_MAX/>
                <TextField id="kb-tags" label=t.t("kb.tags") value=tags error=err("tags") max_len=TAGS_MAX/>
                <label class=LABEL>
                    <span class="font-medium text-slate-700">{t.t("kb.audience")}</span>
                    <select class=INPUT data-testid="kb-audience" on:change=move |ev| audience.set(event_target_value(&ev))>
                        {AUDIENCES.iter().map(|a| view! { <option value=*a selected=*a == audience.get_untracked()>{t.t(&format!("kb.audience.{a}"))}</option> }).collect_view()}
                    </select>
                </label>
                <label class="flex min-h-11 items-center gap-2">
                    <input type="checkbox" class="h-6 w-6" data-testid="kb-published" prop:checked=move || published.get() on:change=move |ev| published.set(event_target_checked(&ev))/>
                    <span>{t.t("kb.published")}</span>
                </label>
                <label class="flex flex-col gap-1 text-sm md:col-span-2">
                    <span class="font-medium text-slate-700">{t.t("kb.body")}<span class="text-red-600" aria-hidden="true">" *"</span></span>
                    <textarea id="kb-body" class="rounded-md border border-slate-300 px-3 py-2 text-base aria-[invalid=true]:border-red-500" rows="14" maxlength=BODY_MAX.to_string()
                        aria-invalid=move || err("body").get().is_some().to_string() prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <span class="min-h-5 text-red-600" data-testid="kb-body-error">{move || err("body").get().map(|c| t.t(&c))}</span>
                </label>
            </fieldset>
            <div class="sticky bottom-16 z-10 flex gap-2 bg-slate-50/90 py-2 md:bottom-0">
                <button type="submit" class=BTN_PRIMARY data-testid="kb-save" disabled=move || save.pending().get()>{t.t("kb.save")}</button>
                <A href="/kb" attr:class=BTN_SECONDARY>{t.t("common.cancel")}</A>
            </div>
        </form>
    }
}

/// On a request's page: the articles linked to it, and the ones its text suggests,
/// each linked in one tap.
#[component]
pub fn RequestArticlesSection(request_id: i64) -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), move |_| async move { get_request_articles(request_id).await });
    let toggle = Action::new(move |(article, linked): &(i64, bool)| {
        let (article, linked) = (*article, *linked);
        async move { set_request_article(request_id, article, linked).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            data.refetch();
        }
    });
    let error = move || toggle.value().get().and_then(|r| r.err()).map(|e| error_text(t, &e));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(d) = data.await else { return ().into_any() };
                if d.linked.is_empty() && d.suggested.is_empty() {
                    return ().into_any();
                }
                let can_link = d.can_link;
                let item = move |a: ArticleRow, linked: bool| {
                    let id = a.id;
                    let (label, testid) = if linked { (t.t("kb.unlink"), "kb-unlink") } else { (t.t("kb.link"), "kb-link") };
                    view! {
                        <li class="flex items-start justify-between gap-2 py-2" data-testid=if linked { "kb-linked" } else { "kb-suggested" }>
                            <span class="min-w-0">
                                <A href=format!("/kb/{id}") attr:class="font-medium text-blue-800 underline">{a.title.clone()}</A>
                                <span class="block text-sm text-slate-600">{a.excerpt.clone()}</span>
                            </span>
                            {can_link.then(|| view! {
                                <button type="button" class=BTN_SECONDARY data-testid=testid disabled=move || toggle.pending().get()
                                    on:click=move |_| { toggle.dispatch((id, !linked)); }>{label}</button>
                            })}
                        </li>
                    }
                };
                view! {
                    <section class="mt-4 rounded-lg border border-sky-200 bg-sky-50 p-3" data-testid="request-articles">
                        {(!d.linked.is_empty()).then(|| view! {
                            <h2 class="font-semibold">{t.t("kb.linked")}</h2>
                            <ul class="divide-y divide-sky-100">{d.linked.clone().into_iter().map(|a| item(a, true)).collect_view()}</ul>
                        })}
                        {(!d.suggested.is_empty()).then(|| view! {
                            <h2 class="font-semibold">{t.t("kb.suggested")}</h2>
                            <ul class="divide-y divide-sky-100">{d.suggested.clone().into_iter().map(|a| item(a, false)).collect_view()}</ul>
                        })}
                        <p class="min-h-5 text-sm text-red-600">{error}</p>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
