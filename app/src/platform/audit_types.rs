//! Audit types shared with the browser.
use serde::{Deserialize, Serialize};

/// Outcome of walking the audit hash chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainStatus {
    Intact {
        rows: i64,
    },
    /// The first row whose stored hash does not match, or whose predecessor is missing.
    Broken {
        seq: i64,
    },
}
