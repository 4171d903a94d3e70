"""The credential chain's own logging never reaches the terminal: alibabacloud_credentials gives
its "credentials" logger a stderr handler and logs every failed provider with a traceback, which a
user without credentials saw as three tracebacks before ramstack's one LIVE003 line."""

from __future__ import annotations

import io
import logging

import pytest

pytest.importorskip("alibabacloud_credentials")

from ramstack.live.sdk import default_credential_chain


def test_failed_providers_print_nothing(credential_env: object) -> None:
    default_credential_chain("127.0.0.1:1")
    logger = logging.getLogger("credentials")
    streams, previous = [], []
    for handler in logger.handlers:
        assert isinstance(handler, logging.StreamHandler)
        stream = io.StringIO()
        # not setStream: it flushes the old stream, which may be an earlier test's closed capture
        previous.append((handler, handler.stream))
        handler.stream = stream
        streams.append(stream)
    assert streams, "the library no longer installs its handler: this test has nothing to guard"
    try:
        try:
            raise RuntimeError("Failed to get RAM session credentials from ECS metadata service.")
        except RuntimeError:
            logger.error("Refresh credentials failed", exc_info=True)
    finally:
        for handler, old in previous:
            handler.stream = old
    assert [s.getvalue() for s in streams] == [""] * len(streams)
