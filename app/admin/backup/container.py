"""A backup file and the proof it carries: a zip holding ``manifest.json`` and the database.

The manifest says what the file should hold (format version, application version, schema
revision, which kind of database, the center, when, how many rows each table has) and the
SHA-256 and size of the database inside, so a cut or damaged file is found before anything is
restored. A file is written under a hidden ``.partial`` name and renamed when complete: a backup
killed half-way leaves no file that looks like a backup.

Backups made before manifests existed (a bare SQLite file, a bare ``pg_dump`` archive) still
read, as legacy backups: they are checked from their content only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.errors import N_, InvalidInput

FORMAT = "repairfloor-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
KIND_NAMES = {"sqlite": N_("a SQLite database (one PC)"), "postgresql": N_("PostgreSQL")}


@dataclass
class Manifest:
    app_version: str
    schema_revision: str
    database: str  # "sqlite" or "postgresql"
    center_id: str | None
    center_name: str
    created_at: str  # ISO 8601, UTC
    tables: dict[str, int]  # rows per table
    payload_sha256: str = ""
    payload_size: int = 0
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, path: Path) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("not ours")
            if int(data["format_version"]) > FORMAT_VERSION:
                raise InvalidInput(
                    N_("{path} was written by a newer RepairFloor: update the program first."),
                    path=str(path),
                )
            known = {name for name in cls.__dataclass_fields__}
            manifest = cls(**{k: v for k, v in data.items() if k in known})
            manifest.tables = {str(k): int(v) for k, v in manifest.tables.items()}
            if manifest.database not in PAYLOAD_NAMES:
                raise ValueError(manifest.database)
            return manifest
        except (ValueError, KeyError, TypeError, AttributeError):
            raise not_a_backup(path) from None


@dataclass
class BackupFile:
    """An opened backup: its manifest (None for a legacy file) and the kind of database inside."""

    path: Path
    kind: str
    manifest: Manifest | None

    @property
    def legacy(self) -> bool:
        return self.manifest is None


def not_a_backup(path: Path) -> InvalidInput:
    return InvalidInput(N_("{path} is not a RepairFloor backup."), path=str(path))


def damaged(path: Path, detail: str) -> InvalidInput:
    return InvalidInput(
        N_("{path} is damaged or incomplete ({detail}): it cannot be restored."),
        path=str(path),
        detail=detail,
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_backup(path: Path) -> BackupFile:
    """Read what ``path`` claims to be, without checking its database yet."""
    if not path.is_file():
        raise InvalidInput(N_("{path} does not exist."), path=str(path))
    with path.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return BackupFile(path, "sqlite", None)
    if head.startswith(PGDUMP_MAGIC):
        return BackupFile(path, "postgresql", None)
    if not head.startswith(b"PK"):
        raise not_a_backup(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = Manifest.from_json(archive.read(MANIFEST_NAME).decode("utf-8"), path)
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError, EOFError):
        # A zip keeps its table of contents at the end: a cut file has none.
        raise damaged(path, "no complete table of contents") from None
    return BackupFile(path, manifest.database, manifest)


def extract_payload(backup: BackupFile, target: Path) -> Path:
    """Copy the database inside ``backup`` to ``target`` and check its size and SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if backup.manifest is None:
        shutil.copyfile(backup.path, target)
        return target
    try:
        with zipfile.ZipFile(backup.path) as archive:
            with archive.open(PAYLOAD_NAMES[backup.kind]) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        target.unlink(missing_ok=True)
        raise damaged(backup.path, type(error).__name__) from None
    size, digest = target.stat().st_size, sha256_of(target)
    if size != backup.manifest.payload_size or digest != backup.manifest.payload_sha256:
        target.unlink(missing_ok=True)
        raise damaged(backup.path, "the database inside does not match its SHA-256")
    return target


def write_backup(destination: Path, manifest: Manifest, payload: Path) -> Path:
    """Write ``payload`` and its manifest to ``destination``, complete or not at all."""
    manifest.payload_size = payload.stat().st_size
    manifest.payload_sha256 = sha256_of(payload)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_name(destination)
    compression = zipfile.ZIP_DEFLATED if manifest.database == "sqlite" else zipfile.ZIP_STORED
    with zipfile.ZipFile(partial, "w", compression=compression, compresslevel=1) as archive:
        archive.writestr(MANIFEST_NAME, manifest.to_json())
        archive.write(payload, PAYLOAD_NAMES[manifest.database])
    durable_replace(partial, destination)
    return destination


def partial_name(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.partial")


def durable_replace(source: Path, destination: Path) -> None:
    """Rename ``source`` over ``destination`` after both the data and the rename reach the disk."""
    with source.open("rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(source, destination)
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make the rename itself durable
        descriptor = os.open(destination.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
