//! The sales reports (S7, S8, R1) over the user's data scope.
//!
//! - Funnel: open opportunities of the process per stage, now.
//! - Flow: of the opportunities created in the period, how many reached each stage
//!   (`furthest_stage_id`; reaching a later stage counts for the earlier ones), the
//!   share that went on to the next one, and the mean time in each stage of the moves
//!   made in the period.
//! - Forecast: per month of the period, won (closed in the month, in the user's time
//!   zone), open pipeline expected to close in the month and its weighted amount,
//!   against targets; the same per person and per team.
//! - Targets: viewing follows the dashboard; setting them needs `opportunity × assign`
//!   over the person or department (managers set their team's), and is audited.
use crate::opportunities::repo as opp_repo;
use crate::opportunities::service::pick_process;
use crate::opportunities::types::{weighted, OppFilter, StageKind};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::money::{parse_amount, Currency};
use crate::platform::time::{date_parts, now_ms, parse_date_ms};
use crate::reports::repo::{self, Part, RolledCell};
use crate::reports::types::*;

/// The current month and year in the user's zone.
fn this_month(tz_offset_minutes: i32) -> (i64, i64) {
    let (y, m, _) = date_parts(now_ms() + tz_offset_minutes as i64 * 60_000);
    (y, m)
}

struct Person {
    id: i64,
    name: String,
    department_id: Option<i64>,
    path: Option<String>,
}

/// People and departments the grant reaches.
async fn reachable(tx: &mut Tx, grant: &Grant) -> Result<(Vec<Person>, Vec<(i64, String, String)>), sqlx::Error> {
    let people = repo::people(tx)
        .await?
        .into_iter()
        .filter(|p| grant.reaches(Some(p.0), p.3.as_deref(), p.2))
        .map(|(id, name, department_id, path, _)| Person { id, name, department_id, path })
        .collect();
    let departments = repo::departments(tx).await?.into_iter().filter(|d| grant.reaches(None, Some(&d.2), Some(d.0))).collect();
    Ok((people, departments))
}

/// Where the dashboard's counts are read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The rollup tables, corrected at the user's month edges and for shared rows.
    Rollup,
    /// The opportunities themselves, as the drill-down lists read them.
    Scan,
}

/// The counts every figure is computed from, summed by the consumer (a part may be
/// listed several times, corrections with negative counts).
#[derive(Default)]
struct Counts {
    /// Open opportunities: (stage, count, amount).
    funnel: Vec<(i64, i64, i64)>,
    /// Created in the period: (furthest stage, status, count).
    furthest: Vec<(Option<i64>, String, i64)>,
    /// Moves in the period: (stage left, moves, total ms in it).
    moves: Vec<(i64, i64, i64)>,
    /// Forecast cells, bucketed by the period's months.
    cells: Vec<Cell>,
}

/// The months of the report and where each starts, in the user's zone and in UTC
/// (one more entry than months: the end of the last).
struct Period {
    months: Vec<String>,
    local: Vec<i64>,
    utc: Vec<i64>,
}

