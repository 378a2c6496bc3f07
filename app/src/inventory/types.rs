//! Warehouses, stock levels and movements as pages show them, and the inputs that move stock.
use crate::catalog::types::parse_qty;
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Warehouse {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub active: bool,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WarehouseInput {
    pub code: String,
    pub name: String,
    pub address: String,
    pub active: bool,
}

impl WarehouseInput {
    pub fn validate(&self) -> Result<WarehouseInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let v = WarehouseInput {
            code: self.code.trim().to_uppercase(),
            name: self.name.trim().to_string(),
            address: self.address.trim().to_string(),
            active: self.active,
        };
        if v.code.is_empty() {
            errors.push(FieldError::new("code", "validation.required"));
        } else if v.code.chars().count() > 20 {
            errors.push(FieldError::new("code", "validation.too_long"));
        } else if !v.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.push(FieldError::new("code", "validation.code_chars"));
        }
        if v.name.is_empty() {
            errors.push(FieldError::new("name", "validation.required"));
        } else if v.name.chars().count() > 60 {
            errors.push(FieldError::new("name", "validation.too_long"));
        }
        if v.address.chars().count() > 200 {
            errors.push(FieldError::new("address", "validation.too_long"));
        }
        if errors.is_empty() {
            Ok(v)
        } else {
            Err(errors)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WarehousesPage {
    pub warehouses: Vec<Warehouse>,
    pub allow_negative: bool,
    pub can_edit: bool,
    pub can_edit_settings: bool,
}

/// A product's stock in one warehouse (quantities in thousandths).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StockRow {
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub on_hand_milli: i64,
    pub reserved_milli: i64,
}

impl StockRow {
    pub fn available_milli(&self) -> i64 {
        self.on_hand_milli - self.reserved_milli
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StockQuery {
    pub warehouse_id: Option<i64>,
    /// Part of the product's code or name.
    pub q: Option<String>,
    /// Only rows with nothing available.
    pub short_only: bool,
    /// Keyset: (product name, product id, warehouse id) of the last row.
    pub after: Option<(String, i64, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StockPage {
    pub rows: Vec<StockRow>,
    pub next: Option<(String, i64, i64)>,
    /// Totals over every row the query matches, not just this page.
    pub total_on_hand_milli: i64,
    pub total_reserved_milli: i64,
    pub can_move: bool,
}

pub const MOVEMENT_KINDS: [&str; 7] = ["in", "out", "transfer_in", "transfer_out", "stocktake", "ship", "return"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Movement {
    pub id: i64,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub product_id: i64,
    pub product_name: String,
    pub unit: String,
    pub kind: String,
    pub qty_milli: i64,
    pub balance_milli: i64,
    pub ref_kind: Option<String>,
    pub ref_id: Option<i64>,
    /// The order number for shipments and returns.
    pub ref_label: Option<String>,
    pub note: String,
    pub created_by_name: Option<String>,
    pub created_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MovementQuery {
    pub warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    pub kind: Option<String>,
    /// Keyset: the id of the last row (newest first).
    pub before: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MovementPage {
    pub rows: Vec<Movement>,
    pub next: Option<i64>,
}

/// Stock in, out or transferred by hand.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MoveInput {
    /// "in", "out" or "transfer".
    pub kind: String,
    pub warehouse_id: Option<i64>,
    pub to_warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    pub qty: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidMove {
    pub kind: &'static str,
    pub warehouse_id: i64,
    pub to_warehouse_id: Option<i64>,
    pub product_id: i64,
    pub qty_milli: i64,
    pub note: String,
}

impl MoveInput {
    pub fn validate(&self) -> Result<ValidMove, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = match self.kind.as_str() {
            "in" => "in",
            "out" => "out",
            "transfer" => "transfer",
            _ => {
                errors.push(FieldError::new("kind", "validation.invalid_choice"));
                "in"
            }
        };
        if self.warehouse_id.is_none() {
            errors.push(FieldError::new("warehouse_id", "validation.required"));
        }
        let to = if kind == "transfer" {
            match self.to_warehouse_id {
                None => {
                    errors.push(FieldError::new("to_warehouse_id", "validation.required"));
                    None
                }
                Some(t) if Some(t) == self.warehouse_id => {
                    errors.push(FieldError::new("to_warehouse_id", "inventory.same_warehouse"));
                    None
                }
                t => t,
            }
        } else {
            None
        };
        if self.product_id.is_none() {
            errors.push(FieldError::new("product_id", "validation.required"));
        }
        let qty = parse_qty(&self.qty).unwrap_or_else(|| {
            errors.push(FieldError::new("qty", "validation.quantity"));
            0
        });
        let note = self.note.trim().to_string();
        if note.chars().count() > 200 {
            errors.push(FieldError::new("note", "validation.too_long"));
        }
        if errors.is_empty() {
            Ok(ValidMove {
                kind,
                warehouse_id: self.warehouse_id.unwrap_or_default(),
                to_warehouse_id: to,
                product_id: self.product_id.unwrap_or_default(),
                qty_milli: qty,
                note,
            })
        } else {
            Err(errors)
        }
    }
}

/// A count of some products in one warehouse; differences become stocktake movements.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StocktakeInput {
    pub warehouse_id: Option<i64>,
    /// (product, counted quantity as typed); blank: not counted.
    pub lines: Vec<(i64, String)>,
    pub note: String,
}

/// A counted quantity: zero is allowed, unlike an order quantity.
pub fn parse_count(s: &str) -> Option<i64> {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| c == '0' || c == '.' || c == '０') && t.chars().filter(|c| *c == '.').count() <= 1 {
        return Some(0);
    }
    parse_qty(t)
}

/// A count checked: (product, counted thousandths) of the counted lines only.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidStocktake {
    pub warehouse_id: i64,
    pub lines: Vec<(i64, i64)>,
    pub note: String,
}

impl StocktakeInput {
    pub fn validate(&self) -> Result<ValidStocktake, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.warehouse_id.is_none() {
            errors.push(FieldError::new("warehouse_id", "validation.required"));
        }
        if self.lines.len() > 500 {
            errors.push(FieldError::new("lines", "validation.too_many_lines"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut lines = Vec::new();
        for (i, (product, counted)) in self.lines.iter().enumerate() {
            if counted.trim().is_empty() {
                continue;
            }
            match parse_count(counted) {
                Some(c) => lines.push((*product, c)),
                None => errors.push(FieldError::new(&format!("lines.{i}.counted"), "validation.count")),
            }
            if !seen.insert(*product) {
                errors.push(FieldError::new(&format!("lines.{i}.counted"), "inventory.duplicate_product"));
            }
        }
        if lines.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("lines", "validation.no_lines"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > 200 {
            errors.push(FieldError::new("note", "validation.too_long"));
        }
        if errors.is_empty() {
            Ok(ValidStocktake { warehouse_id: self.warehouse_id.unwrap_or_default(), lines, note })
        } else {
            Err(errors)
        }
    }
}

/// What a stocktake changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StocktakeResult {
    pub id: i64,
    pub counted: i64,
    pub adjusted: i64,
}

/// A product's stock for order entry: available in the order's warehouse and in all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    pub product_id: i64,
    /// A product that moves stock (services and typed lines do not).
    pub stocked: bool,
    pub available_milli: i64,
    pub available_everywhere_milli: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_checked() {
        let ok = MoveInput {
            kind: "transfer".into(),
            warehouse_id: Some(1),
            to_warehouse_id: Some(2),
            product_id: Some(7),
            qty: "2.5".into(),
            note: " 调拨 ".into(),
        };
        let v = ok.validate().unwrap();
        assert_eq!((v.kind, v.to_warehouse_id, v.qty_milli, v.note.as_str()), ("transfer", Some(2), 2_500, "调拨"));
        let same = MoveInput { to_warehouse_id: Some(1), qty: "0".into(), ..ok.clone() };
        let fields: Vec<String> = same.validate().unwrap_err().into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect();
        assert_eq!(fields, ["to_warehouse_id:inventory.same_warehouse", "qty:validation.quantity"]);
        let stock_in = MoveInput { kind: "in".into(), to_warehouse_id: Some(1), ..ok };
        assert_eq!(stock_in.validate().unwrap().to_warehouse_id, None, "only transfers have a destination");
    }

    #[test]
    fn counts_may_be_zero_but_not_negative_or_repeated() {
        assert_eq!(
            (parse_count("0"), parse_count("0.0"), parse_count("12.5"), parse_count("-1"), parse_count("")),
            (Some(0), Some(0), Some(12_500), None, None)
        );
        let input = StocktakeInput {
            warehouse_id: Some(1),
            lines: vec![(1, "3".into()), (2, "x".into()), (1, "0".into()), (4, " ".into())],
            note: String::new(),
        };
        let fields: Vec<String> = input.validate().unwrap_err().into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect();
        assert_eq!(fields, ["lines.1.counted:validation.count", "lines.2.counted:inventory.duplicate_product"]);
        let blank = StocktakeInput { warehouse_id: Some(1), lines: vec![(1, "".into())], note: String::new() };
        assert_eq!(blank.validate().unwrap_err()[0].field, "lines", "nothing counted");
    }
}
