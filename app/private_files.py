"""The data dir holds customers' names, phones and addresses (the database, its backups, the
logs) and the database password's fallback file: only this PC's user may read any of it. The
folder is 0700, every file in it 0600 (POSIX; Windows keeps a user's profile private already).

The entry point calls :func:`keep_private` once: the process's umask makes every file it (and
its ``pg_dump``) creates private, and whatever an older version left readable is tightened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
PRIVATE_UMASK = 0o077
POSIX = os.name == "posix"


def make_private_dir(path: Path) -> Path:
    """``path`` created if missing, readable by this user only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0600 from its first byte on), replacing it atomically."""
    make_private_dir(path.parent)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        if POSIX:
            os.fchmod(file.fileno(), PRIVATE_FILE_MODE)  # an older partial file kept its mode
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)


def keep_private(root: Path) -> None:
    """From now on every file this process creates is private; ``root`` and what is in it are
    made private too (files an older version left readable by others)."""
    if not POSIX:
        return
    os.umask(PRIVATE_UMASK)
    make_private_dir(root)
    for folder, folders, files in os.walk(root):
        for name in folders:
            _tighten(Path(folder) / name, PRIVATE_DIR_MODE)
        for name in files:
            _tighten(Path(folder) / name, PRIVATE_FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    if not POSIX:
        return
    try:
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode) or status.st_uid != os.getuid():
            return  # not ours to change
        if stat.S_IMODE(status.st_mode) & ~mode:
            path.chmod(stat.S_IMODE(status.st_mode) & mode)
    except OSError:
        pass  # gone meanwhile, or a file system without modes
