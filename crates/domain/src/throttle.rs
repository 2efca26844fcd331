//! Login throttling: after a few failed logins, each further try waits
//! twice as long as the one before (1 s, 2 s, 4 s, …), up to 15 minutes.
//! Counted per account and per client address; the counts live in the
//! database, so every process of an installation sees them.

use chrono::{DateTime, Duration, Utc};

/// A throttling rule: how many failures are free, and the longest wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures before the first wait.
    pub free_failures: i64,
    /// The longest wait.
    pub max_wait: Duration,
}

/// Per account: five tries, then 1 s, 2 s, 4 s … up to 15 minutes.
pub const ACCOUNT: Policy = Policy { free_failures: 4, max_wait: Duration::minutes(15) };

/// Per client address: more free tries, since a clinic's staff may share
/// one address behind a NAT; then the same doubling.
pub const ADDRESS: Policy = Policy { free_failures: 19, max_wait: Duration::minutes(15) };

/// After this long without a failure, the count starts afresh.
pub const FORGET_AFTER: Duration = Duration::hours(24);

impl Policy {
    /// The wait after `failures` failures in a row: none for the free
    /// ones, then 1 s doubling with each failure, at most `max_wait`.
    pub fn wait_after(self, failures: i64) -> Duration {
        let over = failures - self.free_failures;
        if over <= 0 {
            return Duration::zero();
        }
        let seconds = 1i64.checked_shl((over - 1).min(62) as u32).unwrap_or(i64::MAX);
        Duration::seconds(seconds.min(self.max_wait.num_seconds()))
    }

    /// How long from `now` until a new try is allowed, if at all.
    pub fn retry_after(self, failures: i64, last_failure_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Duration> {
        if now - last_failure_at >= FORGET_AFTER {
            return None;
        }
        let until = last_failure_at + self.wait_after(failures);
        (until > now).then(|| until - now)
    }
}

/// Whole seconds to wait, rounded up (what `Retry-After` and the message say).
pub fn whole_seconds(wait: Duration) -> i64 {
    let ms = wait.num_milliseconds();
    (ms + 999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::seconds(s)
    }

    #[test]
    fn after_five_failures_an_account_waits_one_second_then_twice_as_long_each_time_up_to_fifteen_minutes() {
        let waits: Vec<i64> = (1..=16).map(|n| ACCOUNT.wait_after(n).num_seconds()).collect();
        assert_eq!(waits, [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(ACCOUNT.wait_after(10_000).num_seconds(), 900);
        assert_eq!(ADDRESS.wait_after(19), Duration::zero());
        assert_eq!(ADDRESS.wait_after(20), Duration::seconds(1));
    }

    #[test]
    fn the_wait_runs_from_the_last_failure_and_a_quiet_day_forgets() {
        assert_eq!(ACCOUNT.retry_after(7, at(0), at(1)), Some(Duration::seconds(3)));
        assert_eq!(ACCOUNT.retry_after(7, at(0), at(4)), None);
        assert_eq!(ACCOUNT.retry_after(3, at(0), at(0)), None);
        assert_eq!(ACCOUNT.retry_after(40, at(0), at(24 * 3600)), None);
        assert_eq!(whole_seconds(Duration::milliseconds(1001)), 2);
        assert_eq!(whole_seconds(Duration::seconds(4)), 4);
    }
}