impl Period {
    fn intervals(&self) -> Vec<(i64, i64)> {
        self.local.windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// The hours between each local and UTC month start, with the month a row there
    /// falls in by UTC (what the rollups counted it in) and by the user's zone (where
    /// the report wants it); -1 or the number of months when outside the period.
    fn edges(&self) -> Vec<((i64, i64), i64, i64)> {
        (0..self.local.len())
            .filter(|&i| self.local[i] != self.utc[i])
            .map(|i| {
                let (b, u, i) = (self.local[i], self.utc[i], i as i64);
                if b < u {
                    ((b, u), i - 1, i)
                } else {
                    ((u, b), i, i - 1)
                }
            })
            .collect()
    }
}

fn day_utc(d: &str) -> i64 {
    parse_date_ms(d, 0).unwrap_or_default()
}

/// A month `YYYY-MM` as the rollups' `YYYYMM`.
fn month_key(m: &str) -> i64 {
    m.replace('-', "").parse().unwrap_or_default()
}

/// Counts read from the opportunities.
async fn scan(
    tx: &mut Tx,
    grant: &Grant,
    part: Part,
    filter: &OppFilter,
    period: &Period,
    starts: &[String],
    end: &str,
) -> Result<Counts, sqlx::Error> {
    let whole = [(period.local[0], period.local[period.local.len() - 1])];
    let mut cells = repo::open_cells(tx, grant, part, filter, starts, end).await?;
    cells.extend(repo::won_cells(tx, grant, part, filter, &period.intervals()).await?);
    Ok(Counts {
        funnel: repo::funnel(tx, grant, part, filter).await?,
        furthest: repo::furthest(tx, grant, part, filter, &whole).await?.into_iter().map(|r| (r.1, r.2, r.3)).collect(),
        moves: repo::moves(tx, grant, part, filter, &whole).await?.into_iter().map(|r| (r.1, r.2, r.3)).collect(),
        cells,
    })
}

/// Counts read from the rollups (UTC months, the rolled part of the scope), plus the
/// rows shared with the user, corrected by the rows between UTC and local month starts.
async fn rolled(
    tx: &mut Tx,
    grant: &Grant,
    filter: &OppFilter,
    period: &Period,
    starts: &[String],
    end: &str,
) -> Result<Counts, sqlx::Error> {
    let mut c = scan(tx, grant, Part::Shared, filter, period, starts, end).await?;
    let keys: Vec<i64> = period.months.iter().map(|m| month_key(m)).collect();
    let (first, last) = (keys[0], keys[keys.len() - 1]);
    let bucket = |month: i64| keys.iter().position(|k| *k == month).map(|i| i as i64);
    let cell = |r: RolledCell, won: bool, bucket: i64| Cell {
        owner_id: r.0,
        department_id: r.1,
        stage_id: r.2,
        won,
        bucket,
        count: r.4,
        amount: r.5,
    };
    for r in repo::rolled_open(tx, grant, filter).await? {
        c.funnel.push((r.2, r.4, r.5));
        if let Some(b) = bucket(r.3) {
            c.cells.push(cell(r, false, b));
        }
    }
    for r in repo::rolled_won(tx, grant, filter, first, last).await? {
        if let Some(b) = bucket(r.3) {
            c.cells.push(cell(r, true, b));
        }
    }
    c.furthest.extend(repo::rolled_created(tx, grant, filter, first, last).await?);
    c.moves.extend(repo::rolled_moves(tx, grant, filter, first, last).await?);

    let edges = period.edges();
    if edges.is_empty() {
        return Ok(c);
    }
    let n = period.months.len() as i64;
    let inside = |b: i64| (0..n).contains(&b);
    // Whole-period counts change only at the period's two ends: +1 for rows in the
    // period locally but not by UTC, -1 the other way round.
    let (ends, signs): (Vec<(i64, i64)>, Vec<i64>) =
        edges.iter().filter(|e| inside(e.1) != inside(e.2)).map(|e| (e.0, inside(e.2) as i64 - inside(e.1) as i64)).unzip();
    let sign = |w: i64| signs.get(w as usize).copied().unwrap_or(0);
    for (w, stage, status, count) in repo::furthest(tx, grant, Part::Rolled, filter, &ends).await? {
        c.furthest.push((stage, status, sign(w) * count));
    }
    for (w, stage, moves, total) in repo::moves(tx, grant, Part::Rolled, filter, &ends).await? {
        c.moves.push((stage, sign(w) * moves, sign(w) * total));
    }
    let windows: Vec<(i64, i64)> = edges.iter().map(|e| e.0).collect();
    for x in repo::won_cells(tx, grant, Part::Rolled, filter, &windows).await? {
        let Some(&(_, utc, local)) = edges.get(x.bucket as usize) else { continue };
        if inside(utc) {
            c.cells.push(Cell { bucket: utc, count: -x.count, amount: -x.amount, ..x.clone() });
        }
        if inside(local) {
            c.cells.push(Cell { bucket: local, ..x });
        }
    }
    Ok(c)
}

pub async fn dashboard(db: &Db, user: &CurrentUser, f: &DashFilter, tz_offset_minutes: i32) -> AppResult<Dashboard> {
    dashboard_from(db, user, f, tz_offset_minutes, Source::Rollup).await
}

/// The dashboard with its counts read from `source`; both give the same figures.
pub async fn dashboard_from(db: &Db, user: &CurrentUser, f: &DashFilter, tz_offset_minutes: i32, source: Source) -> AppResult<Dashboard> {
    let grant = authorize(user, Entity::Opportunity, Action::View)?;
    let (year, _) = this_month(tz_offset_minutes);
    let from = f.from.clone().unwrap_or_else(|| format!("{year:04}-01"));
    let to = f.to.clone().unwrap_or_else(|| format!("{year:04}-12"));
    let months = months_between(&from, &to).ok_or_else(|| AppError::validation("to", "report.period_invalid"))?;
    let currency = f.currency.clone().unwrap_or_else(|| Currency::default().code().to_string());
    let mut tx = db.read().await?;
    let processes = opp_repo::processes(&mut tx).await?;
    let process = pick_process(&processes, f.process)?;
    let probability = |stage: i64| process.stage(stage).map(|s| s.probability).unwrap_or(0);
    let filter = OppFilter {
        process: Some(process.id),
        owner: f.owner,
        department: f.department,
        currency: Some(currency.clone()),
        ..Default::default()
    };
    let day_ms = |d: &str| parse_date_ms(d, tz_offset_minutes).ok_or_else(|| AppError::validation("from", "validation.date"));
    let mut bounds = months.iter().map(|m| day_ms(&format!("{m}-01"))).collect::<AppResult<Vec<i64>>>()?;
    bounds.push(day_ms(&format!("{}-01", next_month(&to)))?);

    let period = Period {
        utc: months.iter().map(|m| format!("{m}-01")).chain([format!("{}-01", next_month(&to))]).map(|d| day_utc(&d)).collect(),
        local: bounds,
        months: months.clone(),
    };
    let starts: Vec<String> = months.iter().map(|m| format!("{m}-01")).collect();
    let end = month_end(&to);
    let counts = match source {
        Source::Scan => scan(&mut tx, &grant, Part::Seen, &filter, &period, &starts, &end).await?,
        Source::Rollup => rolled(&mut tx, &grant, &filter, &period, &starts, &end).await?,
    };

    // Funnel, flow and time in stage.
    let funnel: Vec<FunnelRow> = process
        .stages
        .iter()
        .filter(|s| s.kind() == StageKind::Open)
        .map(|s| {
            let (count, amount) = counts.funnel.iter().filter(|c| c.0 == s.id).fold((0, 0), |a, c| (a.0 + c.1, a.1 + c.2));
            FunnelRow { stage_id: s.id, count, amount, weighted: weighted(amount, s.probability) }
        })
        .collect();
    let furthest = &counts.furthest;
    let won = furthest.iter().filter(|r| r.1 == "won").map(|r| r.2).sum();
    let closed = furthest.iter().filter(|r| r.1 != "open").map(|r| r.2).sum();
    let by_stage: Vec<(i64, i64)> = furthest.iter().filter_map(|r| r.0.map(|s| (s, r.2))).collect();
    let reach = reached(&process.stages, &by_stage);
    let flow = reach
        .iter()
        .enumerate()
        .map(|(i, &(stage_id, n))| {
            let (moves, total) = counts.moves.iter().filter(|t| t.0 == stage_id).fold((0, 0), |a, t| (a.0 + t.1, a.1 + t.2));
            StageFlow {
                stage_id,
                reached: n,
                to_next_permille: reach.get(i + 1).and_then(|next| permille(next.1, n)),
                avg_ms: (moves > 0).then(|| total / moves),
                moves,
            }
        })
        .collect();

    // Forecast cells and targets.
    let cells = counts.cells;
    let targets = repo::targets(&mut tx, &from, &to, &currency).await?;
    let (people, departments) = reachable(&mut tx, &grant).await?;
    drop(tx);

    let team_path = f.department.and_then(|d| departments.iter().find(|x| x.0 == d)).map(|d| d.2.clone());
    let selected: Vec<i64> = people
        .iter()
        .filter(|p| f.owner.is_none_or(|o| o == p.id))
        .filter(|p| match (&f.department, &team_path) {
            (None, _) => true,
            (Some(_), Some(tp)) => p.path.as_deref().is_some_and(|pp| pp.starts_with(tp.as_str())),
            (Some(_), None) => false,
        })
        .map(|p| p.id)
        .collect();
    // A department's own target counts only when the user reaches the department.
    let team_target = f.department.filter(|_| team_path.is_some() && f.owner.is_none());
    let month_rows: Vec<MonthRow> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut fig = figures(cells.iter().filter(|c| c.bucket == i as i64), probability);
            fig.target = target_for(&targets, m, team_target, &selected);
            MonthRow { month: m.clone(), figures: fig }
        })
        .collect();
    let mut total = figures(cells.iter(), probability);
    total.target = sum_targets(month_rows.iter().map(|r| r.figures.target));

    let group = |id: i64, name: String, pick: &dyn Fn(&Cell) -> bool, department: Option<i64>, members: &[i64]| {
        let mut fig = figures(cells.iter().filter(|c| pick(c)), probability);
        fig.target = sum_targets(months.iter().map(|m| target_for(&targets, m, department, members)));
        GroupRow { id, name, figures: fig }
    };
    let mut people_rows: Vec<GroupRow> = people
        .iter()
        .filter(|p| selected.contains(&p.id))
        .map(|p| group(p.id, p.name.clone(), &|c: &Cell| c.owner_id == Some(p.id), None, &[p.id]))
        .filter(|r| r.figures != Figures::default())
        .collect();
    people_rows.sort_by(|a, b| b.figures.forecast().cmp(&a.figures.forecast()).then_with(|| a.name.cmp(&b.name)));
    let mut team_rows: Vec<GroupRow> = departments
        .iter()
        .filter(|d| team_path.as_ref().is_none_or(|tp| d.2.starts_with(tp.as_str())))
        .map(|d| {
            let members: Vec<i64> =
                people.iter().filter(|p| p.department_id == Some(d.0) && selected.contains(&p.id)).map(|p| p.id).collect();
            let own = f.owner.is_none().then_some(d.0);
            group(d.0, d.1.clone(), &|c: &Cell| c.department_id == Some(d.0), own, &members)
        })
        .filter(|r| r.figures != Figures::default())
        .collect();
    team_rows.sort_by(|a, b| b.figures.forecast().cmp(&a.figures.forecast()).then_with(|| a.name.cmp(&b.name)));

    Ok(Dashboard {
        process_id: process.id,
        from,
        to,
        currency,
        department: f.department,
        owner: f.owner,
        processes,
        funnel,
        flow,
        won,
        closed,
        months: month_rows,
        people: people_rows,
        teams: team_rows,
        total,
        departments: departments.iter().map(|d| Choice { id: d.0, name: d.1.clone() }).collect(),
        owners: people.iter().map(|p| Choice { id: p.id, name: p.name.clone() }).collect(),
    })
}

