"""Everything the API classes share: state, ids, clock, limits, configuration, faults and the call log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ramstack import names
from ramstack.fakecloud.catalog import SystemPolicies, SystemPolicyCatalog
from ramstack.fakecloud.clock import Clock, system_clock
from ramstack.fakecloud.errors import CloudError
from ramstack.fakecloud.faults import FaultQueue
from ramstack.fakecloud.ids import IdFactory
from ramstack.fakecloud.oidc_keys import RsaPublicKey
from ramstack.fakecloud.redaction import redact_parameters
from ramstack.fakecloud.state import AccountState

log = logging.getLogger("ramstack.fakecloud")

# Limits the reference marks UNCONFIRMED; kept here (not in names.LIMITS) and overridable like the rest.
EXTRA_LIMITS = {
    # `InvalidParameter.AssumeRolePolicyDocument.Length` exists but its bound is UNCONFIRMED; assume the
    # custom-policy document bound.
    "assume_role_policy_document_bytes": 6144,
    "login_password_min_length": 8,  # default account password policy (UNCONFIRMED for every account)
    "login_password_max_length": 32,
}


@dataclass(frozen=True)
class CallRecord:
    """One API call as seen by the fake; secret parameters are redacted."""

    service: str
    action: str
    params: Mapping[str, Any]
    request_id: str
    error_code: str | None = None


class Context:
    def __init__(
        self,
        *,
        account_id: str,
        seed: int | str,
        clock: Clock | None,
        limits: Mapping[str, int] | None,
        system_policies: SystemPolicies | None,
        check_trust_principals: bool,
    ) -> None:
        if not names.ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(f"account_id must be digits, got {account_id!r}")
        merged = {**names.LIMITS, **EXTRA_LIMITS}
        unknown = sorted(set(limits or {}) - set(merged))
        if unknown:
            raise ValueError(f"unknown limit(s) {unknown}; known: {sorted(merged)}")
        merged.update(limits or {})
        self.limits: dict[str, int] = merged
        self.state = AccountState(account_id)
        self.ids = IdFactory(seed)
        self.clock: Clock = clock or system_clock
        self.system_policies = SystemPolicyCatalog(system_policies)
        self.check_trust_principals = check_trust_principals
        self.faults = FaultQueue()
        # Issuer URL -> the public keys its JWKS publishes (the world outside the account: STS fetches
        # them, the fake is told them). AssumeRoleWithOIDC verifies token signatures with these.
        self.oidc_keys: dict[str, list[RsaPublicKey]] = {}
        self.calls: list[CallRecord] = []
        # Pulumi's mock monitor (and a threaded HTTP server) call in from several threads at once;
        # the real API serialises per entity, the fake simply serialises every call.
        self._lock = threading.RLock()

    @property
    def account_id(self) -> str:
        return self.state.account_id

    def now(self) -> datetime:
        return self.clock()

    def limit(self, key: str) -> int:
        return self.limits[key]

    def invoke(
        self,
        service: str,
        action: str,
        call: Callable[..., dict[str, Any]],
        kwargs: Mapping[str, Any],
    ) -> dict[str, Any]:
        """Run one API call: injected fault first, then the operation; stamp RequestId; log it."""
        with self._lock:
            return self._invoke(service, action, call, kwargs)

    def _invoke(
        self,
        service: str,
        action: str,
        call: Callable[..., dict[str, Any]],
        kwargs: Mapping[str, Any],
    ) -> dict[str, Any]:
        request_id = self.ids.request_id()
        params = redact_parameters(kwargs)
        fault = self.faults.take(action)
        try:
            if fault is not None:
                raise fault.error()
            result = call(**kwargs)
        except CloudError as exc:
            exc.request_id = request_id
            self.calls.append(CallRecord(service, action, params, request_id, exc.code))
            log.debug("%s %s %s -> %s", service, action, request_id, exc.code)
            raise
        self.calls.append(CallRecord(service, action, params, request_id))
        log.debug("%s %s %s -> OK", service, action, request_id)
        return {"RequestId": request_id, **result}
