"""The output folder: which folders a report may go to, one build at a time, and an atomic swap.

The rule (the README states it for users):

- the output is resolved first (``--output .`` and symbolic links included), and it
  must be a folder that is missing, empty, or a report outcomes published before,
  recognised by its :data:`MARKER` file, which lists every file of the report;
- it may not be the conference folder, contain it, hold any of its input files,
  be the current folder or contain it;
- a previous report holding a file outcomes did not write is refused, naming the file:
  outcomes deletes only files it wrote, and publishes nothing rather than mix them.

A build holds an exclusive lock beside the output (:func:`locked`) from the moment it
checks the folder to the moment it has published, so two builds never trample each
other's staging folder. Everything is written to a staging folder beside the output
(:func:`staged`, which removes it if the build fails) and moved in with two renames
(:func:`publish`); :func:`recover` undoes the first rename when a build was killed
between the two.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Set

from .errors import BusyError, OutputError, StorageError

#: Written last into every published report: what wrote it and every file it holds.
MARKER = ".outcomes-report"
STAGING_MARKER = ".outcomes-staging"
FAILED_MARKER = ".outcomes-failed"
# What the reports of outcomes 0.1 (before the marker) held besides manifest.json's outputs.
_LEGACY_PATTERNS = ("analyses/*.json", "notebooks/*.ipynb", "sessions/*.html")


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def resolve_output(output, conference_root: Path, inputs: Iterable[Path]) -> Path:
    """Return the real path a report may be published to, or refuse it.

    Parameters
    ----------
    output : str or Path
        The folder as the user named it.
    conference_root : Path
        The conference folder.
    inputs : iterable of Path
        Every input file of the build (manifest, transcripts, codebook, curation).

    Returns
    -------
    Path
        The resolved output folder (symbolic links followed).

    Raises
    ------
    OutputError
        When the output is or holds the conference, holds an input, is the current
        folder, is a file, lies under a file, or is an existing folder that is neither
        empty nor a report of outcomes.
    """
    named = str(output)
    try:
        real = Path(output).resolve()
    except (RuntimeError, OSError) as exc:  # a loop of symbolic links
        raise OutputError(f"cannot be resolved ({exc}); give a folder, not a loop of links", named) from None
    root = Path(conference_root).resolve()
    if real == root:
        raise OutputError(f"is the conference folder itself; publishing there would replace the manifest and "
                          f"transcripts. Give another --output, e.g. reports/{root.name}", named)
    if _under(root, real):
        raise OutputError(f"contains the conference folder {root}; publishing there would replace it. "
                          f"Give a folder of its own, e.g. --output reports/{root.name}", named)
    for source in inputs:
        if _under(Path(source).resolve(), real):
            raise OutputError(f"holds the input file {source}; give an output folder that holds no input", named)
    here = Path.cwd().resolve()
    if _under(here, real):
        raise OutputError(f"is the current folder{'' if real == here else ' or contains it'}; give a folder of "
                          f"its own for the report, e.g. --output reports/{root.name}", named)
    existing = real
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != real and not existing.is_dir():
        raise OutputError(f"cannot be created: {existing} is a file, not a folder", named)
    if real.exists() and not real.is_dir():
        raise OutputError("is a file, not a folder; give a folder for the report", named)
    if real.is_dir():
        check_replaceable(real, named)
    return real


def written_files(folder: Path) -> Optional[Set[str]]:
    """Return the files (relative, POSIX) outcomes wrote into a published report, or None if it is not one."""
    marker = folder / MARKER
    try:
        if marker.is_file() and not marker.is_symlink():
            record = json.loads(marker.read_text(encoding="utf-8"))
            if record.get("tool") == "outcomes" and isinstance(record.get("files"), list):
                return {str(f) for f in record["files"]} | {MARKER}
            return None
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or "report_key" not in manifest:
        return None
    # a report published before the marker existed: manifest.json names its top-level files
    files = {str(o.get("path")) for o in manifest.get("outputs", []) if isinstance(o, dict)} | {"manifest.json"}
    for pattern in _LEGACY_PATTERNS:
        files.update(p.relative_to(folder).as_posix() for p in folder.glob(pattern) if p.is_file())
    return files


def _contents(folder: Path) -> List[str]:
    """Return every entry below ``folder`` that is not a folder (files, links, devices), relative."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_dir():
            found.append(path.relative_to(folder).as_posix())
    return found


def check_replaceable(folder: Path, named: Optional[str] = None) -> Set[str]:
    """Return the files of ``folder`` that a new report may replace, or refuse the folder.

    Raises
    ------
    OutputError
        When ``folder`` is neither empty nor a report of outcomes, or when it is a
        report that also holds files outcomes did not write (they are named).
    """
    named = named or str(folder)
    present = _contents(folder)
    if not present and not any(folder.iterdir()):
        return set()
    known = written_files(folder)
    if known is None:
        shown = ", ".join(present[:3]) + (f" and {len(present) - 3} more" if len(present) > 3 else "")
        raise OutputError(f"is a folder that outcomes did not write (it holds {shown or 'folders'}); outcomes "
                          "publishes only into a new or empty folder or over a report it published. "
                          "Give another --output", named)
    extra = [p for p in present if p not in known]
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise OutputError(f"is a previous report that also holds files outcomes did not write ({shown}); "
                          "outcomes will not delete them. Move them out of the folder, or give another --output",
                          named)
    return known


@contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``output`` (a file beside it) while the block runs.

    Raises
    ------
    BusyError
        When another build holds it.
    StorageError
        When the lock file cannot be created.
    """
    lock_path = output.parent / f".{output.name}.lock"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise storage_error(exc, lock_path) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BusyError(f"{output}: another outcomes build (process {holder}) is publishing to this folder; "
                            "wait for it to finish, or build into another --output") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays, so every build locks the same inode


def staging_dir(output: Path) -> Path:
    """Create and return this build's staging folder beside ``output``."""
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    if staging.exists():  # a killed build of a process that had our pid
        remove_ours(staging, STAGING_MARKER)
    staging.mkdir(parents=True)
    (staging / STAGING_MARKER).write_text("outcomes staging folder\n", encoding="utf-8")
    return staging


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Create this build's staging folder beside ``output`` (:func:`staging_dir`) and yield it.

    Publishing stays the block's explicit last step: the block calls
    ``publish(staging, output)``, which moves the folder into place and returns its
    warnings. Whatever leaves the block without publishing, an exception of any kind
    (``KeyboardInterrupt`` included) or a block that returns early, removes the
    staging folder; the published report is untouched. The exception goes on.

    Examples
    --------
    >>> with staged(output) as staging:  # doctest: +SKIP
    ...     (staging / "report.html").write_text(html)
    ...     warnings = publish(staging, output)
    """
    staging = staging_dir(output)
    try:
        yield staging
    finally:  # after publish() the folder has become the output, and there is nothing left to remove
        shutil.rmtree(staging, ignore_errors=True)


def failed_dir(output: Path) -> Path:
    """Return (and mark as ours) the folder that keeps a failed build's notebooks."""
    folder = output.parent / f"{output.name}.failed"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FAILED_MARKER).write_text("notebooks of the last failed outcomes build\n", encoding="utf-8")
    return folder


def clear_failed(output: Path) -> None:
    """Remove the last failure's notebooks after a good build, if the folder is ours."""
    folder = output.parent / f"{output.name}.failed"
    if (folder / FAILED_MARKER).is_file():
        for path in folder.glob("*.ipynb"):
            path.unlink()
        (folder / FAILED_MARKER).unlink()
        _remove_empty(folder)


def remove_ours(folder: Path, marker: str) -> bool:
    """Delete ``folder`` if it carries our ``marker`` (a staging folder); return whether it did."""
    if (folder / marker).is_file() and not folder.is_symlink():
        shutil.rmtree(folder)
        return True
    return False


def _remove_empty(folder: Path) -> None:
    """Remove ``folder`` and its subfolders when they hold nothing."""
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        try:
            sub.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass


def remove_report(folder: Path, known: Set[str]) -> List[str]:
    """Delete the files of a report outcomes wrote; return what was left because it was not ours."""
    left = []
    for relative in _contents(folder):
        if relative in known:
            (folder / relative).unlink()
        else:
            left.append(relative)
    _remove_empty(folder)
    return left


def mark(staging: Path) -> None:
    """Write :data:`MARKER` into ``staging``: the list of every file the report holds."""
    (staging / STAGING_MARKER).unlink()
    files = [p for p in _contents(staging) if p != MARKER]
    record = {"tool": "outcomes", "note": "written by outcomes; it replaces or deletes only the files listed here",
              "files": files}
    (staging / MARKER).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def publish(staging: Path, output: Path) -> List[str]:
    """Move ``staging`` into place as ``output``, keeping the old report until the new one is there.

    Returns
    -------
    list of str
        Warnings: files found in the old report at the last moment that were not
        outcomes' (they are kept in ``.<name>.previous`` beside the output).
    """
    known = check_replaceable(output) if output.is_dir() else set()
    mark(staging)
    previous = output.parent / f".{output.name}.previous"
    if previous.exists():
        _discard_previous(previous)
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    if previous.exists():
        left = remove_report(previous, known)
        if left:
            return [f"{previous}: kept {', '.join(left[:5])}: not written by outcomes"]
    return []


def _discard_previous(previous: Path) -> None:
    known = written_files(previous)
    left = remove_report(previous, known or set())
    if left:
        raise OutputError(f"holds files outcomes did not write ({', '.join(left[:5])}); move them out", previous)


def recover(output: Path) -> None:
    """Restore the last published report if a build was killed between the two renames of :func:`publish`.

    Also removes staging folders that killed builds left (only folders carrying
    our staging marker; the caller holds the lock, so none is in use).
    """
    previous = output.parent / f".{output.name}.previous"
    if previous.is_dir() and not previous.is_symlink():
        if not output.exists():
            os.replace(previous, output)
        else:
            _discard_previous(previous)
    for stale in output.parent.glob(f".{output.name}.staging-*"):
        remove_ours(stale, STAGING_MARKER)


_ENVIRONMENT_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EROFS: "the file system is read-only: give an --output on a writable disk",
    errno.EACCES: "permission denied: give an --output you may write to",
    errno.EPERM: "operation not permitted: give an --output you may write to",
    errno.EFBIG: "a file grew past the size this system allows",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
}


def is_storage_problem(exc: OSError) -> bool:
    """Return True if ``exc`` says the disk refused a write (full, read-only, too large, forbidden)."""
    return exc.errno in _ENVIRONMENT_HINTS


def storage_error(exc: OSError, where: Optional[Path] = None) -> StorageError:
    """Return a one-line :class:`StorageError` for an ``OSError`` met while writing."""
    path = exc.filename or where or "output"
    reason = exc.strerror or type(exc).__name__
    hint = _ENVIRONMENT_HINTS.get(exc.errno)
    return StorageError(f"{path}: {reason}" + (f": {hint}" if hint else "") +
                        ". The published report, if any, is unchanged")
