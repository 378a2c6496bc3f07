//! Knowledge base SQL: search that works for Chinese (SQLite's trigram full-text index
//! for terms of three characters or more, else LIKE; PostgreSQL's trigram indexes serve
//! ILIKE), and the portable scoring that suggests articles for a request's text.
use crate::knowledge::types::*;
use crate::platform::db::{like_escape, sql, Backend, SqlBuilder, Tx};

const ROW: &str = "SELECT a.id, a.title, SUBSTR(a.body, 1, 160) AS excerpt, a.category, a.tags, a.audience, a.published, a.updated_at \
                   FROM kb_articles a WHERE a.deleted_at IS NULL";

/// Which articles a reader sees: editors drafts too, staff every published article,
/// customers on the portal only published public ones (the FAQ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    Editors,
    Staff,
    Customers,
}

fn push_visibility(b: &mut SqlBuilder, readers: Readers) {
    if readers != Readers::Editors {
        b.push(" AND a.published = ").bind_bool(true);
    }
    if readers == Readers::Customers {
        b.push(" AND a.audience = 'public'");
    }
}

impl Readers {
    pub fn staff(drafts: bool) -> Self {
        if drafts {
            Readers::Editors
        } else {
            Readers::Staff
        }
    }
}

pub async fn get(tx: &mut Tx, id: i64, readers: Readers) -> Result<Option<Article>, sqlx::Error> {
    let mut b = sql("SELECT a.id, a.title, a.body, a.category, a.tags, a.audience, a.published, a.version, a.updated_at, \
                     u.display_name AS updated_by_name FROM kb_articles a LEFT JOIN users u ON u.id = a.updated_by \
                     WHERE a.deleted_at IS NULL AND a.id = ");
    b.bind_i64(id);
    push_visibility(&mut b, readers);
    b.fetch_optional(tx).await
}

/// One search term in title, body or tags.
fn push_term(b: &mut SqlBuilder, backend: Backend, term: &str) {
    match backend {
        Backend::Sqlite if term.chars().count() >= 3 => {
            b.push(" AND a.id IN (SELECT rowid FROM kb_fts WHERE kb_fts MATCH ");
            b.bind_text(format!("\"{}\"", term.replace('"', "\"\"")));
            b.push(")");
        }
        _ => {
            let pattern = format!("%{}%", like_escape(term));
            let op = if backend == Backend::Postgres { "ILIKE" } else { "LIKE" };
            for (i, col) in ["a.title", "a.body", "a.tags"].iter().enumerate() {
                b.push(if i == 0 { " AND (" } else { " OR " });
                b.push(&format!("{col} {op} ")).bind_text(pattern.clone()).push(" ESCAPE '\\'");
            }
            b.push(")");
        }
    }
}

