//! Quotes (O3): types shared by the browser and the server, and the totals every quote
//! is saved with, worked out in integer minor units.
use crate::catalog::types::{format_qty, format_rate_bp, parse_qty, parse_rate_bp};
use crate::platform::error::FieldError;
use crate::platform::money::{div_round, format_amount, parse_amount, Currency};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const LINES_MAX: usize = 200;
/// Discounts above this (basis points off the catalog price) need approval, unless the
/// `quote_approval_bp` setting says otherwise.
pub const DEFAULT_APPROVAL_BP: i64 = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuoteStatus {
    Draft,
    Pending,
    Approved,
    Rejected,
    Sent,
    Accepted,
    Declined,
    Superseded,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 8] = [
        QuoteStatus::Draft,
        QuoteStatus::Pending,
        QuoteStatus::Approved,
        QuoteStatus::Rejected,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Declined,
        QuoteStatus::Superseded,
    ];
    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Pending => "pending",
            QuoteStatus::Approved => "approved",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Superseded => "superseded",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Lines and terms can be changed only before approval is asked for, or after a refusal.
    pub fn editable(self) -> bool {
        matches!(self, QuoteStatus::Draft | QuoteStatus::Rejected)
    }
    /// A new revision can be made of any quote still current.
    pub fn revisable(self) -> bool {
        !matches!(self, QuoteStatus::Superseded | QuoteStatus::Accepted)
    }
}

/// The steps a user takes on a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuoteStep {
    /// Ask for approval; approved at once when the discount is within the limit.
    Submit,
    Approve,
    Reject,
    /// Sent to the customer.
    Send,
    Accept,
    Decline,
}

impl QuoteStep {
    /// The status after the step, from `from`; `None` when the step does not apply.
    pub fn next(self, from: QuoteStatus, needs_approval: bool) -> Option<QuoteStatus> {
        use QuoteStatus::*;
        match (self, from) {
            (QuoteStep::Submit, Draft | Rejected) => Some(if needs_approval { Pending } else { Approved }),
            (QuoteStep::Approve, Pending) => Some(Approved),
            (QuoteStep::Reject, Pending) => Some(Rejected),
            (QuoteStep::Send, Approved) => Some(Sent),
            (QuoteStep::Accept, Approved | Sent) => Some(Accepted),
            (QuoteStep::Decline, Approved | Sent) => Some(Declined),
            _ => None,
        }
    }
}

/// One line's figures as the totals need them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineFigures {
    pub qty_milli: i64,
    /// The unit price the catalog and price policies set.
    pub priced_unit: i64,
    /// The unit price quoted.
    pub unit_price: i64,
    pub discount_bp: i64,
    pub tax_rate_bp: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Per line: amount after its own discount, share of the document discount, net, tax.
    pub lines: Vec<LineTotal>,
    /// Lines after their own discounts.
    pub subtotal: i64,
    /// The document discount.
    pub discount_total: i64,
    pub tax_total: i64,
    /// Net of every discount, plus tax.
    pub total: i64,
    /// How far the net is below the catalog prices, in basis points (never negative).
    pub effective_discount_bp: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTotal {
    pub amount: i64,
    pub doc_discount: i64,
    pub net: i64,
    pub tax: i64,
}

fn pct_of(amount: i64, bp: i64) -> i64 {
    div_round(amount as i128 * bp as i128, 10_000) as i64
}

fn line_amount(qty_milli: i64, unit: i64) -> i64 {
    div_round(qty_milli as i128 * unit as i128, 1_000) as i64
}

