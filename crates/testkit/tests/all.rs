//! The one integration-test binary: every test, on both engines.

mod storage_contract;
