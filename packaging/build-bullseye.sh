#!/usr/bin/env bash
# Build the bundle and the .deb inside a Debian 11 (bullseye, glibc 2.31) root, so that the
# package installs on UOS 20 (glibc 2.28), Kylin V10 SP1 (2.31), Ubuntu 20.04 (2.31) and newer:
#
#   sudo packaging/build-bullseye.sh         # -> build/deb-bullseye/enrollment-ledger_<v>_amd64.deb
#
# Steps, each cached under $ENROLLMENT_LEDGER_BUILD_CACHE (default ~/.cache/enrollment-ledger-build)
# so that a rebuild takes minutes:
#   1. debootstrap a bullseye root (bullseye-amd64/) from the mirror apt uses here;
#   2. CPython 3.11 from Debian's own source (bookworm's python3.11 orig tarball, checked against
#      its sha256), built in the root with --enable-shared, -O2 -j2, no PGO, and with
#      packaging/linux/glibc-2.28.h forced in, so that libpython needs no glibc newer than 2.28;
#   3. a venv in the root with the app's dependencies and PySide6 $PYSIDE6_VERSION (6.9.3: the
#      last release with manylinux_2_28 x86-64 wheels; 6.10 and later need glibc 2.34 or 2.39);
#   4. the working tree copied into the root and packaging/build-deb.sh run there: it freezes,
#      packaging/glibc_compat.py moves Debian 11's libpng/libsqlite3 to glibc 2.28's math symbols
#      and drops libsystemd (gettid, 2.30; the system's is used), then build-deb.sh packs it;
#   5. a second, clean bullseye root (bullseye-amd64-clean/: minbase, the .deb's Depends
#      and one CJK font of its Recommends; nothing the build added) for
#      tests/packaging/test_bullseye.py to install the .deb into.
# Needs root (debootstrap, chroot, mounting /proc) and the network for steps 1-3.
#
# Options:
#   --out DIR       where the .deb goes (default: build/deb-bullseye)
#   --shell         open a shell in the root instead of building (with /proc mounted)
# Environment: ENROLLMENT_LEDGER_BUILD_CACHE, DEBIAN_MIRROR (default: the host's apt mirror, else
# http://deb.debian.org/debian), PYSIDE6_VERSION, JOBS (make -j, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

OUT=build/deb-bullseye
SHELL_ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --shell) SHELL_ONLY=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "build-bullseye.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "build-bullseye.sh: needs root (debootstrap, chroot)" >&2; exit 1; }

CACHE=${ENROLLMENT_LEDGER_BUILD_CACHE:-$HOME/.cache/enrollment-ledger-build}
ROOTFS=$CACHE/bullseye-amd64
PYSIDE6_VERSION=${PYSIDE6_VERSION:-6.9.3}
JOBS=${JOBS:-2}
# CPython: Debian 12's python3.11 source package (upstream tarball, unchanged by Debian).
PY_VERSION=3.11.2
PY_TARBALL=python3.11_${PY_VERSION}.orig.tar.gz
PY_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
PY_PREFIX=/opt/python3.11
VENV=/opt/el-venv
# Build tools and what PyInstaller must find to collect Qt's dependencies (ldd in the root).
PACKAGES=build-essential,ca-certificates,pkg-config,libssl-dev,zlib1g-dev,libffi-dev,\
libsqlite3-dev,libbz2-dev,liblzma-dev,uuid-dev,binutils,file,dpkg-dev,libgl1,libegl1,\
libxkbcommon0,libxkbcommon-x11-0,libfontconfig1,libdbus-1-3,libglib2.0-0,\
libxcb-cursor0,libxcb-icccm4,libxcb-image0,libxcb-keysyms1,libxcb-randr0,libxcb-render-util0,\
libxcb-shape0,libxcb-util1,libxcb-xinerama0,libxcb-xkb1,libx11-xcb1
# (The xcb libraries Qt's xcb platform plugin needs are installed so that PyInstaller bundles them:
# libxcb-cursor0 is missing on a default Ubuntu 20.04 or UOS 20. libcups is left to the system:
# without it, printing offers only PDF.)

