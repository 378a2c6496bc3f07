//! Keyset-paged lists: the first page comes from a resource keyed by the query (so it
//! renders on the server), later pages are appended by "load more" in the browser.
use crate::platform::error::AppError;
use crate::platform::i18n::I18n;
use crate::ui::{error_text, BTN_SECONDARY};
use leptos::prelude::*;
use std::future::Future;

/// The rows after the first page, with the cursor of the page after them.
pub type More<R, C> = RwSignal<Option<(Vec<R>, Option<C>)>>;

/// A list's later pages, cleared whenever `query` changes.
pub fn more_pages<Q, R, C>(query: Memo<Q>) -> More<R, C>
where
    Q: Clone + PartialEq + Send + Sync + 'static,
    R: Send + Sync + 'static,
    C: Send + Sync + 'static,
{
    let more: More<R, C> = RwSignal::new(None);
    Effect::new(move |_| {
        query.track();
        more.set(None);
    });
    more
}

/// Appends the page `fetch` brings (rows and the next cursor) to `more`.
pub fn append_page<R, C>(more: More<R, C>, fetch: impl Future<Output = Option<(Vec<R>, Option<C>)>> + 'static)
where
    R: Send + Sync + 'static,
    C: Send + Sync + 'static,
{
    leptos::task::spawn_local(async move {
        if let Some((rows, next)) = fetch.await {
            more.update(|m| {
                let mut all = m.take().map(|(r, _)| r).unwrap_or_default();
                all.extend(rows);
                *m = Some((all, next));
            });
        }
    });
}

/// The body of a paged list: the error, the empty message, or `frame` around the rows
/// of the first page and the later ones, then "load more" while there is a next page.
pub fn paged_body<R, C>(
    t: I18n,
    first: Result<(Vec<R>, Option<C>), AppError>,
    more: More<R, C>,
    empty_key: &'static str,
    row: impl Fn(R) -> AnyView + Copy + Send + Sync + 'static,
    frame: impl FnOnce(AnyView) -> AnyView,
    load: impl Fn(C) + Copy + Send + Sync + 'static,
) -> AnyView
where
    R: Clone + Send + Sync + 'static,
    C: Clone + Send + Sync + 'static,
{
    match first {
        Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
        Ok((rows, _)) if rows.is_empty() => {
            view! { <p class="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-500">{t.t(empty_key)}</p> }
                .into_any()
        }
        Ok((rows, first_next)) => {
            let next = move || match more.get() {
                Some((_, n)) => n,
                None => first_next.clone(),
            };
            let body = view! {
                {rows.into_iter().map(row).collect_view()}
                {move || more.get().map(|(rows, _)| rows.into_iter().map(row).collect_view())}
            }
            .into_any();
            view! {
                {frame(body)}
                {move || next().map(|cursor| view! {
                    <div class="mt-4 flex justify-center">
                        <button type="button" class=BTN_SECONDARY data-testid="load-more" on:click=move |_| load(cursor.clone())>
                            {t.t("common.load_more")}
                        </button>
                    </div>
                })}
            }
            .into_any()
        }
    }
}
