//! The device card page.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_storage::DeviceCard;

#[derive(Template)]
#[template(path = "device.html")]
struct DeviceTemplate {
    page: Page,
    card: DeviceCard,
}

pub async fn card(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(number): Path<String>,
) -> Response {
    match ramp_app::devices::device_card(&state.app, &user, &number, Some(&rid)).await {
        Ok(card) => {
            let mut page = Page::new(lang, "device.title", Some(&user), &csrf, "patient");
            page.title = format!("{} {} – {}", lang.t("device.title"), card.device.device_number, card.article.name);
            render(&DeviceTemplate { page, card }, StatusCode::OK)
        }
        Err(e) => error_page(lang, e),
    }
}
