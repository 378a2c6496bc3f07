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

/// Rounds `num / den` to the nearest integer, halves away from zero. `den` > 0.
pub fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if r.abs() * 2 >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Exchange rates in force on one date (O7): units of the base currency for one unit
/// of each other currency, times [`Rates::SCALE`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub base: Currency,
    pub micro: Vec<(Currency, i64)>,
}

impl Rates {
    pub const SCALE: i64 = 1_000_000;

    pub fn rate(&self, c: Currency) -> Option<i64> {
        if c == self.base {
            return Some(Self::SCALE);
        }
        self.micro.iter().find(|(k, _)| *k == c).map(|(_, r)| *r)
    }

    /// `minor` units of `from` in minor units of `to`, through the base currency,
    /// rounded once at the end (half away from zero). `None` without a rate.
    pub fn convert(&self, minor: i64, from: Currency, to: Currency) -> Option<i64> {
        if from == to {
            return Some(minor);
        }
        let (rf, rt) = (self.rate(from)? as i128, self.rate(to)? as i128);
        let num = minor as i128 * rf * 10_i128.pow(to.exponent());
        let den = rt * 10_i128.pow(from.exponent());
        i64::try_from(div_round(num, den)).ok()
    }
}

/// Parses a rate as typed ("7.1234") into millionths; positive, at most six decimals.
pub fn parse_rate_micro(s: &str) -> Option<i64> {
    let t = s.trim().replace(',', "");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 6 {
        return None;
    }
    let v = whole.parse::<i64>().ok()?.checked_mul(Rates::SCALE)?.checked_add(format!("{frac:0<6}").parse().ok()?)?;
    (v > 0).then_some(v)
}

/// Millionths as a rate without trailing zeros: 7123400 → "7.1234".
pub fn format_rate_micro(micro: i64) -> String {
    let (whole, frac) = (micro / Rates::SCALE, micro % Rates::SCALE);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:06}").trim_end_matches('0'))
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

    #[test]
    fn conversion_goes_through_the_base_and_rounds_once() {
        let rates =
            Rates { base: Currency::Cny, micro: vec![(Currency::Usd, 7_123_400), (Currency::Twd, 225_000), (Currency::Eur, 7_700_000)] };
        // 100.00 USD = 712.34 CNY.
        assert_eq!(rates.convert(10_000, Currency::Usd, Currency::Cny), Some(71_234));
        // 712.34 CNY back to USD is exactly 100.00.
        assert_eq!(rates.convert(71_234, Currency::Cny, Currency::Usd), Some(10_000));
        // 1 000 TWD (no minor unit) = 225.00 CNY; 1.00 CNY = 4.44… TWD → 4.
        assert_eq!(rates.convert(1_000, Currency::Twd, Currency::Cny), Some(22_500));
        assert_eq!(rates.convert(100, Currency::Cny, Currency::Twd), Some(4));
        // Cross rate without passing through rounded CNY: 100.00 EUR = 108.09 USD.
        assert_eq!(rates.convert(10_000, Currency::Eur, Currency::Usd), Some(10_809));
        assert_eq!(rates.convert(5, Currency::Hkd, Currency::Cny), None, "no HKD rate");
        assert_eq!(rates.convert(5, Currency::Hkd, Currency::Hkd), Some(5));
        assert_eq!(rates.convert(-10_000, Currency::Usd, Currency::Cny), Some(-71_234));
        assert_eq!(parse_rate_micro("7.1234"), Some(7_123_400));
        assert_eq!(parse_rate_micro("0.0045"), Some(4_500));
        assert_eq!(parse_rate_micro("0"), None);
        assert_eq!(parse_rate_micro("1.1234567"), None);
        assert_eq!(format_rate_micro(7_123_400), "7.1234");
        assert_eq!(format_rate_micro(7_000_000), "7");
        assert_eq!(div_round(-15, 2), -8);
        assert_eq!(div_round(14, 4), 4);
    }
}
