"""A small PNG bar chart of daily median first-response minutes, with the target as a dashed line.

Drawn in pure Python (a bitmap, a 5×7 pixel font, ``zlib`` and ``struct`` for the PNG container):
no imaging library to install, and the same input always gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Sequence
from datetime import date

WIDTH, HEIGHT = 600, 240
Color = tuple[int, int, int]

BACKGROUND: Color = (255, 255, 255)
INK: Color = (51, 51, 51)
MUTED: Color = (140, 140, 140)
AXIS: Color = (200, 200, 200)
BAR: Color = (54, 121, 198)
LATE: Color = (230, 126, 34)  # a day whose median missed the target
TARGET: Color = (200, 30, 45)

# Plot area: title above, day labels below.
LEFT, RIGHT, TOP, BOTTOM = 16, WIDTH - 16, 52, HEIGHT - 40
TITLE = "MEDIAN FIRST RESPONSE, MINUTES"

_GLYPH_W, _GLYPH_H = 5, 7
# 5×7 glyphs, one string of 7 rows per character ("#" = ink). Lower case is drawn as upper case.
_FONT_ROWS = {
    "A": ".###. #...# #...# ##### #...# #...# #...#",
    "B": "####. #...# #...# ####. #...# #...# ####.",
    "C": ".###. #...# #.... #.... #.... #...# .###.",
    "D": "####. #...# #...# #...# #...# #...# ####.",
    "E": "##### #.... #.... ####. #.... #.... #####",
    "F": "##### #.... #.... ####. #.... #.... #....",
    "G": ".###. #...# #.... #.### #...# #...# .####",
    "H": "#...# #...# #...# ##### #...# #...# #...#",
    "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
    "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
    "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
    "L": "#.... #.... #.... #.... #.... #.... #####",
    "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#",
    "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
    "O": ".###. #...# #...# #...# #...# #...# .###.",
    "P": "####. #...# #...# ####. #.... #.... #....",
    "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#",
    "R": "####. #...# #...# ####. #.#.. #..#. #...#",
    "S": ".#### #.... #.... .###. ....# ....# ####.",
    "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# #...# #...# .###.",
    "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
    "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
    "Y": "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
    "Z": "##### ....# ...#. ..#.. .#... #.... #####",
    "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
    "2": ".###. #...# ....# ...#. ..#.. .#... #####",
    "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
    "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
    "5": "##### #.... ####. ....# ....# #...# .###.",
    "6": "..##. .#... #.... ####. #...# #...# .###.",
    "7": "##### ....# ...#. ..#.. .#... .#... .#...",
    "8": ".###. #...# #...# .###. #...# #...# .###.",
    "9": ".###. #...# #...# .#### ....# ...#. .##..",
    "-": "..... ..... ..... ##### ..... ..... .....",
    ".": "..... ..... ..... ..... ..... .##.. .##..",
    ",": "..... ..... ..... ..... .##.. ..#.. .#...",
    ":": "..... .##.. .##.. ..... .##.. .##.. .....",
    "/": "..... ....# ...#. ..#.. .#... #.... .....",
    "%": "##... ##..# ...#. ..#.. .#... #..## ...##",
    "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
    ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
    "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
    "?": ".###. #...# ....# ...#. ..#.. ..... ..#..",
    " ": "..... ..... ..... ..... ..... ..... .....",
}
_FONT: dict[str, tuple[tuple[int, int], ...]] = {
    char: tuple((x, y) for y, row in enumerate(rows.split()) for x, cell in enumerate(row) if cell == "#")
    for char, rows in _FONT_ROWS.items()
}
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def response_time_chart(days: Sequence[tuple[date, float | None]], *, target_minutes: float | None) -> bytes:
    """A 600×240 PNG: one bar per day (median first-response minutes; None: no replies that day),
    the target as a dashed red line, bars over the target in orange, day names below.

    Any number of days fits (labels shrink); 7 is what the digest shows.
    """
    canvas = _Canvas(WIDTH, HEIGHT)
    canvas.text(LEFT, 10, TITLE, INK, scale=2)
    if target_minutes is not None:
        label = f"TARGET {_amount(target_minutes)}"
        x = RIGHT - _text_width(label, 2)
        canvas.text(x, 10, label, TARGET, scale=2)
        canvas.dashed(x - 34, x - 6, 17, TARGET, thickness=2)
    canvas.rect(LEFT, BOTTOM, RIGHT, BOTTOM + 2, AXIS)
    if not days:
        canvas.text(
            _centred((LEFT + RIGHT) // 2, "NO DATA", 2), (TOP + BOTTOM) // 2, "NO DATA", MUTED, scale=2
        )
    y_of = _vertical_scale([v for _, v in days if v is not None], target_minutes)
    _bars(canvas, days, target_minutes, y_of)
    if target_minutes is not None:
        canvas.dashed(LEFT, RIGHT, y_of(target_minutes), TARGET, thickness=2)
    return canvas.png()


def _vertical_scale(values: Sequence[float], target_minutes: float | None) -> Callable[[float], int]:
    """Minutes to the y of the plot area."""
    highest = max([*values, 1.0])
    if target_minutes is not None:
        # One very slow day must not flatten the others: the scale stops at 4× the target and
        # taller bars are clipped (their label still gives the real figure).
        highest = max(min(highest, target_minutes * 4), target_minutes * 1.25)
    top = highest * 1.12

    def y_of(value: float) -> int:
        return BOTTOM - round(min(value, top) / top * (BOTTOM - TOP))

    return y_of


def _bars(
    canvas: _Canvas,
    days: Sequence[tuple[date, float | None]],
    target_minutes: float | None,
    y_of: Callable[[float], int],
) -> None:
    """Each day's bar, its amount above it and its name below (a dash for a day without replies)."""
    slot = (RIGHT - LEFT) / max(len(days), 1)
    bar_width = max(int(slot * 0.6), 2)
    labels, label_scale = _fit(
        slot, [f"{_DAYS[d.weekday()]} {d.day}" for d, _ in days], [str(d.day) for d, _ in days]
    )
    amounts, amount_scale = _fit(slot, [_amount(v) if v is not None else "-" for _, v in days])
    for i, (_, value) in enumerate(days):
        middle = round(LEFT + slot * (i + 0.5))
        canvas.text(_centred(middle, labels[i], label_scale), BOTTOM + 10, labels[i], INK, scale=label_scale)
        if value is None:
            dash_y = BOTTOM - 10 * amount_scale
            canvas.text(_centred(middle, "-", amount_scale), dash_y, "-", MUTED, scale=amount_scale)
            continue
        late = target_minutes is not None and value > target_minutes
        bar_top = min(y_of(value), BOTTOM - 1) if value > 0 else BOTTOM
        left = middle - bar_width // 2
        canvas.rect(left, bar_top, left + bar_width, BOTTOM, LATE if late else BAR)
        amount_y = bar_top - 8 * amount_scale
        canvas.text(_centred(middle, amounts[i], amount_scale), amount_y, amounts[i], INK, scale=amount_scale)


