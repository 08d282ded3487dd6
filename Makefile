# Two commands for people: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
FRONTEND_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) $(wildcard frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json)

.PHONY: help setup run test lint typecheck test-backend test-frontend test-e2e services-up services-down clean

help:
	@echo "make run    - set up everything and run the platform with demo data (http://localhost:8000)"
	@echo "make test   - set up everything and run every check and test"
	@echo "make services-up / services-down - embedded PostgreSQL, Redis and S3 (s3rver) only"

$(UV):
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SRC)
	cd frontend && npm run build
	@touch $@

.tools/.system-packages: platform/ensure-system-packages.sh
	bash platform/ensure-system-packages.sh
	@mkdir -p .tools && touch $@

# the local OpenID Connect provider (SSO tests and the make-run demo)
platform/oidc-provider/node_modules/.installed: platform/oidc-provider/package-lock.json
	npm ci --prefix platform/oidc-provider --no-audit --no-fund --loglevel=error
	@touch $@

# offline checkers of the deployment artefacts (platform/check-deploy.sh): hadolint, the Helm engine,
# kubernetes-validate, checkov, check-jsonschema; `make test` only (about 600 MB, `make run` never needs
# them). A separate virtualenv: checkov pins versions that
# conflict with the app's locked dependencies, and the app never imports these.
DEPLOY_VENV := .tools/deploy-venv
$(DEPLOY_VENV)/.installed: platform/deploy-tools/requirements.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(DEPLOY_VENV)
	VIRTUAL_ENV=$(DEPLOY_VENV) $(UV) pip install --quiet -r platform/deploy-tools/requirements.txt
	@touch $@

setup: $(VENV)/.synced frontend/dist/index.html .tools/.system-packages platform/oidc-provider/node_modules/.installed

run: setup
	$(PY) platform/launcher.py run

test: setup $(DEPLOY_VENV)/.installed
	bash platform/test-all.sh

services-up: $(VENV)/.synced
	$(PY) platform/launcher.py services-up

services-down: $(VENV)/.synced
	$(PY) platform/launcher.py services-down

clean: services-down
	rm -rf .data frontend/dist
