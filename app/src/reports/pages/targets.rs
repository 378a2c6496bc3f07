//! Sales targets (S8): twelve monthly amounts per person and per department, set by
//! whoever may assign opportunities over them (managers for their team).
use crate::platform::error::AppError;
use crate::platform::i18n::use_i18n;
use crate::platform::money::{format_amount, parse_amount, Currency};
use crate::reports::api::{sales_targets, save_sales_targets};
use crate::reports::types::*;
use crate::ui::{error_text, ErrorBanner, PageHeader, TextField, BTN_PRIMARY, BTN_SECONDARY};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const MONTH_IDS: [&str; 12] = [
    "target-m1",
    "target-m2",
    "target-m3",
    "target-m4",
    "target-m5",
    "target-m6",
    "target-m7",
    "target-m8",
    "target-m9",
    "target-m10",
    "target-m11",
    "target-m12",
];

/// Splits a yearly amount into twelve months, the remainder going to the last ones.
pub fn spread(total: i64) -> [i64; 12] {
    let (base, rest) = (total / 12, total % 12);
    std::array::from_fn(|i| base + i64::from((i as i64) >= 12 - rest))
}

fn this_year() -> i64 {
    crate::ui::local_date().0
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let t = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let current_year = this_year();
    let key = Memo::new(move |_| {
        let q = query.read();
        let year = q.get_str("year").and_then(|y| y.parse::<i64>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(current_year);
        let currency = q.get_str("currency").and_then(Currency::from_code).unwrap_or_default();
        (year, currency.code().to_string())
    });
    let sheet = Resource::new(move || key.get(), |(y, c)| sales_targets(y, c));
    let go = Callback::new(move |(y, c): (i64, String)| {
        navigate(&format!("/admin/settings/targets?year={y}&currency={c}"), NavigateOptions { replace: true, ..Default::default() });
    });
    let select = "min-h-11 rounded-md border border-slate-300 bg-white px-2 py-2 text-base";
    view! {
        <Title text=t.t("targets.title")/>
        <PageHeader title=t.t("targets.title")/>
        <p class="mb-3 max-w-3xl text-slate-600">{t.t("targets.help")}</p>
        <form class="mb-3 flex flex-wrap gap-3" on:submit=|ev| ev.prevent_default()>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">{t.t("targets.year")}
                <select id="targets-year" class=select on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() { go.run((y, key.get_untracked().1)) }
                }>
                    {move || ((current_year - 2)..=(current_year + 2)).map(|y| view! { <option value=y.to_string() selected=y == key.get().0>{y}</option> }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col gap-1 text-sm font-medium text-slate-700">{t.t("opportunity.currency")}
                <select id="targets-currency" class=select on:change=move |ev| go.run((key.get_untracked().0, event_target_value(&ev)))>
                    {move || Currency::ALL.iter().map(|c| view! { <option value=c.code() selected=c.code() == key.get().1>{c.code()}</option> }).collect_view()}
                </select>
            </label>
        </form>
        <Transition fallback=move || view! { <p class="text-slate-500">{t.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-red-800">{error_text(t, &e)}</p> }.into_any(),
                    Ok(s) => view! { <Sheet s/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sheet(s: TargetSheet) -> impl IntoView {
    let t = use_i18n();
    let currency = Currency::from_code(&s.currency).unwrap_or_default();
    let rows = RwSignal::new(s.rows.clone());
    let editing = RwSignal::new(None::<usize>);
    let fmt = move |v: Option<i64>| v.map(|v| format_amount(v, currency)).unwrap_or_default();
    let quarter = move |r: &TargetRow, q: usize| {
        let vals: Vec<i64> = r.months[q * 3..q * 3 + 3].iter().flatten().copied().collect();
        (!vals.is_empty()).then(|| vals.iter().sum::<i64>())
    };
    let year_total = move |r: &TargetRow| sum_targets(r.months.iter().copied());
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="w-full text-left text-sm" data-testid="targets-table">
                <thead><tr class="border-b bg-slate-50">
                    <th scope="col" class="px-2 py-2 font-medium">{t.t("targets.who")}</th>
                    {(1..=4).map(|q| view! { <th scope="col" class="hidden px-2 py-2 text-right font-medium md:table-cell">{format!("Q{q}")}</th> }).collect_view()}
                    <th scope="col" class="px-2 py-2 text-right font-medium">{t.t("targets.year_total")}</th>
                    <th scope="col" class="px-2 py-2"><span class="sr-only">{t.t("common.actions")}</span></th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                        let kind = if r.user_id.is_some() { t.t("targets.person") } else { t.t("targets.department") };
                        let pad = format!("padding-left: {}rem", 0.5 + r.depth as f64);
                        let edit_label = t.t_args("targets.edit_for", &[("name", r.name.clone())]);
                        view! {
                            <tr class="border-b border-slate-100" data-testid="target-row">
                                <th scope="row" class="px-2 py-2 text-left font-normal" style=pad>
                                    <span class="font-medium">{r.name.clone()}</span>
                                    <span class="ml-2 text-xs text-slate-500">{kind}</span>
                                </th>
                                {(0..4).map(|q| view! { <td class="hidden px-2 py-2 text-right tabular-nums md:table-cell">{fmt(quarter(&r, q))}</td> }).collect_view()}
                                <td class="px-2 py-2 text-right tabular-nums" data-testid="target-year">{fmt(year_total(&r))}</td>
                                <td class="px-2 py-2 text-right">
                                    <button type="button" class=BTN_SECONDARY aria-label=edit_label on:click=move |_| editing.set(Some(i))>{t.t("common.edit")}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || editing.get().and_then(|i| rows.with(|r| r.get(i).cloned()).map(|row| view! {
            <Editor row year=s.year currency on_done=Callback::new(move |saved: Option<TargetRow>| {
                if let Some(saved) = saved {
                    rows.update(|r| if let Some(x) = r.get_mut(i) { x.months = saved.months.clone(); x.stamp = saved.stamp; });
                }
                editing.set(None);
            })/>
        }))}
    }
}

#[component]
fn Editor(row: TargetRow, year: i64, currency: Currency, on_done: Callback<Option<TargetRow>>) -> impl IntoView {
    let t = use_i18n();
    let inputs: Vec<RwSignal<String>> =
        row.months.iter().map(|m| RwSignal::new(m.map(|v| format_amount(v, currency)).unwrap_or_default())).collect();
    let annual = RwSignal::new(String::new());
    let annual_error = RwSignal::new(None::<String>);
    let server_error = RwSignal::new(None::<AppError>);
    let stamp = RwSignal::new(row.stamp);
    let (user_id, department_id) = (row.user_id, row.department_id);
    let cur = currency.code().to_string();
    let save = Action::new(move |input: &TargetInput| {
        let input = input.clone();
        async move { save_sales_targets(input).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(saved) => on_done.run(Some(saved)),
                Err(e) => server_error.set(Some(e)),
            }
        }
    });
    let inputs_spread = inputs.clone();
    let do_spread = move |_| match parse_amount(annual.get_untracked().trim(), currency).filter(|v| *v >= 0) {
        Some(total) => {
            annual_error.set(None);
            for (s, v) in inputs_spread.iter().zip(spread(total)) {
                s.set(format_amount(v, currency));
            }
        }
        None => annual_error.set(Some("validation.amount".into())),
    };
    let inputs_save = inputs.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_error.set(None);
        save.dispatch(TargetInput {
            user_id,
            department_id,
            year,
            currency: cur.clone(),
            months: inputs_save.iter().map(|s| s.get_untracked()).collect(),
            stamp: stamp.get_untracked(),
        });
    };
    let month_names: Vec<String> = (1..=12).map(|m| t.t_args("targets.month", &[("m", m.to_string())])).collect();
    let heading = t.t_args("targets.editing", &[("name", row.name.clone()), ("year", year.to_string())]);
    view! {
        <section class="mt-4 rounded-lg border border-blue-200 bg-blue-50/40 p-3 sm:p-4" aria-labelledby="target-editor-h" data-testid="target-editor">
            <h2 id="target-editor-h" class="mb-2 text-lg font-semibold">{heading}</h2>
            <div class="mb-3 flex flex-wrap items-end gap-2">
                <div class="w-56"><TextField id="target-annual" label=t.t("targets.annual") value=annual error=Signal::derive(move || annual_error.get()) inputmode="decimal"/></div>
                <button type="button" class=BTN_SECONDARY on:click=do_spread>{t.t("targets.spread")}</button>
            </div>
            <form on:submit=submit novalidate>
                <div class="grid grid-cols-2 gap-x-3 sm:grid-cols-4 lg:grid-cols-6">
                    {inputs.iter().zip(MONTH_IDS).zip(month_names).enumerate().map(|(i, ((s, id), label))| {
                        let field = format!("m{}", i + 1);
                        let error = Signal::derive(move || server_error.get().and_then(|e| e.field(&field)));
                        view! { <TextField id label value=*s error inputmode="decimal"/> }
                    }).collect_view()}
                </div>
                <ErrorBanner error=Signal::derive(move || server_error.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                <div class="mt-2 flex flex-wrap gap-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>{t.t("common.save")}</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| on_done.run(None)>{t.t("common.cancel")}</button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spreading_keeps_the_total() {
        assert_eq!(spread(1200).iter().sum::<i64>(), 1200);
        let s = spread(1_000_005);
        assert_eq!(s.iter().sum::<i64>(), 1_000_005);
        assert_eq!((s[0], s[2], s[3], s[11]), (83_333, 83_333, 83_334, 83_334));
        assert_eq!(spread(0), [0; 12]);
    }
}
