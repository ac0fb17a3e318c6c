#!/usr/bin/env bash
# Check the one-folder bundle: its binary creates a database and an admin, then renders every
# tab offscreen; each screenshot must exist and be more than a blank image.
#
# Usage: bash installer/check_bundle.sh [--no-build] [BUNDLE_DIR]
#   Builds with installer/build.sh first unless --no-build; BUNDLE_DIR defaults to dist/repairfloor.
#   Keeps its temporary folder (database, screenshots) when $KEEP_TMP is set, and prints it.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=1
bundle="$repo_root/dist/repairfloor"
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) bundle=$(cd "$arg" && pwd) ;;
  esac
done
say() { printf '[check_bundle] %s\n' "$*"; }
fail() { printf '[check_bundle] FAILED: %s\n' "$*" >&2; exit 1; }

if ((build)); then bash "$repo_root/installer/build.sh"; fi
binary="$bundle/repairfloor"
[[ -x "$binary" ]] || fail "no binary at $binary (build first)"

tmp=$(mktemp -d)
if [[ -z "${KEEP_TMP:-}" ]]; then trap 'rm -rf "$tmp"' EXIT; fi
# Everything the bundle writes (database, logs, settings) stays in the temporary folder; the
# environment of the build (the project's venv, PYTHONPATH) must not help it find anything.
run() {
  env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV \
    REPAIRFLOOR_DATA_DIR="$tmp/data" QT_QPA_PLATFORM=offscreen "$binary" "$@"
}

started=$(date +%s)
run --version
REPAIRFLOOR_ADMIN_PASSWORD=check-bundle-1 run --db "sqlite:///$tmp/x.db" init --admin admin
run --db "sqlite:///$tmp/x.db" screenshot --out "$tmp/shots"

shots=("$tmp"/shots/*.png)
[[ -e "${shots[0]}" ]] || fail "no screenshot written"
for shot in "${shots[@]}"; do
  size=$(stat -c %s "$shot")
  # A blank 1400x860 window compresses to a few kB; a rendered tab is tens of kB.
  ((size > 20000)) || fail "$shot is only $size bytes: nothing rendered?"
done
for tab in receivingTab adminTab; do
  [[ -e "$tmp/shots/$tab.png" ]] || fail "no screenshot of $tab"
done
say "${#shots[@]} screenshots rendered by the bundle in $(($(date +%s) - started)) s: ok"
if [[ -n "${KEEP_TMP:-}" ]]; then say "kept $tmp"; fi
