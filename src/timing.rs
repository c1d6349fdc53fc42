//! Phase timings for profiling, printed to stderr when `PRESSWERK_TIMINGS` is set.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PRESSWERK_TIMINGS").is_some())
}

/// Prints the time since the last mark, when timings are on.
pub(crate) struct Timer(std::cell::Cell<Instant>);

impl Timer {
    pub(crate) fn start() -> Timer {
        Timer(std::cell::Cell::new(Instant::now()))
    }

    pub(crate) fn mark(&self, what: &str) {
        if enabled() {
            let now = Instant::now();
            eprintln!(
                "[timing] {what}: {:.2} ms",
                (now - self.0.get()).as_secs_f64() * 1000.0
            );
            self.0.set(now);
        }
    }
}
