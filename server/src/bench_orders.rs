//! Order confirmation under concurrent users (issue 5): `users` salespeople each create
//! orders of three stocked lines and confirm them at once, as the service does for a
//! browser (credit check, all-or-nothing reservation, audit). Two mixes: lines spread
//! over many products, and every order wanting the same hot product, where
//! confirmations queue on one stock row.
use crate::demo::bench_user;
use app::inventory::service::{self as inventory, StockChange};
use app::orders::types::{OrderInput, OrderStep};
use app::platform::db::{sql, Db};
use app::platform::time::now_ms;
use app::quotes::types::{LineInput, QuoteInput};
use std::time::Instant;

/// Needs `seed-demo` (lina's customer 北京天度 and the catalog).
pub async fn bench_orders(db: &Db, users: usize, per_user: usize) -> anyhow::Result<()> {
    let admin = bench_user(db, "admin").await?;
    let mut tx = db.write().await?;
    let warehouse = sql("SELECT id FROM warehouses WHERE code = 'WH01'").fetch_i64(&mut tx).await?;
    let customer = sql("SELECT id FROM customers ORDER BY id LIMIT 1").fetch_i64(&mut tx).await?;
    // Forty stocked products with plenty of stock.
    let mut products = Vec::new();
    for i in 0..40 {
        let input = app::catalog::types::ProductInput {
            name: format!("压测商品 {i:02}"),
            list_price: "100".into(),
            tax_rate: "13".into(),
            unit: "件".into(),
            ..Default::default()
        };
        let v = input.validate().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let code = format!("BENCH{i:02}-{}", now_ms());
        let id = app::catalog::repo::insert(&mut tx, &v, &code, admin.id, now_ms()).await?;
        let c = StockChange {
            warehouse_id: warehouse,
            product_id: id,
            on_hand: 100_000_000,
            reserved: 0,
            kind: "in",
            reference: None,
            note: "bench",
        };
        inventory::change(&mut tx, &c, false, Some(admin.id), now_ms()).await?;
        products.push(id);
    }
    tx.commit().await?;
    for (label, hot) in [("spread over 40 products", false), ("all on one hot product", true)] {
        let mut handles = Vec::new();
        for u in 0..users {
            let (db, admin, products) = (db.clone(), admin.clone(), products.clone());
            handles.push(tokio::spawn(async move {
                let mut times = Vec::new();
                for n in 0..per_user {
                    let pick = |k: usize| if hot && k == 0 { products[0] } else { products[(u * 7 + n * 3 + k * 11) % products.len()] };
                    let input = OrderInput {
                        doc: QuoteInput {
                            customer_id: Some(customer),
                            currency: "CNY".into(),
                            lines: (0..3)
                                .map(|k| LineInput { product_id: Some(pick(k)), name: "x".into(), qty: "1".into(), ..Default::default() })
                                .collect(),
                            ..Default::default()
                        },
                        warehouse_id: Some(warehouse),
                        quote_id: None,
                    };
                    let id = app::orders::service::create(&db, &admin, &input).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    let version = app::orders::service::get(&db, &admin, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.order.version;
                    let start = Instant::now();
                    app::orders::service::step(&db, &admin, id, version, OrderStep::Confirm, "")
                        .await
                        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    times.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, anyhow::Error>(times)
            }));
        }
        let started = Instant::now();
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.await??);
        }
        let wall = started.elapsed().as_secs_f64();
        all.sort_by(f64::total_cmp);
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        println!(
            "order confirmation, {users} users × {per_user} orders of 3 lines, {label}: median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms; \
             {:.0} orders created and confirmed per second",
            pct(0.5),
            pct(0.95),
            pct(0.99),
            all.len() as f64 / wall
        );
    }
    let mut tx = db.read().await?;
    let negative = sql("SELECT COUNT(*) FROM stock_levels WHERE on_hand_milli - reserved_milli < 0").fetch_i64(&mut tx).await?;
    println!("stock rows below zero afterwards: {negative}");
    Ok(())
}
