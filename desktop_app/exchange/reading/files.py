"""A file's bytes, read safely: a regular file only, at most :data:`~.limits.MAX_FILE_BYTES`."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from desktop_app.exchange import guards
from desktop_app.exchange.limits import MAX_FILE_BYTES
from desktop_app.exchange.reading.sheet import UnreadableFileError

_MSG_MISSING = "找不到这个文件，可能已被移动、改名或删除。"
_MSG_NO_ACCESS = "没有权限读取这个文件，或者文件正被其他程序占用。请关闭Excel/WPS后再试。"
_MSG_IO = "读取文件时出错（U盘或磁盘可能有问题，或文件已被删除）。请把文件复制到电脑上再试。"
_MSG_NOT_A_FILE = (
    "选中的不是一个普通文件（可能是文件夹、快捷方式指向的设备或管道），无法导入。"
    "请选择Excel表格或CSV文件。"
)


def read_file(file_path: Path, path: str | os.PathLike[str]) -> bytes:
    """The file's bytes: a regular file only (a pipe would block, /dev/zero never ends), and at
    most :data:`MAX_FILE_BYTES` of it."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if file_path.is_dir():
            raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path)
        fd = os.open(file_path, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise UnreadableFileError("missing", _MSG_MISSING, path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path) from None
    except PermissionError:
        raise UnreadableFileError("no_access", _MSG_NO_ACCESS, path=path) from None
    except (OSError, ValueError):  # a link loop, a name the system refuses, an I/O error
        raise UnreadableFileError("no_access", _MSG_IO, path=path) from None
    try:
        with open(fd, "rb", closefd=True) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path)
            if info.st_size > MAX_FILE_BYTES:
                raise UnreadableFileError("too_large", _msg_file_too_large(info.st_size), path=path)
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise UnreadableFileError("no_access", _MSG_IO, path=path) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we read it
        raise UnreadableFileError("too_large", _msg_file_too_large(len(data)), path=path)
    return data


def _msg_file_too_large(size: int) -> str:
    return guards.msg_too_large(
        f"文件有{size / (1 << 20):,.0f} MB，本程序一次最多读取{MAX_FILE_BYTES / (1 << 20):,.0f} MB"
    )
