//! Catalog import in the administration (issue 20): upload a file (the
//! national export or a plain CSV), watch its progress — reading,
//! comparing, writing — and read the report, with each error by row and
//! column. A dry run is ticked by default: the administrator sees what an
//! import would change before anything is written.

use crate::extract::{cookie, CsrfToken, RequestId, UiUser, CSRF_COOKIE};
use crate::i18n::Lang;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use ramp_app::admin::Caller;
use ramp_app::catalog_import::{import_job, start_import, ImportJob, ImportOptions, Phase};
use ramp_app::model::User;
use ramp_app::AppError;
use ramp_domain::catalog_import::RowError;

#[derive(Template)]
#[template(path = "admin_catalog_import.html")]
struct FormTemplate {
    page: Page,
    /// (code, name) of each product area.
    areas: Vec<(String, String)>,
}

/// The report as the page shows it.
struct ReportView {
    counts: Vec<(&'static str, usize)>,
    errors: Vec<(usize, String, String)>,
    errors_caption: String,
    row_head: &'static str,
    column_head: &'static str,
    error_head: &'static str,
}

#[derive(Template)]
#[template(path = "admin_import_status.html")]
struct StatusTemplate {
    id: u64,
    done: bool,
    phase: String,
    rows_label: &'static str,
    refresh: &'static str,
    total: usize,
    done_rows: usize,
    report: Option<ReportView>,
}

#[derive(Template)]
#[template(path = "admin_import.html")]
struct ImportTemplate {
    page: Page,
    file_name: String,
    status: String,
}

/// What an import error says, in the page's language.
fn error_text(lang: Lang, e: &RowError) -> String {
    let sv = match e.code {
        "required" => "Värde saknas.",
        "invalid_gtin" => "GTIN är fel (8, 12, 13 eller 14 siffror med rätt kontrollsiffra).",
        "unknown_iso_code" => "ISO-koden finns inte i ISO 9999 (okänd klass).",
        "invalid_iso_code" => "Ingen sexsiffrig ISO 9999-kod.",
        "duplicate" => "Finns redan tidigare i filen",
        "invalid_kind" => "Okänd artikeltyp (t.ex. Huvudhjälpmedel, Tillbehör).",
        "invalid_amount" => "Inget belopp i kronor (t.ex. 1 234,50).",
        "invalid_date" => "Inget datum (ÅÅÅÅ-MM-DD).",
        "ends_before_start" => "Giltigheten slutar innan den börjar.",
        "missing_column" => "Kolumnen saknas i rubrikraden.",
        "duplicate_column" => "Kolumnen finns två gånger.",
        "unknown_product_area" => "Okänt produktområde.",
        "product_area_needed" => "Ny artikel utan produktområde: lägg till kolumnen eller välj ett område.",
        "empty_file" => "Filen har ingen rubrikrad.",
        "too_long" => "För långt värde.",
        _ => "Ogiltigt värde.",
    };
    let first_row = e.message.rsplit_once("row ").map(|(_, n)| n.to_string());
    match (lang, first_row) {
        (Lang::Sv, Some(n)) if e.code == "duplicate" => format!("{sv} (rad {n})."),
        (Lang::Sv, _) => sv.to_string(),
        (Lang::En, _) => e.message.clone(),
    }
}

fn phase_text(lang: Lang, job: &ImportJob) -> String {
    let key = match (job.phase, &job.report, &job.error) {
        (Phase::Reading, _, _) => "admin.import_reading",
        (Phase::Comparing, _, _) => "admin.import_comparing",
        (Phase::Writing, _, _) => "admin.import_writing",
        (Phase::Done, _, Some(_)) => "admin.import_failed",
        (Phase::Done, Some(r), _) if r.applied => "admin.import_applied",
        (Phase::Done, Some(r), _) if r.dry_run && r.errors.is_empty() => "admin.import_dry_done",
        (Phase::Done, _, _) => "admin.import_refused",
    };
    lang.t(key).to_string()
}

fn report_view(lang: Lang, job: &ImportJob) -> Option<ReportView> {
    let r = job.report.as_ref()?;
    let errors = r
        .errors
        .iter()
        .map(|e| {
            let column =
                if e.column == 0 { e.column_name.clone() } else { format!("{} ({})", e.column, e.column_name) };
            (e.row, column, error_text(lang, e))
        })
        .collect();
    Some(ReportView {
        counts: vec![
            (lang.t("admin.import_rows"), r.rows),
            (lang.t("admin.import_new"), r.new),
            (lang.t("admin.import_changed"), r.changed),
            (lang.t("admin.import_unchanged"), r.unchanged),
            (lang.t("admin.import_retired"), r.retired),
        ],
        errors,
        errors_caption: format!("{} ({})", lang.t("admin.import_errors"), r.errors.len() + r.errors_not_shown),
        row_head: lang.t("admin.import_row"),
        column_head: lang.t("admin.import_column"),
        error_head: lang.t("admin.import_error"),
    })
}

fn status_html(lang: Lang, job: &ImportJob) -> String {
    let t = StatusTemplate {
        id: job.id,
        done: job.phase == Phase::Done,
        phase: phase_text(lang, job),
        rows_label: lang.t("admin.import_progress"),
        refresh: lang.t("admin.import_refresh"),
        total: job.total.max(job.done),
        done_rows: job.done,
        report: report_view(lang, job),
    };
    t.render().unwrap_or_default()
}

async fn form_page(state: &AppState, lang: Lang, csrf: &str, user: &User, error: Option<AppError>) -> Response {
    let mut page = Page::new(lang, "admin.catalog_import", Some(user), csrf, "admin");
    let status = match &error {
        Some(e) => {
            page.add_error(e);
            crate::error::status_of(e.kind)
        }
        None => StatusCode::OK,
    };
    let areas = match ramp_app::catalog::product_areas(&state.app).await {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    let areas = areas.into_iter().map(|a| (a.code, if lang == Lang::Sv { a.name_sv } else { a.name_en })).collect();
    render(&FormTemplate { page, areas }, status)
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
) -> Response {
    if let Err(e) = ramp_app::admin::require_admin(
        &state.app,
        Caller::new(&user, Some(&rid)),
        ramp_domain::admin::AdminEntity::Article,
        "import",
    )
    .await
    {
        return error_page(lang, e);
    }
    form_page(&state, lang, &csrf, &user, None).await
}

/// The form's fields; the CSRF token must come first and match the cookie
/// before the file is read.
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    opts: ImportOptions,
}

async fn read_upload(headers: &HeaderMap, mut form: Multipart) -> Result<Upload, AppError> {
    let expected = cookie(headers, CSRF_COOKIE);
    let bad = |_| AppError::invalid("file", "unreadable_file", "the upload could not be read");
    let mut up = Upload { file_name: String::new(), bytes: Vec::new(), opts: ImportOptions::default() };
    let mut csrf_ok = false;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name != "csrf" && !csrf_ok {
            break;
        }
        match name.as_str() {
            "csrf" => {
                csrf_ok = expected.is_some() && expected.as_deref() == Some(field.text().await.map_err(bad)?.as_str())
            }
            "file" => {
                up.file_name = field.file_name().unwrap_or("import").to_string();
                up.bytes = field.bytes().await.map_err(bad)?.to_vec();
            }
            "dry_run" => up.opts.dry_run = true,
            "keep_missing" => up.opts.keep_missing = true,
            "product_area" => up.opts.default_area = Some(field.text().await.map_err(bad)?).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::forbidden("csrf_failed", "form expired"));
    }
    Ok(up)
}

pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let up = match read_upload(&headers, form).await {
        Ok(up) => up,
        Err(e) if e.code == "csrf_failed" => return error_page(lang, e),
        Err(e) => return form_page(&state, lang, &csrf, &user, Some(e)).await,
    };
    match start_import(&state.app, Caller::new(&user, Some(&rid)), &up.file_name, up.bytes, up.opts).await {
        Ok(id) => Redirect::to(&format!("/admin/catalog-import/{id}")).into_response(),
        Err(e) if e.kind == ramp_app::ErrorKind::Forbidden => error_page(lang, e),
        Err(e) => form_page(&state, lang, &csrf, &user, Some(e)).await,
    }
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<u64>,
) -> Response {
    match import_job(&state.app, Caller::new(&user, Some(&rid)), id).await {
        Ok(job) => {
            let page = Page::new(lang, "admin.catalog_import", Some(&user), &csrf, "admin");
            let status = status_html(lang, &job);
            render(&ImportTemplate { page, file_name: job.file_name.clone(), status }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}

/// The progress fragment the page polls (htmx) until the import ends.
pub async fn status(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<u64>,
) -> Response {
    match import_job(&state.app, Caller::new(&user, Some(&rid)), id).await {
        Ok(job) => Html(status_html(lang, &job)).into_response(),
        Err(e) => error_page(lang, e),
    }
}
