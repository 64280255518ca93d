"""The files of backups: errors, owner-only files written atomically, and the encrypted format.

Every backup file is written under a ``.partial`` name, flushed to disk, then renamed: a crash
leaves either no file or a whole one, never a half-written file under a backup's name. Files
are created readable by their owner only (0o600) before any byte of the ledger goes in.

Encrypted backups (for USB sticks) use AES-256-GCM from the ``cryptography`` package in 1 MiB
chunks with a key derived from the password by scrypt; the layout is described at
:data:`MAGIC` below. 500 MB ledgers are encrypted and decrypted in constant memory.
"""

from __future__ import annotations

import hmac
import os
import secrets
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop_app.errors import ServiceError
from desktop_app.scratch import fsync_dir
from desktop_app.store.errors import friendly_write_error, write_problem

Progress = Callable[[int, int], None]

PARTIAL_SUFFIX = ".partial"
MIN_PASSWORD_LENGTH = 8


class BackupError(ServiceError):
    """A backup or restore that could not be done; nothing was changed. Chinese message."""


class PasswordNeededError(BackupError):
    """The backup file is encrypted and no password was given."""


class WrongPasswordError(BackupError):
    """The password does not open this backup file."""


# ---------------------------------------------------------------------------------------------
# Files: private, flushed, renamed into place


def private_new_file(path: Path) -> None:
    """Create (or empty) ``path`` readable by its owner only, before any data goes in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def private_dir(folder: Path) -> Path:
    """Make ``folder`` (if need be) and let only its owner in."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    return folder


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_file(partial: Path, final: Path) -> None:
    """Flush ``partial`` and rename it to ``final``: the name appears only for a whole file."""
    fsync_file(partial)
    os.replace(partial, final)
    fsync_dir(final.parent)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:  # gone already, or held open elsewhere: nothing more to do
            pass


def ro_uri(path: Path) -> str:
    return Path(os.path.abspath(path)).as_uri() + "?mode=ro"


def partial_name(target: Path) -> Path:
    """Where ``target`` is written before it is renamed into place (unique to this process)."""
    return target.with_name(f"{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def failure(prefix: str, exc: BaseException) -> BackupError:
    if write_problem(exc) is not None:
        return BackupError(f"{prefix}：{friendly_write_error(exc)}")
    return BackupError(f"{prefix}：{exc}")


# ---------------------------------------------------------------------------------------------
# Encrypted file format
#
# header (73 bytes, big-endian), authenticated as associated data of every chunk:
#   magic "ELBACKUP" | format version u16 = 1 | kdf u8 (1 = scrypt) | log2(N) u8 | r u8 | p u8
#   | salt 16 bytes | nonce prefix 7 bytes | chunk size u32 | password check 32 bytes
# then chunks: AES-256-GCM(plaintext chunk) + 16-byte tag, nonce = prefix | chunk number u32 |
# last-chunk flag u8 (the STREAM construction: chunks cannot be reordered, dropped or cut off).
# scrypt(password, salt, N, r, p) gives 64 bytes: the AES key, then the password check value,
# so that a wrong password is told apart from a damaged file.

MAGIC = b"ELBACKUP"
FORMAT_VERSION = 1
KDF_SCRYPT = 1
SCRYPT_LOG2_N = 17  # 128 MiB, about 0.3 s on a two-core laptop
SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_MEMORY = 1 << 30  # a file asking for more is damaged or hostile
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">8sHBBBB16s7sI32s")
HEADER_SIZE = _HEADER.size


