#!/usr/bin/env bash
# Regenerate the screenshots in docs/: every tab an administrator sees, at 1366×768 (the common
# floor PC), on a fresh demo database, in Chinese (docs/<tab>.png) and English (docs/en/<tab>.png).
#
# Usage: bash docs/make_screenshots.sh   (from anywhere; uses .venv when there is one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "${PYTHON:-}" ]; then python=$PYTHON; elif [ -x .venv/bin/python ]; then python=.venv/bin/python; else python=python3; fi
work=$(mktemp -d -t repairfloor-shots.XXXXXX)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export REPAIRFLOOR_DATA_DIR="$work/data" # never this PC's settings or database
unset REPAIRFLOOR_DB
db="sqlite:///$work/demo.sqlite3"
"$python" -m repairfloor --db "$db" demo >/dev/null
mkdir -p docs/en
"$python" -m repairfloor --db "$db" --station "收货台-1" screenshot --out docs --lang zh_CN
"$python" -m repairfloor --db "$db" --station "receiving-1" screenshot --out docs/en --lang en
