"""Write the three scan sounds (ok.wav, warning.wav, refused.wav) next to this file.

Run ``python resources/sounds/make_sounds.py`` after changing a tone: the output is the same
bytes every time (no randomness, no time stamps), and tests/ui/test_feedback.py checks that the
files shipped are what this script makes. Made with the standard library only: 16-bit mono PCM,
short fade in and out so no tone clicks.

- ok: a short rising two-note chirp (880 Hz then 1320 Hz), 0.2 s — "done, next".
- warning: two mid beeps (660 Hz), 0.4 s — "done, but look".
- refused: a low falling buzz (a square-ish wave 392 → 196 Hz), 0.6 s — "not done".
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050
FADE_S = 0.008
# (start Hz, end Hz, seconds, harmonics weight for a buzzier tone); 0 Hz is silence
TONES: dict[str, list[tuple[float, float, float, float]]] = {
    "ok": [(880, 880, 0.09, 0.0), (1320, 1320, 0.11, 0.0)],
    "warning": [(660, 660, 0.14, 0.2), (0, 0, 0.08, 0.0), (660, 660, 0.14, 0.2)],
    "refused": [(392, 196, 0.6, 0.6)],
}
AMPLITUDE = 0.6


def samples(tones: list[tuple[float, float, float, float]]) -> list[int]:
    out: list[int] = []
    for start, end, seconds, buzz in tones:
        count = int(seconds * RATE)
        fade = int(FADE_S * RATE)
        phase = 0.0
        for i in range(count):
            frequency = start + (end - start) * i / count
            phase += 2 * math.pi * frequency / RATE
            value = math.sin(phase)
            if buzz:  # odd harmonics: nearer a square wave, harsher
                value += buzz * (math.sin(3 * phase) / 3 + math.sin(5 * phase) / 5)
                value /= 1 + buzz * (1 / 3 + 1 / 5)
            envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
            level = 0.0 if frequency == 0 else AMPLITUDE * envelope * value
            out.append(round(level * 32767))
    return out


def write(path: Path, values: list[int]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(values)}h", *values))


def make_all(folder: Path) -> list[Path]:
    written = []
    for name, tones in TONES.items():
        path = folder / f"{name}.wav"
        write(path, samples(tones))
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for written_path in make_all(target):
        print(written_path)
