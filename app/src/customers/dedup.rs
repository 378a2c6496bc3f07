//! Duplicate detection keys (C9): what makes two customer records "the same company"
//! in Chinese and English.
//!
//! Company names are reduced to a key that ignores width (full-width ＡＢＣ（）),
//! punctuation and brackets, letter case, region prefixes or bracketed regions
//! (北京…, …（北京）…, 广东省深圳市…), and legal forms (有限公司, 股份有限公司, 集团,
//! Co., Ltd.). A second, shorter key also drops trailing industry words (科技, 网络,
//! 贸易…) to catch "天度网络科技" vs "天度科技". Contact fields get exact keys
//! (digits of a phone, host of a website, lower-case e-mail, upper-case tax id).
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Provinces, municipalities and major cities, longest first so 内蒙古 wins over 内蒙.
const REGIONS: &[&str] = &[
    "内蒙古自治区",
    "广西壮族自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "西藏自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "黑龙江",
    "内蒙古",
    "哈尔滨",
    "石家庄",
    "乌鲁木齐",
    "呼和浩特",
    "北京",
    "上海",
    "天津",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "臺灣",
    "香港",
    "澳门",
    "澳門",
    "广西",
    "宁夏",
    "新疆",
    "西藏",
    "深圳",
    "广州",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "厦门",
    "青岛",
    "大连",
    "宁波",
    "无锡",
    "长沙",
    "郑州",
    "济南",
    "沈阳",
    "长春",
    "合肥",
    "福州",
    "昆明",
    "南昌",
    "南宁",
    "贵阳",
    "太原",
    "兰州",
    "东莞",
    "佛山",
    "珠海",
    "温州",
    "台北",
    "臺北",
    "高雄",
    "台中",
    "臺中",
];

/// Legal forms and group words, longest first.
const LEGAL_FORMS: &[&str] = &[
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "集团有限公司",
    "集團有限公司",
    "集团公司",
    "集團公司",
    "有限公司",
    "总公司",
    "總公司",
    "分公司",
    "集团",
    "集團",
    "公司",
    "companylimited",
    "corporation",
    "holdings",
    "limited",
    "company",
    "group",
    "gmbh",
    "corp",
    "coltd",
    "inc",
    "llc",
    "ltd",
    "co",
];

/// Trailing industry words, dropped only for the shorter "core" key.
const INDUSTRY_WORDS: &[&str] = &[
    "信息技术",
    "网络科技",
    "电子商务",
    "文化传媒",
    "国际贸易",
    "科技发展",
    "技术服务",
    "智能科技",
    "数字科技",
    "信息科技",
    "科技",
    "網絡",
    "网络",
    "信息",
    "資訊",
    "技术",
    "技術",
    "贸易",
    "貿易",
    "实业",
    "實業",
    "发展",
    "發展",
    "商贸",
    "电子",
    "電子",
    "软件",
    "軟體",
    "咨询",
    "諮詢",
    "服务",
    "服務",
    "管理",
    "投资",
    "投資",
    "控股",
    "传媒",
    "傳媒",
    "物流",
    "工程",
    "建设",
    "建設",
    "technology",
    "technologies",
    "tech",
    "network",
    "software",
    "trading",
    "consulting",
    "services",
    "international",
];

/// Keys of one company name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameKey {
    /// Name without width, case, punctuation, region or legal form.
    pub full: String,
    /// `full` without trailing industry words (never empty when `full` is not).
    pub core: String,
    /// The region the name mentioned, if any.
    pub region: Option<String>,
}

fn strip_region_suffix(rest: &str) -> &str {
    for s in ["特别行政区", "自治区", "省", "市", "区", "縣", "县"] {
        if let Some(r) = rest.strip_prefix(s) {
            return r;
        }
    }
    rest
}

/// Removes region names at the start, possibly several (广东省深圳市), returning the first.
fn strip_leading_regions(s: &str) -> (String, Option<String>) {
    let mut rest = s;
    let mut first = None;
    'outer: loop {
        for r in REGIONS {
            if let Some(after) = rest.strip_prefix(r) {
                let after = strip_region_suffix(after);
                // Keep a region that is the whole name (a company called 北京 is still 北京).
                if after.chars().count() < 2 {
                    break 'outer;
                }
                first.get_or_insert_with(|| canonical_region(r));
                rest = after;
                continue 'outer;
            }
        }
        break;
    }
    (rest.to_string(), first)
}

