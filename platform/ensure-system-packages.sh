#!/usr/bin/env bash
# System libraries the Python wheels cannot bring: Pango/HarfBuzz for WeasyPrint (certificate PDFs),
# DejaVu fonts (Cyrillic), and the xmlsec1 binary that pysaml2 (the independent test/dev SAML
# identity provider) signs with, and promtool for the Prometheus rules. Installed here when
# missing (as root).
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
# promtool (Debian's prometheus package): `make test` checks the alert rules with it when present
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "!!! missing system packages: ${missing[*]} (certificate PDFs / the local SAML IdP need them)"
  exit 0
fi
echo "installing ${missing[*]}…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
