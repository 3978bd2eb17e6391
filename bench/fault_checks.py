"""The promises a fault campaign run checks on the emulators and in Redis once the dust settles."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from bot.adapters import audit, keys
from bot.domain import Case, State
from demo.sandbox import Sandbox

APPROVERS = ("U_MARIA", "U_LUCA")


def _parts(sb: Sandbox, channel: str) -> Counter[tuple[str, str]]:
    """(case id, part) -> how many Slack messages carry that metadata (top level and threads)."""
    seen: Counter[tuple[str, str]] = Counter()
    for parent in sb.slack.messages(channel):
        for message in [parent, *sb.slack.thread(channel, parent.ts)]:
            payload: dict[str, Any] = (message.metadata or {}).get("event_payload") or {}
            if payload.get("case_id"):
                seen[(str(payload["case_id"]), str(payload.get("part")))] += 1
    return seen


def _standing(case: Case) -> list[str]:
    """The approvers' actions still standing: those after the last Undo."""
    actions = [(a.action, a.actor, a.detail) for a in case.history]
    undone = max((i for i, (action, _, _) in enumerate(actions) if action == "undone"), default=-1)
    return [
        f"{actor}:{detail or ''}" for action, actor, detail in actions[undone + 1 :] if action == "approved"
    ]


def _approved(case: Case) -> bool:
    """Whether people allowed to approve gave every approval the reply needs (and nobody undid it)."""
    standing = _standing(case)
    approvers = {s.split(":", 1)[0] for s in standing} & set(APPROVERS)
    return len(approvers) >= case.approvals_needed and any(s.endswith(":") for s in standing)


def violations(sb: Sandbox, channel: str) -> Counter[str]:
    """Every broken promise of one run, by kind (empty: the run kept them all)."""
    found: Counter[str] = Counter()
    ids = [i.decode() if isinstance(i, bytes) else str(i) for i in sb.redis.zrange(keys.ALL_CASES, 0, -1)]
    cases = [c for c in (sb.parley.store.get(i) for i in ids) if c is not None]
    parts = _parts(sb, channel)
    replies = Counter(t.in_reply_to_tweet_id for t in sb.x.posted)
    logged = Counter(e["case"] for e in audit.export(sb.redis))
    for case in cases:
        for part in ("parent", "card"):
            count = parts[(case.id, part)]
            if count > 1:
                found[f"duplicate_{part}"] += 1
            elif count == 0:
                found[f"missing_{part}"] += 1
                print(f"  {case.id}: no {part}: {case.state.value} {case.slack}", file=sys.stderr)
                explain(sb, case)
        on_x = replies[case.post.id]
        if on_x > 1:
            found["reply_posted_twice"] += 1
        refused = case.state is State.FAILED and case.failure is not None and not case.failure.retryable
        if _approved(case) and case.state is not State.REJECTED and on_x == 0 and not refused:
            found["approved_not_posted"] += 1  # a refusal by the network (same text...) is shown, not lost
            print(f"  {case.id}: approved, not posted: {case.state.value} {case.failure}", file=sys.stderr)
            explain(sb, case)
        if on_x and not _approved(case):
            found["unapproved_posted"] += 1
        if on_x and case.state is State.REJECTED:
            found["rejected_posted"] += 1
        if any(a.action == "approved" and a.actor not in APPROVERS for a in case.history):
            found["approved_by_wrong_person"] += 1
        if logged[case.id] != len(case.history):
            found["state_change_not_audited"] += 1
        if case.state in (State.RECEIVED, State.APPROVED, State.PUBLISHING):
            found["not_drained"] += 1
    queue = sb.parley.queue
    if queue.count:
        found["queue_not_empty"] += 1
    return found


def tally(sb: Sandbox) -> Counter[str]:
    """What a run did: its cases by final state, and the replies on X."""
    ids = [i.decode() if isinstance(i, bytes) else str(i) for i in sb.redis.zrange(keys.ALL_CASES, 0, -1)]
    cases = [c for c in (sb.parley.store.get(i) for i in ids) if c is not None]
    done: Counter[str] = Counter(c.state.value for c in cases)
    done["replies_on_x"] = len(sb.x.posted)
    done["undone"] = sum(any(a.action == "undone" for a in c.history) for c in cases)
    return done


def explain(sb: Sandbox, case: Case) -> None:
    """What a broken case's jobs and claims were, for the one who investigates."""
    client = sb.redis
    for kind in ("deliver", "publish"):
        for raw in client.smembers(keys.case_jobs(case.id, kind)):
            job_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            job = sb.parley.queue.fetch_job(job_id)
            when = client.zscore(sb.parley.queue.scheduled_job_registry.key, job_id)
            print(
                f"    {kind} job {job_id}: {job and job.get_status()}, scheduled for {when},"
                f" retries left {job and job.retries_left}, created {job and job.created_at}",
                file=sys.stderr,
            )
    for raw_key in client.scan_iter(match=f"*{case.id}*", count=1000):
        key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
        if "slack-claim" in key or "slack-attempt" in key:
            print(f"    {key} = {client.get(key)!r} (ttl {client.ttl(key)} s)", file=sys.stderr)
    queue = sb.parley.queue
    print(f"    intermediate {client.lrange(queue.intermediate_queue_key, 0, -1)}", file=sys.stderr)
    for action in case.history:
        print(
            f"    {action.at:%H:%M:%S.%f} {action.actor} {action.action} {action.detail[:60]}",
            file=sys.stderr,
        )