fn canonical_region(r: &str) -> String {
    let r = r.trim_end_matches("特别行政区").trim_end_matches("自治区");
    match r {
        "臺灣" => "台湾",
        "澳門" => "澳门",
        "臺北" => "台北",
        "臺中" => "台中",
        other => other,
    }
    .trim_end_matches("壮族")
    .trim_end_matches("回族")
    .trim_end_matches("维吾尔")
    .to_string()
}

fn strip_trailing(s: &mut String, words: &[&str], keep_min_chars: usize) {
    loop {
        let before = s.len();
        for w in words {
            if s.ends_with(w) && s.chars().count() - w.chars().count() >= keep_min_chars {
                s.truncate(s.len() - w.len());
                break;
            }
        }
        if s.len() == before {
            break;
        }
    }
}

/// Computes the keys of a company or person name.
pub fn name_key(name: &str) -> NameKey {
    // NFKC folds full-width letters, digits and brackets to ASCII.
    let folded: String = name.nfkc().collect::<String>().to_lowercase();
    // Bracketed text: a region in brackets is remembered and removed; other text is kept.
    let mut text = String::new();
    let mut bracket_region = None;
    let mut depth = 0;
    let mut inner = String::new();
    for c in folded.chars() {
        match c {
            '(' | '[' | '【' | '〔' | '「' => {
                depth += 1;
                inner.clear();
            }
            ')' | ']' | '】' | '〕' | '」' if depth > 0 => {
                depth -= 1;
                let cleaned: String = inner.chars().filter(|c| c.is_alphanumeric()).collect();
                let (rest, region) = strip_leading_regions(&format!("{cleaned}xx"));
                if region.is_some() && rest == "xx" {
                    bracket_region = bracket_region.or(region);
                } else {
                    text.push_str(&cleaned);
                }
                inner.clear();
            }
            _ if depth > 0 => inner.push(c),
            _ => text.push(c),
        }
    }
    text.push_str(&inner);
    let compact: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
    let (mut full, mut lead_region) = strip_leading_regions(&compact);
    strip_trailing(&mut full, LEGAL_FORMS, 2);
    // When the region is the distinctive part (北京银行 / 上海银行), keep it.
    if lead_region.is_some() && full.chars().count() <= 2 {
        full = compact.clone();
        strip_trailing(&mut full, LEGAL_FORMS, 2);
        lead_region = None;
    }
    let mut core = full.clone();
    strip_trailing(&mut core, INDUSTRY_WORDS, 2);
    NameKey { full, core, region: lead_region.or(bracket_region) }
}

/// Why two names look like the same company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameMatch {
    /// Same name once width, punctuation, region and legal form are ignored.
    Equivalent,
    /// Same distinctive part; the industry words differ (天度网络科技 / 天度科技).
    SameCore,
    /// Similar spelling (typo, one character added or missing).
    Similar,
}

/// Score 0–100 and reason when two names are likely the same company, else `None`.
pub fn compare_names(a: &str, b: &str) -> Option<(u8, NameMatch)> {
    compare_names_raw(a, b).filter(|(score, _)| *score >= 80)
}

/// Like [`compare_names`] without the threshold (for combining with other evidence).
fn compare_names_raw(a: &str, b: &str) -> Option<(u8, NameMatch)> {
    let (ka, kb) = (name_key(a), name_key(b));
    if ka.full.is_empty() || kb.full.is_empty() {
        return None;
    }
    // Same name in two different regions is usually two branches, not one company.
    let region_penalty = match (&ka.region, &kb.region) {
        (Some(x), Some(y)) if x != y => 20,
        _ => 0,
    };
    let (score, why) = if ka.full == kb.full {
        (98, NameMatch::Equivalent)
    } else if ka.core == kb.core && ka.core.chars().count() >= 2 {
        (88, NameMatch::SameCore)
    } else {
        let sim = strsim::normalized_damerau_levenshtein(&ka.full, &kb.full);
        let jw = strsim::jaro_winkler(&ka.full, &kb.full);
        let s = (sim.max(jw * 0.95) * 100.0).round() as u8;
        (s, NameMatch::Similar)
    };
    Some((score.saturating_sub(region_penalty), why))
}

