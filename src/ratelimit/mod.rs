//! In-memory rate limits by key (a remote server, a client address): each key may spend at
//! most `max` requests at once, and gets them back at `max` per `per`, continuously (a token
//! bucket). An over-limit request learns how long to wait (for a `Retry-After`). Nothing is
//! stored: a restart forgets every count, which errs on the side of letting requests in.

pub mod clients;
pub use clients::Limits;

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Above this many keys, those whose bucket has filled up again are forgotten.
const PRUNE_ABOVE: usize = 10_000;
/// Slack for the rounding of refills, so that a whole window gives back whole requests.
const EPSILON: f64 = 1e-9;

pub struct Limiter {
    max: f64,
    /// Requests regained per second.
    rate: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    /// At most `max` requests per `per` for each key (`max` 0: none at all).
    pub fn new(max: u32, per: Duration) -> Limiter {
        let max = f64::from(max);
        Limiter {
            max,
            rate: max / per.as_secs_f64().max(f64::MIN_POSITIVE),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key`: `Err(wait)` when `key` is over its limit, with how long
    /// until it may try again.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        // A poisoned lock only means another thread panicked mid-update; the counts stay usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| self.refilled(*b, now) < self.max - EPSILON);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.max,
            at: now,
        });
        let tokens = self.refilled(*bucket, now);
        // (A refused request leaves the bucket as it was: it costs nothing.)
        if tokens >= 1.0 - EPSILON {
            *bucket = Bucket {
                tokens: (tokens - 1.0).max(0.0),
                at: now,
            };
            return Ok(());
        }
        if self.rate <= 0.0 {
            return Err(Duration::from_secs(u64::from(u32::MAX)));
        }
        Err(Duration::from_secs_f64((1.0 - tokens) / self.rate))
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.rate).min(self.max)
    }
}

/// A wait as whole seconds for `Retry-After`, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_max_requests_then_waits_for_the_next_one() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at("a.example", t0).is_ok());
        }
        let wait = limiter.check_at("a.example", t0).expect_err("fourth");
        assert_eq!(retry_after_secs(wait), 20, "one request back every 20 s");
        // Other keys are counted apart.
        assert!(limiter.check_at("b.example", t0).is_ok());
        // One request comes back after 20 s, all of them after the whole window.
        let t20 = t0 + Duration::from_secs(20);
        assert!(limiter.check_at("a.example", t20).is_ok());
        assert!(limiter.check_at("a.example", t20).is_err());
        let later = t20 + Duration::from_secs(60);
        for _ in 0..3 {
            assert!(limiter.check_at("a.example", later).is_ok());
        }
        assert!(limiter.check_at("a.example", later).is_err());
    }

    #[test]
    fn refused_requests_do_not_push_the_wait_further() {
        let limiter = Limiter::new(1, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(limiter.check_at("k", t0).is_ok());
        for s in 1..10 {
            let wait = limiter
                .check_at("k", t0 + Duration::from_secs(s))
                .expect_err("still over");
            assert_eq!(retry_after_secs(wait), 10 - s);
        }
        assert!(limiter.check_at("k", t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn idle_keys_are_forgotten_when_there_are_many() {
        let limiter = Limiter::new(2, Duration::from_secs(1));
        let t0 = Instant::now();
        for n in 0..=PRUNE_ABOVE {
            assert!(limiter.check_at(&n.to_string(), t0).is_ok());
        }
        assert!(limiter.check_at("new", t0 + Duration::from_secs(2)).is_ok());
        let left = limiter.buckets.lock().expect("lock").len();
        assert_eq!(left, 1, "only the key just used is kept");
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        let limiter = Limiter::new(0, Duration::from_secs(60));
        assert!(limiter.check("k").is_err());
    }
}
