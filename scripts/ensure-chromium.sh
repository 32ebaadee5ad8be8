#!/usr/bin/env bash
# Make sure a Chromium for PDF export is on this machine, without downloading a browser build.
# Order: $ANALYSIS_CHROMIUM, then chromium / chromium-browser / google-chrome on PATH; when none is
# found and we are root with apt-get, install Debian's 'chromium' package; otherwise explain and fail.
set -euo pipefail

# The search itself is the runner's (analysis.pipeline.printer.find_chromium), so the two cannot disagree.
PY="${ANALYSIS_PYTHON:-.venv/bin/python}"
if "$PY" -m analysis.pipeline.printer >/dev/null 2>&1; then exit 0; fi
if [[ -n "${ANALYSIS_CHROMIUM:-}" ]]; then
  "$PY" -m analysis.pipeline.printer || true
  exit 5
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium package (PDF export needs it)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null
  "$PY" -m analysis.pipeline.printer >/dev/null && exit 0
fi
cat >&2 <<'MSG'
error: no Chromium found for PDF export.
  On Debian/Ubuntu run:   sudo apt-get install chromium
  or point to an installed Chrome/Chromium:   export ANALYSIS_CHROMIUM=/path/to/chrome
MSG
exit 5
