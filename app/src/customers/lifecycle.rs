//! The lifecycle status rule (C2).
//!
//! - `lost` is a salesperson's judgement and is never changed by the rule.
//! - With a transaction (order, contract or payment) in the last `DORMANT_AFTER_DAYS`
//!   days the customer is `transacting`.
//! - With transactions, all older than that, the customer is `dormant`.
//! - Without any transaction the status is what the salesperson set (`potential`
//!   unless they chose otherwise), so the rule only ever moves customers on evidence.
//!
//! The transaction date is the latest confirmed order, contract or payment; the value
//! job (`value_service::recompute_all`, every 6 hours) applies the rule and audits
//! what it moved.
use crate::customers::types::CustomerStatus;

pub const DORMANT_AFTER_DAYS: i64 = 365;

pub fn derive_status(current: CustomerStatus, last_transaction_at: Option<i64>, now: i64) -> CustomerStatus {
    match (current, last_transaction_at) {
        (CustomerStatus::Lost, _) => CustomerStatus::Lost,
        (_, Some(t)) if now - t <= DORMANT_AFTER_DAYS * 86_400_000 => CustomerStatus::Transacting,
        (_, Some(_)) => CustomerStatus::Dormant,
        (s, None) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CustomerStatus::*;

    const DAY: i64 = 86_400_000;
    const NOW: i64 = 1_795_000_000_000;

    #[test]
    fn the_status_rule_table() {
        let cases = [
            (Potential, None, Potential),
            (Transacting, None, Transacting),
            (Potential, Some(NOW - 10 * DAY), Transacting),
            (Dormant, Some(NOW - 10 * DAY), Transacting),
            (Transacting, Some(NOW - 365 * DAY), Transacting),
            (Transacting, Some(NOW - 366 * DAY), Dormant),
            (Potential, Some(NOW - 900 * DAY), Dormant),
            (Lost, Some(NOW - DAY), Lost),
            (Lost, None, Lost),
        ];
        for (current, last, expected) in cases {
            assert_eq!(derive_status(current, last, NOW), expected, "{current:?} with {last:?}");
        }
    }
}
