//! Products, services and price policies (O1, O2): types shared by the browser and the
//! server, and the price precedence rule every document line is priced by.
use crate::platform::error::FieldError;
use crate::platform::money::{div_round, parse_amount, Currency};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const CODE_MAX: usize = 40;
pub const TEXT_MAX: usize = 2000;
/// Quantities are thousandths of the product's unit.
pub const QTY_SCALE: i64 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductKind {
    Product,
    Service,
}

impl ProductKind {
    pub const ALL: [ProductKind; 2] = [ProductKind::Product, ProductKind::Service];
    pub fn code(self) -> &'static str {
        match self {
            ProductKind::Product => "product",
            ProductKind::Service => "service",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub category: String,
    pub unit: String,
    pub currency: String,
    pub list_price: i64,
    pub cost: i64,
    pub tax_rate_bp: i64,
    pub description: String,
    pub active: bool,
    pub version: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
}

impl Product {
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
    pub fn to_input(&self) -> ProductInput {
        let c = self.currency();
        ProductInput {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            category: self.category.clone(),
            unit: self.unit.clone(),
            currency: self.currency.clone(),
            list_price: crate::platform::money::format_amount(self.list_price, c).replace(',', ""),
            cost: crate::platform::money::format_amount(self.cost, c).replace(',', ""),
            tax_rate: format_rate_bp(self.tax_rate_bp),
            description: self.description.clone(),
            active: self.active,
        }
    }
}

/// A product as the form sends it: text as typed, checked by [`ProductInput::validate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductInput {
    /// Empty: the next number from the `product` numbering rule.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub category: String,
    pub unit: String,
    pub currency: String,
    pub list_price: String,
    pub cost: String,
    /// Percent, e.g. "13" or "6.5".
    pub tax_rate: String,
    pub description: String,
    pub active: bool,
}

impl Default for ProductInput {
    fn default() -> Self {
        ProductInput {
            code: String::new(),
            name: String::new(),
            kind: ProductKind::Product.code().into(),
            category: String::new(),
            unit: String::new(),
            currency: Currency::Cny.code().into(),
            list_price: String::new(),
            cost: String::new(),
            tax_rate: String::new(),
            description: String::new(),
            active: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidProduct {
    pub code: Option<String>,
    pub name: String,
    pub kind: ProductKind,
    pub category: String,
    pub unit: String,
    pub currency: Currency,
    pub list_price: i64,
    pub cost: i64,
    pub tax_rate_bp: i64,
    pub description: String,
    pub active: bool,
}

fn too_long(errors: &mut Vec<FieldError>, field: &str, v: &str, max: usize) {
    if v.chars().count() > max {
        errors.push(FieldError::new(field, "validation.too_long"));
    }
}

fn currency_field(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Currency {
    if v.trim().is_empty() {
        return Currency::default();
    }
    Currency::from_code(v).unwrap_or_else(|| {
        errors.push(FieldError::new(field, "validation.invalid_choice"));
        Currency::default()
    })
}

fn amount_field(errors: &mut Vec<FieldError>, field: &str, v: &str, currency: Currency) -> Option<i64> {
    if v.trim().is_empty() {
        return None;
    }
    let parsed = parse_amount(v, currency);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "validation.amount"));
    }
    parsed
}

impl ProductInput {
    pub fn validate(&self) -> Result<ValidProduct, Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = self.code.trim().to_string();
        let name = self.name.trim().to_string();
        too_long(&mut errors, "code", &code, CODE_MAX);
        too_long(&mut errors, "name", &name, NAME_MAX);
        too_long(&mut errors, "category", self.category.trim(), 50);
        too_long(&mut errors, "unit", self.unit.trim(), 20);
        too_long(&mut errors, "description", &self.description, TEXT_MAX);
        if name.is_empty() {
            errors.push(FieldError::new("name", "validation.required"));
        }
        let kind = ProductKind::from_code(&self.kind).unwrap_or_else(|| {
            errors.push(FieldError::new("kind", "validation.invalid_choice"));
            ProductKind::Product
        });
        let currency = currency_field(&mut errors, "currency", &self.currency);
        let list_price = amount_field(&mut errors, "list_price", &self.list_price, currency).unwrap_or(0);
        let cost = amount_field(&mut errors, "cost", &self.cost, currency).unwrap_or(0);
        let tax_rate_bp = match self.tax_rate.trim() {
            "" => 0,
            t => match parse_rate_bp(t) {
                Some(bp) if bp <= 10_000 => bp,
                _ => {
                    errors.push(FieldError::new("tax_rate", "validation.percent"));
                    0
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidProduct {
            code: (!code.is_empty()).then_some(code),
            name,
            kind,
            category: self.category.trim().to_string(),
            unit: self.unit.trim().to_string(),
            currency,
            list_price,
            cost,
            tax_rate_bp,
            description: self.description.trim().to_string(),
            active: self.active,
        })
    }
}

/// Parses a percentage as typed ("13", "6.5", "12.75 %") into basis points.
pub fn parse_rate_bp(s: &str) -> Option<i64> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    parse_amount(t, Currency::Cny)
}

/// Basis points as a percentage without trailing zeros: 1300 → "13", 650 → "6.5".
pub fn format_rate_bp(bp: i64) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// Parses a quantity as typed ("3", "2.5", "1,000", "０.５") into thousandths; positive only.
pub fn parse_qty(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    let t = t.replace('．', ".");
    let t: String = t
        .chars()
        .map(|c| if ('０'..='９').contains(&c) { char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c) } else { c })
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 3 {
        return None;
    }
    let v = whole.parse::<i64>().ok()?.checked_mul(QTY_SCALE)? + format!("{frac:0<3}").parse::<i64>().ok()?;
    (v > 0).then_some(v)
}

