"""Routing overhead: requests/s of GET /api/branding/ on a tenant host vs a bare Django view.

Both behind gunicorn with the same settings (platform/gunicorn.conf.py, WEB_CONCURRENCY workers),
load from `wrk` (Debian package; installed when missing and running as root). Needs the dev data of
`make run` (tenant acme). Goal (issue #2): ratio >= 0.8.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

from _common import ROOT

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "2"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def wrk(url: str, host: str) -> float:
    subprocess.run(
        ["wrk", "-t2", "-c", CONNECTIONS, "-d", "2s", "-H", f"Host: {host}", url], check=True, capture_output=True
    )  # warm-up
    out = subprocess.run(
        ["wrk", "-t2", "-c", CONNECTIONS, "-d", DURATION, "-H", f"Host: {host}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match or "Non-2xx" in out:
        raise RuntimeError(out)
    return float(match.group(1))


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def main() -> None:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    results: dict[str, list[float]] = {}
    apps = [
        ("tenant app (acme.localhost)", "config.wsgi:application"),
        ("bare Django view", "bench.bare_app:application"),
    ]
    for round_no in range(ROUNDS):  # alternate, so drift on the machine hits both alike
        for label, app in apps:
            port = free_port()
            proc = serve(app, port)
            try:
                rps = wrk(f"http://127.0.0.1:{port}/api/branding/", "acme.localhost")
            finally:
                proc.terminate()
                proc.wait()
            results.setdefault(label, []).append(rps)
            print(f"round {round_no + 1} {label}: {rps:.0f} requests/s", flush=True)
    tenant, bare = (statistics.median(v) for v in results.values())
    print(
        f"median tenant app: {tenant:.0f} req/s, bare: {bare:.0f} req/s, ratio {tenant / bare:.2f} (goal >= 0.8); "
        f"wrk -t2 -c{CONNECTIONS} -d{DURATION}, gunicorn workers={os.environ.get('WEB_CONCURRENCY', '2')}"
    )


if __name__ == "__main__":
    main()
