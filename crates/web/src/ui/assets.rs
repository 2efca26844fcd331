//! Static assets, embedded in the binary (nothing fetched at run time).

use axum::http::header;
use axum::response::IntoResponse;

const STYLE: &str = include_str!("../../assets/style.css");
const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
/// Our own script: the narrow-screen menu button and focus after htmx swaps.
const RAMP: &str = include_str!("../../assets/ramp.js");
/// The receive page's scan field (progressive enhancement, issue 19).
const SCAN: &str = include_str!("../../assets/scan.js");
const CACHE: &str = "public, max-age=3600";

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], STYLE)
}

pub async fn htmx() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], HTMX)
}

pub async fn ramp() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], RAMP)
}

pub async fn scan() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], SCAN)
}