/// Thousandths of a unit as a short number: 2500 → "2.5", 3000 → "3".
pub fn format_qty(milli: i64) -> String {
    let (whole, frac) = (milli / QTY_SCALE, milli % QTY_SCALE);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// One page of the catalog.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductQuery {
    /// Part of the code or name.
    pub q: Option<String>,
    pub category: Option<String>,
    /// Also list products no longer sold.
    pub inactive: bool,
    /// Keyset: the (name, id) of the last row of the previous page.
    pub after: Option<(String, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub rows: Vec<Product>,
    pub next: Option<(String, i64)>,
}

/// Whom a price policy applies to, from most to least specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PolicyTarget {
    Customer,
    Level,
    Region,
    All,
}

impl PolicyTarget {
    pub const ALL: [PolicyTarget; 4] = [PolicyTarget::Customer, PolicyTarget::Level, PolicyTarget::Region, PolicyTarget::All];
    pub fn code(self) -> &'static str {
        match self {
            PolicyTarget::Customer => "customer",
            PolicyTarget::Level => "level",
            PolicyTarget::Region => "region",
            PolicyTarget::All => "all",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PricePolicy {
    pub id: i64,
    pub product_id: i64,
    pub name: String,
    pub target: String,
    pub customer_id: Option<i64>,
    /// Filled in for display; not a column of the policy.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub customer_name: Option<String>,
    pub target_value: String,
    pub min_qty_milli: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub currency: String,
    pub price: Option<i64>,
    pub discount_bp: Option<i64>,
    pub active: bool,
    pub version: i64,
}

impl PricePolicy {
    pub fn target(&self) -> PolicyTarget {
        PolicyTarget::from_code(&self.target).unwrap_or(PolicyTarget::All)
    }
    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or_default()
    }
    pub fn to_input(&self) -> PricePolicyInput {
        let c = self.currency();
        PricePolicyInput {
            name: self.name.clone(),
            target: self.target.clone(),
            customer_id: self.customer_id,
            target_value: self.target_value.clone(),
            min_qty: if self.min_qty_milli > 0 { format_qty(self.min_qty_milli) } else { String::new() },
            valid_from: self.valid_from.clone().unwrap_or_default(),
            valid_to: self.valid_to.clone().unwrap_or_default(),
            currency: self.currency.clone(),
            price: self.price.map(|p| crate::platform::money::format_amount(p, c).replace(',', "")).unwrap_or_default(),
            discount: self.discount_bp.map(format_rate_bp).unwrap_or_default(),
            active: self.active,
        }
    }
    /// Whether the policy is a candidate for this sale (precedence step 1).
    pub fn applies(&self, sale: &Sale) -> bool {
        let in_range = self.valid_from.as_deref().is_none_or(|f| f <= sale.date.as_str())
            && self.valid_to.as_deref().is_none_or(|t| sale.date.as_str() <= t);
        let target = match self.target() {
            PolicyTarget::Customer => sale.customer_id.is_some() && self.customer_id == sale.customer_id,
            PolicyTarget::Level => sale.level.as_deref().is_some_and(|l| !l.is_empty() && l == self.target_value),
            PolicyTarget::Region => sale.region.as_deref().is_some_and(|r| !r.is_empty() && r == self.target_value),
            PolicyTarget::All => true,
        };
        self.active && in_range && target && self.min_qty_milli <= sale.qty_milli
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PricePolicyInput {
    pub name: String,
    pub target: String,
    pub customer_id: Option<i64>,
    pub target_value: String,
    /// Lowest quantity the policy applies from; empty for any.
    pub min_qty: String,
    /// `YYYY-MM-DD`, inclusive; empty for open.
    pub valid_from: String,
    pub valid_to: String,
    pub currency: String,
    /// A fixed unit price, or else
    pub price: String,
    /// a discount off the list price, in percent.
    pub discount: String,
    pub active: bool,
}

impl Default for PricePolicyInput {
    fn default() -> Self {
        PricePolicyInput {
            name: String::new(),
            target: PolicyTarget::All.code().into(),
            customer_id: None,
            target_value: String::new(),
            min_qty: String::new(),
            valid_from: String::new(),
            valid_to: String::new(),
            currency: Currency::Cny.code().into(),
            price: String::new(),
            discount: String::new(),
            active: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidPricePolicy {
    pub name: String,
    pub target: PolicyTarget,
    pub customer_id: Option<i64>,
    pub target_value: String,
    pub min_qty_milli: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub currency: Currency,
    pub price: Option<i64>,
    pub discount_bp: Option<i64>,
    pub active: bool,
}

fn date_field(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    if crate::platform::time::parse_date_ms(v, 0).is_none() || v.len() != 10 {
        errors.push(FieldError::new(field, "validation.date"));
        return None;
    }
    Some(v.to_string())
}

impl PricePolicyInput {
    pub fn validate(&self) -> Result<ValidPricePolicy, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_string();
        too_long(&mut errors, "name", &name, NAME_MAX);
        let target = PolicyTarget::from_code(&self.target).unwrap_or_else(|| {
            errors.push(FieldError::new("target", "validation.invalid_choice"));
            PolicyTarget::All
        });
        let target_value = self.target_value.trim().to_string();
        match target {
            PolicyTarget::Customer if self.customer_id.is_none() => errors.push(FieldError::new("customer_id", "validation.required")),
            PolicyTarget::Level | PolicyTarget::Region if target_value.is_empty() => {
                errors.push(FieldError::new("target_value", "validation.required"))
            }
            _ => too_long(&mut errors, "target_value", &target_value, 100),
        }
        let min_qty_milli = match self.min_qty.trim() {
            "" => 0,
            q => parse_qty(q).unwrap_or_else(|| {
                errors.push(FieldError::new("min_qty", "validation.quantity"));
                0
            }),
        };
        let valid_from = date_field(&mut errors, "valid_from", &self.valid_from);
        let valid_to = date_field(&mut errors, "valid_to", &self.valid_to);
        if let (Some(f), Some(t)) = (&valid_from, &valid_to) {
            if t < f {
                errors.push(FieldError::new("valid_to", "validation.date_order"));
            }
        }
        let currency = currency_field(&mut errors, "currency", &self.currency);
        let price = amount_field(&mut errors, "price", &self.price, currency);
        let discount_bp = match self.discount.trim() {
            "" => None,
            d => match parse_rate_bp(d) {
                Some(bp) if bp <= 10_000 => Some(bp),
                _ => {
                    errors.push(FieldError::new("discount", "validation.percent"));
                    None
                }
            },
        };
        let price_typed = !self.price.trim().is_empty();
        let discount_typed = !self.discount.trim().is_empty();
        if price_typed == discount_typed {
            errors.push(FieldError::new("price", "validation.price_or_discount"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidPricePolicy {
            name,
            target,
            customer_id: if target == PolicyTarget::Customer { self.customer_id } else { None },
            target_value: if matches!(target, PolicyTarget::Level | PolicyTarget::Region) { target_value } else { String::new() },
            min_qty_milli,
            valid_from,
            valid_to,
            currency,
            price,
            discount_bp,
            active: self.active,
        })
    }
}

/// What a line is priced for: the customer (with its level and region), quantity and
/// the document date (`YYYY-MM-DD`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sale {
    pub customer_id: Option<i64>,
    pub level: Option<String>,
    pub region: Option<String>,
    pub qty_milli: i64,
    pub date: String,
}

/// The unit price chosen for a line, in the product's currency, and what set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceChoice {
    pub unit_price: i64,
    /// The policy that set the price; `None` for the list price.
    pub policy: Option<PricePolicy>,
}

/// The price precedence rule (O2), in order:
///
/// 1. Candidates are the product's active policies whose target matches the customer
///    (that customer, its level, its region, or everyone), whose date range holds the
///    document date, and whose quantity break is at most the line's quantity.
/// 2. The most specific target wins: customer, then level, then region, then everyone.
/// 3. Then the highest quantity break.
/// 4. Then the latest start date (a newer policy replaces an older one; an open start
///    is the oldest).
/// 5. Then the lowest unit price, so a tie goes to the customer.
/// 6. Then the lowest id, so the answer never depends on row order.
///
/// Without a candidate the list price applies. A fixed price in another currency is
/// turned into the product's currency by `convert` for step 5 and for the answer;
/// a policy `convert` cannot price (no exchange rate) is skipped. A discount is taken
/// off the list price, rounded half away from zero.
pub fn resolve_price(
    list_price: i64,
    product_currency: Currency,
    policies: &[PricePolicy],
    sale: &Sale,
    convert: impl Fn(i64, Currency, Currency) -> Option<i64>,
) -> PriceChoice {
    let priced = policies.iter().filter(|p| p.applies(sale)).filter_map(|p| {
        let unit = match (p.price, p.discount_bp) {
            (Some(price), _) if p.currency() == product_currency => price,
            (Some(price), _) => convert(price, p.currency(), product_currency)?,
            (None, Some(bp)) => div_round(list_price as i128 * (10_000 - bp as i128), 10_000) as i64,
            (None, None) => return None,
        };
        Some((p, unit))
    });
    let best = priced.min_by(|(a, ua), (b, ub)| {
        a.target()
            .cmp(&b.target())
            .then(b.min_qty_milli.cmp(&a.min_qty_milli))
            // `None` sorts first, so reversing puts the latest dated start first and open starts last.
            .then(b.valid_from.cmp(&a.valid_from))
            .then(ua.cmp(ub))
            .then(a.id.cmp(&b.id))
    });
    match best {
        Some((p, unit)) => PriceChoice { unit_price: unit, policy: Some(p.clone()) },
        None => PriceChoice { unit_price: list_price, policy: None },
    }
}

/// A price worked out on the server for a product, customer, quantity and date, in the
/// currency asked for (the price check on the product page; document lines later).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceQuote {
    pub currency: String,
    pub unit_price: i64,
    pub line_total: i64,
    pub list_price: i64,
    pub policy: Option<PricePolicy>,
    /// The exchange rate used (base units per unit, × 1 000 000) when currencies differ.
    pub rate_note: Option<String>,
}

/// The price check on a product's page: a customer (optional), quantity, date and currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceCheckInput {
    pub customer_id: Option<i64>,
    pub qty: String,
    /// `YYYY-MM-DD`; empty for today.
    pub date: String,
    /// Empty for the product's currency.
    pub currency: String,
}

impl PriceCheckInput {
    pub fn validate(&self) -> Result<(i64, Option<String>, Option<Currency>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let qty = parse_qty(&self.qty).unwrap_or_else(|| {
            errors.push(FieldError::new("qty", "validation.quantity"));
            0
        });
        let date = date_field(&mut errors, "date", &self.date);
        let currency = (!self.currency.trim().is_empty()).then(|| currency_field(&mut errors, "currency", &self.currency));
        if errors.is_empty() {
            Ok((qty, date, currency))
        } else {
            Err(errors)
        }
    }
}

/// A product's page: the record, its policies and what the user may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub product: Product,
    pub policies: Vec<PricePolicy>,
    pub can_edit: bool,
    pub can_delete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(
        id: i64,
        target: PolicyTarget,
        value: &str,
        min_qty: i64,
        from: Option<&str>,
        price: Option<i64>,
        discount: Option<i64>,
    ) -> PricePolicy {
        PricePolicy {
            id,
            product_id: 1,
            name: format!("p{id}"),
            target: target.code().into(),
            customer_id: (target == PolicyTarget::Customer).then(|| value.parse().unwrap()),
            customer_name: None,
            target_value: if matches!(target, PolicyTarget::Level | PolicyTarget::Region) { value.into() } else { String::new() },
            min_qty_milli: min_qty * QTY_SCALE,
            valid_from: from.map(String::from),
            valid_to: None,
            currency: "CNY".into(),
            price,
            discount_bp: discount,
            active: true,
            version: 1,
        }
    }

    fn sale(qty: i64, date: &str) -> Sale {
        Sale { customer_id: Some(7), level: Some("A".into()), region: Some("华东".into()), qty_milli: qty * QTY_SCALE, date: date.into() }
    }

    fn no_fx(_: i64, _: Currency, _: Currency) -> Option<i64> {
        None
    }

    fn winner(policies: &[PricePolicy], s: &Sale) -> (Option<i64>, i64) {
        let c = resolve_price(10_000, Currency::Cny, policies, s, no_fx);
        (c.policy.map(|p| p.id), c.unit_price)
    }

    #[test]
    fn the_most_specific_target_wins_even_when_dearer() {
        let ps = vec![
            policy(1, PolicyTarget::All, "", 0, None, Some(5_000), None),
            policy(2, PolicyTarget::Region, "华东", 0, None, Some(7_000), None),
            policy(3, PolicyTarget::Level, "A", 0, None, Some(8_000), None),
            policy(4, PolicyTarget::Customer, "7", 0, None, Some(9_000), None),
        ];
        let s = sale(1, "2026-11-30");
        assert_eq!(winner(&ps, &s), (Some(4), 9_000));
        assert_eq!(winner(&ps[..3], &s), (Some(3), 8_000));
        assert_eq!(winner(&ps[..2], &s), (Some(2), 7_000));
        assert_eq!(winner(&ps[..1], &s), (Some(1), 5_000));
        // Another customer, level and region only get the policy for everyone.
        let other = Sale { customer_id: Some(8), level: Some("B".into()), region: Some("华南".into()), ..s };
        assert_eq!(winner(&ps, &other), (Some(1), 5_000));
        assert_eq!(winner(&[], &other), (None, 10_000), "without a policy the list price applies");
    }

    #[test]
    fn quantity_breaks_dates_and_price_order_the_rest() {
        let ps = vec![
            policy(1, PolicyTarget::All, "", 0, None, None, Some(500)),
            policy(2, PolicyTarget::All, "", 10, None, None, Some(1_000)),
            policy(3, PolicyTarget::All, "", 100, None, None, Some(2_000)),
        ];
        assert_eq!(winner(&ps, &sale(5, "2026-11-30")), (Some(1), 9_500));
        assert_eq!(winner(&ps, &sale(10, "2026-11-30")), (Some(2), 9_000), "the break is inclusive");
        assert_eq!(winner(&ps, &sale(500, "2026-11-30")), (Some(3), 8_000));
        // Same target and break: the later start date replaces the earlier one.
        let dated = vec![
            policy(1, PolicyTarget::All, "", 0, None, Some(6_000), None),
            policy(2, PolicyTarget::All, "", 0, Some("2026-01-01"), Some(9_000), None),
            policy(3, PolicyTarget::All, "", 0, Some("2026-06-01"), Some(8_000), None),
        ];
        assert_eq!(winner(&dated, &sale(1, "2026-07-01")), (Some(3), 8_000));
        assert_eq!(winner(&dated, &sale(1, "2026-03-01")), (Some(2), 9_000));
        assert_eq!(winner(&dated, &sale(1, "2025-12-31")), (Some(1), 6_000));
        // All else equal: the lower price, then the lower id.
        let tied = vec![
            policy(5, PolicyTarget::All, "", 0, None, Some(7_000), None),
            policy(4, PolicyTarget::All, "", 0, None, Some(7_000), None),
        ];
        assert_eq!(winner(&tied, &sale(1, "2026-07-01")), (Some(4), 7_000));
        let cheaper = vec![
            policy(4, PolicyTarget::All, "", 0, None, Some(7_000), None),
            policy(5, PolicyTarget::All, "", 0, None, Some(6_999), None),
        ];
        assert_eq!(winner(&cheaper, &sale(1, "2026-07-01")), (Some(5), 6_999));
    }

    #[test]
    fn inactive_out_of_range_and_unpriceable_policies_are_skipped() {
        let mut off = policy(1, PolicyTarget::All, "", 0, None, Some(1_000), None);
        off.active = false;
        let mut ended = policy(2, PolicyTarget::All, "", 0, Some("2026-01-01"), Some(2_000), None);
        ended.valid_to = Some("2026-06-30".into());
        let mut usd = policy(3, PolicyTarget::All, "", 0, None, Some(100), None);
        usd.currency = "USD".into();
        let ps = vec![off, ended, usd];
        assert_eq!(winner(&ps, &sale(1, "2026-07-01")), (None, 10_000));
        assert_eq!(winner(&ps, &sale(1, "2026-06-30")), (Some(2), 2_000), "the end date is inclusive");
        // With a rate the dollar price is converted into the product's currency.
        let c = resolve_price(10_000, Currency::Cny, &ps, &sale(1, "2026-07-01"), |m, _, _| Some(m * 7));
        assert_eq!((c.policy.map(|p| p.id), c.unit_price), (Some(3), 700));
        // No customer on the sale: customer, level and region policies never apply.
        let anon = Sale { qty_milli: 1_000, date: "2026-07-01".into(), ..Default::default() };
        let targeted = vec![
            policy(4, PolicyTarget::Customer, "7", 0, None, Some(1), None),
            policy(5, PolicyTarget::Level, "A", 0, None, Some(2), None),
        ];
        assert_eq!(winner(&targeted, &anon), (None, 10_000));
    }

    #[test]
    fn discounts_round_half_away_from_zero() {
        let ps = vec![policy(1, PolicyTarget::All, "", 0, None, None, Some(333))];
        // 999 × 96.67 % = 965.733 → 966; 15 × 50 % = 7.5 → 8.
        assert_eq!(resolve_price(999, Currency::Cny, &ps, &sale(1, "2026-01-01"), no_fx).unit_price, 966);
        let half = vec![policy(1, PolicyTarget::All, "", 0, None, None, Some(5_000))];
        assert_eq!(resolve_price(15, Currency::Cny, &half, &sale(1, "2026-01-01"), no_fx).unit_price, 8);
    }

    #[test]
    fn quantities_rates_and_inputs_parse_as_typed() {
        assert_eq!(parse_qty("2.5"), Some(2_500));
        assert_eq!(parse_qty("1,000"), Some(1_000_000));
        assert_eq!(parse_qty("０．５"), Some(500));
        assert_eq!(parse_qty("0"), None);
        assert_eq!(parse_qty("1.2345"), None);
        assert_eq!(parse_qty("-1"), None);
        assert_eq!(format_qty(2_500), "2.5");
        assert_eq!(format_qty(3_000), "3");
        assert_eq!(format_qty(1_005), "1.005");
        assert_eq!(parse_rate_bp("13"), Some(1_300));
        assert_eq!(parse_rate_bp("6.5 %"), Some(650));
        assert_eq!(format_rate_bp(650), "6.5");
        assert_eq!(format_rate_bp(1_275), "12.75");
        let bad = PricePolicyInput { price: "10".into(), discount: "5".into(), ..Default::default() };
        assert!(bad.validate().unwrap_err().iter().any(|e| e.field == "price" && e.code == "validation.price_or_discount"));
        let level = PricePolicyInput {
            target: "level".into(),
            discount: "5".into(),
            valid_from: "2026-02-01".into(),
            valid_to: "2026-01-01".into(),
            ..Default::default()
        };
        let errs = level.validate().unwrap_err();
        assert!(errs.iter().any(|e| e.field == "target_value"));
        assert!(errs.iter().any(|e| e.field == "valid_to" && e.code == "validation.date_order"));
        let p = ProductInput { name: "服务器".into(), list_price: "12,800.50".into(), tax_rate: "13".into(), ..Default::default() };
        let v = p.validate().unwrap();
        assert_eq!((v.list_price, v.tax_rate_bp, v.code), (1_280_050, 1_300, None));
        let bad = ProductInput { name: String::new(), list_price: "1.234".into(), tax_rate: "120".into(), ..Default::default() };
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "list_price", "tax_rate"]);
    }
}
