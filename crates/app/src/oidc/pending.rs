//! A login in progress, kept by the browser in a short-lived cookie until
//! the identity provider sends it back: the `state`, the `nonce`, the PKCE
//! verifier and where to go afterwards. The cookie is signed (HMAC-SHA256
//! with a key derived from the client secret, so every Ramp instance of a
//! region accepts it and nobody else can make one) and carries its own
//! expiry; it is HttpOnly, so page scripts never read it.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a started login may take at the provider.
pub const PENDING_MINUTES: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// A local path to go to after the login.
    pub next: String,
    /// Unix seconds after which the cookie is refused.
    pub expires: i64,
    /// A step-up (re-authentication) for signing, not a login.
    #[serde(default)]
    pub step_up: Option<StepUp>,
}

/// What a step-up re-authenticates for: the signed-in user signing one
/// adaptation document (by its public id and the hash they read), started
/// at `started` (Unix seconds): the provider's `auth_time` must not be older.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StepUp {
    pub user_id: i64,
    pub document: String,
    pub sha256: String,
    pub started: i64,
}

/// The signing key: derived, so the client secret itself never signs anything.
pub(crate) fn key(client_secret: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(client_secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(b"ramp oidc pending login v1");
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The cookie value: the JSON in hex, a dot, its MAC in hex.
pub(crate) fn seal(key: &[u8; 32], pending: &Pending) -> String {
    let json = serde_json::to_vec(pending).expect("a pending login serializes");
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&json);
    format!("{}.{}", hex(&json), hex(&mac.finalize().into_bytes()))
}

/// The pending login of a cookie value, if it is ours, untouched and not expired.
pub(crate) fn open(key: &[u8; 32], value: &str, now: DateTime<Utc>) -> Option<Pending> {
    let (json, tag) = value.split_once('.')?;
    let (json, tag) = (unhex(json)?, unhex(tag)?);
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&json);
    mac.verify_slice(&tag).ok()?;
    let pending: Pending = serde_json::from_slice(&json).ok()?;
    (pending.expires > now.timestamp()).then_some(pending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn pending() -> Pending {
        Pending {
            state: "s".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            next: "/patient".into(),
            expires: now().timestamp() + 600,
            step_up: None,
        }
    }

    #[test]
    fn a_sealed_login_opens_with_the_same_key_before_it_expires() {
        let k = key("hemligt");
        let sealed = seal(&k, &pending());
        assert_eq!(open(&k, &sealed, now()), Some(pending()));
        assert_eq!(open(&k, &sealed, now() + chrono::Duration::minutes(10)), None, "expired");
        assert_eq!(open(&key("annat"), &sealed, now()), None, "another key");
    }

    #[test]
    fn a_changed_cookie_is_refused() {
        let k = key("hemligt");
        let sealed = seal(&k, &pending());
        let (json, tag) = sealed.split_once('.').unwrap();
        let other = seal(&k, &Pending { state: "t".into(), ..pending() });
        let (_, other_tag) = other.split_once('.').unwrap();
        assert_eq!(open(&k, &format!("{json}.{other_tag}"), now()), None);
        let mut bytes = unhex(json).unwrap();
        bytes[10] ^= 1;
        assert_eq!(open(&k, &format!("{}.{tag}", hex(&bytes)), now()), None);
        assert_eq!(open(&k, "garbage", now()), None);
    }
}
