//! Who is calling: local accounts with argon2 password hashes, login
//! sessions, and API tokens for integrations. Session ids and tokens are
//! random 256-bit values; only their SHA-256 is stored, so a leaked
//! database does not leak live sessions. An OIDC login would end in the
//! same `start_session` call.
//!
//! Password logins are throttled per account and per client address
//! (`ramp_domain::throttle`, counts in the database), and an unknown
//! account costs the same argon2 verification as a known one, so neither
//! guessing nor timing tells which usernames exist.

use crate::error::{AppError, Result};
use crate::App;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use ramp_domain::throttle;
use ramp_model::{ApiTokenRow, Id, User};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;

/// A fresh random secret as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database stores for a session id or token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source works");
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::internal("salt", PwError(e)))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("password hashing failed", PwError(e)))
}

#[derive(Debug)]
struct PwError(argon2::password_hash::Error);

impl std::fmt::Display for PwError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for PwError {}

/// Whether `password` matches the argon2 PHC string `phc`.
pub(crate) fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

static DUMMY_VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

/// Verifies `password` against a hash no password matches, made with the
/// same parameters as real ones: a login for an unknown, inactive or
/// password-less account takes as long as one with a wrong password.
fn verify_dummy(password: &str) -> bool {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_password(&random_token()).expect("hashing a random password works"));
    DUMMY_VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
    verify(password, &DUMMY);
    false
}

/// How many logins so far were verified against the dummy hash (for tests
/// that prove the path runs; a test never asserts a time).
pub fn dummy_verifications() -> u64 {
    DUMMY_VERIFICATIONS.load(Ordering::Relaxed)
}

/// A started session: the secret for the cookie, and the user.
pub struct Session {
    pub token: String,
    pub user: User,
}

/// Password requirements for local accounts.
pub fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < 8 {
        return Err(AppError::invalid("password", "password_too_short", "the password needs at least 8 characters"));
    }
    Ok(())
}

fn bad_credentials() -> AppError {
    AppError::unauthenticated("invalid_credentials", "wrong username or password")
}

/// What is throttled, with its rule: the account asked for (known or not)
/// and the client's address.
fn throttle_subjects(username: &str, client: Option<&str>) -> Vec<(String, throttle::Policy)> {
    let mut subjects = vec![(format!("account:{}", username.trim().to_lowercase()), throttle::ACCOUNT)];
    if let Some(address) = client {
        subjects.push((format!("address:{address}"), throttle::ADDRESS));
    }
    subjects
}

fn too_many_attempts(wait: chrono::Duration) -> AppError {
    let seconds = throttle::whole_seconds(wait).max(1);
    AppError::too_many_requests(
        "too_many_attempts",
        seconds,
        format!("too many failed logins; try again in {seconds} seconds"),
    )
}

/// The longest wait any subject still has to sit out, if any.
async fn throttled(app: &App, subjects: &[(String, throttle::Policy)]) -> Result<Option<chrono::Duration>> {
    let now = app.clock.now();
    let mut longest = None;
    for (subject, policy) in subjects {
        if let Some(f) = app.storage.login_failures(subject).await? {
            let wait = policy.retry_after(f.failures, f.last_failure_at, now);
            longest = longest.max(wait);
        }
    }
    Ok(longest)
}

/// Logs in with username and password, from the client address `client`
/// (for throttling). Unknown users, wrong passwords and deactivated
/// accounts get the same answer and cost the same time; after repeated
/// failures of the account or the address, tries are refused with the
/// wait (`too_many_attempts`, 429) without checking the password.
pub async fn login(app: &App, username: &str, password: &str, client: Option<&str>) -> Result<Session> {
    if username.trim().is_empty() {
        return Err(AppError::invalid("username", "required", "enter your username"));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", "required", "enter your password"));
    }
    let subjects = throttle_subjects(username, client);
    if let Some(wait) = throttled(app, &subjects).await? {
        return Err(too_many_attempts(wait));
    }
    let user = app.storage.user_by_username(username.trim()).await?;
    let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref().filter(|_| u.active)) {
        Some(hash) => verify(password, hash),
        None => verify_dummy(password),
    };
    match user {
        Some(user) if ok => {
            app.storage.clear_login_failures(&subjects[0].0).await?;
            start_session(app, user, LoginMethod::Password).await
        }
        known => {
            let now = app.clock.now();
            for (subject, _) in &subjects {
                app.storage.record_login_failure(subject, now, now - throttle::FORGET_AFTER).await?;
            }
            if let Some(user) = known {
                let why = if user.active { "wrong password" } else { "account deactivated" };
                audit_login(app, &user, "session.login.refused", why).await?;
            }
            Err(bad_credentials())
        }
    }
}

/// Checks a logged-in user's password again (re-authentication, e.g. to
/// sign): throttled and counted with the account's logins, so a session
/// left open cannot be used to guess the password. `Ok(false)`: wrong
/// (counted); 429 `too_many_attempts` while the account must wait.
pub(crate) async fn check_password_again(app: &App, username: &str, password: &str, hash: &str) -> Result<bool> {
    let subjects = throttle_subjects(username, None);
    if let Some(wait) = throttled(app, &subjects).await? {
        return Err(too_many_attempts(wait));
    }
    if verify(password, hash) {
        app.storage.clear_login_failures(&subjects[0].0).await?;
        return Ok(true);
    }
    let now = app.clock.now();
    app.storage.record_login_failure(&subjects[0].0, now, now - throttle::FORGET_AFTER).await?;
    Ok(false)
}

