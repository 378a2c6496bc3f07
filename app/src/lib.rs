//! The CRM application: pages, server functions and business modules,
//! compiled for the server (`ssr`) and for the browser (`hydrate`).
#![recursion_limit = "512"]

pub mod account;
pub mod activities;
pub mod admin;
pub mod catalog;
pub mod contacts;
pub mod contracts;
pub mod customers;
pub mod dictionaries;
pub mod fieldwork;
pub mod finance;
pub mod inventory;
pub mod knowledge;
pub mod leads;
pub mod opportunities;
pub mod orders;
pub mod platform;
pub mod portal;
pub mod quotes;
pub mod reports;
pub mod tickets;
pub mod ui;

use account::types::SessionInfo;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use platform::i18n::I18n;

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (lang, session_json) = (account::api::request_locale().code(), account::api::session_info_json());
    #[cfg(not(feature = "ssr"))]
    let (lang, session_json) = ("zh-CN", String::new());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1e40af"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <script id=account::api::SESSION_INFO_ID type="application/json" inner_html=session_json></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let info: SessionInfo = account::api::current_session_info();
    let t = I18n(info.locale);
    provide_context(t);
    provide_context(info);
    view! {
        <Stylesheet id="leptos" href="/pkg/crm.css"/>
        <Title text=t.t("app.name")/>
        <Router>
        <Routes fallback=|| view! { <ui::NotFound/> }>
            <Route path=path!("/login") view=account::pages::LoginPage/>
            <ParentRoute path=path!("") view=ui::AppShell>
                <Route path=path!("") view=|| view! { <Redirect path="/customers"/> }/>
                <Route path=path!("dashboard") view=reports::pages::DashboardPage/>
                <Route path=path!("customers") view=customers::pages::CustomerListPage/>
                <Route path=path!("customers/new") view=customers::pages::NewCustomerPage/>
                <Route path=path!("customers/pool") view=customers::pages::PoolPage/>
                <Route path=path!("customers/pyramid") view=customers::pages::PyramidPage/>
                <Route path=path!("customers/import") view=customers::pages::ImportStartPage/>
                <Route path=path!("customers/import/:id") view=customers::pages::ImportJobPage/>
                <Route path=path!("customers/transfer") view=customers::pages::TransferPage/>
                <Route path=path!("customers/:id") view=customers::pages::CustomerDetailPage/>
                <Route path=path!("customers/:id/edit") view=customers::pages::EditCustomerPage/>
                <Route path=path!("leads") view=leads::pages::LeadListPage/>
                <Route path=path!("leads/import") view=customers::pages::LeadImportStartPage/>
                <Route path=path!("leads/import/:id") view=customers::pages::ImportJobPage/>
                <Route path=path!("leads/new") view=leads::pages::NewLeadPage/>
                <Route path=path!("leads/:id") view=leads::pages::LeadDetailPage/>
                <Route path=path!("leads/:id/edit") view=leads::pages::EditLeadPage/>
                <Route path=path!("opportunities") view=opportunities::pages::PipelinePage/>
                <Route path=path!("opportunities/list") view=opportunities::pages::OpportunityListPage/>
                <Route path=path!("opportunities/new") view=opportunities::pages::NewOpportunityPage/>
                <Route path=path!("opportunities/:id") view=opportunities::pages::OpportunityDetailPage/>
                <Route path=path!("opportunities/:id/edit") view=opportunities::pages::EditOpportunityPage/>
                <Route path=path!("products") view=catalog::pages::ProductListPage/>
                <Route path=path!("products/new") view=catalog::pages::NewProductPage/>
                <Route path=path!("products/:id") view=catalog::pages::ProductDetailPage/>
                <Route path=path!("products/:id/edit") view=catalog::pages::EditProductPage/>
                <Route path=path!("quotes") view=quotes::pages::QuoteListPage/>
                <Route path=path!("quotes/new") view=quotes::pages::NewQuotePage/>
                <Route path=path!("quotes/:id") view=quotes::pages::QuoteDetailPage/>
                <Route path=path!("quotes/:id/edit") view=quotes::pages::EditQuotePage/>
                <Route path=path!("orders") view=orders::pages::OrderListPage/>
                <Route path=path!("orders/new") view=orders::pages::NewOrderPage/>
                <Route path=path!("orders/:id") view=orders::pages::OrderDetailPage/>
                <Route path=path!("orders/:id/edit") view=orders::pages::EditOrderPage/>
                <Route path=path!("contracts") view=contracts::pages::ContractListPage/>
                <Route path=path!("contracts/new") view=contracts::pages::NewContractPage/>
                <Route path=path!("contracts/:id") view=contracts::pages::ContractDetailPage/>
                <Route path=path!("contracts/:id/edit") view=contracts::pages::EditContractPage/>
                <Route path=path!("receivables") view=contracts::pages::ReceivablesPage/>
                <Route path=path!("service") view=tickets::pages::ServiceListPage/>
                <Route path=path!("service/new") view=tickets::pages::NewServicePage/>
                <Route path=path!("service/stats") view=tickets::pages::ServiceStatsPage/>
                <Route path=path!("service/:id") view=tickets::pages::ServiceDetailPage/>
                <Route path=path!("dispatch") view=fieldwork::pages::DispatchBoardPage/>
                <Route path=path!("field") view=fieldwork::tablet::FieldPage/>
                <Route path=path!("kb") view=knowledge::pages::KbListPage/>
                <Route path=path!("kb/new") view=knowledge::pages::KbNewPage/>
                <Route path=path!("kb/:id") view=knowledge::pages::KbArticlePage/>
                <Route path=path!("kb/:id/edit") view=knowledge::pages::KbEditPage/>
                <Route path=path!("work-orders/new") view=fieldwork::pages::NewWorkOrderPage/>
                <Route path=path!("work-orders/:id") view=fieldwork::pages::WorkOrderPage/>
                <Route path=path!("inventory") view=inventory::pages::StockPage/>
                <Route path=path!("inventory/movements") view=inventory::pages::MovementsPage/>
                <Route path=path!("inventory/move") view=inventory::pages::StockMovePage/>
                <Route path=path!("inventory/stocktake") view=inventory::pages::StocktakePage/>
                <Route path=path!("activities/plan") view=activities::pages::VisitPlanPage/>
                <Route path=path!("contacts/birthdays") view=contacts::pages::BirthdaysPage/>
                <Route path=path!("account") view=account::pages::AccountPage/>
                <Route path=path!("admin/users") view=admin::pages::UsersPage/>
                <Route path=path!("admin/departments") view=admin::pages::DepartmentsPage/>
                <Route path=path!("admin/roles") view=admin::pages::RolesPage/>
                <Route path=path!("admin/audit") view=admin::pages::AuditPage/>
                <Route path=path!("admin/settings/pool") view=customers::pages::PoolSettingsPage/>
                <Route path=path!("admin/settings/lists") view=dictionaries::pages::DictionariesPage/>
                <Route path=path!("admin/settings/value") view=customers::pages::ValueModelPage/>
                <Route path=path!("admin/settings/targets") view=reports::pages::TargetsPage/>
                <Route path=path!("admin/settings/processes") view=opportunities::pages::ProcessSettingsPage/>
                <Route path=path!("admin/settings/currencies") view=finance::pages::ExchangeRatesPage/>
                <Route path=path!("admin/settings/numbering") view=finance::pages::NumberingPage/>
                <Route path=path!("admin/settings/service") view=tickets::pages::ServiceSettingsPage/>
                <Route path=path!("admin/settings/company") view=finance::pages::CompanyProfilePage/>
                <Route path=path!("admin/settings/warehouses") view=inventory::pages::WarehousesPage/>
                <Route path=path!("admin/settings/leads") view=leads::pages::LeadSettingsPage/>
            </ParentRoute>
        </Routes>
        </Router>
    }
}
