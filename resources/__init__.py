"""Data files shipped with the application: translations, icons (an installed package, so the
UI finds them next to this file wherever RepairFloor is installed)."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).parent
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
ICONS_DIR = RESOURCES_DIR / "icons"
SOUNDS_DIR = RESOURCES_DIR / "sounds"  # made by sounds/make_sounds.py
