//! A short-lived cache of who a session or token belongs to. Every API
//! call authenticates; without the cache that is three queries before any
//! work is done. Entries live 30 seconds (by the app's clock), so a
//! deactivated account or revoked token stops working within that time on
//! other instances; a logout here is immediate.

use chrono::{DateTime, Duration, Utc};
use ramp_model::User;
use std::collections::HashMap;
use std::sync::Mutex;

const TTL_SECONDS: i64 = 30;
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<String, (User, DateTime<Utc>)>>,
}

impl AuthCache {
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Option<User> {
        let map = self.entries.lock().expect("auth cache lock");
        map.get(key).filter(|(_, until)| *until > now).map(|(u, _)| u.clone())
    }

    pub fn put(&self, key: &str, user: &User, now: DateTime<Utc>) {
        let mut map = self.entries.lock().expect("auth cache lock");
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, (_, until)| *until > now);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key.to_string(), (user.clone(), now + Duration::seconds(TTL_SECONDS)));
    }

    pub fn remove(&self, key: &str) {
        self.entries.lock().expect("auth cache lock").remove(key);
    }

    /// Drops every session and token of one user (deactivated, given other
    /// roles), so the change takes effect on this instance at once.
    pub fn forget_user(&self, user_id: i64) {
        self.entries.lock().expect("auth cache lock").retain(|_, (u, _)| u.id != user_id);
    }
}
