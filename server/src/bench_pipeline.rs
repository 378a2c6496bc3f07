//! Synthetic opportunities for the pipeline benchmarks (issue 4), and timings of the
//! board, a stage move and the dashboard as their server functions run them.
//!
//! The seed keeps the board realistic for one viewer: whatever the total, the open
//! opportunities that user sees on the default process's board stay near a real
//! team's few hundred; the other open ones belong to people outside that user's scope.
use anyhow::Context;
use app::opportunities::types::{BoardQuery, Process, Stage, StageKind};
use app::platform::authz::{authorize, Action, CurrentUser, Entity};
use app::platform::db::{sql, Backend, Db, Tx};
use app::platform::time::{date_parts, now_ms};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::future::Future;
use std::time::Instant;

const DAY: i64 = 86_400_000;
/// Opportunities per transaction, committed with their stage history.
const BATCH: i64 = 2_000;
/// Opportunities per multi-row INSERT (19 bound values each). SQLite looks `$N` up by
/// name in a list, which makes binding quadratic in the values per statement: it gets
/// short statements; PostgreSQL takes the round trips' worth.
fn rows_per_statement(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 16,
        Backend::Postgres => 500,
    }
}
/// Share of opportunities still open; of the rest, 60% won and 40% lost.
const OPEN_SHARE: f64 = 0.25;

const WORDS: &[&str] =
    &["天度", "华信", "博瑞", "金桥", "远航", "恒通", "鼎盛", "瑞丰", "新锐", "宏达", "星辰", "海纳", "锦程", "卓越", "启明", "正泰"];
const PRODUCTS: &[&str] = &[
    "ERP 升级项目",
    "数据中台咨询",
    "云服务续约",
    "安全审计",
    "智能仓储方案",
    "培训服务",
    "年度维保合同",
    "旧系统迁移",
    "渠道合作框架",
    "移动办公平台",
];

/// The default process's stages by role.
struct Stages {
    process_id: i64,
    /// Open stages in board order.
    open: Vec<Stage>,
    won: Stage,
    lost: Stage,
}

impl Stages {
    fn of(process: &Process) -> anyhow::Result<Stages> {
        let of_kind = |k: StageKind| process.stages.iter().filter(move |s| s.kind() == k);
        let mut open: Vec<Stage> = of_kind(StageKind::Open).cloned().collect();
        open.sort_by_key(|s| (s.position, s.id));
        let won = of_kind(StageKind::Won).next().cloned().context("the default process has no won stage")?;
        let lost = of_kind(StageKind::Lost).next().cloned().context("the default process has no lost stage")?;
        if open.is_empty() {
            anyhow::bail!("the default process has no open stage");
        }
        Ok(Stages { process_id: process.id, open, won, lost })
    }

    /// An open stage, earlier ones likelier (weights n, n-1, …, 1), as a funnel narrows.
    fn pick_open(&self, rng: &mut StdRng) -> usize {
        let n = self.open.len();
        let mut r = rng.gen_range(0..n * (n + 1) / 2);
        for k in 0..n {
            if r < n - k {
                return k;
            }
            r -= n - k;
        }
        0
    }
}

/// One generated opportunity and its stage moves as (from, to, moved_at, time_in_stage).
struct Planned {
    id: i64,
    name: String,
    customer_id: i64,
    stage_id: i64,
    status: StageKind,
    amount: i64,
    expected_close: String,
    needs: Option<String>,
    decision_makers: Option<String>,
    closed_at: Option<i64>,
    entered: i64,
    owner: i64,
    department_id: Option<i64>,
    created: i64,
    furthest: i64,
    moves: Vec<(Option<i64>, i64, i64, Option<i64>)>,
}

struct Owner {
    id: i64,
    department_id: Option<i64>,
}

/// Decides each opportunity in turn; holds the counters that keep the viewer's board small.
struct Generator {
    stages: Stages,
    customers: Vec<i64>,
    owners: Vec<(Owner, bool)>,
    unseen: Vec<usize>,
    count: i64,
    /// Share of owners the viewer sees.
    seen_share: f64,
    board_open: i64,
    kept: i64,
    reassigned: usize,
    now: i64,
    rng: StdRng,
}

