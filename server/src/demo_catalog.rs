//! Demo catalog: product categories, products and services numbered by the product
//! rule, a few price policies, and exchange rates, so pricing has something to show.
use app::catalog::repo;
use app::catalog::types::{PricePolicyInput, ProductInput};
use app::platform::audit::{self, AuditEntry};
use app::platform::db::{sql, Tx};
use app::platform::numbering::next_number;
use app::platform::time::local_today;

/// (name, kind, category, unit, list price, cost, tax %)
const PRODUCTS: [(&str, &str, &str, &str, &str, &str, &str); 9] = [
    ("云客 CRM 标准版（年）", "product", "软件", "套", "12800", "3000", "6"),
    ("云客 CRM 专业版（年）", "product", "软件", "套", "25800", "6000", "6"),
    ("门店收银终端 T2", "product", "硬件", "台", "3680", "2450", "13"),
    ("手持巡检终端 H5", "product", "硬件", "台", "4980", "3300", "13"),
    ("扫码枪 S1", "product", "配件", "个", "268", "120", "13"),
    ("上门安装调试", "service", "服务", "次", "800", "300", "6"),
    ("驻场实施（人天）", "service", "服务", "小时", "250", "120", "6"),
    ("年度维保服务", "service", "服务", "年", "3000", "900", "6"),
    ("现场维修工时", "service", "服务", "小时", "200", "80", "6"),
];

