#!/usr/bin/env bash
# Build the .deb for UOS, Kylin, Debian and Ubuntu, with no network needed to install it:
#
#   packaging/build-deb.sh                 # -> build/deb/enrollment-ledger_<version>_<arch>.deb
#
# Steps: PyInstaller freezes the app into one folder (packaging/enrollment-ledger.spec; PyInstaller
# itself is pip-installed from pyproject's `packaging` extra when missing), the folder goes to
# /opt/enrollment-ledger, /usr/bin/enrollment-ledger links to its executable, a menu entry and an
# icon go under /usr/share, and dpkg-deb packs it (xz, which every dpkg can read; no zstd).
# No maintainer scripts: dpkg's own triggers refresh the menu and icon caches, and nothing of the
# package lives outside the files it lists, so `dpkg -r` leaves no trace. The ledger is in each
# user's ~/.local/share/enrollment-ledger, which no package step touches.
#
# Options:
#   --out DIR      where the .deb goes (default: build/deb)
#   --work DIR     PyInstaller's work and dist folders go under DIR (default: build/pyinstaller)
#   --bundle DIR   package an already frozen folder instead of running PyInstaller
#   --freeze-only  run PyInstaller, print the folder and stop (build-bullseye.sh adjusts it and
#                  comes back with --bundle)
# Environment: PYTHON (default: .venv/bin/python if present, else python3) must have the app
# and its dependencies installed (./dev.sh test sets that up); MAINTAINER for the control file.
# PyInstaller on Linux needs binutils; it is apt-get installed when missing (the build machine
# has a network; the laptops that install the .deb need none).
#
# The .deb runs where the C library is at least as new as the build machine's (Depends: libc6
# (>= x) is computed from the bundle): build on the oldest system you must support.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

OUT=build/deb
WORK=build/pyinstaller
BUNDLE=""
FREEZE_ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --bundle) BUNDLE=$2; shift 2 ;;
    --freeze-only) FREEZE_ONLY=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
for tool in dpkg-deb dpkg; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is needed (a Debian-like system)" >&2; exit 1; }
done
layout() { "$PYTHON" packaging/bundle_layout.py "$@"; }

NAME=$(layout name)
VERSION=$(layout version)
DEB_VERSION=$(layout debian-version)
ARCH=$(dpkg --print-architecture)
MAINTAINER=${MAINTAINER:-"Enrollment Ledger maintainers <enrollment-ledger@example.invalid>"}

if [ -z "$BUNDLE" ]; then
  # PyInstaller on Linux needs binutils (objdump, objcopy; strip to shrink libpython).
  if ! command -v objdump >/dev/null || ! command -v objcopy >/dev/null; then
    command -v apt-get >/dev/null || { echo "build-deb.sh: install binutils first" >&2; exit 1; }
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "build-deb.sh: installing binutils (PyInstaller needs objdump and objcopy)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends binutils >/dev/null
  fi
  if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    echo "build-deb.sh: installing $(layout requirements) into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    # shellcheck disable=SC2046
    "$PYTHON" -m pip install -q $(layout requirements)
  fi
  echo "build-deb.sh: freezing $NAME $VERSION with PyInstaller"
  "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$WORK/dist" --workpath "$WORK/work" packaging/enrollment-ledger.spec
  BUNDLE="$WORK/dist/enrollment-ledger"
  if [ -n "$FREEZE_ONLY" ]; then echo "$BUNDLE"; exit 0; fi
fi
[ -x "$BUNDLE/enrollment-ledger" ] || { echo "build-deb.sh: no executable in $BUNDLE" >&2; exit 1; }
"$BUNDLE/enrollment-ledger" --version >/dev/null  # the frozen program starts at all

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/enrollment-ledger-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/$NAME"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/doc/$NAME"

cp -a "$BUNDLE" "$PKG/opt/$NAME"
# Regular modes: folders and the program 0755, everything else 0644 (shared libraries load
# without the execute bit).
find "$PKG/opt" -type d -exec chmod 0755 {} +
find "$PKG/opt" -type f -exec chmod 0644 {} +
chmod 0755 "$PKG/opt/$NAME/enrollment-ledger"
ln -s "/opt/$NAME/enrollment-ledger" "$PKG/usr/bin/enrollment-ledger"

install -m 0644 packaging/linux/enrollment-ledger.desktop "$PKG/usr/share/applications/$NAME.desktop"
install -m 0644 resources/icons/enrollment-ledger.png \
  "$PKG/usr/share/icons/hicolor/256x256/apps/enrollment-ledger.png"
install -m 0644 packaging/linux/copyright "$PKG/usr/share/doc/$NAME/copyright"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$PKG/usr/share/applications/$NAME.desktop"
fi

GLIBC=$(layout glibc "$PKG/opt/$NAME")
INSTALLED_SIZE=$(du -sk --apparent-size "$PKG" | cut -f1)
cat >"$PKG/DEBIAN/control" <<EOF
Package: $NAME
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_SIZE
Depends: libc6 (>= $GLIBC), libgl1, libegl1, libxcb1
Recommends: fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei
Section: misc
Priority: optional
Description: 参保台账 Enrollment Ledger - township medical-insurance enrollment
 A desktop ledger for township medical-insurance staff: households, persons,
 subsidised categories, each year's enrollment and payment, and what each
 person must pay under the year's policy. Works with no network; the ledger is
 one SQLite file in the user's data folder (~/.local/share/enrollment-ledger),
 which upgrading or removing this package never touches.
 .
 乡镇医保专干使用的城乡居民医保参保台账：户、人、资助类别、年度参保与缴费。
 无需联网；台账保存在用户数据目录，升级或卸载本软件包都不会改动台账。
EOF

mkdir -p "$OUT"
DEB="$OUT/${NAME}_${DEB_VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
echo "build-deb.sh: $(du -h "$DEB" | cut -f1) $DEB (installed $((INSTALLED_SIZE / 1024)) MB, needs glibc >= $GLIBC)"
echo "$DEB"
