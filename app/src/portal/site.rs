//! The portal's pages as whole HTML documents, rendered on the server from Leptos views
//! (text is escaped by the renderer). They are plain links and forms: no script, so they
//! load at once on a phone and work the same in any browser. The axum handlers in the
//! server crate call [`crate::portal::service`] and hand the results here.
use crate::knowledge::types::{Article, ArticleRow};
use crate::platform::error::FieldError;
use crate::platform::i18n::{tr, tr_args, Locale};
use crate::platform::money::{format_amount, Currency};
use crate::platform::time::format_ms;
use crate::portal::service::{PortalAsset, PortalOrder, PortalRequest, PortalRequestRow, PortalUser};
use crate::portal::types::*;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

const INPUT: &str = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-500";
const LABEL: &str = "text-sm font-medium text-slate-700";
const BTN: &str =
    "inline-flex min-h-11 items-center justify-center rounded-md bg-blue-700 px-4 py-2 text-base font-medium text-white hover:bg-blue-800";
const BTN_LIGHT: &str =
    "inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-base font-medium text-slate-800";
const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4";

/// Who is looking and where: what every page needs around its content.
pub struct Ctx<'a> {
    pub locale: Locale,
    pub who: Option<&'a PortalUser>,
    /// The page's path with its query, so the language switch comes back to it.
    pub path: String,
    pub tz_offset_minutes: i32,
}

impl Ctx<'_> {
    fn t(&self, key: &str) -> String {
        tr(self.locale, key)
    }
    fn time(&self, ms: i64) -> String {
        format_ms(ms, self.tz_offset_minutes)
    }
}

/// The message of the error on `field`, translated.
fn err(c: &Ctx, errors: &[FieldError], field: &str) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| c.t(&e.code))
}

fn field_error(id: &'static str, msg: Option<String>) -> impl IntoView {
    view! { <p id=id class="min-h-5 text-sm text-red-600">{msg}</p> }
}

/// A `<textarea>`'s text, escaped here because the renderer writes a textarea's
/// children as they are (a `</textarea>` typed by someone would end the element). The
/// browser decodes the entities, so the field shows exactly what was typed; a unit test
/// below notices if the renderer ever starts escaping them itself.
fn textarea_text(s: &str) -> String {
    crate::leads::web_form::esc(s)
}

fn render(view: impl RenderHtml) -> String {
    Owner::new().with(|| view.to_html())
}

