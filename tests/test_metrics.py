"""`/metrics`: who may read it, and that real traffic produces the documented metrics with bounded
labels (docs/observability.md). The multi-process tests run a real gunicorn and a real Celery
worker, each with its own PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from prometheus_client.parser import text_string_to_metric_families

from lib.metrics import access, business
from tests.conftest import PASSWORD, HostClient, error_code
from tests.learning_fixtures import build_course

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-metrics-token-0123456789"
pytestmark = pytest.mark.django_db

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(autouse=True)
def _metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_CIDRS = []


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def scrape(**headers) -> Samples:
    response = Client(HTTP_HOST="10.1.2.3:8000").get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    return parse(response.content.decode())


def value(samples: Samples, name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def label_values(samples: Samples, name: str, label: str) -> set[str]:
    return {dict(ls)[label] for (n, ls), _ in samples.items() if n == name and label in dict(ls)}


# --- who may read it -------------------------------------------------------------------------------


def test_refused_without_token_outside_the_allow_list_as_a_json_404():
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN[:-1]}"])
def test_wrong_token_is_403_even_from_an_allowed_address(settings, header):
    settings.METRICS_ALLOWED_CIDRS = ["127.0.0.1/32"]
    response = Client().get("/metrics", HTTP_AUTHORIZATION=header, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 403
    assert error_code(response) == "forbidden"


def test_no_token_configured_means_no_token_is_accepted(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_token_is_accepted_from_anywhere_on_any_host():
    for host in ("localhost", "acme.localhost", "10.0.0.7:8000", "unknown.example"):  # before tenant routing
        response = Client(HTTP_HOST=host).get(
            "/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 200, (host, response.content[:200])
        assert response["Content-Type"].startswith("text/plain")
        assert response["Cache-Control"] == "no-store"
        assert b"# TYPE django_http_requests_latency_seconds_by_view_method histogram" in response.content


def test_allow_list_admits_its_networks_only_and_never_through_a_proxy(settings):
    settings.METRICS_ALLOWED_CIDRS = ["10.1.0.0/16", "fd00::/8"]
    assert Client().get("/metrics", REMOTE_ADDR="10.1.200.3").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="::ffff:10.1.0.9").status_code == 200  # dual-stack socket
    assert Client().get("/metrics", REMOTE_ADDR="fd00::1").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404
    assert Client().get("/metrics", REMOTE_ADDR="not-an-address").status_code == 404
    proxied = Client().get("/metrics", REMOTE_ADDR="10.1.200.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert proxied.status_code == 404  # the ingress controller's address opens nothing
    assert Client().get("/metrics", REMOTE_ADDR="10.1.200.3", HTTP_FORWARDED="for=1.2.3.4").status_code == 404


def test_development_default_is_loopback_and_production_default_is_empty():
    code = "from django.conf import settings; print(settings.METRICS_ALLOWED_CIDRS)"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="dev")
    dev = subprocess.run([sys.executable, "-c", _setup(code)], env=env, capture_output=True, text=True, check=True)
    assert "127.0.0.1/32" in dev.stdout
    env.update(DJANGO_ENV="production", SECRET_KEY="x" * 50)
    prod = subprocess.run([sys.executable, "-c", _setup(code)], env=env, capture_output=True, text=True, check=True)
    assert prod.stdout.strip() == "[]"


def _setup(code: str) -> str:
    return f"import django; django.setup(); {code}"


def test_malformed_allow_list_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        access.parse_networks(("10.0.0.0/33",))


def test_only_get_and_head():
    response = Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


# --- what real traffic produces ---------------------------------------------------------------------


def test_login_view_latency_status_db_and_cache_metrics(acme_client):
    before = scrape()
    assert acme_client.post("/api/auth/token/", {"email": "admin@acme.test", "password": PASSWORD}).status_code == 200
    assert acme_client.post("/api/auth/token/", {"email": "admin@acme.test", "password": "wrong"}).status_code == 401
    me = HostClient("acme.localhost").as_user("hr@acme.test").get("/api/me/")
    assert me.status_code == 200
    after = scrape()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("auth_logins_total", method="password", result="success") == 1
    assert delta("auth_logins_total", method="password", result="invalid_credentials") == 1
    assert label_values(after, "auth_logins_total", "result") == {
        "success",
        "invalid_credentials",
        "throttled",
        "refused",
    }
    assert delta("django_http_requests_latency_seconds_by_view_method_count", view="auth-token", method="POST") == 2
    assert delta("django_http_requests_latency_seconds_by_view_method_count", view="me", method="GET") == 1
    assert delta("django_http_responses_total_by_status_view_method_total", view="me", status="200") == 1
    assert delta("django_http_responses_total_by_status_view_method_total", view="auth-token", status="401") == 1
    assert delta("django_http_requests_latency_including_middlewares_seconds_count") >= 3
    # queries through django-tenants' routing are counted (alias and vendor only, never the schema)
    assert delta("django_db_execute_total", alias="default", vendor="postgresql") > 0
    assert delta("django_db_query_duration_seconds_count", alias="default", vendor="postgresql") > 0
    # (`__no_db__` is Django's connection to the maintenance database, used when the tests create theirs)
    assert label_values(after, "django_db_execute_total", "alias") <= {"default", "__no_db__"}
    # cache: the default (throttle counters) and routing (host lookups) aliases stay apart
    assert delta("django_cache_get_total", backend="default") > 0
    assert delta("cache_operation_duration_seconds_count", backend="default", operation="get") > 0
    assert value(after, "django_cache_get_total", backend="routing") > 0
    assert label_values(after, "django_cache_get_total", "backend") <= {"default", "routing"}
    # the scrapes themselves are not traffic
    assert "/metrics" not in str(
        label_values(after, "django_http_requests_total_by_view_transport_method_total", "view")
    )


def test_router_refusals_and_unresolved_paths_are_counted_under_fixed_view_names():
    before = scrape()
    assert Client(HTTP_HOST="nowhere.example").get("/api/me/").status_code == 404  # unknown host
    assert HostClient("acme.localhost").get("/api/no-such-thing/").status_code == 404
    after = scrape()
    assert (
        value(after, "django_http_responses_total_by_status_view_method_total", view="<unnamed view>", status="404")
        - value(before, "django_http_responses_total_by_status_view_method_total", view="<unnamed view>", status="404")
        == 1
    )
    assert (
        value(after, "django_http_responses_total_by_status_view_method_total", view="api-not-found", status="404")
        - value(before, "django_http_responses_total_by_status_view_method_total", view="api-not-found", status="404")
        == 1
    )


VIEW_LABELLED = (
    "django_http_requests_latency_seconds_by_view_method_bucket",
    "django_http_requests_total_by_view_transport_method_total",
    "django_http_responses_total_by_status_view_method_total",
    "django_http_requests_total_by_method_total",
)


def _label_sets(samples: Samples) -> set[tuple[str, frozenset[tuple[str, str]]]]:
    return {key for key in samples if key[0] in VIEW_LABELLED}


def _random_traffic() -> None:
    token = uuid.uuid4().hex
    HostClient("acme.localhost").get(f"/api/{token}/x/")
    HostClient("localhost").get(f"/courses/{token}")
    HostClient("localhost").get(f"/static/{token}.js")
    Client(HTTP_HOST=f"{token}.example").get(f"/{token}")
    HostClient("localhost").generic(f"X{token[:8].upper()}", f"/api/{token}/")  # a made-up method
    HostClient("localhost").get(f"/api/catalog/courses/{token}/")  # a slug is a parameter, not a label


def test_label_sets_do_not_grow_with_random_paths_hosts_or_methods():
    _random_traffic()  # the first round may add the catch-all views' series
    first = _label_sets(scrape())
    for _ in range(5):
        _random_traffic()
    second = _label_sets(scrape())
    assert second == first
    methods = {dict(labels).get("method") for _, labels in second}
    assert "<invalid method>" in methods
    assert not any(m and m.startswith("X") for m in methods)


def test_metrics_endpoint_is_not_in_the_url_labels():
    views = label_values(scrape(), "django_http_requests_total_by_view_transport_method_total", "view")
    assert not any("metrics" in view for view in views)


@shared_task(name="tests.metrics.boom")
def boom() -> None:
    raise RuntimeError("boom")


@shared_task(bind=True, name="tests.metrics.flaky", max_retries=1)
def flaky(self) -> str:
    if self.request.retries == 0:
        raise self.retry(countdown=0)
    return "ok"


def test_celery_task_runtime_failures_and_retries_by_task_name():
    from accounts.tasks import send_email

    before = scrape()
    send_email.delay(subject="Hi", body="Body", to=["someone@example.test"])
    # throw=False runs the tracer as a worker does (with eager propagation it re-raises before any
    # failure or retry signal is sent)
    assert isinstance(boom.apply(throw=False).result, RuntimeError)
    assert flaky.apply(throw=False).result == "ok"  # the eager retry runs at once
    after = scrape()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("celery_task_duration_seconds_count", task="accounts.tasks.send_email") == 1
    assert delta("emails_sent_total", stream="transactional") == 1
    assert delta("celery_task_failures_total", task="tests.metrics.boom") == 1
    assert delta("celery_task_retries_total", task="tests.metrics.flaky") == 1
    assert delta("celery_task_duration_seconds_count", task="tests.metrics.flaky") == 2
    assert delta("celery_task_duration_seconds_count", task="tests.metrics.boom") == 1


def test_unregistered_task_names_fold_into_other():
    from lib.metrics.celery import task_label

    class Fake:
        name = "made.up"
        app = boom.app

    assert task_label(Fake()) == "other"
    assert task_label(boom) == "tests.metrics.boom"


def test_queue_depth_per_configured_queue(settings):
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_ROUTES = {**settings.CELERY_TASK_ROUTES, "tests.metrics.*": {"queue": queue}}
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.lpush(queue, "a", "b")
    broker.lpush(f"{queue}\x06\x169", "c")  # priority 9 lives in a list of its own
    try:
        samples = scrape()
    finally:
        broker.delete(queue, f"{queue}\x06\x169")
    assert value(samples, "celery_queue_length", queue=queue) == 3
    assert {"default", "provisioning", "notifications"} <= label_values(samples, "celery_queue_length", "queue")
    assert value(samples, "metrics_collector_up", collector="celery_queues") == 1


def test_queue_depth_failure_is_reported_and_the_scrape_still_answers(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    samples = scrape()
    assert value(samples, "metrics_collector_up", collector="celery_queues") == 0
    assert value(samples, "metrics_collector_up", collector="business") == 1
    assert not label_values(samples, "celery_queue_length", "queue")


def test_provisioning_duration_and_failures(platform_admin, settings, django_capture_on_commit_callbacks):
    before = scrape()
    settings.TENANT_PROVISIONING_FAIL_AT = "verify"
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            platform_admin.post(
                "/api/platform/tenants/",
                {"slug": "metered", "name": "Metered", "admin_email": "boss@metered.test", "seats": 5},
                format="json",
            ).status_code
            == 202
        )
    settings.TENANT_PROVISIONING_FAIL_AT = None
    with django_capture_on_commit_callbacks(execute=True):
        assert platform_admin.post("/api/platform/tenants/metered/retry/").status_code == 202
    after = scrape()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("tenant_provisioning_failures_total", step="verify") == 1
    assert delta("tenant_provisioning_duration_seconds_count", result="failed") == 1
    assert delta("tenant_provisioning_duration_seconds_count", result="done") == 1
    assert label_values(after, "tenant_provisioning_failures_total", "step") == {
        "schema",
        "verify",
        "admin",
        "activate",
    }
    assert delta("celery_task_duration_seconds_count", task="tenants.tasks.provision_tenant") == 2


def test_business_gauges_tenants_outbox_and_snapshot_cache(acme, globex):
    samples = scrape()
    assert value(samples, "tenants", status="active") >= 2
    assert label_values(samples, "tenants", "status") == {"provisioning", "active", "suspended", "archived"}
    assert label_values(samples, "tenants_provisioning", "state") == {"pending", "running", "failed"}
    assert label_values(samples, "email_outbox_messages", "state") == {"pending", "failed"}
    assert ("email_outbox_oldest_pending_age_seconds", frozenset()) in samples
    assert value(samples, "metrics_collector_up", collector="business") == 1
    with CaptureQueriesContext(connection) as queries:
        business.snapshot()  # cached in Redis by the scrape above
    assert len(queries) == 0


def test_outbox_gauges_follow_pending_mail(acme):
    from lms.corporate.models import Notification

    with schema_context(acme.schema_name):
        Notification.objects.create(
            key=f"metrics:{uuid.uuid4().hex}", kind="digest", to_email="x@acme.test", subject="s", body_text="b"
        )
    data = business.compute_snapshot()
    pending, _failed, oldest = data["outbox"]
    assert pending >= 1
    assert oldest is not None and oldest <= time.time()


def test_active_learners_after_a_heartbeat(video_bytes):
    build_course("metered-course", video=video_bytes)
    student = HostClient("localhost").as_user("student@ffs.local")
    student.post("/api/catalog/courses/metered-course/enrol/")
    detail = student.get("/api/catalog/courses/metered-course/").json()
    lesson_id = next(ls["id"] for m in detail["modules"] for ls in m["lessons"] if ls["title"] == "Watch")
    student.get(f"/api/learning/lessons/{lesson_id}/")
    beat = student.put(
        f"/api/learning/lessons/{lesson_id}/progress/", {"position_seconds": 0, "watched_seconds": 0}, format="json"
    )
    assert beat.status_code == 200, beat.content
    samples = scrape()
    assert value(samples, "learners_active", kind="public") == 1
    assert value(samples, "learners_active", kind="corporate") == 0
    assert value(samples, "metrics_collector_up", collector="learners") == 1


def test_active_learners_window_and_once_per_minute_marking():
    from lms.learning import metrics as learner_metrics

    learner_metrics.mark_active("acme", 1)
    learner_metrics.mark_active("acme", 1)  # memoised: no second round trip
    learner_metrics.mark_active("globex", 1)  # another schema's user 1 is another learner
    assert learner_metrics.count_active()["corporate"] == 2
    assert learner_metrics.count_active(now=time.time() + learner_metrics.WINDOW_SECONDS + 1)["corporate"] == 0


# --- several processes ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _subprocess_env(multiproc_dir: Path) -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings_test",
        CELERY_TASK_ALWAYS_EAGER="0",
        PROMETHEUS_MULTIPROC_DIR=str(multiproc_dir),
        METRICS_TOKEN=TOKEN,
        TEST_DATABASE_NAME=str(db["NAME"]),
    )
    env["DATABASE_URL"] = (
        f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
        if str(db["HOST"]).startswith("/")
        else f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return env


def _wait_for(url: str, proc: subprocess.Popen[bytes], headers: dict[str, str] | None = None, timeout: float = 60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process died: {proc.stdout.read().decode() if proc.stdout else ''}")
        try:
            return requests.get(url, headers=headers, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def gunicorn(tmp_path, django_db_blocker):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "platform" / "gunicorn.conf.py"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=_subprocess_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/healthz", proc)
    yield base, proc, tmp_path
    _stop(proc)


def _worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def test_gunicorn_workers_are_aggregated_and_survive_a_worker_exit(gunicorn):
    base, proc, directory = gunicorn
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for _ in range(20):
        assert requests.get(f"{base}/api/branding/", headers={"Host": "localhost"}, timeout=10).status_code == 200
    for _ in range(10):  # whichever worker answers the scrape, it reports every worker's requests
        samples = parse(requests.get(f"{base}/metrics", headers=auth, timeout=10).text)
        assert value(samples, "django_http_responses_total_by_status_view_method_total", view="branding") == 20
    pids = _worker_pids(proc.pid)
    assert len(pids) == 2
    writers = {int(path.stem.rsplit("_", 1)[1]) for path in directory.glob("counter_*.db")}
    assert writers & set(pids), "the workers wrote no multi-process files"
    os.kill(pids[0], 15)  # gunicorn replaces it; child_exit runs in the master
    deadline = time.time() + 30
    while time.time() < deadline and (len(_worker_pids(proc.pid)) < 2 or pids[0] in _worker_pids(proc.pid)):
        time.sleep(0.2)
    samples = parse(_wait_for(f"{base}/metrics", proc, auth).text)
    assert value(samples, "django_http_responses_total_by_status_view_method_total", view="branding") == 20
    assert requests.get(f"{base}/metrics", timeout=10, headers={"Authorization": "Bearer nope"}).status_code == 403


@pytest.mark.celery
def test_celery_worker_serves_its_metrics_port_merging_prefork_children(tmp_path, acme):
    port = _free_port()
    env = _subprocess_env(tmp_path)
    env.update(CELERY_METRICS_PORT=str(port))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    from config.celery import app
    from tenants.tasks import schema_probe

    app.conf.task_always_eager = False
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert _wait_for(url, proc, auth).status_code == 200
        key = f"probe:{uuid.uuid4().hex}"
        schema_probe.delay(key, "admin@ffs.local")
        client = redis.Redis.from_url(settings.TEST_REDIS_URL)
        deadline = time.time() + 60
        while not client.get(key) and time.time() < deadline:
            time.sleep(0.1)
        assert client.get(key), "task did not run"
        deadline = time.time() + 10
        while time.time() < deadline:
            samples = parse(requests.get(url, headers=auth, timeout=5).text)
            if value(samples, "celery_task_duration_seconds_count", task="tenants.tasks.schema_probe") >= 1:
                break
            time.sleep(0.2)
        assert value(samples, "celery_task_duration_seconds_count", task="tenants.tasks.schema_probe") == 1
        assert value(samples, "django_db_execute_total", alias="default") > 0  # the child's queries, merged
        assert "celery_queue_length" not in {name for name, _ in samples}  # the web endpoint's job
        assert requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5).status_code == 403
        assert requests.get(f"http://127.0.0.1:{port}/other", headers=auth, timeout=5).status_code == 404
    finally:
        app.conf.task_always_eager = True
        _stop(proc)
