"""X's error answers: problem details (RFC 7807 style), invalid-request bodies, not-found errors."""

from __future__ import annotations

from http import HTTPStatus

from emulators.http import Response

__all__ = [
    "DELETED_DETAIL",
    "DUPLICATE_DETAIL",
    "INVALID_REQUEST",
    "NOT_MENTIONED_DETAIL",
    "invalid",
    "not_found",
    "problem",
]

DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."
NOT_MENTIONED_DETAIL = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."
)
DELETED_DETAIL = "You attempted to reply to a Tweet that is deleted or not visible to you."
INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"


def problem(status: int, detail: str, title: str | None = None, type_: str = "about:blank") -> Response:
    phrase = title or HTTPStatus(status).phrase
    return Response(status, {"title": phrase, "detail": detail, "type": type_, "status": status})


def invalid(parameter: str, values: list[str], message: str) -> Response:
    return Response(
        400,
        {
            "errors": [{"parameters": {parameter: values}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": INVALID_REQUEST,
        },
    )


def not_found(resource_type: str, resource_id: str) -> Response:
    """X's 200 answer with `errors` for a user or tweet that does not exist."""
    return Response(
        200,
        {
            "errors": [
                {
                    "value": resource_id,
                    "detail": f"Could not find {resource_type} with id: [{resource_id}].",
                    "title": "Not Found Error",
                    "resource_type": resource_type,
                    "parameter": "id",
                    "resource_id": resource_id,
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            ]
        },
    )