/// Departments the user's opportunity scope reaches.
pub async fn team_options(db: &Db, user: &CurrentUser) -> AppResult<Vec<Choice>> {
    let grant = authorize(user, Entity::Opportunity, Action::View)?;
    let mut tx = db.read().await?;
    let (_, departments) = reachable(&mut tx, &grant).await?;
    Ok(departments.into_iter().map(|(id, name, _)| Choice { id, name }).collect())
}

/// The targets of one year and currency for every person and department the user may
/// set them for (`opportunity × assign`).
pub async fn target_sheet(db: &Db, user: &CurrentUser, year: i64, currency: &str) -> AppResult<TargetSheet> {
    let grant = authorize(user, Entity::Opportunity, Action::Assign)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::validation("year", "validation.invalid_choice"));
    }
    let currency = Currency::from_code(currency).ok_or_else(|| AppError::validation("currency", "validation.invalid_choice"))?;
    let mut tx = db.read().await?;
    let (people, departments) = reachable(&mut tx, &grant).await?;
    let all = repo::year_targets(&mut tx, year, currency.code()).await?;
    let row = |user_id: Option<i64>, department_id: Option<i64>, name: String, depth: i64| {
        let mine: Vec<_> =
            all.iter().filter(|t| (user_id.is_some() && t.1 == user_id) || (department_id.is_some() && t.2 == department_id)).collect();
        TargetRow {
            user_id,
            department_id,
            name,
            depth,
            months: (1..=12).map(|m| mine.iter().find(|t| t.0 == format!("{year:04}-{m:02}")).map(|t| t.3)).collect(),
            stamp: mine.iter().map(|t| t.4).max().unwrap_or(0),
        }
    };
    let mut rows: Vec<TargetRow> =
        departments.iter().map(|d| row(None, Some(d.0), d.1.clone(), d.2.matches('/').count().saturating_sub(2) as i64)).collect();
    rows.extend(people.iter().map(|p| row(Some(p.id), None, p.name.clone(), 0)));
    Ok(TargetSheet { year, currency: currency.code().to_string(), rows })
}