/// Digits of a phone number without country code or extension; `None` if too short to compare.
pub fn phone_key(phone: &str) -> Option<String> {
    let folded: String = phone.nfkc().collect();
    let main = folded.split(['转', '#', 'x', 'X']).next().unwrap_or("");
    let main = main.split("ext").next().unwrap_or("");
    let mut digits: String = main.chars().filter(|c| c.is_ascii_digit()).collect();
    if folded.trim_start().starts_with('+') || digits.starts_with("0086") {
        digits = digits.trim_start_matches("00").to_string();
        if let Some(rest) = digits.strip_prefix("86") {
            digits = rest.to_string();
        }
    }
    let digits = digits.trim_start_matches('0').to_string();
    (digits.len() >= 7).then_some(digits)
}

/// Host of a website without scheme, `www.`, port or path.
pub fn website_key(site: &str) -> Option<String> {
    let s = site.trim().to_lowercase();
    let s = s.split("://").last().unwrap_or("");
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host).trim_end_matches('.');
    (host.contains('.')).then(|| host.to_string())
}

pub fn email_key(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    e.contains('@').then_some(e)
}

/// Street and house number of an address, without region, district, building or room:
/// 北京市朝阳区建国路８８号ＳＯＨＯ现代城Ａ座 and 朝阳区建国路88号现代城 both give
/// 建国路88号. `None` when too short or without a number to be telling.
pub fn address_key(address: &str) -> Option<String> {
    let folded: String = address.nfkc().collect::<String>().to_lowercase();
    let compact: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
    let (rest, _) = strip_leading_regions(&compact);
    let mut rest = rest.as_str();
    // A district, county or new area right after the city (朝阳区, 浦东新区, 昌平县).
    if let Some((i, c)) = rest.char_indices().take(6).find(|(_, c)| matches!(c, '区' | '區' | '县' | '縣' | '旗')) {
        if i > 0 {
            rest = &rest[i + c.len_utf8()..];
        }
    }
    let key = match rest.find(['号', '號']) {
        Some(i) => &rest[..i + '号'.len_utf8()],
        None => rest,
    };
    (key.chars().count() >= 4 && key.chars().any(|c| c.is_ascii_digit())).then(|| key.replace('號', "号"))
}

