//! Work orders (派工) and the dispatch board as the browser and the server share them.
//! Times are UTC milliseconds; quantities thousandths; money minor units of `currency`.
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const SKILL_MAX: usize = 60;
pub const ADDRESS_MAX: usize = 300;
pub const TEXT_MAX: usize = 4000;
pub const ITEMS_MAX: usize = 50;
pub const NAME_MAX: usize = 100;
/// A dispatch lasts from a quarter of an hour to a long working day.
pub const MINUTES_MIN: i64 = 15;
pub const MINUTES_MAX: i64 = 12 * 60;

pub const STATUSES: [&str; 5] = ["new", "dispatched", "in_progress", "completed", "cancelled"];
/// How the customer agreed to the charges.
pub const CONFIRM_VIA: [&str; 4] = ["phone", "signature", "email", "wechat"];

/// Items, address and instructions may change until the engineer starts.
pub fn editable(status: &str) -> bool {
    matches!(status, "new" | "dispatched")
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkOrder {
    pub id: i64,
    pub number: String,
    pub request_id: i64,
    pub request_number: String,
    pub request_subject: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: String,
    pub skill: String,
    pub address: String,
    pub instructions: String,
    /// The engineer.
    pub owner_id: Option<i64>,
    pub engineer_name: Option<String>,
    pub department_id: Option<i64>,
    pub planned_start: Option<i64>,
    pub planned_end: Option<i64>,
    pub currency: String,
    pub chargeable: bool,
    pub total: i64,
    pub confirmed_at: Option<i64>,
    pub confirmed_by: Option<String>,
    pub confirmed_via: Option<String>,
    pub cancel_reason: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl WorkOrder {
    /// Chargeable work waits for the customer's agreement before it is dispatched.
    pub fn needs_confirmation(&self) -> bool {
        self.chargeable && self.total > 0 && self.confirmed_at.is_none()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkItem {
    pub id: i64,
    pub product_id: i64,
    pub description: String,
    pub qty_milli: i64,
    pub unit_price: i64,
    pub amount: i64,
}

/// One line as typed: a product (service item or part) and a quantity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkItemInput {
    pub product_id: Option<i64>,
    pub qty: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkOrderInput {
    pub request_id: i64,
    pub skill: String,
    /// Empty for the customer's address.
    pub address: String,
    pub instructions: String,
    pub chargeable: bool,
    pub items: Vec<WorkItemInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidWorkOrder {
    pub request_id: i64,
    pub skill: String,
    pub address: String,
    pub instructions: String,
    pub chargeable: bool,
    /// Product and quantity in thousandths.
    pub items: Vec<(i64, i64)>,
}

fn too_long(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(FieldError::new(field, "validation.too_long"));
    }
}

impl WorkOrderInput {
    pub fn validate(&self) -> Result<ValidWorkOrder, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (skill, address, instructions) = (self.skill.trim(), self.address.trim(), self.instructions.trim());
        too_long(&mut errors, "skill", skill, SKILL_MAX);
        too_long(&mut errors, "address", address, ADDRESS_MAX);
        too_long(&mut errors, "instructions", instructions, TEXT_MAX);
        if self.items.len() > ITEMS_MAX {
            errors.push(FieldError::new("items", "validation.too_many_lines"));
        }
        let mut items = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            let Some(p) = it.product_id else {
                errors.push(FieldError::new(&format!("items.{i}.product_id"), "validation.required"));
                continue;
            };
            match crate::catalog::types::parse_qty(&it.qty).filter(|q| *q > 0) {
                Some(q) => items.push((p, q)),
                None => errors.push(FieldError::new(&format!("items.{i}.qty"), "validation.quantity")),
            }
        }
        if self.chargeable && self.items.is_empty() {
            errors.push(FieldError::new("items", "work.chargeable_needs_items"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidWorkOrder {
            request_id: self.request_id,
            skill: skill.to_string(),
            address: address.to_string(),
            instructions: instructions.to_string(),
            chargeable: self.chargeable,
            items,
        })
    }
}

/// The customer's agreement to a chargeable work order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmInput {
    pub by: String,
    pub via: String,
}

impl ConfirmInput {
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let by = self.by.trim();
        if by.is_empty() {
            errors.push(FieldError::new("by", "validation.required"));
        }
        too_long(&mut errors, "by", by, NAME_MAX);
        if !CONFIRM_VIA.contains(&self.via.as_str()) {
            errors.push(FieldError::new("via", "validation.invalid_choice"));
        }
        if errors.is_empty() {
            Ok((by.to_string(), self.via.clone()))
        } else {
            Err(errors)
        }
    }
}

/// A dispatch as typed: an engineer, a local start `YYYY-MM-DDTHH:MM` and a duration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DispatchInput {
    pub engineer_id: Option<i64>,
    pub start: String,
    pub minutes: String,
}

impl DispatchInput {
    /// The engineer, start and end (UTC milliseconds) in the user's zone.
    pub fn validate(&self, offset_minutes: i32) -> Result<(i64, i64, i64), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.engineer_id.is_none() {
            errors.push(FieldError::new("engineer_id", "validation.required"));
        }
        let start = crate::activities::types::parse_local_datetime(&self.start, offset_minutes);
        if start.is_none() {
            errors.push(FieldError::new("start", "validation.datetime"));
        }
        let minutes = self.minutes.trim().parse::<i64>().ok().filter(|m| (MINUTES_MIN..=MINUTES_MAX).contains(m));
        if minutes.is_none() {
            errors.push(FieldError::new("minutes", "work.minutes_range"));
        }
        match (self.engineer_id, start, minutes) {
            (Some(e), Some(s), Some(m)) if errors.is_empty() => Ok((e, s, s + m * 60_000)),
            _ => Err(errors),
        }
    }
}

