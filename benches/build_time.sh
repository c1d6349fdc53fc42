#!/usr/bin/env bash
# Median wall time (whole process, µs clock), CPU time and peak memory (/usr/bin/time -v,
# 10 ms resolution for CPU) of `presswerk build` over several runs.
#
#   benches/build_time.sh repo [RUNS]              this repo's newsletter
#   benches/build_time.sh corpus N AUTHORS [RUNS]   a generated corpus of N articles, copied
#                                                  into a site made by `presswerk init`
#
# The corpus comes from the shared generator (gen_corpus.py, --flavor neutral); set GEN to
# its path if it is not at ../shared/bench/gen_corpus.py beside the repo. OUT_BASE picks the
# file system the output is written to (e.g. OUT_BASE=/dev/shm for tmpfs, which takes the
# disk's write-back out of the figures); the default is the system temp folder.
# COMMAND=check times `presswerk check` (which writes nothing) instead of `build`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin="$PWD/target/release/presswerk"
work="$(mktemp -d)"
out="$(mktemp -d -p "${OUT_BASE:-${TMPDIR:-/tmp}}")"
trap 'rm -rf "$work" "$out"' EXIT

case "${1:-repo}" in
  repo)
    root="$PWD"; runs="${2:-5}" ;;
  corpus)
    n="${2:?number of articles}"; authors="${3:?number of authors}"; runs="${4:-5}"
    gen="${GEN:-$PWD/../shared/bench/gen_corpus.py}"
    python3 "$gen" --articles "$n" --authors "$authors" --flavor neutral --out "$work/corpus" >/dev/null 2>&1
    "$bin" init "$work/site" >/dev/null
    rm -rf "$work/site/content/artikel" "$work/site/content/autoren"
    cp -r "$work/corpus/content/." "$work/site/content/"
    root="$work/site" ;;
  *) echo "usage: $0 repo [RUNS] | corpus N AUTHORS [RUNS]" >&2; exit 2 ;;
esac

for i in $(seq "$runs"); do
  start=$(date +%s%N)
  if [ "${COMMAND:-build}" = check ]; then
    /usr/bin/time -v "$bin" check --root "$root" 2>"$work/time.$i" >"$work/out.$i"
  else
    /usr/bin/time -v "$bin" build --root "$root" --output "$out/public" 2>"$work/time.$i" >"$work/out.$i"
  fi
  echo $(( ($(date +%s%N) - start) / 1000 )) >"$work/wall.$i"
done
tail -n1 "$work/out.1"
python3 - "$work" "$runs" <<'PY'
import re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
wall, cpu, rss = [], [], []
for i in range(1, runs + 1):
    t = open(f"{work}/time.{i}").read()
    wall.append(int(open(f"{work}/wall.{i}").read()) / 1000)  # microseconds -> ms
    cpu.append((float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))) * 1000)
    rss.append(int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024)
print(f"runs {runs}: median wall {statistics.median(wall):.1f} ms, CPU {statistics.median(cpu):.0f} ms, peak RSS {statistics.median(rss):.1f} MiB")
PY
