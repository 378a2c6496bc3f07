//! The receivables report at scale (issue 5): contracts with four instalments each and
//! `payments` payment rows against them, owned by the demo's salespeople, then the
//! report's first page and totals, the overdue-only view and the dashboard's overdue
//! list timed as an administrator (every record), a sales manager (department tree)
//! and a salesperson (own records). Finishes with the reconciliation check: the
//! payments ledger against the contracts' running totals.
use crate::demo::bench_user;
use app::contracts::types::ReceivableFilter;
use app::platform::db::{sql, Db};
use app::platform::time::now_ms;
use std::time::Instant;

const INSTALMENTS: i64 = 4;
/// Each instalment is 2 500.00 (minor units).
const INSTALMENT: i64 = 250_000;

/// Needs `seed-demo` and `seed-bench` (customers to spread the contracts over).
pub async fn bench_receivables(db: &Db, url: &str, payments: i64, iterations: usize) -> anyhow::Result<()> {
    let mut tx = db.read().await?;
    let customers: Vec<(i64,)> = sql("SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id").fetch_all(&mut tx).await?;
    let owners: Vec<(i64, Option<i64>)> =
        sql("SELECT id, department_id FROM users WHERE username IN ('lina', 'wangfang', 'zhangwei') ORDER BY id")
            .fetch_all(&mut tx)
            .await?;
    drop(tx);
    anyhow::ensure!(!customers.is_empty() && !owners.is_empty(), "run seed-demo and seed-bench first");
    // One payment per instalment on most of them: payments / 4 contracts, rounded up.
    let contracts = (payments + INSTALMENTS - 1) / INSTALMENTS;
    let started = Instant::now();
    let now = now_ms();
    let mut written = 0_i64;
    let batch = 2_000_i64;
    let mut next = 1_i64;
    while next <= contracts {
        let last = (next + batch - 1).min(contracts);
        let mut tx = db.write().await?;
        let base_contract: i64 = sql("SELECT COALESCE(MAX(id), 0) FROM contracts").fetch_i64(&mut tx).await?;
        let base_instalment: i64 = sql("SELECT COALESCE(MAX(id), 0) FROM contract_instalments").fetch_i64(&mut tx).await?;
        let base_payment: i64 = sql("SELECT COALESCE(MAX(id), 0) FROM payments").fetch_i64(&mut tx).await?;
        let (mut k_rows, mut i_rows, mut p_rows) = (Vec::new(), Vec::new(), Vec::new());
        for n in next..=last {
            let kid = base_contract + (n - next) + 1;
            let customer = customers[(n as usize * 7) % customers.len()].0;
            let (owner, dept) = owners[n as usize % owners.len()];
            let dept = dept.map(|d| d.to_string()).unwrap_or_else(|| "NULL".into());
            // Signed across 2024–2026; instalments quarterly from the signing month.
            let month = n % 36;
            let (y, m) = (2024 + month / 12, month % 12 + 1);
            let mut paid_total = 0;
            for q in 0..INSTALMENTS {
                let iid = base_instalment + (n - next) * INSTALMENTS + q + 1;
                let due_m = (m - 1) + q * 3;
                let due = format!("{:04}-{:02}-15", y + due_m / 12, due_m % 12 + 1);
                // Paid in full, in part, or not at all, so some of it is overdue.
                let paid = match (n + q) % 5 {
                    0..=2 => INSTALMENT,
                    3 => INSTALMENT / 2,
                    _ => 0,
                };
                let seq = (n - 1) * INSTALMENTS + q;
                if paid > 0 && seq < payments {
                    p_rows.push(format!(
                        "({pid}, 'BPAY{kid}-{q}', {kid}, {iid}, {customer}, {paid}, 'CNY', '{due}', 'bank', '', '', {owner}, {now})",
                        pid = base_payment + p_rows.len() as i64 + 1
                    ));
                } else if seq < payments {
                    // Unpaid instalments still get a ledger row: a voided payment.
                    p_rows.push(format!(
                        "({pid}, 'BPAY{kid}-{q}', {kid}, {iid}, {customer}, 1000, 'CNY', '{due}', 'cash', '', '', {owner}, {now})",
                        pid = base_payment + p_rows.len() as i64 + 1
                    ));
                }
                let paid = if seq < payments { paid } else { 0 };
                paid_total += paid;
                i_rows.push(format!("({iid}, {kid}, {}, '{due}', {INSTALMENT}, {paid}, '')", q + 1));
            }
            k_rows.push(format!(
                "({kid}, 'BHT{kid}', {customer}, '压测合同 {kid}', 'CNY', {}, '{y:04}-{m:02}-01', '{y:04}-{m:02}-01', '{:04}-{m:02}-01', '', 'active', \
                 {paid_total}, 0, {owner}, {dept}, 1, {now}, {owner}, {now}, {owner})",
                INSTALMENT * INSTALMENTS,
                y + 1
            ));
        }
        for chunk in k_rows.chunks(500) {
            sql(&format!(
                "INSERT INTO contracts (id, number, customer_id, title, currency, amount, signed_on, starts_on, ends_on, terms, status, paid, invoiced, \
                 owner_id, department_id, version, created_at, created_by, updated_at, updated_by) VALUES {}",
                chunk.join(", ")
            ))
            .execute(&mut tx)
            .await?;
        }
        for chunk in i_rows.chunks(500) {
            sql(&format!(
                "INSERT INTO contract_instalments (id, contract_id, position, due_on, amount, paid, note) VALUES {}",
                chunk.join(", ")
            ))
            .execute(&mut tx)
            .await?;
        }
        for chunk in p_rows.chunks(500) {
            sql(&format!(
                "INSERT INTO payments (id, number, contract_id, instalment_id, customer_id, amount, currency, received_on, method, reference, note, \
                 created_by, created_at) VALUES {}",
                chunk.join(", ")
            ))
            .execute(&mut tx)
            .await?;
        }
        // The 1 000 "cash" rows stand for payments voided later: they do not count.
        sql("UPDATE payments SET voided_at = $1, void_reason = 'bench' WHERE method = 'cash' AND voided_at IS NULL AND id > $2")
            .arg_i64(now)
            .arg_i64(base_payment)
            .execute(&mut tx)
            .await?;
        written += p_rows.len() as i64;
        tx.commit().await?;
        next = last + 1;
    }
    if db.backend() == app::platform::db::Backend::Postgres {
        let mut tx = db.write().await?;
        for t in ["contracts", "contract_instalments", "payments"] {
            sql(&format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")).fetch_i64(&mut tx).await?;
            sql(&format!("ANALYZE {t}")).execute(&mut tx).await?;
        }
        tx.commit().await?;
    } else {
        let mut tx = db.write().await?;
        sql("ANALYZE").execute(&mut tx).await?;
        tx.commit().await?;
    }
    println!(
        "seeded {contracts} contracts, {} instalments and {written} payment rows over {} customers in {:.1} s",
        contracts * INSTALMENTS,
        customers.len(),
        started.elapsed().as_secs_f64()
    );
    // Time the reports on fresh connections, as the server has them once its pool recycled
    // the connections opened before the load: SQLite plans with the statistics it read when a
    // connection opened.
    db.close().await;
    let fresh = Db::connect(url).await?;
    let db = &fresh;

    for username in ["admin", "zhangwei", "lina"] {
        let user = bench_user(db, username).await?;
        let cases: [(&str, ReceivableFilter); 2] = [
            ("first page + totals", ReceivableFilter::default()),
            ("overdue only", ReceivableFilter { overdue_only: true, ..Default::default() }),
        ];
        for (label, f) in cases {
            let mut times = Vec::new();
            let mut rows = 0;
            for _ in 0..iterations {
                let t = Instant::now();
                let r = app::contracts::service::receivables(db, &user, &f).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                rows = r.rows.len();
            }
            times.sort_by(f64::total_cmp);
            println!(
                "receivables report as {username}, {label}: median {:.1} ms, p95 {:.1} ms ({rows} rows on the page)",
                times[times.len() / 2],
                times[(times.len() * 95 / 100).min(times.len() - 1)]
            );
        }
        let mut times = Vec::new();
        for _ in 0..iterations {
            let t = Instant::now();
            app::contracts::service::overdue(db, &user, 10).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("dashboard overdue list as {username}: median {:.1} ms", times[times.len() / 2]);
    }
    let mut tx = db.read().await?;
    let ledger = sql("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payments WHERE voided_at IS NULL").fetch_i64(&mut tx).await?;
    let totals = sql("SELECT CAST(COALESCE(SUM(paid), 0) AS BIGINT) FROM contracts").fetch_i64(&mut tx).await?;
    let rows = sql("SELECT COUNT(*) FROM payments").fetch_i64(&mut tx).await?;
    println!(
        "reconciliation over {rows} payment rows: ledger {ledger} = contracts' received {totals}: {}",
        if ledger == totals { "ok" } else { "MISMATCH" }
    );
    Ok(())
}
