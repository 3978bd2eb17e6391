"""The quality benchmark runs end to end on small inputs and reports every figure in range.

No timing assertions: figures only. No Redis.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.quality import DEV_JSON, TRIAGE_SAMPLE, K, main, measure, table

pytestmark = pytest.mark.e2e

RATES = (
    "answered",
    "reachable",
    *(f"{method}_top{n}" for method in ("history", "ungrouped", "frequent", "random") for n in (1, K)),
)

TOPICS = {
    "AcmeHelp": {
        "pw": (
            "Hi there, you can reset your password here: https://help.acme.example/pw",
            [
                "@AcmeHelp I forgot my password and can't log in",
                "@AcmeHelp password reset email never arrives, locked out of my account",
                "@AcmeHelp how do I change my password? the login page keeps refusing it",
                "@AcmeHelp can't sign in, it says my password is wrong",
                "@AcmeHelp login broken, password not accepted",
                "@AcmeHelp I need a new password, forgot the old one",
            ],
        ),
        "refund": (
            "Sorry about that! Request a refund here: https://help.acme.example/refund",
            [
                "@AcmeHelp you charged my card twice for one order",
                "@AcmeHelp I want a refund for the double charge on my card",
                "@AcmeHelp charged twice this month, please refund",
                "@AcmeHelp refund still not on my card after two weeks",
                "@AcmeHelp my card was charged twice, refund please",
                "@AcmeHelp where is my refund for the cancelled order? card charged",
            ],
        ),
        "ship": (
            "We ship to these countries: https://help.acme.example/shipping",
            [
                "@AcmeHelp do you ship to Canada?",
                "@AcmeHelp is shipping to Australia available?",
                "@AcmeHelp which countries do you ship to",
                "@AcmeHelp shipping to Mexico possible?",
                "@AcmeHelp can you ship to Brazil",
                "@AcmeHelp do you offer international shipping to Japan?",
            ],
        ),
    },
    "OtherCo": {
        "hours": (
            "Our stores open 9-18: https://otherco.example/hours",
            [
                "@OtherCo what are your opening hours?",
                "@OtherCo when does the store open on Sunday",
                "@OtherCo store opening hours please",
            ],
        ),
    },
}


def conversation(brand: str, label: str, question: str, answer: str, n: int) -> dict[str, Any]:
    """One item in the dev.json format."""
    at = f"2020-04-{1 + n % 28:02d}T10:00:00.000Z"
    return {
        "agentURL": {
            "doc_id": label,
            "turn": "2",
            "tweet_ID": str(2000 + n),
            "url": f"https://help.example/{label}",
            "url_utterance": f"@user{n} {answer}",
        },
        "dialogContent": [
            {"client": f"user{n}", "datetime": at, "message": question, "tweet_ID": str(1000 + n)}
        ],
        "dialogHeader": {
            "company": brand,
            "conversationDateTime": at,
            "duration": "00:10:00.0",
            "messageCount": "2",
            "sessionID": f"s{n:04d}",
        },
    }


def write_files(tmp_path: Path) -> tuple[Path, Path]:
    """Index: the first two-thirds of each topic's questions; eval: the rest."""
    index: list[dict[str, Any]] = []
    asked: list[dict[str, Any]] = []
    n = 0
    for brand, topics in TOPICS.items():
        for label, (answer, questions) in topics.items():
            cut = len(questions) * 2 // 3
            for i, question in enumerate(questions):
                n += 1
                (index if i < cut else asked).append(conversation(brand, label, question, answer, n))
    index_file, eval_file = tmp_path / "index.json", tmp_path / "eval.json"
    index_file.write_text(json.dumps(index), encoding="utf-8")
    eval_file.write_text(json.dumps(asked), encoding="utf-8")
    return index_file, eval_file


def assert_complete(report: dict[str, Any]) -> None:
    suggestions = report["suggestions"]
    assert suggestions["k"] == K and "same brand" in suggestions["scope"]
    assert suggestions["asked"] == suggestions["overall"]["questions"] > 0
    assert sum(b["questions"] for b in suggestions["brands"].values()) == suggestions["asked"]
    for row in (*suggestions["brands"].values(), suggestions["overall"], suggestions["macro"]):
        for rate in RATES:
            assert 0.0 <= row[rate] <= 1.0, rate
        for method in ("history", "ungrouped", "frequent", "random"):
            assert row[f"{method}_top1"] <= row[f"{method}_top{K}"] + 1e-9
            assert row[f"{method}_top{K}"] <= row["reachable"] + 1e-9  # nothing beats the index's reach
    for extra in ("pooled_history", "ungrouped_history"):
        assert 0.0 <= suggestions[extra]["history_top1"] <= suggestions[extra][f"history_top{K}"] <= 1.0

    triage = report["triage"]
    assert triage["posts"] >= 80
    assert set(triage["by_language"]) == {"en", "it", "es", "fr", "de", "pt"}
    for row in (triage["accuracy"], *triage["by_language"].values()):
        assert set(row) >= {"language", "is_question", "sentiment", "kind"}
        assert all(0.0 <= row[f] <= 1.0 for f in ("language", "is_question", "sentiment", "kind"))
    assert set(triage["confusion"]) == {"kind", "sentiment", "language"}
    assert 0.0 <= report["language_dev"]["english"] <= 1.0
    assert report["seconds"] > 0


def test_index_and_eval_files_report_every_field_and_history_beats_random(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_file, eval_file = write_files(tmp_path)

    assert main(["--index", str(index_file), "--eval", str(eval_file), "--speed", "200", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert_complete(report)
    overall = report["suggestions"]["overall"]
    assert overall["questions"] == 7
    assert overall["history_top1"] > overall["random_top1"]
    assert overall["history_top1"] > overall["frequent_top1"]
    assert overall["reachable"] == 1.0
    assert set(report["suggestions"]["brands"]) == {"AcmeHelp", "OtherCo"}
    assert report["speed"]["answers"] == 200 and report["speed"]["query_p50_ms"] > 0


@pytest.mark.skipif(not DEV_JSON.exists(), reason="the shared dev.json is not on this machine")
def test_a_slice_of_dev_json_in_two_folds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = json.loads(DEV_JSON.read_text(encoding="utf-8"))
    brands = ("RockstarSupport", "MojangSupport", "AskeBay")
    sliced = [item for item in items if item["dialogHeader"]["company"] in brands]
    path = tmp_path / "slice.json"
    path.write_text(json.dumps(sliced), encoding="utf-8")

    report = measure(eval_file=path, triage_file=TRIAGE_SAMPLE, speed=0)

    assert_complete(report)
    assert report["suggestions"]["asked"] == len(sliced)
    assert report["suggestions"]["setup"].startswith("2-fold")
    assert report["speed"] == {}
    overall = report["suggestions"]["overall"]
    assert overall["history_top1"] > overall["random_top1"]
    assert overall["history_top5"] > overall["random_top5"]
    text = table(report)
    for brand in brands:
        assert brand in text
    assert "ALL (micro)" in text and "Triage on" in text

    assert main(["--eval", str(path), "--speed", "0"]) == 0
    assert "2-fold" in capsys.readouterr().out
