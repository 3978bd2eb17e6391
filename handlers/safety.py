"""One error handler for every listener, instead of a try/except pasted into each.

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
