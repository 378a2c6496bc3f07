//! Server-rendered SVG charts. Each chart has a title and description for screen
//! readers, every bar is a link to the opportunities behind it, and the page shows
//! the same numbers in a table next to it.
use crate::platform::i18n::{I18n, Locale};
use crate::platform::money::{format_amount, Currency};
use leptos::prelude::*;

/// A short amount for chart labels: 万/亿 in Chinese, K/M in English.
pub fn compact(t: I18n, minor: i64, currency: &str) -> String {
    let c = Currency::from_code(currency).unwrap_or_default();
    let major = minor as f64 / 10f64.powi(c.exponent() as i32);
    let one = |v: f64, unit: &str| {
        let s = format!("{v:.1}");
        format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
    };
    match t.locale() {
        Locale::En if major.abs() >= 1e6 => one(major / 1e6, "M"),
        Locale::En if major.abs() >= 1e3 => one(major / 1e3, "K"),
        Locale::ZhCn if major.abs() >= 1e8 => one(major / 1e8, "亿"),
        Locale::ZhTw if major.abs() >= 1e8 => one(major / 1e8, "億"),
        Locale::ZhCn if major.abs() >= 1e4 => one(major / 1e4, "万"),
        Locale::ZhTw if major.abs() >= 1e4 => one(major / 1e4, "萬"),
        _ => format_amount(minor, c),
    }
}

/// One bar of the funnel.
#[derive(Clone)]
pub struct FunnelBar {
    pub label: String,
    pub count: i64,
    pub amount: i64,
    pub weighted: i64,
    pub href: String,
    /// Full text for the tooltip and screen readers.
    pub title: String,
}

/// Centred horizontal bars, one per stage: the light bar is the amount, the dark
/// one inside it the weighted amount (bars fall back to counts when no amounts).
#[component]
pub fn FunnelChart(bars: Vec<FunnelBar>, title: String, desc: String, currency: String) -> impl IntoView {
    let t = crate::platform::i18n::use_i18n();
    let by_amount = bars.iter().any(|b| b.amount > 0);
    let max = bars.iter().map(|b| if by_amount { b.amount } else { b.count }).max().unwrap_or(0).max(1) as f64;
    let row = 56.0;
    let height = (bars.len() as f64 * row).max(row);
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as f64 * row;
            let size = |v: i64| (560.0 * v as f64 / max).max(if v > 0 { 4.0 } else { 0.0 });
            let w = size(if by_amount { b.amount } else { b.count });
            let inner = if by_amount { size(b.weighted) } else { 0.0 };
            let label = if by_amount {
                format!("{} · {} · {}", b.label, b.count, compact(t, b.amount, &currency))
            } else {
                format!("{} · {}", b.label, b.count)
            };
            view! {
                <g>
                    <a href=b.href data-testid="funnel-bar">
                        <title>{b.title}</title>
                        <text x="300" y=y + 15.0 text-anchor="middle" font-size="14" fill="#1e293b">{label}</text>
                        <rect x=300.0 - w / 2.0 y=y + 21.0 width=w.max(1.0) height="26" rx="3" fill="#bfdbfe"></rect>
                        <rect x=300.0 - inner / 2.0 y=y + 21.0 width=inner height="26" rx="3" fill="#1d4ed8"></rect>
                    </a>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 600 {height}") role="img" aria-labelledby="funnel-title funnel-desc" class="w-full max-w-2xl" data-testid="funnel-chart">
            <title id="funnel-title">{title}</title>
            <desc id="funnel-desc">{desc}</desc>
            {rows}
        </svg>
    }
}

/// One month of the forecast chart.
#[derive(Clone)]
pub struct MonthBar {
    pub label: String,
    pub won: i64,
    pub weighted: i64,
    pub target: Option<i64>,
    pub won_href: String,
    pub open_href: String,
    pub won_title: String,
    pub open_title: String,
}

/// Stacked columns per month: won at the bottom, the weighted open pipeline on top
/// (together the forecast), and the month's target as a line across the column.
#[component]
pub fn ForecastChart(bars: Vec<MonthBar>, title: String, desc: String) -> impl IntoView {
    let n = bars.len().max(1) as f64;
    let max = bars.iter().map(|b| (b.won + b.weighted).max(b.target.unwrap_or(0))).max().unwrap_or(0).max(1) as f64;
    let (width, top, plot) = (640.0, 10.0, 200.0);
    let step = width / n;
    let bar_w = (step * 0.6).min(48.0);
    let h = |v: i64| plot * v as f64 / max;
    let cols = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let x = i as f64 * step + (step - bar_w) / 2.0;
            let won_h = h(b.won);
            let open_h = h(b.weighted);
            let base = top + plot;
            let target = b.target.map(|tv| {
                let y = base - h(tv);
                view! { <g><line x1=x - 4.0 x2=x + bar_w + 4.0 y1=y y2=y stroke="#dc2626" stroke-width="3" stroke-dasharray="6 3"></line></g> }
            });
            view! {
                <g>
                    <a href=b.won_href data-testid="forecast-won">
                        <title>{b.won_title}</title>
                        <rect x=x y=base - won_h width=bar_w height=won_h.max(0.0) fill="#16a34a"></rect>
                    </a>
                    <a href=b.open_href data-testid="forecast-open">
                        <title>{b.open_title}</title>
                        <rect x=x y=base - won_h - open_h width=bar_w height=open_h.max(0.0) fill="#93c5fd"></rect>
                    </a>
                    {target}
                    <text x=x + bar_w / 2.0 y=base + 16.0 text-anchor="middle" font-size="12" fill="#475569">{b.label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg viewBox="0 0 640 232" role="img" aria-labelledby="forecast-title forecast-desc" class="w-full" data-testid="forecast-chart">
            <title id="forecast-title">{title}</title>
            <desc id="forecast-desc">{desc}</desc>
            <line x1="0" x2="640" y1=top + plot y2=top + plot stroke="#cbd5e1"></line>
            {cols}
        </svg>
    }
}
