//! Orders as the browser and the server share them. Lines and totals are the quotes'
//! (same pricing, same integer arithmetic); orders add a warehouse, shipped and
//! returned quantities, and a status flow of their own.
use crate::catalog::types::parse_qty;
use crate::platform::error::FieldError;
use crate::platform::money::Currency;
use crate::quotes::types::{LineInput, QuoteInput, ValidQuote};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    Draft,
    /// Past the customer's credit limit: waits for a manager.
    Pending,
    Confirmed,
    PartiallyShipped,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Draft,
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::PartiallyShipped,
        OrderStatus::Shipped,
        OrderStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Pending => "pending",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    /// Stock is reserved for what is not shipped yet.
    pub fn holds_stock(self) -> bool {
        matches!(self, OrderStatus::Confirmed | OrderStatus::PartiallyShipped)
    }
    /// Counts against the customer's credit.
    pub fn uses_credit(self) -> bool {
        matches!(self, OrderStatus::Pending | OrderStatus::Confirmed | OrderStatus::PartiallyShipped | OrderStatus::Shipped)
    }
}

/// What a user can do to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStep {
    Confirm,
    Approve,
    Reject,
    Cancel,
}

/// How a credit check came out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Credit {
    /// No limit, or the customer's control is "none".
    Unchecked,
    Within {
        used: i64,
        limit: i64,
        currency: String,
    },
    /// Over the limit; `block` means it needs approval, else it only warns.
    Over {
        used: i64,
        limit: i64,
        currency: String,
        block: bool,
    },
}

/// Whether a confirmation has to wait, from the credit check: only a blocking control
/// stops it.
pub fn needs_credit_approval(c: &Credit) -> bool {
    matches!(c, Credit::Over { block: true, .. })
}

