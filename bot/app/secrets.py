"""Every secret value in the configuration, so the logs can hide it whatever its shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

_SECRET_WORDS = ("token", "secret", "password", "api_key", "key_secret")


def _secret_fields(config: Any) -> Iterator[str]:
    for name, value in vars(config).items():
        if isinstance(value, str) and value and any(word in name for word in _SECRET_WORDS):
            yield value


def secret_values(settings: Any) -> list[str]:
    """The settings' tokens, secrets and passwords, its accounts' too, and REDIS_URL's password."""
    values = [*_secret_fields(settings)]
    for account in getattr(settings, "accounts", ()):
        values.extend(_secret_fields(account))
    password = urlsplit(str(getattr(settings, "redis_url", "") or "")).password
    if password:
        values.append(password)
    return values
