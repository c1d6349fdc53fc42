#!/usr/bin/env bash
# How the cost of foreign shortcodes grows with their number: one page of N Hugo calls,
# unclosed `{{<`, unclosed `{{%`, Liquid fragments and presswerk calls, built with
# `presswerk build` (warnings as JSON lines to /dev/null). Linear work doubles with N; the
# quadratic paths this guards against took minutes at N = 100,000.
#
#   benches/foreign_shortcodes.sh [N ...]      default: 25000 50000 100000 200000
#
# BIN picks the binary (default: a release build, made first; e.g. BIN=target/debug/presswerk).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN="$PWD/target/release/presswerk"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$BIN" init "$work/site" >/dev/null
for n in "${@:-25000 50000 100000 200000}"; do
  for count in $n; do
    python3 - "$work/site/content/artikel/viele.md" "$count" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
pieces = ['{{< a%d >}} ', '{{< ', '{{% ', '{% x ', '{{ y ', '{{ bild(src="a.jpg", alt="") }} ', '`{{< code >}}` ']
with open(path, "w") as f:
    f.write("---\ntitle: Viele\ndate: 2021-09-01\n---\n\n")
    for i in range(n):
        p = pieces[i % len(pieces)]
        f.write(p % i if "%d" in p else p)
        if i % 10 == 9:
            f.write("\n")
PY
    start=$(date +%s%N)
    "$BIN" build --root "$work/site" --format json >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    echo "N = $count fragments: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
done
