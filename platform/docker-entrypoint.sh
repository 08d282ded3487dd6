#!/bin/sh
# Entry point of the container image (platform/Dockerfile): prepares the writable /tmp and starts
# one process of the platform. The first argument names the process; anything else is executed
# as given (e.g. `python manage.py shell`).
#
#   web               gunicorn (API + SPA), platform/gunicorn.conf.py, listening on 0.0.0.0:$PORT
#   worker            Celery worker for $CELERY_QUEUES (comma-separated, e.g. "notifications")
#   beat              Celery beat (exactly one replica: it is the clock of the whole platform)
#   migrate           migrations of public, the tenant template and every tenant (Helm hook Job)
#   create-admin      first platform admin: $PLATFORM_ADMIN_EMAIL, password in $PLATFORM_ADMIN_PASSWORD
#
# Worker and beat settings live here rather than in a Celery config file because Celery reads its
# application settings from Django (config/settings.py, CELERY_*); only the command line of each
# process differs, and it is driven by environment variables the Helm chart sets.
set -eu

# prometheus_client in multi-process mode keeps one file per process in this directory; it must
# exist before Python starts and must not hold files of processes from a previous start.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}"
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
mkdir -p "${XDG_CACHE_HOME:-/tmp/.cache}"

process="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$process" in
    web)
        # The control socket (gunicornc) is a local management interface Kubernetes does not use.
        exec gunicorn --config platform/gunicorn.conf.py --bind "0.0.0.0:${PORT:-8000}" \
            --no-control-socket "$@" config.wsgi:application
        ;;
    worker)
        queues="${CELERY_QUEUES:?set CELERY_QUEUES to the queue(s) this worker consumes}"
        # The node name starts with the first queue, so `celery inspect ping -d <queue>@<pod>` (the
        # liveness probe) addresses exactly this pod. Gossip and mingle are off: with one queue per
        # Deployment they add broker traffic and nothing else. acks_late + prefetch 1 are in settings.
        exec celery -A config worker \
            --queues "$queues" \
            --hostname "${queues%%,*}@%h" \
            --concurrency "${CELERY_CONCURRENCY:-2}" \
            --max-tasks-per-child "${CELERY_MAX_TASKS_PER_CHILD:-1000}" \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --without-gossip --without-mingle \
            "$@"
        ;;
    beat)
        # The schedule state and pid file go to /tmp: the root filesystem is read-only. Losing the
        # state on restart is harmless (every scheduled task is idempotent, see settings.py).
        exec celery -A config beat \
            --schedule /tmp/celerybeat-schedule \
            --pidfile /tmp/celerybeat.pid \
            --loglevel "${LOG_LEVEL:-INFO}" \
            "$@"
        ;;
    migrate)
        # public -> tenant_template -> every tenant; tenants in parallel ($MIGRATION_PARALLEL).
        exec python manage.py migrate_platform --executor multiprocessing "$@"
        ;;
    create-admin)
        exec python manage.py create_platform_admin \
            --email "${PLATFORM_ADMIN_EMAIL:?set PLATFORM_ADMIN_EMAIL}" "$@"
        ;;
    *)
        exec "$process" "$@"
        ;;
esac