impl Generator {
    fn plan(&mut self, id: i64, i: i64) -> Planned {
        let rng = &mut self.rng;
        let roll: f64 = rng.gen();
        let mut status = if roll < OPEN_SHARE {
            StageKind::Open
        } else if roll < OPEN_SHARE + (1.0 - OPEN_SHARE) * 0.6 {
            StageKind::Won
        } else {
            StageKind::Lost
        };
        let mut owner = (i as usize) % self.owners.len();
        if status == StageKind::Open && self.owners[owner].1 {
            // Keep what is still wanted out of the open ones the viewer may yet see.
            let ahead = ((self.count - i) as f64 * OPEN_SHARE * self.seen_share).max(1.0);
            if rng.gen_bool(((self.board_open - self.kept) as f64 / ahead).clamp(0.0, 1.0)) {
                self.kept += 1;
            } else if self.unseen.is_empty() {
                status = if rng.gen_bool(0.6) { StageKind::Won } else { StageKind::Lost };
            } else {
                owner = self.unseen[self.reassigned % self.unseen.len()];
                self.reassigned += 1;
            }
        }
        let s = &self.stages;
        let first = &s.open[0];
        let (stage, furthest, mut path) = match status {
            StageKind::Open => {
                let at = s.pick_open(rng);
                // Now and then a card was moved back from a later stage.
                let far = if at + 1 < s.open.len() && rng.gen_bool(0.1) { rng.gen_range(at + 1..s.open.len()) } else { at };
                (s.open[at].id, s.open[far].id, vec![first.id, s.open[far].id, s.open[at].id])
            }
            StageKind::Won => {
                let via = s.open[rng.gen_range(0..s.open.len())].id;
                (s.won.id, s.won.id, vec![first.id, via, s.won.id])
            }
            StageKind::Lost => {
                let far = s.open[s.pick_open(rng)].id;
                (s.lost.id, far, vec![first.id, far, s.lost.id])
            }
        };
        path.dedup();
        let now = self.now;
        let (created, entered, closed_at, close) = if status == StageKind::Open {
            let created = now - rng.gen_range(DAY..270 * DAY);
            let entered = if path.len() == 1 { created } else { created + ((now - created) as f64 * rng.gen_range(0.3..0.95)) as i64 };
            (created, entered, None, now + rng.gen_range(-30..365) * DAY)
        } else {
            let closed = now - rng.gen_range(0..365 * DAY);
            let created = closed - rng.gen_range(7 * DAY..150 * DAY);
            (created, closed, Some(closed), closed + rng.gen_range(-20..20) * DAY)
        };
        // Moves evenly spaced from creation to the last stage change.
        let steps = (path.len() as i64 - 1).max(1);
        let mut moves = Vec::with_capacity(path.len());
        let mut last = created;
        for (k, &to) in path.iter().enumerate() {
            let at = created + (entered - created) * k as i64 / steps;
            let from = k.checked_sub(1).map(|p| path[p]);
            moves.push((from, to, at, from.map(|_| at - last)));
            last = at;
        }
        let past_first = furthest != first.id;
        let (y, m, d) = date_parts(close);
        let o = &self.owners[owner].0;
        Planned {
            id,
            name: format!("{}{} #{i}", WORDS[(i as usize / 7) % WORDS.len()], PRODUCTS[(i as usize) % PRODUCTS.len()]),
            customer_id: self.customers[(i as usize) % self.customers.len()],
            stage_id: stage,
            status,
            amount: rng.gen_range(5..=2_000) * 1_000 * 100,
            expected_close: format!("{y:04}-{m:02}-{d:02}"),
            needs: past_first.then(|| "系统选型与实施".to_string()),
            decision_makers: past_first.then(|| "总经理、采购经理".to_string()),
            closed_at,
            entered,
            owner: o.id,
            department_id: o.department_id,
            created,
            furthest,
            moves,
        }
    }
}

