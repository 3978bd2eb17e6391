"""Graph API answers as JSON: field selection, paging envelopes, error bodies, usage headers."""

from __future__ import annotations

import json
import re
from typing import Any

from emulators.http import Response
from emulators.meta.store import Comment, Item, Message, graph_time, person_json

_MENTIONED = re.compile(r"^mentioned_(comment|media)\.(comment_id|media_id)\((\w+)\)")


def top_fields(fields: str) -> list[str]:
    """`id,parent{id},media{id,caption}` -> ["id", "parent", "media"]."""
    names, depth, current = [], 0, ""
    for char in fields:
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif depth == 0 and char == ",":
            names.append(current)
            current = ""
        elif depth == 0:
            current += char
    names.append(current)
    return [n.split(".")[0].split("(")[0].strip() for n in names if n.strip()]


def mentioned(fields: str) -> tuple[str, str] | None:
    """(`comment` | `media`, id) of a `mentioned_comment.comment_id(X){...}` field, if that is what is asked."""
    match = _MENTIONED.match(fields)
    return (match.group(1), match.group(3)) if match else None


def select(obj: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Only the fields asked for (and always `id`), as Graph does; all of them without `fields`."""
    if not fields:
        return obj
    wanted = set(top_fields(fields)) | {"id"}
    return {k: v for k, v in obj.items() if k in wanted}


def page(items: list[dict[str, Any]], limit: str | None) -> dict[str, Any]:
    count = int(limit) if limit and limit.isdigit() else 25
    shown = items[:count]
    body: dict[str, Any] = {"data": shown}
    if shown:
        body["paging"] = {"cursors": {"before": "QVFIUmJl", "after": "QVFIUmFm"}}
    return body


def error(
    status: int,
    message: str,
    code: int,
    *,
    kind: str = "OAuthException",
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        body["error_subcode"] = subcode
    return Response(status, {"error": body}, dict(headers or {}))


def usage_headers(percent: int, *, business_id: str, regain_minutes: int = 0) -> dict[str, str]:
    """`X-App-Usage` and `X-Business-Use-Case-Usage` as Meta sends them (percentages of the budget)."""
    app = {"call_count": percent, "total_cputime": max(1, percent // 2), "total_time": max(1, percent // 2)}
    buc = {
        business_id: [
            {
                "type": "pages",
                "call_count": percent,
                "total_cputime": max(1, percent // 2),
                "total_time": max(1, percent // 2),
                "estimated_time_to_regain_access": regain_minutes,
            }
        ]
    }
    return {"X-App-Usage": json.dumps(app), "X-Business-Use-Case-Usage": json.dumps(buc)}


def item_json(item: Item) -> dict[str, Any]:
    if item.platform == "instagram":
        body: dict[str, Any] = {
            "id": item.id,
            "caption": item.text,
            "permalink": item.permalink,
            "timestamp": graph_time(item.created),
            "media_type": "IMAGE",
            "media_product_type": "FEED",
        }
        if item.author is not None:
            body["username"] = item.author.username or item.author.name
        return body
    body = {
        "id": item.id,
        "message": item.text,
        "created_time": graph_time(item.created),
        "permalink_url": item.permalink,
    }
    if item.author is not None:
        body["from"] = person_json(item.author, "facebook")
    return body


def comment_json(comment: Comment, item: Item | None) -> dict[str, Any]:
    if comment.platform == "instagram":
        body: dict[str, Any] = {
            "id": comment.id,
            "text": comment.text,
            "timestamp": graph_time(comment.created),
            "username": comment.author.username or comment.author.name,
            "from": person_json(comment.author, "instagram"),
            "hidden": comment.hidden,
        }
        if comment.parent_id:
            body["parent_id"] = comment.parent_id
        if item is not None:
            body["media"] = {"id": item.id, "permalink": item.permalink, "caption": item.text}
        return body
    body = {
        "id": comment.id,
        "message": comment.text,
        "created_time": graph_time(comment.created),
        "from": person_json(comment.author, "facebook"),
        "is_hidden": comment.hidden,
        "permalink_url": f"https://www.facebook.com/{comment.id}",
    }
    if comment.parent_id:
        body["parent"] = {"id": comment.parent_id}
    return body


def message_json(message: Message, platform: str) -> dict[str, Any]:
    return {
        "id": message.id,
        "message": message.text,
        "created_time": graph_time(message.created),
        "from": person_json(message.sender, "instagram" if platform == "instagram" else "facebook"),
    }
