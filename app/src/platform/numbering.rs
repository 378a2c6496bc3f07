//! Document numbers: a prefix, an optional date part and a sequence that restarts with
//! each new date part, e.g. `QT20261130-0007`. Rules are edited in settings.
use serde::{Deserialize, Serialize};

/// The documents that carry a number, in settings order.
pub const DOC_KINDS: [&str; 6] = ["product", "quote", "order", "contract", "invoice", "payment"];
pub const DATE_PARTS: [&str; 4] = ["none", "yyyy", "yyyymm", "yyyymmdd"];
pub const PREFIX_MAX: usize = 12;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NumberingRule {
    pub doc_kind: String,
    pub prefix: String,
    pub date_part: String,
    pub digits: i64,
    pub version: i64,
}

impl NumberingRule {
    /// The date part of a number for a local date: the counter restarts when it changes.
    pub fn period(&self, (y, m, d): (i64, i64, i64)) -> String {
        match self.date_part.as_str() {
            "yyyy" => format!("{y:04}"),
            "yyyymm" => format!("{y:04}{m:02}"),
            "yyyymmdd" => format!("{y:04}{m:02}{d:02}"),
            _ => String::new(),
        }
    }

    /// The number with sequence `seq` on a local date. A sequence longer than the digits
    /// keeps all its digits, so numbers stay unique.
    pub fn format(&self, date: (i64, i64, i64), seq: i64) -> String {
        let period = self.period(date);
        let width = self.digits.clamp(1, 10) as usize;
        if period.is_empty() {
            format!("{}{seq:0width$}", self.prefix)
        } else {
            format!("{}{period}-{seq:0width$}", self.prefix)
        }
    }
}

/// A rule as the settings form sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberingInput {
    pub prefix: String,
    pub date_part: String,
    pub digits: String,
}

impl NumberingInput {
    pub fn validate(&self) -> Result<(String, String, i64), Vec<crate::platform::error::FieldError>> {
        use crate::platform::error::FieldError;
        let mut errors = Vec::new();
        let prefix = self.prefix.trim().to_string();
        if prefix.chars().count() > PREFIX_MAX {
            errors.push(FieldError::new("prefix", "validation.too_long"));
        } else if !prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')) {
            errors.push(FieldError::new("prefix", "validation.code_chars"));
        }
        if !DATE_PARTS.contains(&self.date_part.as_str()) {
            errors.push(FieldError::new("date_part", "validation.invalid_choice"));
        }
        let digits = match self.digits.trim().parse::<i64>() {
            Ok(d) if (1..=10).contains(&d) => d,
            _ => {
                errors.push(FieldError::new("digits", "validation.range"));
                0
            }
        };
        if errors.is_empty() {
            Ok((prefix, self.date_part.clone(), digits))
        } else {
            Err(errors)
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::NumberingRule;
    use crate::platform::db::{sql, Tx};

    pub async fn rules(tx: &mut Tx) -> Result<Vec<NumberingRule>, sqlx::Error> {
        sql("SELECT doc_kind, prefix, date_part, digits, version FROM numbering_rules").fetch_all(tx).await
    }

    /// The next number of `doc_kind` on the local date `date`, taken inside the caller's
    /// write transaction: the counter row stays locked until it commits (PostgreSQL row
    /// lock; SQLite's single writer), and a rollback gives the number back, so the
    /// numbers of one sequence have no gaps and no repeats.
    pub async fn next_number(tx: &mut Tx, doc_kind: &str, date: (i64, i64, i64)) -> Result<String, sqlx::Error> {
        let rule: NumberingRule = sql("SELECT doc_kind, prefix, date_part, digits, version FROM numbering_rules WHERE doc_kind = $1")
            .arg_text(doc_kind)
            .fetch_optional(tx)
            .await?
            .unwrap_or(NumberingRule { doc_kind: doc_kind.into(), prefix: String::new(), date_part: "none".into(), digits: 4, version: 0 });
        let period = rule.period(date);
        let seq = sql("INSERT INTO numbering_counters (doc_kind, period, last_value) VALUES ($1, $2, 1) \
                       ON CONFLICT (doc_kind, period) DO UPDATE SET last_value = numbering_counters.last_value + 1 \
                       RETURNING last_value")
        .arg_text(doc_kind)
        .arg_text(period)
        .fetch_i64(tx)
        .await?;
        Ok(rule.format(date, seq))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(prefix: &str, date_part: &str, digits: i64) -> NumberingRule {
        NumberingRule { doc_kind: "quote".into(), prefix: prefix.into(), date_part: date_part.into(), digits, version: 1 }
    }

    #[test]
    fn numbers_carry_prefix_date_and_padded_sequence() {
        let d = (2026, 11, 30);
        assert_eq!(rule("QT", "yyyymmdd", 4).format(d, 7), "QT20261130-0007");
        assert_eq!(rule("HT-", "yyyymm", 3).format(d, 12), "HT-202611-012");
        assert_eq!(rule("", "yyyy", 2).format(d, 5), "2026-05");
        assert_eq!(rule("P", "none", 5).format(d, 42), "P00042");
        assert_eq!(rule("P", "none", 2).format(d, 1234), "P1234", "a long sequence keeps its digits");
        // The period decides when the sequence restarts.
        assert_eq!(rule("QT", "yyyymm", 4).period((2026, 1, 31)), rule("QT", "yyyymm", 4).period((2026, 1, 1)));
        assert_ne!(rule("QT", "yyyymmdd", 4).period((2026, 1, 31)), rule("QT", "yyyymmdd", 4).period((2026, 1, 1)));
        assert_eq!(rule("QT", "none", 4).period((2026, 1, 31)), "");
    }

    #[test]
    fn rule_input_is_checked() {
        let ok = NumberingInput { prefix: " SO-".into(), date_part: "yyyymm".into(), digits: "5".into() };
        assert_eq!(ok.validate().unwrap(), ("SO-".to_string(), "yyyymm".to_string(), 5));
        let bad = NumberingInput { prefix: "报价".into(), date_part: "weekly".into(), digits: "0".into() };
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["prefix", "date_part", "digits"]);
    }
}