pub fn tax_key(tax_id: &str) -> Option<String> {
    let t: String = tax_id.nfkc().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    (t.len() >= 8).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_company_names_reduce_to_the_same_key() {
        let same = [
            ("北京天度网络科技有限公司", "天度网络（北京）科技有限公司"),
            ("北京天度网络科技有限公司", "天度网络科技(北京)有限公司"),
            ("北京天度网络科技有限公司", "北京市天度网络科技有限责任公司"),
            ("广东省深圳市腾达电子有限公司", "深圳腾达电子有限公司"),
            ("上海浦江精密机械股份有限公司", "上海浦江精密机械有限公司"),
            ("华为技术有限公司", "华为技术"),
            ("ＡＢＣ贸易有限公司", "abc贸易有限公司"),
            ("海尔集团公司", "海尔集团"),
            ("台北信義軟體股份有限公司", "信義軟體股份有限公司"),
            ("Acme Trading Co., Ltd.", "ACME TRADING CO LTD"),
            ("Acme Holdings Limited", "acme holdings"),
        ];
        for (a, b) in same {
            assert_eq!(name_key(a).full, name_key(b).full, "{a} vs {b}");
        }
        assert_eq!(name_key("北京天度网络科技有限公司").full, "天度网络科技");
        assert_eq!(name_key("天度网络（北京）科技有限公司").region.as_deref(), Some("北京"));
    }

    #[test]
    fn distinct_companies_keep_distinct_keys() {
        let different = [
            ("北京天度网络科技有限公司", "北京天成网络科技有限公司"),
            ("华为技术有限公司", "中兴通讯股份有限公司"),
            ("北京银行", "上海银行"),
        ];
        for (a, b) in different {
            assert_ne!(name_key(a).full, name_key(b).full, "{a} vs {b}");
        }
        // A name that is only a region stays as it is.
        assert_eq!(name_key("北京").full, "北京");
    }

    #[test]
    fn comparison_scores_and_explains() {
        let (score, why) = compare_names("北京天度网络科技有限公司", "天度网络（北京）科技有限公司").unwrap();
        assert_eq!(why, NameMatch::Equivalent);
        assert!(score >= 95);
        let (_, why) = compare_names("天度网络科技有限公司", "天度科技有限公司").unwrap();
        assert_eq!(why, NameMatch::SameCore);
        let (score, why) = compare_names("Hangzhou Yunqi Data Technology", "Hangzhou Yunqi Data Technolgy").unwrap();
        assert_eq!(why, NameMatch::Similar);
        assert!(score >= 80);
        assert_eq!(compare_names("北京天度网络科技有限公司", "中兴通讯股份有限公司"), None);
        // The same name in two regions scores lower: probably branches.
        let (branch, _) = compare_names("北京天度网络科技有限公司", "上海天度网络科技有限公司").unwrap_or((0, NameMatch::Similar));
        assert!(branch < 95, "branch score {branch}");
    }

    #[test]
    fn contact_keys_are_exact_but_forgiving_of_format() {
        assert_eq!(phone_key("+86 (010) 6552-8888 转 123"), phone_key("010-65528888"));
        assert_eq!(phone_key("0086 138 0013 8000"), Some("13800138000".into()));
        assert_eq!(phone_key("138-0013-8000"), Some("13800138000".into()));
        assert_eq!(phone_key("１３８００１３８０００"), Some("13800138000".into()));
        assert_eq!(phone_key("12345"), None);
        assert_eq!(website_key("https://www.TianDu.com.cn/about?x=1"), Some("tiandu.com.cn".into()));
        assert_eq!(website_key("tiandu.com.cn:8080"), Some("tiandu.com.cn".into()));
        assert_eq!(website_key("nowhere"), None);
        assert_eq!(email_key(" Sales@TianDu.com.cn "), Some("sales@tiandu.com.cn".into()));
        assert_eq!(tax_key("９１１１０１０５ma01abcd2x"), Some("91110105MA01ABCD2X".into()));
    }

    #[test]
    fn addresses_reduce_to_street_and_number() {
        let same = [
            ("北京市朝阳区建国路８８号ＳＯＨＯ现代城Ａ座1201", "朝阳区建国路88号现代城"),
            ("北京朝阳区建国路88号", "建国路 88 号 2 层"),
            ("上海市浦东新区世纪大道100号", "上海浦东新区世纪大道100號环球金融中心"),
            ("广东省深圳市南山区科技园科苑路15号", "深圳市南山区科技园科苑路15号"),
        ];
        for (a, b) in same {
            assert_eq!(address_key(a), address_key(b), "{a} vs {b}");
        }
        assert_eq!(address_key("北京市朝阳区建国路88号").as_deref(), Some("建国路88号"));
        assert_ne!(address_key("北京市朝阳区建国路88号"), address_key("北京市朝阳区建国路86号"));
        assert_eq!(address_key("88 Jianguo Road, Beijing"), Some("88jianguoroadbeijing".into()));
        // Too vague to compare: no number, or only a region.
        assert_eq!(address_key("北京市朝阳区"), None);
        assert_eq!(address_key("科技园"), None);
    }
}

/// The stored duplicate-detection keys of one customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DedupKeys {
    pub name_key: Option<String>,
    pub name_core: Option<String>,
    pub phone_key: Option<String>,
    pub email_key: Option<String>,
    pub website_key: Option<String>,
    pub tax_key: Option<String>,
    pub address_key: Option<String>,
}

/// The fields duplicate keys are computed from.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyFields<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub website: Option<&'a str>,
    pub tax_id: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl DedupKeys {
    pub fn of(f: KeyFields<'_>) -> Self {
        let KeyFields { name, phone, email, website, tax_id, address } = f;
        let k = name_key(name);
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        DedupKeys {
            name_key: non_empty(k.full),
            name_core: non_empty(k.core),
            phone_key: phone.and_then(phone_key),
            email_key: email.and_then(email_key),
            website_key: website.and_then(website_key),
            tax_key: tax_id.and_then(tax_key),
            address_key: address.and_then(address_key),
        }
    }
}

/// Why a record was flagged as a possible duplicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DupReason {
    Name(NameMatch),
    TaxId,
    Phone,
    Email,
    Website,
    /// Same street and number, and a name close enough to back it up.
    Address,
}

