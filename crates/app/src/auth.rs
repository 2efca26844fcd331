//! Who is calling: local accounts with argon2 password hashes, login
//! sessions, and API tokens for integrations. Session ids and tokens are
//! random 256-bit values; only their SHA-256 is stored, so a leaked
//! database does not leak live sessions. An OIDC login would end in the
//! same `start_session` call.

use crate::error::{AppError, Result};
use crate::App;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use ramp_model::User;
use sha2::{Digest, Sha256};

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

/// Logs in with username and password. Unknown users, wrong passwords and
/// deactivated accounts get the same answer.
pub async fn login(app: &App, username: &str, password: &str) -> Result<Session> {
    if username.trim().is_empty() {
        return Err(AppError::invalid("username", "required", "enter your username"));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", "required", "enter your password"));
    }
    let user = app.storage.user_by_username(username.trim()).await?;
    let ok = match &user {
        Some(u) => u.active && u.password_hash.as_deref().is_some_and(|h| verify(password, h)),
        None => false,
    };
    match user {
        Some(user) if ok => start_session(app, user).await,
        _ => Err(bad_credentials()),
    }
}

/// Starts a session for an authenticated user (password or identity provider).
pub async fn start_session(app: &App, user: User) -> Result<Session> {
    let now = app.clock.now();
    let token = random_token();
    app.storage.create_session(&token_hash(&token), user.id, now, now + app.config.session_ttl).await?;
    app.storage.record_login(user.id, now).await?;
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
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
