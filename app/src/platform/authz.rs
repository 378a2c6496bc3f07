//! Authorization: one `authorize` path and one SQL data-scope filter.
//!
//! A role grants `entity × action` with a data scope. A user's effective scope
//! for a pair is the widest scope over all their roles. `authorize` is the only
//! way to obtain a [`Grant`], and every list query and record load takes a
//! `Grant` and appends its filter, so a handler cannot forget the check.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Entity {
    Customer,
    User,
    Department,
    Role,
    AuditLog,
    Setting,
    Opportunity,
    Lead,
    Product,
    Quote,
    Order,
    Contract,
    Inventory,
    ServiceRequest,
    WorkOrder,
    KnowledgeArticle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    View,
    Create,
    Edit,
    Delete,
    Export,
    Assign,
    /// Take a customer from the public pool.
    Claim,
    /// Decide on something waiting for approval (a quote's discount).
    Approve,
}

/// Which records a grant reaches. Ordered from narrowest to widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    Own,
    Department,
    DepartmentTree,
    All,
}

impl Entity {
    pub const ALL: [Entity; 16] = [
        Entity::Customer,
        Entity::Lead,
        Entity::Opportunity,
        Entity::Quote,
        Entity::Order,
        Entity::Contract,
        Entity::ServiceRequest,
        Entity::WorkOrder,
        Entity::KnowledgeArticle,
        Entity::Product,
        Entity::Inventory,
        Entity::User,
        Entity::Department,
        Entity::Role,
        Entity::AuditLog,
        Entity::Setting,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::User => "user",
            Entity::Department => "department",
            Entity::Role => "role",
            Entity::AuditLog => "audit_log",
            Entity::Setting => "setting",
            Entity::Opportunity => "opportunity",
            Entity::Lead => "lead",
            Entity::Product => "product",
            Entity::Quote => "quote",
            Entity::Order => "order",
            Entity::Contract => "contract",
            Entity::Inventory => "inventory",
            Entity::ServiceRequest => "service_request",
            Entity::WorkOrder => "work_order",
            Entity::KnowledgeArticle => "kb_article",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == s)
    }
    /// The table (and its record column) listing people a record is shared with, for
    /// entities whose records have collaborators besides their owner.
    pub fn collaborators(self) -> Option<(&'static str, &'static str)> {
        match self {
            Entity::Customer => Some(("customer_collaborators", "customer_id")),
            Entity::Opportunity => Some(("opportunity_collaborators", "opportunity_id")),
            _ => None,
        }
    }
}

impl Action {
    pub const ALL: [Action; 8] =
        [Action::View, Action::Create, Action::Edit, Action::Delete, Action::Export, Action::Assign, Action::Claim, Action::Approve];
    pub fn code(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Export => "export",
            Action::Assign => "assign",
            Action::Claim => "claim",
            Action::Approve => "approve",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == s)
    }
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Own, Scope::Department, Scope::DepartmentTree, Scope::All];
    pub fn code(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Department => "department",
            Scope::DepartmentTree => "department_tree",
            Scope::All => "all",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == s)
    }
}

/// The permission facts the browser may know, to hide what the server would refuse anyway.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Permissions(pub Vec<(Entity, Action, Scope)>);

