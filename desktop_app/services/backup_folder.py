"""The backups folder: how copies are named, listed and rotated, leftovers swept, and the
SHA-256 sidecar beside a plain copy (see :mod:`desktop_app.services.backup` for why a sidecar).

Names: ``<ledger>-<YYYYmmdd-HHMMSS>[-<n>]-<reason>.sqlite`` (``.ledgerbackup`` when encrypted);
``<ledger>`` is :func:`desktop_app.store.backup_names.ledger_key`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.services.backup_format import (
    PARTIAL_SUFFIX,
    BackupError,
    commit_file,
    partial_name,
    private_new_file,
    remove_quietly,
)
from desktop_app.store.backup_names import backups_dir, ledger_key

PLAIN_SUFFIX = ".sqlite"
ENCRYPTED_SUFFIX = ".ledgerbackup"
DIGEST_SUFFIX = ".sha256"

_NAME = re.compile(
    r"^(?P<key>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?-(?P<reason>[a-z][a-z0-9-]*)"
    r"(?P<suffix>\.sqlite|\.ledgerbackup)$"
)

_PARTIAL_TAIL = re.compile(r"\.\d+\.partial$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file in a folder, as its name describes it."""

    path: Path
    ledger_key: str
    made_at: dt.datetime
    reason: str
    encrypted: bool
    size: int


# ---------------------------------------------------------------------------------------------
# Names, listing, rotation


def backup_dir() -> Path:
    """``<data folder>/backups``: where automatic copies live (schema-upgrade copies too)."""
    return backups_dir()


def reason_slug(reason: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return slug if slug and slug[0].isalpha() else f"r-{slug}" if slug else "manual"


def new_backup_name(folder: Path, key: str, reason: str, suffix: str, now: dt.datetime) -> Path:
    """``<key>-<stamp>[-<n>]-<reason><suffix>``: a second copy within the same second gets n = 2, 3…

    so that names sort in the order the copies were made, whatever their reasons.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    taken = 0
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(_PARTIAL_TAIL.sub("", path.name))  # one being written counts too
            if match and match["key"] == key and match["stamp"] == stamp:
                taken = max(taken, int(match["seq"] or 1))
    seq = f"-{taken + 1}" if taken else ""
    return folder / f"{key}-{stamp}{seq}-{reason}{suffix}"


def list_backups(ledger: Path | None = None, folder: Path | None = None) -> list[BackupInfo]:
    """Whole backup files in ``folder`` (default: the data folder's), newest first.

    With ``ledger``, only the copies of that ledger. ``.partial`` leftovers are not listed.
    """
    folder = folder or backup_dir()
    key = ledger_key(ledger) if ledger is not None else None
    found: list[BackupInfo] = []
    order: dict[Path, tuple[dt.datetime, int]] = {}
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        if key is not None and match["key"] != key:
            continue
        made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        found.append(BackupInfo(path, match["key"], made, match["reason"],
                                match["suffix"] == ENCRYPTED_SUFFIX, path.stat().st_size))
        order[path] = (made, int(match["seq"] or 1))
    found.sort(key=lambda info: order[info.path], reverse=True)
    return found


def rotation_group(reason: str) -> str:
    """Copies rotate in groups: ``daily``, ``before`` (every before-…), the rest by reason."""
    reason = reason_slug(reason)
    return "before" if reason.startswith("before-") else reason


def rotate(ledger: Path, reason: str, keep: int, folder: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` copies of ``ledger`` in ``reason``'s group."""
    group = rotation_group(reason)
    same = [info for info in list_backups(ledger, folder) if rotation_group(info.reason) == group]
    removed: list[Path] = []
    for info in same[max(keep, 1):]:
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError:
            continue  # a copy that cannot be deleted is kept, not an error
        remove_quietly(digest_path(info.path))
    return removed


def clean_partials(folder: Path, prefix: str = "", older_than_seconds: float = 3600) -> None:
    """Remove ``.partial`` files left by a killed backup or restore (older than an hour)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - older_than_seconds
    for path in folder.iterdir():
        if path.name.startswith(prefix) and PARTIAL_SUFFIX in path.name and path.is_file():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# SHA-256 beside plain copies


def digest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + DIGEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_digest(backup: Path, sha256: str) -> Path:
    """``<backup>.sha256`` in ``sha256sum`` format, owner-only, written atomically."""
    target = digest_path(backup)
    partial = partial_name(target)
    private_new_file(partial)
    try:
        partial.write_text(f"{sha256}  {backup.name}\n", encoding="utf-8")
        commit_file(partial, target)
    except BaseException:
        remove_quietly(partial)
        raise
    return target


def recorded_digest(backup: Path) -> str | None:
    """The SHA-256 written beside ``backup``; None when there is no sidecar (an older copy).

    A sidecar that cannot be read as one is an error: someone changed it.
    """
    sidecar = digest_path(backup)
    if not sidecar.is_file():
        return None
    try:
        first = sidecar.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"备份的校验文件“{sidecar.name}”读不出来：{exc}") from exc
    if not first or not re.fullmatch(r"[0-9a-fA-F]{64}", first[0]):
        raise BackupError(f"备份的校验文件“{sidecar.name}”内容不对，无法证明备份没有被改动过，不能用来恢复")
    return first[0].lower()
