"""A small HTTP emulator base on the standard library, shared by every platform emulator.

An `Emulator` runs a `ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, records every
request it receives (including ones answered by injected failures) and dispatches the rest to
routes that subclasses declare with `@route(method, pattern)` or add with `add_route()`.

Failure injection for every emulator: `fail_next(path_regex, status=..., times=..., delay=...)`
answers the next matching requests with an error (the subclass's `failure_response()` picks the
platform's usual body when none is given); `delay(path_regex, seconds)` slows matching requests
until `reset()`. `wait_for(predicate)` polls for asynchronous effects; `serve_wsgi(app)` runs a
WSGI app (e.g. Bolt's `SlackRequestHandler`) on a local port for end-to-end tests.

Faithful: real sockets, HTTP/1.1 keep-alive, Content-Length and chunked request bodies, any
status code and headers, slow answers. Simplified: no TLS, no HTTP/2, no `Expect: 100-continue`.

Modules: `messages` (requests, responses, `@route`), `emulator` (`Emulator`), `wire` (the HTTP/1.1
request handler), `wsgi` (`serve_wsgi`).

Example::

    class Pets(Emulator):
        @route("GET", r"/pets/(?P<pet_id>\\d+)")
        def get_pet(self, request: RecordedRequest) -> Response:
            return Response(200, {"id": request.path_params["pet_id"]})

    with Pets() as pets:
        pets.fail_next(r"^/pets/", status=503, times=2)
        ...  # call pets.url + "/pets/1"
"""

from emulators.http.emulator import Emulator
from emulators.http.messages import Handler, RecordedRequest, Response, route
from emulators.http.wsgi import serve_wsgi

__all__ = [
    "Emulator",
    "Handler",
    "RecordedRequest",
    "Response",
    "route",
    "serve_wsgi",
]
