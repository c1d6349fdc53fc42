#!/usr/bin/env bash
# Time of `presswerk build` on one article with many headings: 10,000 and 20,000 identical
# `## Gleich` headings (each needs an id of its own: gleich, gleich-1, …) and 10,000 distinct
# ones, each in a site of its own made by `presswerk init`. Every case must build (exit 0);
# the script prints the wall time and the id of the last heading.
#
#   benches/heading_ids.sh                      with target/release/presswerk (built first)
#   BIN=path/to/presswerk benches/heading_ids.sh  with another binary, for before/after
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN="$PWD/target/release/presswerk"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf '%-16s %9s %8s  %s\n' case headings "wall ms" "last id"
for spec in same:10000 same:20000 distinct:10000; do
  kind="${spec%%:*}" n="${spec##*:}"
  site="$work/$kind-$n"
  "$BIN" init "$site" >/dev/null
  python3 - "$site/content/artikel/2021-01-01-ueberschriften.md" "$kind" "$n" <<'PY'
import sys
path, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
heads = ["## Gleich" if kind == "same" else f"## Abschnitt {i}" for i in range(n)]
with open(path, "w") as f:
    f.write("---\ntitle: Überschriften\n---\n\n" + "\n\nText.\n\n".join(heads) + "\n")
PY
  start=$(date +%s%N)
  "$BIN" build --root "$site" >/dev/null
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  last="$(grep -o 'id="[^"]*"' "$site/public/artikel/ueberschriften/index.html" | grep -E 'gleich|abschnitt' | tail -n1)"
  printf '%-16s %9s %8s  %s\n' "$kind" "$n" "$wall" "$last"
done
