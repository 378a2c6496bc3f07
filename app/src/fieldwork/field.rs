//! The engineer's work on site (V4) as the tablet and the server share it: the day's jobs
//! and what is needed to work on them without a network, and the changes the tablet
//! queues and sends, each with a key made on the device so that sending it twice applies
//! it once. Times are UTC milliseconds.
use crate::fieldwork::types::{WorkItem, WorkOrder, WorkProduct};
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const NOTE_MAX: usize = 2000;
pub const SIGNER_MAX: usize = 100;
/// Labour is counted in minutes, up to a (long) day and a half.
pub const LABOUR_MAX: i64 = 36 * 60;
/// Photos are compressed on the tablet; what arrives must still be small.
pub const PHOTO_MAX_BYTES: usize = 1_500_000;
pub const SIGNATURE_MAX_BYTES: usize = 500_000;
/// A device clock is trusted for when something happened up to this far ahead of the
/// server's, and this far back (a tablet offline for a long trip).
pub const CLOCK_AHEAD_MS: i64 = 10 * 60_000;
pub const CLOCK_BACK_MS: i64 = 14 * 86_400_000;
pub const KEY_MAX: usize = 64;

/// A part taken on site.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UsedPart {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub qty_milli: i64,
}

/// A change as the server kept it: notes, photos and refused changes on a job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FieldEntry {
    pub key: String,
    pub op: String,
    /// The note's text, a part's description, or the photo's file name.
    pub text: String,
    pub happened_at: i64,
    pub outcome: String,
    pub reason: Option<String>,
    pub attachment_id: Option<i64>,
    pub user_name: String,
}

/// What happened on site, as the server has it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteRecord {
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
    pub labour_minutes: Option<i64>,
    pub resolution: Option<String>,
    pub signed_by: Option<String>,
    pub signature_id: Option<i64>,
    pub completed_at: Option<i64>,
    pub parts: Vec<UsedPart>,
    pub entries: Vec<FieldEntry>,
}

/// One of the engineer's jobs, with what the tablet shows offline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldJob {
    pub order: WorkOrder,
    pub items: Vec<WorkItem>,
    pub customer_phone: Option<String>,
    pub site: SiteRecord,
}

/// The engineer's day: the jobs in order, and the warehouses and parts to pick from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldKit {
    pub user_id: i64,
    pub day: String,
    pub jobs: Vec<FieldJob>,
    pub warehouses: Vec<(i64, String)>,
    pub parts: Vec<WorkProduct>,
    pub fetched_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FieldOp {
    CheckIn,
    CheckOut,
    Note {
        text: String,
    },
    Part {
        product_id: i64,
        warehouse_id: i64,
        qty_milli: i64,
    },
    Labour {
        minutes: i64,
    },
    /// A JPEG, base64 without the `data:` prefix.
    Photo {
        name: String,
        data: String,
    },
    /// A PNG of the signature drawn on screen, base64 without the `data:` prefix.
    Signature {
        signer: String,
        data: String,
    },
    Complete {
        resolution: String,
    },
}

