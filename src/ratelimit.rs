//! In-memory rate limits: at most `max` hits per key in a fixed window. Used per client address
//! for logins and app registrations. Kept per instance (in [`crate::state::AppState`]); a restart
//! forgets them, which only ever lets someone in sooner.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Past this many keys, expired windows are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug)]
pub struct Limiter {
    max: u32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(max: u32, window: Duration) -> Limiter {
        Limiter {
            max,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a hit for `key`: `Ok` if allowed, else how long until the window ends.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = match self.windows.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            return Err(self.window.saturating_sub(now.duration_since(entry.0)));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hit_past_the_limit_is_refused_until_the_window_ends() {
        let limiter = Limiter::new(2, Duration::from_millis(200));
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        let wait = limiter.check("a").expect_err("third hit refused");
        assert!(wait <= Duration::from_millis(200));
        assert!(limiter.check("b").is_ok(), "other keys are counted apart");
        std::thread::sleep(Duration::from_millis(250));
        assert!(limiter.check("a").is_ok());
    }
}
