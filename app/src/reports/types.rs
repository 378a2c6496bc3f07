//! Sales reports (S7, S8, R1): the funnel, stage conversion and time in stage, the
//! forecast against targets, and the manager dashboard built from them. Types and
//! the arithmetic, shared by the browser and the server.
use crate::opportunities::types::{is_iso_date, weighted, OppFilter, Stage, StageKind};
use crate::platform::money::Currency;
use serde::{Deserialize, Serialize};

/// Longest period the dashboard reports on, in months.
pub const MAX_MONTHS: usize = 24;

/// What the dashboard shows (flat, so it lives in the URL).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashFilter {
    pub process: Option<i64>,
    /// A team: the department and those under it.
    pub department: Option<i64>,
    pub owner: Option<i64>,
    /// First and last month of the period, `YYYY-MM`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub currency: Option<String>,
}

impl DashFilter {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let text = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let num = |k: &str| get(k).and_then(|v| v.trim().parse().ok());
        DashFilter {
            process: num("process"),
            department: num("department"),
            owner: num("owner"),
            from: text("from").filter(|m| is_month(m)),
            to: text("to").filter(|m| is_month(m)),
            currency: text("currency").filter(|c| Currency::from_code(c).is_some()),
        }
    }

    pub fn to_query(&self) -> String {
        let pairs = [
            ("process", self.process.map(|v| v.to_string())),
            ("department", self.department.map(|v| v.to_string())),
            ("owner", self.owner.map(|v| v.to_string())),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("currency", self.currency.clone()),
        ];
        pairs.into_iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))).collect::<Vec<_>>().join("&")
    }
}

/// Whether `s` is a month written `YYYY-MM`.
pub fn is_month(s: &str) -> bool {
    s.len() == 7 && is_iso_date(&format!("{s}-01"))
}

/// The month after `m` (`YYYY-MM`).
pub fn next_month(m: &str) -> String {
    let y: i64 = m[..4].parse().unwrap_or(1970);
    let n: i64 = m[5..7].parse().unwrap_or(1);
    if n == 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", n + 1)
    }
}

/// The last day of month `m`, `YYYY-MM-DD`.
pub fn month_end(m: &str) -> String {
    (28..=31).rev().map(|d| format!("{m}-{d}")).find(|d| is_iso_date(d)).unwrap_or_else(|| format!("{m}-28"))
}

/// The months from `from` to `to`, both included; `None` when the range is reversed
/// or longer than [`MAX_MONTHS`].
pub fn months_between(from: &str, to: &str) -> Option<Vec<String>> {
    if !is_month(from) || !is_month(to) || from > to {
        return None;
    }
    let mut out = vec![from.to_string()];
    while out.last().is_some_and(|m| m.as_str() < to) {
        if out.len() == MAX_MONTHS {
            return None;
        }
        let next = next_month(out.last().map(String::as_str).unwrap_or(to));
        out.push(next);
    }
    Some(out)
}

/// The month bucket a date (`YYYY-MM-DD`) falls in, as an index into `months`.
pub fn bucket_of(date: &str, months: &[String]) -> Option<usize> {
    months.iter().position(|m| date.get(..7) == Some(m.as_str()))
}

/// One stage of the funnel: the open opportunities now in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FunnelRow {
    pub stage_id: i64,
    pub count: i64,
    pub amount: i64,
    pub weighted: i64,
}

/// How opportunities created in the period moved through one stage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageFlow {
    pub stage_id: i64,
    /// Opportunities that got at least this far.
    pub reached: i64,
    /// Share of them that went on to the next stage, in tenths of a percent.
    pub to_next_permille: Option<i64>,
    /// Mean time spent in the stage by moves out of it in the period, ms.
    pub avg_ms: Option<i64>,
    pub moves: i64,
}

/// Counts of opportunities by the furthest stage reached -> how many reached each
/// stage (reaching a later stage counts as reaching every earlier one), in stage
/// order, for the open stages and the won stage.
pub fn reached(stages: &[Stage], furthest: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut ordered: Vec<&Stage> = stages.iter().filter(|s| s.kind() != StageKind::Lost).collect();
    ordered.sort_by_key(|s| (s.kind() == StageKind::Won, s.position, s.id));
    let count_at = |id: i64| furthest.iter().filter(|f| f.0 == id).map(|f| f.1).sum::<i64>();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(ordered.len());
    let mut running = 0;
    for s in ordered.iter().rev() {
        running += count_at(s.id);
        out.push((s.id, running));
    }
    out.reverse();
    out
}

/// `part / whole` in tenths of a percent, rounded half up; `None` when `whole` is 0.
pub fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (2 * whole))
}

/// Formats tenths of a percent as `12.5%`.
pub fn format_permille(p: i64) -> String {
    format!("{}.{}%", p / 10, p % 10)
}