impl FieldOp {
    pub fn code(&self) -> &'static str {
        match self {
            FieldOp::CheckIn => "check_in",
            FieldOp::CheckOut => "check_out",
            FieldOp::Note { .. } => "note",
            FieldOp::Part { .. } => "part",
            FieldOp::Labour { .. } => "labour",
            FieldOp::Photo { .. } => "photo",
            FieldOp::Signature { .. } => "signature",
            FieldOp::Complete { .. } => "complete",
        }
    }

    /// The change as kept on the server: file contents left out.
    pub fn stored(&self) -> serde_json::Value {
        match self {
            FieldOp::Photo { name, data } => serde_json::json!({ "op": "photo", "name": name, "bytes": data.len() * 3 / 4 }),
            FieldOp::Signature { signer, data } => serde_json::json!({ "op": "signature", "signer": signer, "bytes": data.len() * 3 / 4 }),
            op => serde_json::to_value(op).unwrap_or_default(),
        }
    }

    /// Checks what can be checked without the server, on the tablet before queueing and
    /// again on the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let err = |f: &str, c: &str| Err(vec![FieldError::new(f, c)]);
        match self {
            FieldOp::Note { text } if text.trim().is_empty() => err("note", "validation.required"),
            FieldOp::Note { text } if text.chars().count() > NOTE_MAX => err("note", "validation.too_long"),
            FieldOp::Part { qty_milli, .. } if *qty_milli <= 0 => err("qty", "validation.quantity"),
            FieldOp::Labour { minutes } if !(0..=LABOUR_MAX).contains(minutes) => err("labour", "field.labour_range"),
            FieldOp::Photo { data, .. } if data.is_empty() => err("photo", "attachment.empty"),
            FieldOp::Photo { data, .. } if data.len() / 4 * 3 > PHOTO_MAX_BYTES => err("photo", "attachment.too_large"),
            FieldOp::Signature { signer, .. } if signer.trim().is_empty() => err("signer", "validation.required"),
            FieldOp::Signature { signer, .. } if signer.chars().count() > SIGNER_MAX => err("signer", "validation.too_long"),
            FieldOp::Signature { data, .. } if data.is_empty() || data.len() / 4 * 3 > SIGNATURE_MAX_BYTES => {
                err("signature", "field.signature_missing")
            }
            FieldOp::Complete { resolution } if resolution.trim().is_empty() => err("resolution", "validation.required"),
            FieldOp::Complete { resolution } if resolution.chars().count() > NOTE_MAX => err("resolution", "validation.too_long"),
            _ => Ok(()),
        }
    }
}

/// A change made on the tablet, queued until it reaches the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub key: String,
    pub work_order_id: i64,
    /// When it was made, by the device's clock.
    pub at: i64,
    #[serde(flatten)]
    pub op: FieldOp,
}

impl FieldChange {
    /// A key is letters, digits and dashes: what the tablet makes (a UUID).
    pub fn key_ok(&self) -> bool {
        !self.key.is_empty() && self.key.len() <= KEY_MAX && self.key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }

    /// When it happened: the device's time unless it is implausibly far from `now`.
    pub fn happened_at(&self, now: i64) -> i64 {
        if self.at > now + CLOCK_AHEAD_MS || self.at < now - CLOCK_BACK_MS {
            now
        } else {
            self.at.min(now)
        }
    }
}

/// What the server did with a change; the same for every time the change is sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncResult {
    pub key: String,
    /// `applied` or `conflict`.
    pub outcome: String,
    /// Why a conflict was refused: a message code.
    pub reason: Option<String>,
}

impl SyncResult {
    pub fn applied(&self) -> bool {
        self.outcome == "applied"
    }
}

