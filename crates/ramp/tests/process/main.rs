//! Tests that run the `ramp` binary as a process and do to it what an
//! operator's bad day does: kill it mid-load, fill its disk, make its
//! database read-only, stop its PostgreSQL server; and the commands an
//! operator runs beside it (`ramp token`, `ramp admin init`). One test binary.

mod backup;
mod bench_search;
mod bootstrap;
mod crash;
mod demo_journeys;
mod digital;
mod digital_mqtt;
mod faults;
mod support;
mod tokens;
