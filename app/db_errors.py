"""What a failed database call means for the person at the station: three different answers.

* :class:`~app.errors.Unavailable`: the server cannot be reached (network, server down, a
  connection that broke); wait for the connection and scan again.
* :class:`~app.errors.Busy`: another station held the database (SQLite's "database is locked"
  after the busy timeout) or the row (PostgreSQL's lock timeout, a serialization failure or a
  deadlock) a moment too long; simply try again.
* :class:`~app.errors.StorageFull`: the disk holding the database is full (SQLite's SQLITE_FULL,
  PostgreSQL's disk_full); nothing more can be saved until someone frees disk space.

In every case nothing was saved. ``app.db`` raises these from reads and writes alike.
"""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError, OperationalError

from app.errors import N_, Busy, NotSaved, StorageFull, Unavailable

UNAVAILABLE = N_(
    "The database cannot be reached (network or server down): nothing was saved. "
    "Keep the unit aside and scan it again when the connection is back."
)
BUSY = N_(
    "The database is busy with another station's change: nothing was saved. Try again in a moment."
)
STORAGE_FULL = N_(
    "The disk holding the database is full: nothing was saved. "
    "Free disk space (or call IT), then try again."
)

# SQLite's primary result codes (extended codes carry them in their low byte).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_FULL = 13
SQLITE_IOERR = 10
SQLITE_CANTOPEN = 14  # the folder (a network share) is gone
# PostgreSQL's SQLSTATEs: try again (serialization_failure, deadlock_detected,
# lock_not_available, query_canceled by statement_timeout, too_many_connections) ...
PG_BUSY_STATES = frozenset({"40001", "40P01", "55P03", "57014", "53300"})
# ... free disk space (disk_full) ...
PG_FULL_STATES = frozenset({"53100"})
# ... and the connection itself is gone (class 08, the server shutting down or starting up).
PG_UNAVAILABLE_CLASSES = ("08", "57P")


def not_saved(error: DBAPIError) -> NotSaved | None:
    """The floor's reading of a driver error, or None when it is none of the three (a bug, or a
    constraint the caller handles)."""
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        if primary in (SQLITE_BUSY, SQLITE_LOCKED):
            return Busy(BUSY)
        if primary == SQLITE_FULL:
            return StorageFull(STORAGE_FULL)
        if primary in (SQLITE_IOERR, SQLITE_CANTOPEN):
            return Unavailable(UNAVAILABLE)
        return None  # a bug (no such table, a syntax error...): the crash log's business
    state = getattr(original, "sqlstate", None)
    if state in PG_BUSY_STATES:
        return Busy(BUSY)
    if state in PG_FULL_STATES:
        return StorageFull(STORAGE_FULL)
    if isinstance(original, OSError) and original.errno == errno.ENOSPC:
        return StorageFull(STORAGE_FULL)
    if state and state.startswith(PG_UNAVAILABLE_CLASSES):
        return Unavailable(UNAVAILABLE)
    if error.connection_invalidated or (isinstance(error, OperationalError) and not state):
        return Unavailable(UNAVAILABLE)
    return None