def _fit(slot: float, texts: list[str], shorter: list[str] | None = None) -> tuple[list[str], int]:
    """The texts and the largest scale at which all of them fit a slot, else `shorter` at scale 1."""
    for scale in (2, 1):
        if all(_text_width(t, scale) <= slot - 4 for t in texts):
            return texts, scale
    return (shorter or texts), 1


def _amount(minutes: float) -> str:
    """ "42", "0", "17H" (from 1,000 minutes on, hours keep the label short)."""
    if minutes >= 1000:
        return f"{minutes / 60:.0f}H"
    return f"{minutes:.0f}"


def _text_width(text: str, scale: int) -> int:
    return max(len(text) * (_GLYPH_W + 1) - 1, 0) * scale


def _centred(middle: int, text: str, scale: int) -> int:
    return middle - _text_width(text, scale) // 2


class _Canvas:
    """An RGB bitmap with just the drawing this chart needs; everything is clipped to the canvas."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(BACKGROUND) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill [x0, x1) × [y0, y1)."""
        x0, x1 = max(x0, 0), min(x1, self.width)
        if x1 <= x0:
            return
        run = bytes(color) * (x1 - x0)
        for y in range(max(y0, 0), min(y1, self.height)):
            start = (y * self.width + x0) * 3
            self.pixels[start : start + len(run)] = run

    def dashed(self, x0: int, x1: int, y: int, color: Color, *, thickness: int = 1, dash: int = 8) -> None:
        for x in range(x0, x1, dash * 2):
            self.rect(x, y - thickness // 2, min(x + dash, x1), y - thickness // 2 + thickness, color)

    def text(self, x: int, y: int, text: str, color: Color, *, scale: int = 1) -> None:
        for i, char in enumerate(text.upper()):
            left = x + i * (_GLYPH_W + 1) * scale
            for gx, gy in _FONT.get(char, _FONT["?"]):
                self.rect(
                    left + gx * scale, y + gy * scale, left + (gx + 1) * scale, y + (gy + 1) * scale, color
                )

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[row * stride : (row + 1) * stride]) for row in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
