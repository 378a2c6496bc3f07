//! Exchange rates and numbering rules as the settings pages show them.
use crate::platform::error::FieldError;
use crate::platform::money::{parse_rate_micro, Currency};
use crate::platform::numbering::NumberingRule;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ExchangeRate {
    pub id: i64,
    pub currency: String,
    pub rate_date: String,
    /// Base-currency units for one unit of `currency`, × 1 000 000.
    pub rate_micro: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatesPage {
    pub base: String,
    /// Newest first.
    pub rates: Vec<ExchangeRate>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RateInput {
    pub currency: String,
    pub rate_date: String,
    pub rate: String,
}

impl RateInput {
    pub fn validate(&self, base: Currency) -> Result<(Currency, String, i64), Vec<FieldError>> {
        let mut errors = Vec::new();
        let currency = match Currency::from_code(&self.currency) {
            Some(c) if c == base => {
                errors.push(FieldError::new("currency", "validation.base_currency_rate"));
                c
            }
            Some(c) => c,
            None => {
                errors.push(FieldError::new("currency", "validation.invalid_choice"));
                base
            }
        };
        let date = self.rate_date.trim().to_string();
        if date.len() != 10 || crate::platform::time::parse_date_ms(&date, 0).is_none() {
            errors.push(FieldError::new("rate_date", "validation.date"));
        }
        let rate = parse_rate_micro(&self.rate).unwrap_or_else(|| {
            errors.push(FieldError::new("rate", "validation.rate"));
            0
        });
        if errors.is_empty() {
            Ok((currency, date, rate))
        } else {
            Err(errors)
        }
    }
}

/// The numbering rules with the number each would give next today.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberingPage {
    pub rules: Vec<(NumberingRule, String)>,
    /// The company's local date, for previews.
    pub today: (i64, i64, i64),
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_checked_against_the_base() {
        let ok = RateInput { currency: "usd".into(), rate_date: "2026-11-30".into(), rate: "7.1234".into() };
        assert_eq!(ok.validate(Currency::Cny).unwrap(), (Currency::Usd, "2026-11-30".to_string(), 7_123_400));
        let base = RateInput { currency: "CNY".into(), rate_date: "2026-02-30".into(), rate: "-1".into() };
        let errs = base.validate(Currency::Cny).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("currency", "validation.base_currency_rate"), ("rate_date", "validation.date"), ("rate", "validation.rate")]);
    }
}