impl DupReason {
    /// Locale key of the explanation shown to the user.
    pub fn key(self) -> &'static str {
        match self {
            DupReason::Name(NameMatch::Equivalent) => "dedup.reason.name_equivalent",
            DupReason::Name(NameMatch::SameCore) => "dedup.reason.name_core",
            DupReason::Name(NameMatch::Similar) => "dedup.reason.name_similar",
            DupReason::TaxId => "dedup.reason.tax_id",
            DupReason::Phone => "dedup.reason.phone",
            DupReason::Email => "dedup.reason.email",
            DupReason::Website => "dedup.reason.website",
            DupReason::Address => "dedup.reason.address",
        }
    }
}

/// A possible duplicate of the customer being entered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateHit {
    /// `None` when the existing record lies outside the user's data scope: they learn
    /// that it exists and who owns it (to avoid 撞单), not its contents.
    pub id: Option<i64>,
    pub name: String,
    pub owner_name: Option<String>,
    /// 0–100.
    pub score: u8,
    pub reasons: Vec<DupReason>,
}

/// Scores an existing record against the keys of a new one; `None` below the threshold.
pub fn score_candidate(new_name: &str, new: &DedupKeys, existing_name: &str, existing: &DedupKeys) -> Option<(u8, Vec<DupReason>)> {
    let mut reasons = Vec::new();
    let mut score = 0u8;
    let mut exact = |hit: bool, reason: DupReason, s: u8| {
        if hit {
            reasons.push(reason);
            score = score.max(s);
        }
    };
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    exact(same(&new.tax_key, &existing.tax_key), DupReason::TaxId, 100);
    exact(same(&new.phone_key, &existing.phone_key), DupReason::Phone, 90);
    exact(same(&new.email_key, &existing.email_key), DupReason::Email, 90);
    exact(same(&new.website_key, &existing.website_key), DupReason::Website, 85);
    let name = compare_names_raw(new_name, existing_name);
    if same(&new.address_key, &existing.address_key) {
        // One address holds many companies (an office tower, an incubator), so the
        // address alone flags nothing; with a loosely similar name it does.
        if let Some((s, _)) = name.filter(|(s, _)| *s >= 50) {
            reasons.push(DupReason::Address);
            score = score.max(s.max(82));
        }
    }
    if let Some((s, why)) = name.filter(|(s, _)| *s >= 80) {
        reasons.insert(0, DupReason::Name(why));
        score = score.max(s);
    }
    (score >= 80).then_some((score, reasons))
}

#[cfg(test)]
mod scoring_tests {
    use super::*;

    #[test]
    fn exact_contact_matches_count_even_when_names_differ() {
        let a = DedupKeys::of(KeyFields {
            name: "天度网络科技有限公司",
            phone: Some("010-6552 8888"),
            website: Some("www.tiandu.cn"),
            ..Default::default()
        });
        let b = DedupKeys::of(KeyFields {
            name: "北京天度有限公司",
            phone: Some("+86 10 65528888"),
            website: Some("https://tiandu.cn/"),
            ..Default::default()
        });
        let (score, reasons) = score_candidate("天度网络科技有限公司", &a, "完全不同的名字", &b).unwrap();
        assert_eq!(score, 90);
        assert_eq!(reasons, vec![DupReason::Phone, DupReason::Website]);
        let none = DedupKeys::of(KeyFields { name: "另一家公司", phone: Some("021-1234 5678"), ..Default::default() });
        assert_eq!(score_candidate("天度网络科技有限公司", &a, "另一家公司", &none), None);
    }

    #[test]
    fn a_shared_address_backs_up_a_loosely_similar_name_only() {
        let at =
            |name: &'static str, address: &'static str| DedupKeys::of(KeyFields { name, address: Some(address), ..Default::default() });
        // A misspelt name (天渡/天度) that the name keys alone would not find.
        let a = at("北京天度网络科技有限公司", "北京市朝阳区建国路88号A座");
        let b = at("天渡网络科技有限公司", "朝阳区建国路88号现代城");
        let (score, reasons) = score_candidate("北京天度网络科技有限公司", &a, "天渡网络科技有限公司", &b).unwrap();
        assert!(score >= 80, "{score}");
        assert!(reasons.contains(&DupReason::Address), "{reasons:?}");
        // A different company in the same tower is not flagged.
        let c = at("中兴通讯股份有限公司", "建国路88号");
        assert_eq!(score_candidate("北京天度网络科技有限公司", &a, "中兴通讯股份有限公司", &c), None);
    }
}
