//! Attachments of activities: size-limited, type-checked by extension and content,
//! stored under the data directory (never the web root) with random names, and
//! served only through a permission check on the activity's customer.
use crate::activities::types::AttachmentRef;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{Action, CurrentUser};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;
use std::path::{Path, PathBuf};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Accepted extensions and the type they are served as.
const ALLOWED: [(&str, &str); 15] = [
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("doc", "application/msword"),
    ("xls", "application/vnd.ms-excel"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("zip", "application/zip"),
];

/// The served content type when the name's extension is allowed and the bytes
/// really are that kind of file (a renamed executable is refused).
pub fn check_type(file_name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_lowercase();
    let (_, mime) = ALLOWED.iter().find(|(e, _)| *e == ext)?;
    let ok = match ext.as_str() {
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        "webp" => bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "pdf" => bytes.starts_with(b"%PDF-"),
        "docx" | "xlsx" | "pptx" | "zip" => bytes.starts_with(b"PK\x03\x04"),
        "doc" | "xls" | "ppt" => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
        // Text: no NUL bytes in the first 8 KB.
        _ => !bytes.iter().take(8192).any(|b| *b == 0),
    };
    ok.then_some(*mime)
}

/// Keeps the last path component and drops control characters; at most 200 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let n = cleaned.chars().count();
    cleaned.chars().skip(n.saturating_sub(200)).collect()
}

#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    activity_id: i64,
    file_name: String,
    content_type: String,
    storage_key: String,
}

async fn customer_of(tx: &mut Tx, activity_id: i64) -> AppResult<i64> {
    let row: Option<(i64,)> = sql("SELECT l.entity_id FROM activity_links l JOIN activities a ON a.id = l.activity_id \
         WHERE l.activity_id = $1 AND l.entity = 'customer' AND a.deleted_at IS NULL")
    .arg_i64(activity_id)
    .fetch_optional(tx)
    .await?;
    row.map(|r| r.0).ok_or(AppError::NotFound)
}

/// Stores a file for an activity on a customer the user may edit.
#[tracing::instrument(skip(db, user, bytes, dir), fields(user = user.id))]
pub async fn save(db: &Db, user: &CurrentUser, activity_id: i64, file_name: &str, bytes: &[u8], dir: &Path) -> AppResult<i64> {
    let name = clean_name(file_name);
    if name.is_empty() || bytes.is_empty() {
        return Err(AppError::validation("file", "attachment.empty"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::validation("file", "attachment.too_large"));
    }
    let mime = check_type(&name, bytes).ok_or_else(|| AppError::validation("file", "attachment.bad_type"))?;
    let mut tx = db.write().await?;
    let customer_id = customer_of(&mut tx, activity_id).await?;
    let customer = customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    let (id, path) = store(&mut tx, user.id, activity_id, &name, mime, bytes, dir).await?;
    let saved = async {
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "create")
                .on("attachment", id)
                .summary(format!("{name} ({} B) · {}", bytes.len(), customer.name))
                .after(serde_json::json!({ "activity_id": activity_id })),
        )
        .await?;
        tx.commit().await
    }
    .await;
    match saved {
        Ok(()) => Ok(id),
        Err(e) => {
            // Nothing half-saved: the file goes when its row could not be written.
            let _ = tokio::fs::remove_file(&path).await;
            Err(e.into())
        }
    }
}

/// Writes a checked file under the data directory with a random name, and its row for
/// `activity_id` in the caller's transaction. Returns the row and the file's path, for
/// the caller to remove should its transaction fail.
pub async fn store(
    tx: &mut Tx,
    user_id: i64,
    activity_id: i64,
    name: &str,
    mime: &str,
    bytes: &[u8],
    dir: &Path,
) -> AppResult<(i64, PathBuf)> {
    let key = {
        use rand::Rng;
        let r: [u8; 16] = rand::thread_rng().gen();
        hex::encode(r)
    };
    let path = storage_path(dir, &key);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(AppError::internal)?;
    }
    tokio::fs::write(&path, bytes).await.map_err(AppError::internal)?;
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(bytes))
    };
    let row =
        sql("INSERT INTO attachments (activity_id, file_name, content_type, size_bytes, storage_key, sha256, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .arg_i64(activity_id)
        .arg_text(name)
        .arg_text(mime)
        .arg_i64(bytes.len() as i64)
        .arg_text(key)
        .arg_text(digest)
        .arg_i64(now_ms())
        .arg_i64(user_id)
        .fetch_i64(tx)
        .await;
    match row {
        Ok(id) => Ok((id, path)),
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(e.into())
        }
    }
}

/// Files are spread over 256 directories by the first byte of their random key.
fn storage_path(dir: &Path, key: &str) -> PathBuf {
    dir.join("attachments").join(&key[..2]).join(key)
}

/// A file the user may see (its customer is in view scope): name, type and bytes.
pub async fn open(db: &Db, user: &CurrentUser, id: i64, dir: &Path) -> AppResult<(String, String, Vec<u8>)> {
    let mut tx = db.read().await?;
    let row: Stored =
        sql("SELECT id, activity_id, file_name, content_type, storage_key FROM attachments WHERE id = $1 AND deleted_at IS NULL")
            .arg_i64(id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let customer_id = customer_of(&mut tx, row.activity_id).await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    drop(tx);
    let bytes = tokio::fs::read(storage_path(dir, &row.storage_key)).await.map_err(|_| AppError::NotFound)?;
    let _ = row.id;
    Ok((row.file_name, row.content_type, bytes))
}

/// Soft-deletes an attachment (its file stays until a clean-up removes it).
pub async fn delete(db: &Db, user: &CurrentUser, id: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let row: Stored =
        sql("SELECT id, activity_id, file_name, content_type, storage_key FROM attachments WHERE id = $1 AND deleted_at IS NULL")
            .arg_i64(id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let customer_id = customer_of(&mut tx, row.activity_id).await?;
    customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    sql("UPDATE attachments SET deleted_at = $1 WHERE id = $2").arg_i64(now_ms()).arg_i64(id).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "delete").on("attachment", id).summary(row.file_name.clone()))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The live attachments of a page of activities, in one query.
pub async fn for_activities(tx: &mut Tx, ids: &[i64]) -> Result<Vec<AttachmentRef>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    sql(&format!(
        "SELECT id, activity_id, file_name, size_bytes FROM attachments WHERE activity_id IN ({list}) AND deleted_at IS NULL ORDER BY id"
    ))
    .fetch_all(tx)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_checked_by_extension_and_content() {
        assert_eq!(check_type("报价单.PDF", b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(check_type("现场.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(check_type("合同.docx", b"PK\x03\x04rest"), Some(ALLOWED[11].1));
        assert_eq!(check_type("纪要.txt", "会议纪要".as_bytes()), Some("text/plain; charset=utf-8"));
        assert_eq!(check_type("setup.exe", b"MZ"), None, "extension not allowed");
        assert_eq!(check_type("invoice.pdf", b"MZ\x90\x00"), None, "content does not match the name");
        assert_eq!(check_type("notes.txt", b"ab\x00cd"), None, "binary posing as text");
        assert_eq!(check_type("noextension", b"%PDF-"), None);
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\li\\报价单.pdf"), "报价单.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.txt"), "ab.txt");
    }
}