if [ -z "${DEBIAN_MIRROR:-}" ]; then
  DEBIAN_MIRROR=$(grep -hoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
    /etc/apt/sources.list.d/* 2>/dev/null | head -n1 | tr -d ' ' || true)
  DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
fi
DEBIAN_MIRROR=${DEBIAN_MIRROR%/}
log() { echo "build-bullseye.sh: $*"; }
started=$(date +%s)

mounted=""
cleanup() { if [ -n "$mounted" ]; then umount "$ROOTFS/proc" 2>/dev/null || umount -l "$ROOTFS/proc"; fi; }
trap cleanup EXIT
in_root() {
  chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CERT=/etc/ssl/certs/host-ca.crt \
    "$@"
}

# 1. the root
mkdir -p "$CACHE"
if [ ! -f "$ROOTFS/.el-root-ok" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  log "debootstrap bullseye from $DEBIAN_MIRROR into $ROOTFS"
  rm -rf "$ROOTFS.partial"
  nice debootstrap --variant=minbase --include="$PACKAGES" bullseye "$ROOTFS.partial" \
    "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$ROOTFS"
  mv "$ROOTFS.partial" "$ROOTFS"
  touch "$ROOTFS/.el-root-ok"
fi
mount -t proc proc "$ROOTFS/proc"
mounted=1
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/host-ca.crt"
if [ "$(cat "$ROOTFS/.el-packages" 2>/dev/null)" != "$PACKAGES" ]; then
  log "installing the root's package list into the cached root"
  in_root apt-get update -qq
  # shellcheck disable=SC2086
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ${PACKAGES//,/ } >/dev/null
  echo "$PACKAGES" >"$ROOTFS/.el-packages"
fi
if [ -n "$SHELL_ONLY" ]; then in_root bash -l; exit; fi

# 2. CPython 3.11
if [ ! -x "$ROOTFS$PY_PREFIX/bin/python3.11" ]; then
  mkdir -p "$CACHE/src"
  if [ ! -f "$CACHE/src/$PY_TARBALL" ]; then
    log "fetching $PY_TARBALL from $DEBIAN_MIRROR"
    curl -fsSL -o "$CACHE/src/$PY_TARBALL.part" "$DEBIAN_MIRROR/pool/main/p/python3.11/$PY_TARBALL"
    mv "$CACHE/src/$PY_TARBALL.part" "$CACHE/src/$PY_TARBALL"
  fi
  echo "$PY_SHA256  $CACHE/src/$PY_TARBALL" | sha256sum -c --quiet
  rm -rf "$ROOTFS/usr/src/Python-$PY_VERSION"
  tar -xzf "$CACHE/src/$PY_TARBALL" -C "$ROOTFS/usr/src"
  mkdir -p "$ROOTFS$PY_PREFIX/include"
  install -m 0644 packaging/linux/glibc-2.28.h "$ROOTFS$PY_PREFIX/include/glibc-2.28.h"
  log "building CPython $PY_VERSION in the root (make -j$JOBS, no PGO: ~15-25 min on 2 cores)"
  in_root nice bash -ec "
    cd /usr/src/Python-$PY_VERSION
    ./configure --prefix=$PY_PREFIX --enable-shared \
      CFLAGS='-O2 -include $PY_PREFIX/include/glibc-2.28.h' \
      LDFLAGS='-Wl,-rpath,$PY_PREFIX/lib' ac_cv_func_sem_clockwait=no >/tmp/py-configure.log 2>&1
    make -j$JOBS >/tmp/py-make.log 2>&1
    make install >/tmp/py-install.log 2>&1
  " || { tail -n 30 "$ROOTFS"/tmp/py-*.log >&2; exit 1; }
  rm -rf "$ROOTFS/usr/src/Python-$PY_VERSION"
fi

# 3. the venv: the app's dependencies from pyproject.toml, PySide6 pinned, PyInstaller
STAMP="$(sha256sum pyproject.toml | cut -c1-16)-$PYSIDE6_VERSION"
if [ "$(cat "$ROOTFS$VENV/.el-stamp" 2>/dev/null)" != "$STAMP" ]; then
  log "installing the app's dependencies and PySide6 $PYSIDE6_VERSION into $VENV"
  mkdir -p "$ROOTFS/tmp/el-req"
  cp pyproject.toml "$ROOTFS/tmp/el-req/"
  in_root bash -ec "
    [ -x $VENV/bin/python ] || $PY_PREFIX/bin/python3.11 -m venv $VENV
    $VENV/bin/python - <<'PY' >/tmp/el-req/requirements.txt
import tomllib
project = tomllib.load(open('/tmp/el-req/pyproject.toml', 'rb'))['project']
for each in project['dependencies'] + project['optional-dependencies']['packaging']:
    print(each)
PY
    printf 'PySide6-Essentials==%s\nPySide6-Addons==%s\nshiboken6==%s\n' \
      $PYSIDE6_VERSION $PYSIDE6_VERSION $PYSIDE6_VERSION >/tmp/el-req/constraints.txt
    $VENV/bin/python -m pip install -q --upgrade pip
    $VENV/bin/python -m pip install -q --only-binary=PySide6-Essentials,PySide6-Addons,shiboken6 \
      -r /tmp/el-req/requirements.txt -c /tmp/el-req/constraints.txt
  "
  echo "$STAMP" >"$ROOTFS$VENV/.el-stamp"
fi

# 4. the bundle and the .deb: the working tree (tracked and untracked files git does not ignore)
log "copying the working tree into the root and running packaging/build-deb.sh there"
rm -rf "$ROOTFS/src/enrollment-ledger"
mkdir -p "$ROOTFS/src/enrollment-ledger"
git ls-files -z --cached --others --exclude-standard \
  | tar --null -T - --ignore-failed-read -cf - | tar -xf - -C "$ROOTFS/src/enrollment-ledger"
# Freeze, bring Debian 11's own libraries down to glibc 2.28 (packaging/glibc_compat.py), pack.
in_root bash -ec "cd /src/enrollment-ledger
  export PYTHON=$VENV/bin/python
  bundle=\$(nice packaging/build-deb.sh --freeze-only --work /src/pyinstaller | tail -n1)
  \$PYTHON packaging/glibc_compat.py \$bundle
  nice packaging/build-deb.sh --bundle \$bundle --out /src/out" | tee "$CACHE/build-deb.log"
DEB=$(tail -n1 "$CACHE/build-deb.log")

# 5. the clean root the proof installs into
CLEAN=$CACHE/bullseye-amd64-clean
if [ ! -f "$CLEAN/.el-root-ok" ]; then
  log "debootstrap a clean bullseye root (minbase, the Depends, one Recommends font) into $CLEAN"
  rm -rf "$CLEAN.partial"
  nice debootstrap --variant=minbase --include=libgl1,libegl1,libxcb1,fonts-wqy-microhei bullseye "$CLEAN.partial" \
    "$DEBIAN_MIRROR" >"$CACHE/debootstrap-clean.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap-clean.log" >&2; exit 1; }
  rm -rf "$CLEAN"
  mv "$CLEAN.partial" "$CLEAN"
  touch "$CLEAN/.el-root-ok"
fi
mkdir -p "$OUT"
rm -f "$OUT"/*.deb
cp "$ROOTFS$DEB" "$OUT/"
log "done in $(( $(date +%s) - started )) s"
echo "$OUT/$(basename "$DEB")"
