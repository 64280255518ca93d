#!/usr/bin/env bash
# The two set-up commands of the README, on a fresh Debian/Ubuntu/UOS/Kylin machine:
#
#   ./dev.sh app    install what is needed, then start the app on the default ledger
#   ./dev.sh test   install what is needed, then run the whole test suite
#
# "What is needed": the system libraries Qt loads (installed with apt-get when missing),
# a virtual environment in .venv with the app and its test tools (pip install -e '.[test]').
# Extra arguments go to the app or to pytest: ./dev.sh test -k idnumber
set -euo pipefail
cd "$(dirname "$0")"

# Libraries the Qt xcb and offscreen platforms load, CJK fonts so Chinese renders, and Xvfb
# for starting the window on a machine without a screen.
SYSTEM_PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libx11-xcb1 fonts-noto-cjk xvfb xauth
  binutils  # PyInstaller reads the bundle's libraries with objdump (the .deb test)
)
# PostgreSQL for the tests' second engine (issue 18): only with INSTALL_POSTGRES=1 (.ci/run sets
# it), and only when no initdb is found; postgresql-contrib brings pg_trgm.
POSTGRES_PACKAGES=(postgresql postgresql-contrib)
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "dev.sh: not a Debian-like system; install Qt's libraries yourself" >&2; return 0; }
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

have_initdb() {
  command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

install_postgres() {
  [ "${INSTALL_POSTGRES:-0}" = 1 ] || return 0
  have_initdb && return 0
  command -v dpkg-query >/dev/null 2>&1 || { echo "dev.sh: not a Debian-like system; install PostgreSQL yourself" >&2; return 0; }
  echo "dev.sh: installing PostgreSQL for the tests: ${POSTGRES_PACKAGES[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # the package's own cluster is not wanted (the tests start theirs): no service start in a container
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${POSTGRES_PACKAGES[@]}" >/dev/null
}

install_python_packages() {
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -e "$stamp" ]; then
    echo "dev.sh: installing the app and its test tools into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[test]'
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  app)
    install_system_packages
    install_python_packages
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "dev.sh: no screen here; starting the window on a virtual screen (xvfb-run)"
      exec xvfb-run -a -s "-screen 0 1366x800x24" "$VENV/bin/enrollment-ledger" "$@"
    fi
    exec "$VENV/bin/enrollment-ledger" "$@"
    ;;
  test)
    install_system_packages
    install_postgres
    install_python_packages
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh app [ARGS…]   |   ./dev.sh test [PYTEST ARGS…]" >&2
    exit 2
    ;;
esac
