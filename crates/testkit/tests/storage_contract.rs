//! The storage contract suite from `ramp_storage::contract`, once per engine.

macro_rules! contract_on {
    ($engine:ident; $($name:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let storage = ramp_testkit::fresh_storage(ramp_testkit::Engine::$engine).await;
                ramp_storage::contract::$name(storage).await;
            }
        )+
    };
}

mod sqlite {
    macro_rules! on_sqlite { ($($name:ident),+) => { contract_on!(Sqlite; $($name),+); }; }
    ramp_storage::for_each_contract_test!(on_sqlite);
}

mod postgres {
    macro_rules! on_postgres { ($($name:ident),+) => { contract_on!(Postgres; $($name),+); }; }
    ramp_storage::for_each_contract_test!(on_postgres);
}

mod audit_sqlite {
    macro_rules! on_sqlite { ($($name:ident),+) => { contract_on!(Sqlite; $($name),+); }; }
    ramp_storage::for_each_audit_contract_test!(on_sqlite);
}

mod audit_postgres {
    macro_rules! on_postgres { ($($name:ident),+) => { contract_on!(Postgres; $($name),+); }; }
    ramp_storage::for_each_audit_contract_test!(on_postgres);
}
