#!/usr/bin/env bash
# Make sure a Chromium for PDF export is on this machine, without downloading a browser build; with --calc, also
# LibreOffice Calc for the spreadsheet tests (tests/test_tables.py reads the workbook and the CSV files back with it).
# Order: $ANALYSIS_CHROMIUM, then chromium / chromium-browser / google-chrome on PATH; what is missing is installed
# from Debian's packages in one apt-get step when we are root with apt-get ('chromium', 'libreoffice-calc');
# otherwise a missing Chromium is explained and fails (exit 5), a missing Calc is a warning (those tests skip,
# except under CI, where they fail).
set -euo pipefail

# The search itself is the runner's (analysis.pipeline.printer.find_chromium), so the two cannot disagree.
PY="${ANALYSIS_PYTHON:-.venv/bin/python}"
CALC=0
[[ "${1:-}" == "--calc" ]] && CALC=1

have_chromium() { "$PY" -m analysis.pipeline.printer >/dev/null 2>&1; }
have_calc() { command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; }

packages=()
if ! have_chromium; then
  if [[ -n "${ANALYSIS_CHROMIUM:-}" ]]; then
    "$PY" -m analysis.pipeline.printer || true
    exit 5
  fi
  packages+=(chromium fonts-dejavu-core fonts-liberation)
fi
if [[ "$CALC" == 1 ]] && ! have_calc; then
  packages+=(libreoffice-calc)
fi
[[ ${#packages[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's ${packages[*]} (PDF export needs Chromium, the spreadsheet tests LibreOffice Calc)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

status=0
if ! have_chromium; then
  cat >&2 <<'MSG'
error: no Chromium found for PDF export.
  On Debian/Ubuntu run:   sudo apt-get install chromium
  or point to an installed Chrome/Chromium:   export ANALYSIS_CHROMIUM=/path/to/chrome
MSG
  status=5
fi
if [[ "$CALC" == 1 ]] && ! have_calc; then
  cat >&2 <<'MSG'
warning: no LibreOffice Calc (soffice) found: the tests that open the workbook and the CSV files in Calc are skipped
  (under CI they fail). On Debian/Ubuntu run:   sudo apt-get install libreoffice-calc
MSG
fi
exit "$status"