/// The job as the tablet shows it: the server's copy with the changes still queued laid
/// over it, so work done offline shows at once.
pub fn with_pending(job: &FieldJob, pending: &[FieldChange], parts: &[WorkProduct], warehouses: &[(i64, String)]) -> FieldJob {
    let mut job = job.clone();
    for c in pending.iter().filter(|c| c.work_order_id == job.order.id) {
        let site = &mut job.site;
        match &c.op {
            FieldOp::CheckIn => {
                site.checked_in_at.get_or_insert(c.at);
                if job.order.status == "dispatched" {
                    job.order.status = "in_progress".into();
                }
            }
            FieldOp::CheckOut => site.checked_out_at = Some(c.at),
            FieldOp::Labour { minutes } => site.labour_minutes = Some(*minutes),
            FieldOp::Part { product_id, warehouse_id, qty_milli } => {
                let p = parts.iter().find(|p| p.id == *product_id);
                site.parts.push(UsedPart {
                    product_id: *product_id,
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    unit: p.map(|p| p.unit.clone()).unwrap_or_default(),
                    warehouse_id: *warehouse_id,
                    warehouse_name: warehouses.iter().find(|w| w.0 == *warehouse_id).map(|w| w.1.clone()).unwrap_or_default(),
                    qty_milli: *qty_milli,
                });
            }
            FieldOp::Note { text } => site.entries.push(FieldEntry {
                key: c.key.clone(),
                op: "note".into(),
                text: text.clone(),
                happened_at: c.at,
                outcome: "pending".into(),
                ..Default::default()
            }),
            FieldOp::Photo { name, .. } => site.entries.push(FieldEntry {
                key: c.key.clone(),
                op: "photo".into(),
                text: name.clone(),
                happened_at: c.at,
                outcome: "pending".into(),
                ..Default::default()
            }),
            FieldOp::Signature { signer, .. } => site.signed_by = Some(signer.clone()),
            FieldOp::Complete { resolution } => {
                site.resolution = Some(resolution.clone());
                site.completed_at = Some(c.at);
                site.checked_out_at.get_or_insert(c.at);
                job.order.status = "completed".into();
            }
        }
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(key: &str, op: FieldOp) -> FieldChange {
        FieldChange { key: key.into(), work_order_id: 7, at: 1_000, op }
    }

    #[test]
    fn a_change_travels_as_flat_json() {
        let c = change("k-1", FieldOp::Part { product_id: 3, warehouse_id: 1, qty_milli: 2000 });
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["op"], "part");
        assert_eq!(json["qty_milli"], 2000);
        assert_eq!(serde_json::from_value::<FieldChange>(json).unwrap(), c);
        let photo = FieldOp::Photo { name: "a.jpg".into(), data: "QUJD".into() };
        assert_eq!(photo.stored(), serde_json::json!({ "op": "photo", "name": "a.jpg", "bytes": 3 }));
    }

    #[test]
    fn keys_and_device_clocks_are_checked() {
        assert!(change("0f3c-AB", FieldOp::CheckIn).key_ok());
        assert!(!change("", FieldOp::CheckIn).key_ok());
        assert!(!change("a b", FieldOp::CheckIn).key_ok());
        assert!(!change(&"a".repeat(65), FieldOp::CheckIn).key_ok());
        let now = 100 * 86_400_000;
        let mut c = change("k", FieldOp::CheckIn);
        c.at = now - 3_600_000;
        assert_eq!(c.happened_at(now), now - 3_600_000);
        c.at = now + 60_000;
        assert_eq!(c.happened_at(now), now, "a little ahead: no later than now");
        c.at = now + CLOCK_AHEAD_MS + 1;
        assert_eq!(c.happened_at(now), now);
        c.at = now - CLOCK_BACK_MS - 1;
        assert_eq!(c.happened_at(now), now);
    }

    #[test]
    fn ops_are_validated_before_queueing() {
        assert!(FieldOp::Note { text: "  ".into() }.validate().is_err());
        assert!(FieldOp::Note { text: "换了主轴轴承".into() }.validate().is_ok());
        assert!(FieldOp::Part { product_id: 1, warehouse_id: 1, qty_milli: 0 }.validate().is_err());
        assert!(FieldOp::Labour { minutes: LABOUR_MAX + 1 }.validate().is_err());
        assert!(FieldOp::Labour { minutes: 90 }.validate().is_ok());
        assert_eq!(FieldOp::Signature { signer: "王".into(), data: String::new() }.validate().unwrap_err()[0].field, "signature");
        assert!(FieldOp::Complete { resolution: String::new() }.validate().is_err());
        let big = "A".repeat(PHOTO_MAX_BYTES / 3 * 4 + 8);
        assert_eq!(FieldOp::Photo { name: "p.jpg".into(), data: big }.validate().unwrap_err()[0].code, "attachment.too_large");
    }

    #[test]
    fn pending_changes_show_on_the_job_at_once() {
        let job = FieldJob { order: WorkOrder { id: 7, status: "dispatched".into(), ..Default::default() }, ..Default::default() };
        let parts = [WorkProduct { id: 3, name: "扫码枪 S1".into(), kind: "product".into(), unit: "个".into() }];
        let pending = [
            change("a", FieldOp::CheckIn),
            change("b", FieldOp::Part { product_id: 3, warehouse_id: 1, qty_milli: 1000 }),
            change("c", FieldOp::Note { text: "ok".into() }),
            FieldChange { work_order_id: 8, ..change("d", FieldOp::Labour { minutes: 5 }) },
            change("e", FieldOp::Complete { resolution: "fixed".into() }),
        ];
        let shown = with_pending(&job, &pending, &parts, &[(1, "主仓".into())]);
        assert_eq!(shown.order.status, "completed");
        assert_eq!(shown.site.checked_in_at, Some(1_000));
        assert_eq!(shown.site.checked_out_at, Some(1_000));
        assert_eq!(shown.site.parts[0].name, "扫码枪 S1");
        assert_eq!(shown.site.parts[0].warehouse_name, "主仓");
        assert_eq!(shown.site.entries.len(), 1);
        assert_eq!(shown.site.labour_minutes, None, "another job's change stays there");
    }
}
