"""Reading inputs with bounds, and writing outputs so that no reader ever sees half a file.

Every file a rapporteur hands us (manifest, transcripts, codebook, curation) is read
through :func:`read_limited`: it must be a regular file, and no more than a stated
number of bytes is ever read, whatever the file system says its size is
(``/dev/zero`` reports 0 bytes and never ends; a FIFO never opens without a writer).

Every file we write that a later build reads back (the cache) goes through
:func:`write_atomic`: a temporary file in the same folder, flushed, then renamed,
so a full disk or a kill leaves the old file or the new one, never a torn one.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Type, Union

from .errors import InputError

KB = 1024
MB = 1024 * KB

#: Largest manifest, codebook and curation file we read. Each is a few kilobytes.
MAX_YAML_BYTES = 2 * MB


def read_limited(path: Union[str, Path], limit: int, error: Type[InputError] = InputError,
                 what: str = "file") -> bytes:
    """Return the bytes of the regular file ``path``, refusing anything else or anything over ``limit``.

    Parameters
    ----------
    path : str or Path
        The file to read (symbolic links are followed; where they may lead is the caller's check).
    limit : int
        The most bytes the file may hold.
    error : type
        The :class:`~outcomes.errors.InputError` subclass to raise.
    what : str
        What the file is, for messages ("transcript", "curation file").

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        Of type ``error``: when the file is missing, a folder, a device, a FIFO or a
        socket, cannot be read, or holds more than ``limit`` bytes.
    """
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise error("does not exist", path) from exc
    except IsADirectoryError as exc:
        raise error(f"is a folder, not a {what}", path) from exc
    except PermissionError as exc:
        raise error("cannot be read (permission denied)", path) from exc
    except OSError as exc:
        raise error(f"cannot be opened ({exc.strerror})", path) from exc
    try:
        # checked before fdopen, which refuses a folder itself (and would leak the descriptor)
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(f"is a folder, not a {what}", path)
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise error(f"is {kind}, not a regular file; give the {what} as a file", path)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        os.set_blocking(fd, True)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"cannot be read ({exc.strerror})", path) from exc
    if len(data) > limit:
        raise error(f"is larger than {describe_size(limit)}, the most a {what} may hold; "
                    "check that it is the right file, or split it", path)
    return data


def describe_size(size: int) -> str:
    """Return a byte count as "50 MB", "2 MB" or "900 KB"."""
    if size >= MB:
        return f"{size / MB:g} MB"
    return f"{size / KB:g} KB"


def write_atomic(path: Union[str, Path], data: Union[bytes, str]) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Parameters
    ----------
    path : str or Path
        Where the file goes; its folder is created.
    data : bytes or str
        The content (text is written as UTF-8).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    return path


def copy_atomic(source: Union[str, Path], target: Union[str, Path]) -> Path:
    """Copy ``source`` to ``target`` so that ``target`` is never seen half-written."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    return target


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
