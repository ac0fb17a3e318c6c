"""The three scan sounds (ok / warning / refused), played through ``QSoundEffect``.

The WAV files are made by ``resources/sounds/make_sounds.py``. The volume is this station's
setting (``ui.settings.SOUND_VOLUME``, 0 = off), read at every play so a change applies at once.
Where QtMultimedia cannot load (no audio library on the PC) a warning or a refusal still beeps.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from resources import SOUNDS_DIR
from ui.settings import SOUND_VOLUME

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

    from ui.widgets.feedback import Outcome

log = logging.getLogger(__name__)

# The file of each kind of result (the enum's value: ok / warning / error).
SOUND_FILES = {"ok": "ok.wav", "warning": "warning.wav", "error": "refused.wav"}
VOLUME_CHOICES = (0, 30, 60, 100)  # off, low, medium, loud (percent)


def sound_path(outcome: Outcome) -> str:
    return str(SOUNDS_DIR / SOUND_FILES[outcome.value])


class Sounds(QObject):
    """One ``QSoundEffect`` per kind, loaded once; ``last`` is the file played last (tests)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanSounds")
        self.last: str | None = None
        self._effects: dict[str, QSoundEffect] | None = None
        self._unavailable = False

    def _effect(self, outcome: Outcome) -> QSoundEffect | None:
        if self._unavailable:
            return None
        if self._effects is None:
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as error:  # no audio library on this PC: beeps instead
                log.warning("no scan sounds: %s", error)
                self._unavailable = True
                return None
            self._effects = {}
            for value, name in SOUND_FILES.items():
                effect = QSoundEffect(self)
                effect.setObjectName(f"sound_{value}")
                effect.setSource(QUrl.fromLocalFile(str(SOUNDS_DIR / name)))
                self._effects[value] = effect
        return self._effects[outcome.value]

    def play(self, outcome: Outcome) -> None:
        volume = SOUND_VOLUME.get()
        if volume <= 0:
            self.last = None
            return
        self.last = sound_path(outcome)
        effect = self._effect(outcome)
        if effect is None:
            if outcome.value != "ok":
                QApplication.beep()
            return
        effect.setVolume(min(volume, 100) / 100)
        effect.play()


_SOUNDS: Sounds | None = None


def sounds() -> Sounds:
    """The application's sounds (made on first use, owned by the QApplication)."""
    global _SOUNDS
    if _SOUNDS is None:
        _SOUNDS = Sounds(QApplication.instance())
    return _SOUNDS
