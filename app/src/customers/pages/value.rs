//! The value model in settings, a customer's score with its explanation, and the
//! customer pyramid (accessible SVG with the numbers as a table).
use crate::customers::api::{customer_value, get_value_model, recompute_values, save_value_model, value_pyramid};
use crate::customers::value::{Band, ValueModel, INDICATORS};
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::ui::{error_text, fmt_time, PageHeader, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;

/// The score of one customer and the indicators behind it (B5).
#[component]
pub fn ValueSection(customer_id: i64) -> impl IntoView {
    let t = use_i18n();
    let value = Resource::new(move || customer_id, customer_value);
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="value-title" data-testid="value">
            <h2 id="value-title" class="mb-2 font-semibold">{t.t("value.title")}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match value.await {
                        Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                        Ok(v) => view! {
                            <p class="mb-2">
                                <span class="text-2xl font-bold">{v.score}</span>
                                <span class="text-slate-500">" / 100 · "</span>
                                <span class="rounded-full bg-violet-100 px-2 py-0.5 text-sm font-medium text-violet-800">{t.t_args("value.band", &[("band", v.band.clone())])}</span>
                            </p>
                            <table class="w-full text-left text-sm">
                                <caption class="sr-only">{t.t("value.explain")}</caption>
                                <thead><tr class="border-b text-slate-500">
                                    <th class="py-1">{t.t("value.indicator")}</th><th>{t.t("value.measured")}</th><th>{t.t("value.indicator_score")}</th><th>{t.t("value.weight")}</th><th>{t.t("value.points")}</th>
                                </tr></thead>
                                <tbody>
                                    {v.parts.into_iter().map(|p| view! {
                                        <tr class="border-b border-slate-100">
                                            <td class="py-1">{t.t(&format!("value.ind.{}", p.indicator))}</td>
                                            <td>{p.value}</td>
                                            <td>{p.score}</td>
                                            <td>{p.weight}</td>
                                            <td>{format!("{:.1}", p.points)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The customer pyramid (客户金字塔) of the user's scope.
#[component]
pub fn PyramidPage() -> impl IntoView {
    let t = use_i18n();
    let data = Resource::new(|| (), |_| value_pyramid());
    view! {
        <Title text=t.t("pyramid.title")/>
        <PageHeader title=t.t("pyramid.title")/>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(p) => {
                        let total: i64 = p.bands.iter().map(|b| b.1).sum::<i64>().max(1);
                        let n = p.bands.len().max(1) as f64;
                        let rows = p.bands.clone();
                        // Layer i (0 = top) is a trapezoid; its width grows towards the base.
                        let layers = p.bands.iter().enumerate().map(|(i, (name, count))| {
                            let h = 300.0 / n;
                            let y = i as f64 * h;
                            let top = 40.0 + (i as f64) * 320.0 / n;
                            let bottom = 40.0 + (i as f64 + 1.0) * 320.0 / n;
                            let points = format!("{},{} {},{} {},{} {},{}", 200.0 - top / 2.0, y, 200.0 + top / 2.0, y, 200.0 + bottom / 2.0, y + h - 4.0, 200.0 - bottom / 2.0, y + h - 4.0);
                            let colors = ["#6d28d9", "#7c3aed", "#8b5cf6", "#a78bfa", "#c4b5fd", "#ddd6fe"];
                            let label = format!("{name} · {count} ({:.0}%)", *count as f64 * 100.0 / total as f64);
                            view! {
                                <g>
                                    <polygon points=points fill=colors[i.min(5)]></polygon>
                                    <text x="200" y=y + h / 2.0 text-anchor="middle" dominant-baseline="middle" font-size="14" fill=if i < 3 { "white" } else { "#1e1b4b" }>{label}</text>
                                </g>
                            }
                        }).collect_view();
                        view! {
                            <div class="grid grid-cols-1 gap-4 lg:grid-cols-2">
                                <svg viewBox="0 0 400 300" role="img" aria-labelledby="pyramid-desc" class="w-full max-w-md" data-testid="pyramid">
                                    <desc id="pyramid-desc">{t.t("pyramid.desc")}</desc>
                                    {layers}
                                </svg>
                                <div>
                                    <table class="w-full text-left text-sm" data-testid="pyramid-table">
                                        <thead><tr class="border-b"><th class="py-1">{t.t("value.band_name")}</th><th>{t.t("pyramid.customers")}</th><th>{t.t("pyramid.share")}</th></tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|(name, count)| view! {
                                                <tr class="border-b border-slate-100"><td class="py-1">{name}</td><td>{count}</td><td>{format!("{:.1}%", count as f64 * 100.0 / total as f64)}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <p class="mt-2 text-sm text-slate-600">
                                        {p.computed_at.map(|at| t.t_args("pyramid.computed", &[("at", fmt_time(at))])).unwrap_or_else(|| t.t("pyramid.never"))}
                                        {(p.unscored > 0).then(|| format!(" {}", t.t_args("pyramid.unscored", &[("n", p.unscored.to_string())])))}
                                    </p>
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Indicators, weights and bands of the value model.
#[component]
pub fn ValueModelPage() -> impl IntoView {
    let t = use_i18n();
    let model = Resource::new(|| (), |_| get_value_model());
    view! {
        <Title text=t.t("settings.value")/>
        <PageHeader title=t.t("settings.value")/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match model.await {
                    Err(e) => view! { <p role="alert">{error_text(t, &e)}</p> }.into_any(),
                    Ok(m) => view! { <ModelForm m/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ModelForm(m: ValueModel) -> impl IntoView {
    let t = use_i18n();
    let weights: Vec<(String, RwSignal<String>)> = INDICATORS
        .iter()
        .map(|i| (i.to_string(), RwSignal::new(m.weights.iter().find(|w| w.0 == *i).map(|w| w.1).unwrap_or(0).to_string())))
        .collect();
    let bands: Vec<(RwSignal<String>, RwSignal<String>)> = (0..6)
        .map(|i| m.bands.get(i).map(|b| (b.name.clone(), b.min_score.to_string())).unwrap_or_default())
        .map(|(n, s)| (RwSignal::new(n), RwSignal::new(s)))
        .collect();
    let save = Action::new(|m: &ValueModel| {
        let m = m.clone();
        async move { save_value_model(m).await }
    });
    let recompute = Action::new(|_: &()| async move { recompute_values().await });
    let ws = weights.clone();
    let bs = bands.clone();
    let collect = move || ValueModel {
        weights: ws.iter().map(|(c, s)| (c.clone(), s.get_untracked().trim().parse().unwrap_or(-1))).collect(),
        bands: bs
            .iter()
            .filter(|(n, _)| !n.get_untracked().trim().is_empty())
            .map(|(n, s)| Band { name: n.get_untracked().trim().to_string(), min_score: s.get_untracked().trim().parse().unwrap_or(-1) })
            .collect(),
    };
    let err = move |f: &'static str| save.value().get().and_then(|r| r.err()).and_then(|e: AppError| e.field(f)).map(|k: String| t.t(&k));
    view! {
        <form class="max-w-2xl rounded-lg border border-slate-200 bg-white p-4" data-testid="value-model" on:submit=move |ev| { ev.prevent_default(); save.dispatch(collect()); }>
            <p class="mb-3 text-sm text-slate-600">{t.t("value.model_help")}</p>
            <fieldset>
                <legend class="mb-1 font-semibold">{t.t("value.weights")}</legend>
                <div class="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
                    {weights.into_iter().map(|(code, sig)| {
                        let id = format!("w-{code}");
                        view! {
                            <div class="flex items-center justify-between gap-2 py-1">
                                <label for=id.clone() class="text-sm">{t.t(&format!("value.ind.{code}"))}</label>
                                <input id=id type="number" min="0" max="100" class="min-h-11 w-24 rounded-md border border-slate-300 px-2" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <p class="min-h-5 text-sm text-red-600">{move || err("weights")}</p>
            </fieldset>
            <fieldset>
                <legend class="mb-1 font-semibold">{t.t("value.bands")}</legend>
                <p class="mb-1 text-sm text-slate-600">{t.t("value.bands_help")}</p>
                {bands.into_iter().enumerate().map(|(i, (name, min))| view! {
                    <div class="flex gap-2 py-1">
                        <input aria-label=t.t_args("value.band_n_name", &[("n", (i + 1).to_string())]) class="min-h-11 flex-1 rounded-md border border-slate-300 px-2" maxlength="20" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        <input aria-label=t.t_args("value.band_n_min", &[("n", (i + 1).to_string())]) type="number" min="0" max="100" class="min-h-11 w-24 rounded-md border border-slate-300 px-2" prop:value=move || min.get() on:input=move |ev| min.set(event_target_value(&ev))/>
                    </div>
                }).collect_view()}
                <p class="min-h-5 text-sm text-red-600">{move || err("bands")}</p>
            </fieldset>
            <div class="flex flex-wrap items-center gap-2">
                <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                <button type="button" class=BTN_SECONDARY disabled=move || recompute.pending().get() on:click=move |_| { recompute.dispatch(()); }>{t.t("value.recompute")}</button>
                <span role="status" class="text-sm text-green-800">
                    {move || save.value().get().and_then(|r| r.ok()).map(|_| t.t("common.saved"))}
                    {move || recompute.value().get().and_then(|r| r.ok()).map(|n| t.t_args("value.recomputed", &[("n", n.to_string())]))}
                </span>
            </div>
        </form>
    }
}