/// `by`: the user recorded as creating the demo catalog.
pub async fn seed(tx: &mut Tx, by: i64, now: i64) -> anyhow::Result<()> {
    let company = app::finance::types::CompanyProfile {
        name: "云帆软件（北京）有限公司".into(),
        address: "北京市海淀区中关村大街 1 号".into(),
        phone: "010-8888 6666".into(),
        email: "sales@yunfan.example.cn".into(),
        website: "www.yunfan.example.cn".into(),
        tax_id: "91110108MA01ABCD2X".into(),
        bank_name: "招商银行北京中关村支行".into(),
        bank_account: "1109 1234 5678 901".into(),
    };
    let company = company.validate().map_err(|e| anyhow::anyhow!("demo company profile invalid: {e:?}"))?;
    app::platform::settings::set(tx, "company_profile", &serde_json::to_string(&company)?, Some(by), now).await?;
    for (i, name) in ["软件", "硬件", "配件", "服务"].iter().enumerate() {
        sql("INSERT INTO dictionary_items (kind, name, sort_order, active, created_at, updated_at) VALUES ('product_category', $1, $2, TRUE, $3, $3)")
            .arg_text(*name)
            .arg_i64(i as i64 + 1)
            .arg_i64(now)
            .execute(tx)
            .await?;
    }
    let mut ids = Vec::new();
    for (name, kind, category, unit, price, cost, tax) in PRODUCTS {
        let input = ProductInput {
            name: name.into(),
            kind: kind.into(),
            category: category.into(),
            unit: unit.into(),
            list_price: price.into(),
            cost: cost.into(),
            tax_rate: tax.into(),
            ..Default::default()
        };
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo product {name} invalid: {e:?}"))?;
        let code = next_number(tx, "product", local_today()).await?;
        let id = repo::insert(tx, &valid, &code, by, now).await?;
        audit::record(
            tx,
            AuditEntry::with_meta(&Default::default(), None, "demo", "create").on("product", id).summary(format!("{code} {name}")),
        )
        .await?;
        ids.push(id);
    }
    // Service bills charge the engineers' labour with the last product.
    app::platform::settings::set(tx, app::fieldwork::billing::LABOUR_KEY, &ids[8].to_string(), Some(by), now).await?;
    // Level A customers get 10 % off the standard edition; 10 terminals or more cost 3 300.
    let policies = [
        (
            ids[0],
            PricePolicyInput {
                name: "A 级客户九折".into(),
                target: "level".into(),
                target_value: "A".into(),
                discount: "10".into(),
                ..Default::default()
            },
        ),
        (ids[2], PricePolicyInput { name: "批量价（10 台起）".into(), min_qty: "10".into(), price: "3300".into(), ..Default::default() }),
    ];
    for (product, input) in policies {
        let valid = input.validate().map_err(|e| anyhow::anyhow!("demo policy invalid: {e:?}"))?;
        repo::insert_policy(tx, product, &valid, by, now).await?;
    }
    // A second warehouse, and opening stock: the terminals in both, the rest at head office.
    let shanghai = sql("INSERT INTO warehouses (code, name, address, created_at, updated_at) VALUES ('WH02', '上海仓', '上海市闵行区莘庄工业区', $1, $1) RETURNING id")
        .arg_i64(now)
        .fetch_i64(tx)
        .await?;
    let (head,): (i64,) = sql("SELECT id FROM warehouses WHERE code = 'WH01'").fetch_one(tx).await?;
    for (product, warehouse, qty) in
        [(ids[0], head, 20), (ids[1], head, 10), (ids[2], head, 30), (ids[2], shanghai, 12), (ids[3], head, 8), (ids[4], head, 100)]
    {
        let c = app::inventory::service::StockChange {
            warehouse_id: warehouse,
            product_id: product,
            on_hand: qty * 1_000,
            reserved: 0,
            kind: "in",
            reference: None,
            note: "期初库存",
        };
        app::inventory::service::change(tx, &c, false, Some(by), now).await?;
    }
    let (y, m, _) = local_today();
    let first = format!("{y:04}-{m:02}-01");
    for (currency, rate) in [("USD", 7_123_400), ("HKD", 912_000), ("EUR", 7_715_000)] {
        sql("INSERT INTO exchange_rates (currency, rate_date, rate_micro, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .arg_text(currency)
            .arg_text(first.clone())
            .arg_i64(rate)
            .arg_i64(now)
            .arg_i64(by)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// A demo contract for `customer` (owned by `owner` in `department`): signed three
/// months ago, 38 400.00 in three instalments: the first paid, the second partly paid
/// and past due (the dashboard's overdue list and a reminder show it), the third ahead.
pub async fn seed_contract(tx: &mut Tx, customer: i64, owner: i64, department: i64, now: i64) -> anyhow::Result<()> {
    use app::contracts::types::add_months;
    let today = local_today();
    let today = format!("{:04}-{:02}-{:02}", today.0, today.1, today.2);
    let signed = add_months(&today, -3).unwrap_or_else(|| today.clone());
    let number = next_number(tx, "contract", local_today()).await?;
    let contract = sql(
        "INSERT INTO contracts (number, customer_id, title, currency, amount, signed_on, starts_on, ends_on, terms, paid, owner_id, department_id, \
         created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'CNY', 3840000, $4, $4, $5, $6, 1780000, $7, $8, $9, $7, $9, $7) RETURNING id",
    )
    .arg_text(number.clone())
    .arg_i64(customer)
    .arg_text("云客 CRM 专业版实施合同")
    .arg_text(signed.clone())
    .arg_text(add_months(&signed, 12).unwrap_or_else(|| signed.clone()))
    .arg_text("分三期付款：签约后付 1/3，上线后付 1/3，验收后付尾款。")
    .arg_i64(owner)
    .arg_i64(department)
    .arg_i64(now)
    .fetch_i64(tx)
    .await?;
    // (months after signing, amount, paid)
    for (i, (months, amount, paid)) in [(0, 1_280_000, 1_280_000), (2, 1_280_000, 500_000), (5, 1_280_000, 0)].into_iter().enumerate() {
        let due = add_months(&signed, months).unwrap_or_else(|| signed.clone());
        let instalment =
            sql("INSERT INTO contract_instalments (contract_id, position, due_on, amount, paid) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .arg_i64(contract)
                .arg_i64(i as i64 + 1)
                .arg_text(due.clone())
                .arg_i64(amount)
                .arg_i64(paid)
                .fetch_i64(tx)
                .await?;
        if paid > 0 {
            let pay = next_number(tx, "payment", local_today()).await?;
            sql("INSERT INTO payments (number, contract_id, instalment_id, customer_id, amount, currency, received_on, method, reference, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, 'CNY', $6, 'bank', '招行回单', $7, $8)")
            .arg_text(pay)
            .arg_i64(contract)
            .arg_i64(instalment)
            .arg_i64(customer)
            .arg_i64(paid)
            .arg_text(due)
            .arg_i64(owner)
            .arg_i64(now)
            .execute(tx)
            .await?;
        }
    }
    audit::record(tx, AuditEntry::with_meta(&Default::default(), None, "demo", "create").on("contract", contract).summary(number)).await?;
    Ok(())
}