async fn insert_batch(tx: &mut Tx, rows: &[Planned], process_id: i64) -> anyhow::Result<usize> {
    let mut q =
        sql("INSERT INTO opportunities (id, name, customer_id, process_id, stage_id, status, amount, currency, expected_close, needs, \
         decision_makers, closed_at, stage_entered_at, owner_id, department_id, version, created_at, created_by, updated_at, updated_by, \
         furthest_stage_id) VALUES ");
    for (k, p) in rows.iter().enumerate() {
        q.push(if k == 0 { "(" } else { ", (" });
        q.bind_i64(p.id).push(", ").bind_text(p.name.clone()).push(", ").bind_i64(p.customer_id).push(", ");
        q.bind_i64(process_id).push(", ").bind_i64(p.stage_id).push(", ").bind_text(p.status.code()).push(", ");
        q.bind_i64(p.amount).push(", 'CNY', ").bind_text(p.expected_close.clone()).push(", ");
        q.bind_opt_text(p.needs.clone()).push(", ").bind_opt_text(p.decision_makers.clone()).push(", ");
        q.bind_opt_i64(p.closed_at);
        q.push(", ").bind_i64(p.entered).push(", ").bind_i64(p.owner).push(", ");
        q.bind_opt_i64(p.department_id);
        q.push(", 1, ").bind_i64(p.created).push(", ").bind_i64(p.owner).push(", ").bind_i64(p.entered).push(", ").bind_i64(p.owner);
        q.push(", ").bind_i64(p.furthest).push(")");
    }
    q.execute(tx).await.context("inserting benchmark opportunities")?;
    let mut h = sql(
        "INSERT INTO opportunity_stage_history (opportunity_id, from_stage_id, to_stage_id, moved_by, moved_at, time_in_stage) VALUES ",
    );
    let mut n = 0;
    for p in rows {
        for &(from, to, at, spent) in &p.moves {
            h.push(if n == 0 { "(" } else { ", (" });
            h.bind_i64(p.id).push(", ");
            h.bind_opt_i64(from);
            h.push(", ").bind_i64(to).push(", ").bind_i64(p.owner).push(", ").bind_i64(at).push(", ");
            h.bind_opt_i64(spent);
            h.push(")");
            n += 1;
        }
    }
    h.execute(tx).await.context("inserting benchmark stage history")?;
    Ok(n)
}

/// The default process, as the board shows it without a choice.
async fn default_process(tx: &mut Tx) -> anyhow::Result<Process> {
    app::opportunities::repo::processes(tx)
        .await
        .context("reading sales processes")?
        .into_iter()
        .find(|p| p.is_default)
        .context("no default sales process")
}