/// Saves twelve months of one person's or department's targets. Refused with
/// `Conflict` when someone changed them since `input.stamp`.
pub async fn save_targets(db: &Db, user: &CurrentUser, input: &TargetInput) -> AppResult<TargetRow> {
    let grant = authorize(user, Entity::Opportunity, Action::Assign)?;
    let currency = Currency::from_code(&input.currency).ok_or_else(|| AppError::validation("currency", "validation.invalid_choice"))?;
    if !(2000..=2100).contains(&input.year) || input.months.len() != 12 {
        return Err(AppError::validation("year", "validation.invalid_choice"));
    }
    let mut errors = Vec::new();
    let mut months = Vec::with_capacity(12);
    for (i, typed) in input.months.iter().enumerate() {
        let month = format!("{:04}-{:02}", input.year, i + 1);
        let t = typed.trim();
        let amount = if t.is_empty() {
            None
        } else {
            match parse_amount(t, currency) {
                Some(a) if a >= 0 => Some(a),
                _ => {
                    errors.push(crate::platform::error::FieldError::new(&format!("m{}", i + 1), "validation.amount"));
                    None
                }
            }
        };
        months.push((month, amount));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.write().await?;
    let (people, departments) = reachable(&mut tx, &grant).await?;
    let (subject, name) = match (input.user_id, input.department_id) {
        (Some(u), None) => ((Some(u), None), people.iter().find(|p| p.id == u).map(|p| p.name.clone())),
        (None, Some(d)) => ((None, Some(d)), departments.iter().find(|x| x.0 == d).map(|x| x.1.clone())),
        _ => return Err(AppError::validation("subject", "validation.required")),
    };
    let name = name.ok_or(AppError::Forbidden)?;
    let before = repo::year_targets(&mut tx, input.year, currency.code()).await?;
    let mine = |t: &&(String, Option<i64>, Option<i64>, i64, i64)| {
        (subject.0.is_some() && t.1 == subject.0) || (subject.1.is_some() && t.2 == subject.1)
    };
    let stamp = before.iter().filter(mine).map(|t| t.4).max().unwrap_or(0);
    if stamp != input.stamp {
        return Err(AppError::Conflict);
    }
    let old: Vec<Option<i64>> =
        (1..=12).map(|m| before.iter().filter(mine).find(|t| t.0 == format!("{:04}-{m:02}", input.year)).map(|t| t.3)).collect();
    let now = now_ms().max(stamp + 1);
    repo::save_targets(&mut tx, subject, currency.code(), &months, Some(user.id), now).await?;
    let new: Vec<Option<i64>> = months.iter().map(|m| m.1).collect();
    let (entity, id) = match subject {
        (Some(u), _) => ("user", u),
        (_, d) => ("department", d.unwrap_or_default()),
    };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "target")
            .on(entity, id)
            .summary(format!("{name} · {} {}", input.year, currency.code()))
            .before(&old)
            .after(&new),
    )
    .await?;
    tx.commit().await?;
    Ok(TargetRow {
        user_id: subject.0,
        department_id: subject.1,
        name,
        depth: 0,
        stamp: if new.iter().any(Option::is_some) { now } else { 0 },
        months: new,
    })
}
