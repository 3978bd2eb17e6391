"""One error handler for every listener, instead of a try/except pasted into each, and one for Bolt.

Bolt runs a listener in a thread and waits for its ack; when a listener acks and *then* raises,
Bolt's runner resets the recorded ack and Slack waits 3 s for nothing (a 404 that Slack retries).
A listener wrapped here never raises: the failure is logged in one line (the exception's type,
never the payload: it may hold a private message) and an ack that was not sent yet is sent.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import BoltResponse

log = logging.getLogger("handlers")

Listener = TypeVar("Listener", bound=Callable[..., Any])


def never_raises(listener: Listener) -> Listener:
    @functools.wraps(listener)  # Bolt reads the argument names through __wrapped__
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return listener(*args, **kwargs)
        except Exception as error:
            name = getattr(listener, "__qualname__", repr(listener))
            log.warning(
                "listener %s failed: %s", name, type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG)
            )
            ack = kwargs.get("ack")
            if ack is not None and getattr(ack, "response", None) is None:
                ack()
            return None

    return run  # type: ignore[return-value]


# What indexing a payload of the wrong shape raises: `actions[0]["action_id"]`, `event.get(...)`.
PAYLOAD_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def refuse_malformed(error: Exception) -> BoltResponse | None:
    """Bolt's error handler (`app.error`), in HTTP and Socket Mode alike. Bolt's own matchers and
    middleware read the payload before any listener runs, so a payload Slack never sends (an action
    without an `action_id`, an `event` that is a string) raised into a 500 with a traceback: it is
    answered 400 in one log line. Any other error (Redis down) stays a 500, which Slack retries."""
    if isinstance(error, PAYLOAD_ERRORS):
        log.warning("refused a malformed payload: %s", type(error).__name__)
        return BoltResponse(status=400, body="not a payload Slack sends")
    log.error("request failed: %s", type(error).__name__, exc_info=error)
    return None