/// Credit use after an order: open orders plus this one, against the limit.
pub fn credit_check(control: &str, limit: Option<i64>, currency: &str, used_before: Option<i64>, order_total: Option<i64>) -> Credit {
    let Some(limit) = limit.filter(|_| control != "none") else { return Credit::Unchecked };
    match (used_before, order_total) {
        (Some(u), Some(t)) if u + t <= limit => Credit::Within { used: u + t, limit, currency: currency.into() },
        // A total that cannot be converted counts as over: someone must look at it.
        (u, t) => Credit::Over { used: u.unwrap_or(0) + t.unwrap_or(0), limit, currency: currency.into(), block: control == "block" },
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Order {
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
    pub warehouse_id: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub warehouse_name: Option<String>,
    pub title: String,
    pub order_date: String,
    pub delivery_date: String,
    pub currency: String,
    pub discount_bp: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
    pub status: String,
    pub approval_reason: Option<String>,
    pub approval_note: Option<String>,
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

impl Order {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::from_code(&self.status).unwrap_or(OrderStatus::Draft)
    }
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderLine {
    pub id: i64,
    pub order_id: i64,
    pub position: i64,
    pub product_id: Option<i64>,
    pub stocked: bool,
    pub name: String,
    pub unit: String,
    pub qty_milli: i64,
    pub shipped_milli: i64,
    pub returned_milli: i64,
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

impl OrderLine {
    /// Still to ship.
    pub fn open_milli(&self) -> i64 {
        (self.qty_milli - self.shipped_milli).max(0)
    }
    /// Shipped and not returned: what a return may take back.
    pub fn returnable_milli(&self) -> i64 {
        (self.shipped_milli - self.returned_milli).max(0)
    }
}

/// What the editor sends: the quote's header and lines, plus the warehouse.
/// `doc.quote_date` is the order date and `doc.valid_until` the delivery date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderInput {
    pub doc: QuoteInput,
    pub warehouse_id: Option<i64>,
    pub quote_id: Option<i64>,
}

impl OrderInput {
    pub fn validate(&self) -> Result<(ValidQuote, i64), Vec<FieldError>> {
        let mut errors = match self.doc.validate() {
            Ok(v) if self.warehouse_id.is_some() => return Ok((v, self.warehouse_id.unwrap_or_default())),
            Ok(_) => Vec::new(),
            Err(e) => e,
        };
        if self.warehouse_id.is_none() {
            errors.push(FieldError::new("warehouse_id", "validation.required"));
        }
        Err(errors)
    }
}

/// One shipment or return: quantities per order line, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShipmentInput {
    /// (order line id, quantity); empty quantities are skipped.
    pub lines: Vec<(i64, String)>,
    pub note: String,
}

/// A shipment checked: (order line, thousandths) of the lines with a quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidShipment {
    pub lines: Vec<(i64, i64)>,
    pub note: String,
}

impl ShipmentInput {
    pub fn validate(&self) -> Result<ValidShipment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (i, (line, qty)) in self.lines.iter().enumerate() {
            if qty.trim().is_empty() {
                continue;
            }
            match parse_qty(qty) {
                Some(q) => out.push((*line, q)),
                None => errors.push(FieldError::new(&format!("lines.{i}.qty"), "validation.quantity")),
            }
        }
        if out.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("lines", "validation.no_lines"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > 200 {
            errors.push(FieldError::new("note", "validation.too_long"));
        }
        if errors.is_empty() {
            Ok(ValidShipment { lines: out, note })
        } else {
            Err(errors)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Shipment {
    pub id: i64,
    pub kind: String,
    pub warehouse_name: String,
    pub note: String,
    pub created_by_name: Option<String>,
    pub created_at: i64,
    /// "name × qty unit" per line, joined.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: Order,
    pub lines: Vec<OrderLine>,
    pub shipments: Vec<Shipment>,
    /// The customer's credit after this order, as a confirmation would see it.
    pub credit: Credit,
    pub can_edit: bool,
    pub can_approve: bool,
}

impl OrderDetail {
    pub fn to_input(&self) -> OrderInput {
        let o = &self.order;
        let c = o.currency();
        OrderInput {
            doc: QuoteInput {
                customer_id: Some(o.customer_id),
                opportunity_id: o.opportunity_id,
                title: o.title.clone(),
                quote_date: o.order_date.clone(),
                valid_until: o.delivery_date.clone(),
                currency: o.currency.clone(),
                discount: if o.discount_bp > 0 { crate::catalog::types::format_rate_bp(o.discount_bp) } else { String::new() },
                terms: o.terms.clone(),
                notes: o.notes.clone(),
                lines: self.lines.iter().map(|l| line_input(l, c)).collect(),
            },
            warehouse_id: Some(o.warehouse_id),
            quote_id: o.quote_id,
        }
    }
}

fn line_input(l: &OrderLine, c: Currency) -> LineInput {
    LineInput {
        product_id: l.product_id,
        name: l.name.clone(),
        unit: l.unit.clone(),
        qty: crate::catalog::types::format_qty(l.qty_milli),
        unit_price: crate::platform::money::format_amount(l.unit_price, c).replace(',', ""),
        discount: if l.discount_bp > 0 { crate::catalog::types::format_rate_bp(l.discount_bp) } else { String::new() },
        tax_rate: crate::catalog::types::format_rate_bp(l.tax_rate_bp),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub customer_id: Option<i64>,
    /// Number, title or customer name.
    pub q: Option<String>,
    pub after: Option<(i64, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub rows: Vec<Order>,
    pub next: Option<(i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_is_checked_against_the_limit_and_the_control() {
        assert_eq!(credit_check("block", None, "CNY", Some(0), Some(10)), Credit::Unchecked);
        assert_eq!(credit_check("none", Some(100), "CNY", Some(0), Some(1_000)), Credit::Unchecked);
        assert_eq!(
            credit_check("block", Some(100), "CNY", Some(40), Some(60)),
            Credit::Within { used: 100, limit: 100, currency: "CNY".into() }
        );
        let over = credit_check("block", Some(100), "CNY", Some(40), Some(61));
        assert!(needs_credit_approval(&over));
        assert!(!needs_credit_approval(&credit_check("warn", Some(100), "CNY", Some(40), Some(61))));
        // No exchange rate for the order's currency: treated as over.
        assert!(needs_credit_approval(&credit_check("block", Some(100), "CNY", Some(0), None)));
    }

    #[test]
    fn shipments_skip_empty_lines_and_need_one() {
        let s = ShipmentInput { lines: vec![(1, "2".into()), (2, " ".into()), (3, "0.5".into())], note: String::new() };
        assert_eq!(s.validate().unwrap().lines, [(1, 2_000), (3, 500)]);
        let none = ShipmentInput { lines: vec![(1, "".into())], note: String::new() };
        assert_eq!(none.validate().unwrap_err()[0].field, "lines");
        let bad = ShipmentInput { lines: vec![(1, "-1".into())], note: String::new() };
        assert_eq!(bad.validate().unwrap_err()[0].field, "lines.0.qty");
    }
}
