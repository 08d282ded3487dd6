#!/usr/bin/env bash
# Every check and test, in order; prints each runner's summary and fails if any step failed.
# Called by `make test` after setup (virtualenv, npm packages, SPA build).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
FAILED=()
SUMMARY=()

step() {
  local name="$1"; shift
  echo
  echo "══════ $name ══════"
  local started=$SECONDS
  if "$@"; then
    SUMMARY+=("PASS  $name ($((SECONDS - started)) s)")
  else
    SUMMARY+=("FAIL  $name ($((SECONDS - started)) s)")
    FAILED+=("$name")
  fi
}

services_were_running=0
$PY platform/launcher.py services-status >/dev/null 2>&1 && services_were_running=1
$PY platform/launcher.py services-up || exit 1

step "ruff (lint)" .venv/bin/ruff check .
step "ruff (format)" .venv/bin/ruff format --check --quiet .
step "mypy" .venv/bin/mypy .
step "deployment artefacts" bash platform/check-deploy.sh
step "frontend typecheck" npm --prefix frontend run --silent typecheck
step "frontend unit tests (vitest)" npm --prefix frontend test --silent
step "backend tests (pytest)" .venv/bin/pytest -m "not e2e" -q -p no:randomly

if bash platform/ensure-chromium.sh; then
  step "browser end-to-end (Playwright + Chromium)" .venv/bin/pytest -m e2e -q
else
  echo
  echo "!!!!!! SKIPPED browser end-to-end tests: no Chromium and not root to install it !!!!!!"
  SUMMARY+=("SKIP  browser end-to-end (no Chromium)")
fi

if [ "$services_were_running" = 0 ]; then
  $PY platform/launcher.py services-down >/dev/null
fi

echo
echo "══════ summary ══════"
printf '%s\n' "${SUMMARY[@]}"
passed=$(printf '%s\n' "${SUMMARY[@]}" | grep -c '^PASS' || true)
echo "checks: ${passed} passed, ${#FAILED[@]} failed"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "FAILED: ${FAILED[*]}"
  exit 1
fi