/// `count` synthetic opportunities of the default process (about 25% open, 45% won, 30%
/// lost, 2–3 stage moves each), in large multi-row batches, not audited; then a sales
/// target per active user and per department for the 12 months either side of this one.
/// Of the open ones, about `board_open` are visible to `board_user`.
pub async fn seed_bench_pipeline(db: &Db, count: i64, board_user: &str, board_open: i64) -> anyhow::Result<()> {
    if count <= 0 {
        anyhow::bail!("--count must be positive");
    }
    let mut tx = db.read().await?;
    let process = default_process(&mut tx).await?;
    let customers: Vec<(i64,)> = sql("SELECT id FROM customers WHERE deleted_at IS NULL AND merged_into IS NULL ORDER BY id")
        .fetch_all(&mut tx)
        .await
        .context("reading customers")?;
    let users: Vec<(i64, Option<i64>, Option<String>)> =
        sql("SELECT u.id, u.department_id, d.path FROM users u LEFT JOIN departments d ON d.id = u.department_id \
         WHERE u.active = $1 ORDER BY u.id")
        .arg_bool(true)
        .fetch_all(&mut tx)
        .await
        .context("reading users")?;
    let first_id = sql("SELECT COALESCE(MAX(id), 0) FROM opportunities").fetch_i64(&mut tx).await? + 1;
    drop(tx);
    if customers.is_empty() || users.is_empty() {
        anyhow::bail!("seed users and customers first (crm seed-demo, crm seed-bench)");
    }
    let viewer = crate::demo::bench_user(db, board_user).await?;
    let grant = authorize(&viewer, Entity::Opportunity, Action::View).map_err(|e| anyhow::anyhow!("{board_user}: {e:?}"))?;
    let owners: Vec<(Owner, bool)> = users
        .into_iter()
        .map(|(id, department_id, path)| {
            let seen = grant.reaches(Some(id), path.as_deref(), department_id);
            (Owner { id, department_id }, seen)
        })
        .collect();
    let unseen: Vec<usize> = owners.iter().enumerate().filter(|(_, o)| !o.1).map(|(k, _)| k).collect();
    let seen_share = (owners.len() - unseen.len()) as f64 / owners.len() as f64;
    let now = now_ms();
    let mut gen = Generator {
        stages: Stages::of(&process)?,
        customers: customers.into_iter().map(|c| c.0).collect(),
        owners,
        unseen,
        count,
        seen_share,
        board_open,
        kept: 0,
        reassigned: 0,
        now,
        rng: StdRng::seed_from_u64(4),
    };
    let start = Instant::now();
    let (mut done, mut moves) = (0i64, 0usize);
    let (mut open, mut won, mut lost) = (0i64, 0i64, 0i64);
    while done < count {
        let n = BATCH.min(count - done);
        let rows: Vec<Planned> = (done..done + n).map(|i| gen.plan(first_id + i, i)).collect();
        for p in &rows {
            match p.status {
                StageKind::Open => open += 1,
                StageKind::Won => won += 1,
                StageKind::Lost => lost += 1,
            }
        }
        let mut tx = db.write().await?;
        if db.backend() == Backend::Sqlite {
            // The opportunity and history indexes take random inserts: keep their pages in memory (this
            // connection only; the default is 2 MB).
            sql("PRAGMA cache_size = -262144").execute(&mut tx).await?;
        }
        for chunk in rows.chunks(rows_per_statement(db.backend())) {
            moves += insert_batch(&mut tx, chunk, gen.stages.process_id).await?;
        }
        tx.commit().await?;
        done += n;
    }
    let secs = start.elapsed().as_secs_f64();
    let targets = seed_targets(db, now).await?;
    let mut tx = db.write().await?;
    if db.backend() == Backend::Postgres {
        // The ids above were given explicitly: move the identity past them.
        sql("SELECT setval(pg_get_serial_sequence('opportunities', 'id'), (SELECT MAX(id) FROM opportunities))")
            .fetch_i64(&mut tx)
            .await
            .context("moving the opportunity id sequence")?;
    }
    // Fresh statistics, as after any bulk load, so both planners see the real row counts.
    let t = Instant::now();
    sql("ANALYZE").execute(&mut tx).await.context("ANALYZE")?;
    tx.commit().await?;
    println!(
        "seeded {count} opportunities ({open} open, {won} won, {lost} lost; {} open ones visible to {board_user}) and {moves} stage moves in {secs:.1}s \
         ({:.0} opportunities/s); {targets} sales targets; ANALYZE {:.1}s",
        gen.kept,
        count as f64 / secs,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A CNY target for every active user and every department, for this month and the
/// 12 before and after it; existing targets are kept.
async fn seed_targets(db: &Db, now: i64) -> anyhow::Result<usize> {
    let mut tx = db.write().await?;
    let users: Vec<(i64,)> = sql("SELECT id FROM users WHERE active = $1 ORDER BY id").arg_bool(true).fetch_all(&mut tx).await?;
    let departments: Vec<(i64,)> = sql("SELECT id FROM departments ORDER BY id").fetch_all(&mut tx).await?;
    let (y, m, _) = date_parts(now);
    let months: Vec<String> = (-12..=12)
        .map(|k| {
            let idx = y * 12 + (m - 1) + k;
            format!("{:04}-{:02}", idx / 12, idx % 12 + 1)
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(14);
    let mut q = sql("INSERT INTO sales_targets (month, user_id, department_id, currency, amount, updated_at) VALUES ");
    let mut n = 0;
    for (who, is_user) in users.iter().map(|u| (u.0, true)).chain(departments.iter().map(|d| (d.0, false))) {
        for month in &months {
            // Yuan per month, in minor units: a person 300k–1.2M, a department 2M–8M.
            let amount = if is_user { rng.gen_range(300..=1_200) } else { rng.gen_range(2_000..=8_000) } * 1_000 * 100;
            q.push(if n == 0 { "(" } else { ", (" }).bind_text(month.clone()).push(", ");
            q.bind_opt_i64(is_user.then_some(who));
            q.push(", ");
            q.bind_opt_i64((!is_user).then_some(who));
            q.push(", 'CNY', ").bind_i64(amount).push(", ").bind_i64(now).push(")");
            n += 1;
        }
    }
    if n == 0 {
        return Ok(0);
    }
    q.push(" ON CONFLICT DO NOTHING");
    let inserted = q.execute(&mut tx).await.context("inserting sales targets")?;
    tx.commit().await?;
    Ok(inserted as usize)
}

/// Runs `step` `per_task` times in each of `states.len()` concurrent tasks, each task
/// threading its own state through; returns every call's milliseconds and the final states.
async fn timed<S, F, Fut>(states: Vec<S>, per_task: usize, step: F) -> anyhow::Result<(Vec<f64>, Vec<S>)>
where
    S: Send + 'static,
    F: Fn(S) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = anyhow::Result<S>> + Send + 'static,
{
    let mut handles = Vec::new();
    for mut state in states {
        let step = step.clone();
        handles.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let start = Instant::now();
                state = step(state).await?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>((times, state))
        }));
    }
    let (mut all, mut finals) = (Vec::new(), Vec::new());
    for h in handles {
        let (t, s) = h.await??;
        all.extend(t);
        finals.push(s);
    }
    all.sort_by(f64::total_cmp);
    Ok((all, finals))
}

fn report(what: &str, concurrency: usize, sorted: &[f64], extra: &str) {
    let pct = |p: f64| sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)];
    println!("{what}, concurrency {concurrency}: median {:.2} ms, p95 {:.2} ms ({} runs{extra})", pct(0.5), pct(0.95), sorted.len());
}

