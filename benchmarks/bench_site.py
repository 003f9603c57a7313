"""Requests per second and latency of the served site: N requests from M threads at a mix of pages
on a real server on 127.0.0.1 (csp-archive serve), printed as req/s, p50 and p95."""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

PAGES = (
    "/",
    "/csp/facts",
    "/csp/facts?document_id=2021-22-strategic-assessment",
    "/-/search?q=domestic+abuse",
    "/-/trend?line=violence+with+injury|Winchester+district|recorded+crimes",
    "/-/report/2021-22-strategic-assessment",
    "/csp/find_a_figure?words=burglary",
    "/csp/facts.json?_shape=array&_size=100",
    "/csp/documents",
    "/csp/failed_checks",
)


@dataclass(frozen=True)
class BenchSettings:
    requests: int = 200
    threads: int = 50
    timeout_s: float = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError:
        status = 0
    return time.perf_counter() - start, status


def run(db: Path, settings: BenchSettings) -> dict:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if _fetch(base + "/robots.txt", 2)[1] == 200:
                break
            time.sleep(0.2)
        urls = [base + PAGES[i % len(PAGES)].replace(" ", "+") for i in range(settings.requests)]
        start = time.perf_counter()
        with ThreadPoolExecutor(settings.threads) as pool:
            results = list(pool.map(lambda u: _fetch(u, settings.timeout_s), urls))
        wall = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    times = sorted(t for t, _ in results)
    errors = sum(1 for _, s in results if s != 200)
    return {
        "requests": len(results),
        "threads": settings.threads,
        "req_per_s": len(results) / wall,
        "p50_s": statistics.median(times),
        "p95_s": times[int(0.95 * (len(times) - 1))],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="db/csp.db", type=Path)
    parser.add_argument("-n", "--requests", type=int, default=BenchSettings.requests)
    parser.add_argument("-m", "--threads", type=int, default=BenchSettings.threads)
    args = parser.parse_args()
    r = run(args.db, BenchSettings(args.requests, args.threads))
    print(
        f"{r['requests']} requests from {r['threads']} threads: {r['req_per_s']:.1f} req/s, "
        f"p50 {r['p50_s']:.3f} s, p95 {r['p95_s']:.3f} s, {r['errors']} errors"
    )


if __name__ == "__main__":
    main()
