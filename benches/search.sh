#!/usr/bin/env bash
# The search index on a generated corpus: what it adds to a build, how big it is, and what
# queries fetch of it in a real browser.
#
#   benches/search.sh [N] [--runs R]        default: 10000 articles (N/50 authors), 3 runs
#                                           (--runs 0: only the index and the queries)
#
# Two sites are made by `presswerk init` with the corpus's content (gen_corpus.py, --flavor
# neutral), one with `[search]` as init writes it, one with `enabled = false`. The timed
# builds alternate off → on, R times, each into an output folder deleted (and `sync`ed)
# just before, with --no-cache; wall time is the whole process, CPU time user + system
# (/usr/bin/time). Printed: the median of each, the ratio on / off, and the index phases of
# the last build (PRESSWERK_TIMINGS).
#
# Then the site with search is built once more for a loopback address, served by Python's
# http.server, and headless Chromium runs each query of QUERIES on the search page (each in
# a page of its own, as a reader typing it would): the bytes of /_search/ files it fetched
# (encodedBodySize of the resource timings; the server does not compress) and the results
# it shows. meta.json is part of every query's bytes.
#
# Environment: GEN the generator (default ../shared/bench/gen_corpus.py beside the repo);
# CHROMIUM the browser (default chromium); QUERIES (default below, `|`-separated).
set -euo pipefail
cd "$(dirname "$0")/.."

n=10000 runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs R}"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "usage: $0 [N] [--runs R]" >&2; exit 2 ;;
    *) n="$1"; shift ;;
  esac
done
authors=$(( n / 50 > 50 ? n / 50 : 50 ))
queries="${QUERIES:-Windkraft|Genossenschaft Hessen|digitalis|die}"
gen="${GEN:-$PWD/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || { echo "generator not found: $gen (set GEN)" >&2; exit 2; }
chromium="${CHROMIUM:-chromium}"

cargo build --release -q
bin="$PWD/target/release/presswerk"
work="$(mktemp -d -p "${TMPDIR:-/tmp}" presswerk-search.XXXXXX)"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

python3 "$gen" --articles "$n" --authors "$authors" --flavor neutral --out "$work/corpus" >/dev/null 2>&1
for v in on off; do
  "$bin" init "$work/$v" >/dev/null
  rm -rf "$work/$v/content/artikel" "$work/$v/content/autoren"
  cp -r "$work/corpus/content/." "$work/$v/content/"
done
sed -i 's/^\[search\]$/[search]\nenabled = false/' "$work/off/site.toml"
sed -i 's/^\[search\]$/[search]\nenabled = true/' "$work/on/site.toml"

if [ "$runs" -gt 0 ]; then
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "# $n articles, $authors authors; $runs runs each, alternating; $(uptime | sed 's/.*load/load/')"
for i in $(seq "$runs"); do
  for v in off on; do
    rm -rf "$work/out-$v"; sync
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" build --root "$work/$v" --output "$work/out-$v" --no-cache >/dev/null 2>&1
    read -r wall user sys <"$work/time"
    echo "$wall" >>"$work/wall-$v"
    awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }' >>"$work/cpu-$v"
  done
done
w_off=$(median <"$work/wall-off") w_on=$(median <"$work/wall-on")
c_off=$(median <"$work/cpu-off") c_on=$(median <"$work/cpu-on")
printf '%-22s %10s %10s\n' "" "wall (s)" "CPU (s)"
printf '%-22s %10s %10s\n' "build, search off" "$w_off" "$c_off" "build, search on" "$w_on" "$c_on"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
printf '%-22s %10s %10s\n' "on / off" "$(ratio "$w_on" "$w_off")" "$(ratio "$c_on" "$c_off")"
echo "# load after the builds: $(uptime | sed 's/.*load/load/')"
fi
rm -rf "$work/out-on"; sync
PRESSWERK_TIMINGS=1 "$bin" build --root "$work/on" --output "$work/out-on" --no-cache 2>&1 >/dev/null | grep -E "search" || true

idx="$work/out-on/_search"
echo "index: $(du -sb "$idx" | cut -f1) bytes in $(find "$idx" -type f | wc -l) files;" \
  "meta.json $(stat -c %s "$idx/meta.json") bytes; $(ls "$idx/t" | wc -l) key chunks, largest" \
  "$(ls -S "$idx/t" | head -1 | xargs -I{} stat -c %s "$idx/t/{}") bytes;" \
  "$(ls "$idx/d" | wc -l) document files, together $(du -sb "$idx/d" | cut -f1) bytes"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -rf "$work/out-on"
"$bin" build --root "$work/on" --output "$work/out-on" --base-url "http://127.0.0.1:$port" >/dev/null 2>&1
python3 -m http.server --bind 127.0.0.1 -d "$work/out-on" "$port" >/dev/null 2>&1 &
server=$!
sleep 1
cat >"$work/out-on/__measure.html" <<EOF
<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script>
const queries = $(python3 -c 'import json, sys; print(json.dumps(sys.argv[1].split("|")))' "$queries");
const lines = [];
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function one(q) {
  const f = document.createElement("iframe");
  f.src = "/suche/?q=" + encodeURIComponent(q);
  document.body.appendChild(f);
  await new Promise(r => f.onload = r);
  for (let i = 0; i < 600; i++) {
    const s = f.contentDocument.getElementById("search-status").textContent;
    if (/Treffer/.test(s) && f.contentDocument.querySelector("#search-results li, #search-status")) {
      await sleep(300);
      break;
    }
    await sleep(50);
  }
  const rs = f.contentWindow.performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/"));
  const bytes = rs.reduce((n, e) => n + e.encodedBodySize, 0);
  const status = f.contentDocument.getElementById("search-status").textContent;
  lines.push(JSON.stringify(q) + ": " + bytes + " bytes in " + rs.length + " files; " + status);
  f.remove();
}
(async () => { for (const q of queries) await one(q); document.getElementById("result").textContent = lines.join("\n"); })();
</script>
EOF
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --user-data-dir="$work/profile" --virtual-time-budget=60000 --dump-dom \
  "http://127.0.0.1:$port/__measure.html" 2>/dev/null |
  sed -n '/<pre id="result">/,/<\/pre>/p' | sed 's/<[^>]*>//g'
