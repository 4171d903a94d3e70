"""What every STS AssumeRole* operation shares: the role, session name, duration and session-policy
checks, and handing out the session's credentials."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ramstack import names
from ramstack.fakecloud.arns import assumed_role_arn, parse_role_arn
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.documents import load_document
from ramstack.fakecloud.errors import invalid, not_exist
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.service import Service
from ramstack.fakecloud.state import Role, Session

DEFAULT_DURATION_SECONDS = 3600


class SessionIssuer(Service):
    def _role(self, role_arn: str, missing_code: str = "Role") -> Role:
        parsed = parse_role_arn(role_arn)
        if parsed is None:
            raise invalid(
                "RoleArn", f"RoleArn must look like acs:ram::<account id>:role/<role name>, got {role_arn!r}"
            )
        account, name = parsed
        role = self._ctx.state.roles.get(name) if account == self._ctx.account_id else None
        if role is None:
            raise not_exist(missing_code, f"The role does not exist: {role_arn}")
        return role

    def _check_session_name(self, role_session_name: str) -> None:
        problem = names.ROLE_SESSION_NAME.problem(role_session_name)
        if problem is not None:
            raise invalid("RoleSessionName", problem[1])

    def _check_policy(self, policy: str | None) -> None:
        if policy is not None:
            load_document(
                policy,
                kind="permission",
                field="Policy",
                max_bytes=self._ctx.limit("session_policy_bytes"),
                length_code="InvalidParameter.PolicySize",
                grammar_code="InvalidParameter.PolicyGrammar",
            )

    def _check_duration(self, role: Role, duration_seconds: int) -> None:
        low = names.ASSUME_ROLE_DURATION_MIN
        if not low <= duration_seconds <= role.max_session_duration:
            # Role chaining may cap this lower on the real service: UNCONFIRMED, not modelled.
            raise invalid(
                "DurationSeconds",
                f"DurationSeconds must be {low} to {role.max_session_duration} (the role's"
                f" MaxSessionDuration), got {duration_seconds}",
            )

    def _issue(
        self,
        role: Role,
        role_session_name: str,
        duration_seconds: int,
        policy: str | None,
        source_identity: str | None = None,
    ) -> dict[str, Any]:
        """Store a new session and return the response's Credentials and AssumedRoleUser."""
        ctx = self._ctx
        session = Session(
            ctx.ids.sts_access_key_id(),
            Secret(ctx.ids.sts_access_key_secret()),
            Secret(ctx.ids.security_token()),
            role.role_id,
            role.role_name,
            role_session_name,
            ctx.now() + timedelta(seconds=duration_seconds),
            policy,
            source_identity,
        )
        ctx.state.sessions[session.access_key_id] = session
        return {
            "Credentials": {
                "AccessKeyId": session.access_key_id,
                "AccessKeySecret": session.secret.reveal(),
                "SecurityToken": session.security_token.reveal(),
                "Expiration": iso8601(session.expiration),  # live-sdk.md: parsed as %Y-%m-%dT%H:%M:%SZ
            },
            "AssumedRoleUser": {
                "Arn": assumed_role_arn(ctx.account_id, role.role_name, role_session_name),
                "AssumedRoleId": f"{role.role_id}:{role_session_name}",
            },
        }
