//! Wire types of the customer import (C11): the uploaded job, the column mapping,
//! and the per-row report.
use serde::{Deserialize, Serialize};

/// Fields a column can be mapped to: the customer's, its owner, and one contact.
pub const IMPORT_FIELDS: [&str; 23] = [
    "name",
    "short_name",
    "kind",
    "code",
    "status",
    "industry",
    "region",
    "source",
    "address",
    "phone",
    "email",
    "website",
    "tax_id",
    "notes",
    "owner",
    "level",
    "category",
    "customer_group",
    "tags",
    "contact_name",
    "contact_title",
    "contact_mobile",
    "contact_email",
];

/// Fields a column of a lead import can be mapped to.
pub const LEAD_IMPORT_FIELDS: [&str; 12] =
    ["name", "company", "title", "mobile", "phone", "email", "region", "industry", "source", "needs", "notes", "owner"];

/// The fields of an import into `entity` (`customer` or `lead`).
pub fn import_fields(entity: &str) -> &'static [&'static str] {
    if entity == "lead" {
        &LEAD_IMPORT_FIELDS
    } else {
        &IMPORT_FIELDS
    }
}

/// Locale key of a field's label in an import into `entity`.
pub fn entity_field_label_key(entity: &str, field: &str) -> String {
    match (entity, field) {
        ("lead", "title") => "lead.job_title".into(),
        ("lead", f) => format!("lead.{f}"),
        (_, f) => field_label_key(f),
    }
}

/// The duplicate modes an import into `entity` offers: leads are skipped or created,
/// never merged into each other.
pub fn dup_modes(entity: &str) -> &'static [DupMode] {
    if entity == "lead" {
        &[DupMode::Skip, DupMode::Create]
    } else {
        &DupMode::ALL
    }
}

/// The list an import into `entity` fills, and where its imports start.
pub fn entity_home(entity: &str) -> (&'static str, &'static str) {
    if entity == "lead" {
        ("/leads", "/leads/import")
    } else {
        ("/customers", "/customers/import")
    }
}

/// Locale key of an import field's label.
pub fn field_label_key(field: &str) -> String {
    match field.strip_prefix("contact_") {
        Some(f) => format!("import.field.contact_{f}"),
        None => format!("customer.{field}"),
    }
}

/// What happens to a row that matches an existing customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DupMode {
    /// Leave the existing customer alone and do not import the row.
    #[default]
    Skip,
    /// Fill the existing customer with the row's non-empty values.
    Update,
    /// Import the row as a new customer anyway.
    Create,
}

impl DupMode {
    pub const ALL: [DupMode; 3] = [DupMode::Skip, DupMode::Update, DupMode::Create];
    pub fn code(self) -> &'static str {
        match self {
            DupMode::Skip => "skip",
            DupMode::Update => "update",
            DupMode::Create => "create",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == s)
    }
}

/// Which source column feeds each field (`None`: not imported).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPlan {
    pub mapping: Vec<(String, Option<usize>)>,
    pub mode: DupMode,
}

impl ImportPlan {
    pub fn column(&self, field: &str) -> Option<usize> {
        self.mapping.iter().find(|(f, _)| f == field).and_then(|(_, c)| *c)
    }
}

/// An uploaded file waiting for its mapping, or an import that ran.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: i64,
    /// `customer` or `lead`.
    pub entity: String,
    pub file_name: String,
    pub headers: Vec<String>,
    /// The first rows, for the preview.
    pub sample: Vec<Vec<String>>,
    pub row_count: i64,
    /// `uploaded`, `running`, `done` or `failed`.
    pub status: String,
    /// The mapping guessed from the column headings.
    pub suggested: ImportPlan,
    pub report: Option<ImportReport>,
}

/// A problem with one cell; `row` is the spreadsheet row number (the heading is row 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowIssue {
    pub row: usize,
    pub field: String,
    pub code: String,
    pub value: String,
}

/// A row that matches a customer already in the CRM (or an earlier row of the file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowDuplicate {
    pub row: usize,
    pub name: String,
    pub existing: String,
    pub score: u8,
}

/// The outcome of checking (dry run) or running an import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub total: usize,
    pub create: usize,
    pub update: usize,
    pub skip: usize,
    pub invalid: usize,
    /// Up to `MAX_LISTED` problems, in row order.
    pub issues: Vec<RowIssue>,
    pub duplicates: Vec<RowDuplicate>,
    /// Whether this report describes rows written (false for a check).
    pub applied: bool,
    pub contacts: usize,
    pub millis: u64,
}

pub const MAX_LISTED: usize = 500;

/// Where a running import is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub status: String,
    pub processed: usize,
    pub total: usize,
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}
