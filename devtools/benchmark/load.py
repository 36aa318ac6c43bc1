"""The HTTP load generator: ``python -m devtools.benchmark.load --url URL --seconds S``.

Runs in its own process (so it does not share the measured server's interpreter), reads the
session keys to use as a JSON list on stdin, keeps ``--concurrency`` requests in flight for
``--seconds`` over loopback and prints a JSON summary: requests, errors, seconds, rps and
latency percentiles. Each thread opens one connection per request, as gunicorn's sync
workers close the connection after each response.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def _worker(url, cookie: str, sessions: list[str], offset: int, deadline: float, out: dict):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    n = offset
    latencies, errors = [], 0
    while time.perf_counter() < deadline:
        session = sessions[n % len(sessions)] if sessions else ""
        n += 1
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            headers = {"Cookie": f"{cookie}={session}"} if session else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                errors += 1
                continue
        except OSError:
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
    out["latencies"] = latencies
    out["errors"] = errors


def run(url: str, sessions: list[str], *, seconds: float, concurrency: int, cookie: str) -> dict:
    start = time.perf_counter()
    deadline = start + seconds
    results = [{} for _ in range(concurrency)]
    threads = [
        threading.Thread(target=_worker,
                         args=(url, cookie, sessions, i * 7919, deadline, results[i]))
        for i in range(concurrency)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r["latencies"])
    count = len(latencies)

    def pct(fraction: float) -> float:
        return latencies[min(count - 1, int(fraction * count))] * 1000 if count else 0.0

    return {
        "requests": count,
        "errors": sum(r["errors"] for r in results),
        "seconds": elapsed,
        "rps": count / elapsed,
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--cookie", default="sessionid")
    args = parser.parse_args(argv)
    sessions = json.loads(sys.stdin.read() or "[]")
    summary = run(args.url, sessions, seconds=args.seconds, concurrency=args.concurrency,
                  cookie=args.cookie)  # fmt: skip
    sys.stdout.write(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
