//! The pipeline board (S5): one column per open stage with count, total and weighted
//! total; cards move by dragging (pointer events: mouse, pen and touch, with
//! auto-scroll at the edges) or from the keyboard (arrow keys on a focused card, or
//! its move buttons). A move shows at once and is rolled back with a message when
//! the server refuses it.
use crate::opportunities::api::{board_views, move_opportunity, pipeline_board, save_board_view};
use crate::opportunities::types::*;
use crate::platform::error::AppError;
use crate::platform::i18n::{use_i18n, I18n};
use crate::platform::money::{format_amount, Currency};
use crate::ui::{ErrorBanner, PageHeader, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

pub(crate) fn stage_label(t: I18n, s: &Stage) -> String {
    s.label_key().unwrap_or_else(|k| t.t(&k))
}

pub(crate) fn process_label(t: I18n, p: &Process) -> String {
    p.label_key().unwrap_or_else(|k| t.t(&k))
}

pub(crate) fn money(amount: i64, currency: &str) -> String {
    let c = Currency::from_code(currency).unwrap_or_default();
    format!("{} {}", c.code(), format_amount(amount, c))
}

/// The message for a refused move: which fields or activity the stage still needs.
pub(crate) fn refusal(t: I18n, e: &AppError, stage: &str) -> String {
    if let AppError::Validation(errors) = e {
        if errors.first().is_some_and(|f| f.field == "stage" && f.code == "pipeline.gate") {
            let needs: Vec<String> = errors[1..]
                .iter()
                .map(|f| {
                    if f.field == "activity" {
                        t.t_args("pipeline.needs_activity", &[("kind", t.t(&f.code))])
                    } else {
                        t.t(&format!("opportunity.{}", f.field))
                    }
                })
                .collect();
            let needs = needs.join("、");
            return if stage.is_empty() {
                t.t_args("pipeline.gate_needs", &[("needs", needs)])
            } else {
                t.t_args("pipeline.gate_message", &[("stage", stage.to_string()), ("needs", needs)])
            };
        }
        if let Some(f) = errors.first() {
            return t.t(&f.code);
        }
    }
    crate::ui::error_text(t, e)
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let key = Memo::new(move |_| {
        let q = query.read();
        BoardQuery {
            process: q.get("process").and_then(|v| v.parse().ok()),
            owner: q.get("owner").and_then(|v| v.parse().ok()),
            department: q.get("department").and_then(|v| v.parse().ok()),
            close_from: q.get("close_from").filter(|v| !v.is_empty()),
            close_to: q.get("close_to").filter(|v| !v.is_empty()),
        }
    });
    let board = Resource::new(move || key.get(), |k| pipeline_board(k.process, k.owner, k.department, k.close_from, k.close_to));
    let owners = Resource::new(|| (), |_| crate::customers::api::list_owner_options());
    let teams = Resource::new(|| (), |_| crate::reports::api::team_options());
    let go = Callback::new(move |k: BoardQuery| {
        navigate(&k.url(), NavigateOptions { replace: true, ..Default::default() });
    });
    let set = move |f: &dyn Fn(&mut BoardQuery)| {
        let mut k = key.get_untracked();
        f(&mut k);
        go.run(k);
    };
    let select = "min-h-11 rounded-md border border-slate-300 bg-white px-2 py-2 text-base";
    view! {
        <Title text=t.t("pipeline.title")/>
        <PageHeader title=t.t("pipeline.title")>
            // A plain link: the router still handles the click, and a router `<A>` whose href
            // carries a query string broke hydration outside a Suspense boundary.
            <a href=move || {
                let k = key.get();
                OppFilter { process: k.process, owner: k.owner, department: k.department, status: Some("open".into()), close_from: k.close_from, close_to: k.close_to, ..Default::default() }.list_url()
            } class=BTN_SECONDARY>{t.t("opportunity.list_view")}</a>
            <A href="/opportunities/new" attr:class=BTN_PRIMARY>{t.t("opportunity.new")}</A>
        </PageHeader>
        <form class="mb-3 grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-5" aria-label=t.t("pipeline.filters") on:submit=|ev| ev.prevent_default()>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t.t("pipeline.process")}
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let b = board.await.ok();
                        let current = b.as_ref().map(|b| b.process.id);
                        let list = b.map(|b| b.processes).unwrap_or_default();
                        view! {
                            <select id="filter-process" class=select on:change=move |ev| {
                                let v = event_target_value(&ev).parse().ok();
                                set(&|k| k.process = v);
                            }>
                                {list.into_iter().map(|p| {
                                    let label = process_label(t, &p);
                                    view! { <option value=p.id.to_string() selected=Some(p.id) == current>{label}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </label>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t.t("customer.owner")}
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = owners.await.unwrap_or_default();
                        let current = key.get_untracked().owner;
                        view! {
                            <select id="filter-owner" class=select on:change=move |ev| {
                                let v = event_target_value(&ev).parse().ok();
                                set(&|k| k.owner = v);
                            }>
                                <option value="">{t.t("pipeline.all_owners")}</option>
                                {list.into_iter().map(|o| view! { <option value=o.id.to_string() selected=Some(o.id) == current>{o.display_name}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </label>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t.t("dashboard.team")}
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = teams.await.unwrap_or_default();
                        let current = key.get_untracked().department;
                        view! {
                            <select id="filter-team" class=select on:change=move |ev| {
                                let v = event_target_value(&ev).parse().ok();
                                set(&|k| k.department = v);
                            }>
                                <option value="">{t.t("dashboard.all_teams")}</option>
                                {list.into_iter().map(|o| view! { <option value=o.id.to_string() selected=Some(o.id) == current>{o.name}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </label>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t.t("pipeline.close_from")}
                <input type="date" id="filter-close-from" class=select prop:value=move || key.get().close_from.unwrap_or_default()
                    on:change=move |ev| { let v = Some(event_target_value(&ev)).filter(|v| !v.is_empty()); set(&|k| k.close_from = v.clone()); }/>
            </label>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                {t.t("pipeline.close_to")}
                <input type="date" id="filter-close-to" class=select prop:value=move || key.get().close_to.unwrap_or_default()
                    on:change=move |ev| { let v = Some(event_target_value(&ev)).filter(|v| !v.is_empty()); set(&|k| k.close_to = v.clone()); }/>
            </label>
        </form>
        <SavedViews current=key go/>
        <Transition fallback=move || view! { <p>{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <BoardView board=b/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Saved views of the board (S5): pick one to apply its filters, save the current
/// filters under a name (for oneself or shared), delete one's own.
#[component]
fn SavedViews(current: Memo<BoardQuery>, go: Callback<BoardQuery>) -> impl IntoView {
    let t = use_i18n();
    let views = Resource::new(|| (), |_| board_views());
    let naming = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let save = Action::new(move |(n, s, q): &(String, bool, BoardQuery)| {
        let (n, s, q) = (n.clone(), *s, q.clone());
        async move { save_board_view(n, s, q).await }
    });
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        async move { crate::customers::api::delete_view(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            naming.set(false);
            name.set(String::new());
            views.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            views.refetch();
        }
    });
    let name_err = Signal::derive(move || save.value().get().and_then(|r| r.err()).and_then(|e| e.field("name")));
    let select = "min-h-11 min-w-0 rounded-md border border-slate-300 bg-white px-2 py-2 text-base";
    view! {
        <div class="mb-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end" data-testid="board-views">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = views.await.unwrap_or_default();
                    let now = current.get();
                    let active = list.iter().find(|v| v.query == now).map(|v| (v.id, v.mine));
                    let stored = StoredValue::new(list.clone());
                    view! {
                        <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">
                            {t.t("pipeline.saved_views")}
                            <select id="board-view" class=select on:change=move |ev| {
                                let id = event_target_value(&ev).parse::<i64>().ok();
                                if let Some(v) = stored.with_value(|l| l.iter().find(|v| Some(v.id) == id).cloned()) {
                                    go.run(v.query);
                                }
                            }>
                                <option value="" selected=active.is_none()>{t.t("pipeline.pick_view")}</option>
                                {list.into_iter().map(|v| {
                                    let label = match (&v.owner_name, v.mine) {
                                        (Some(o), false) => format!("{} · {o}", v.name),
                                        _ if v.shared => format!("{} · {}", v.name, t.t("pipeline.view_shared")),
                                        _ => v.name.clone(),
                                    };
                                    view! { <option value=v.id.to_string() selected=active.map(|a| a.0) == Some(v.id)>{label}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        {active.filter(|a| a.1).map(|(id, _)| view! {
                            <button type="button" class=BTN_SECONDARY data-testid="delete-view" disabled=move || remove.pending().get()
                                on:click=move |_| { remove.dispatch(id); }>{t.t("pipeline.delete_view")}</button>
                        })}
                    }
                })}
            </Transition>
            {move || if naming.get() {
                view! {
                    <form class="flex flex-col gap-2 sm:flex-row sm:items-end" data-testid="save-view-form" on:submit=move |ev| {
                        ev.prevent_default();
                        save.dispatch((name.get_untracked(), shared.get_untracked(), current.get_untracked()));
                    }>
                        <TextField id="view-name" label=t.t("pipeline.view_name") value=name error=name_err max_len=50/>
                        <label class="flex min-h-11 items-center gap-2 pb-6 text-sm">
                            <input type="checkbox" class="h-5 w-5" prop:checked=move || shared.get() on:change=move |ev| shared.set(event_target_checked(&ev))/>
                            {t.t("pipeline.view_share")}
                        </label>
                        <div class="flex gap-2 pb-6">
                            <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                            <button type="button" class=BTN_SECONDARY on:click=move |_| naming.set(false)>{t.t("common.cancel")}</button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class=BTN_SECONDARY data-testid="save-view" on:click=move |_| naming.set(true)>{t.t("pipeline.save_view")}</button>
                }.into_any()
            }}
        </div>
    }
}

/// A drag in progress: which card, where it started, and whether it has moved enough
/// to count as a drag (a short press stays a click on the card's link).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    id: i64,
    pointer: i32,
    start: (i32, i32),
    moving: bool,
    over: Option<i64>,
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    let t = use_i18n();
    let stages: Vec<Stage> = board.process.stages.iter().filter(|s| s.kind() == StageKind::Open).cloned().collect();
    let order: StoredValue<Vec<(i64, String)>> = StoredValue::new(stages.iter().map(|s| (s.id, stage_label(t, s))).collect());
    let cards = RwSignal::new(board.cards.clone());
    let status = RwSignal::new(None::<(bool, String)>);
    let drag = RwSignal::new(None::<Drag>);

    // Shows the move at once, then asks the server; a refusal puts the card back.
    let do_move = move |id: i64, to: i64| {
        let Some(card) = cards.with_untracked(|cs| cs.iter().find(|c| c.id == id).cloned()) else { return };
        if card.stage_id == to {
            return;
        }
        let to_label = order.with_value(|o| o.iter().find(|(s, _)| *s == to).map(|(_, l)| l.clone()).unwrap_or_default());
        cards.update(|cs| {
            if let Some(c) = cs.iter_mut().find(|c| c.id == id) {
                c.stage_id = to;
                c.days_in_stage = 0;
            }
        });
        status.set(Some((true, t.t_args("pipeline.moving", &[("name", card.name.clone()), ("stage", to_label.clone())]))));
        leptos::task::spawn_local(async move {
            match move_opportunity(id, card.version, to).await {
                Ok(m) => {
                    cards.update(|cs| {
                        if let Some(c) = cs.iter_mut().find(|c| c.id == id) {
                            c.stage_id = m.stage_id;
                            c.version = m.version;
                            c.stage_entered_at = m.stage_entered_at;
                            c.days_in_stage = 0;
                        }
                    });
                    status.set(Some((true, t.t_args("pipeline.moved", &[("name", card.name.clone()), ("stage", to_label)]))));
                }
                Err(e) => {
                    cards.update(|cs| {
                        if let Some(c) = cs.iter_mut().find(|c| c.id == id) {
                            c.stage_id = card.stage_id;
                            c.days_in_stage = card.days_in_stage;
                        }
                    });
                    status.set(Some((false, refusal(t, &e, &to_label))));
                }
            }
        });
    };
    // The neighbouring open stage, for keyboard moves.
    let neighbour = move |id: i64, step: i64| -> Option<i64> {
        let current = cards.with_untracked(|cs| cs.iter().find(|c| c.id == id).map(|c| c.stage_id))?;
        order.with_value(|o| {
            let i = o.iter().position(|(s, _)| *s == current)? as i64 + step;
            (0..o.len() as i64).contains(&i).then(|| o[i as usize].0)
        })
    };
    let key_move = move |id: i64, step: i64| {
        if let Some(to) = neighbour(id, step) {
            do_move(id, to);
            refocus(id);
        }
    };

    let columns = stages.into_iter().map(|s| {
        let sid = s.id;
        let label = stage_label(t, &s);
        let probability = s.probability;
        let in_stage = Memo::new(move |_| cards.with(|cs| cs.iter().filter(|c| c.stage_id == sid).cloned().collect::<Vec<_>>()));
        let totals = Memo::new(move |_| in_stage.with(|cs| column_totals(cs, probability)));
        let heading_id = format!("stage-{sid}");
        let labelled_by = heading_id.clone();
        view! {
            <section
                class=move || format!("flex w-72 shrink-0 flex-col rounded-lg border bg-slate-50 sm:w-80 {}",
                    if drag.get().and_then(|d| d.over) == Some(sid) { "border-blue-500 ring-2 ring-blue-300" } else { "border-slate-200" })
                data-stage-id=sid.to_string()
                aria-labelledby=labelled_by
                data-testid="stage-column"
            >
                <header class="border-b border-slate-200 p-3">
                    <h2 id=heading_id class="font-semibold">{label.clone()} <span class="text-sm font-normal text-slate-500">{format!(" · {probability}%")}</span></h2>
                    <p class="text-sm text-slate-700" data-testid="stage-count">{move || t.t_args("pipeline.count", &[("n", in_stage.with(|c| c.len()).to_string())])}</p>
                    <dl class="text-sm text-slate-700" data-testid="stage-totals">
                        {move || totals.get().into_iter().map(|tot| view! {
                            <div class="flex flex-wrap gap-x-2">
                                <dt class="sr-only">{t.t("pipeline.total")}</dt>
                                <dd data-testid="stage-total">{money(tot.amount, &tot.currency)}</dd>
                                <dt class="text-slate-500">{t.t("pipeline.weighted")}</dt>
                                <dd data-testid="stage-weighted">{money(tot.weighted, &tot.currency)}</dd>
                            </div>
                        }).collect_view()}
                    </dl>
                </header>
                <ul class="flex min-h-24 flex-col gap-2 p-2" aria-label=label.clone()>
                    <For each=move || in_stage.get() key=|c| (c.id, c.stage_id) let:card>
                        <CardView card=card drag=drag order=order on_drop=Callback::new(move |(id, to): (i64, i64)| do_move(id, to))
                            on_key=Callback::new(move |(id, step): (i64, i64)| key_move(id, step))/>
                    </For>
                </ul>
            </section>
        }
    }).collect_view();

    view! {
        {board.truncated.then(|| view! { <p class="mb-2 text-sm text-amber-800">{t.t_args("pipeline.truncated", &[("n", BOARD_STAGE_LIMIT.to_string())])}</p> })}
        <p id="board-help" class="mb-2 text-sm text-slate-600">{t.t("pipeline.help")}</p>
        <p role="status" aria-live="polite" data-testid="board-status"
            class=move || match status.get() { Some((false, _)) => "mb-2 min-h-6 rounded-md bg-red-50 px-3 py-2 text-red-800", Some(_) => "mb-2 min-h-6 text-sm text-slate-700", None => "mb-2 min-h-6" }>
            {move || status.get().map(|(_, m)| m)}
        </p>
        // `relative` makes the board the containing block of the screen-reader-only labels
        // inside it, so they are clipped with it instead of widening the page on phones.
        <div id="board" class="relative flex gap-3 overflow-x-auto pb-4" data-testid="board">{columns}</div>
    }
}

/// Puts the keyboard focus back on a card after it moved to another column.
fn refocus(id: i64) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(&format!("card-{id}")) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The open stage column under a screen point, if any.
#[cfg(feature = "hydrate")]
fn column_at(x: i32, y: i32) -> Option<i64> {
    use wasm_bindgen::JsCast;
    document()
        .elements_from_point(x as f32, y as f32)
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::Element>().ok())
        .find_map(|e| e.get_attribute("data-stage-id"))
        .and_then(|v| v.parse().ok())
}

/// Scrolls the board (sideways) and the page (up and down) while a card is held near an edge.
#[cfg(feature = "hydrate")]
fn auto_scroll(x: i32, y: i32) {
    const EDGE: f64 = 48.0;
    const STEP: f64 = 24.0;
    if let Some(board) = document().get_element_by_id("board") {
        let r = board.get_bounding_client_rect();
        let x = x as f64;
        if x > r.right() - EDGE {
            board.scroll_by_with_x_and_y(STEP, 0.0);
        } else if x < r.left() + EDGE {
            board.scroll_by_with_x_and_y(-STEP, 0.0);
        }
    }
    let height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let y = y as f64;
    if y > height - EDGE {
        window().scroll_by_with_x_and_y(0.0, STEP);
    } else if y < EDGE {
        window().scroll_by_with_x_and_y(0.0, -STEP);
    }
}

#[component]
fn CardView(
    card: Card,
    drag: RwSignal<Option<Drag>>,
    order: StoredValue<Vec<(i64, String)>>,
    on_drop: Callback<(i64, i64)>,
    on_key: Callback<(i64, i64)>,
) -> impl IntoView {
    let t = use_i18n();
    let id = card.id;
    let node = NodeRef::<leptos::html::Li>::new();
    let pos = order.with_value(|o| o.iter().position(|(s, _)| *s == card.stage_id));
    let prev = pos.and_then(|i| i.checked_sub(1)).and_then(|i| order.with_value(|o| o.get(i).cloned()));
    let next = pos.and_then(|i| order.with_value(|o| o.get(i + 1).cloned()));
    let dragging = move || drag.get().is_some_and(|d| d.id == id && d.moving);
    let reset = move || {
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get_untracked() {
            let _ = el.style(("transform", ""));
        }
        drag.set(None);
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if ev.button() != 0 {
                return;
            }
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            if target.closest("button").ok().flatten().is_some() {
                return;
            }
            // A finger drags by the handle; elsewhere it scrolls the board.
            if ev.pointer_type() == "touch" && target.closest("[data-drag-handle]").ok().flatten().is_none() {
                return;
            }
            drag.set(Some(Drag { id, pointer: ev.pointer_id(), start: (ev.client_x(), ev.client_y()), moving: false, over: None }));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            let Some(mut d) = drag.get_untracked().filter(|d| d.id == id && d.pointer == ev.pointer_id()) else { return };
            let (dx, dy) = (ev.client_x() - d.start.0, ev.client_y() - d.start.1);
            let Some(el) = node.get_untracked() else { return };
            if !d.moving {
                if dx.abs() + dy.abs() < 6 {
                    return;
                }
                d.moving = true;
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            ev.prevent_default();
            let _ = el.style(("transform", format!("translate({dx}px, {dy}px)")));
            d.over = column_at(ev.client_x(), ev.client_y());
            auto_scroll(ev.client_x(), ev.client_y());
            drag.set(Some(d));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let Some(d) = drag.get_untracked().filter(|d| d.id == id && d.pointer == ev.pointer_id()) else { return };
        reset();
        if d.moving {
            if let Some(to) = d.over {
                on_drop.run((id, to));
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => {
            ev.prevent_default();
            on_key.run((id, 1));
        }
        "ArrowLeft" => {
            ev.prevent_default();
            on_key.run((id, -1));
        }
        _ => {}
    };
    let name = card.name.clone();
    view! {
        <li
            id=format!("card-{id}")
            node_ref=node
            tabindex="0"
            data-testid="card"
            aria-describedby="board-help"
            class=move || format!("relative rounded-md border bg-white p-3 shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-blue-500 select-none {}",
                if dragging() { "z-50 cursor-grabbing border-blue-500 shadow-lg opacity-90" } else { "cursor-grab border-slate-200" })
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=move |_| reset()
            on:keydown=on_keydown
        >
            <div class="flex items-start gap-2">
                <span data-drag-handle="" aria-hidden="true" style="touch-action: none"
                    class="-m-1 flex h-11 w-8 shrink-0 items-center justify-center rounded text-lg text-slate-400 hover:bg-slate-100">"⠿"</span>
                <div class="min-w-0 flex-1">
                    <A href=format!("/opportunities/{id}") attr:class="block truncate font-medium text-blue-800 underline" attr:draggable="false">{card.name.clone()}</A>
                    <p class="truncate text-sm text-slate-600">{card.customer_name.clone()}</p>
                    {(card.registration == "pending").then(|| view! {
                        <p class="mt-1 inline-block rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900" data-testid="card-pending">{t.t("registration.badge")}</p>
                    })}
                    <p class="text-sm font-semibold" data-testid="card-amount">{money(card.amount, &card.currency)}</p>
                    <p class="text-xs text-slate-500">
                        {card.expected_close.clone().map(|d| t.t_args("pipeline.closes", &[("date", d)]))}
                        {card.owner_name.clone().map(|o| format!(" · {o}"))}
                        {" · "}{t.t_args("pipeline.days_in_stage", &[("n", card.days_in_stage.to_string())])}
                    </p>
                </div>
            </div>
            <div class="mt-2 flex justify-between gap-2">
                {prev.map(|(to, label)| {
                    let aria = t.t_args("pipeline.move_to", &[("name", name.clone()), ("stage", label.clone())]);
                    view! { <button type="button" class="min-h-11 min-w-11 rounded-md border border-slate-300 px-2 text-sm" aria-label=aria
                        on:click=move |_| on_key.run((id, -1)) data-to=to.to_string()>"← "{label}</button> }
                })}
                <span></span>
                {next.map(|(to, label)| {
                    let aria = t.t_args("pipeline.move_to", &[("name", name.clone()), ("stage", label.clone())]);
                    view! { <button type="button" class="min-h-11 min-w-11 rounded-md border border-slate-300 px-2 text-sm" aria-label=aria
                        on:click=move |_| on_key.run((id, 1)) data-to=to.to_string()>{label}" →"</button> }
                })}
            </div>
        </li>
    }
}
