"""One line of `parley doctor`: what was checked, whether it passed, and what was found or is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
