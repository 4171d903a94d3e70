"""The HTTP glue: bounded bodies, JSON answers with the request id header, a bug is a 500 not a crash."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest

from ramstack.fakecloud import FakeCloud
from ramstack.serve.endpoint import Endpoint
from ramstack.serve.server import EndpointServer
from ramstack.serve.wire import MAX_BODY_BYTES, HttpRequest, HttpResponse


class _Exploding(Endpoint):
    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.params.get("Action") == "Explode":
            raise RuntimeError("a bug, with secret-looking detail: LTAIsecret")
        return super().handle(request)


@pytest.fixture
def server() -> Iterator[EndpointServer]:
    server = EndpointServer(_Exploding(FakeCloud()), "127.0.0.1", 0)
    server.start()
    yield server
    server.stop()


def _send(
    server: EndpointServer, target: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> tuple[int, dict[str, str], dict[str, object]]:
    host, port = server.address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", target, body=body, headers=headers or {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(payload)


def test_answers_are_json_with_the_request_id_header(server: EndpointServer) -> None:
    status, headers, body = _send(server, "/?Action=GetCallerIdentity&Version=2015-04-01")
    assert status == 400 and body["Code"] == "IncompleteSignature"
    assert headers["Content-Type"].startswith("application/json")
    assert headers["x-acs-request-id"] == body["RequestId"]


def test_oversized_body_is_refused_before_it_is_read(server: EndpointServer) -> None:
    host, port = server.address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 400 and json.loads(response.read())["Code"] == "InvalidParameter"
    connection.close()


def test_a_bug_is_a_500_and_the_server_keeps_serving(server: EndpointServer) -> None:
    status, _, body = _send(server, "/?Action=Explode")
    assert status == 500 and body["Code"] == "InternalError" and "LTAI" not in json.dumps(body)
    assert _send(server, "/?Action=GetCallerIdentity&Version=2015-04-01")[0] == 400


def _raw(server: EndpointServer, data: bytes) -> bytes:
    import socket

    host, port = server.address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):  # the server closes the connection: recv returns b""
            received += chunk
    return received


def test_a_chunked_body_is_refused_and_never_read_as_a_second_request(server: EndpointServer) -> None:
    smuggled = (
        b"GET /?Action=GetCallerIdentity&Version=2015-04-01 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
    )
    data = (
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(smuggled):x}\r\n".encode()
        + smuggled
        + b"\r\n0\r\n\r\n"
    )
    received = _raw(server, data)
    assert received.startswith(b"HTTP/1.1 411 ")
    assert received.count(b"HTTP/1.1 ") == 1 and b"IncompleteSignature" not in received


def test_a_client_hanging_up_early_prints_no_traceback(
    server: EndpointServer, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 40000))
    assert capsys.readouterr().err == ""


def test_answers_are_counted_for_the_closing_summary(server: EndpointServer) -> None:
    assert (server.answered, server.refused) == (0, 0)
    for _ in range(3):
        status, _, _ = _send(server, "/?Action=GetCallerIdentity&Version=2015-04-01")
        assert status == 400
    assert (server.answered, server.refused) == (3, 3)
