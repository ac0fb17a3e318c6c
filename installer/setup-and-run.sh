#!/usr/bin/env bash
# Run RepairFloor: set everything up, create the database on the first run (administrator
# admin / admin123, plus demo data), then open the window. Afterwards, in a new shell:
# `. .venv/bin/activate` and `repairfloor` (or `.venv/bin/repairfloor` without activating).
#
# Usage: bash installer/setup-and-run.sh [--no-demo] [--db URL] [--station NAME]
#   --no-demo        do not load the demo data into a new database
#   --db URL         database to open (default: $REPAIRFLOOR_DB, else SQLite in the data dir)
#   --station NAME   this station's name in the audit log (default: $REPAIRFLOOR_STATION, host name)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
load_demo=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-demo) load_demo=0 ;;
    --db) export REPAIRFLOOR_DB="${2:?--db needs a URL}"; shift ;;
    --db=*) export REPAIRFLOOR_DB="${1#--db=}" ;;
    --station) export REPAIRFLOOR_STATION="${2:?--station needs a name}"; shift ;;
    --station=*) export REPAIRFLOOR_STATION="${1#--station=}" ;;
    -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup-and-run: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[run] %s\n' "$*"; }

bash "$repo_root/installer/setup.sh"
# shellcheck disable=SC1091
. "$repo_root/.venv/bin/activate"
cd "$repo_root"

# `repairfloor init` is idempotent: it creates the schema and the first administrator, or says
# the administrator already exists. Only a database it has just created gets the demo data.
# A database whose administrator has another name (made by the first-run wizard) is left as it
# is: init says so and exits 3, and the window opens on it.
export REPAIRFLOOR_ADMIN_PASSWORD="${REPAIRFLOOR_ADMIN_PASSWORD:-admin123}"
say "repairfloor init --admin admin"
init_status=0
init_output=$(repairfloor init --admin admin) || init_status=$?
[ "$init_status" = 0 ] || [ "$init_status" = 3 ] || exit "$init_status"
[ -z "$init_output" ] || echo "$init_output"

# The marker in the data dir remembers, per database, that its demo data is loaded (or pending,
# when an earlier run created the database but stopped before the demo finished loading).
data_dir=$(python -c 'from app.config import data_dir; print(data_dir())')
db_key=$(python -c 'from app.config import resolve_database_url; print(resolve_database_url())' |
  sha256sum | cut -c1-16)
loaded_marker="$data_dir/.demo-loaded"
pending_marker="$data_dir/.demo-pending"
touch "$loaded_marker" "$pending_marker"

if [ "$load_demo" = 1 ]; then
  if grep -qx "$db_key" "$loaded_marker"; then
    say "demo data already loaded"
  elif grep -q 'Administrator admin created' <<<"$init_output" || grep -qx "$db_key" "$pending_marker"; then
    echo "$db_key" >>"$pending_marker"
    say "repairfloor demo (a new database: loading the demo data)"
    if repairfloor demo; then
      echo "$db_key" >>"$loaded_marker"
      grep -vx "$db_key" "$pending_marker" >"$pending_marker.tmp" || true
      mv "$pending_marker.tmp" "$pending_marker"
    else
      say "WARNING: the demo data did not load (see above); opening the app without it"
    fi
  else
    say "existing database: demo data not loaded (it had users already)"
  fi
fi

# Only the documented passwords that hold on this database (`repairfloor demo --passwords`);
# without a desktop session, `repairfloor gui` says so in plain words and exits.
say "repairfloor gui ($(repairfloor demo --passwords))"
exec repairfloor gui
