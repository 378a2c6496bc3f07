//! Knowledge base server functions.
use crate::knowledge::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn search_articles(q: String, category: String) -> Result<ArticlePage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::search(&db()?, &current_user()?, &q, &category).await
}

#[server(input = GetUrl)]
pub async fn article_categories() -> Result<Vec<String>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::categories(&db()?, &current_user()?).await
}

#[server(input = GetUrl)]
pub async fn get_article(id: i64) -> Result<ArticleDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_article(input: ArticleInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_article(id: i64, version: i64, input: ArticleInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::update(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn set_article_deleted(id: i64, version: i64, deleted: bool) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::set_deleted(&db()?, &current_user()?, id, version, deleted).await
}

#[server(input = GetUrl)]
pub async fn get_request_articles(request_id: i64) -> Result<RequestArticles, AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::for_request(&db()?, &current_user()?, request_id).await
}

#[server(input = Json)]
pub async fn set_request_article(request_id: i64, article_id: i64, linked: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::knowledge::service::set_link(&db()?, &current_user()?, request_id, article_id, linked).await
}
