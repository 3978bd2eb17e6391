"""`PARLEY_LOCALE=it make demo`: the same story, and what Slack shows the team is Italian.

The narration stays English; the Slack messages it quotes, the buttons clicked and the notes people
read come from the Italian catalogue.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from demo.script import run_demo


@pytest.fixture(scope="module")
def italian_demo() -> tuple[int, str]:
    stdout = io.StringIO()
    with redirect_stdout(stdout):
        code = run_demo(locale="it")
    return code, stdout.getvalue()


def test_the_demo_runs_in_italian(italian_demo: tuple[int, str]) -> None:
    code, transcript = italian_demo
    assert code == 0, transcript


def test_slack_speaks_italian(italian_demo: tuple[int, str]) -> None:
    _code, transcript = italian_demo
    for italian in (
        "Pubblicata da",
        "Rifiutato",
        "In attesa di approvazione",
        "Questa risposta è già stata approvata",
    ):
        assert italian in transcript, italian
    for english in ("Posted by", "Waiting for approval", "This reply was already approved"):
        assert english not in transcript, english
