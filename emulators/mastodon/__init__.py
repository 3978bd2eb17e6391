"""Mastodon for tests and the demo: the REST API and a streaming server (server-sent events)."""

from emulators.mastodon.emulator import MastodonEmulator
from emulators.mastodon.streaming import StreamingServer

__all__ = ["MastodonEmulator", "StreamingServer"]
