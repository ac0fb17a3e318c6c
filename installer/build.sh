#!/usr/bin/env bash
# Build the one-folder bundle dist/repairfloor/ (Linux) with PyInstaller.
#
# Usage: bash installer/build.sh
#   Uses the project's .venv when there is one (pip installs pyinstaller into it: the build tool
#   only, not a runtime dependency), else makes build/venv with the project and psycopg in it.
#   $REPAIRFLOOR_BUILD_VENV names another virtual environment to use or create.
# Takes about a minute; the bundle is about 260 MB (PySide6 is most of it).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
say() { printf '[build] %s\n' "$*"; }

venv=${REPAIRFLOOR_BUILD_VENV:-}
if [[ -z "$venv" ]]; then
  if [[ -x .venv/bin/python ]]; then venv=.venv; else venv=build/venv; fi
fi
if [[ ! -x "$venv/bin/python" ]]; then
  say "creating $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet ".[postgres,installer]"
fi
if ! "$venv/bin/python" -c "import PyInstaller" 2>/dev/null; then
  say "installing pyinstaller into $venv"
  "$venv/bin/python" -m pip install --quiet "pyinstaller>=6.6"
fi

started=$(date +%s)
"$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/repairfloor.spec
say "dist/repairfloor built in $(($(date +%s) - started)) s, $(du -sh dist/repairfloor | cut -f1)"
