//! Waiting for a condition instead of sleeping for a guess: a fixed sleep is either too
//! short on a busy machine (a flaky test) or too long everywhere (a slow one). `eventually`
//! polls until the check passes and fails with the last thing it saw once the deadline
//! passes, so a test waits exactly as long as the system needs, up to a generous bound.

use std::{fmt::Debug, future::Future, time::Duration};

/// How often a condition is polled.
const POLL: Duration = Duration::from_millis(25);

/// Polls `check` until it returns `Ok`, returning that value; panics with `what` and the
/// last `Err` after `within`.
pub async fn eventually<T, E, F, Fut>(what: &str, within: Duration, mut check: F) -> T
where
    E: Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match check().await {
            Ok(value) => return value,
            Err(last) if tokio::time::Instant::now() >= deadline => {
                panic!("{what}: not within {within:?}; last seen: {last:?}")
            }
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn returns_once_the_check_passes() {
        let calls = AtomicU32::new(0);
        let n = eventually("third call", Duration::from_secs(5), || async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                n if n >= 2 => Ok(n),
                n => Err(n),
            }
        })
        .await;
        assert_eq!(n, 2);
    }

    #[tokio::test]
    #[should_panic(expected = "never: not within")]
    async fn fails_with_what_it_last_saw() {
        eventually("never", Duration::from_millis(100), || async {
            Err::<(), _>("nope")
        })
        .await;
    }
}
