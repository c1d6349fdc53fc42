#!/usr/bin/env bash
# Time and peak memory (/usr/bin/time -v) of `presswerk build` on front matter built to cost
# as much as possible, each case in a site of its own made by `presswerk init`. Every case
# must fail with exit code 1 and its diagnostic; the script prints the diagnostic's first
# two lines, the wall time and the peak RSS.
#
#   benches/front_matter_bounds.sh            with target/release/presswerk (built first)
#   BIN=path/to/presswerk benches/front_matter_bounds.sh   with another binary, e.g. an
#                                             older one, for before/after figures
#
# The cases: the alias bomb of the bug report (one 2 KB paragraph anchored once and aliased
# 1,000,000 times, 3 MB), the same with 80,000 aliases (under the size cap, so the alias
# budget has to stop it), seven levels of ten aliases each (ten million values from 700
# bytes), lists nested 100,000 deep (under the size cap), and a top-level list of 100,000
# one-letter values.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN="$PWD/target/release/presswerk"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
para = "Regionalgruppe Rheinland " * 80
laughs = ['a: &a [' + ', '.join(['"Regionalgruppe"'] * 10) + ']']
for i in range(1, 7):
    laughs.append('%s: &%s [%s]' % ("abcdefg"[i], "abcdefg"[i], ', '.join(['*' + "abcdefg"[i - 1]] * 10)))
cases = {
    "alias-1000000": 'x: &a "%s"\nliste: [%s*a]\n' % (para, "*a," * 999_999),
    "alias-80000": 'x: &a "%s"\nliste: [%s*a]\n' % (para, "*a," * 79_999),
    "laughs": "\n".join(laughs) + "\n",
    "nested-100000": "tief: " + "[" * 100_000 + "1" + "]" * 100_000 + "\n",
    "values-100000": "liste: [" + ",".join(["x"] * 100_000) + "]\n",
}
for name, yaml in cases.items():
    os.makedirs(f"{work}/{name}/content/artikel", exist_ok=True)
    with open(f"{work}/{name}/bomb.md", "w") as f:
        f.write("---\ntitle: Bombe\ndate: 2021-01-01\n" + yaml + "---\n\nText.\n")
PY

printf '%-15s %9s %10s %11s  %s\n' case "file KiB" "wall ms" "peak MiB" diagnostic
for dir in "$work"/*/; do
  name="$(basename "$dir")"
  site="$work/site-$name"
  "$BIN" init "$site" >/dev/null
  mv "$dir/bomb.md" "$site/content/artikel/bomb.md"
  size=$(( $(stat -c %s "$site/content/artikel/bomb.md") / 1024 ))
  start=$(date +%s%N)
  set +e
  /usr/bin/time -v "$BIN" build --root "$site" >"$work/out" 2>"$work/err"
  code=$?
  set -e
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(( $(grep 'Maximum resident' "$work/err" | grep -o '[0-9]*$') / 1024 ))
  message="$(grep -m1 -E '^(error|warning)' "$work/err" || tail -n1 "$work/out")"
  where="$(grep -m1 -- '-->' "$work/err" || true)"
  printf '%-15s %9s %10s %11s  exit %s: %s %s\n' "$name" "$size" "$wall" "$rss" "$code" "$message" "$where"
done