@dataclass(frozen=True)
class _Header:
    version: int
    kdf: int
    log2_n: int
    r: int
    p: int
    salt: bytes
    nonce_prefix: bytes
    chunk_size: int
    check: bytes

    def pack(self) -> bytes:
        return _HEADER.pack(MAGIC, self.version, self.kdf, self.log2_n, self.r, self.p,
                            self.salt, self.nonce_prefix, self.chunk_size, self.check)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    # lazy: cryptography loads only for an encrypted backup (backup_format is imported at every start)
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    normalized = unicodedata.normalize("NFC", password).encode("utf-8")
    out = Scrypt(salt=salt, length=64, n=1 << log2_n, r=r, p=p).derive(normalized)
    return out[:32], out[32:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def _chunks(handle: BinaryIO, size: int) -> Iterator[tuple[int, bytes, bool]]:
    """(index, chunk, is last), reading one chunk ahead; an empty input gives one empty chunk."""
    index = 0
    current = handle.read(size)
    while True:
        following = handle.read(size)
        yield index, current, not following
        if not following:
            return
        current = following
        index += 1


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BackupError(f"备份密码至少要{MIN_PASSWORD_LENGTH}个字符（现在只有{len(password)}个）")


def encrypt_file(
    source: Path, target: Path, password: str, progress: Progress | None = None
) -> None:
    """Write ``source`` encrypted with ``password`` to ``target`` (via a ``.partial`` file)."""
    # lazy: cryptography loads only for an encrypted backup (backup_format is imported at every start)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check_password_strength(password)
    salt, prefix = secrets.token_bytes(16), secrets.token_bytes(7)
    key, check = _derive(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    header = _Header(FORMAT_VERSION, KDF_SCRYPT, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt,
                     prefix, CHUNK_SIZE, check).pack()
    aead = AESGCM(key)
    total = source.stat().st_size
    partial = partial_name(target)
    private_new_file(partial)
    try:
        with source.open("rb") as src, partial.open("wb") as out:
            out.write(header)
            done = 0
            for index, chunk, last in _chunks(src, CHUNK_SIZE):
                out.write(aead.encrypt(_nonce(prefix, index, last), chunk, header))
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        commit_file(partial, target)
    except BaseException:
        remove_quietly(partial)
        raise


def _read_header(handle: BinaryIO) -> tuple[_Header, bytes]:
    raw = handle.read(HEADER_SIZE)
    if len(raw) < HEADER_SIZE or raw[: len(MAGIC)] != MAGIC:
        raise BackupError("这不是加密的台账备份文件，或者文件开头已损坏")
    _magic, version, kdf, log2_n, r, p, salt, prefix, chunk_size, check = _HEADER.unpack(raw)
    if version > FORMAT_VERSION:
        raise BackupError(
            f"这个备份文件是更新版本的程序做的（加密格式第{version}版），请升级程序后再恢复")
    # bounds keep a damaged or hostile header from asking for gigabytes of memory
    if kdf != KDF_SCRYPT or not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16) \
            or 128 * r * (1 << log2_n) > MAX_SCRYPT_MEMORY or not (1024 <= chunk_size <= 64 << 20):
        raise BackupError("备份文件的开头已损坏（加密参数不对），无法解开")
    return _Header(version, kdf, log2_n, r, p, salt, prefix, chunk_size, check), raw


def decrypt_file(
    source: Path, target: Path, password: str, progress: Progress | None = None
) -> None:
    """Decrypt ``source`` into ``target``; every chunk is authenticated, a cut-off file is refused.

    Raises :class:`WrongPasswordError` or :class:`BackupError`; ``target`` is removed on failure.
    """
    # lazy: cryptography loads only for an encrypted backup (backup_format is imported at every start)
    from cryptography.exceptions import InvalidTag
    # lazy: cryptography loads only for an encrypted backup (backup_format is imported at every start)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    total = source.stat().st_size
    private_new_file(target)
    try:
        with source.open("rb") as src, target.open("wb") as out:
            header, raw = _read_header(src)
            key, check = _derive(password, header.salt, header.log2_n, header.r, header.p)
            if not hmac.compare_digest(check, header.check):
                raise WrongPasswordError(
                    "密码不正确，无法解开这个备份文件。请确认密码（区分大小写）后再试。")
            aead = AESGCM(key)
            done = HEADER_SIZE
            for index, chunk, last in _chunks(src, header.chunk_size + TAG_SIZE):
                try:
                    out.write(aead.decrypt(_nonce(header.nonce_prefix, index, last), chunk, raw))
                except InvalidTag:
                    where = "结尾不完整（文件被截断）" if last else f"第{index + 1}段内容校验失败"
                    raise BackupError(f"备份文件已损坏：{where}。请换一份备份恢复。") from None
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    except BaseException:
        remove_quietly(target)
        raise

