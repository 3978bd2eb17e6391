"""Slack's Socket Mode endpoint: a minimal WebSocket server (standard library only).

`SlackEmulator` answers `apps.connections.open` (app-level `xapp-` token) with
`SocketModeServer.open_url()`: a `ws://127.0.0.1:<port>/link/?ticket=…` URL. A client that
connects with a valid ticket gets Slack's `hello`; the test then pushes envelopes with
`socket_send(type, payload)` and reads the client's acknowledgements with `wait_for_ack(id)`.

Faithful: RFC 6455 handshake (`Sec-WebSocket-Accept`), text frames (client frames must be masked,
server frames are not), fragmented messages, ping/pong (pings are answered with the same payload),
close handshake; Slack's `hello`, envelope shape (`envelope_id`, `type`, `payload`,
`accepts_response_payload`, `retry_attempt`, `retry_reason`) and `disconnect` messages; tickets
work once.

Simplified: no TLS (`ws://`), no extensions or subprotocols, no server-initiated pings, envelopes
go to the newest open connection, an envelope nobody acknowledges is not redelivered.

Modules: `frames` (RFC 6455 framing), `handshake` (the HTTP Upgrade), `server` (`SocketModeServer`).

Example::

    server = SocketModeServer()
    url = server.open_url()            # what apps.connections.open answers
    ...                                 # the app connects
    envelope_id = server.socket_send("slash_commands", {...})
    ack = server.wait_for_ack(envelope_id, timeout=3)
    ack.payload                         # e.g. {"text": "..."} or {"response_action": "errors", ...}
"""

from emulators.socket_mode.frames import websocket_accept
from emulators.socket_mode.server import ENVELOPE_TYPES, Ack, Envelope, SocketModeServer

__all__ = ["ENVELOPE_TYPES", "Ack", "Envelope", "SocketModeServer", "websocket_accept"]
