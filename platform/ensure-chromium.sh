#!/usr/bin/env bash
# Chromium for the end-to-end tests: Debian's package, installed when missing and running as root.
# (Playwright's own browser download cannot work offline; we drive the system browser.)
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then exit 1; fi
echo "installing Debian's chromium package for the end-to-end tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ]
