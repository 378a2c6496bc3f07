//! Contracts, payment plans, payments and invoices as the browser and the server share
//! them. Amounts are minor units of the contract's currency; dates are ISO dates.
use crate::platform::error::FieldError;
use crate::platform::money::{parse_amount, Currency};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const SHORT_MAX: usize = 200;
/// Instalments in one plan.
pub const PLAN_MAX: usize = 60;

/// How a payment came in.
pub const METHODS: [&str; 6] = ["bank", "cash", "alipay", "wechat", "cheque", "other"];
/// Kinds of invoice (普通发票, 专用发票, 电子发票, 收据).
pub const INVOICE_KINDS: [&str; 4] = ["vat_normal", "vat_special", "electronic", "receipt"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contract {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub customer_name: Option<String>,
    pub opportunity_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub opportunity_name: Option<String>,
    pub quote_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub quote_number: Option<String>,
    pub title: String,
    pub currency: String,
    pub amount: i64,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub terms: String,
    pub status: String,
    pub terminate_reason: Option<String>,
    pub paid: i64,
    pub invoiced: i64,
    /// Still to collect on instalments due before today.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub overdue: i64,
    pub owner_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    /// `sales`, or `service`: a service bill posted from a work order (its lines are on
    /// the work order's bill; the amount and plan are not edited by hand).
    pub kind: String,
    pub work_order_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub work_order_number: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Contract {
    pub fn is_service_bill(&self) -> bool {
        self.kind == "service"
    }
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
    pub fn active(&self) -> bool {
        self.status == "active"
    }
    pub fn outstanding(&self) -> i64 {
        self.amount - self.paid
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Instalment {
    pub id: i64,
    pub contract_id: i64,
    pub position: i64,
    pub due_on: String,
    pub amount: i64,
    pub paid: i64,
    pub note: String,
}

impl Instalment {
    pub fn open(&self) -> i64 {
        self.amount - self.paid
    }
    /// Due before `today` and not fully paid.
    pub fn overdue(&self, today: &str) -> bool {
        self.open() > 0 && self.due_on.as_str() < today
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Payment {
    pub id: i64,
    pub number: String,
    pub instalment_id: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub instalment_position: i64,
    pub amount: i64,
    pub currency: String,
    pub received_on: String,
    pub method: String,
    pub reference: String,
    pub note: String,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub voided_at: Option<i64>,
    pub void_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub tax_number: String,
    pub amount: i64,
    pub currency: String,
    pub issued_on: String,
    pub note: String,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub voided_at: Option<i64>,
    pub void_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractDetail {
    pub contract: Contract,
    pub plan: Vec<Instalment>,
    pub payments: Vec<Payment>,
    pub invoices: Vec<Invoice>,
    /// Today in the company's time zone, what "overdue" is measured against.
    pub today: String,
    pub can_edit: bool,
    /// May void payments and invoices.
    pub can_approve: bool,
    /// A service bill's lines (empty for sales contracts).
    pub bill_lines: Vec<crate::fieldwork::types::BillLine>,
}

impl ContractDetail {
    pub fn to_input(&self) -> ContractInput {
        let c = &self.contract;
        let cur = c.currency();
        ContractInput {
            customer_id: Some(c.customer_id),
            opportunity_id: c.opportunity_id,
            quote_id: c.quote_id,
            title: c.title.clone(),
            currency: c.currency.clone(),
            amount: plain_amount(c.amount, cur),
            signed_on: c.signed_on.clone(),
            starts_on: c.starts_on.clone(),
            ends_on: c.ends_on.clone(),
            terms: c.terms.clone(),
            plan: self
                .plan
                .iter()
                .map(|i| InstalmentInput {
                    id: Some(i.id),
                    due_on: i.due_on.clone(),
                    amount: plain_amount(i.amount, cur),
                    note: i.note.clone(),
                })
                .collect(),
        }
    }
}

/// Minor units as an editable amount without separators: 1234500 CNY → "12345.00".
pub fn plain_amount(minor: i64, c: Currency) -> String {
    crate::platform::money::format_amount(minor, c).replace(',', "")
}

/// One instalment as typed; `id` for instalments already saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstalmentInput {
    pub id: Option<i64>,
    pub due_on: String,
    pub amount: String,
    pub note: String,
}

/// What the contract form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractInput {
    pub customer_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    pub quote_id: Option<i64>,
    pub title: String,
    pub currency: String,
    pub amount: String,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub terms: String,
    pub plan: Vec<InstalmentInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidInstalment {
    pub id: Option<i64>,
    pub due_on: String,
    pub amount: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidContract {
    pub customer_id: i64,
    pub opportunity_id: Option<i64>,
    pub quote_id: Option<i64>,
    pub title: String,
    pub currency: Currency,
    pub amount: i64,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub terms: String,
    pub plan: Vec<ValidInstalment>,
}

/// A required ISO date (`YYYY-MM-DD`).
pub fn iso_date(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, "validation.required"));
        return None;
    }
    if v.len() != 10 || crate::platform::time::parse_date_ms(v, 0).is_none() {
        errors.push(FieldError::new(field, "validation.date"));
        return None;
    }
    Some(v.to_string())
}

/// A required positive amount in `c`.
pub fn positive_amount(errors: &mut Vec<FieldError>, field: &str, v: &str, c: Currency) -> Option<i64> {
    if v.trim().is_empty() {
        errors.push(FieldError::new(field, "validation.required"));
        return None;
    }
    match parse_amount(v, c) {
        Some(a) if a > 0 => Some(a),
        _ => {
            errors.push(FieldError::new(field, "validation.amount"));
            None
        }
    }
}

fn text(errors: &mut Vec<FieldError>, field: &str, v: &str, max: usize) -> String {
    let v = v.trim().to_string();
    if v.chars().count() > max {
        errors.push(FieldError::new(field, "validation.too_long"));
    }
    v
}

impl ContractInput {
    /// Field names of instalments are `plan.<index>.<field>`. The plan must add up to the
    /// amount exactly and fall due in date order.
    pub fn validate(&self) -> Result<ValidContract, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.customer_id.is_none() {
            errors.push(FieldError::new("customer_id", "validation.required"));
        }
        let title = text(&mut errors, "title", &self.title, TITLE_MAX);
        if title.is_empty() {
            errors.push(FieldError::new("title", "validation.required"));
        }
        let currency = Currency::from_code(&self.currency).unwrap_or_else(|| {
            errors.push(FieldError::new("currency", "validation.invalid_choice"));
            Currency::default()
        });
        let amount = positive_amount(&mut errors, "amount", &self.amount, currency);
        let signed_on = iso_date(&mut errors, "signed_on", &self.signed_on);
        let starts_on = iso_date(&mut errors, "starts_on", &self.starts_on);
        let ends_on = iso_date(&mut errors, "ends_on", &self.ends_on);
        if let (Some(a), Some(b)) = (&starts_on, &ends_on) {
            if b < a {
                errors.push(FieldError::new("ends_on", "validation.date_order"));
            }
        }
        let terms = text(&mut errors, "terms", &self.terms, TEXT_MAX);
        if self.plan.is_empty() {
            errors.push(FieldError::new("plan", "contract.plan_required"));
        }
        if self.plan.len() > PLAN_MAX {
            errors.push(FieldError::new("plan", "contract.plan_too_long"));
        }
        let mut plan = Vec::with_capacity(self.plan.len());
        for (i, p) in self.plan.iter().enumerate() {
            let due = iso_date(&mut errors, &format!("plan.{i}.due_on"), &p.due_on);
            let amt = positive_amount(&mut errors, &format!("plan.{i}.amount"), &p.amount, currency);
            let note = text(&mut errors, &format!("plan.{i}.note"), &p.note, SHORT_MAX);
            if let (Some(due_on), Some(amount)) = (due, amt) {
                if plan.last().is_some_and(|prev: &ValidInstalment| due_on < prev.due_on) {
                    errors.push(FieldError::new(&format!("plan.{i}.due_on"), "contract.plan_order"));
                }
                plan.push(ValidInstalment { id: p.id, due_on, amount, note });
            }
        }
        if let Some(a) = amount {
            if plan.len() == self.plan.len() && !plan.is_empty() && plan.iter().map(|p| p.amount).sum::<i64>() != a {
                errors.push(FieldError::new("plan", "contract.plan_sum"));
            }
        }
        match (errors.is_empty(), self.customer_id, amount, signed_on, starts_on, ends_on) {
            (true, Some(customer_id), Some(amount), Some(signed_on), Some(starts_on), Some(ends_on)) => Ok(ValidContract {
                customer_id,
                opportunity_id: self.opportunity_id,
                quote_id: self.quote_id,
                title,
                currency,
                amount,
                signed_on,
                starts_on,
                ends_on,
                terms,
                plan,
            }),
            _ => Err(errors),
        }
    }
}

/// Splits `amount` into `n` instalments whose sum is exactly `amount`: equal parts in
/// whole minor units, the remainder spread one unit at a time over the first parts.
pub fn split_evenly(amount: i64, n: usize) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let n64 = n as i64;
    let (base, rest) = (amount.div_euclid(n64), amount.rem_euclid(n64));
    (0..n64).map(|i| base + i64::from(i < rest)).collect()
}

/// `months` after an ISO date, on the same day of the month or the month's last day.
pub fn add_months(date: &str, months: i64) -> Option<String> {
    let mut it = date.splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
    let last = match nm {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(format!("{ny:04}-{nm:02}-{:02}", d.min(last)))
}

/// A payment as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentInput {
    pub instalment_id: Option<i64>,
    pub amount: String,
    pub received_on: String,
    pub method: String,
    pub reference: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidPayment {
    pub instalment_id: i64,
    pub amount: i64,
    pub received_on: String,
    pub method: String,
    pub reference: String,
    pub note: String,
}

impl PaymentInput {
    pub fn validate(&self, c: Currency) -> Result<ValidPayment, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.instalment_id.is_none() {
            errors.push(FieldError::new("instalment_id", "validation.required"));
        }
        let amount = positive_amount(&mut errors, "amount", &self.amount, c);
        let received_on = iso_date(&mut errors, "received_on", &self.received_on);
        if !METHODS.contains(&self.method.as_str()) {
            errors.push(FieldError::new("method", "validation.invalid_choice"));
        }
        let reference = text(&mut errors, "reference", &self.reference, SHORT_MAX);
        let note = text(&mut errors, "note", &self.note, SHORT_MAX);
        match (errors.is_empty(), self.instalment_id, amount, received_on) {
            (true, Some(instalment_id), Some(amount), Some(received_on)) => {
                Ok(ValidPayment { instalment_id, amount, received_on, method: self.method.clone(), reference, note })
            }
            _ => Err(errors),
        }
    }
}

/// An invoice as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceInput {
    pub kind: String,
    pub tax_number: String,
    pub amount: String,
    pub issued_on: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidInvoice {
    pub kind: String,
    pub tax_number: String,
    pub amount: i64,
    pub issued_on: String,
    pub note: String,
}

impl InvoiceInput {
    pub fn validate(&self, c: Currency) -> Result<ValidInvoice, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !INVOICE_KINDS.contains(&self.kind.as_str()) {
            errors.push(FieldError::new("kind", "validation.invalid_choice"));
        }
        let tax_number = text(&mut errors, "tax_number", &self.tax_number, 60);
        let amount = positive_amount(&mut errors, "amount", &self.amount, c);
        let issued_on = iso_date(&mut errors, "issued_on", &self.issued_on);
        let note = text(&mut errors, "note", &self.note, SHORT_MAX);
        match (errors.is_empty(), amount, issued_on) {
            (true, Some(amount), Some(issued_on)) => Ok(ValidInvoice { kind: self.kind.clone(), tax_number, amount, issued_on, note }),
            _ => Err(errors),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractFilter {
    pub customer_id: Option<i64>,
    /// Number, title or customer name.
    pub q: Option<String>,
    /// Only contracts with an overdue instalment.
    pub overdue: bool,
    pub after: Option<(i64, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractPage {
    pub rows: Vec<Contract>,
    pub next: Option<(i64, i64)>,
    pub today: String,
}

/// What a new contract starts from: a won opportunity or an agreed quote.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractDraft {
    pub input: ContractInput,
    pub customer_name: String,
}

/// One customer's receivables in one currency (active contracts only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Receivable {
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub contracts: i64,
    pub contracted: i64,
    pub received: i64,
    pub invoiced: i64,
    pub outstanding: i64,
    pub overdue: i64,
    /// The earliest due date among overdue instalments.
    pub oldest_due: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceivableFilter {
    pub q: Option<String>,
    pub overdue_only: bool,
    pub customer_id: Option<i64>,
    pub offset: i64,
}

/// Totals of one currency over the whole report (not only the page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReceivableTotal {
    pub currency: String,
    pub contracted: i64,
    pub received: i64,
    pub outstanding: i64,
    pub overdue: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceivablesReport {
    pub rows: Vec<Receivable>,
    pub totals: Vec<ReceivableTotal>,
    pub next_offset: Option<i64>,
    pub today: String,
}

/// An overdue instalment, for the dashboard and the reminders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OverdueInstalment {
    pub instalment_id: i64,
    pub position: i64,
    pub due_on: String,
    pub open: i64,
    pub contract_id: i64,
    pub contract_number: String,
    pub currency: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub owner_name: Option<String>,
}

/// A customer's transactions in one currency (C7): confirmed orders, contracts, what
/// was received and what is still owed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CurrencySummary {
    pub currency: String,
    pub orders: i64,
    pub ordered: i64,
    pub contracts: i64,
    pub contracted: i64,
    pub received: i64,
    pub outstanding: i64,
    pub overdue: i64,
}

/// The customer's credit: the limit and what open orders and unpaid contracts use of it
/// (`used` is `None` when a currency has no exchange rate).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditUse {
    pub limit: i64,
    pub currency: String,
    pub used: Option<i64>,
}

/// The transaction summary on a customer's 360° page, within the user's scope for
/// orders and contracts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TransactionSummary {
    pub currencies: Vec<CurrencySummary>,
    pub credit: Option<CreditUse>,
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    /// Orders confirmed and contracts signed in the last 365 days (loyalty).
    pub deals_12m: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContractInput {
        ContractInput {
            customer_id: Some(1),
            title: "年度维保合同".into(),
            currency: "CNY".into(),
            amount: "10000".into(),
            signed_on: "2026-11-01".into(),
            starts_on: "2026-11-01".into(),
            ends_on: "2027-10-31".into(),
            plan: vec![
                InstalmentInput { due_on: "2026-11-15".into(), amount: "3000".into(), ..Default::default() },
                InstalmentInput { due_on: "2027-02-15".into(), amount: "7,000.00".into(), ..Default::default() },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_plan_must_add_up_to_the_amount_in_date_order() {
        let v = input().validate().unwrap();
        assert_eq!(v.amount, 1_000_000);
        assert_eq!(v.plan.iter().map(|p| p.amount).collect::<Vec<_>>(), [300_000, 700_000]);

        let mut short = input();
        short.plan[1].amount = "6999.99".into();
        assert_eq!(short.validate().unwrap_err()[0].field, "plan");

        let mut order = input();
        order.plan[1].due_on = "2026-11-01".into();
        assert_eq!(order.validate().unwrap_err()[0], FieldError::new("plan.1.due_on", "contract.plan_order"));

        let mut empty = input();
        empty.plan.clear();
        assert!(empty.validate().unwrap_err().iter().any(|e| e.code == "contract.plan_required"));

        let mut bad = input();
        bad.plan[0].amount = "-1".into();
        bad.ends_on = "2026-10-01".into();
        let errs = bad.validate().unwrap_err();
        assert!(errs.contains(&FieldError::new("plan.0.amount", "validation.amount")));
        assert!(errs.contains(&FieldError::new("ends_on", "validation.date_order")));
    }

    #[test]
    fn even_splits_keep_every_cent() {
        assert_eq!(split_evenly(1_000_000, 3), [333_334, 333_333, 333_333]);
        assert_eq!(split_evenly(1_000_000, 3).iter().sum::<i64>(), 1_000_000);
        assert_eq!(split_evenly(5, 0), Vec::<i64>::new());
        assert_eq!(split_evenly(2, 4), [1, 1, 0, 0]);
    }

    #[test]
    fn months_are_added_to_the_last_day_when_shorter() {
        assert_eq!(add_months("2026-01-31", 1).unwrap(), "2026-02-28");
        assert_eq!(add_months("2028-01-31", 1).unwrap(), "2028-02-29");
        assert_eq!(add_months("2026-11-15", 3).unwrap(), "2027-02-15");
        assert_eq!(add_months("2026-12-01", 0).unwrap(), "2026-12-01");
    }

    #[test]
    fn payments_and_invoices_are_checked() {
        let ok = PaymentInput {
            instalment_id: Some(3),
            amount: "1,500.50".into(),
            received_on: "2026-11-20".into(),
            method: "bank".into(),
            ..Default::default()
        };
        assert_eq!(ok.validate(Currency::Cny).unwrap().amount, 150_050);
        let bad = PaymentInput { method: "gold".into(), amount: "0".into(), ..Default::default() };
        let errs = bad.validate(Currency::Cny).unwrap_err();
        for f in ["instalment_id", "amount", "received_on", "method"] {
            assert!(errs.iter().any(|e| e.field == f), "{f}: {errs:?}");
        }
        let inv = InvoiceInput { kind: "vat_special".into(), amount: "100".into(), issued_on: "2026-11-20".into(), ..Default::default() };
        assert_eq!(inv.validate(Currency::Usd).unwrap().amount, 10_000);
        assert_eq!(InvoiceInput { kind: "x".into(), ..inv }.validate(Currency::Usd).unwrap_err()[0].field, "kind");
    }

    #[test]
    fn overdue_is_before_today_and_not_paid() {
        let i = Instalment { id: 1, contract_id: 1, position: 1, due_on: "2026-11-30".into(), amount: 100, paid: 40, note: String::new() };
        assert!(i.overdue("2026-12-01"));
        assert!(!i.overdue("2026-11-30"));
        assert!(!Instalment { paid: 100, ..i }.overdue("2027-01-01"));
    }
}
