#!/usr/bin/env bash
# Run the whole test suite: set everything up, lint (ruff check, ruff format --check, mypy app),
# then every test twice: on SQLite files and on a throwaway PostgreSQL cluster. Exits non-zero if any step fails (all steps still run).
#
# Usage: bash installer/setup-and-test.sh [PYTEST ARGS...]
#   e.g. bash installer/setup-and-test.sh -x -k receiving
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
say() { printf '\n[test] === %s ===\n' "$*"; }
started=$SECONDS

say "setup"
bash installer/setup.sh --with-postgres
# shellcheck disable=SC1091
. .venv/bin/activate

export QT_QPA_PLATFORM=offscreen
export REPAIRFLOOR_DATA_DIR
REPAIRFLOOR_DATA_DIR=$(mktemp -d -t repairfloor-test-data.XXXXXX) # never the user's data dir
unset REPAIRFLOOR_DB REPAIRFLOOR_TEST_DB

postgres_started=0
cleanup() {
  if [ "$postgres_started" = 1 ]; then
    bash .ci/start-postgres stop || true
  fi
  rm -rf "$REPAIRFLOOR_DATA_DIR"
}
trap cleanup EXIT

declare -A results=()
steps=()
run_step() { # run_step NAME COMMAND...: runs, records PASS/FAIL, never stops the script
  local name=$1
  shift
  steps+=("$name")
  local t0=$SECONDS
  if "$@"; then results[$name]="PASS"; else results[$name]="FAIL"; fi
  results[$name]+=" ($((SECONDS - t0)) s)"
}

lint_paths=()
for path in app ui tests benchmarks repairfloor; do
  if [ -d "$path" ]; then lint_paths+=("$path"); else echo "[test] note: no $path/ to lint"; fi
done
say "ruff check ${lint_paths[*]}"
run_step "ruff check" ruff check "${lint_paths[@]}"
say "ruff format --check ${lint_paths[*]}"
run_step "ruff format" ruff format --check "${lint_paths[@]}"
say "mypy app"
run_step "mypy app" mypy app

# Two pytest-xdist workers (CI has two cores); each worker has its own PostgreSQL database and data
# folder (tests/conftest.py). REPAIRFLOOR_TEST_WORKERS=0 runs in one process.
workers=(-n "${REPAIRFLOOR_TEST_WORKERS:-2}")

say "pytest on SQLite (a fresh database file per test)"
run_step "pytest on SQLite" python -m pytest "${workers[@]}" "$@"

say "starting PostgreSQL (.ci/start-postgres)"
postgres_started=1 # stopping a cluster that did not start is harmless
if pg_url=$(bash .ci/start-postgres); then
  say "pytest on PostgreSQL: $pg_url"
  run_step "pytest on PostgreSQL" env REPAIRFLOOR_TEST_DB="$pg_url" python -m pytest "${workers[@]}" "$@"
else
  steps+=("pytest on PostgreSQL")
  results["pytest on PostgreSQL"]="FAIL (PostgreSQL did not start)"
fi

say "summary ($((SECONDS - started)) s in all)"
status=0
for step in "${steps[@]}"; do
  printf '  %-22s %s\n' "$step" "${results[$step]}"
  [[ ${results[$step]} == PASS* ]] || status=1
done
exit "$status"
