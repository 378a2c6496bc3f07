//! The customer value model (客户价值评估, C7, C8): indicators with weights give a
//! 0–100 score; bands (user-defined names and thresholds) turn scores into the
//! customer pyramid. Every score carries the indicators that made it.
//!
//! Indicators: follow-ups, recency, importance, relationship, company type, credit
//! limit and contacts, and from collection (issue 5) payments received in the last
//! twelve months and paying on time (active contracts with nothing overdue).
use serde::{Deserialize, Serialize};

pub const INDICATORS: [&str; 9] =
    ["activity_90d", "recency", "importance", "relationship", "company_type", "credit_limit", "contacts", "payments_12m", "on_time"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    /// Lowest score in the band.
    pub min_score: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueModel {
    /// (indicator code, weight 0–100).
    pub weights: Vec<(String, i64)>,
    /// Highest band first.
    pub bands: Vec<Band>,
}

impl Default for ValueModel {
    fn default() -> Self {
        ValueModel {
            weights: vec![
                ("activity_90d".into(), 25),
                ("recency".into(), 20),
                ("importance".into(), 20),
                ("relationship".into(), 15),
                ("company_type".into(), 5),
                ("credit_limit".into(), 10),
                ("contacts".into(), 5),
                ("payments_12m".into(), 15),
                ("on_time".into(), 10),
            ],
            bands: vec![
                Band { name: "A".into(), min_score: 75 },
                Band { name: "B".into(), min_score: 50 },
                Band { name: "C".into(), min_score: 25 },
                Band { name: "D".into(), min_score: 0 },
            ],
        }
    }
}

impl ValueModel {
    pub fn validate(&self) -> Result<(), Vec<crate::platform::error::FieldError>> {
        use crate::platform::error::FieldError;
        let mut errors = Vec::new();
        if self.weights.iter().any(|(c, w)| !INDICATORS.contains(&c.as_str()) || !(0..=100).contains(w)) {
            errors.push(FieldError::new("weights", "validation.range"));
        }
        if self.weights.iter().map(|w| w.1).sum::<i64>() == 0 {
            errors.push(FieldError::new("weights", "value.no_weight"));
        }
        let names_ok = self.bands.iter().all(|b| !b.name.trim().is_empty() && b.name.chars().count() <= 20);
        let ordered = self.bands.windows(2).all(|w| w[0].min_score > w[1].min_score);
        if self.bands.len() < 2
            || self.bands.len() > 6
            || !names_ok
            || !ordered
            || self.bands.iter().any(|b| !(0..=100).contains(&b.min_score))
        {
            errors.push(FieldError::new("bands", "value.bad_bands"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The band a score falls in (the last band catches everything below).
    pub fn band(&self, score: i64) -> String {
        self.bands.iter().find(|b| score >= b.min_score).or(self.bands.last()).map(|b| b.name.clone()).unwrap_or_default()
    }
}

/// What the model reads about one customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ValueFacts {
    pub id: i64,
    pub kind: String,
    pub rating: Option<i64>,
    pub relationship: Option<String>,
    pub credit_limit: Option<i64>,
    pub activities_90d: i64,
    pub last_activity_at: Option<i64>,
    pub contacts: i64,
    /// Payments received (not voided) in the last 365 days.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub payments_12m: i64,
    /// Active contracts, and their instalments past due and not fully paid.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub contracts: i64,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub overdue_instalments: i64,
    /// The stored lifecycle status and the time of the last transaction (a confirmed
    /// order, a contract or a payment), for the lifecycle rule (C2).
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub status: String,
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub last_transaction_at: Option<i64>,
}

/// One indicator's part in a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub indicator: String,
    /// The measured value, for display ("12", "3 天", "★★★★").
    pub value: String,
    /// 0–100.
    pub score: i64,
    pub weight: i64,
    /// Points this indicator adds to the total (score × weight / Σ weights).
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueScore {
    pub score: i64,
    pub band: String,
    pub parts: Vec<Contribution>,
}

fn linear(x: f64, zero_at: f64, full_at: f64) -> i64 {
    let t = (x - zero_at) / (full_at - zero_at);
    (t.clamp(0.0, 1.0) * 100.0).round() as i64
}

/// Scores one customer at time `now` (UTC ms).
pub fn score(model: &ValueModel, f: &ValueFacts, now: i64) -> ValueScore {
    let total_weight: i64 = model.weights.iter().map(|w| w.1).sum::<i64>().max(1);
    let parts: Vec<Contribution> = model
        .weights
        .iter()
        .map(|(code, weight)| {
            let (value, s) = match code.as_str() {
                "activity_90d" => (f.activities_90d.to_string(), linear(f.activities_90d as f64, 0.0, 10.0)),
                "recency" => match f.last_activity_at {
                    Some(at) => {
                        let days = ((now - at).max(0) / 86_400_000) as f64;
                        (format!("{days}"), linear(days, 180.0, 7.0))
                    }
                    None => ("—".into(), 0),
                },
                "importance" => {
                    (f.rating.map(|r| r.to_string()).unwrap_or_else(|| "—".into()), f.rating.map(|r| (r - 1).clamp(0, 4) * 25).unwrap_or(0))
                }
                "relationship" => (
                    f.relationship.clone().unwrap_or_else(|| "—".into()),
                    match f.relationship.as_deref() {
                        Some("close") => 100,
                        Some("good") => 75,
                        Some("normal") => 50,
                        Some("weak") => 25,
                        _ => 0,
                    },
                ),
                "company_type" => (f.kind.clone(), if f.kind == "company" { 100 } else { 40 }),
                // Minor units of CNY (or the record's currency): 0 → 0, ≥ 1 000 000 → 100, logarithmic.
                "credit_limit" => match f.credit_limit.filter(|c| *c > 0) {
                    Some(c) => (format!("{}", c / 100), linear(((c / 100) as f64).log10(), 3.0, 6.0)),
                    None => ("—".into(), 0),
                },
                "contacts" => (f.contacts.to_string(), linear(f.contacts as f64, 0.0, 5.0)),
                "payments_12m" => (f.payments_12m.to_string(), linear(f.payments_12m as f64, 0.0, 6.0)),
                // Without contracts there is nothing to pay on time: no points, no penalty.
                "on_time" => match (f.contracts, f.overdue_instalments) {
                    (0, _) => ("—".into(), 0),
                    (_, 0) => ("0".into(), 100),
                    (_, n) => (n.to_string(), 0),
                },
                _ => ("—".into(), 0),
            };
            Contribution { indicator: code.clone(), value, score: s, weight: *weight, points: (s * weight) as f64 / total_weight as f64 }
        })
        .collect();
    let total = parts.iter().map(|p| p.points).sum::<f64>().round() as i64;
    ValueScore { score: total, band: model.band(total), parts }
}

/// Customers per band, highest band first, for the pyramid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pyramid {
    pub bands: Vec<(String, i64)>,
    /// Customers not scored yet (new since the last run of the job).
    pub unscored: i64,
    pub computed_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;
    const DAY: i64 = 86_400_000;

    #[test]
    fn scores_add_up_from_weighted_indicators_and_explain_themselves() {
        let model = ValueModel::default();
        let best = ValueFacts {
            kind: "company".into(),
            rating: Some(5),
            relationship: Some("close".into()),
            credit_limit: Some(100_000_000),
            activities_90d: 12,
            last_activity_at: Some(NOW - DAY),
            contacts: 6,
            payments_12m: 8,
            contracts: 2,
            overdue_instalments: 0,
            ..Default::default()
        };
        let s = score(&model, &best, NOW);
        assert_eq!((s.score, s.band.as_str()), (100, "A"));
        assert_eq!(s.parts.len(), 9);
        // An overdue instalment costs the on-time points (10 of 125).
        let late = score(&model, &ValueFacts { overdue_instalments: 1, ..best.clone() }, NOW);
        assert_eq!(late.score, 92);
        assert_eq!(late.parts.iter().find(|p| p.indicator == "on_time").map(|p| (p.value.as_str(), p.score)), Some(("1", 0)));
        let nobody = ValueFacts { kind: "individual".into(), ..Default::default() };
        let s = score(&model, &nobody, NOW);
        assert_eq!((s.score, s.band.as_str()), (2, "D"), "individual: 40 × 5/125 = 1.6");
        let typical = ValueFacts {
            kind: "company".into(),
            rating: Some(3),
            activities_90d: 5,
            last_activity_at: Some(NOW - 30 * DAY),
            contacts: 2,
            ..Default::default()
        };
        let s = score(&model, &typical, NOW);
        let sum: f64 = s.parts.iter().map(|p| p.points).sum();
        assert_eq!(s.score, sum.round() as i64, "the explanation adds up to the score");
        assert_eq!(s.band, model.band(s.score));
        let recency = s.parts.iter().find(|p| p.indicator == "recency").unwrap();
        assert_eq!((recency.value.as_str(), recency.score), ("30", 87));
    }

    #[test]
    fn models_are_validated() {
        assert!(ValueModel::default().validate().is_ok());
        let mut m = ValueModel::default();
        m.bands.swap(0, 1);
        assert!(m.validate().is_err(), "bands must descend");
        let m = ValueModel { weights: vec![("activity_90d".into(), 0)], ..Default::default() };
        assert!(m.validate().is_err(), "some weight is needed");
        let mut m = ValueModel::default();
        m.weights.push(("horoscope".into(), 10));
        assert!(m.validate().is_err());
        assert_eq!(ValueModel::default().band(74), "B");
        assert_eq!(ValueModel::default().band(0), "D");
    }
}
