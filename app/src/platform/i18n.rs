//! Languages: zh-CN (default), zh-TW and en.
//!
//! Strings live in `app/locales/<code>.json` (flat `module.key` names) and are
//! compiled into both the server and the WASM bundle. A unit test keeps the
//! three files in step, so a missing translation fails `make test`.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhCn,
    ZhTw,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::ZhCn, Locale::ZhTw, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
            Locale::En => "en",
        }
    }

    /// Name of the language in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "简体中文",
            Locale::ZhTw => "繁體中文",
            Locale::En => "English",
        }
    }

    /// Maps a BCP 47 tag to one of our locales; `None` when we have no match.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        if tag.is_empty() {
            return None;
        }
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Locale::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                if rest.iter().any(|p| *p == "hant" || *p == "tw" || *p == "hk" || *p == "mo") {
                    Some(Locale::ZhTw)
                } else {
                    Some(Locale::ZhCn)
                }
            }
            _ => None,
        }
    }

    /// Picks the best locale from an `Accept-Language` header, defaulting to zh-CN.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut candidates: Vec<(f32, usize, Locale)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(i, item)| {
                let mut bits = item.split(';');
                let tag = bits.next()?;
                let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
                Locale::from_tag(tag).filter(|_| q > 0.0).map(|l| (q, i, l))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|c| c.2).unwrap_or_default()
    }

    fn index(self) -> usize {
        match self {
            Locale::ZhCn => 0,
            Locale::ZhTw => 1,
            Locale::En => 2,
        }
    }
}

const SOURCES: [&str; 3] =
    [include_str!("../../locales/zh-CN.json"), include_str!("../../locales/zh-TW.json"), include_str!("../../locales/en.json")];

fn tables() -> &'static [HashMap<String, String>; 3] {
    static TABLES: OnceLock<[HashMap<String, String>; 3]> = OnceLock::new();
    TABLES.get_or_init(|| SOURCES.map(|s| serde_json::from_str(s).expect("locale file is valid JSON")))
}

/// The translation of `key`, or the key itself when it is missing (tests catch that).
pub fn tr(locale: Locale, key: &str) -> String {
    tables()[locale.index()].get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// Translation with `{name}` placeholders filled in.
pub fn tr_args(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    let mut s = tr(locale, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// Translator handed to components through context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct I18n(pub Locale);

impl I18n {
    pub fn t(&self, key: &str) -> String {
        tr(self.0, key)
    }
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        tr_args(self.0, key, args)
    }
    pub fn locale(&self) -> Locale {
        self.0
    }
}

/// The translator for the current page (zh-CN when none was provided).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n(Locale::ZhCn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_locale_has_every_key() {
        let keys: Vec<BTreeSet<&String>> = tables().iter().map(|t| t.keys().collect()).collect();
        for (i, locale) in Locale::ALL.iter().enumerate() {
            let missing: Vec<_> = keys[2].difference(&keys[i]).collect();
            let extra: Vec<_> = keys[i].difference(&keys[2]).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", locale.code());
            assert!(extra.is_empty(), "{} has keys en lacks: {extra:?}", locale.code());
        }
        for t in tables() {
            assert!(t.values().all(|v| !v.trim().is_empty()), "empty translation");
        }
    }

    #[test]
    fn negotiates_chinese_variants_and_english() {
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("zh-TW,zh;q=0.9"), Locale::ZhTw);
        assert_eq!(Locale::negotiate("zh-HK"), Locale::ZhTw);
        assert_eq!(Locale::negotiate("zh-Hant-TW"), Locale::ZhTw);
        assert_eq!(Locale::negotiate("zh-Hans-SG"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("zh-SG"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("en-US,en;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("fr-FR, en;q=0.5, zh-TW;q=0.7"), Locale::ZhTw);
        assert_eq!(Locale::negotiate("de, fr"), Locale::ZhCn);
        assert_eq!(Locale::negotiate(""), Locale::ZhCn);
        assert_eq!(Locale::negotiate("en;q=0, zh-TW;q=0.1"), Locale::ZhTw);
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(tr_args(Locale::En, "__test.greeting", &[("name", "Li".into())]), "__test.greeting");
        assert!(tr_args(Locale::En, "customers.count", &[("n", "3".into())]).contains('3'));
    }
}
