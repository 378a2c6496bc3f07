//! Knowledge base rules (V8). Everyone with view reads published articles; people who
//! may edit articles also see drafts. Articles are suggested on a request from the
//! words of its subject and description, and linked to the request by whoever may work
//! it. Changes are version-checked, soft-deleted (restorable) and audited.
use crate::knowledge::repo;
use crate::knowledge::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

/// Suggestions need at least a title hit, or several hits elsewhere.
const SUGGEST_MIN: i64 = 3;
const SUGGEST_MAX: i64 = 5;

fn editor(user: &CurrentUser) -> bool {
    authorize(user, Entity::KnowledgeArticle, Action::Edit).is_ok()
}

pub async fn search(db: &Db, user: &CurrentUser, q: &str, category: &str) -> AppResult<ArticlePage> {
    authorize(user, Entity::KnowledgeArticle, Action::View)?;
    let drafts = editor(user);
    let mut tx = db.read().await?;
    let q: String = q.trim().chars().take(200).collect();
    let rows = repo::search(&mut tx, &q, category.trim(), repo::Readers::staff(drafts), 100).await?;
    let can_edit = authorize(user, Entity::KnowledgeArticle, Action::Create).is_ok();
    Ok(ArticlePage { rows: rows.into_iter().map(tidy).collect(), can_edit })
}

/// List rows carry a one-line excerpt.
fn tidy(mut r: ArticleRow) -> ArticleRow {
    r.excerpt = excerpt(&r.excerpt, 120);
    r
}

pub async fn categories(db: &Db, user: &CurrentUser) -> AppResult<Vec<String>> {
    authorize(user, Entity::KnowledgeArticle, Action::View)?;
    let mut tx = db.read().await?;
    Ok(repo::categories(&mut tx, editor(user)).await?)
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ArticleDetail> {
    authorize(user, Entity::KnowledgeArticle, Action::View)?;
    let can_edit = editor(user);
    let mut tx = db.read().await?;
    let article = repo::get(&mut tx, id, repo::Readers::staff(can_edit)).await?.ok_or(AppError::NotFound)?;
    let requests = match authorize(user, Entity::ServiceRequest, Action::View) {
        Ok(g) => repo::requests_of(&mut tx, &g, id).await?,
        Err(_) => Vec::new(),
    };
    Ok(ArticleDetail { article, can_edit, requests })
}

pub async fn create(db: &Db, user: &CurrentUser, input: &ArticleInput) -> AppResult<i64> {
    authorize(user, Entity::KnowledgeArticle, Action::Create)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let id = repo::insert(&mut tx, &v, user.id, now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("kb_article", id).summary(v.title.clone()).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ArticleInput) -> AppResult<()> {
    authorize(user, Entity::KnowledgeArticle, Action::Edit)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = repo::get(&mut tx, id, repo::Readers::Editors).await?.ok_or(AppError::NotFound)?;
    if !repo::update(&mut tx, id, version, &v, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("kb_article", id)
            .summary(v.title.clone())
            .before(before.to_input())
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes (`true`) or restores an article.
pub async fn set_deleted(db: &Db, user: &CurrentUser, id: i64, version: i64, deleted: bool) -> AppResult<i64> {
    authorize(user, Entity::KnowledgeArticle, Action::Delete)?;
    let mut tx = db.write().await?;
    if repo::version_any(&mut tx, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !repo::set_deleted(&mut tx, id, version, deleted, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if deleted { "delete" } else { "restore" }).on("kb_article", id),
    )
    .await?;
    tx.commit().await?;
    Ok(version + 1)
}

/// The request, inside the user's request scope for `action`.
async fn request(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<crate::tickets::types::ServiceRequest> {
    let grant = authorize(user, Entity::ServiceRequest, action)?;
    crate::tickets::repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

/// A request's linked articles and the ones its subject and description suggest.
pub async fn for_request(db: &Db, user: &CurrentUser, request_id: i64) -> AppResult<RequestArticles> {
    if authorize(user, Entity::KnowledgeArticle, Action::View).is_err() {
        return Ok(RequestArticles::default());
    }
    let mut tx = db.read().await?;
    let r = request(&mut tx, user, request_id, Action::View).await?;
    let linked = repo::linked(&mut tx, request_id).await?;
    let exclude: Vec<i64> = linked.iter().map(|a| a.id).collect();
    let terms = match_terms(&format!("{} {}", r.subject, r.description));
    let suggested = repo::suggest(&mut tx, &terms, &exclude, SUGGEST_MIN, SUGGEST_MAX).await?;
    let can_link = authorize(user, Entity::ServiceRequest, Action::Edit).is_ok();
    Ok(RequestArticles { linked: linked.into_iter().map(tidy).collect(), suggested: suggested.into_iter().map(tidy).collect(), can_link })
}

/// Links (`true`) or unlinks an article and a request the user may work.
pub async fn set_link(db: &Db, user: &CurrentUser, request_id: i64, article_id: i64, linked: bool) -> AppResult<()> {
    authorize(user, Entity::KnowledgeArticle, Action::View)?;
    let mut tx = db.write().await?;
    let r = request(&mut tx, user, request_id, Action::Edit).await?;
    let article = repo::get(&mut tx, article_id, repo::Readers::Staff)
        .await?
        .ok_or_else(|| AppError::validation("article_id", "validation.invalid_choice"))?;
    let changed = if linked {
        repo::link(&mut tx, request_id, article_id, user.id, now_ms()).await?
    } else {
        repo::unlink(&mut tx, request_id, article_id).await?
    };
    if changed {
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "update").on("service_request", request_id).summary(format!(
                "{} {} {}",
                r.number,
                if linked { "linked article" } else { "unlinked article" },
                article.title
            )),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