/// Articles matching every word of `q` (all of them when empty), in `category`, title
/// hits first, then the most recently updated.
pub async fn search(tx: &mut Tx, q: &str, category: &str, readers: Readers, limit: i64) -> Result<Vec<ArticleRow>, sqlx::Error> {
    let backend = tx.backend();
    let mut b = sql(ROW);
    push_visibility(&mut b, readers);
    if !category.is_empty() {
        b.push(" AND a.category = ").bind_text(category);
    }
    let terms: Vec<&str> = q.split_whitespace().take(8).collect();
    for t in &terms {
        push_term(&mut b, backend, t);
    }
    b.push(" ORDER BY ");
    if let Some(first) = terms.first() {
        let op = if backend == Backend::Postgres { "ILIKE" } else { "LIKE" };
        b.push(&format!("CASE WHEN a.title {op} ")).bind_text(format!("%{}%", like_escape(first))).push(" ESCAPE '\\' THEN 0 ELSE 1 END, ");
    }
    b.push("a.updated_at DESC, a.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

/// Published articles scored by how many of `terms` they contain: three points in the
/// title, two in the tags, one in the body. Only those scoring at least `min`.
pub async fn suggest(tx: &mut Tx, terms: &[String], exclude: &[i64], min: i64, limit: i64) -> Result<Vec<ArticleRow>, sqlx::Error> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = sql("SELECT s.id, s.title, s.excerpt, s.category, s.tags, s.audience, s.published, s.updated_at FROM (");
    b.push("SELECT a.id, a.title, SUBSTR(a.body, 1, 160) AS excerpt, a.category, a.tags, a.audience, a.published, a.updated_at, (");
    for (i, t) in terms.iter().enumerate() {
        let pattern = format!("%{}%", like_escape(&t.to_lowercase()));
        if i > 0 {
            b.push(" + ");
        }
        for (col, weight) in [("a.title", 3), ("a.tags", 2), ("a.body", 1)] {
            b.push(&format!("CASE WHEN LOWER({col}) LIKE ")).bind_text(pattern.clone());
            b.push(&format!(" ESCAPE '\\' THEN {weight} ELSE 0 END"));
            if col != "a.body" {
                b.push(" + ");
            }
        }
    }
    b.push(") AS score FROM kb_articles a WHERE a.deleted_at IS NULL AND a.published = ").bind_bool(true);
    for id in exclude {
        b.push(" AND a.id <> ").bind_i64(*id);
    }
    b.push(") s WHERE s.score >= ").bind_i64(min).push(" ORDER BY s.score DESC, s.updated_at DESC, s.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn categories(tx: &mut Tx, drafts: bool) -> Result<Vec<String>, sqlx::Error> {
    let mut b = sql("SELECT DISTINCT a.category FROM kb_articles a WHERE a.deleted_at IS NULL AND a.category <> ''");
    if !drafts {
        b.push(" AND a.published = ").bind_bool(true);
    }
    b.push(" ORDER BY a.category");
    let rows: Vec<(String,)> = b.fetch_all(tx).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert(tx: &mut Tx, v: &ArticleInput, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO kb_articles (title, body, category, tags, audience, published, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8) RETURNING id")
    .arg_text(v.title.clone())
    .arg_text(v.body.clone())
    .arg_text(v.category.clone())
    .arg_text(v.tags.clone())
    .arg_text(v.audience.clone())
    .arg_bool(v.published)
    .arg_i64(now)
    .arg_i64(actor)
    .fetch_i64(tx)
    .await
}

/// `false` when the article changed since `version` (or is gone).
pub async fn update(tx: &mut Tx, id: i64, version: i64, v: &ArticleInput, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE kb_articles SET title = $1, body = $2, category = $3, tags = $4, audience = $5, published = $6, \
                 version = version + 1, updated_at = $7, updated_by = $8 WHERE id = $9 AND version = $10 AND deleted_at IS NULL")
    .arg_text(v.title.clone())
    .arg_text(v.body.clone())
    .arg_text(v.category.clone())
    .arg_text(v.tags.clone())
    .arg_text(v.audience.clone())
    .arg_bool(v.published)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn set_deleted(tx: &mut Tx, id: i64, version: i64, deleted: bool, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql(if deleted {
        "UPDATE kb_articles SET deleted_at = $1, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND deleted_at IS NULL"
    } else {
        "UPDATE kb_articles SET deleted_at = NULL, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND deleted_at IS NOT NULL"
    })
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// The version of an article whatever its state (for restoring).
pub async fn version_any(tx: &mut Tx, id: i64) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sql("SELECT version, deleted_at FROM kb_articles WHERE id = $1").arg_i64(id).fetch_optional(tx).await
}

pub async fn linked(tx: &mut Tx, request_id: i64) -> Result<Vec<ArticleRow>, sqlx::Error> {
    let mut b = sql(ROW);
    b.push(" AND a.id IN (SELECT l.article_id FROM service_request_articles l WHERE l.request_id = ").bind_i64(request_id);
    b.push(") ORDER BY a.title, a.id");
    b.fetch_all(tx).await
}

/// Links an article to a request; `false` when it already was.
pub async fn link(tx: &mut Tx, request_id: i64, article_id: i64, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("INSERT INTO service_request_articles (request_id, article_id, linked_at, linked_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (request_id, article_id) DO NOTHING")
    .arg_i64(request_id)
    .arg_i64(article_id)
    .arg_i64(now)
    .arg_i64(actor)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn unlink(tx: &mut Tx, request_id: i64, article_id: i64) -> Result<bool, sqlx::Error> {
    let n = sql("DELETE FROM service_request_articles WHERE request_id = $1 AND article_id = $2")
        .arg_i64(request_id)
        .arg_i64(article_id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Requests an article is linked to: (id, number, subject), newest first.
pub async fn requests_of(
    tx: &mut Tx,
    grant: &crate::platform::authz::Grant,
    article_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let mut b = sql("SELECT r.id, r.number, r.subject FROM service_requests r JOIN service_request_articles l ON l.request_id = r.id \
                     WHERE r.deleted_at IS NULL AND l.article_id = ");
    b.bind_i64(article_id);
    grant.push_filter(&mut b, "r");
    b.push(" ORDER BY r.id DESC LIMIT 50");
    b.fetch_all(tx).await
}
