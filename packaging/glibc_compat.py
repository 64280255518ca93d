"""Make a frozen bundle built on Debian 11 (glibc 2.31) ask for nothing newer than glibc 2.28.

    python packaging/glibc_compat.py BUNDLE_DIR        # used by packaging/build-bullseye.sh

CPython itself is compiled with packaging/linux/glibc-2.28.h; what is left are a few of
Debian 11's own libraries that PyInstaller copies in:

- ``exp, exp2, log, log2, pow`` got new symbol versions in glibc 2.29 (libpng16 and libsqlite3
  ask for ``pow@GLIBC_2.29`` / ``log@GLIBC_2.29``). The old versions are in every glibc, so the
  library's version-needs entry ``GLIBC_2.29`` of ``libm.so.6`` is rewritten to ``GLIBC_2.2.5``
  (x86-64's first), which is exactly what the same code compiled on glibc 2.28 asks for. Done
  only when every symbol bound to that entry is one of those five; anything else is an error.
- ``libsystemd.so.0`` (pulled in by libdbus) calls ``gettid``, glibc 2.30, which has no older
  version: it is removed from the bundle, and the system's own is used (every target runs systemd).

Plain Python, ELF64 little-endian only (x86-64); prints what it changed.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

OLD_MATH = {b"exp", b"exp2", b"log", b"log2", b"pow"}
NEW_MATH_VERSION = b"GLIBC_2.29"
OLD_MATH_VERSION = b"GLIBC_2.2.5"
DROPPED = ("libsystemd.so.0",)
SHT_DYNSYM, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 11, 0x6FFFFFFE, 0x6FFFFFFF


def elf_hash(name: bytes) -> int:
    h = 0
    for byte in name:
        h = (h << 4) + byte
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g
    return h & 0xFFFFFFFF


def _cstr(data: bytes | bytearray, offset: int) -> bytes:
    return bytes(data[offset : data.index(b"\0", offset)])


def _sections(data: bytes | bytearray) -> list[tuple[int, int, int, int]]:
    """(type, offset, size, link) of each section header."""
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    result = []
    for i in range(shnum):
        _name, kind, _flags, _addr, offset, size, link = struct.unpack_from(
            "<IIQQQQI", data, shoff + i * shentsize
        )
        result.append((kind, offset, size, link))
    return result


def rewrite_math_versions(path: Path) -> list[str]:
    """Rewrite libm's GLIBC_2.29 need to GLIBC_2.2.5 in ``path``; the symbols moved, if any."""
    data = bytearray(path.read_bytes())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    sections = _sections(data)
    verneed = next((s for s in sections if s[0] == SHT_GNU_VERNEED), None)
    if verneed is None:
        return []
    strtab = sections[verneed[3]][1]
    old_name = data.find(b"\0" + OLD_MATH_VERSION + b"\0", strtab, strtab + sections[verneed[3]][2])
    entry, targets = verneed[1], []
    while True:
        _ver, count, file_off, aux_off, next_off = struct.unpack_from("<HHIII", data, entry)
        aux = entry + aux_off
        for _ in range(count):
            _hash, _flags, index, name_off, aux_next = struct.unpack_from("<IHHII", data, aux)
            if (
                _cstr(data, strtab + file_off) == b"libm.so.6"
                and _cstr(data, strtab + name_off) == NEW_MATH_VERSION
            ):
                targets.append((aux, index))
            aux += aux_next
        if not next_off:
            break
        entry += next_off
    if not targets:
        return []
    if old_name < 0:
        raise SystemExit(
            f"{path}: asks for {NEW_MATH_VERSION.decode()} but has no string for "
            f"{OLD_MATH_VERSION.decode()}"
        )
    dynsym = next(s for s in sections if s[0] == SHT_DYNSYM)
    versym = next(s for s in sections if s[0] == SHT_GNU_VERSYM)
    dynstr = sections[dynsym[3]][1]
    moved = []
    for i in range(dynsym[2] // 24):
        index = struct.unpack_from("<H", data, versym[1] + 2 * i)[0] & 0x7FFF
        if any(index == wanted for _aux, wanted in targets):
            name = _cstr(data, dynstr + struct.unpack_from("<I", data, dynsym[1] + 24 * i)[0])
            if name not in OLD_MATH:
                raise SystemExit(
                    f"{path}: {name.decode()}@{NEW_MATH_VERSION.decode()} has no "
                    "older version to bind to"
                )
            moved.append(name.decode())
    for aux, _index in targets:
        struct.pack_into("<I", data, aux, elf_hash(OLD_MATH_VERSION))
        struct.pack_into("<I", data, aux + 8, old_name + 1 - strtab)
    path.write_bytes(bytes(data))
    return moved


def main(bundle: Path) -> None:
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.name in DROPPED:
            path.unlink()
            print(f"glibc_compat: removed {path.relative_to(bundle)} (the system's is used)")
            continue
        moved = rewrite_math_versions(path)
        if moved:
            print(
                f"glibc_compat: {path.relative_to(bundle)}: {', '.join(sorted(moved))} "
                f"bound to {OLD_MATH_VERSION.decode()} instead of {NEW_MATH_VERSION.decode()}"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
