#!/usr/bin/env bash
# RepairFloor setup: the system packages it needs (Debian 12 / apt-get), then .venv with the
# project installed in editable mode (pip install -e ".[postgres,test]").
#
# Usage: bash installer/setup.sh [--with-postgres]
#   --with-postgres   also install the PostgreSQL server and client (the test command needs them)
#
# Idempotent: packages already installed (dpkg -s) are skipped, apt-get update runs only when
# something is missing, and pip runs again only when pyproject.toml changed.
# Runs as root, or with sudo when not root. Works without a terminal (CI=true).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo_root/.venv"
with_postgres=0
for arg in "$@"; do
  case "$arg" in
    --with-postgres) with_postgres=1 ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }
# A step's own chatter (apt's debconf notes, setuptools' editable-install notice) goes to a log
# and is shown only when the step fails: the person reads what they need.
quietly() { # quietly LOG COMMAND...
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "[setup] FAILED: $* (output above, also in $log)" >&2
    return 1
  fi
}

# --- System packages ----------------------------------------------------------------------------
packages=(
  python3 python3-venv python3-pip
  # Qt runtime, offscreen included
  libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3
  # a real window on X11 (xcb platform plugin) or Wayland
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  libx11-xcb1 libwayland-client0 libwayland-cursor0 libwayland-egl1
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxi6 libasound2
  # the scan sounds (QtMultimedia loads PulseAudio's client library)
  libpulse0
  # Chinese font, PDF tools, barcode decoding (tests)
  fonts-wqy-microhei poppler-utils poppler-data libzbar0
)
if [ "$with_postgres" = 1 ]; then
  packages+=(postgresql postgresql-client)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  say "system packages: all ${#packages[@]} present"
elif ! command -v apt-get >/dev/null 2>&1; then
  say "WARNING: no apt-get here; install these yourself: ${missing[*]}"
else
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "[setup] missing system packages (${missing[*]}) and neither root nor sudo" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  say "apt-get update (missing: ${missing[*]})"
  apt_log=$(mktemp -t repairfloor-apt.XXXXXX)
  quietly "$apt_log" "${as_root[@]}" apt-get update -qq
  installable=()
  for package in "${missing[@]}"; do
    # A name another release dropped (e.g. libasound2 -> libasound2t64) is skipped, not fatal.
    policy=$(apt-cache policy "$package" 2>/dev/null || true)
    if grep -q 'Candidate: [^(]' <<<"$policy"; then
      installable+=("$package")
    else
      say "WARNING: package $package is not available here; skipped"
    fi
  done
  if [ "${#installable[@]}" -gt 0 ]; then
    say "apt-get install ${installable[*]}"
    quietly "$apt_log" "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${installable[@]}"
  fi
fi

# --- Python virtual environment -----------------------------------------------------------------
python_ok() { # python_ok EXE: true if EXE runs and is Python >= 3.11
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

if [ -x "$venv/bin/python" ] && ! python_ok "$venv/bin/python"; then
  say "existing .venv is broken or too old: recreating it"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python=""
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      python=$(command -v "$candidate")
      break
    fi
  done
  [ -n "$python" ] || { echo "[setup] no Python >= 3.11 found (install python3)" >&2; exit 1; }
  say "creating .venv with $python ($("$python" --version 2>&1))"
  "$python" -m venv "$venv"
fi

stamp="$venv/.repairfloor-installed"
wanted="$(sha256sum "$repo_root/pyproject.toml" | cut -d' ' -f1) $repo_root"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  say ".venv up to date ($("$venv/bin/python" --version 2>&1))"
else
  say "pip install -e \".[postgres,test]\" into .venv (first time: a few minutes)"
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
  pip_log="$venv/pip-install.log"
  quietly "$pip_log" "$venv/bin/python" -m pip install --quiet --upgrade pip
  (cd "$repo_root" && quietly "$pip_log" "$venv/bin/python" -m pip install --quiet -e ".[postgres,test]")
  echo "$wanted" >"$stamp"
  rm -rf "$venv"/lib/python3*/site-packages/shiboken6/files.dir # unpacked again below
  say "installed: $("$venv/bin/python" --version 2>&1), $("$venv/bin/repairfloor" --version)"
fi

# PySide6's support modules (signatures, enums, the import hook) ship zipped inside libshiboken6
# and are compiled from source at every start: 25-30 ms of each start-up. Unpacked beside it
# (shiboken's own switch, SBK_EMBED=false), they are imported from cached bytecode instead.
# Unpacked again after every install above, so they always match the shiboken installed.
if ! compgen -G "$venv/lib/python3*/site-packages/shiboken6/files.dir" >/dev/null; then
  SBK_EMBED=false "$venv/bin/python" -c "import shiboken6"
  say "PySide6's support modules unpacked (start-up loads them from bytecode)"
fi
