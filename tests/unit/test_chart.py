from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

from bot.reporting.chart import (
    BAR,
    BOTTOM,
    HEIGHT,
    LATE,
    LEFT,
    RIGHT,
    TARGET,
    WIDTH,
    Color,
    response_time_chart,
)

MONDAY = date(2026, 3, 2)


def week(*values: float | None) -> list[tuple[date, float | None]]:
    return [(MONDAY + timedelta(days=i), v) for i, v in enumerate(values)]


class Png:
    """Just enough of a PNG reader to check what we write: chunks, CRCs, 8-bit RGB, filter 0."""

    def __init__(self, data: bytes) -> None:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        self.chunks: list[tuple[bytes, bytes]] = []
        at = 8
        while at < len(data):
            (length,) = struct.unpack(">I", data[at : at + 4])
            kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
            (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
            assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
            self.chunks.append((kind, body))
            at += 12 + length
        assert self.chunks[0][0] == b"IHDR"
        assert self.chunks[-1][0] == b"IEND"
        self.width, self.height, depth, color_type, _, _, _ = struct.unpack(">IIBBBBB", self.chunks[0][1])
        assert (depth, color_type) == (8, 2)
        raw = zlib.decompress(b"".join(body for kind, body in self.chunks if kind == b"IDAT"))
        stride = self.width * 3 + 1
        assert len(raw) == stride * self.height
        assert all(raw[row * stride] == 0 for row in range(self.height))
        self.rows = [raw[row * stride + 1 : (row + 1) * stride] for row in range(self.height)]

    def pixel(self, x: int, y: int) -> Color:
        r, g, b = self.rows[y][x * 3 : x * 3 + 3]
        return (r, g, b)

    def column_height(self, x: int, *colors: Color) -> int:
        """How many pixels of the column, going up from the axis, have one of `colors`."""
        return sum(self.pixel(x, y) in colors for y in range(BOTTOM))


def bar_x(index: int, days: int = 7) -> int:
    slot = (RIGHT - LEFT) / days
    return round(LEFT + slot * (index + 0.5))


def test_it_is_a_valid_png_of_the_expected_size() -> None:
    png = Png(response_time_chart(week(12, 45, None, 80, 0, 130, 30), target_minutes=60))

    assert (png.width, png.height) == (WIDTH, HEIGHT) == (600, 240)


def test_the_same_figures_give_the_same_bytes() -> None:
    figures = week(12, 45, None, 80, 0, 130, 30)

    assert response_time_chart(figures, target_minutes=60) == response_time_chart(figures, target_minutes=60)


def test_bars_follow_the_figures() -> None:
    png = Png(response_time_chart(week(10, 20, 40, None, 0, 30, 30), target_minutes=None))

    heights = [png.column_height(bar_x(i), BAR) for i in range(7)]
    assert heights[0] < heights[1] < heights[2]
    assert heights[3] == 0  # no replies that day
    assert heights[4] == 0  # answered instantly
    assert heights[5] == heights[6] > 0


def test_different_figures_draw_different_bars() -> None:
    quick = Png(response_time_chart(week(10, 20, 30, 20, 10, 20, 30), target_minutes=60))
    slow = Png(response_time_chart(week(50, 20, 30, 20, 10, 20, 30), target_minutes=60))

    assert quick.column_height(bar_x(0), BAR) < slow.column_height(bar_x(0), BAR)


def test_days_over_target_are_orange_and_the_target_is_drawn() -> None:
    png = Png(response_time_chart(week(30, 90, 30, 30, 30, 30, 30), target_minutes=60))

    assert png.column_height(bar_x(0), LATE) == 0
    assert png.column_height(bar_x(1), LATE) > png.column_height(bar_x(0), BAR) > 0
    target_rows = [y for y in range(BOTTOM) if png.pixel(LEFT + 2, y) == TARGET]
    assert target_rows, "the dashed target line starts at the left edge of the plot"


def test_no_days_and_a_long_period_still_draw() -> None:
    assert Png(response_time_chart([], target_minutes=None)).width == WIDTH
    month = [(MONDAY + timedelta(days=i), float(i)) for i in range(30)]
    assert Png(response_time_chart(month, target_minutes=15)).height == HEIGHT