/// A span of an engineer's time taken by a work order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Booking {
    pub work_order_id: i64,
    pub number: String,
    pub customer_name: String,
    pub engineer_id: i64,
    pub start: i64,
    pub end: i64,
    pub status: String,
}

/// The booking `[start, end)` would overlap, other than the work order being moved
/// itself. Spans that only touch (one ends as the next starts) do not clash.
pub fn clash(bookings: &[Booking], start: i64, end: i64, moving: i64) -> Option<&Booking> {
    bookings.iter().filter(|b| b.work_order_id != moving).find(|b| b.start < end && start < b.end)
}

/// A person who can be dispatched, with what they can do and where they work.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Engineer {
    pub user_id: i64,
    pub name: String,
    pub skills: String,
    pub region: String,
    pub version: i64,
}

/// Splits a skills list on ASCII or Chinese commas and the enumeration comma (、).
pub fn skill_list(skills: &str) -> Vec<String> {
    skills.split([',', '，', '、', ';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl Engineer {
    /// Whether the engineer has `skill` (any engineer when no skill is asked for).
    pub fn has_skill(&self, skill: &str) -> bool {
        let skill = skill.trim().to_lowercase();
        skill.is_empty() || skill_list(&self.skills).iter().any(|s| s.to_lowercase() == skill)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EngineerInput {
    pub skills: String,
    pub region: String,
}

impl EngineerInput {
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        // Stored normalised: "a, b, c".
        let skills = skill_list(&self.skills).join(", ");
        too_long(&mut errors, "skills", &skills, ADDRESS_MAX);
        if skill_list(&self.skills).iter().any(|s| s.chars().count() > SKILL_MAX) {
            errors.push(FieldError::new("skills", "validation.too_long"));
        }
        let region = self.region.trim();
        too_long(&mut errors, "region", region, NAME_MAX);
        if errors.is_empty() {
            Ok((skills, region.to_string()))
        } else {
            Err(errors)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkOrderDetail {
    pub order: WorkOrder,
    pub items: Vec<WorkItem>,
    pub can_edit: bool,
    pub can_dispatch: bool,
    pub engineers: Vec<Engineer>,
    /// What the engineer did on site.
    pub site: crate::fieldwork::field::SiteRecord,
    /// The bill posted to receivables, if any (the live one before cancelled ones).
    pub bill: Option<PostedBill>,
    /// May post the bill now: edit right, completed, chargeable, no live bill.
    pub can_bill: bool,
    /// May open the receivable (contract view within scope).
    pub can_open_bill: bool,
}

/// One engineer's row on the board: their bookings of the day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EngineerDay {
    pub engineer: Engineer,
    pub bookings: Vec<Booking>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DispatchBoard {
    /// The day shown, `YYYY-MM-DD` in the user's zone, and its start in UTC milliseconds.
    pub day: String,
    pub day_start: i64,
    pub engineers: Vec<EngineerDay>,
    /// Work orders not yet dispatched (and not cancelled), oldest first.
    pub waiting: Vec<WorkOrder>,
    pub can_dispatch: bool,
    /// People who could be added as engineers.
    pub users: Vec<(i64, String)>,
}

/// A product that can go on a work order, with its list price.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkProduct {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub unit: String,
}

/// What a service bill line charges for: an agreed service item, a part used on site,
/// or the engineer's labour.
pub const BILL_LINE_KINDS: [&str; 3] = ["item", "part", "labour"];
/// Payment terms of a service bill, in days.
pub const DUE_DAYS_MAX: i64 = 365;

/// One line of a service bill (drafted or posted), in the work order's currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BillLine {
    pub kind: String,
    pub product_id: i64,
    pub description: String,
    pub unit: String,
    pub qty_milli: i64,
    /// The product's list price per unit, before the customer's price policies.
    pub list_price: i64,
    pub unit_price: i64,
    pub amount: i64,
}

impl BillLine {
    /// What the line would come to at list price.
    pub fn list_amount(&self) -> i64 {
        let v =
            crate::platform::money::div_round(self.list_price as i128 * self.qty_milli as i128, crate::catalog::types::QTY_SCALE as i128);
        i64::try_from(v).unwrap_or(i64::MAX)
    }
}

/// A completed work order's bill as it would be posted now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillDraft {
    pub currency: String,
    pub lines: Vec<BillLine>,
    pub total: i64,
    /// List value less what is charged: the customer's discount (never below zero).
    pub discount: i64,
    pub labour_minutes: Option<i64>,
    /// The product labour is charged with; `None` charges no labour.
    pub labour_product_id: Option<i64>,
    /// Active service products labour can be charged with.
    pub labour_products: Vec<WorkProduct>,
}

impl BillDraft {
    pub fn from_lines(currency: String, lines: Vec<BillLine>) -> Self {
        let total = lines.iter().map(|l| l.amount).sum();
        let list: i64 = lines.iter().map(BillLine::list_amount).sum();
        BillDraft { currency, lines, total, discount: (list - total).max(0), ..Default::default() }
    }
}

/// The bill a work order was posted with: its receivable.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PostedBill {
    pub contract_id: i64,
    pub number: String,
    pub currency: String,
    pub amount: i64,
    pub paid: i64,
    pub status: String,
    pub due_on: Option<String>,
}

/// Posting a bill: labour's product (none: no labour charged), payment terms, a note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillInput {
    pub labour_product_id: Option<i64>,
    pub due_days: String,
    pub note: String,
}

impl BillInput {
    /// The labour product, the days until due, and the trimmed note.
    pub fn validate(&self) -> Result<(Option<i64>, i64, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let days = match self.due_days.trim().parse::<i64>() {
            Ok(d) if (0..=DUE_DAYS_MAX).contains(&d) => d,
            _ => {
                errors.push(FieldError::new("due_days", "work.bill_due_days"));
                0
            }
        };
        let note = self.note.trim().to_string();
        if note.chars().count() > TEXT_MAX {
            errors.push(FieldError::new("note", "validation.too_long"));
        }
        if errors.is_empty() {
            Ok((self.labour_product_id, days, note))
        } else {
            Err(errors)
        }
    }
}

/// Labour minutes as a quantity of hours (× 1000), rounded to the nearest thousandth.
pub fn labour_qty_milli(minutes: i64) -> i64 {
    (minutes * crate::catalog::types::QTY_SCALE + 30) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(id: i64, start: i64, end: i64) -> Booking {
        Booking { work_order_id: id, start, end, ..Default::default() }
    }

    #[test]
    fn labour_is_billed_in_hours_to_the_thousandth() {
        assert_eq!(labour_qty_milli(60), 1000);
        assert_eq!(labour_qty_milli(45), 750);
        assert_eq!(labour_qty_milli(95), 1583);
        assert_eq!(labour_qty_milli(1), 17);
    }

    #[test]
    fn a_bill_shows_the_customers_discount_against_list_prices() {
        let line = |list_price, unit_price, qty_milli| BillLine {
            list_price,
            unit_price,
            qty_milli,
            amount: unit_price * qty_milli / 1000,
            ..Default::default()
        };
        // A part at 90 % of list, labour at list for 1.5 hours.
        let d = BillDraft::from_lines("CNY".into(), vec![line(26_800, 24_120, 2000), line(20_000, 20_000, 1500)]);
        assert_eq!(d.total, 48_240 + 30_000);
        assert_eq!(d.discount, 53_600 - 48_240);
        // A price above list is no negative discount.
        assert_eq!(BillDraft::from_lines("CNY".into(), vec![line(100, 120, 1000)]).discount, 0);
    }

    #[test]
    fn bill_terms_are_checked() {
        let ok = BillInput { labour_product_id: Some(3), due_days: " 30 ".into(), note: " 月结 ".into() };
        assert_eq!(ok.validate().unwrap(), (Some(3), 30, "月结".to_string()));
        for bad in ["", "-1", "366", "三十"] {
            let e = BillInput { due_days: bad.into(), ..Default::default() }.validate().unwrap_err();
            assert_eq!(e[0].field, "due_days", "{bad}");
        }
    }

    #[test]
    fn overlapping_spans_clash_touching_ones_do_not() {
        let day = [booking(1, 100, 200), booking(2, 300, 400)];
        assert_eq!(clash(&day, 150, 250, 9).map(|b| b.work_order_id), Some(1));
        assert_eq!(clash(&day, 50, 101, 9).map(|b| b.work_order_id), Some(1));
        assert_eq!(clash(&day, 250, 350, 9).map(|b| b.work_order_id), Some(2));
        // Inside and around.
        assert_eq!(clash(&day, 120, 130, 9).map(|b| b.work_order_id), Some(1));
        assert_eq!(clash(&day, 0, 1000, 9).map(|b| b.work_order_id), Some(1));
        // Back to back is fine.
        assert_eq!(clash(&day, 200, 300, 9), None);
        assert_eq!(clash(&day, 0, 100, 9), None);
        assert_eq!(clash(&day, 400, 500, 9), None);
    }

    #[test]
    fn moving_an_order_does_not_clash_with_itself() {
        let day = [booking(1, 100, 200), booking(2, 300, 400)];
        assert_eq!(clash(&day, 150, 250, 1), None);
        assert_eq!(clash(&day, 150, 350, 1).map(|b| b.work_order_id), Some(2));
    }

    #[test]
    fn skills_split_on_chinese_and_ascii_commas() {
        assert_eq!(skill_list("数控机床，电气、 PLC; 液压"), ["数控机床", "电气", "PLC", "液压"]);
        let e = Engineer { skills: "数控机床, PLC".into(), ..Default::default() };
        assert!(e.has_skill("plc"));
        assert!(e.has_skill(""));
        assert!(!e.has_skill("电气"));
        assert_eq!(
            EngineerInput { skills: " a ,b，，c ".into(), region: " 北京 ".into() }.validate(),
            Ok(("a, b, c".into(), "北京".into()))
        );
    }

    #[test]
    fn dispatch_input_is_checked_field_by_field() {
        let ok = DispatchInput { engineer_id: Some(3), start: "2026-12-01T09:30".into(), minutes: "90".into() };
        let (e, s, end) = ok.validate(480).unwrap();
        assert_eq!(e, 3);
        assert_eq!(end - s, 90 * 60_000);
        assert_eq!(s, crate::platform::time::parse_date_ms("2026-12-01", 480).unwrap() + (9 * 60 + 30) * 60_000);
        let bad = DispatchInput { engineer_id: None, start: "tomorrow".into(), minutes: "5".into() };
        let fields: Vec<String> = bad.validate(0).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["engineer_id", "start", "minutes"]);
        let long = DispatchInput { minutes: "721".into(), ..ok };
        assert!(long.validate(0).is_err());
    }

    #[test]
    fn work_order_input_names_the_bad_line() {
        let input = WorkOrderInput {
            chargeable: true,
            items: vec![
                WorkItemInput { product_id: Some(1), qty: "1.5".into() },
                WorkItemInput { product_id: None, qty: "1".into() },
                WorkItemInput { product_id: Some(2), qty: "0".into() },
            ],
            ..Default::default()
        };
        let fields: Vec<String> = input.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["items.1.product_id", "items.2.qty"]);
        let empty = WorkOrderInput { chargeable: true, ..Default::default() };
        assert_eq!(empty.validate().unwrap_err()[0].code, "work.chargeable_needs_items");
        let ok = WorkOrderInput { items: vec![WorkItemInput { product_id: Some(1), qty: "2".into() }], ..Default::default() };
        assert_eq!(ok.validate().unwrap().items, [(1, 2000)]);
    }

    #[test]
    fn confirmation_is_needed_only_for_charges() {
        let mut w = WorkOrder { chargeable: true, total: 100, ..Default::default() };
        assert!(w.needs_confirmation());
        w.confirmed_at = Some(1);
        assert!(!w.needs_confirmation());
        let free = WorkOrder { chargeable: false, total: 100, ..Default::default() };
        assert!(!free.needs_confirmation());
        assert_eq!(ConfirmInput { by: " ".into(), via: "fax".into() }.validate().unwrap_err().len(), 2);
    }
}