fn stage_label(s: &Stage) -> String {
    s.name.clone().filter(|n| !n.is_empty()).or_else(|| s.code.clone()).unwrap_or_else(|| format!("#{}", s.id))
}

/// One task's opportunity for the move benchmark: it shuttles between two stages.
struct Shuttle {
    id: i64,
    version: i64,
    at: i64,
    other: i64,
}

/// Picks two neighbouring open stages of the default process that a move between
/// passes the gate of, and `n` opportunities in them that `user` may edit.
async fn shuttles(db: &Db, user: &CurrentUser, process: &Process, n: usize) -> anyhow::Result<(String, Vec<Shuttle>)> {
    let grant = authorize(user, Entity::Opportunity, Action::Edit).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let stages = Stages::of(process)?;
    for pair in stages.open.windows(2) {
        let (low, high) = (&pair[0], &pair[1]);
        // Moving forward checks the gate; a required activity would need logging first.
        if high.required_activity.as_deref().is_some_and(|a| !a.is_empty()) {
            continue;
        }
        let mut q = sql("SELECT o.id FROM opportunities o WHERE o.process_id = ");
        q.bind_i64(process.id).push(" AND o.status = 'open' AND o.deleted_at IS NULL AND o.is_private = FALSE AND o.stage_id IN (");
        q.bind_i64(low.id).push(", ").bind_i64(high.id).push(")");
        grant.push_filter(&mut q, "o");
        q.push(" ORDER BY o.id DESC LIMIT ").bind_i64(20 * n as i64);
        let mut tx = db.read().await?;
        let ids: Vec<(i64,)> = q.fetch_all(&mut tx).await.context("choosing opportunities to move")?;
        drop(tx);
        let mut picked = Vec::new();
        for (id,) in ids {
            let o = app::opportunities::service::get(db, user, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if o.can_edit && high.required().into_iter().all(|f| o.has(f)) {
                let other = if o.stage_id == low.id { high.id } else { low.id };
                picked.push(Shuttle { id, version: o.version, at: o.stage_id, other });
                if picked.len() == n {
                    return Ok((format!("{} ↔ {}", stage_label(low), stage_label(high)), picked));
                }
            }
        }
    }
    anyhow::bail!("no two neighbouring open stages hold {n} opportunities {} may move between (run crm seed-bench-pipeline)", user.username)
}

/// Times, as `username`, the pipeline board, a stage move there and back, and the
/// dashboard, each through its service (what the server function runs), `concurrency`
/// at a time, `iterations` runs in all; prints median and p95 in milliseconds. The
/// dashboard can be left out (it is the slow one at a million opportunities).
pub async fn bench_pipeline(db: &Db, username: &str, iterations: usize, concurrency: usize, dashboard: bool) -> anyhow::Result<()> {
    let user = crate::demo::bench_user(db, username).await?;
    let c = concurrency.max(1);
    let per_task = iterations.div_ceil(c).max(1);
    let mut tx = db.read().await?;
    let process = default_process(&mut tx).await?;
    let total = sql("SELECT COUNT(*) FROM opportunities").fetch_i64(&mut tx).await?;
    drop(tx);
    println!("-- pipeline as {username}, {total} opportunities");

    let (db1, user1) = (db.clone(), user.clone());
    let (times, cards) = timed(vec![(0usize, false); c], per_task, move |_| {
        let (db, user) = (db1.clone(), user1.clone());
        async move {
            let b = app::opportunities::service::board(&db, &user, &BoardQuery::default()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            Ok((b.cards.len(), b.truncated))
        }
    })
    .await?;
    let (n, truncated) = cards[0];
    let cap = if truncated { ", capped per stage" } else { "" };
    report("board (service)", c, &times, &format!("; {n} cards{cap}"));

    let (label, lanes) = shuttles(db, &user, &process, c).await?;
    let (db1, user1) = (db.clone(), user.clone());
    let (times, _) = timed(lanes, per_task, move |s: Shuttle| {
        let (db, user) = (db1.clone(), user1.clone());
        async move {
            let m = app::opportunities::service::move_stage(&db, &user, s.id, s.version, s.other)
                .await
                .map_err(|e| anyhow::anyhow!("moving opportunity {}: {e:?}", s.id))?;
            Ok(Shuttle { id: s.id, version: m.version, at: m.stage_id, other: s.at })
        }
    })
    .await?;
    report(&format!("stage move {label} (service)"), c, &times, "");

    if dashboard {
        bench_dashboard(db, &user, c, per_task).await?;
    }
    Ok(())
}

/// The sales dashboard with its default filter (this year, default process, CNY) in
/// China time.
async fn bench_dashboard(db: &Db, user: &CurrentUser, c: usize, per_task: usize) -> anyhow::Result<()> {
    use app::reports::types::DashFilter;
    let (db1, user1) = (db.clone(), user.clone());
    let (times, _) = timed(vec![(); c], per_task, move |_| {
        let (db, user) = (db1.clone(), user1.clone());
        async move {
            app::reports::service::dashboard(&db, &user, &DashFilter::default(), 480).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            Ok(())
        }
    })
    .await?;
    report("dashboard (service)", c, &times, "");

    // One at a time: the rollups against reading every opportunity (the old path, kept
    // as `Source::Scan`), which must give the same dashboard.
    use app::reports::service::{dashboard_from, Source};
    let run = |source: Source, runs: usize| {
        let (db, user) = (db.clone(), user.clone());
        async move {
            let mut times = Vec::with_capacity(runs);
            let mut last = None;
            for _ in 0..runs {
                let t = Instant::now();
                let d = dashboard_from(&db, &user, &DashFilter::default(), 480, source).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                last = Some(d);
            }
            times.sort_by(f64::total_cmp);
            anyhow::Ok((times, last))
        }
    };
    let (rolled, a) = run(Source::Rollup, 21).await?;
    let (scanned, b) = run(Source::Scan, 3).await?;
    report("dashboard from rollups (service)", 1, &rolled, "");
    let ratio = scanned[scanned.len() / 2] / rolled[rolled.len() / 2].max(0.001);
    report("dashboard reading every opportunity (service)", 1, &scanned, &format!("; {ratio:.0}x the rollups' median"));
    let mut tx = db.read().await?;
    let mut rows = Vec::new();
    for t in ["open", "created", "won", "moves"] {
        rows.push(format!("{t} {}", sql(&format!("SELECT COUNT(*) FROM opportunity_rollup_{t}")).fetch_i64(&mut tx).await?));
    }
    println!("rollup rows: {}; same dashboard from both: {}", rows.join(", "), if a == b { "yes" } else { "NO" });
    Ok(())
}
