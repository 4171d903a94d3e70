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
