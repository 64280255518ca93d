"""A package or return file on disk: a JSON document, compressed, in the backups' encrypted format.

The encryption is :func:`desktop_app.services.backup_format.encrypt_file` (AES-256-GCM in
authenticated chunks, key by scrypt): a wrong password, an altered byte or a cut-off file is
refused before anything is read. The plain text exists only in this process's private scratch
folder, for the moment of encrypting or decrypting.
"""

from __future__ import annotations

import gzip
import json
import secrets
from pathlib import Path

from desktop_app import scratch
from desktop_app.services.backup_format import (
    BackupError,
    WrongPasswordError,
    decrypt_file,
    encrypt_file,
    private_new_file,
    remove_quietly,
)
from desktop_app.services.packages.model import (
    PackageDamagedError,
    PackageError,
    PackagePasswordError,
)

#: A pairing code's characters: no 0/O, 1/I/L, that a doctor might misread from a printed slip.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
FORMAT_VERSION = 1


def make_pairing_code() -> str:
    """A short code that is the file's password: ``K7PM-3XQD-9T`` (dashes and case do not matter)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch not in "- \t")


def looks_like_code(text: str) -> bool:
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def write_document(document: dict, target: Path, password: str) -> None:
    """``document`` as compressed JSON, encrypted with ``password``, to ``target`` (whole or not at all)."""
    plain = scratch.new_path("pack", ".json.gz")
    try:
        private_new_file(plain)
        with gzip.open(plain, "wb", compresslevel=5) as out:
            out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        try:
            encrypt_file(plain, target, password)
        except BackupError as exc:
            raise PackageError(str(exc).replace("备份", "工作包")) from exc
    finally:
        remove_quietly(plain)


def read_document(source: Path, password: str, kind: str) -> dict:
    """The document in ``source``; ``kind`` is ``"ledgerpack"`` or ``"ledgerreturn"``.

    A pairing code is read whatever its case and dashes. Raises :class:`PackagePasswordError`,
    :class:`PackageDamagedError` (not such a file, altered, cut off) in words a doctor understands.
    """
    what = "工作包" if kind == "ledgerpack" else "交回文件"
    if not source.is_file():
        raise PackageError(f"找不到{what}“{source}”")
    attempts = [password]
    if looks_like_code(password) and normalize_code(password) != password:
        attempts.append(normalize_code(password))
    plain = scratch.new_path("pack", ".json.gz")
    try:
        for index, attempt in enumerate(attempts):
            try:
                decrypt_file(source, plain, attempt)
                break
            except WrongPasswordError:
                if index == len(attempts) - 1:
                    raise PackagePasswordError(
                        f"密码（配对码）不正确，打不开这个{what}。请核对纸条上的配对码或密码（区分大小写）后再试。"
                    ) from None
            except BackupError as exc:
                raise PackageDamagedError(
                    f"这个{what}已损坏或不完整，不能使用：{str(exc).replace('备份文件', '文件')}") from None
        try:
            with gzip.open(plain, "rb") as handle:
                document = json.loads(handle.read().decode("utf-8"))
        except (OSError, EOFError, ValueError) as exc:
            raise PackageDamagedError(f"这个{what}的内容读不出来（{exc}），不能使用") from None
    finally:
        remove_quietly(plain)
    found = document.get("format") if isinstance(document, dict) else None
    if found != kind:
        other = {"ledgerpack": "工作包", "ledgerreturn": "交回文件"}.get(str(found), "别的文件")
        raise PackageDamagedError(f"这不是{what}（它是{other}）")
    if int(document.get("version", 0)) > FORMAT_VERSION:
        raise PackageError(f"这个{what}是更新版本的程序做的，请升级程序后再打开")
    return document
