//! The Mosquitto broker's password file, kept in step with the device
//! secrets. Ramp stores only SHA-256 hashes of secrets, so the broker's
//! line for a device (`device_number:$7$…`, Mosquitto 2.0's PBKDF2-SHA512
//! format, as `mosquitto_passwd` writes it) is written at the one moment
//! the secret is known — when it is issued — and removed when it is
//! revoked. Lines Ramp does not own (Ramp's own subscriber user, an
//! operator's) are kept as they are.
//!
//! The broker reads the file at start and again on SIGHUP. After each
//! change Ramp runs the configured reload command, if any (e.g.
//! `systemctl reload mosquitto` or `kill -HUP $(cat /run/mosquitto.pid)`);
//! without one the operator reloads the broker.
//!
//! The file is rewritten whole through a temporary file and a rename, so
//! the broker never reads half a file; writers in one process take a lock.

use crate::error::{AppError, Result};
use hmac::{Hmac, Mac};
use sha2::Sha512;
use std::path::{Path, PathBuf};

/// Mosquitto 2.0's default iteration count for `$7$` lines.
pub const PBKDF2_ITERATIONS: u32 = 101;

/// Where the broker's password file is and how the broker is told to reread it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MqttPasswordFile {
    pub path: PathBuf,
    /// A shell command run after each change (the broker rereads the file on SIGHUP).
    pub reload_command: Option<String>,
}

static WRITE_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// PBKDF2-HMAC-SHA512 with one 64-byte block (RFC 8018, dkLen = hLen).
fn pbkdf2_sha512(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 64] {
    let mac = Hmac::<Sha512>::new_from_slice(password).expect("HMAC takes a key of any length");
    let mut u = {
        let mut m = mac.clone();
        m.update(salt);
        m.update(&1u32.to_be_bytes());
        m.finalize().into_bytes()
    };
    let mut out: [u8; 64] = u.into();
    for _ in 1..iterations {
        let mut m = mac.clone();
        m.update(&u);
        u = m.finalize().into_bytes();
        for (o, b) in out.iter_mut().zip(u.iter()) {
            *o ^= b;
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The password-file hash of `password` with this salt: `$7$101$salt$hash`.
pub fn mosquitto_hash_with_salt(password: &str, salt: &[u8]) -> String {
    let hash = pbkdf2_sha512(password.as_bytes(), salt, PBKDF2_ITERATIONS);
    format!("$7${PBKDF2_ITERATIONS}${}${}", base64(salt), base64(&hash))
}

/// The password-file hash of `password` with a fresh random 12-byte salt
/// (as `mosquitto_passwd` makes).
pub fn mosquitto_hash(password: &str) -> String {
    let mut salt = [0u8; 12];
    getrandom::fill(&mut salt).expect("the OS random source works");
    mosquitto_hash_with_salt(password, &salt)
}

/// Whether `line` (`user:$7$…`) holds `password`, for tests and checks.
pub fn line_matches(line: &str, password: &str) -> bool {
    let Some((_, hash)) = line.split_once(':') else { return false };
    let parts: Vec<&str> = hash.split('$').collect();
    let [_, "7", iterations, salt, expected] = parts.as_slice() else { return false };
    let (Ok(iterations), Some(salt)) = (iterations.parse::<u32>(), base64_decode(salt)) else { return false };
    base64(&pbkdf2_sha512(password.as_bytes(), &salt, iterations)) == *expected
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = ABC.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// Sets (`Some(password)`) or removes (`None`) the lines of these users,
/// keeping every other line, in one rewrite of the file.
pub fn set_lines(path: &Path, users: &[(&str, Option<&str>)]) -> std::io::Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let mut text = String::with_capacity(old.len() + users.len() * 130);
    for line in old.lines() {
        let user = line.split_once(':').map(|(u, _)| u);
        if line.trim().is_empty() || users.iter().any(|(u, _)| Some(*u) == user) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    for (user, password) in users {
        if let Some(password) = password {
            text.push_str(user);
            text.push(':');
            text.push_str(&mosquitto_hash(password));
            text.push('\n');
        }
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The broker (another user, often) reads it; nobody else needs to.
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644))?;
    }
    std::fs::rename(&tmp, path)
}

impl MqttPasswordFile {
    /// Sets or removes users' lines and tells the broker.
    pub async fn update(&self, users: Vec<(String, Option<String>)>) -> Result<()> {
        let _guard = WRITE_LOCK.lock().await;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let refs: Vec<(&str, Option<&str>)> = users.iter().map(|(u, p)| (u.as_str(), p.as_deref())).collect();
            set_lines(&path, &refs)
        })
        .await
        .map_err(|e| AppError::internal("mqtt_password_file", e))?
        .map_err(|e| AppError::internal("mqtt_password_file", e))?;
        self.reload().await
    }

    /// Runs the reload command, if any.
    pub async fn reload(&self) -> Result<()> {
        let Some(cmd) = &self.reload_command else { return Ok(()) };
        let status = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .status()
            .await
            .map_err(|e| AppError::internal("mqtt_reload", e))?;
        if !status.success() {
            tracing::warn!(%status, "the broker's reload command failed; the broker may not know the new secret yet");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for n in 0..20 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64(&bytes)).expect("valid"), bytes);
        }
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn a_line_of_mosquitto_passwd_is_read_and_written_alike() {
        // Written by Debian's mosquitto_passwd 2.0.11 (`-b -c pw 1234 secret`).
        let line = "1234:$7$101$a/xMWHkeW7h0+dnw$YGUOOk7TsHYuKNIeSXdypr44oNDgvHE/EC/NsIuUjeW5GcVrKVkhUFWclM7YcMDf+EwLa+8hDHJqzJOi9I09iw==";
        assert!(line_matches(line, "secret"));
        assert!(!line_matches(line, "Secret"));
        let salt = base64_decode("a/xMWHkeW7h0+dnw").expect("salt");
        assert_eq!(format!("1234:{}", mosquitto_hash_with_salt("secret", &salt)), line);
    }

    #[test]
    fn lines_are_set_and_removed_keeping_the_others() {
        let dir = std::env::temp_dir().join(format!("ramp-mqtt-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("passwords");
        std::fs::write(&path, "ramp:$7$101$x$y\n").expect("write");
        set_lines(&path, &[("D1", Some("one")), ("D2", Some("two"))]).expect("set");
        set_lines(&path, &[("D1", None), ("D2", Some("three"))]).expect("set");
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0], "ramp:$7$101$x$y");
        assert!(line_matches(lines[1], "three"));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