/// A quote's totals. Each line is quantity × unit price less its discount, each rounded
/// once; the document discount is taken off the subtotal and spread over the lines in
/// proportion (largest remainders get the odd units, so the shares add up exactly);
/// tax is worked out per line on its net. Prices exclude tax.
pub fn totals(lines: &[LineFigures], doc_discount_bp: i64) -> Totals {
    let amounts: Vec<i64> = lines
        .iter()
        .map(|l| {
            let gross = line_amount(l.qty_milli, l.unit_price);
            gross - pct_of(gross, l.discount_bp)
        })
        .collect();
    let subtotal: i64 = amounts.iter().sum();
    let discount_total = pct_of(subtotal, doc_discount_bp);
    // Largest-remainder split of the document discount.
    let mut shares: Vec<i64> = Vec::with_capacity(lines.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(lines.len());
    if subtotal > 0 {
        for (i, a) in amounts.iter().enumerate() {
            let exact = *a as i128 * discount_total as i128;
            shares.push((exact / subtotal as i128) as i64);
            remainders.push((exact % subtotal as i128, i));
        }
        let left = discount_total - shares.iter().sum::<i64>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders.into_iter().take(left.max(0) as usize) {
            shares[i] += 1;
        }
    } else {
        shares = vec![0; lines.len()];
    }
    let line_totals: Vec<LineTotal> = lines
        .iter()
        .zip(amounts.iter().zip(&shares))
        .map(|(l, (amount, share))| {
            let net = amount - share;
            LineTotal { amount: *amount, doc_discount: *share, net, tax: pct_of(net, l.tax_rate_bp) }
        })
        .collect();
    let tax_total = line_totals.iter().map(|l| l.tax).sum();
    let net_total = subtotal - discount_total;
    let priced: i64 = lines.iter().map(|l| line_amount(l.qty_milli, l.priced_unit)).sum();
    let effective_discount_bp =
        if priced > 0 { (div_round((priced - net_total) as i128 * 10_000, priced as i128) as i64).max(0) } else { 0 };
    Totals { lines: line_totals, subtotal, discount_total, tax_total, total: net_total + tax_total, effective_discount_bp }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Quote {
    pub id: i64,
    pub number: String,
    pub revision: i64,
    pub root_id: Option<i64>,
    pub customer_id: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub customer_name: Option<String>,
    pub opportunity_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub opportunity_name: Option<String>,
    pub title: String,
    pub quote_date: String,
    pub valid_until: String,
    pub currency: String,
    pub discount_bp: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
    pub effective_discount_bp: i64,
    pub status: String,
    pub approval_note: Option<String>,
    pub decided_by: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub decided_by_name: Option<String>,
    pub terms: String,
    pub notes: String,
    pub owner_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Quote {
    pub fn status(&self) -> QuoteStatus {
        QuoteStatus::from_code(&self.status).unwrap_or(QuoteStatus::Draft)
    }
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
    /// "QT20261130-0001" or "QT20261130-0001 R2".
    pub fn label(&self) -> String {
        if self.revision > 1 {
            format!("{} R{}", self.number, self.revision)
        } else {
            self.number.clone()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct QuoteLine {
    pub id: i64,
    pub quote_id: i64,
    pub position: i64,
    pub product_id: Option<i64>,
    pub name: String,
    pub unit: String,
    pub qty_milli: i64,
    pub priced_unit: i64,
    pub policy_id: Option<i64>,
    pub policy_name: Option<String>,
    pub unit_price: i64,
    pub discount_bp: i64,
    pub tax_rate_bp: i64,
    pub amount: i64,
    pub net: i64,
    pub tax: i64,
}

/// A line as the editor sends it. Empty price or tax: the catalog's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineInput {
    pub product_id: Option<i64>,
    pub name: String,
    pub unit: String,
    pub qty: String,
    pub unit_price: String,
    pub discount: String,
    pub tax_rate: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteInput {
    pub customer_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    pub title: String,
    /// `YYYY-MM-DD`; empty for today.
    pub quote_date: String,
    /// `YYYY-MM-DD`; empty for 30 days after the quote date.
    pub valid_until: String,
    pub currency: String,
    /// Document discount, percent.
    pub discount: String,
    pub terms: String,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

/// A line checked: `None` price or tax means the catalog's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidLine {
    pub product_id: Option<i64>,
    pub name: String,
    pub unit: String,
    pub qty_milli: i64,
    pub unit_price: Option<i64>,
    pub discount_bp: i64,
    pub tax_rate_bp: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidQuote {
    pub customer_id: i64,
    pub opportunity_id: Option<i64>,
    pub title: String,
    pub quote_date: Option<String>,
    pub valid_until: Option<String>,
    pub currency: Currency,
    pub discount_bp: i64,
    pub terms: String,
    pub notes: String,
    pub lines: Vec<ValidLine>,
}

fn percent(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Option<i64> {
    if v.trim().is_empty() {
        return None;
    }
    match parse_rate_bp(v) {
        Some(bp) if bp <= 10_000 => Some(bp),
        _ => {
            errors.push(FieldError::new(field, "validation.percent"));
            None
        }
    }
}

fn date(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    if v.len() != 10 || crate::platform::time::parse_date_ms(v, 0).is_none() {
        errors.push(FieldError::new(field, "validation.date"));
        return None;
    }
    Some(v.to_string())
}

impl QuoteInput {
    /// Field names of lines are `lines.<index>.<field>`.
    pub fn validate(&self) -> Result<ValidQuote, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.customer_id.is_none() {
            errors.push(FieldError::new("customer_id", "validation.required"));
        }
        if self.title.trim().chars().count() > TITLE_MAX {
            errors.push(FieldError::new("title", "validation.too_long"));
        }
        for (f, v) in [("terms", &self.terms), ("notes", &self.notes)] {
            if v.chars().count() > TEXT_MAX {
                errors.push(FieldError::new(f, "validation.too_long"));
            }
        }
        let quote_date = date(&mut errors, "quote_date", &self.quote_date);
        let valid_until = date(&mut errors, "valid_until", &self.valid_until);
        if let (Some(a), Some(b)) = (&quote_date, &valid_until) {
            if b < a {
                errors.push(FieldError::new("valid_until", "validation.date_order"));
            }
        }
        let currency = Currency::from_code(&self.currency).unwrap_or_else(|| {
            errors.push(FieldError::new("currency", "validation.invalid_choice"));
            Currency::default()
        });
        let discount_bp = percent(&mut errors, "discount", &self.discount).unwrap_or(0);
        if self.lines.is_empty() {
            errors.push(FieldError::new("lines", "validation.no_lines"));
        }
        if self.lines.len() > LINES_MAX {
            errors.push(FieldError::new("lines", "validation.too_many_lines"));
        }
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let f = |name: &str| format!("lines.{i}.{name}");
            let name = l.name.trim().to_string();
            if name.is_empty() {
                errors.push(FieldError::new(&f("name"), "validation.required"));
            } else if name.chars().count() > TITLE_MAX {
                errors.push(FieldError::new(&f("name"), "validation.too_long"));
            }
            let qty_milli = parse_qty(&l.qty).unwrap_or_else(|| {
                errors.push(FieldError::new(&f("qty"), "validation.quantity"));
                0
            });
            let unit_price = if l.unit_price.trim().is_empty() {
                if l.product_id.is_none() {
                    errors.push(FieldError::new(&f("unit_price"), "validation.required"));
                }
                None
            } else {
                let p = parse_amount(&l.unit_price, currency);
                if p.is_none() {
                    errors.push(FieldError::new(&f("unit_price"), "validation.amount"));
                }
                p
            };
            let discount_bp = percent(&mut errors, &f("discount"), &l.discount).unwrap_or(0);
            let tax_rate_bp = percent(&mut errors, &f("tax_rate"), &l.tax_rate);
            lines.push(ValidLine {
                product_id: l.product_id,
                name,
                unit: l.unit.trim().chars().take(20).collect(),
                qty_milli,
                unit_price,
                discount_bp,
                tax_rate_bp,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidQuote {
            customer_id: self.customer_id.unwrap_or_default(),
            opportunity_id: self.opportunity_id,
            title: self.title.trim().to_string(),
            quote_date,
            valid_until,
            currency,
            discount_bp,
            terms: self.terms.trim().to_string(),
            notes: self.notes.trim().to_string(),
            lines,
        })
    }
}

impl QuoteLine {
    pub fn to_input(&self, currency: Currency) -> LineInput {
        LineInput {
            product_id: self.product_id,
            name: self.name.clone(),
            unit: self.unit.clone(),
            qty: format_qty(self.qty_milli),
            unit_price: format_amount(self.unit_price, currency).replace(',', ""),
            discount: if self.discount_bp > 0 { format_rate_bp(self.discount_bp) } else { String::new() },
            tax_rate: format_rate_bp(self.tax_rate_bp),
        }
    }
}

/// One revision in a quote's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Revision {
    pub id: i64,
    pub revision: i64,
    pub status: String,
    pub total: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteDetail {
    pub quote: Quote,
    pub lines: Vec<QuoteLine>,
    pub revisions: Vec<Revision>,
    /// Discounts above this need approval (basis points).
    pub approval_bp: i64,
    pub can_edit: bool,
    pub can_approve: bool,
}

impl QuoteDetail {
    pub fn to_input(&self) -> QuoteInput {
        let q = &self.quote;
        QuoteInput {
            customer_id: Some(q.customer_id),
            opportunity_id: q.opportunity_id,
            title: q.title.clone(),
            quote_date: q.quote_date.clone(),
            valid_until: q.valid_until.clone(),
            currency: q.currency.clone(),
            discount: if q.discount_bp > 0 { format_rate_bp(q.discount_bp) } else { String::new() },
            terms: q.terms.clone(),
            notes: q.notes.clone(),
            lines: self.lines.iter().map(|l| l.to_input(q.currency())).collect(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteFilter {
    pub status: Option<String>,
    pub customer_id: Option<i64>,
    /// Number, title or customer name.
    pub q: Option<String>,
    /// Keyset: (updated_at, id) of the last row of the previous page.
    pub after: Option<(i64, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotePage {
    pub rows: Vec<Quote>,
    pub next: Option<(i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(qty: i64, unit: i64, disc: i64, tax: i64) -> LineFigures {
        LineFigures { qty_milli: qty, priced_unit: unit, unit_price: unit, discount_bp: disc, tax_rate_bp: tax }
    }

    #[test]
    fn totals_round_each_step_once_and_add_up_exactly() {
        // 2 × 12 800.00 less 10 % = 23 040.00; 3 × 800.00 = 2 400.00; 13 % and 6 % tax.
        let t = totals(&[line(2_000, 1_280_000, 1_000, 1_300), line(3_000, 80_000, 0, 600)], 0);
        assert_eq!((t.subtotal, t.discount_total), (2_544_000, 0));
        assert_eq!(t.lines.iter().map(|l| (l.net, l.tax)).collect::<Vec<_>>(), [(2_304_000, 299_520), (240_000, 14_400)]);
        assert_eq!((t.tax_total, t.total), (313_920, 2_857_920));
        assert_eq!(t.effective_discount_bp, 914, "2 560.00 off 28 000.00 of catalog value");

        // A 5 % document discount of 0.10 over three equal lines of 0.67: shares 4, 3, 3.
        let t = totals(&[line(1_000, 67, 0, 0), line(1_000, 67, 0, 0), line(1_000, 67, 0, 0)], 500);
        assert_eq!((t.subtotal, t.discount_total), (201, 10));
        assert_eq!(t.lines.iter().map(|l| l.doc_discount).collect::<Vec<_>>(), [4, 3, 3]);
        assert_eq!(t.lines.iter().map(|l| l.net).sum::<i64>(), 191);
        assert_eq!(t.total, 191);
    }

    #[test]
    fn fractional_quantities_and_price_overrides_count_against_the_catalog_price() {
        // 2.5 hours × 250.00 = 625.00; quoted at 200.00 instead: 20 % below the catalog.
        let l = LineFigures { qty_milli: 2_500, priced_unit: 25_000, unit_price: 20_000, discount_bp: 0, tax_rate_bp: 600 };
        let t = totals(&[l], 0);
        assert_eq!((t.subtotal, t.tax_total, t.effective_discount_bp), (50_000, 3_000, 2_000));
        // Quoting above the catalog price is no discount.
        let up = LineFigures { unit_price: 30_000, ..l };
        assert_eq!(totals(&[up], 0).effective_discount_bp, 0);
        // Half a cent rounds away from zero: 0.333 × 0.05 = 0.01665 → 0.02.
        assert_eq!(totals(&[line(333, 5, 0, 0)], 0).subtotal, 2);
        assert_eq!(totals(&[], 1_000), Totals::default());
    }

    #[test]
    fn steps_follow_the_approval_flow() {
        use QuoteStatus::*;
        assert_eq!(QuoteStep::Submit.next(Draft, true), Some(Pending));
        assert_eq!(QuoteStep::Submit.next(Draft, false), Some(Approved));
        assert_eq!(QuoteStep::Submit.next(Rejected, false), Some(Approved));
        assert_eq!(QuoteStep::Approve.next(Pending, true), Some(Approved));
        assert_eq!(QuoteStep::Approve.next(Draft, true), None);
        assert_eq!(QuoteStep::Send.next(Pending, false), None, "not before approval");
        assert_eq!(QuoteStep::Accept.next(Sent, false), Some(Accepted));
        assert_eq!(QuoteStep::Decline.next(Superseded, false), None);
        assert!(Draft.editable() && Rejected.editable() && !Pending.editable() && !Approved.editable());
        assert!(!Superseded.revisable() && Sent.revisable());
    }

    #[test]
    fn input_errors_name_the_line_and_field() {
        let input = QuoteInput {
            customer_id: Some(1),
            currency: "CNY".into(),
            quote_date: "2026-11-30".into(),
            valid_until: "2026-11-01".into(),
            discount: "120".into(),
            lines: vec![
                LineInput { product_id: Some(3), name: "服务器".into(), qty: "2".into(), ..Default::default() },
                LineInput { name: "".into(), qty: "0".into(), unit_price: "".into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let codes: Vec<_> = input.validate().unwrap_err().into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                "valid_until:validation.date_order",
                "discount:validation.percent",
                "lines.1.name:validation.required",
                "lines.1.qty:validation.quantity",
                "lines.1.unit_price:validation.required",
            ]
        );
        let ok = QuoteInput { valid_until: String::new(), discount: "5".into(), lines: input.lines[..1].to_vec(), ..input };
        let v = ok.validate().unwrap();
        assert_eq!((v.discount_bp, v.lines[0].unit_price, v.lines[0].qty_milli), (500, None, 2_000));
    }
}
