"""Backups of the whole database that carry their own proof (a manifest), a check of a backup that
touches no database, a restore that never writes over the live database, and the move of a PC's
SQLite database to the center's PostgreSQL server.

- ``container``: the file (a zip of ``manifest.json`` and the database) and its manifest;
- ``making``: writing backups, the daily one and its rotation, the one before an upgrade;
- ``restoring``: ``verify`` (no database touched) and ``restore`` (new database, check, switch);
- ``sqlite_files`` / ``postgres``: what each kind of database does;
- ``identity``: which center a database belongs to;
- ``moving``: SQLite → PostgreSQL.
"""

from __future__ import annotations

from app.admin.backup.container import BackupFile, Manifest, open_backup
from app.admin.backup.making import (
    BACKUP_PATTERN,
    backup,
    backup_before_upgrade,
    daily_backup,
    default_backup_name,
    rotate,
)
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
    "daily_backup",
    "default_backup_name",
    "open_backup",
    "restore",
    "rotate",
    "verify",
]
