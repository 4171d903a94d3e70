"""The endpoint's request handling, without HTTP: request in, status and JSON body out.

  parse -> which API (Action + Version) -> authenticate (signature with the caller's secret)
  -> authorise (the caller's policies, ramstack's evaluator) -> the fake cloud's operation.

AssumeRoleWithOIDC and AssumeRoleWithSAML are the only unsigned operations (the identity provider's
token is the credential; STS API reference, DOCUMENTED). For AssumeRole the fake cloud itself then
checks the role's trust policy (and the caller's identity policies) as RAM does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ramstack.fakecloud import CloudError, FakeCloud, iso8601
from ramstack.fakecloud.clock import system_clock
from ramstack.fakecloud.credentials import Credential
from ramstack.serve.authenticate import RPC_SIGNING_PARAMETERS, Authenticator
from ramstack.serve.authorize import TRUST_POLICY, Denial, authorize
from ramstack.serve.resources import required_permissions
from ramstack.serve.wire import SERVICES, HttpRequest, HttpResponse, error_body, new_request_id

log = logging.getLogger("ramstack.serve")

UNSIGNED = frozenset({("sts", "AssumeRoleWithOIDC"), ("sts", "AssumeRoleWithSAML")})
NOT_AUTHORIZED = "You are not authorized to do this action. You should be authorized by RAM."
PRINCIPAL_TYPES = {"user": "SubUser", "session": "AssumedRoleUser", "root": "Account"}


class Endpoint:
    """Serves one fake account. Thread-safe: the fake serialises its calls; nonces have their own lock."""

    def __init__(self, cloud: FakeCloud, clock: Callable[[], datetime] = system_clock) -> None:
        self.cloud = cloud
        self.clock = clock
        self.authenticator = Authenticator(cloud, clock)

    def handle(self, request: HttpRequest) -> HttpResponse:
        service: str | None = None
        try:
            service, action = self._route(request)
            if request.method not in ("GET", "POST"):
                raise CloudError(
                    "UnsupportedHTTPMethod", f"This http method {request.method} is not supported."
                )
            params = {k: v for k, v in request.params.items() if k not in RPC_SIGNING_PARAMETERS}
            credential: Credential | None = None
            if (service, action) not in UNSIGNED:
                credential = self.authenticator.authenticate(request)
                self._authorize(credential, service, action, params, request)
            caller = None if credential is None else credential.access_key_id
            try:
                return HttpResponse(
                    200, self.cloud.call(service, action, params, caller_access_key_id=caller)
                )
            except CloudError as exc:
                refused = exc.code == "NoPermission" and action == "AssumeRole"
                if refused and credential is not None and credential.kind != "root":
                    # The caller's own policies allowed it (checked above): the trust policy refused.
                    return self._no_permission(service, credential, "sts:AssumeRole", TRUST_POLICY, None)
                raise
        except _Refused as refused:
            return refused.response
        except CloudError as exc:
            log.info("%s -> %s", service, exc.code)
            return HttpResponse(exc.http_status, error_body(exc.code, exc.message, service, exc.request_id))

    def _route(self, request: HttpRequest) -> tuple[str, str]:
        # ACS3 signs the x-acs-action/x-acs-version headers; RPC v1 signs the Action/Version
        # parameters and sends the headers unsigned, so each scheme reads only what it signed.
        if "authorization" in request.headers:
            action, version = request.headers.get("x-acs-action"), request.headers.get("x-acs-version")
        else:
            action, version = request.params.get("Action"), request.params.get("Version")
        if not action:
            raise CloudError("MissingAction", "Action is mandatory for this action.")
        if not version:
            raise CloudError("MissingVersion", "Version is mandatory for this action.")
        service = SERVICES.get(version)
        if service is None:
            raise CloudError(
                "InvalidVersion",
                f"Specified parameter Version is not valid: {version} (this endpoint serves "
                + ", ".join(f"{s.upper()} {v}" for v, s in SERVICES.items())
                + ")",
            )  # code UNCONFIRMED
        if self.cloud.operations().get(action) != service:
            raise CloudError(
                "InvalidApi.NotFound", "Specified api is not found, please check your url and method.", 404
            )
        return service, action

    def _authorize(
        self, credential: Credential, service: str, action: str, params: dict[str, str], request: HttpRequest
    ) -> None:
        context = {
            "acs:SourceIp": request.client_ip,
            "acs:SecureTransport": "false",
            "acs:CurrentTime": iso8601(self.clock()),
            "acs:MFAPresent": "false",
            "acs:AccessKeyId": credential.access_key_id,
        }
        caller_user = credential.display_name if credential.kind == "user" else None
        permissions = required_permissions(service, action, params, self.cloud.account_id, caller_user)
        denial = authorize(self.cloud, credential, permissions, context)
        if denial is not None:
            raise _Refused(
                self._no_permission(service, credential, denial.action, denial.policy_type, denial)
            )

    def _no_permission(
        self, service: str, credential: Credential, auth_action: str, policy_type: str, denial: Denial | None
    ) -> HttpResponse:
        request_id = new_request_id()
        detail: dict[str, Any] = {
            "AuthAction": auth_action,
            "AuthPrincipalType": PRINCIPAL_TYPES[credential.kind],
            "AuthPrincipalDisplayName": credential.display_name,
            "AuthPrincipalOwnerId": self.cloud.account_id,
            "PolicyType": policy_type,
            "NoPermissionType": denial.no_permission_type if denial else "ImplicitDeny",
        }
        log.info("%s NoPermission for %s on %s (%s)", service, credential.arn, auth_action, policy_type)
        return HttpResponse(
            403,
            error_body("NoPermission", NOT_AUTHORIZED, service, request_id, {"AccessDeniedDetail": detail}),
        )


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.body.get("Code"))
        self.response = response