/// Amount and count of won or open opportunities of one group (a month, a person, a
/// team), with the weighted amount of the open ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub won: i64,
    pub won_count: i64,
    pub pipeline: i64,
    pub pipeline_count: i64,
    pub weighted: i64,
    pub target: Option<i64>,
}

impl Figures {
    /// Won plus the weighted open pipeline.
    pub fn forecast(&self) -> i64 {
        self.won + self.weighted
    }
    /// Won as a share of the target, in tenths of a percent.
    pub fn attainment(&self) -> Option<i64> {
        self.target.and_then(|t| permille(self.won, t))
    }
}

/// One month of the forecast.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: String,
    pub figures: Figures,
}

/// One person's or team's forecast over the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub figures: Figures,
}

/// Won or open opportunities grouped finely enough for every forecast view: by
/// owner, department, stage and month bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Cell {
    pub owner_id: Option<i64>,
    pub department_id: Option<i64>,
    pub stage_id: i64,
    pub won: bool,
    pub bucket: i64,
    pub count: i64,
    pub amount: i64,
}

/// Sums cells into figures. The weighted amount weights each stage's summed amount
/// (as the board and the list do), so a figure equals its drill-down list's total.
pub fn figures<'a>(cells: impl Iterator<Item = &'a Cell>, probability: impl Fn(i64) -> i64) -> Figures {
    let mut f = Figures::default();
    let mut by_stage: Vec<(i64, i64)> = Vec::new();
    for c in cells {
        if c.won {
            f.won += c.amount;
            f.won_count += c.count;
        } else {
            f.pipeline += c.amount;
            f.pipeline_count += c.count;
            match by_stage.iter_mut().find(|s| s.0 == c.stage_id) {
                Some(s) => s.1 += c.amount,
                None => by_stage.push((c.stage_id, c.amount)),
            }
        }
    }
    f.weighted = by_stage.iter().map(|(stage, amount)| weighted(*amount, probability(*stage))).sum();
    f
}

/// A target for one month and one person or department.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TargetCell {
    pub month: String,
    pub user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub amount: i64,
}

/// A month's target for a selection: the department's own target when the selection
/// is a department that has one, else the sum of the targets of its people; `None`
/// when no target applies.
pub fn target_for(targets: &[TargetCell], month: &str, department: Option<i64>, people: &[i64]) -> Option<i64> {
    let in_month = || targets.iter().filter(move |t| t.month == month);
    if let Some(d) = department {
        if let Some(t) = in_month().find(|t| t.department_id == Some(d)) {
            return Some(t.amount);
        }
    }
    let mut found = false;
    let sum = in_month().filter(|t| t.user_id.is_some_and(|u| people.contains(&u))).inspect(|_| found = true).map(|t| t.amount).sum();
    found.then_some(sum)
}

/// Adds targets over several months; `None` only when no month has one.
pub fn sum_targets(it: impl Iterator<Item = Option<i64>>) -> Option<i64> {
    it.fold(None, |acc, t| match (acc, t) {
        (None, t) => t,
        (Some(a), Some(t)) => Some(a + t),
        (a, None) => a,
    })
}

/// A person or team to pick in the dashboard's filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// The manager dashboard: everything the page draws, for one process, period and
/// currency, within the user's data scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub process_id: i64,
    pub from: String,
    pub to: String,
    pub currency: String,
    pub department: Option<i64>,
    pub owner: Option<i64>,
    pub processes: Vec<crate::opportunities::types::Process>,
    pub funnel: Vec<FunnelRow>,
    pub flow: Vec<StageFlow>,
    /// Won and closed (won + lost) among opportunities created in the period.
    pub won: i64,
    pub closed: i64,
    pub months: Vec<MonthRow>,
    pub people: Vec<GroupRow>,
    pub teams: Vec<GroupRow>,
    pub total: Figures,
    pub departments: Vec<Choice>,
    pub owners: Vec<Choice>,
}

impl Dashboard {
    /// The drill-down filter shared by every figure of this dashboard.
    pub fn base(&self) -> OppFilter {
        OppFilter {
            process: Some(self.process_id),
            owner: self.owner,
            department: self.department,
            currency: Some(self.currency.clone()),
            ..Default::default()
        }
    }
    /// Open opportunities expected to close within `from..=to` (months).
    pub fn open_between(&self, from: &str, to: &str) -> OppFilter {
        OppFilter { status: Some("open".into()), close_from: Some(format!("{from}-01")), close_to: Some(month_end(to)), ..self.base() }
    }
    /// Opportunities won within `from..=to` (months).
    pub fn won_between(&self, from: &str, to: &str) -> OppFilter {
        OppFilter { status: Some("won".into()), closed_from: Some(format!("{from}-01")), closed_to: Some(month_end(to)), ..self.base() }
    }
}

