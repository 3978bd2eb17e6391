"""The OpenAI Responses API's wire format: response objects, headers, error bodies, strict-schema rules.

What `OpenAIEmulator` (emulators/openai.py) answers with, apart from how it decides the answer.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

__all__ = [
    "ERRORS",
    "api_headers",
    "error_body",
    "new_id",
    "response_object",
    "strict_schema_problem",
    "tokens",
]

ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to sample from this model.", "invalid_request_error", None),
    404: ("The model does not exist or you do not have access to it.", "invalid_request_error", None),
    429: (
        "Rate limit reached for requests. Limit: 500 / min. Please try again in 1s.",
        "requests",
        "rate_limit_exceeded",
    ),
    500: ("The server had an error while processing your request. Sorry about that!", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


def error_body(message: str, type_: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    """The API's error envelope."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def strict_schema_problem(schema: Any, path: str = "()") -> str | None:
    """Why the real API would reject `schema` with ``strict: true`` (a subset of its rules), or None."""
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            return f"In context={path}, 'additionalProperties' is required to be supplied and to be false."
        missing = [k for k in properties if k not in (schema.get("required") or [])]
        if missing:
            return (
                f"In context={path}, 'required' is required to be supplied and to be an array including "
                f"every key in properties. Missing '{missing[0]}'."
            )
        for key, sub in properties.items():
            problem = strict_schema_problem(sub, f"('properties', '{key}')")
            if problem:
                return problem
    for key in ("items",):
        problem = strict_schema_problem(schema.get(key), f"{path}, '{key}'")
        if problem:
            return problem
    for key in ("anyOf", "allOf"):
        for i, sub in enumerate(schema.get(key) or []):
            problem = strict_schema_problem(sub, f"('{key}', {i})")
            if problem:
                return problem
    for name, sub in (schema.get("$defs") or {}).items():
        problem = strict_schema_problem(sub, f"('$defs', '{name}')")
        if problem:
            return problem
    return None


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}{uuid.uuid4().hex[:16]}"


def tokens(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def api_headers() -> dict[str, str]:
    """The headers of every answer: a fresh request id and the rate-limit figures of a quiet account."""
    return {
        "x-request-id": new_id("req"),
        "openai-processing-ms": "42",
        "openai-version": "2020-10-01",
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
        "x-ratelimit-reset-requests": "120ms",
    }


def response_object(
    body: dict[str, Any], fmt: dict[str, Any], content: dict[str, Any], output_tokens: int
) -> dict[str, Any]:
    """The full `Response` object for request `body`, whose single output message holds `content`."""
    now = int(time.time())
    input_tokens = tokens(body.get("instructions") or "") + tokens(body.get("input"))
    return {
        "id": new_id("resp"),
        "object": "response",
        "created_at": now,
        "status": "completed",
        "background": False,
        "completed_at": now,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": None,
        "model": body["model"],
        "output": [
            {
                "type": "message",
                "id": new_id("msg"),
                "status": "completed",
                "role": "assistant",
                "content": [content],
            }
        ],
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": {"format": fmt, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": body.get("top_p", 1.0),
        "truncation": "disabled",
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input_tokens + output_tokens,
        },
        "user": None,
        "metadata": {},
    }
