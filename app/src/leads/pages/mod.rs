//! Lead pages: the list with bulk assignment and the pool, the forms, one lead with its
//! score explained and the conversion panel, and the territory settings.
mod convert;
mod detail;
mod form;
mod list;
mod settings;

pub use detail::LeadDetailPage;
pub use form::{EditLeadPage, NewLeadPage};
pub use list::LeadListPage;
pub use settings::LeadSettingsPage;

use crate::leads::types::{grade, score_total, ScorePart};
use crate::platform::error::AppError;
use crate::platform::i18n::I18n;
use crate::ui::error_text;
use leptos::prelude::*;

/// What went wrong, in words: the field messages of a refusal (e.g. "someone else took
/// this lead first"), otherwise the error's own message.
pub(crate) fn problem_text(t: I18n, e: &AppError) -> String {
    match e {
        AppError::Validation(errors) if !errors.is_empty() => {
            let mut codes: Vec<String> = errors.iter().map(|f| t.t(&f.code)).collect();
            codes.dedup();
            codes.join(" ")
        }
        e => error_text(t, e),
    }
}

/// Colour classes of a grade.
fn grade_class(g: &str) -> &'static str {
    match g {
        "hot" => "bg-red-100 text-red-800",
        "warm" => "bg-amber-100 text-amber-900",
        _ => "bg-slate-200 text-slate-700",
    }
}

/// The score as a number with its grade ("72 · Hot"), coloured by grade.
#[component]
pub fn ScoreBadge(t: I18n, score: i64) -> impl IntoView {
    let g = grade(score);
    view! {
        <span class=format!("inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold {}", grade_class(g))
            data-testid="lead-score" data-grade=g>
            <span class="tabular-nums">{score}</span>
            <span aria-hidden="true">"·"</span>
            <span>{t.t(&format!("lead.grade.{g}"))}</span>
        </span>
    }
}

/// Coloured badge for a lead status.
#[component]
pub fn LeadStatusBadge(t: I18n, status: String) -> impl IntoView {
    let class = match status.as_str() {
        "working" => "bg-blue-100 text-blue-800",
        "qualified" => "bg-green-100 text-green-800",
        "disqualified" => "bg-slate-200 text-slate-700",
        "converted" => "bg-violet-100 text-violet-800",
        _ => "bg-sky-100 text-sky-800",
    };
    view! {
        <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {class}") data-testid="lead-status">
            {t.t(&format!("lead.status.{status}"))}
        </span>
    }
}

/// Every reason behind a score with its points, and the total with its grade.
#[component]
pub fn ScoreExplanation(t: I18n, parts: Vec<ScorePart>) -> impl IntoView {
    let total = score_total(&parts);
    let capped = parts.iter().map(|p| p.points).sum::<i64>() > total;
    let empty = parts.is_empty();
    view! {
        <div class="flex flex-wrap items-center gap-2">
            <span class="text-sm text-slate-600">{t.t("lead.score")}</span>
            <ScoreBadge t score=total/>
        </div>
        {if empty {
            view! { <p class="mt-1 text-sm text-slate-500">{t.t("lead.score_none")}</p> }.into_any()
        } else {
            view! {
                <ul class="mt-2 flex flex-col gap-1 text-sm" aria-label=t.t("lead.score_reasons")>
                    {parts.into_iter().map(|p| view! {
                        <li class="flex items-baseline justify-between gap-3 border-b border-slate-100 py-1" data-testid="score-part">
                            <span>{t.t(&p.key)}</span>
                            <span class="tabular-nums font-medium text-green-800">{format!("+{}", p.points)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {capped.then(|| view! { <p class="mt-1 text-xs text-slate-500">{t.t("lead.score_capped")}</p> })}
    }
}
