//! Money is an integer of minor units plus an ISO 4217 currency code.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    #[default]
    Cny,
    Hkd,
    Twd,
    Usd,
    Eur,
}

impl Currency {
    pub const ALL: [Currency; 5] = [Currency::Cny, Currency::Hkd, Currency::Twd, Currency::Usd, Currency::Eur];
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Hkd => "HKD",
            Currency::Twd => "TWD",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(s.trim()))
    }
    /// Digits after the decimal point.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Twd => 0,
            _ => 2,
        }
    }
}

/// Parses an amount as people type it ("50,000", "1 234.5", "１２３") into minor units.
/// Refuses more decimals than the currency has, signs, and anything that is not a number.
pub fn parse_amount(s: &str, currency: Currency) -> Option<i64> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            c => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_' | '¥' | '￥' | '$'))
        .collect();
    if t.is_empty() {
        return None;
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let exp = currency.exponent() as usize;
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > exp {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if exp == 0 { 0 } else { format!("{frac:0<exp$}").parse().ok()? };
    whole.checked_mul(10_i64.pow(exp as u32))?.checked_add(frac)
}

/// Formats minor units with thousands separators: 5000000 CNY → "50,000.00".
pub fn format_amount(minor: i64, currency: Currency) -> String {
    let exp = currency.exponent();
    let unit = 10_i64.pow(exp);
    let (sign, abs) = if minor < 0 { ("-", minor.unsigned_abs()) } else { ("", minor as u64) };
    let whole = (abs / unit as u64).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if exp == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{:0width$}", abs % unit as u64, width = exp as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_as_typed_and_round_trip() {
        assert_eq!(parse_amount("50,000", Currency::Cny), Some(5_000_000));
        assert_eq!(parse_amount("1 234.5", Currency::Cny), Some(123_450));
        assert_eq!(parse_amount("￥１２３．４５", Currency::Cny), Some(12_345));
        assert_eq!(parse_amount("100", Currency::Twd), Some(100));
        assert_eq!(parse_amount("1.005", Currency::Cny), None, "more decimals than the currency has");
        assert_eq!(parse_amount("12.5", Currency::Twd), None);
        assert_eq!(parse_amount("-5", Currency::Cny), None);
        assert_eq!(parse_amount("abc", Currency::Cny), None);
        assert_eq!(parse_amount("99999999999999999999", Currency::Cny), None, "overflow is refused");
        assert_eq!(format_amount(5_000_000, Currency::Cny), "50,000.00");
        assert_eq!(format_amount(123_450, Currency::Usd), "1,234.50");
        assert_eq!(format_amount(1_000_000, Currency::Twd), "1,000,000");
        assert_eq!(format_amount(-5, Currency::Cny), "-0.05");
        for v in [0, 1, 99, 100, 123_456_789] {
            assert_eq!(parse_amount(&format_amount(v, Currency::Cny), Currency::Cny), Some(v));
        }
    }
}