/// How a user proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    Password,
    IdentityProvider,
}

/// Writes a login or a refused login of a known account to the audit log,
/// where the audit review finds it (`session.login`, `session.login.refused`).
/// Attempts on unknown accounts have no user to name; the throttle counts them.
pub(crate) async fn audit_login(app: &App, user: &User, action: &str, detail: &str) -> Result<()> {
    let detail = Some(detail.to_string());
    crate::access::audit(app, user, None, action, ramp_model::AccessReason::None, detail, None).await?;
    Ok(())
}

/// Starts a session for an authenticated user (password or identity
/// provider) and audits the login.
pub async fn start_session(app: &App, user: User, method: LoginMethod) -> Result<Session> {
    let now = app.clock.now();
    let token = random_token();
    app.storage.create_session(&token_hash(&token), user.id, now, now + app.config.session_ttl).await?;
    app.storage.record_login(user.id, now).await?;
    let how = match method {
        LoginMethod::Password => "password",
        LoginMethod::IdentityProvider => "identity provider",
    };
    audit_login(app, &user, "session.login", how).await?;
    Ok(Session { token, user })
}

/// The user of a session cookie, if the session is live.
pub async fn session_user(app: &App, token: &str) -> Result<Option<User>> {
    let key = format!("s:{}", token_hash(token));
    let now = app.clock.now();
    if let Some(user) = app.auth_cache.get(&key, now) {
        return Ok(Some(user));
    }
    let user = app.storage.session_user(&token_hash(token), now).await?;
    if let Some(u) = &user {
        app.auth_cache.put(&key, u, now);
    }
    Ok(user)
}

pub async fn logout(app: &App, token: &str) -> Result<()> {
    app.auth_cache.remove(&format!("s:{}", token_hash(token)));
    Ok(app.storage.delete_session(&token_hash(token)).await?)
}

/// The user of an API token (`Authorization: Bearer ...`).
pub async fn token_user(app: &App, token: &str) -> Result<Option<User>> {
    let key = format!("t:{}", token_hash(token));
    let now = app.clock.now();
    if let Some(user) = app.auth_cache.get(&key, now) {
        return Ok(Some(user));
    }
    let user = app.storage.api_token_user(&token_hash(token)).await?;
    if let Some(u) = &user {
        app.auth_cache.put(&key, u, now);
    }
    Ok(user)
}

/// Revokes the API token sent as `Authorization: Bearer` (its logout);
/// it stops working at once on this instance, within the auth cache's
/// 30 seconds on others.
pub async fn revoke_bearer(app: &App, token: &str) -> Result<()> {
    let hash = token_hash(token);
    app.auth_cache.remove(&format!("t:{hash}"));
    app.storage.revoke_api_token_by_hash(&hash, app.clock.now()).await?;
    Ok(())
}

/// The caller's own API tokens, newest first (never their secrets).
pub async fn my_api_tokens(app: &App, user: &User) -> Result<Vec<ApiTokenRow>> {
    Ok(app.storage.api_tokens_of_user(user.id).await?)
}

fn token_not_found(id: Id) -> AppError {
    AppError::not_found(Some("id"), "token_not_found", format!("you have no live API token {id}"))
}

/// Revokes one of the caller's own API tokens; another user's token, or
/// one revoked already, is `token_not_found`.
pub async fn revoke_my_api_token(app: &App, user: &User, id: Id) -> Result<()> {
    let hash =
        app.storage.revoke_api_token(id, Some(user.id), app.clock.now()).await?.ok_or_else(|| token_not_found(id))?;
    app.auth_cache.remove(&format!("t:{hash}"));
    Ok(())
}

/// Revokes any user's API token by id (`ramp token revoke`, on the server).
pub async fn revoke_api_token(app: &App, id: Id) -> Result<()> {
    let hash = app
        .storage
        .revoke_api_token(id, None, app.clock.now())
        .await?
        .ok_or_else(|| AppError::not_found(Some("id"), "token_not_found", format!("no live API token {id}")))?;
    app.auth_cache.remove(&format!("t:{hash}"));
    Ok(())
}

/// A user's API tokens by username (`ramp token list`).
pub async fn api_tokens_of(app: &App, username: &str) -> Result<Vec<ApiTokenRow>> {
    let user = app
        .storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AppError::not_found(Some("username"), "user_not_found", format!("no user '{username}'")))?;
    Ok(app.storage.api_tokens_of_user(user.id).await?)
}

/// Creates an API token for a user; the secret is shown once, only its hash is kept.
pub async fn create_api_token(app: &App, username: &str, name: &str) -> Result<String> {
    let user = app
        .storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AppError::not_found(Some("username"), "user_not_found", format!("no user '{username}'")))?;
    if name.trim().is_empty() {
        return Err(AppError::invalid("name", "required", "give the token a name"));
    }
    let token = format!("ramp_{}", random_token());
    app.storage.create_api_token(user.id, name.trim(), &token_hash(&token), app.clock.now()).await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("korrekt häst batteri").unwrap();
        assert!(verify("korrekt häst batteri", &h));
        assert!(!verify("fel", &h));
        assert!(!verify("korrekt häst batteri", "not a hash"));
    }

    #[test]
    fn an_unknown_account_is_verified_against_the_dummy_hash_and_never_matches() {
        let before = dummy_verifications();
        assert!(!verify_dummy(""));
        assert!(!verify_dummy("demo-lösen-2026"));
        assert!(dummy_verifications() >= before + 2);
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
