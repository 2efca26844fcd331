//! Login through the region's identity provider: OpenID Connect
//! authorization code flow with PKCE, the way a region connects SITHS eID
//! (e-tjänstekort) through its IdP. The provider vouches for an HSA id
//! (a claim, `hsa_id` by default); the HSA id maps to an existing, active
//! user, and the login ends in the same [`start_session`] as a password
//! login. Nobody is created on a first login: an unknown HSA id is refused.
//!
//! The flow: [`begin`] makes the provider's authorization URL and a signed
//! cookie with the state, nonce and PKCE verifier ([`pending`]);
//! [`finish`] checks the returned state against the cookie, redeems the
//! code with the verifier, verifies the ID token (signature, issuer,
//! audience, expiry by the app's clock, nonce) and maps the HSA id;
//! [`logout_url`] is the provider's end-session address (RP-initiated
//! logout). The provider's metadata and keys are discovered on first use
//! and again after an hour.

mod pending;
mod settings;

pub use pending::PENDING_MINUTES;
pub use settings::{OidcInput, OidcSettings, CALLBACK_PATH, DEFAULT_HSA_ID_CLAIM, DEFAULT_SCOPES};

use crate::auth::{audit_login, start_session, LoginMethod, Session};
use crate::error::{AppError, ErrorKind, Result};
use crate::App;
use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope, StandardErrorResponse, StandardTokenResponse,
    TokenResponse,
};
use pending::Pending;
use ramp_domain::ids::HsaId;
use ramp_model::User;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Every claim the standard set does not name, by name: the HSA-id claim
/// is configurable, so it is looked up at run time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type Tokens = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type IdToken =
    openidconnect::IdToken<OtherClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What discovery found: a client for the provider, and its logout address.
struct Provider {
    client: OidcClient,
    issuer: String,
    end_session: Option<EndSessionUrl>,
    discovered_at: DateTime<Utc>,
}

/// How long discovered metadata and signing keys are used before asking again.
const REDISCOVER_AFTER_MINUTES: i64 = 60;

/// The configured identity provider, shared by every request.
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    key: [u8; 32],
    provider: tokio::sync::Mutex<Option<Arc<Provider>>>,
}

