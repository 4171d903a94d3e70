"""`http.server` glue: a threaded loopback HTTP server around an `Endpoint`.

Bounded input: a body over `MAX_BODY_BYTES` or a malformed Content-Length is refused before it is
read; an unexpected failure answers 500 InternalError (logged, no traceback to the client).
A `Transfer-Encoding` body is refused with 411 and the connection closed: the SDKs always send
Content-Length, and reading such a body as if it had none would parse it as a second request
(request smuggling). A client that hangs up early is logged at debug level, not printed.
"""

from __future__ import annotations

import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ramstack.serve.endpoint import Endpoint
from ramstack.serve.wire import MAX_BODY_BYTES, HttpRequest, HttpResponse, error_body

log = logging.getLogger("ramstack.serve")


class _Handler(BaseHTTPRequestHandler):
    server: EndpointServer
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's pooled sessions expect
    server_version = "ramstack-serve"
    timeout = 60  # seconds a connection may sit idle or half-sent before its thread gives up
    sys_version = ""

    def _answer(self) -> None:
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True  # the body's end is unknown: nothing after it can be trusted
            message = "Transfer-Encoding is not supported; send the body with a Content-Length."
            self._send(HttpResponse(411, error_body("MissingContentLength", message, None, None)))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(HttpResponse(400, error_body("InvalidParameter", "Bad Content-Length.", None, None)))
            return
        body = self.rfile.read(length) if length else b""
        try:
            request = HttpRequest.parse(
                self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
            )
            response = self.server.endpoint.handle(request)
        except Exception:  # a bug must not kill the server nor leak a traceback to the client
            log.exception("ramstack serve: unexpected failure")
            response = HttpResponse(
                500,
                error_body(
                    "InternalError",
                    "The request processing has failed due to some unknown error.",
                    None,
                    None,
                ),
            )
        self._send(response)

    do_GET = _answer
    do_POST = _answer

    def _send(self, response: HttpResponse) -> None:
        self.server.tally(response.status)
        payload = response.encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-acs-request-id", response.request_id)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the query, and an STS token or a policy may be in it: log no query.
        log.debug("%s %s %s", self.client_address[0], self.command, self.path.partition("?")[0])


class EndpointServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, endpoint: Endpoint, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.endpoint = endpoint
        self.answered = 0  # responses sent (the closing summary of `ramstack serve`)
        self.refused = 0  # of which 4xx/5xx
        self._tally_lock = threading.Lock()

    def tally(self, status: int) -> None:
        with self._tally_lock:
            self.answered += 1
            self.refused += status >= 400

    def handle_error(self, request: Any, client_address: Any) -> None:
        """socketserver prints a traceback to stderr for any failure; a client hanging up is normal."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("ramstack serve: %s closed the connection early (%s)", client_address[0], error)
        else:
            log.error("ramstack serve: connection from %s failed", client_address[0], exc_info=error)

    @property
    def address(self) -> str:
        host, port = self.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> threading.Thread:
        """Serve on a background thread (tests); `serve_forever()` serves on the calling one."""
        thread = threading.Thread(target=self.serve_forever, name="ramstack-serve", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
