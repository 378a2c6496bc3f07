//! A printable business document (quote, later order, contract, invoice) as the PDF
//! renderer receives it: every label already translated, every figure already
//! formatted, so the layout (server/src/pdf/document.typ) only places strings.
use serde::{Deserialize, Serialize};

use crate::platform::i18n::Locale;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

impl Field {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Field { label: label.into(), value: value.into() }
    }
}

/// The seller as the company profile setting describes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Letterhead {
    pub name: String,
    /// Address, phone, email, website, tax id, bank: the lines under the name.
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// typst `lang` and `region`: "zh"/"cn", "zh"/"tw", "en"/"".
    pub lang: String,
    pub region: String,
    /// The Noto Sans CJK family whose glyph shapes suit the language.
    pub font: String,
    pub title: String,
    pub number: String,
    pub letterhead: Letterhead,
    /// Date, validity, currency, owner…
    pub meta: Vec<Field>,
    pub party_label: String,
    pub party: Vec<String>,
    pub columns: Vec<String>,
    /// Columns from this index on are figures, aligned right.
    pub figures_from: usize,
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<Field>,
    /// The total in Chinese capital numerals (大写) for CNY documents in Chinese.
    pub amount_words: Option<Field>,
    /// Terms, notes: titled paragraphs after the totals.
    pub sections: Vec<Field>,
    /// A stamp across the top for documents that are not final ("Draft").
    pub stamp: Option<String>,
    pub footer: String,
}

impl Document {
    /// Language settings for typst and the CJK font that suits the locale.
    pub fn for_locale(locale: Locale) -> Self {
        let (lang, region, font) = match locale {
            Locale::ZhCn => ("zh", "cn", "Noto Sans CJK SC"),
            Locale::ZhTw => ("zh", "tw", "Noto Sans CJK TC"),
            Locale::En => ("en", "", "Noto Sans CJK SC"),
        };
        Document { lang: lang.into(), region: region.into(), font: font.into(), ..Default::default() }
    }

    /// A filled-in quote, for the renderer's own test and the PDF benchmark.
    pub fn sample() -> Self {
        let mut d = Document::for_locale(Locale::ZhCn);
        d.title = "报价单".into();
        d.number = "QT20261130-0001".into();
        d.letterhead = Letterhead {
            name: "云帆软件（北京）有限公司".into(),
            lines: vec!["北京市海淀区中关村大街 1 号 · 010-8888 6666".into(), "开户行：招商银行北京分行 · 账号 1109 0000 0000 0001".into()],
        };
        d.meta = vec![Field::new("报价日期", "2026-11-30"), Field::new("有效期至", "2026-12-30"), Field::new("币种", "CNY")];
        d.party_label = "客户".into();
        d.party = vec!["北京天度网络科技有限公司".into(), "联系人：王经理".into()];
        d.columns = ["#", "品名", "数量", "单价", "折扣", "税率", "金额"].map(String::from).to_vec();
        d.figures_from = 2;
        d.rows = (1..=12)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("企业版 CRM 订阅（{i} 年）"),
                    "10 套".into(),
                    "12,800.00".into(),
                    "5 %".into(),
                    "6 %".into(),
                    "121,600.00".into(),
                ]
            })
            .collect();
        d.totals = vec![Field::new("小计", "1,459,200.00"), Field::new("税额", "87,552.00"), Field::new("含税合计", "¥ 1,546,752.00")];
        d.amount_words = Some(Field::new("人民币（大写）", amount_in_chinese(154_675_200, false)));
        d.sections = vec![Field::new("条款", "付款方式：合同签订后 30 日内支付 50%，验收后支付余款。\n交货期：收到预付款后 15 个工作日。")];
        d.stamp = Some("草稿".into());
        d.footer = "李娜 · 2026-11-30 10:00".into();
        d
    }
}

impl Letterhead {
    /// The company profile as the lines under the company's name: address; phone, email
    /// and website; tax id; bank and account.
    pub fn from_profile(company: &crate::finance::types::CompanyProfile, locale: Locale) -> Self {
        let t = |key: &str| crate::platform::i18n::tr(locale, key);
        let labelled = |key: &str, v: &str| (!v.is_empty()).then(|| format!("{}{}", t(key), v));
        let joined = |parts: Vec<Option<String>>| parts.into_iter().flatten().reduce(|a, b| format!("{a} · {b}"));
        let mut lines = Vec::new();
        lines.extend(labelled("print.address", &company.address));
        lines.extend(joined(vec![
            labelled("print.phone", &company.phone),
            labelled("print.email", &company.email),
            (!company.website.is_empty()).then(|| company.website.clone()),
        ]));
        lines.extend(labelled("print.tax_id", &company.tax_id));
        lines.extend(joined(vec![labelled("print.bank", &company.bank_name), labelled("print.account", &company.bank_account)]));
        Letterhead { name: company.name.clone(), lines }
    }
}