impl Oidc {
    /// The issuer URL's origin, `None` if it has none (not http/https).
    pub fn issuer_origin(&self) -> Option<String> {
        let url = openidconnect::url::Url::parse(&self.settings.issuer_url).ok()?;
        let origin = url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl Oidc {
    /// The provider of `settings`; nothing is fetched until the first login.
    pub fn new(settings: OidcSettings) -> std::result::Result<Oidc, String> {
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would open the server to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(|e| format!("oidc: cannot build the HTTP client: {e}"))?;
        let key = pending::key(&settings.client_secret);
        Ok(Oidc { settings, http, key, provider: tokio::sync::Mutex::new(None) })
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The discovered provider, discovering it when not yet known or stale.
    async fn provider(&self, now: DateTime<Utc>) -> Result<Arc<Provider>> {
        let mut cached = self.provider.lock().await;
        if let Some(p) = cached.as_ref() {
            if now - p.discovered_at < chrono::Duration::minutes(REDISCOVER_AFTER_MINUTES) {
                return Ok(p.clone());
            }
        }
        let p = Arc::new(self.discover(now).await?);
        *cached = Some(p.clone());
        Ok(p)
    }

    async fn discover(&self, now: DateTime<Utc>) -> Result<Provider> {
        let issuer =
            IssuerUrl::new(self.settings.issuer_url.clone()).map_err(|e| AppError::internal("the issuer URL", e))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| unavailable("discovery of the identity provider failed", e))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let issuer = metadata.issuer().to_string();
        // client_secret_basic unless the provider takes the secret only in the body.
        let basic_ok = metadata
            .token_endpoint_auth_methods_supported()
            .is_none_or(|methods| methods.iter().any(|m| m.as_ref() == "client_secret_basic") || methods.is_empty());
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::from_url(self.settings.redirect_url.clone()))
        .set_auth_type(if basic_ok { AuthType::BasicAuth } else { AuthType::RequestBody });
        Ok(Provider { client, issuer, end_session, discovered_at: now })
    }
}

fn unavailable(what: &str, source: impl std::error::Error + Send + Sync + 'static) -> AppError {
    tracing::warn!(error = %source, "{what}");
    AppError {
        source: Some(Box::new(source)),
        ..AppError::new(ErrorKind::Unavailable, "oidc_provider_unavailable", "the identity provider does not answer")
    }
}

fn refused(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> AppError {
    let e = AppError::new(kind, code, message);
    tracing::warn!(code, reason = %e.message, "OIDC login refused");
    e
}

fn oidc(app: &App) -> Result<&Oidc> {
    app.oidc.as_deref().ok_or_else(|| {
        AppError::not_found(None, "oidc_not_configured", "login through an identity provider is not configured")
    })
}

/// A started login: where to send the browser, and the cookie to set.
#[derive(Debug)]
pub struct Begin {
    pub authorize_url: String,
    /// The signed pending login (state, nonce, PKCE verifier, next).
    pub cookie: String,
    pub max_age_seconds: i64,
}

/// Starts a login at the provider; `next` is the local path to end on.
pub async fn begin(app: &App, next: &str) -> Result<Begin> {
    authorize(app, next, None).await
}

/// Starts a step-up for signing an adaptation document: the provider is
/// asked to authenticate the user again, whatever session it has
/// (`prompt=login`, `max_age=0`); the callback signs only when the ID
/// token names the same user and its `auth_time` is not older than now.
pub async fn begin_step_up(app: &App, user: &User, next: &str, document: &str, sha256: &str) -> Result<Begin> {
    let step_up = pending::StepUp {
        user_id: user.id,
        document: document.trim().to_string(),
        sha256: sha256.trim().to_string(),
        started: app.clock.now().timestamp(),
    };
    authorize(app, next, Some(step_up)).await
}

async fn authorize(app: &App, next: &str, step_up: Option<pending::StepUp>) -> Result<Begin> {
    let oidc = oidc(app)?;
    let now = app.clock.now();
    let provider = oidc.provider(now).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = provider.client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &oidc.settings.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    if step_up.is_some() {
        request = request.add_prompt(CoreAuthPrompt::Login).set_max_age(std::time::Duration::ZERO);
    }
    let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
    let pending = Pending {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: next.to_string(),
        expires: now.timestamp() + PENDING_MINUTES * 60,
        step_up,
    };
    Ok(Begin {
        authorize_url: url.to_string(),
        cookie: pending::seal(&oidc.key, &pending),
        max_age_seconds: PENDING_MINUTES * 60,
    })
}

/// What the provider sent back to the callback address.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The issuer (RFC 9207), when the provider sends it.
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A finished login: the session, the ID token (the hint for logging out
/// at the provider) and where to go.
pub struct Login {
    pub session: Session,
    pub id_token: String,
    pub next: String,
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a callback finished: a login, or a step-up that signed a document.
pub enum Finished {
    Login(Box<Login>),
    /// The document was signed; `next` is where to go (the device card).
    Signed {
        next: String,
    },
}

/// How much older than the step-up's start the provider's `auth_time` may
/// be (clock skew between Ramp and the provider).
const STEP_UP_SKEW_SECONDS: i64 = 30;

/// Whether the provider authenticated the user at or after the step-up
/// started (less the skew); no `auth_time` at all is not fresh.
fn fresh(auth_time: Option<DateTime<Utc>>, started: i64) -> bool {
    auth_time.is_some_and(|t| t.timestamp() >= started - STEP_UP_SKEW_SECONDS)
}

/// Finishes a login or a step-up: `cookie` is the pending one [`begin`]
/// or [`begin_step_up`] made.
pub async fn finish(app: &App, cookie: Option<&str>, callback: Callback) -> Result<Finished> {
    let oidc = oidc(app)?;
    let now = app.clock.now();
    let Some(pending) = cookie.and_then(|c| pending::open(&oidc.key, c, now)) else {
        return Err(refused(ErrorKind::Invalid, "oidc_login_expired", "no login in progress, or it expired"));
    };
    if !callback.state.as_deref().is_some_and(|s| same(s, &pending.state)) {
        return Err(refused(ErrorKind::Invalid, "oidc_state_mismatch", "the state does not match the login started"));
    }
    if let Some(error) = &callback.error {
        let detail = callback.error_description.as_deref().unwrap_or_default();
        return Err(refused(ErrorKind::Unauthenticated, "oidc_denied", format!("the provider said {error}: {detail}")));
    }
    let provider = oidc.provider(now).await?;
    if callback.iss.as_deref().is_some_and(|iss| iss != provider.issuer) {
        return Err(refused(ErrorKind::Unauthenticated, "oidc_issuer_mismatch", "the answer came from another issuer"));
    }
    let Some(code) = callback.code.filter(|c| !c.is_empty()) else {
        return Err(refused(ErrorKind::Invalid, "oidc_bad_callback", "the provider sent no code"));
    };
    let tokens = redeem(oidc, &provider, code, pending.pkce_verifier).await?;
    let (hsa_id, auth_time) = verified_hsa_id(app, oidc, &provider, &tokens, &Nonce::new(pending.nonce)).await?;
    let user = user_of(app, &hsa_id).await?;
    if let Some(step_up) = pending.step_up {
        if user.id != step_up.user_id {
            return Err(refused(
                ErrorKind::Forbidden,
                "oidc_step_up_other_user",
                "the provider vouched for another user",
            ));
        }
        if !fresh(auth_time, step_up.started) {
            audit_login(app, &user, "adaptation.sign.reauth_refused", "identity provider: no fresh authentication")
                .await?;
            return Err(refused(
                ErrorKind::Unauthenticated,
                "oidc_step_up_stale",
                "the identity provider did not authenticate you again (auth_time)",
            ));
        }
        let how = crate::supply::Reauthentication::IdentityProvider(crate::supply::StepUpProof(()));
        crate::supply::sign_adaptation(app, &user, &step_up.document, &step_up.sha256, &how, None).await?;
        return Ok(Finished::Signed { next: pending.next });
    }
    let id_token = tokens.id_token().map(|t| t.to_string()).unwrap_or_default();
    let session = start_session(app, user, LoginMethod::IdentityProvider).await?;
    tracing::info!(hsa_id = hsa_id.as_str(), user = session.user.id, "logged in through the identity provider");
    Ok(Finished::Login(Box::new(Login { session, id_token, next: pending.next })))
}

/// Redeems the code with the PKCE verifier at the token endpoint.
async fn redeem(oidc: &Oidc, provider: &Provider, code: String, verifier: String) -> Result<Tokens> {
    let request = provider
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AppError::internal("the provider has no token endpoint", e))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier));
    request.request_async(&oidc.http).await.map_err(|e| match e {
        RequestTokenError::ServerResponse(r) => refused(
            ErrorKind::Unauthenticated,
            "oidc_code_refused",
            format!("the provider refused the code (expired or already used): {r}"),
        ),
        RequestTokenError::Request(e) => unavailable("the token request failed", e),
        other => AppError::internal("the token response could not be read", other),
    })
}

/// Verifies the ID token and returns the HSA id the provider vouches for
/// (from the ID token, else from the userinfo endpoint), and when the user
/// last authenticated there (`auth_time`), if it says.
async fn verified_hsa_id(
    app: &App,
    oidc: &Oidc,
    provider: &Provider,
    tokens: &Tokens,
    nonce: &Nonce,
) -> Result<(HsaId, Option<DateTime<Utc>>)> {
    let invalid = |e: &dyn std::fmt::Display| {
        refused(ErrorKind::Unauthenticated, "oidc_token_invalid", format!("the ID token is not valid: {e}"))
    };
    let id_token = tokens.id_token().ok_or_else(|| invalid(&"the provider sent no ID token"))?;
    let clock = app.clock.clone();
    let verifier = provider.client.id_token_verifier().set_time_fn(move || clock.now());
    let claims = id_token.claims(&verifier, nonce).map_err(|e| match e {
        ClaimsVerificationError::InvalidNonce(_) => {
            refused(ErrorKind::Unauthenticated, "oidc_nonce_mismatch", "the ID token's nonce is not this login's")
        }
        other => invalid(&other),
    })?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token.signing_alg().map_err(|e| invalid(&e))?;
        let key = id_token.signing_key(&verifier).map_err(|e| invalid(&e))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key).map_err(|e| invalid(&e))?;
        if actual != *expected {
            return Err(invalid(&"the access token does not match the ID token"));
        }
    }
    let name = &oidc.settings.hsa_id_claim;
    let mut value = claim(name, claims.subject().as_str(), claims.additional_claims());
    if value.is_none() && provider.client.user_info_url().is_some() {
        let info = provider
            .client
            .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| AppError::internal("userinfo", e))?
            .request_async::<OtherClaims, _, CoreGenderClaim>(&oidc.http)
            .await
            .map_err(|e| unavailable("the userinfo request failed", e))?;
        value = claim(name, info.subject().as_str(), info.additional_claims());
    }
    let value = value.ok_or_else(|| {
        refused(ErrorKind::Forbidden, "oidc_hsa_id_missing", format!("the provider sent no '{name}' claim"))
    })?;
    let hsa_id = HsaId::parse(&value).map_err(|_| {
        refused(ErrorKind::Forbidden, "oidc_hsa_id_missing", format!("the '{name}' claim '{value}' is not an HSA id"))
    })?;
    Ok((hsa_id, claims.auth_time()))
}

