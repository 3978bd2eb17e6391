"""The append-only audit log: every activity of every case, in order, in a Redis stream.

Entries are written by the store in the same transaction as the state change they record, so
the log can never disagree with the cases. `parley audit export` writes them as JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime

import redis
from redis.client import Pipeline

from bot.adapters import keys
from bot.domain import Activity, Case

BATCH = 500


def append(pipe: Pipeline, case: Case, activities: Sequence[Activity]) -> None:
    for activity in activities:
        pipe.xadd(keys.AUDIT, {"entry": json.dumps(entry(case, activity), ensure_ascii=False)})


def entry(case: Case, activity: Activity) -> dict[str, str]:
    return {
        "at": activity.at.isoformat(),
        "case": case.id,
        "network": case.post.network.value,
        "post": case.post.id,
        "actor": activity.actor,
        "action": activity.action,
        "detail": activity.detail,
    }


def export(
    client: redis.Redis,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    case_id: str | None = None,
) -> Iterator[dict[str, str]]:
    """Entries in the order they were written, filtered by the activity's time and the case."""
    start = "-"
    while True:
        batch: list[tuple[bytes, dict[bytes, bytes]]] = client.xrange(
            keys.AUDIT, min=start, max="+", count=BATCH
        )  # type: ignore[assignment]
        for _, fields in batch:
            item: dict[str, str] = json.loads(fields[b"entry"])
            at = datetime.fromisoformat(item["at"])
            if (since and at < since) or (until and at >= until) or (case_id and item["case"] != case_id):
                continue
            yield item
        if len(batch) < BATCH:
            return
        start = "(" + batch[-1][0].decode()
