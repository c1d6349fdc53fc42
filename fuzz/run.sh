#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each and prints, per target, the
# executions, the time and the crashes. Usage, from the repository's top or from fuzz/:
#
#   fuzz/run.sh [SECONDS] [TARGET...]      # default 300 s each, all targets
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's instrumentation needs nightly
# compiler flags; RUSTC_BOOTSTRAP=1 lets the stable compiler take them. That is not a
# normal stable build, which is why fuzzing stays out of `cargo test` and CI.
#
# The corpus grows in fuzz/corpus/TARGET (not committed), starting from the seeds in
# fuzz/seeds/TARGET (committed). A crash is saved in fuzz/artifacts/TARGET/ and stops that
# target's run; `RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none TARGET
# fuzz/artifacts/TARGET/crash-…` (in fuzz/) replays it.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(front_matter markdown config request email_text import_body)
fi
export RUSTC_BOOTSTRAP=1
# No sanitizer: presswerk and its parsers are safe Rust, so AddressSanitizer would only
# halve the executions; debug assertions catch arithmetic overflow.
flags=(--sanitizer none --debug-assertions)
nice -n 19 cargo fuzz build "${flags[@]}"
triple=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p logs
total_runs=0
total_crashes=0
printf '%-14s %12s %8s %8s\n' target executions seconds crashes
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    args=(-artifact_prefix="artifacts/$t/")
    before=$(find "artifacts/$t" -type f | wc -l)
    start=$(date +%s)
    # -rss_limit_mb and -timeout make a slow or memory-hungry input a finding too.
    # The binary cargo fuzz built, run directly: `cargo fuzz run` would build again first,
    # and a change to the sources while the targets run must not change what is fuzzed.
    nice -n 19 "target/$triple/release/$t" "corpus/$t" "seeds/$t" \
        "${args[@]}" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        >"logs/$t.log" 2>&1 || true
    elapsed=$(($(date +%s) - start))
    runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    runs=${runs:-0}
    crashes=$(($(find "artifacts/$t" -type f | wc -l) - before))
    total_runs=$((total_runs + runs))
    total_crashes=$((total_crashes + crashes))
    printf '%-14s %12d %8d %8d\n' "$t" "$runs" "$elapsed" "$crashes"
done
printf '%-14s %12d %8s %8d\n' total "$total_runs" '' "$total_crashes"
[ "$total_crashes" -eq 0 ]