/// The configured claim's value: `sub`, or one of the other claims.
fn claim(name: &str, subject: &str, other: &OtherClaims) -> Option<String> {
    if name == "sub" {
        return Some(subject.to_string());
    }
    match other.claims.get(name)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The active user an HSA id belongs to; nobody is created.
async fn user_of(app: &App, hsa_id: &HsaId) -> Result<User> {
    match app.storage.user_by_hsa_id(hsa_id.as_str()).await? {
        Some(user) if user.active => Ok(user),
        Some(user) => {
            audit_login(app, &user, "session.login.refused", "account deactivated (identity provider)").await?;
            Err(refused(
                ErrorKind::Forbidden,
                "oidc_account_inactive",
                format!("the account of HSA id {} ({}) is deactivated", hsa_id.as_str(), user.username),
            ))
        }
        None => Err(refused(
            ErrorKind::Forbidden,
            "oidc_unknown_hsa_id",
            format!("no account has HSA id {}; accounts are not created at login", hsa_id.as_str()),
        )),
    }
}

/// Where to send the browser to log out at the provider too (RP-initiated
/// logout), or `None` when the provider has no end-session endpoint or
/// OIDC is off. The local session is ended by the caller.
pub async fn logout_url(app: &App, id_token: Option<&str>) -> Result<Option<String>> {
    let Some(oidc) = app.oidc.as_deref() else { return Ok(None) };
    let provider = oidc.provider(app.clock.now()).await?;
    let Some(end_session) = provider.end_session.clone() else { return Ok(None) };
    let mut request = LogoutRequest::from(end_session)
        .set_client_id(ClientId::new(oidc.settings.client_id.clone()))
        .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(oidc.settings.post_logout_redirect_url.clone()));
    if let Some(token) = id_token.and_then(|t| t.parse::<IdToken>().ok()) {
        request = request.set_id_token_hint(&token);
    }
    Ok(Some(request.http_get_url().to_string()))
}

#[cfg(test)]
mod step_up_tests {
    use super::*;

    #[test]
    fn a_step_up_needs_an_auth_time_from_after_it_started() {
        let started = 1_800_000_000;
        let at = |t: i64| DateTime::from_timestamp(t, 0);
        assert!(fresh(at(started + 5), started));
        assert!(fresh(at(started - STEP_UP_SKEW_SECONDS), started), "within the skew");
        assert!(!fresh(at(started - 3600), started), "the session's old login is not a step-up");
        assert!(!fresh(None, started), "a provider that does not say is not trusted");
    }
}
