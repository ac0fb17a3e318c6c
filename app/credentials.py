"""Where this station keeps the PostgreSQL password: never in its settings file, never in a
process's command line.

The password goes to the operating system's keyring (``keyring``: Windows Credential Manager,
macOS Keychain, the Secret Service of a Linux desktop). Where there is none (a headless PC, CI),
it goes to ``pgpass`` in the data dir instead: PostgreSQL's own password-file format
(``host:port:database:user:password``), mode 0600, which ``libpq`` tools read through
``PGPASSFILE``. The settings keep the URL without its password; :func:`with_password` puts it
back when the database is opened (``Database.url`` then holds it, and ``app.admin.backup``
hands it to ``pg_dump``/``pg_restore`` in ``PGPASSWORD``, never on their command line).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.config import data_dir
from app.private_files import write_private

KEYRING_SERVICE = "RepairFloor PostgreSQL"
PGPASS_FILE_NAME = "pgpass"
DEFAULT_PORT = 5432

log = logging.getLogger(__name__)


def pgpass_file() -> Path:
    return data_dir() / PGPASS_FILE_NAME


def _account(url: URL) -> str:
    """Which password this is: the user at a server's database (never the password itself)."""
    return f"{url.username or ''}@{url.host or ''}:{url.port or DEFAULT_PORT}/{url.database or ''}"


def _is_server(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def store(url_text: str) -> str:
    """Keep the password of ``url_text`` (a PostgreSQL URL) in the keyring, or in the pgpass file
    when there is no keyring; returns the URL without its password, the form fit for a settings
    file. Any other URL comes back as it was."""
    try:
        url = make_url(url_text)
    except ArgumentError:
        return url_text
    if not _is_server(url) or url.password is None:
        return url_text
    password = str(url.password)
    if _keyring_set(_account(url), password):
        _pgpass_forget(url)  # kept once, in the safer place
    else:
        _pgpass_put(url, password)
    return without_password(url).render_as_string(hide_password=False)


def without_password(url: URL) -> URL:
    """``url`` with no password (``URL.set(password=None)`` keeps it: None means "unchanged")."""
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )


def stored_password(url: URL) -> str | None:
    """The password kept for ``url``'s user, server and database, or None."""
    return _keyring_get(_account(url)) or _pgpass_get(url)


def with_password(url_text: str) -> str:
    """``url_text`` with the password kept for it filled in (for opening the database): unchanged
    when it has a password already, is not a server's, or none is kept."""
    try:
        url = make_url(url_text)
    except ArgumentError:
        return url_text
    if not _is_server(url) or url.password is not None:
        return url_text
    password = stored_password(url)
    if password is None:
        return url_text
    return url.set(password=password).render_as_string(hide_password=False)


def forget(url_text: str) -> None:
    """Remove the password kept for ``url_text``, from the keyring and from the pgpass file."""
    url = make_url(url_text)
    _keyring_delete(_account(url))
    _pgpass_forget(url)


# --- the keyring --------------------------------------------------------------------------------
# A backend may fail in many ways (no keyring at all, a locked one, D-Bus gone): each is "no keyring
# here", and the pgpass file takes over.


def _keyring_set(account: str, password: str) -> bool:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, account, password)
        return True
    except Exception as error:  # any backend failure means: use the file
        log.info(
            "no usable keyring (%s): the password goes to the pgpass file", type(error).__name__
        )
        return False


def _keyring_get(account: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, account)
    except Exception:
        return None


def _keyring_delete(account: str) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, account)
    except Exception:  # nothing kept there, or no keyring
        pass


# --- the pgpass file ----------------------------------------------------------------------------


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def _split(line: str) -> list[str]:
    """A pgpass line's five fields (``\\:`` and ``\\\\`` escaped, as libpq reads them)."""
    fields, current, escaped = [], [], False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def _key(url: URL) -> list[str]:
    return [
        url.host or "localhost",
        str(url.port or DEFAULT_PORT),
        url.database or "*",
        url.username or "*",
    ]


def _pgpass_lines() -> list[str]:
    path = pgpass_file()
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8").splitlines()


def _matches(fields: list[str], key: list[str]) -> bool:
    return len(fields) == 5 and all(f in ("*", k) for f, k in zip(fields[:4], key, strict=True))


def _pgpass_get(url: URL) -> str | None:
    key = _key(url)
    for line in _pgpass_lines():
        if line.startswith("#"):
            continue
        fields = _split(line)
        if _matches(fields, key):
            return fields[4]
    return None


def _pgpass_write(lines: list[str]) -> None:
    write_private(pgpass_file(), "".join(f"{line}\n" for line in lines))


def _pgpass_put(url: URL, password: str) -> None:
    key = _key(url)
    kept = [line for line in _pgpass_lines() if _split(line)[:4] != key]
    _pgpass_write([":".join(_escape(field) for field in [*key, password]), *kept])


def _pgpass_forget(url: URL) -> None:
    lines = _pgpass_lines()
    kept = [line for line in lines if _split(line)[:4] != _key(url)]
    if kept != lines:
        _pgpass_write(kept)


# --- other secrets (a text-message provider's key) ----------------------------------------------
# Kept like the database password: in the keyring, else in a 0600 file of the data dir; never in
# the settings table, which every station and every backup reads.
SECRETS_SERVICE = "RepairFloor secrets"
SECRETS_FILE_NAME = "secrets.json"


def _secrets_file() -> Path:
    return data_dir() / SECRETS_FILE_NAME


def _file_secrets() -> dict[str, str]:
    import json

    path = _secrets_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def store_secret(name: str, value: str) -> None:
    """Keep ``value`` under ``name`` on this station (an empty value forgets it)."""
    import json

    kept = _file_secrets()
    kept.pop(name, None)
    if value:
        try:
            import keyring

            keyring.set_password(SECRETS_SERVICE, name, value)
        except Exception:  # no usable keyring: the private file
            kept[name] = value
    else:
        try:
            import keyring

            keyring.delete_password(SECRETS_SERVICE, name)
        except Exception:
            pass
    write_private(_secrets_file(), json.dumps(kept))


def secret(name: str) -> str | None:
    """The secret kept under ``name`` on this station, or None."""
    try:
        import keyring

        found = keyring.get_password(SECRETS_SERVICE, name)
        if found:
            return found
    except Exception:
        pass
    return _file_secrets().get(name)
