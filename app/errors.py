"""Domain errors: every refusal the floor can meet, with a message fit for the floor.

A message is an English source template plus parameters. ``str(error)`` gives the English text
(CLI, logs); the Qt layer translates the template through Qt's translation system (context
``app``) and then fills in the parameters, so the floor reads it in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Translatable(str):
    """A source string marked for translation; translated when shown, not when created."""

    __slots__ = ()


def N_(text: str) -> Translatable:
    """Mark a string for translation without translating it (read by the translation extractor)."""
    return Translatable(text)


class DomainError(Exception):
    """A request the rules refuse. Nothing was written when this is raised."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message())

    def message(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, translated by ``translate`` (source text → shown text) when given."""
        return fill_message(self.template, self.params, translate)


def fill_message(
    template: str, params: dict[str, Any], translate: Callable[[str], str] | None = None
) -> str:
    """``template`` with ``params`` filled in, translated by ``translate`` when given.

    Parameters that are themselves marked strings (state names, actions) are translated too;
    lists of them are joined.
    """

    def shown(value: Any) -> Any:
        if isinstance(value, Translatable):
            return translate(value) if translate else str(value)
        if isinstance(value, list | tuple | set | frozenset):
            return (", " if translate is None else "、").join(str(shown(v)) for v in value)
        return value

    text = translate(template) if translate else template
    try:
        return text.format(**{key: shown(value) for key, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


class NotFound(DomainError):
    """The thing asked for does not exist."""


class InvalidInput(DomainError):
    """Malformed input: the user must correct it."""


class IllegalTransition(DomainError):
    """The repair order is not in a state that allows this step."""


class PermissionDenied(DomainError):
    """The signed-in user's roles do not allow this operation."""


class SignedOut(PermissionDenied):
    """The signed-in person was disabled or their roles changed since they signed in: nothing was
    saved, and the station must sign in again."""


class AuthenticationFailed(DomainError):
    """Wrong user name or password, or a disabled / locked account."""


class ClockWrong(DomainError):
    """This station's clock is too far from the server's (or was set back): set it right first."""


class Conflict(DomainError):
    """Someone else changed the same record first, or a unique value is taken."""


class NotSaved(DomainError):
    """The database could not take the change (not a refusal of the rules): nothing was saved,
    and what was scanned or typed is kept so the same action can be tried again."""


class Unavailable(NotSaved):
    """The database (server) cannot be reached: nothing was saved; try again later."""


class Busy(NotSaved):
    """Another station holds the record or the database a moment too long (SQLite's "database is
    locked", PostgreSQL's lock timeout or serialization failure): nothing was saved; try again."""


class StorageFull(NotSaved):
    """The disk holding the database is full: nothing was saved; free disk space first."""
