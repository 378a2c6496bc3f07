//! Knowledge base and FAQ articles as the browser and the server share them, and the
//! terms a service request's text is matched on.
use crate::platform::error::FieldError;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
pub const SHORT_MAX: usize = 100;
pub const TAGS_MAX: usize = 300;
/// Who an article is for: the staff, or customers too (the portal's FAQ).
pub const AUDIENCES: [&str; 2] = ["internal", "public"];
/// At most this many terms of a request's text are matched.
pub const TERMS_MAX: usize = 24;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub audience: String,
    pub published: bool,
    pub version: i64,
    pub updated_at: i64,
    pub updated_by_name: Option<String>,
}

impl Article {
    pub fn to_input(&self) -> ArticleInput {
        ArticleInput {
            title: self.title.clone(),
            body: self.body.clone(),
            category: self.category.clone(),
            tags: self.tags.clone(),
            audience: self.audience.clone(),
            published: self.published,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub audience: String,
    pub published: bool,
}

impl Default for ArticleInput {
    fn default() -> Self {
        Self {
            title: String::new(),
            body: String::new(),
            category: String::new(),
            tags: String::new(),
            audience: "internal".into(),
            published: true,
        }
    }
}

impl ArticleInput {
    pub fn validate(&self) -> Result<ArticleInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        let body = self.body.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "validation.required"));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(FieldError::new("title", "validation.too_long"));
        }
        if body.is_empty() {
            errors.push(FieldError::new("body", "validation.required"));
        } else if body.chars().count() > BODY_MAX {
            errors.push(FieldError::new("body", "validation.too_long"));
        }
        let category = self.category.trim();
        if category.chars().count() > SHORT_MAX {
            errors.push(FieldError::new("category", "validation.too_long"));
        }
        // Tags stored normalised: "a, b, c".
        let tags = crate::fieldwork::types::skill_list(&self.tags).join(", ");
        if tags.chars().count() > TAGS_MAX {
            errors.push(FieldError::new("tags", "validation.too_long"));
        }
        if !AUDIENCES.contains(&self.audience.as_str()) {
            errors.push(FieldError::new("audience", "validation.invalid_choice"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ArticleInput {
            title: title.to_string(),
            body: body.to_string(),
            category: category.to_string(),
            tags,
            audience: self.audience.clone(),
            published: self.published,
        })
    }
}

/// An article in a list: no body, an excerpt instead.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleRow {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub category: String,
    pub tags: String,
    pub audience: String,
    pub published: bool,
    pub updated_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub rows: Vec<ArticleRow>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleDetail {
    pub article: Article,
    pub can_edit: bool,
    /// Requests (number, subject) the article is linked to that the user may see.
    pub requests: Vec<(i64, String, String)>,
}

/// A request's linked articles and the ones its text suggests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestArticles {
    pub linked: Vec<ArticleRow>,
    pub suggested: Vec<ArticleRow>,
    pub can_link: bool,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
}

/// The terms a request's text is matched on, most telling first and without repeats:
/// Chinese runs as overlapping character pairs (the usual way to match Chinese without
/// a dictionary: "主轴异响" → 主轴, 轴异, 异响), and Latin words or model numbers of two
/// characters or more, lower-cased. At most [`TERMS_MAX`].
pub fn match_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if out.len() < TERMS_MAX && !out.contains(&t) {
            out.push(t);
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            for pair in run.windows(2) {
                push(pair.iter().collect());
            }
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '-') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().trim_matches('-').to_lowercase();
            if word.chars().count() >= 2 && !word.chars().all(|c| c.is_ascii_digit()) {
                push(word);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// A short plain excerpt of a body for lists.
pub fn excerpt(body: &str, max: usize) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut s: String = flat.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_become_character_pairs_and_latin_words_stay_whole() {
        assert_eq!(match_terms("主轴异响"), ["主轴", "轴异", "异响"]);
        assert_eq!(match_terms("VMC-850 主轴，异响！"), ["vmc-850", "主轴", "异响"]);
        // Single characters, lone digits and repeats are dropped.
        assert_eq!(match_terms("主 a 12 主轴 主轴 E5"), ["主轴", "e5"]);
        assert!(match_terms("").is_empty());
    }

    #[test]
    fn terms_are_capped() {
        let long = "数控机床主轴高速运转时有明显异响并且温度升高需要停机检查轴承润滑情况以及冷却系统";
        let terms = match_terms(long);
        assert_eq!(terms.len(), TERMS_MAX);
        assert_eq!(terms[0], "数控");
    }

    #[test]
    fn input_is_trimmed_and_checked() {
        let bad = ArticleInput { title: " ".into(), body: "".into(), audience: "everyone".into(), ..Default::default() };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "body", "audience"]);
        let ok = ArticleInput {
            title: " 主轴异响排查 ".into(),
            body: "先查轴承".into(),
            tags: "主轴，轴承、 异响".into(),
            ..Default::default()
        };
        let v = ok.validate().unwrap();
        assert_eq!((v.title.as_str(), v.tags.as_str()), ("主轴异响排查", "主轴, 轴承, 异响"));
    }

    #[test]
    fn excerpts_are_flat_and_short() {
        assert_eq!(excerpt("第一行\n\n第二行", 20), "第一行 第二行");
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
