use serde::{Deserialize, Serialize};

pub const ITEM_MAX: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DictKind {
    Level,
    Category,
    Group,
    Industry,
    Source,
    Region,
    ProductCategory,
    ProductUnit,
}

impl DictKind {
    pub const ALL: [DictKind; 8] = [
        DictKind::Level,
        DictKind::Category,
        DictKind::Group,
        DictKind::Industry,
        DictKind::Source,
        DictKind::Region,
        DictKind::ProductCategory,
        DictKind::ProductUnit,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DictKind::Level => "customer_level",
            DictKind::Category => "customer_category",
            DictKind::Group => "customer_group",
            DictKind::Industry => "industry",
            DictKind::Source => "source",
            DictKind::Region => "region",
            DictKind::ProductCategory => "product_category",
            DictKind::ProductUnit => "product_unit",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Closed lists: a customer's value must be one of the active items. Open lists
    /// (industry, source, region) suggest their items but accept other text.
    pub fn closed(self) -> bool {
        matches!(self, DictKind::Level | DictKind::Category | DictKind::Group | DictKind::ProductCategory)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DictItem {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub sort_order: i64,
    pub active: bool,
}

/// Every list, in display order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dictionaries(pub Vec<DictItem>);

impl Dictionaries {
    /// Active names of one list, in order.
    pub fn names(&self, kind: DictKind) -> Vec<String> {
        self.0.iter().filter(|i| i.kind == kind.code() && i.active).map(|i| i.name.clone()).collect()
    }
    pub fn items(&self, kind: DictKind) -> Vec<DictItem> {
        self.0.iter().filter(|i| i.kind == kind.code()).cloned().collect()
    }
}
