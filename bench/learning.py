"""Learning benchmarks (issue #3), in a fresh database `ffs_bench`:

1. Progress heartbeats: requests/s and p95 latency of `PUT /api/learning/lessons/{id}/progress/`
   with 200 concurrent learners across 3 tenants (gunicorn, load from wrk with a Lua script that gives
   every connection its own learner, token and host), against the bare Django JSON view
   (bench/bare_app.py) in the same run. Goal: >= 1,000 heartbeats/s, or >= 0.5 of the baseline.
2. Catalogue API with 500 published courses: p95 server time of `GET /api/catalog/courses/`
   (in-process, 300 requests after warm-up). Goal: < 50 ms.

Run: `.venv/bin/python bench/learning.py` with the embedded services up (`make services-up`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, use_bench_database

DB_URL = use_bench_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.tokens import issue_access_token  # noqa: E402
from lms.catalog.models import Course, CourseLicense, Lesson, Module  # noqa: E402
from lms.learning.models import Enrolment, LessonProgress  # noqa: E402
from tenants.models import Tenant  # noqa: E402
from tenants.services.provisioning import create_tenant, provision  # noqa: E402

LEARNERS = 200
DURATION = os.environ.get("BENCH_DURATION", "15s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_data() -> list[tuple[str, str, int]]:
    call_command("migrate_platform", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_catalog", verbosity=0)
    if not Tenant.objects.filter(slug="initech").exists():
        tenant = create_tenant(slug="initech", name="Initech", admin_email="", seats=100, enqueue=False)
        provision(tenant.pk)
    course = Course.objects.get(slug="sewing-basics")
    for slug in ("acme", "globex", "initech"):
        CourseLicense.objects.get_or_create(tenant=Tenant.objects.get(slug=slug), course=course)
    video = Lesson.objects.filter(course=course, kind="video", deleted_at__isnull=True).first()
    assert video is not None
    learners: list[tuple[str, str, int]] = []
    for index in range(LEARNERS):
        slug = ("acme", "globex", "initech")[index % 3]
        tenant = Tenant.objects.get(slug=slug)
        with schema_context(tenant.schema_name):
            user, _ = User.objects.get_or_create(email=f"bench{index}@{slug}.test", defaults={"role": "learner"})
            enrolment, _ = Enrolment.objects.get_or_create(user=user, course=course, defaults={"source": "admin"})
            LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=video)
            token, _ = issue_access_token(user_id=user.pk, role="learner", schema=tenant.schema_name, tenant_slug=slug)
        learners.append((f"{slug}.localhost", token, video.pk))
    return learners


def lua_script(learners: list[tuple[str, str, int]], body: str) -> str:
    rows = ",\n".join(f'{{"{host}", "{token}", {lesson}}}' for host, token, lesson in learners)
    return f"""
local learners = {{
{rows}
}}
local counter = 0
function setup(thread) end
init = function(args) end
local index = 0
request = function()
  index = index + 1
  local l = learners[(index % #learners) + 1]
  local headers = {{}}
  headers["Host"] = l[1]
  headers["Authorization"] = "Bearer " .. l[2]
  headers["Content-Type"] = "application/json"
  return wrk.format("PUT", "/api/learning/lessons/" .. l[3] .. "/progress/", headers, '{body}')
end
done = function(summary, latency, requests)
  io.write(string.format("P95_MS %.2f\\n", latency:percentile(95) / 1000))
  io.write(string.format("P50_MS %.2f\\n", latency:percentile(50) / 1000))
end
"""


def serve(app: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ, DATABASE_URL=DB_URL, WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "4"), DB_CONN_MAX_AGE="600"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def run_wrk(port: int, script: Path) -> tuple[float, float, str]:
    warm = ["wrk", "-t2", f"-c{LEARNERS}", "-d3s", "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}/"]
    subprocess.run(warm, check=True, capture_output=True)  # warm-up: worker caches and connections
    cmd = [
        "wrk",
        "-t2",
        f"-c{LEARNERS}",
        f"-d{DURATION}",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p95 = float(re.search(r"P95_MS ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = "" if "Non-2xx" not in out else re.search(r"Non-2xx.*", out).group(0)  # type: ignore[union-attr]
    return rps, p95, errors


def heartbeat_benchmark(learners: list[tuple[str, str, int]]) -> None:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "heartbeat.lua"
        # the same body on every beat: valid and idempotent (position 0, counter not advancing)
        script.write_text(lua_script(learners, '{"position_seconds": 0, "watched_seconds": 0}'))
        results: dict[str, list[tuple[float, float, str]]] = {}
        apps = [
            ("heartbeats (tenant app)", "config.wsgi:application"),
            ("bare Django JSON view", "bench.bare_app:application"),
        ]
        for round_no in range(rounds):  # alternate, so drift on the machine hits both alike
            for label, app in apps:
                port = free_port()
                proc = serve(app, port)
                try:
                    result = run_wrk(port, script)
                finally:
                    proc.terminate()
                    proc.wait()
                results.setdefault(label, []).append(result)
                print(
                    f"round {round_no + 1} {label}: {result[0]:.0f} requests/s, p95 {result[1]:.1f} ms {result[2]}",
                    flush=True,
                )
        app_rps = statistics.median(r[0] for r in results["heartbeats (tenant app)"])
        app_p95 = statistics.median(r[1] for r in results["heartbeats (tenant app)"])
        bare_rps = statistics.median(r[0] for r in results["bare Django JSON view"])
        bare_p95 = statistics.median(r[1] for r in results["bare Django JSON view"])
        print(
            f"median heartbeats: {app_rps:.0f} requests/s (p95 {app_p95:.0f} ms); bare view: {bare_rps:.0f} "
            f"requests/s (p95 {bare_p95:.0f} ms); ratio {app_rps / bare_rps:.2f} (goal >= 1000/s or >= 0.5); "
            f"{LEARNERS} connections, 3 tenants, wrk -t2 -d{DURATION}, gunicorn workers="
            f"{os.environ.get('WEB_CONCURRENCY', '4')}",
            flush=True,
        )


def catalogue_benchmark() -> None:
    existing = Course.objects.filter(slug__startswith="bench-course-").count()
    courses = [
        Course(
            slug=f"bench-course-{i}",
            title=f"Bench course {i}",
            subtitle="Benchmark",
            status="published",
            tags=["bench"],
            price_amount=(i % 3) * 100000,
            published_at=django.utils.timezone.now(),
        )
        for i in range(existing, 497)
    ]
    Course.objects.bulk_create(courses)
    for course in Course.objects.filter(slug__startswith="bench-course-", modules__isnull=True):
        module = Module.objects.create(course=course, title="M")
        Lesson.objects.bulk_create(
            Lesson(course=course, module=module, title=f"L{j}", kind="article", position=j, body_md="x")
            for j in range(5)
        )
    total = Course.objects.filter(status="published").count()
    client = Client(HTTP_HOST="localhost")
    for _ in range(20):
        client.get("/api/catalog/courses/")
    times = []
    for i in range(300):
        params = ["", "?search=course", "?page=7", "?free=true", "?level=beginner"][i % 5]
        started = time.perf_counter()
        response = client.get(f"/api/catalog/courses/{params}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"catalogue API, {total} published courses: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        f"(goal < 50 ms; in-process server time, 300 requests: all, search, page 7, free, level)",
        flush=True,
    )


def main() -> None:
    learners = setup_data()
    catalogue_benchmark()
    heartbeat_benchmark(learners)


if __name__ == "__main__":
    main()
