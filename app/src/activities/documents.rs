//! Business documents on the customer's timeline: quotes, orders, shipments and
//! returns, contracts, payments, invoices and service requests, each only when the user may view that
//! kind of document and within the user's data scope for it. Entries get negative ids
//! (`-(row id × 8 + source)`) so they sort and page with activities on one cursor.
use crate::activities::types::TimelineDoc;
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Tx};

/// (entity whose grant applies, alias the grant filters, source number, SELECT … FROM … WHERE customer).
const SOURCES: [(Entity, &str, i64, &str); 7] = [
    (
        Entity::Quote,
        "q",
        1,
        "SELECT -(q.id * 8 + 1) AS entry_id, q.created_at AS at, 'quote' AS kind, '/quotes/' || q.id AS href, q.number, q.title, \
         q.total AS amount, q.currency, q.status AS state, u.display_name AS by_name \
         FROM quotes q LEFT JOIN users u ON u.id = q.created_by WHERE q.customer_id = $1 AND q.deleted_at IS NULL",
    ),
    (
        Entity::Order,
        "o",
        2,
        "SELECT -(o.id * 8 + 2) AS entry_id, o.created_at AS at, 'order' AS kind, '/orders/' || o.id AS href, o.number, o.title, \
         o.total AS amount, o.currency, o.status AS state, u.display_name AS by_name \
         FROM orders o LEFT JOIN users u ON u.id = o.created_by WHERE o.customer_id = $1 AND o.deleted_at IS NULL",
    ),
    (
        Entity::Order,
        "o",
        3,
        "SELECT -(s.id * 8 + 3) AS entry_id, s.created_at AS at, s.kind AS kind, '/orders/' || o.id AS href, o.number, s.note AS title, \
         CAST(NULL AS BIGINT) AS amount, o.currency, s.kind AS state, u.display_name AS by_name \
         FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN users u ON u.id = s.created_by WHERE o.customer_id = $1 AND o.deleted_at IS NULL",
    ),
    (
        Entity::Contract,
        "k",
        4,
        "SELECT -(k.id * 8 + 4) AS entry_id, k.created_at AS at, 'contract' AS kind, '/contracts/' || k.id AS href, k.number, k.title, \
         k.amount AS amount, k.currency, k.status AS state, u.display_name AS by_name \
         FROM contracts k LEFT JOIN users u ON u.id = k.created_by WHERE k.customer_id = $1 AND k.deleted_at IS NULL",
    ),
    (
        Entity::Contract,
        "k",
        5,
        "SELECT -(p.id * 8 + 5) AS entry_id, p.created_at AS at, 'payment' AS kind, '/contracts/' || k.id AS href, p.number, k.number AS title, \
         p.amount AS amount, p.currency, CASE WHEN p.voided_at IS NULL THEN 'received' ELSE 'void' END AS state, u.display_name AS by_name \
         FROM payments p JOIN contracts k ON k.id = p.contract_id LEFT JOIN users u ON u.id = p.created_by WHERE p.customer_id = $1 AND k.deleted_at IS NULL",
    ),
    (
        Entity::Contract,
        "k",
        6,
        "SELECT -(v.id * 8 + 6) AS entry_id, v.created_at AS at, 'invoice' AS kind, '/contracts/' || k.id AS href, v.number, k.number AS title, \
         v.amount AS amount, v.currency, CASE WHEN v.voided_at IS NULL THEN 'issued' ELSE 'void' END AS state, u.display_name AS by_name \
         FROM invoices v JOIN contracts k ON k.id = v.contract_id LEFT JOIN users u ON u.id = v.created_by WHERE v.customer_id = $1 AND k.deleted_at IS NULL",
    ),
    (
        Entity::ServiceRequest,
        "r",
        7,
        "SELECT -(r.id * 8 + 7) AS entry_id, r.created_at AS at, 'service_request' AS kind, '/service/' || r.id AS href, r.number, r.subject AS title, \
         CAST(NULL AS BIGINT) AS amount, '' AS currency, r.status AS state, u.display_name AS by_name \
         FROM service_requests r LEFT JOIN users u ON u.id = r.created_by WHERE r.customer_id = $1 AND r.deleted_at IS NULL",
    ),
];

/// The customer's documents the user may see, newest first, after the cursor, at most
/// `limit` from each source (enough to fill a merged page).
pub async fn for_customer(
    tx: &mut Tx,
    user: &CurrentUser,
    customer_id: i64,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<TimelineDoc>, sqlx::Error> {
    let mut out = Vec::new();
    for (entity, alias, source, select) in SOURCES {
        let Ok(grant) = authorize(user, entity, Action::View) else { continue };
        let (table, at) = match source {
            3 => ("s", "s.created_at"),
            5 => ("p", "p.created_at"),
            6 => ("v", "v.created_at"),
            _ => (alias, ""),
        };
        let at = if at.is_empty() { format!("{alias}.created_at") } else { at.to_string() };
        let mut b = sql(select).arg_i64(customer_id);
        grant.push_scope_only(&mut b, alias);
        if let Some((t, id)) = after {
            b.push(&format!(" AND ({at} < ")).bind_i64(t);
            b.push(&format!(" OR ({at} = ")).bind_i64(t);
            b.push(&format!(" AND -({table}.id * 8 + {source}) < ")).bind_i64(id).push("))");
        }
        b.push(&format!(" ORDER BY {at} DESC, {table}.id ASC LIMIT ")).bind_i64(limit);
        out.extend(b.fetch_all::<TimelineDoc>(tx).await?);
    }
    Ok(out)
}
