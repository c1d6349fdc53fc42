#!/usr/bin/env python3
"""Save-to-reload latency of `presswerk serve` on a generated newsletter corpus.

    benches/serve_latency.py [--articles 10000] [--authors 200] [--edits 20]

Generates the corpus with the shared generator (gen_corpus.py --flavor neutral; set GEN
to its path if it is not at ../shared/bench/gen_corpus.py beside the repo), copies it into
a site made by `presswerk init`, starts `presswerk serve` on it, listens on the live reload
event stream like a browser, and edits one article at a time: the time from writing the
file to receiving the reload event, median of all edits. Also prints the server's own
rebuild times and its full in-memory build time, for comparison.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--authors", type=int, default=200)
    ap.add_argument("--edits", type=int, default=20)
    args = ap.parse_args()
    gen = os.environ.get("GEN", os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "presswerk")
    work = tempfile.mkdtemp(prefix="presswerk-serve-")
    try:
        corpus, site = os.path.join(work, "corpus"), os.path.join(work, "site")
        subprocess.run([sys.executable, gen, "--articles", str(args.articles), "--authors",
                        str(args.authors), "--flavor", "neutral", "--out", corpus],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([binary, "init", site], check=True, stdout=subprocess.DEVNULL)
        for d in ("artikel", "autoren"):
            for name in os.listdir(os.path.join(corpus, "content", d)):
                shutil.copy(os.path.join(corpus, "content", d, name), os.path.join(site, "content", d, name))
        for starter in ("artikel/erster-artikel.md", "autoren/redaktion.md"):
            os.remove(os.path.join(site, "content", starter))

        server = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        port = None
        full_ms = None
        for line in server.stdout:
            lines.append(line)
            m = re.search(r"Built \d+ pages in (\d+) ms", line)
            if m:
                full_ms = int(m.group(1))
            m = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        rebuilds = []

        def drain():
            for line in server.stdout:
                m = re.search(r"Rebuilt in ([\d.]+) ms \((\d+) of (\d+) outputs rendered.*?([\d.]+) ms after the save", line)
                if m:
                    rebuilds.append((float(m.group(1)), int(m.group(2)), int(m.group(3)), float(m.group(4))))
        threading.Thread(target=drain, daemon=True).start()

        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /__presswerk/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        stream = sock.makefile("rb")
        while not stream.readline().startswith(b": presswerk"):
            pass

        articles = sorted(f for f in os.listdir(os.path.join(site, "content", "artikel")) if f != "_index.md")
        latencies = []
        for i in range(args.edits):
            path = os.path.join(site, "content", "artikel", articles[(i * 397) % len(articles)])
            with open(path, encoding="utf-8") as f:
                text = f.read()
            edited = text.rstrip("\n") + "\n\nNachtrag %d: Die Redaktion hat diesen Beitrag ergänzt.\n" % i
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited)
            while True:
                line = stream.readline()
                if not line:
                    raise SystemExit("event stream closed")
                if line.startswith(b"event: reload"):
                    break
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.3)
        server.terminate()
        server.wait()
        time.sleep(0.2)
        print("corpus: %d articles, %d authors" % (args.articles, args.authors))
        print("full in-memory build at start: %s ms" % full_ms)
        print("save -> reload event, %d edits: median %.1f ms, min %.1f, max %.1f" % (
            len(latencies), statistics.median(latencies), min(latencies), max(latencies)))
        if rebuilds:
            print("server-side rebuild: median %.1f ms; outputs rendered per edit: median %d of %d" % (
                statistics.median(r[0] for r in rebuilds), statistics.median(r[1] for r in rebuilds), rebuilds[0][2]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
