"""The three scan sounds (ok / warning / refused), played through ``QSoundEffect``.

The WAV files are made by ``resources/sounds/make_sounds.py``. The volume is this station's
setting (``ui.settings.SOUND_VOLUME``, 0 = off), read at every play so a change applies at once.
Where QtMultimedia cannot load (no audio library on the PC) a warning or a refusal still beeps.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
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
MULTIMEDIA = "PySide6.QtMultimedia"
WARM_UP_GAP_MS = 50  # between two effects made ahead: the window's own work goes first


def sound_path(outcome: Outcome) -> str:
    return str(SOUNDS_DIR / SOUND_FILES[outcome.value])


class Sounds(QObject):
    """One ``QSoundEffect`` per kind, made once; ``last`` is the file played last (tests).

    The first effect made starts the audio backend (15-20 ms of UI thread; at the first play it
    was half of the first scan's result); ``warm_up`` makes them in an idle moment, one per turn
    of the event loop, once QtMultimedia is imported (off the UI thread, ui/preload.py)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanSounds")
        self.last: str | None = None
        self._effects: dict[str, QSoundEffect] = {}
        self._unavailable = False
        self._warming = False

    def _effect(self, outcome: Outcome) -> QSoundEffect | None:
        return self._made(outcome.value)

    def _made(self, value: str) -> QSoundEffect | None:
        """The effect of ``value`` (ok / warning / error), made now if it was not yet."""
        if self._unavailable:
            return None
        effect = self._effects.get(value)
        if effect is None:
            from PySide6.QtCore import QUrl  # with the first effect: the window shows without it

            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as error:  # no audio library on this PC: beeps instead
                log.warning("no scan sounds: %s", error)
                self._unavailable = True
                return None
            effect = QSoundEffect(self)
            effect.setObjectName(f"sound_{value}")
            effect.setSource(QUrl.fromLocalFile(str(SOUNDS_DIR / SOUND_FILES[value])))
            self._effects[value] = effect
        return effect

    @property
    def made(self) -> frozenset[str]:
        """The kinds whose effect is made."""
        return frozenset(self._effects)

    def warm_up(self) -> None:
        """Make the effects not made yet, one per turn of the event loop, if sounds are on and
        QtMultimedia is already imported (else the first play of each makes it)."""
        if self._unavailable or SOUND_VOLUME.get() <= 0 or MULTIMEDIA not in sys.modules:
            return
        left = [value for value in SOUND_FILES if value not in self._effects]
        self._warming = bool(left)

        def make_next() -> None:
            if left:
                self._made(left.pop(0))
            if left:
                QTimer.singleShot(WARM_UP_GAP_MS, self, make_next)
            else:
                self._warming = False

        QTimer.singleShot(0, self, make_next)

    @property
    def warming_up(self) -> bool:
        """Effects are still being made ahead (``warm_up``)."""
        return self._warming

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