/// The customer a document is addressed to: name, address, phone and tax id.
#[cfg(feature = "ssr")]
pub async fn customer_party(tx: &mut crate::platform::db::Tx, customer_id: i64, locale: Locale) -> Result<Vec<String>, sqlx::Error> {
    let t = |key: &str| crate::platform::i18n::tr(locale, key);
    type Party = (String, Option<String>, Option<String>, Option<String>);
    let party: Option<Party> = crate::platform::db::sql("SELECT name, address, phone, tax_id FROM customers WHERE id = $1")
        .arg_i64(customer_id)
        .fetch_optional(tx)
        .await?;
    let mut lines = Vec::new();
    if let Some((name, address, phone, tax_id)) = party {
        lines.push(name);
        lines.extend(address.filter(|s| !s.is_empty()));
        lines.extend(phone.filter(|s| !s.is_empty()).map(|p| format!("{}{p}", t("print.phone"))));
        lines.extend(tax_id.filter(|s| !s.is_empty()).map(|p| format!("{}{p}", t("print.tax_id"))));
    }
    Ok(lines)
}

/// An amount of CNY minor units (fen) in Chinese capital numerals, as invoices and
/// contracts write it: 154675200 → 壹佰伍拾肆万陆仟柒佰伍拾贰元整. `traditional` uses
/// the forms written in Taiwan and Hong Kong (貳, 參, 陸, 萬, 億).
pub fn amount_in_chinese(minor: i64, traditional: bool) -> String {
    let digits: [&str; 10] = if traditional {
        ["零", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖"]
    } else {
        ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]
    };
    let (wan, yi) = if traditional { ("萬", "億") } else { ("万", "亿") };
    let small = ["", "拾", "佰", "仟"];
    let mut out = String::new();
    if minor < 0 {
        out.push_str(if traditional { "負" } else { "负" });
    }
    let abs = minor.unsigned_abs();
    let (yuan, jiao, fen) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
    let int_digits: Vec<usize> = yuan.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let n = int_digits.len();
    let mut pending_zero = false;
    let mut section_has_digit = false;
    for (i, &d) in int_digits.iter().enumerate() {
        let pos = n - 1 - i;
        if d == 0 {
            pending_zero = yuan > 0;
        } else {
            if pending_zero && !out.is_empty() && !out.ends_with('负') && !out.ends_with('負') {
                out.push_str(digits[0]);
            }
            pending_zero = false;
            out.push_str(digits[d]);
            out.push_str(small[pos % 4]);
            section_has_digit = true;
        }
        if pos.is_multiple_of(4) && pos > 0 {
            // 万 closes a group only when the group has a digit; 亿 always closes one,
            // since some digit above it is not zero (6 0000 0000 0000: 陆万亿).
            if (pos / 4) % 2 == 1 {
                if section_has_digit {
                    out.push_str(wan);
                }
            } else {
                out.push_str(yi);
            }
            section_has_digit = false;
        }
    }
    let has_yuan = yuan > 0;
    if has_yuan {
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) => {
            if !has_yuan {
                out.push_str(digits[0]);
                out.push('元');
            }
            out.push('整');
        }
        (0, f) => {
            if has_yuan {
                out.push_str(digits[0]);
            }
            out.push_str(digits[f]);
            out.push('分');
        }
        (j, 0) => {
            out.push_str(digits[j]);
            out.push('角');
        }
        (j, f) => {
            out.push_str(digits[j]);
            out.push('角');
            out.push_str(digits[f]);
            out.push('分');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_numerals_follow_the_banking_rules() {
        let cases = [
            (0, "零元整"),
            (100, "壹元整"),
            (1000, "壹拾元整"),
            (100_400, "壹仟零肆元整"),
            (1_000_000, "壹万元整"),
            (10_001_000, "壹拾万零壹拾元整"),
            (10_000_000_000, "壹亿元整"),
            (10_001_000_000, "壹亿零壹万元整"),
            (10_000_000_100, "壹亿零壹元整"),
            (123_456_789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
            (105, "壹元零伍分"),
            (5, "伍分"),
            (50, "伍角"),
            (1_234_500, "壹万贰仟叁佰肆拾伍元整"),
            (-200, "负贰元整"),
        ];
        for (minor, want) in cases {
            assert_eq!(amount_in_chinese(minor, false), want, "{minor}");
        }
        assert_eq!(amount_in_chinese(2_030_000_000, true), "貳仟零參拾萬元整");
        assert_eq!(amount_in_chinese(600_000_000_000_000, false), "陆万亿元整");
    }
}
