"""A local OpenAI API (`POST /v1/responses`, `GET /v1/models[/{id}]`) for tests and `make demo`.

Faithful where the SDK and Parley care: bearer auth (401 ``invalid_api_key``), the request body the
SDK sends for ``client.responses.parse(...)`` (``model``, ``instructions``, ``input``,
``text.format`` json_schema with ``strict``, ``store``), strict-schema validation (400 like the
real API when a property is not required or ``additionalProperties`` is not false), the full
``Response`` object (``output`` message with ``output_text`` or ``refusal`` content, ``usage``,
echoed ``instructions``/``text``/``store``), ``x-request-id`` headers and OpenAI-shaped error
bodies for injected failures (429 with ``retry-after``, 500, 503...).

Simplified: no streaming, background mode, tools, conversations or stored responses; token
counts are estimates (4 characters a token); the model name is echoed, not resolved to a snapshot.

The answer comes from a pluggable ``responder(request_json) -> dict | str``: a dict is sent as the
JSON ``output_text``, a str as is. The default responder answers a drafting request in the post's
language with Parley's offline triage and drafter, so the demo works without an API key.
The wire format (response objects, error bodies, strict-schema rules) is in `emulators/openai_format.py`.

Example::

    with OpenAIEmulator() as emulator:
        client = openai.OpenAI(api_key="sk-test", base_url=emulator.url + "/v1", max_retries=0)
        emulator.refuse_next()
        emulator.fail_next(r"^/v1/responses$", status=429)
        emulator.slow_next(2.0)
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.domain import Author, Network, Post
from bot.drafting.offline import OfflineDrafter
from bot.drafting.triage import summarize, triage
from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.openai_format import (
    ERRORS,
    api_headers,
    error_body,
    new_id,
    response_object,
    strict_schema_problem,
    tokens,
)

__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_REFUSAL",
    "OpenAIEmulator",
    "Responder",
    "default_responder",
    "error_body",
    "strict_schema_problem",
]

Responder = Callable[[dict[str, Any]], dict[str, Any] | str]

DEFAULT_REFUSAL = "I'm sorry, I can't help with that."
RESPONSES_PATH = r"^/v1/responses$"
DEFAULT_MODELS = (
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "o4-mini",
)

# --- the default responder ---------------------------------------------------------------------


def _user_text(request_json: dict[str, Any]) -> str:
    """The text of the last user message of `input` (a string, or a list of messages)."""
    data = request_json.get("input")
    if isinstance(data, str):
        return data
    texts: list[str] = []
    for item in data or []:
        if not isinstance(item, dict) or item.get("role", "user") != "user":
            continue
        content = item.get("content")
        if isinstance(content, str):
            texts = [content]
        elif isinstance(content, list):
            texts = [c.get("text", "") for c in content if isinstance(c, dict) and "text" in c]
    return "\n".join(texts)


def _post_from_input(text: str) -> Post:
    """The post described by Parley's drafting input (a JSON object), or `text` itself as a post."""
    data: dict[str, Any] = {}
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            parsed = json.loads(text[start : end + 1])
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            data = parsed
    network = Network.REDDIT if str(data.get("network", "")).lower() == "reddit" else Network.X
    handle = str(data.get("author_handle") or "")
    return Post(
        network=network,
        id=str(zlib.crc32(text.encode())),
        account="emulator",
        author=Author(id="0", handle=handle, name=str(data.get("author_name") or handle)),
        text=str(data.get("post_text", text)),
        url="",
        created_at=datetime.now(UTC),
        lang=data.get("language_hint") or None,
        title=data.get("thread_title"),
    )


def _placeholder(schema: dict[str, Any]) -> Any:
    """A value of the JSON-schema type `schema` (for properties the default responder does not know)."""
    if "anyOf" in schema:
        return _placeholder(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        return {k: _placeholder(v) for k, v in schema.get("properties", {}).items()}
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "null": None}.get(
        str(kind)
    )


def default_responder(request_json: dict[str, Any]) -> dict[str, Any] | str:
    """Answer like a sensible model: offline triage + offline draft of the post in the input.

    Fills the schema's known fields (is_question, sentiment, urgency, language, summary, kind, reply)
    and gives every other property a placeholder of its type; without a schema, returns the reply.
    """
    post = _post_from_input(_user_text(request_json))
    result = triage(post)
    reply = OfflineDrafter().propose(post).draft.text
    known: dict[str, Any] = {
        "is_question": result.is_question,
        "sentiment": result.sentiment,
        "urgency": result.urgency,
        "language": result.language,
        "summary": summarize(post.text, title=post.title, lang=result.language, max_chars=120),
        "kind": result.kind,
        "risk": "legal threat"
        if any(w in post.text.lower() for w in ("lawyer", "sue ", "avvocato"))
        else None,
        "reply": reply,
    }
    fmt = (request_json.get("text") or {}).get("format") or {}
    if fmt.get("type") != "json_schema":
        return reply
    properties: dict[str, Any] = fmt.get("schema", {}).get("properties", {})
    return {name: known[name] if name in known else _placeholder(spec) for name, spec in properties.items()}


