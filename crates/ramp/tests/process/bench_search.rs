//! `ramp bench search` as an operator runs it: briefly, on a database it
//! fills with the small demo and tops up to 2,000 articles, on both engines
//! (PostgreSQL when `RAMP_TEST_POSTGRES_URL` names a cluster). The JSON
//! report carries every figure and no search failed; a bad option is bad
//! input naming the option before anything runs.

use crate::support::*;
use serde_json::Value;
use std::process::Output;

fn bench_search(url: &str, extra: &[&str]) -> Output {
    std::process::Command::new(RAMP)
        .args(["bench", "search"])
        .args(extra)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .output()
        .expect("ramp runs")
}

fn number(v: &Value, path: &str) -> f64 {
    v.pointer(path).and_then(Value::as_f64).unwrap_or_else(|| panic!("{path} is a number in {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_ramp_bench_search_reports_latency_throughput_memory_and_the_ceiling_without_errors() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    reports_every_figure_without_errors(&url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_ramp_bench_search_reports_latency_throughput_memory_and_the_ceiling_without_errors() {
    let Some(db) = PgDatabase::create("bench test").await else { return };
    reports_every_figure_without_errors(&db.url);
    db.drop().await;
}

fn reports_every_figure_without_errors(url: &str) {
    let out =
        bench_search(url, &["--articles", "2000", "--duration", "1", "--warmup", "0", "--clients", "16", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object on stdout");

    assert_eq!(report["setup"]["demo_loaded"], true, "the empty database got the small demo");
    assert_eq!(number(&report, "/setup/articles_before") + number(&report, "/setup/articles_added"), 2000.0);
    assert_eq!(number(&report, "/index/articles"), 2000.0, "every article is in the index");
    assert!(number(&report, "/index/build_s") > 0.0);
    for level in ["http", "use_case", "ceiling"] {
        assert!(number(&report, &format!("/{level}/requests")) > 0.0, "{level}: {report}");
        assert!(number(&report, &format!("/{level}/per_second")) > 0.0, "{level}");
        for p in ["p50_ms", "p95_ms", "p99_ms", "max_ms"] {
            assert!(number(&report, &format!("/{level}/latency/{p}")) > 0.0, "{level} {p}");
        }
        assert_eq!(report[level]["errors"], serde_json::json!({}), "{level}: no search failed");
    }
    for kind in ["word", "prefix", "misspelling", "iso code", "gtin", "article number", "filtered", "facets"] {
        assert!(report["http"]["by_kind"][kind]["requests"].as_u64().is_some_and(|n| n > 0), "{kind} was asked");
    }
    assert!(number(&report, "/ratio") > 0.0);
    assert!(number(&report, "/rss/after_load/rss_kib") > 0.0 && number(&report, "/rss/after_load/peak_kib") > 0.0);
    assert!(report["target"]["met"].is_boolean() && number(&report, "/target/p95_ms") == 50.0);
}

#[test]
fn a_bad_bench_search_option_is_bad_input_naming_the_option() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    for (flag, value) in [("--clients", "0"), ("--duration", "0"), ("--articles", "9000000")] {
        let out = bench_search(&url, &[flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: bad input");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("{flag}:")), "{flag} is named: {stderr}");
    }
    assert!(!test_dir().join(url.trim_start_matches("sqlite:")).exists(), "nothing was created before the check");
}
