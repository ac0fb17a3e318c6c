"""Backups of the whole database that carry their own proof (a manifest), a check of a backup that
touches no database, a restore that never writes over the live database, and the move of a PC's
SQLite database to the center's PostgreSQL server.

- ``container``: the file (a zip of ``manifest.json`` and the database) and its manifest;
- ``making``: writing a backup, and the one before an upgrade;
- ``daily``: the daily backup, its second folder and rotation, the warning when it is old;
- ``restoring``: ``verify`` (no database touched) and ``restore`` (new database, check, switch);
- ``sqlite_files`` / ``postgres``: what each kind of database does;
- ``identity``: which center a database belongs to;
- ``moving``: SQLite → PostgreSQL.
"""

from __future__ import annotations

from app.admin.backup.container import BackupFile, Manifest, open_backup
from app.admin.backup.daily import (
    BACKUP_PATTERN,
    backup_is_stale,
    daily_backup,
    newest_backup,
    rotate,
)
from app.admin.backup.making import backup, backup_before_upgrade, default_backup_name
from app.admin.backup.restoring import Checked, ForeignBackup, Restored, restore, verify

__all__ = [
    "BACKUP_PATTERN",
    "BackupFile",
    "Checked",
    "ForeignBackup",
    "Manifest",
    "Restored",
    "backup",
    "backup_before_upgrade",
    "backup_is_stale",
    "daily_backup",
    "default_backup_name",
    "newest_backup",
    "open_backup",
    "restore",
    "rotate",
    "verify",
]