class OpenAIEmulator(Emulator):
    """The Responses API on 127.0.0.1. Requests are recorded (`requests`, `response_bodies`)."""

    def __init__(
        self,
        *,
        responder: Responder | None = None,
        models: tuple[str, ...] = DEFAULT_MODELS,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.responder: Responder = responder or default_responder
        self.models = models  # what GET /v1/models lists and retrieves (responses accept any model)
        self._refusals: list[str] = []
        self._slow: list[float] = []
        self._stopping = threading.Event()

    # -- test controls ---------------------------------------------------------------------------

    def refuse_next(self, times: int = 1, *, refusal: str = DEFAULT_REFUSAL) -> None:
        """The next `times` responses carry a `refusal` content part instead of `output_text`."""
        with self._lock:
            self._refusals.extend([refusal] * times)

    def slow_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` successful responses are sent after `seconds` (to trigger client timeouts)."""
        with self._lock:
            self._slow.extend([seconds] * times)

    def rate_limit_next(self, times: int = 1, *, retry_after: float = 1) -> None:
        """The next `times` requests get 429 `rate_limit_exceeded` with a `retry-after` header."""
        self.fail_next(RESPONSES_PATH, status=429, times=times, headers={"retry-after": f"{retry_after:g}"})

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._refusals.clear()
            self._slow.clear()

    def stop(self) -> None:
        self._stopping.set()  # wake slow responses so their threads end with the server
        super().stop()
        self._stopping.clear()

    @property
    def response_bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of every `POST /v1/responses` received, oldest first."""
        bodies: list[dict[str, Any]] = []
        for request in self.requests_to(RESPONSES_PATH, method="POST"):
            try:
                body = request.json()
            except ValueError:
                continue
            if isinstance(body, dict):
                bodies.append(body)
        return bodies

    # -- errors ------------------------------------------------------------------------------------

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        message, type_, code = ERRORS.get(status, ("Error.", "server_error", None))
        headers = {"x-request-id": new_id("req")}
        if status == 429:
            headers["retry-after"] = "1"
        return Response(status, error_body(message, type_, code), headers)

    def not_found(self, request: RecordedRequest) -> Response:
        return Response(
            404,
            error_body(f"Invalid URL ({request.method} {request.path})", "invalid_request_error"),
            {"x-request-id": new_id("req")},
        )

    @staticmethod
    def _authorized(request: RecordedRequest) -> bool:
        auth = request.header("Authorization") or ""
        return bool(re.fullmatch(r"Bearer sk-[\w-]+", auth.strip()))

    # -- routes -------------------------------------------------------------------------------------

    @staticmethod
    def _model(model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": 1_700_000_000, "owned_by": "system"}

    @route("GET", r"/v1/models")
    def list_models(self, request: RecordedRequest) -> Response:
        if not self._authorized(request):
            return self.failure_response(request, 401, None)
        data = [self._model(m) for m in self.models]
        return Response(200, {"object": "list", "data": data}, api_headers())

    @route("GET", r"/v1/models/(?P<model>[^/]+)")
    def retrieve_model(self, request: RecordedRequest) -> Response:
        if not self._authorized(request):
            return self.failure_response(request, 401, None)
        model = request.path_params["model"]
        if model not in self.models:
            return Response(
                404,
                error_body(
                    f"The model '{model}' does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model_not_found",
                    "model",
                ),
                api_headers(),
            )
        return Response(200, self._model(model), api_headers())

    @route("POST", r"/v1/responses")
    def create_response(self, request: RecordedRequest) -> Response:
        if not self._authorized(request):
            return self.failure_response(request, 401, None)
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self._bad_request("We could not parse the JSON body of your request.")
        if not body.get("model"):
            return self._bad_request("Missing required parameter: 'model'.", param="model")
        if body.get("input") in (None, "", []):
            return self._bad_request("Missing required parameter: 'input'.", param="input")
        if body.get("stream"):
            return self._bad_request("Streaming is not supported by the emulator.", param="stream")
        fmt = (body.get("text") or {}).get("format") or {"type": "text"}
        if fmt.get("type") == "json_schema":
            if not fmt.get("name") or not isinstance(fmt.get("schema"), dict):
                return self._bad_request(
                    "Missing required parameter: 'text.format.name'.", param="text.format"
                )
            problem = strict_schema_problem(fmt["schema"]) if fmt.get("strict") else None
            if problem:
                return self._bad_request(
                    f"Invalid schema for response_format '{fmt['name']}': {problem}",
                    param="text.format.schema",
                    code="invalid_json_schema",
                )
        with self._lock:
            refusal = self._refusals.pop(0) if self._refusals else None
            slow = self._slow.pop(0) if self._slow else 0.0
        if slow and self._stopping.wait(slow):
            return Response(503, error_body("Emulator stopping.", "server_error"))
        if refusal is not None:
            content: dict[str, Any] = {"type": "refusal", "refusal": refusal}
            output_tokens = tokens(refusal)
        else:
            answer = self.responder(body)
            text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
            content = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
            output_tokens = tokens(text)
        return Response(200, response_object(body, fmt, content, output_tokens), api_headers())

    # -- helpers ----------------------------------------------------------------------------------

    def _bad_request(self, message: str, *, param: str | None = None, code: str | None = None) -> Response:
        return Response(400, error_body(message, "invalid_request_error", code, param), api_headers())