/// A sales target as the targets page edits it: twelve months of one year for one
/// person or department.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetInput {
    pub user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub year: i64,
    pub currency: String,
    /// Twelve amounts as typed (empty = no target that month).
    pub months: Vec<String>,
    /// The `stamp` the page loaded, to refuse overwriting someone else's change.
    pub stamp: i64,
}

/// One row of the targets page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub name: String,
    /// Department rows: the department's path depth, for indenting.
    pub depth: i64,
    pub months: Vec<Option<i64>>,
    /// Latest change to this row's targets (0 when none), the optimistic lock.
    pub stamp: i64,
}

/// The targets page: every person and department the user may set targets for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetSheet {
    pub year: i64,
    pub currency: String,
    pub rows: Vec<TargetRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: i64, position: i64, kind: &str) -> Stage {
        Stage {
            id,
            process_id: 1,
            code: None,
            name: None,
            position,
            probability: 0,
            kind: kind.into(),
            required_fields: String::new(),
            required_activity: None,
        }
    }

    #[test]
    fn months_and_buckets() {
        assert!(is_month("2026-11") && !is_month("2026-13") && !is_month("2026-1") && !is_month("26-11-01"));
        assert_eq!(next_month("2026-12"), "2027-01");
        assert_eq!(month_end("2028-02"), "2028-02-29");
        assert_eq!(month_end("2026-02"), "2026-02-28");
        assert_eq!(month_end("2026-11"), "2026-11-30");
        let m = months_between("2026-11", "2027-02").unwrap();
        assert_eq!(m, vec!["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(bucket_of("2027-01-31", &m), Some(2));
        assert_eq!(bucket_of("2027-03-01", &m), None);
        assert!(months_between("2027-01", "2026-12").is_none());
        assert_eq!(months_between("2026-01", "2027-12").map(|v| v.len()), Some(24));
        assert!(months_between("2026-01", "2028-01").is_none(), "longer than 24 months");
    }

    #[test]
    fn reaching_a_later_stage_counts_for_every_earlier_one() {
        let stages = [stage(1, 1, "open"), stage(2, 2, "open"), stage(3, 3, "open"), stage(9, 5, "won"), stage(8, 4, "lost")];
        // 10 got no further than stage 1, 5 to stage 2, 1 to stage 3, 4 were won.
        let r = reached(&stages, &[(1, 10), (2, 5), (3, 1), (9, 4)]);
        assert_eq!(r, vec![(1, 20), (2, 10), (3, 5), (9, 4)]);
        assert_eq!(permille(10, 20), Some(500));
        assert_eq!(permille(5, 10), Some(500));
        assert_eq!(permille(4, 5), Some(800));
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(2, 3), Some(667));
        assert_eq!(permille(1, 0), None);
        assert_eq!(format_permille(667), "66.7%");
    }

    #[test]
    fn figures_weight_each_stage_sum_and_split_won_from_open() {
        let cell = |stage_id, won, amount| Cell { stage_id, won, amount, count: 1, ..Default::default() };
        let cells = [cell(1, false, 3), cell(1, false, 3), cell(2, false, 100), cell(9, true, 500)];
        let prob = |s: i64| if s == 1 { 50 } else { 25 };
        let f = figures(cells.iter(), prob);
        // Stage 1 sums to 6 and weighs 3 (not 2 + 2 from rounding each card).
        assert_eq!((f.won, f.won_count, f.pipeline, f.pipeline_count, f.weighted), (500, 1, 106, 3, 28));
        assert_eq!(f.forecast(), 528);
        assert_eq!(Figures { won: 500, target: Some(2000), ..f.clone() }.attainment(), Some(250));
        assert_eq!(f.attainment(), None);
    }

    #[test]
    fn a_department_target_wins_over_the_sum_of_its_people() {
        let t = |month: &str, user: Option<i64>, dept: Option<i64>, amount| TargetCell {
            month: month.into(),
            user_id: user,
            department_id: dept,
            amount,
        };
        let targets = [
            t("2026-11", Some(1), None, 100),
            t("2026-11", Some(2), None, 50),
            t("2026-11", None, Some(7), 400),
            t("2026-12", Some(1), None, 10),
        ];
        assert_eq!(target_for(&targets, "2026-11", Some(7), &[1, 2]), Some(400));
        assert_eq!(target_for(&targets, "2026-11", Some(8), &[1, 2]), Some(150), "no department target: people's sum");
        assert_eq!(target_for(&targets, "2026-12", Some(7), &[1, 2]), Some(10));
        assert_eq!(target_for(&targets, "2026-12", None, &[2]), None);
        assert_eq!(sum_targets([None, Some(3), None, Some(4)].into_iter()), Some(7));
        assert_eq!(sum_targets([None, None].into_iter()), None);
    }
}