impl Permissions {
    pub fn scope(&self, entity: Entity, action: Action) -> Option<Scope> {
        self.0.iter().filter(|(e, a, _)| *e == entity && *a == action).map(|(_, _, s)| *s).max()
    }
    pub fn can(&self, entity: Entity, action: Action) -> bool {
        self.scope(entity, action).is_some()
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::platform::db::SqlBuilder;
    use crate::platform::error::AppError;
    use crate::platform::i18n::Locale;

    /// The signed-in user as the session middleware loaded it.
    #[derive(Clone, Debug)]
    pub struct CurrentUser {
        pub id: i64,
        pub username: String,
        pub display_name: String,
        pub department_id: Option<i64>,
        /// Materialised path of the department, e.g. `/1/4/`.
        pub department_path: Option<String>,
        pub department_name: Option<String>,
        pub locale: Option<Locale>,
        pub permissions: Permissions,
        pub session_id: String,
    }

    /// Proof that `user` may perform `action` on `entity`, and over which records.
    #[derive(Clone, Debug)]
    pub struct Grant {
        pub entity: Entity,
        pub action: Action,
        pub scope: Scope,
        pub user_id: i64,
        department_id: Option<i64>,
        department_path: Option<String>,
    }

    /// The one authorization check. `Forbidden` when no role grants the pair.
    pub fn authorize(user: &CurrentUser, entity: Entity, action: Action) -> Result<Grant, AppError> {
        let scope = user.permissions.scope(entity, action).ok_or(AppError::Forbidden)?;
        Ok(Grant {
            entity,
            action,
            scope,
            user_id: user.id,
            department_id: user.department_id,
            department_path: user.department_path.clone(),
        })
    }

    impl Grant {
        /// Appends ` AND <scope condition>` for a table whose rows carry
        /// `owner_id` and `department_id` columns, under alias `t`. For entities with
        /// collaborators, View and Edit also reach the records shared with the user.
        pub fn push_filter(&self, q: &mut SqlBuilder, t: &str) {
            self.push_filter_hinted(q, t, false)
        }

        /// Like [`Grant::push_filter`]; with `unindexed`, the scope column is written
        /// `+t.col` so SQLite will not drive the query from the scope's index. Used when
        /// the scope covers many rows and walking the sort index is cheaper.
        pub fn push_filter_hinted(&self, q: &mut SqlBuilder, t: &str, unindexed: bool) {
            if self.scope == Scope::All {
                return;
            }
            let shared = self.entity.collaborators().filter(|_| matches!(self.action, Action::View | Action::Edit));
            q.push(if shared.is_some() { " AND ((" } else { " AND (" });
            let col = if unindexed { format!("+{t}") } else { t.to_string() };
            self.push_scope_condition(q, &col);
            q.push(")");
            // Records shared with the user as a collaborator (view access reaches View,
            // edit access reaches View and Edit), whatever their owner and department.
            if let Some((table, column)) = shared {
                q.push(&format!(" OR {t}.id IN (SELECT s.{column} FROM {table} s WHERE s.user_id = "));
                q.bind_i64(self.user_id);
                if self.action == Action::Edit {
                    q.push(" AND s.access = 'edit'");
                }
                q.push("))");
            }
        }

        /// Appends ` AND (<scope condition>)` without the records shared with the user:
        /// the owner's and the department's rows only (nothing for `All`).
        pub fn push_scope_only(&self, q: &mut SqlBuilder, t: &str) {
            if self.scope == Scope::All {
                return;
            }
            q.push(" AND (");
            self.push_scope_condition(q, t);
            q.push(")");
        }

        fn push_scope_condition(&self, q: &mut SqlBuilder, col: &str) {
            match (self.scope, self.department_id, &self.department_path) {
                (Scope::DepartmentTree, Some(_), Some(path)) => {
                    q.push(&format!("{col}.department_id IN (SELECT d.id FROM departments d WHERE d.path LIKE "));
                    q.bind_text(format!("{path}%"));
                    q.push(")");
                }
                (Scope::Department | Scope::DepartmentTree, Some(dept), _) => {
                    q.push(&format!("{col}.department_id = "));
                    q.bind_i64(dept);
                }
                // Without a department, department scopes shrink to the user's own records.
                _ => {
                    q.push(&format!("{col}.owner_id = "));
                    q.bind_i64(self.user_id);
                }
            }
        }

        /// Whether a record with this owner and department falls inside the grant
        /// (for checks on a target, e.g. the new owner of a reassigned record).
        pub fn reaches(&self, owner_id: Option<i64>, department_path: Option<&str>, department_id: Option<i64>) -> bool {
            match self.scope {
                Scope::All => true,
                Scope::DepartmentTree => match (&self.department_path, department_path) {
                    (Some(mine), Some(theirs)) => theirs.starts_with(mine.as_str()),
                    _ => owner_id == Some(self.user_id),
                },
                Scope::Department => match self.department_id {
                    Some(d) => department_id == Some(d),
                    None => owner_id == Some(self.user_id),
                },
                Scope::Own => owner_id == Some(self.user_id),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widest_scope_over_roles_wins() {
        let p = Permissions(vec![
            (Entity::Customer, Action::View, Scope::Own),
            (Entity::Customer, Action::View, Scope::DepartmentTree),
            (Entity::Customer, Action::Edit, Scope::Own),
        ]);
        assert_eq!(p.scope(Entity::Customer, Action::View), Some(Scope::DepartmentTree));
        assert_eq!(p.scope(Entity::Customer, Action::Edit), Some(Scope::Own));
        assert_eq!(p.scope(Entity::Customer, Action::Delete), None);
        assert!(!p.can(Entity::User, Action::View));
    }

    #[test]
    fn codes_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_code(e.code()), Some(e));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
        for s in Scope::ALL {
            assert_eq!(Scope::from_code(s.code()), Some(s));
        }
        assert_eq!(Scope::from_code("everything"), None);
    }
}
