"""Bluesky for tests and the demo: an XRPC server (PDS + AppView) and a Jetstream WebSocket."""

from emulators.bluesky.emulator import BlueskyEmulator
from emulators.bluesky.jetstream import JetstreamServer

__all__ = ["BlueskyEmulator", "JetstreamServer"]
