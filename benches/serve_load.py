#!/usr/bin/env python3
"""Load on `presswerk serve` while an editor saves: requests in flight during rebuilds.

    benches/serve_load.py [--articles 10000] [--authors 200] [--concurrent 1000]
                          [--rounds 0] [--saves 100] [--files 10] [--gap-ms 20]

Generates the corpus with the shared generator (gen_corpus.py --flavor neutral; set GEN
to its path if it is not at ../shared/bench/gen_corpus.py beside the repo), copies it into
a site made by `presswerk init` (without init's sample article and author), and starts
`presswerk serve` (release build) on it. Then, at the same time:

- waves of --concurrent requests at once (Python asyncio, one connection each, as the
  preview answers with `Connection: close`), each for a random page of the sitemap, wave
  after wave until the saves are done (or --rounds waves, if more);
- --saves rapid saves, --gap-ms apart, spread over --files articles, each an editor's
  atomic save (write a temporary file beside it, rename it over the article) adding a
  line with the save's number.

Then it checks, and exits 1 if any check fails:

- no request failed: every answer is 200 (or 304), no connection error, no timeout;
- no stale page: once the server has been quiet for 2 s after the last save, each saved
  article's page holds its last save's line;
- the server's resident memory (VmRSS from /proc/PID/status) before the load and after.
"""
import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def make_site(work, articles, authors, binary):
    gen = os.environ.get("GEN", os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
    corpus, site = os.path.join(work, "corpus"), os.path.join(work, "site")
    subprocess.run([sys.executable, gen, "--articles", str(articles), "--authors", str(authors),
                    "--flavor", "neutral", "--out", corpus],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([binary, "init", site], check=True, stdout=subprocess.DEVNULL)
    # As benches/corpus.sh: init's section files stay, its sample article and author go.
    for d in ("artikel", "autoren"):
        folder = os.path.join(site, "content", d)
        for name in os.listdir(folder):
            if name.endswith(".md") and name != "_index.md":
                os.remove(os.path.join(folder, name))
    shutil.copytree(os.path.join(corpus, "content"), os.path.join(site, "content"), dirs_exist_ok=True)
    return site


class Server:
    """`presswerk serve` on a site, its output lines collected by a thread."""

    def __init__(self, binary, site):
        self.proc = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines, self.last_line = [], time.monotonic()
        self.port, self.build_ms = None, None
        for line in self.proc.stdout:
            self.lines.append(line)
            m = re.search(r"Built (\d+) pages in (\d+) ms", line)
            if m:
                self.build_ms = int(m.group(2))
            m = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            raise SystemExit("serve did not start:\n" + "".join(self.lines))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            self.last_line = time.monotonic()

    def rebuilds(self):
        return [float(m.group(1)) for m in
                (re.search(r"Rebuilt in ([\d.]+) ms", l) for l in self.lines) if m]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


async def get(port, path, timeout=30.0):
    """One request on its own connection: (status, body), status 0 for a failure."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout)
        writer.close()
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        return status, body
    except (OSError, asyncio.TimeoutError, IndexError, ValueError) as e:
        return 0, repr(e).encode()


def saver(site, files, saves, gap, done, last):
    """Rapid atomic saves; `last` gets each file's final marker."""
    folder = os.path.join(site, "content", "artikel")
    originals = {f: open(os.path.join(folder, f), encoding="utf-8").read() for f in files}
    for i in range(saves):
        name = files[i % len(files)]
        marker = f"presswerk-load-save-{i}"
        text = originals[name].rstrip("\n") + f"\n\nGespeichert: {marker}.\n"
        tmp = os.path.join(folder, f".{name}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(folder, name))
        last[name] = marker
        time.sleep(gap)
    done.set()


async def load(port, pages, concurrent, min_rounds, done, rng):
    statuses, latencies, failures, rounds = {}, [], [], 0
    start = time.perf_counter()

    async def one(path):
        t = time.perf_counter()
        status, body = await get(port, path)
        latencies.append((time.perf_counter() - t) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        if status not in (200, 304):
            failures.append((path, status, body[:200]))

    while rounds < min_rounds or not done.is_set():
        await asyncio.gather(*(one(rng.choice(pages)) for _ in range(concurrent)))
        rounds += 1
    return statuses, latencies, failures, rounds, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--authors", type=int, default=200)
    ap.add_argument("--concurrent", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=0, help="at least this many waves")
    ap.add_argument("--saves", type=int, default=100)
    ap.add_argument("--files", type=int, default=10, help="articles the saves go to")
    ap.add_argument("--gap-ms", type=float, default=20)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "presswerk")
    work = tempfile.mkdtemp(prefix="presswerk-load-")
    server = None
    try:
        site = make_site(work, args.articles, args.authors, binary)
        server = Server(binary, site)
        rss_before = rss_kib(server.proc.pid)
        status, sitemap = asyncio.run(get(server.port, "/sitemap.xml"))
        if status != 200:
            raise SystemExit(f"no sitemap: {status}")
        pages = [urllib.parse.urlsplit(u).path for u in
                 re.findall(r"<loc>([^<]+)</loc>", sitemap.decode())]
        rng = random.Random(args.seed)
        folder = os.path.join(site, "content", "artikel")
        files = rng.sample(sorted(f for f in os.listdir(folder) if f != "_index.md"), args.files)

        done, last = threading.Event(), {}
        t = threading.Thread(target=saver, args=(site, files, args.saves, args.gap_ms / 1000, done, last))
        t.start()
        statuses, latencies, failures, rounds, elapsed = asyncio.run(
            load(server.port, pages, args.concurrent, args.rounds, done, rng))
        t.join()

        # Quiet for 2 s after the last save's rebuild, then every saved page once.
        deadline = time.monotonic() + 60
        while time.monotonic() - server.last_line < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        stale = []
        for name in files:
            # The generator's files carry no `slug:`: the page is the file name's.
            path = f"/artikel/{name[:-3]}/"
            status, body = asyncio.run(get(server.port, path))
            if status != 200 or last[name].encode() not in body:
                stale.append((path, status, last[name]))
        rss_after = rss_kib(server.proc.pid)
        rebuilds = server.rebuilds()

        n = sum(statuses.values())
        print(f"corpus: {args.articles} articles, {args.authors} authors; {len(pages)} pages in the sitemap")
        print(f"first build in memory: {server.build_ms} ms")
        print(f"requests: {n} in {rounds} waves of {args.concurrent} concurrent, {elapsed:.1f} s "
              f"({n / elapsed:.0f}/s); statuses {dict(sorted(statuses.items()))}")
        print(f"latency: median {statistics.median(latencies):.1f} ms, "
              f"p99 {sorted(latencies)[int(len(latencies) * 0.99)]:.1f} ms, max {max(latencies):.1f} ms")
        print(f"saves: {args.saves} over {args.files} articles, {args.gap_ms:g} ms apart; "
              f"{len(rebuilds)} rebuilds" + (f", median {statistics.median(rebuilds):.1f} ms" if rebuilds else ""))
        print(f"failed requests: {len(failures)}")
        for f in failures[:10]:
            print("  ", f)
        print(f"stale pages after the last save: {len(stale)} of {len(files)}")
        for s in stale:
            print("  ", s)
        print(f"server VmRSS: {rss_before / 1024:.1f} MiB before, {rss_after / 1024:.1f} MiB after")
        sys.exit(1 if failures or stale else 0)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
