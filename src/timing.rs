//! Phase timings for profiling, printed to stderr when `PRESSWERK_TIMINGS` is set, with the
//! resident memory at each mark (on Linux).

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
                "[timing] {what}: {:.2} ms{}",
                (now - self.0.get()).as_secs_f64() * 1000.0,
                resident().map_or_else(String::new, |mib| format!(" (RSS {mib:.0} MiB)"))
            );
            self.0.set(now);
        }
    }
}

/// Resident memory in MiB, from `/proc/self/statm` (assuming 4 KiB pages).
fn resident() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}