/// The whole document: header with the customer's name and the menu, the page, and a
/// footer with the language switch and sign-out.
fn document(c: &Ctx, title: &str, body: AnyView) -> String {
    let brand = c.t("portal.brand");
    let current = c.path.split('?').next().unwrap_or("").to_string();
    let who = c.who.map(
        |p| view! { <p class="text-sm text-slate-600" data-testid="portal-who">{format!("{} · {}", p.customer_name, p.display_name)}</p> },
    );
    // Signed-out visitors (the FAQ is open to them) find the way in from every page.
    let sign_in = (c.who.is_none() && current != "/portal/login").then(|| {
        view! {
            <a href="/portal/login" class="inline-flex min-h-11 items-center text-blue-800 underline" data-testid="portal-sign-in-link">{c.t("portal.sign_in")}</a>
        }
    });
    let nav = c.who.map(|_| {
        let items = [
            ("/portal", "portal.nav.requests"),
            ("/portal/requests/new", "portal.nav.new_request"),
            ("/portal/orders", "portal.nav.orders"),
            ("/portal/faq", "portal.nav.faq"),
            ("/portal/account", "portal.nav.account"),
        ];
        view! {
            <nav aria-label=c.t("portal.menu") class="mx-auto flex max-w-3xl gap-1 overflow-x-auto px-2 pb-2">
                {items.into_iter().map(|(href, key)| {
                    let here = match href {
                        "/portal" => current == "/portal" || (current.starts_with("/portal/requests/") && current != "/portal/requests/new"),
                        other => current == other || current.starts_with(&format!("{other}/")),
                    };
                    view! {
                        <a href=href aria-current=here.then_some("page")
                            class="inline-flex min-h-11 shrink-0 items-center rounded-md px-3 text-base text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-blue-50 aria-[current=page]:font-semibold aria-[current=page]:text-blue-800">
                            {c.t(key)}
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    });
    let languages = Locale::ALL
        .into_iter()
        .map(|l| {
            view! {
            <button type="submit" name="locale" value=l.code() lang=l.code() aria-pressed=(l == c.locale).to_string()
                class="min-h-11 rounded-md px-3 text-sm text-slate-700 underline-offset-2 hover:underline aria-[pressed=true]:font-semibold">
                {l.native_name()}
            </button>
            }
        })
        .collect_view();
    let sign_out = c.who.map(|_| {
        view! {
            <form method="post" action="/portal/logout">
                <button type="submit" class="min-h-11 rounded-md px-3 text-sm text-slate-700 underline" data-testid="portal-sign-out">{c.t("portal.sign_out")}</button>
            </form>
        }
    });
    let html = render(view! {
        <html lang=c.locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1e40af"/>
                <title>{format!("{title} · {brand}")}</title>
                <link rel="stylesheet" href="/pkg/crm.css"/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900">
                <header class="border-b border-slate-200 bg-white">
                    <div class="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3">
                        <a href="/portal" class="text-lg font-bold text-blue-900">{brand.clone()}</a>
                        {who}
                        {sign_in}
                    </div>
                    {nav}
                </header>
                <main class="mx-auto max-w-3xl px-4 py-6">{body}</main>
                <footer class="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-2 px-4 pb-8">
                    <form method="post" action="/portal/lang" class="flex flex-wrap gap-1">
                        <input type="hidden" name="next" value=c.path.clone()/>
                        {languages}
                    </form>
                    {sign_out}
                </footer>
            </body>
        </html>
    });
    format!("<!DOCTYPE html>{html}")
}

fn status_badge(c: &Ctx, status: &str) -> impl IntoView {
    let class = match status {
        "open" => "bg-blue-100 text-blue-900",
        "in_progress" => "bg-amber-100 text-amber-900",
        "waiting" => "bg-purple-100 text-purple-900",
        "resolved" | "closed" => "bg-green-100 text-green-900",
        _ => "bg-slate-200 text-slate-800",
    };
    view! {
        <span class=format!("rounded px-2 py-0.5 text-sm font-medium {class}") data-testid="portal-status" data-status=status.to_string()>
            {c.t(&format!("portal.status.{status}"))}
        </span>
    }
}

fn alert(msg: Option<String>) -> impl IntoView {
    msg.map(|m| view! { <div role="alert" class="mb-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800">{m}</div> })
}

fn notice(msg: Option<String>) -> impl IntoView {
    msg.map(|m| view! { <div role="status" class="mb-4 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900" data-testid="portal-notice">{m}</div> })
}

/// Sign-in. `error` is a message key for the whole form.
pub fn login_page(c: &Ctx, login: &str, error: Option<&str>) -> String {
    let body = view! {
        <div class="mx-auto max-w-md">
            <h1 class="mb-2 text-2xl font-bold">{c.t("portal.sign_in_title")}</h1>
            <p class="mb-4 text-slate-600">{c.t("portal.sign_in_intro")}</p>
            {alert(error.map(|e| c.t(e)))}
            <form novalidate method="post" action="/portal/login" class=format!("{CARD} flex flex-col gap-1")>
                <label for="login" class=LABEL>{c.t("portal.login")}</label>
                <input id="login" name="login" type="text" autocomplete="username" inputmode="email" required value=login.to_string()
                    aria-invalid=error.is_some().to_string() class=INPUT/>
                <label for="password" class=format!("{LABEL} mt-3")>{c.t("portal.password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-invalid=error.is_some().to_string() class=INPUT/>
                <button type="submit" class=format!("{BTN} mt-4 w-full")>{c.t("portal.sign_in")}</button>
            </form>
            <p class="mt-4 text-sm text-slate-600">{c.t("portal.no_login_help")}</p>
            <p class="mt-2"><a href="/portal/faq" class="inline-flex min-h-11 items-center text-blue-800 underline">{c.t("portal.read_faq")}</a></p>
        </div>
    }
    .into_any();
    document(c, &c.t("portal.sign_in_title"), body)
}

/// The customer's requests.
pub fn home_page(c: &Ctx, rows: &[PortalRequestRow]) -> String {
    let list = if rows.is_empty() {
        view! { <p class="text-slate-600" data-testid="portal-no-requests">{c.t("portal.no_requests")}</p> }.into_any()
    } else {
        view! {
            <ul class=format!("{CARD} divide-y divide-slate-100 p-0") data-testid="portal-requests">
                {rows.iter().map(|r| view! {
                    <li>
                        <a href=format!("/portal/requests/{}", r.id) class="flex min-h-11 flex-col gap-1 px-4 py-3 hover:bg-slate-50" data-testid="portal-request-link">
                            <span class="flex flex-wrap items-center justify-between gap-2">
                                <span class="font-medium text-blue-900">{r.subject.clone()}</span>
                                {status_badge(c, &r.status)}
                            </span>
                            <span class="text-sm text-slate-600">
                                {format!("{} · {} · {}", r.number, c.t(&format!("service.kind.{}", r.kind)), tr_args(c.locale, "portal.updated", &[("at", c.time(r.updated_at))]))}
                            </span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let body = view! {
        <div class="mb-4 flex flex-wrap items-center justify-between gap-2">
            <h1 class="text-2xl font-bold">{c.t("portal.my_requests")}</h1>
            <a href="/portal/requests/new" class=BTN data-testid="portal-new-request">{c.t("portal.new_request")}</a>
        </div>
        {list}
    }
    .into_any();
    document(c, &c.t("portal.my_requests"), body)
}

/// The request form, with what the customer typed and the errors of a refused submission.
pub fn new_request_page(c: &Ctx, assets: &[PortalAsset], form: &PortalRequestForm, errors: &[FieldError]) -> String {
    let general = errors
        .iter()
        .any(|e| e.field == "form")
        .then(|| c.t("error.internal"))
        .or_else(|| (!errors.is_empty()).then(|| c.t("error.validation")));
    let kind_err = err(c, errors, "kind");
    let subject_err = err(c, errors, "subject");
    let description_err = err(c, errors, "description");
    let asset_err = err(c, errors, "asset");
    let asset_field = (!assets.is_empty()).then(|| {
        view! {
            <label for="asset" class=format!("{LABEL} mt-2")>{c.t("portal.asset")}</label>
            <select id="asset" name="asset" class=INPUT aria-describedby="asset-error" aria-invalid=asset_err.is_some().to_string()>
                <option value="">{c.t("portal.no_asset")}</option>
                {assets.iter().map(|a| {
                    let warranty = a.warranty_ends_on.as_ref().map(|w| format!(" · {}", tr_args(c.locale, "portal.warranty_until", &[("date", w.clone())]))).unwrap_or_default();
                    view! { <option value=a.id.to_string() selected=form.asset == a.id.to_string()>{format!("{} · {}{warranty}", a.name, a.serial_no)}</option> }
                }).collect_view()}
            </select>
            {field_error("asset-error", asset_err)}
        }
    });
    let body = view! {
        <h1 class="mb-2 text-2xl font-bold">{c.t("portal.new_request")}</h1>
        <p class="mb-4 text-slate-600">
            {c.t("portal.new_request_intro")}" "
            <a href="/portal/faq" class="text-blue-800 underline">{c.t("portal.read_faq")}</a>
        </p>
        {alert(general)}
        <form novalidate method="post" action="/portal/requests" class=format!("{CARD} flex flex-col gap-1") data-testid="portal-request-form">
            <label for="kind" class=LABEL>{c.t("portal.kind")}<span class="text-red-600" aria-hidden="true">" *"</span></label>
            <select id="kind" name="kind" required class=INPUT aria-describedby="kind-error" aria-invalid=kind_err.is_some().to_string()>
                <option value="">{c.t("portal.choose_kind")}</option>
                {PORTAL_KINDS.iter().map(|k| view! { <option value=*k selected=form.kind == *k>{c.t(&format!("service.kind.{k}"))}</option> }).collect_view()}
            </select>
            {field_error("kind-error", kind_err.clone())}
            <label for="subject" class=LABEL>{c.t("portal.subject")}<span class="text-red-600" aria-hidden="true">" *"</span></label>
            <input id="subject" name="subject" type="text" required maxlength=SUBJECT_MAX.to_string() value=form.subject.clone() class=INPUT
                aria-describedby="subject-error" aria-invalid=subject_err.is_some().to_string()/>
            {field_error("subject-error", subject_err.clone())}
            <label for="description" class=LABEL>{c.t("portal.description")}</label>
            <textarea id="description" name="description" rows="5" maxlength=TEXT_MAX.to_string() class=INPUT
                aria-describedby="description-error" aria-invalid=description_err.is_some().to_string()>{textarea_text(&form.description)}</textarea>
            {field_error("description-error", description_err.clone())}
            {asset_field}
            <label class="mt-2 flex min-h-11 items-center gap-3 text-base">
                <input type="checkbox" name="urgent" class="h-5 w-5" checked=form.urgent.is_some()/>
                {c.t("portal.urgent")}
            </label>
            <button type="submit" class=format!("{BTN} mt-3") data-testid="portal-submit">{c.t("portal.submit")}</button>
        </form>
    }
    .into_any();
    document(c, &c.t("portal.new_request"), body)
}

/// One request: its state, what was asked, the answer, and the conversation. `done`
/// says what just happened: `sent` (the request) or `posted` (a message).
/// How satisfied the customer is with the resolution: five big choices, words when
/// unhappy; or the rating they gave.
fn rating_section(c: &Ctx, r: &PortalRequest, form: &RatingForm, errors: &[FieldError]) -> Option<AnyView> {
    // A rating refused because the request changed meanwhile (reopened, or rated
    // already) has no form to show its message next to: it goes above instead.
    let refused = (!r.can_rate()).then(|| err(c, errors, "score")).flatten();
    if let Some((score, comment)) = &r.rating {
        return Some(
            view! {
                <div class="mt-4">{alert(refused)}</div>
                <section class=CARD data-testid="portal-rating" data-score=score.to_string()>
                    <h2 class="font-semibold">{c.t("portal.your_rating")}</h2>
                    <p class="text-lg" aria-label=tr_args(c.locale, "portal.rating_value", &[("score", score.to_string())])>
                        <span class="text-amber-500">{"★".repeat(*score as usize)}</span>
                        <span class="text-slate-300">{"★".repeat(5 - *score as usize)}</span>
                    </p>
                    {(!comment.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-700">{comment.clone()}</p> })}
                </section>
            }
            .into_any(),
        );
    }
    if !r.can_rate() {
        return refused.map(|m| view! { <div class="mt-4">{alert(Some(m))}</div> }.into_any());
    }
    let (score_err, comment_err) = (err(c, errors, "score"), err(c, errors, "comment"));
    let picked = form.score.trim().to_string();
    let choices = (1..=5).map(|n: i64| {
        let checked = picked == n.to_string();
        view! {
            <label class="flex cursor-pointer flex-col items-center gap-1">
                <input type="radio" name="score" value=n.to_string() checked=checked class="peer sr-only" data-testid=format!("portal-rate-{n}")/>
                <span class="flex min-h-12 w-full items-center justify-center rounded-md border border-slate-300 bg-white text-lg font-semibold peer-checked:border-blue-700 peer-checked:bg-blue-700 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-blue-500">
                    {n.to_string()}
                </span>
                <span class="text-center text-xs text-slate-600">{c.t(&format!("portal.rate_label.{n}"))}</span>
            </label>
        }
    });
    Some(
        view! {
            <form novalidate method="post" action=format!("/portal/requests/{}/rating", r.id) class=format!("{CARD} mt-4 flex flex-col gap-2") data-testid="portal-rate-form">
                <fieldset aria-describedby="score-error">
                    <legend class="mb-2 font-semibold">{c.t("portal.rate_title")}</legend>
                    <div class="grid grid-cols-5 gap-2">{choices.collect_view()}</div>
                </fieldset>
                {field_error("score-error", score_err)}
                <label for="comment" class=LABEL>{c.t("portal.rate_comment")}</label>
                <textarea id="comment" name="comment" rows="3" maxlength=TEXT_MAX.to_string() class=INPUT
                    aria-describedby="comment-error" aria-invalid=comment_err.is_some().to_string()>{textarea_text(&form.comment)}</textarea>
                {field_error("comment-error", comment_err)}
                <button type="submit" class=BTN data-testid="portal-rate-send">{c.t("portal.rate_send")}</button>
            </form>
        }
        .into_any(),
    )
}

pub fn request_page(c: &Ctx, r: &PortalRequest, draft: &str, rating: &RatingForm, errors: &[FieldError], done: Option<&str>) -> String {
    let body_err = err(c, errors, "body");
    let asset = r.asset_name.as_ref().map(|n| format!("{n} · {}", r.asset_serial.clone().unwrap_or_default()));
    let facts = [
        (c.t("portal.kind"), c.t(&format!("service.kind.{}", r.kind))),
        (c.t("portal.number"), r.number.clone()),
        (c.t("portal.created"), c.time(r.created_at)),
    ];
    let messages = r.messages.iter().map(|m| {
        let (class, who) = if m.from_customer {
            ("ml-8 rounded-lg bg-blue-50 p-3", c.t("portal.you"))
        } else {
            (
                "mr-8 rounded-lg bg-white p-3 border border-slate-200",
                tr_args(c.locale, "portal.from_service", &[("name", m.author.clone())]),
            )
        };
        view! {
            <li class=class data-testid="portal-message" data-from-customer=m.from_customer.to_string()>
                <p class="text-sm text-slate-600">{format!("{who} · {}", c.time(m.created_at))}</p>
                <p class="whitespace-pre-wrap">{m.body.clone()}</p>
            </li>
        }
    });
    let reply = if r.open() {
        view! {
            <form novalidate method="post" action=format!("/portal/requests/{}/messages", r.id) class=format!("{CARD} mt-4 flex flex-col gap-1") data-testid="portal-message-form">
                <label for="body" class=LABEL>{c.t("portal.write")}</label>
                <textarea id="body" name="body" rows="3" maxlength=TEXT_MAX.to_string() required class=INPUT
                    aria-describedby="body-error" aria-invalid=body_err.is_some().to_string()>{textarea_text(draft)}</textarea>
                {field_error("body-error", body_err.clone())}
                <button type="submit" class=BTN data-testid="portal-send">{c.t("portal.send")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p class="mt-4 text-slate-600" data-testid="portal-closed-note">
                {c.t("portal.closed_note")}" "
                <a href="/portal/requests/new" class="text-blue-800 underline">{c.t("portal.new_request")}</a>
            </p>
        }
        .into_any()
    };
    let body = view! {
        <p class="mb-2"><a href="/portal" class="inline-flex min-h-11 items-center text-blue-800 underline">{c.t("portal.back_to_requests")}</a></p>
        <div class="mb-3 flex flex-wrap items-center gap-2">
            <h1 class="text-2xl font-bold" data-testid="portal-request-subject">{r.subject.clone()}</h1>
            {status_badge(c, &r.status)}
            {(r.priority == "high" || r.priority == "urgent").then(|| view! { <span class="rounded bg-red-100 px-2 py-0.5 text-sm text-red-900">{c.t("portal.urgent_badge")}</span> })}
        </div>
        {notice(done.map(|d| match d {
            "sent" => tr_args(c.locale, "portal.request_sent", &[("number", r.number.clone())]),
            "rated" => c.t("portal.rated"),
            "reopened" => c.t("portal.rated_reopened"),
            _ => c.t("portal.message_sent"),
        }))}
        <section class=CARD>
            <dl class="grid grid-cols-1 gap-2 sm:grid-cols-3">
                {facts.into_iter().map(|(k, v)| view! { <div><dt class="text-sm text-slate-500">{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
            {asset.map(|a| view! { <p class="mt-2"><span class="text-sm text-slate-500">{c.t("portal.asset")}": "</span>{a}</p> })}
            {(!r.description.is_empty()).then(|| view! { <p class="mt-3 whitespace-pre-wrap">{r.description.clone()}</p> })}
        </section>
        {(!r.resolution.is_empty()).then(|| view! {
            <section class="mt-4 rounded-lg border border-green-300 bg-green-50 p-4" data-testid="portal-resolution">
                <h2 class="font-semibold">{c.t("portal.resolution")}</h2>
                <p class="whitespace-pre-wrap">{r.resolution.clone()}</p>
            </section>
        })}
        {bills_section(c, r)}
        {rating_section(c, r, rating, errors)}
        <h2 class="mt-6 text-lg font-semibold">{c.t("portal.conversation")}</h2>
        {if r.messages.is_empty() {
            view! { <p class="text-slate-600">{c.t("portal.no_messages")}</p> }.into_any()
        } else {
            view! { <ol class="mt-2 flex flex-col gap-2" data-testid="portal-messages">{messages.collect_view()}</ol> }.into_any()
        }}
        {reply}
    }
    .into_any();
    document(c, &format!("{} {}", r.number, r.subject), body)
}

/// The bills for the work done on a request: amount, paid, due date, state, and the
/// printed bill to download.
fn bills_section(c: &Ctx, r: &PortalRequest) -> Option<impl IntoView> {
    (!r.bills.is_empty()).then(|| {
        view! {
            <section class=format!("{CARD} mt-4") data-testid="portal-bills">
                <h2 class="font-semibold">{c.t("portal.bills")}</h2>
                <ul class="mt-2 flex flex-col divide-y divide-slate-100">
                    {r.bills.iter().map(|b| {
                        let money = |minor: i64| Currency::from_code(&b.currency).map(|cur| format!("{} {}", format_amount(minor, cur), cur.code())).unwrap_or_default();
                        let state = if b.status != "active" { "cancelled" } else if b.paid >= b.amount { "paid" } else { "open" };
                        view! {
                            <li class="flex flex-wrap items-center gap-2 py-2" data-testid="portal-bill" data-state=state>
                                <span class="font-mono">{b.number.clone()}</span>
                                <span class="rounded bg-slate-100 px-2 py-0.5 text-sm">{c.t(&format!("work.bill_state.{state}"))}</span>
                                <span class="text-sm tabular-nums text-slate-700">
                                    {tr_args(c.locale, "work.bill_posted_line", &[
                                        ("amount", money(b.amount)),
                                        ("paid", money(b.paid)),
                                        ("due", b.due_on.clone().unwrap_or_default()),
                                    ])}
                                </span>
                                <a href=format!("/portal/bills/{}/pdf", b.contract_id) download
                                    class="ml-auto inline-flex min-h-11 items-center text-blue-800 underline" data-testid="portal-bill-pdf">
                                    {c.t("print.download_pdf")}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

pub fn orders_page(c: &Ctx, orders: &[PortalOrder]) -> String {
    let list = if orders.is_empty() {
        view! { <p class="text-slate-600" data-testid="portal-no-orders">{c.t("portal.no_orders")}</p> }.into_any()
    } else {
        view! {
            <ul class=format!("{CARD} divide-y divide-slate-100 p-0") data-testid="portal-orders">
                {orders.iter().map(|o| {
                    let total = Currency::from_code(&o.currency).map(|cur| format!("{} {}", format_amount(o.total, cur), cur.code())).unwrap_or_default();
                    let title = if o.title.is_empty() { o.number.clone() } else { format!("{} · {}", o.number, o.title) };
                    view! {
                        <li class="flex flex-col gap-1 px-4 py-3" data-testid="portal-order">
                            <span class="flex flex-wrap items-center justify-between gap-2">
                                <span class="font-medium">{title}</span>
                                <span class="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="portal-order-status">{c.t(&format!("order.status.{}", o.status))}</span>
                            </span>
                            <span class="text-sm text-slate-600">
                                {tr_args(c.locale, "portal.order_line", &[("date", o.order_date.clone()), ("delivery", o.delivery_date.clone()), ("total", total)])}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let body = view! {
        <h1 class="mb-4 text-2xl font-bold">{c.t("portal.nav.orders")}</h1>
        {list}
    }
    .into_any();
    document(c, &c.t("portal.nav.orders"), body)
}

pub fn faq_page(c: &Ctx, q: &str, rows: &[ArticleRow]) -> String {
    let results = if rows.is_empty() {
        view! { <p class="text-slate-600" data-testid="portal-faq-empty">{c.t("portal.faq_empty")}</p> }.into_any()
    } else {
        view! {
            <ul class=format!("{CARD} divide-y divide-slate-100 p-0") data-testid="portal-faq">
                {rows.iter().map(|a| view! {
                    <li>
                        <a href=format!("/portal/faq/{}", a.id) class="flex min-h-11 flex-col gap-1 px-4 py-3 hover:bg-slate-50" data-testid="portal-faq-link">
                            <span class="font-medium text-blue-900">{a.title.clone()}</span>
                            <span class="text-sm text-slate-600">{a.excerpt.clone()}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let body = view! {
        <h1 class="mb-4 text-2xl font-bold">{c.t("portal.faq_title")}</h1>
        <form method="get" action="/portal/faq" role="search" class="mb-4 flex gap-2">
            <label for="q" class="sr-only">{c.t("portal.faq_search")}</label>
            <input id="q" name="q" type="search" value=q.to_string() placeholder=c.t("portal.faq_search") class=INPUT/>
            <button type="submit" class=BTN_LIGHT>{c.t("portal.search")}</button>
        </form>
        {results}
    }
    .into_any();
    document(c, &c.t("portal.faq_title"), body)
}

pub fn article_page(c: &Ctx, a: &Article) -> String {
    let body = view! {
        <p class="mb-2"><a href="/portal/faq" class="inline-flex min-h-11 items-center text-blue-800 underline">{c.t("portal.back_to_faq")}</a></p>
        <article class=CARD>
            <h1 class="mb-1 text-2xl font-bold" data-testid="portal-article-title">{a.title.clone()}</h1>
            {(!a.category.is_empty()).then(|| view! { <p class="mb-3 text-sm text-slate-500">{a.category.clone()}</p> })}
            <div class="whitespace-pre-wrap leading-relaxed">{a.body.clone()}</div>
        </article>
    }
    .into_any();
    document(c, &a.title, body)
}

/// Changing the password. `done` after a change went through.
pub fn account_page(c: &Ctx, errors: &[FieldError], done: bool) -> String {
    let other = errors.iter().find(|e| !["current", "new", "confirm"].contains(&e.field.as_str())).map(|e| c.t(&e.code));
    let field = |name: &'static str, label: &str, autocomplete: &'static str, error_id: &'static str| {
        let e = err(c, errors, name);
        view! {
            <label for=name class=format!("{LABEL} mt-2")>{label.to_string()}</label>
            <input id=name name=name type="password" autocomplete=autocomplete required class=INPUT aria-describedby=error_id aria-invalid=e.is_some().to_string()/>
            {field_error(error_id, e)}
        }
    };
    let who = c
        .who
        .map(|p| view! { <p class="mb-4 text-slate-600">{tr_args(c.locale, "portal.signed_in_as", &[("login", p.login.clone())])}</p> });
    let body = view! {
        <h1 class="mb-2 text-2xl font-bold">{c.t("portal.nav.account")}</h1>
        {who}
        {notice(done.then(|| c.t("portal.password_changed")))}
        {alert(other)}
        <form novalidate method="post" action="/portal/account" class=format!("{CARD} flex max-w-md flex-col gap-1") data-testid="portal-password-form">
            <h2 class="font-semibold">{c.t("portal.change_password")}</h2>
            {field("current", &c.t("portal.current_password"), "current-password", "current-error")}
            {field("new", &c.t("portal.new_password"), "new-password", "new-error")}
            {field("confirm", &c.t("portal.confirm_password"), "new-password", "confirm-error")}
            <button type="submit" class=format!("{BTN} mt-2")>{c.t("portal.change_password")}</button>
        </form>
    }
    .into_any();
    document(c, &c.t("portal.nav.account"), body)
}

/// A page for a request or article that is not there (or not this customer's).
pub fn not_found_page(c: &Ctx) -> String {
    let body = view! {
        <h1 class="mb-2 text-2xl font-bold">{c.t("portal.not_found")}</h1>
        <a href="/portal" class="inline-flex min-h-11 items-center text-blue-800 underline">{c.t("portal.back_to_requests")}</a>
    }
    .into_any();
    document(c, &c.t("portal.not_found"), body)
}

/// Something failed on our side; what the customer typed is not on this page, so the
/// message asks them to go back and try again.
pub fn error_page(c: &Ctx) -> String {
    let body = view! {
        <h1 class="mb-2 text-2xl font-bold">{c.t("error.internal")}</h1>
        <p class="text-slate-600">{c.t("portal.try_again")}</p>
    }
    .into_any();
    document(c, &c.t("error.internal"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(locale: Locale) -> Ctx<'static> {
        Ctx { locale, who: None, path: "/portal/login".into(), tz_offset_minutes: 480 }
    }

    #[test]
    fn the_sign_in_page_is_a_plain_form_in_the_chosen_language() {
        let html = login_page(&ctx(Locale::En), "wang@example.com", Some("auth.invalid_credentials"));
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\""));
        assert!(html.contains("action=\"/portal/login\""));
        assert!(html.contains("value=\"wang@example.com\""));
        assert!(html.contains("role=\"alert\""));
        assert!(!html.contains("<script"), "the portal ships no script");
        let zh = login_page(&ctx(Locale::ZhTw), "", None);
        assert!(zh.contains("lang=\"zh-TW\""));
        assert!(!zh.contains("role=\"alert\""));
        assert!(!zh.contains("portal-sign-in-link"), "no link to the page itself");
        let faq = faq_page(&Ctx { path: "/portal/faq".into(), ..ctx(Locale::En) }, "", &[]);
        assert!(faq.contains("portal-sign-in-link") && faq.contains(">Sign in</a>"), "signed-out visitors find the way in");
    }

    #[test]
    fn what_people_typed_is_escaped() {
        let form = PortalRequestForm {
            subject: "<script>alert(1)</script>".into(),
            description: "a & b </textarea>".into(),
            ..Default::default()
        };
        let html = new_request_page(&ctx(Locale::ZhCn), &[], &form, &[FieldError::new("kind", "validation.required")]);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;"));
        assert_eq!(html.matches("</textarea>").count(), 1, "a typed end tag does not end the field");
        assert!(html.contains(">a &amp; b &lt;/textarea&gt;</textarea>"), "escaped once, shown as typed");
        assert!(html.contains("aria-invalid=\"true\""));
    }
}
