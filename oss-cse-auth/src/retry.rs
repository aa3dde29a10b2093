//! The one retry policy of the workspace's HTTP clients (KMS here, OSS in
//! `oss-cse-client`): jittered exponential backoff around a single send,
//! which knows nothing of retries.

use std::future::Future;
use std::time::Duration;

/// Retries with jittered exponential backoff, for requests safe to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, including the first (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry.
    pub base_delay: Duration,
    /// Longest delay between attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 4, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(5) }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The delay before attempt `attempt` (2 = first retry): full jitter
    /// over an exponential ceiling.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(2).min(16);
        let ceiling = self.base_delay.saturating_mul(1 << exponent).min(self.max_delay);
        ceiling.mul_f64(rand::random_range(0.5..=1.0))
    }

    /// Runs `send` (given the attempt number, from 1) until it succeeds, it
    /// fails in a way `retryable` refuses, or the attempts run out; `what`
    /// names the call in the debug log of each retry.
    ///
    /// # Errors
    /// The last attempt's error.
    pub async fn run<T, E, F, Fut>(&self, what: &str, mut send: F, retryable: impl Fn(&E) -> bool) -> Result<T, E>
    where
        E: std::fmt::Display,
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut attempt = 1;
        loop {
            match send(attempt).await {
                Err(error) if retryable(&error) && attempt < self.max_attempts => {
                    attempt += 1;
                    let delay = self.delay(attempt);
                    tracing::debug!(what, attempt, ?delay, error = %error, "retrying");
                    tokio::time::sleep(delay).await;
                }
                result => return result,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_the_ceiling_with_jitter() {
        let policy =
            RetryPolicy { max_attempts: 10, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) };
        for (attempt, ceiling) in [(2, 100), (3, 200), (4, 400), (5, 800), (6, 1000), (9, 1000)] {
            let delay = policy.delay(attempt);
            assert!(
                delay <= Duration::from_millis(ceiling) && delay >= Duration::from_millis(ceiling / 2),
                "{attempt}"
            );
        }
    }

    #[tokio::test]
    async fn retries_only_what_may_succeed_and_only_so_often() {
        let policy =
            RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };
        // How many sends a call that always fails with `error` gets.
        let sends_for = |error: &'static str| async move {
            let mut calls = 0;
            let result: Result<(), String> = policy
                .run(
                    "test",
                    |_| {
                        calls += 1;
                        async move { Err(error.to_owned()) }
                    },
                    |e: &String| e == "busy",
                )
                .await;
            (result, calls)
        };
        assert_eq!(sends_for("busy").await, (Err("busy".to_owned()), 3));
        assert_eq!(sends_for("denied").await, (Err("denied".to_owned()), 1));
        let result = policy
            .run(
                "test",
                |attempt| async move { if attempt < 2 { Err("busy".to_owned()) } else { Ok(attempt) } },
                |_| true,
            )
            .await;
        assert_eq!(result, Ok(2));
    }
}
