//! The one integration-test binary: every test, on both engines.

mod agreement_reload;
mod api_auth;
mod api_catalog_devices;
mod api_errors;
mod api_patients;
mod billing;
mod billing_peppol;
mod consult;
mod economy;
mod fees;
mod figures;
mod impact;
mod operations;
mod order_group;
mod orders_direct;
mod orders_flow;
mod orders_paths;
mod orders_race;
mod orders_reports;
mod storage_contract;
mod storage_tx;
mod supply;
mod ui_billing;
mod ui_browser;
mod ui_desk;
mod ui_forms;
