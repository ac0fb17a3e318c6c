"""Domain errors: every refusal the floor can meet, with a message fit for the floor.

A message is an English source template plus parameters. ``str(error)`` gives the English text
(CLI, logs); the Qt layer translates the template through Qt's translation system (context
``DomainError``) and then fills in the parameters, so the floor reads it in Chinese.
"""

from __future__ import annotations

from typing import Any


def N_(text: str) -> str:
    """Mark a string for translation without translating it (read by the translation extractor)."""
    return text


class DomainError(Exception):
    """A request the rules refuse. Nothing was written when this is raised."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message())

    def message(self, translate: Any = None) -> str:
        template = translate(self.template) if translate else self.template
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template


class NotFound(DomainError):
    """The thing asked for does not exist."""


class InvalidInput(DomainError):
    """Malformed input: the user must correct it."""


class IllegalTransition(DomainError):
    """The repair order is not in a state that allows this step."""


class PermissionDenied(DomainError):
    """The signed-in user's roles do not allow this operation."""


class AuthenticationFailed(DomainError):
    """Wrong user name or password, or a disabled / locked account."""


class Conflict(DomainError):
    """Someone else changed the same record first, or a unique value is taken."""
