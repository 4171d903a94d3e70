"""`FakeCloud`: one Alibaba Cloud account's RAM, STS and IMS (OIDC providers), in memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ramstack.fakecloud.catalog import SystemPolicies
from ramstack.fakecloud.clock import Clock
from ramstack.fakecloud.context import CallRecord, Context
from ramstack.fakecloud.credentials import Credential, find_credential
from ramstack.fakecloud.dispatch import dispatch
from ramstack.fakecloud.faults import ANY_OPERATION, Fault
from ramstack.fakecloud.ims import ImsApi
from ramstack.fakecloud.ram import RamApi
from ramstack.fakecloud.service import Service
from ramstack.fakecloud.snapshot import take_snapshot
from ramstack.fakecloud.sts import StsApi

if TYPE_CHECKING:
    from ramstack.fakecloud.oidc_issuer import OidcIssuer
    from ramstack.policy.document import PolicyDocument

DEFAULT_ACCOUNT_ID = "1234567890123456"

_DEFAULT_FAULT_MESSAGES = {
    "Throttling": "Request was denied due to user flow control.",
    "ServiceUnavailable": "The request has failed due to a temporary failure of the server.",
    "InternalError": "The request processing has failed due to some unknown error.",
}


class FakeCloud:
    """A stateful fake of one account.

    Operations live on `ram`, `sts` and `ims` as snake_case methods named after the API actions,
    taking the API parameters as snake_case keywords and returning the API's response dict
    (RequestId included). Failures raise `CloudError` with the API's code.

    - `seed`: ids, keys and tokens are derived from it; equal seeds and calls give equal values.
    - `clock`: returns the current (UTC) time; `ManualClock` makes dates reproducible.
    - `limits`: overrides of `ramstack.names.LIMITS` (and of `context.EXTRA_LIMITS`).
    - `system_policies`: names of the system policies that exist, or a predicate on a name.
    - AssumeRole* is always decided as RAM does: the caller's identity policies AND the role's trust
      policy, conditions included (assume_decision.py); there is no lenient mode.
    - `check_trust_principals`: reject trust policies naming users, roles or OIDC providers of this
      account that do not exist (code UNCONFIRMED, see ram_roles.py).
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        seed: int | str = 0,
        clock: Clock | None = None,
        limits: Mapping[str, int] | None = None,
        system_policies: SystemPolicies | None = None,
        check_trust_principals: bool = True,
    ) -> None:
        self._ctx = Context(
            account_id=account_id,
            seed=seed,
            clock=clock,
            limits=limits,
            system_policies=system_policies,
            check_trust_principals=check_trust_principals,
        )
        self.ram = RamApi(self._ctx)
        self.sts = StsApi(self._ctx)
        self.ims = ImsApi(self._ctx)
        self._issuers: dict[str, OidcIssuer] = {}

    @property
    def account_id(self) -> str:
        return self._ctx.account_id

    @property
    def limits(self) -> dict[str, int]:
        return dict(self._ctx.limits)

    @property
    def calls(self) -> list[CallRecord]:
        """Every API call so far, oldest first; secret parameters redacted."""
        return list(self._ctx.calls)

    def _services(self) -> dict[str, Service]:
        return {"ram": self.ram, "sts": self.sts, "ims": self.ims}

    def operations(self) -> dict[str, str]:
        """API action name -> service ("ram", "sts", "ims")."""
        return {action: name for name, svc in self._services().items() for action in svc.actions()}

    def fail_next(
        self, operation: str, code: str, message: str | None = None, http_status: int | None = None
    ) -> None:
        """Make the next call of `operation` (an API name, or "*" for any) fail with `code`, once.

        Faults queue per operation. E.g. `fail_next("CreateUser", "Throttling.User")`.
        """
        if operation != ANY_OPERATION and operation not in self.operations():
            raise ValueError(f"unknown operation {operation!r}; known: {sorted(self.operations())}")
        if message is None:
            family = code.split(".", 1)[0]
            message = _DEFAULT_FAULT_MESSAGES.get(family, f"Injected failure {code} for {operation}")
        self._ctx.faults.add(Fault(operation, code, message, http_status))

    def pending_faults(self) -> list[Fault]:
        return self._ctx.faults.pending()

    def clear_faults(self) -> None:
        self._ctx.faults.clear()

    def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        caller_access_key_id: str | None = None,
    ) -> dict[str, Any]:
        """Invoke an operation by wire names: `call("ram", "CreateUser", {"UserName": "alice"})`."""
        target = self._services().get(service.lower())
        if target is None:
            raise ValueError(f"unknown service {service!r}; known: ram, sts, ims")
        return dispatch(target, action, params or {}, {"caller_access_key_id": caller_access_key_id})

    def oidc_issuer(self, issuer_url: str) -> OidcIssuer:
        """A local OIDC issuer for `issuer_url` (an RSA key, made on first use) whose tokens this
        account's STS accepts: its public key stands in for the JWKS STS would fetch from the issuer.
        `.mint(claims)` makes a signed ID token. Needs the `cryptography` package."""
        from ramstack.fakecloud.oidc_issuer import OidcIssuer

        with self._ctx._lock:
            issuer = self._issuers.get(issuer_url)
            if issuer is None:
                issuer = self._issuers[issuer_url] = OidcIssuer.generate(issuer_url)
                self._ctx.oidc_keys.setdefault(issuer_url, []).append(issuer.public_key)
            return issuer

    def trust_oidc_keys(self, issuer_url: str, jwks: Mapping[str, Any]) -> None:
        """Accept tokens of `issuer_url` signed with a key of this JWKS document (what the issuer
        publishes at its jwks_uri), besides keys trusted before. Raises oidc_keys.BadJwks."""
        from ramstack.fakecloud.oidc_keys import parse_jwks

        keys = parse_jwks(jwks)
        with self._ctx._lock:
            self._ctx.oidc_keys.setdefault(issuer_url, []).extend(keys)

    def credential(self, access_key_id: str) -> Credential | None:
        """The root key, user key or STS session `access_key_id` names (for signature checks), or None."""
        with self._ctx._lock:
            return find_credential(self._ctx.state, access_key_id)

    def identity_policies(self, principal_arn: str) -> list[tuple[str, PolicyDocument]]:
        """The identity policies in force for `acs:ram::<uid>:user/N` (its own and its groups') or
        `...:role/N`, as (policy name, parsed document); documents that fail to parse are left out."""
        from ramstack.fakecloud.assume_decision import identity_documents

        with self._ctx._lock:
            return identity_documents(self._ctx.state, principal_arn)

    def snapshot(self) -> dict[str, Any]:
        """The whole account as plain dicts, stably ordered, every secret replaced by "***"."""
        return take_snapshot(self._ctx.state)

    def __repr__(self) -> str:
        state = self._ctx.state
        counts = ", ".join(
            f"{name}={len(items)}"
            for name, items in (
                ("users", state.users),
                ("groups", state.groups),
                ("roles", state.roles),
                ("policies", state.policies),
                ("access_keys", state.access_keys),
                ("oidc_providers", state.oidc_providers),
                ("sessions", state.sessions),
            )
        )
        return f"FakeCloud(account_id={self.account_id!r}, {counts})"
