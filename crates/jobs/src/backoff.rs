//! Retries with exponential backoff: 2, 4, 8, 16, 32 s by default, capped, with jitter, and
//! never sooner than a provider's `Retry-After`.

use crate::job::{ErrorClass, JobError};
use rand::{Rng, RngExt};
use std::time::Duration;

/// How the delay is spread so that many failed jobs do not retry in the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// Exactly the exponential delay.
    None,
    /// Anywhere from 0 to the exponential delay.
    Full,
    /// Half the exponential delay plus up to the other half (the default): never less than
    /// half the schedule, never more than the schedule.
    Equal,
}

/// When to retry a failed attempt, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay before the first retry, doubled for each further one.
    pub base: Duration,
    /// No delay (before jitter) exceeds this.
    pub cap: Duration,
    pub jitter: Jitter,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The longest `Retry-After` honoured; a provider asking for more gets this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(300),
            jitter: Jitter::Equal,
            max_retries: 5,
            max_retry_after: Duration::from_secs(3600),
        }
    }
}

/// What happens after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then queue the job again.
    RetryAfter(Duration),
    /// Give up: the job is dead.
    Dead,
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1 for the first retry) without jitter:
    /// `base × 2^(retry-1)`, at most `cap`.
    pub fn scheduled_delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The delay before retry number `retry`, with jitter drawn from `rng`, and at least the
    /// provider's `retry_after`.
    pub fn delay_with(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        rng: &mut impl Rng,
    ) -> Duration {
        let scheduled = self.scheduled_delay(retry);
        let ms = scheduled.as_millis() as u64;
        let jittered = match self.jitter {
            Jitter::None => ms,
            Jitter::Full => rng.random_range(0..=ms),
            Jitter::Equal => ms / 2 + rng.random_range(0..=ms - ms / 2),
        };
        let delay = Duration::from_millis(jittered);
        match retry_after {
            Some(after) => delay.max(after.min(self.max_retry_after)),
            None => delay,
        }
    }

    /// What to do after attempt number `attempts` (counting the one that failed) of at most
    /// `max_attempts` failed with `error`.
    pub fn decide_with(
        &self,
        attempts: u32,
        max_attempts: u32,
        error: &JobError,
        rng: &mut impl Rng,
    ) -> RetryDecision {
        if error.class == ErrorClass::Permanent || attempts >= max_attempts {
            return RetryDecision::Dead;
        }
        let retry_after = error.retry_after_ms.map(Duration::from_millis);
        RetryDecision::RetryAfter(self.delay_with(attempts, retry_after, rng))
    }

    /// [`RetryPolicy::decide_with`] with the thread's random numbers.
    pub fn decide(&self, attempts: u32, max_attempts: u32, error: &JobError) -> RetryDecision {
        self.decide_with(attempts, max_attempts, error, &mut rand::rng())
    }

    /// Attempts in all under this policy: the first try and its retries.
    pub fn max_attempts(&self) -> u32 {
        self.max_retries + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn schedule_doubles_from_two_seconds_up_to_the_cap() {
        let p = RetryPolicy::default();
        let secs: Vec<u64> = (1..=5).map(|n| p.scheduled_delay(n).as_secs()).collect();
        assert_eq!(secs, [2, 4, 8, 16, 32]);
        assert_eq!(p.scheduled_delay(30), Duration::from_secs(300), "capped");
        assert_eq!(
            p.scheduled_delay(u32::MAX),
            Duration::from_secs(300),
            "no overflow"
        );
    }

    #[test]
    fn equal_jitter_stays_between_half_and_whole_delay() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(7);
        for retry in 1..=5 {
            let scheduled = p.scheduled_delay(retry);
            let mut seen = std::collections::HashSet::new();
            for _ in 0..500 {
                let d = p.delay_with(retry, None, &mut rng);
                assert!(d >= scheduled / 2 && d <= scheduled, "retry {retry}: {d:?}");
                seen.insert(d);
            }
            assert!(seen.len() > 50, "the delays are spread, not constant");
        }
    }

    #[test]
    fn full_and_no_jitter() {
        let mut rng = StdRng::seed_from_u64(1);
        let full = RetryPolicy {
            jitter: Jitter::Full,
            ..RetryPolicy::default()
        };
        let ds: Vec<Duration> = (0..1000)
            .map(|_| full.delay_with(3, None, &mut rng))
            .collect();
        assert!(ds.iter().all(|d| *d <= Duration::from_secs(8)));
        assert!(ds.iter().any(|d| *d < Duration::from_secs(1)));
        let none = RetryPolicy {
            jitter: Jitter::None,
            ..RetryPolicy::default()
        };
        assert_eq!(none.delay_with(3, None, &mut rng), Duration::from_secs(8));
    }

    #[test]
    fn retry_after_is_honoured_within_reason() {
        let p = RetryPolicy {
            jitter: Jitter::None,
            ..RetryPolicy::default()
        };
        let mut rng = StdRng::seed_from_u64(2);
        assert_eq!(
            p.delay_with(1, Some(Duration::from_secs(30)), &mut rng),
            Duration::from_secs(30)
        );
        assert_eq!(
            p.delay_with(3, Some(Duration::from_secs(1)), &mut rng),
            Duration::from_secs(8)
        );
        assert_eq!(
            p.delay_with(1, Some(Duration::from_secs(86_400)), &mut rng),
            Duration::from_secs(3600)
        );
    }

    #[test]
    fn permanent_errors_and_exhausted_attempts_are_dead() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(3);
        let bad_request = JobError::from_http_status(400, "voice not found", None);
        assert_eq!(
            p.decide_with(1, 6, &bad_request, &mut rng),
            RetryDecision::Dead
        );
        let throttled = JobError::from_http_status(429, "slow down", Some(10_000));
        assert_eq!(
            p.decide_with(1, 6, &throttled, &mut rng),
            RetryDecision::RetryAfter(Duration::from_secs(10))
        );
        let unavailable = JobError::from_http_status(503, "busy", None);
        assert!(matches!(
            p.decide_with(5, 6, &unavailable, &mut rng),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            p.decide_with(6, 6, &unavailable, &mut rng),
            RetryDecision::Dead
        );
        assert_eq!(p.max_attempts(), 6);
    }
}
