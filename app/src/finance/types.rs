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

/// The seller on printed documents (quotes, orders, contracts, invoices).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyProfile {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub tax_id: String,
    pub bank_name: String,
    pub bank_account: String,
}

/// The profile with the stored text it was read from: saving compares that text, so
/// two administrators never silently overwrite each other (optimistic lock).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyProfilePage {
    pub profile: CompanyProfile,
    pub stamp: String,
    pub can_edit: bool,
}

impl CompanyProfile {
    /// Trims every field and checks it; `name` is required.
    pub fn validate(&self) -> Result<CompanyProfile, Vec<FieldError>> {
        use crate::customers::types::{is_valid_email, is_valid_phone, is_valid_website};
        let mut errors = Vec::new();
        let v = CompanyProfile {
            name: self.name.trim().to_string(),
            address: self.address.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_lowercase(),
            website: self.website.trim().to_string(),
            tax_id: self.tax_id.trim().to_uppercase(),
            bank_name: self.bank_name.trim().to_string(),
            bank_account: self.bank_account.trim().to_string(),
        };
        let mut too_long = |field: &str, value: &str, max: usize| {
            if value.chars().count() > max {
                errors.push(FieldError::new(field, "validation.too_long"));
                true
            } else {
                false
            }
        };
        let long = [
            too_long("name", &v.name, 100),
            too_long("address", &v.address, 200),
            too_long("phone", &v.phone, 40),
            too_long("email", &v.email, 100),
            too_long("website", &v.website, 100),
            too_long("bank_name", &v.bank_name, 100),
        ];
        if v.name.is_empty() {
            errors.push(FieldError::new("name", "validation.required"));
        }
        if !long[2] && !v.phone.is_empty() && !is_valid_phone(&v.phone) {
            errors.push(FieldError::new("phone", "validation.phone"));
        }
        if !long[3] && !v.email.is_empty() && !is_valid_email(&v.email) {
            errors.push(FieldError::new("email", "validation.email"));
        }
        if !long[4] && !v.website.is_empty() && !is_valid_website(&v.website) {
            errors.push(FieldError::new("website", "validation.website"));
        }
        if !v.tax_id.is_empty() && (!(8..=30).contains(&v.tax_id.chars().count()) || !v.tax_id.chars().all(|c| c.is_ascii_alphanumeric())) {
            errors.push(FieldError::new("tax_id", "validation.tax_id"));
        }
        let account: String = v.bank_account.chars().filter(|c| *c != ' ').collect();
        if account.len() > 34 || !account.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            errors.push(FieldError::new("bank_account", "validation.bank_account"));
        }
        if errors.is_empty() {
            Ok(v)
        } else {
            Err(errors)
        }
    }
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

    #[test]
    fn a_company_profile_needs_a_name_and_well_formed_contacts() {
        let ok = CompanyProfile {
            name: " 云帆软件 ".into(),
            tax_id: "91110108mA01abcd2x".into(),
            bank_account: "1109 0000 0001".into(),
            ..Default::default()
        };
        let v = ok.validate().unwrap();
        assert_eq!((v.name.as_str(), v.tax_id.as_str()), ("云帆软件", "91110108MA01ABCD2X"));
        let bad =
            CompanyProfile { email: "x@".into(), phone: "12".into(), website: "nope".into(), tax_id: "12".into(), ..Default::default() };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "phone", "email", "website", "tax_id"]);
    }
}
