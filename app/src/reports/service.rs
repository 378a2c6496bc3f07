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
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::money::{parse_amount, Currency};
use crate::platform::time::{date_parts, now_ms, parse_date_ms};
use crate::reports::repo;
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
async fn reachable(tx: &mut crate::platform::db::Tx, grant: &Grant) -> Result<(Vec<Person>, Vec<(i64, String, String)>), sqlx::Error> {
    let people = repo::people(tx)
        .await?
        .into_iter()
        .filter(|p| grant.reaches(Some(p.0), p.3.as_deref(), p.2))
        .map(|(id, name, department_id, path, _)| Person { id, name, department_id, path })
        .collect();
    let departments = repo::departments(tx).await?.into_iter().filter(|d| grant.reaches(None, Some(&d.2), Some(d.0))).collect();
    Ok((people, departments))
}

pub async fn dashboard(db: &Db, user: &CurrentUser, f: &DashFilter, tz_offset_minutes: i32) -> AppResult<Dashboard> {
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
    let (start, end) = (bounds[0], bounds[bounds.len() - 1]);

    // Funnel, flow and time in stage.
    let counts = repo::funnel(&mut tx, &grant, &filter).await?;
    let funnel: Vec<FunnelRow> = process
        .stages
        .iter()
        .filter(|s| s.kind() == StageKind::Open)
        .map(|s| {
            let (count, amount) = counts.iter().find(|c| c.0 == s.id).map(|c| (c.1, c.2)).unwrap_or((0, 0));
            FunnelRow { stage_id: s.id, count, amount, weighted: weighted(amount, s.probability) }
        })
        .collect();
    let furthest = repo::furthest(&mut tx, &grant, &filter, start, end).await?;
    let won = furthest.iter().filter(|r| r.1 == "won").map(|r| r.2).sum();
    let closed = furthest.iter().filter(|r| r.1 != "open").map(|r| r.2).sum();
    let by_stage: Vec<(i64, i64)> = furthest.iter().filter_map(|r| r.0.map(|s| (s, r.2))).collect();
    let reach = reached(&process.stages, &by_stage);
    let times = repo::time_in_stage(&mut tx, &grant, &filter, start, end).await?;
    let flow = reach
        .iter()
        .enumerate()
        .map(|(i, &(stage_id, n))| {
            let t = times.iter().find(|t| t.0 == stage_id);
            StageFlow {
                stage_id,
                reached: n,
                to_next_permille: reach.get(i + 1).and_then(|next| permille(next.1, n)),
                avg_ms: t.map(|t| t.2),
                moves: t.map(|t| t.1).unwrap_or(0),
            }
        })
        .collect();

    // Forecast cells and targets.
    let starts: Vec<String> = months.iter().map(|m| format!("{m}-01")).collect();
    let mut cells = repo::open_cells(&mut tx, &grant, &filter, &starts, &month_end(&to)).await?;
    cells.extend(repo::won_cells(&mut tx, &grant, &filter, &bounds).await?);
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
