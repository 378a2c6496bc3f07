//! Configuration from the environment, checked at start.
use anyhow::{bail, Context};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub site_root: String,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
}

fn flag(name: &str) -> anyhow::Result<bool> {
    match std::env::var(name).ok().as_deref().map(str::trim) {
        None | Some("") | Some("0") | Some("false") | Some("no") => Ok(false),
        Some("1") | Some("true") | Some("yes") => Ok(true),
        Some(other) => bail!("{name} must be 1/true/yes or 0/false/no, got {other:?}"),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(std::env::var("CRM_DATA_DIR").unwrap_or_else(|_| "data".to_string()));
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(u) if !u.trim().is_empty() => u.trim().to_string(),
            _ => {
                std::fs::create_dir_all(&data_dir).with_context(|| format!("creating data directory {}", data_dir.display()))?;
                format!("sqlite:{}", data_dir.join("crm.db").display())
            }
        };
        let bind_text = std::env::var("CRM_BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_string());
        let bind: SocketAddr =
            bind_text.parse().with_context(|| format!("CRM_BIND must be an address like 127.0.0.1:3000, got {bind_text:?}"))?;
        let site_root =
            std::env::var("CRM_SITE_ROOT").or_else(|_| std::env::var("LEPTOS_SITE_ROOT")).unwrap_or_else(|_| "target/site".to_string());
        Ok(Config {
            database_url,
            data_dir,
            bind,
            site_root,
            secure_cookies: flag("CRM_SECURE_COOKIES")?,
            trust_proxy: flag("CRM_TRUST_PROXY")?,
        })
    }
}
