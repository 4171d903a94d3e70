"""The STS service (API 2015-04-01) of the fake: AssumeRole and GetCallerIdentity.

The caller is named by the AccessKeyId that would have signed the request (a RAM user's key, a root
key from `ram.create_access_key()` without a user name, or an STS key from an earlier AssumeRole).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Literal

from ramstack import names
from ramstack.fakecloud.arns import assumed_role_arn, parse_role_arn, role_arn, root_arn, user_arn
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.documents import load_document, trust_names
from ramstack.fakecloud.errors import CloudError, invalid, not_exist
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import Role, Session
from ramstack.fakecloud.views import compact

ASSUME_ROLE = "sts:AssumeRole"
DEFAULT_DURATION_SECONDS = 3600

NOT_AUTHORIZED = "You are not authorized to do this action. You should be authorized by RAM."
ROOT_CANNOT_ASSUME = "Roles may not be assumed by root accounts."


@dataclass(frozen=True)
class Caller:
    identity_type: Literal["Account", "RAMUser", "AssumedRoleUser"]
    arn: str
    principal_id: str
    user_id: str | None = None
    role_id: str | None = None
    trusted_as: frozenset[str] = field(default_factory=frozenset)  # ARNs a trust policy may name to admit it


class StsApi(Service):
    service: ClassVar[str] = "sts"

    def _caller(self, access_key_id: str) -> Caller:
        # The three credential codes below are Alibaba's gateway codes, not in the reference: UNCONFIRMED.
        ctx, state = self._ctx, self._ctx.state
        account = ctx.account_id
        session = state.sessions.get(access_key_id)
        if session is not None:
            if ctx.now() >= session.expiration:
                raise CloudError("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
            return Caller(
                "AssumedRoleUser",
                assumed_role_arn(account, session.role_name, session.role_session_name),
                f"{session.role_id}:{session.role_session_name}",
                role_id=session.role_id,
                trusted_as=frozenset({role_arn(account, session.role_name), root_arn(account)}),
            )
        key = state.access_keys.get(access_key_id)
        if key is None:
            raise CloudError("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if key.status != "Active":
            raise CloudError("InvalidAccessKeyId.Inactive", "Specified access key is disabled.")
        if key.owner_id is None:
            return Caller("Account", root_arn(account), account, user_id=account)
        user = state.user_by_id(key.owner_id)
        assert user is not None  # DeleteUser refuses while the user has keys
        return Caller(
            "RAMUser",
            user_arn(account, user.user_name),
            user.user_id,
            user_id=user.user_id,
            trusted_as=frozenset({user_arn(account, user.user_name), root_arn(account)}),
        )

    def _authorized(self, caller: Caller, role: Role, context: Mapping[str, Any]) -> bool:
        """The pluggable decision: the injected authorizer if it has an opinion, else the trust check."""
        authorizer = self._ctx.authorizer
        if authorizer is not None:
            decision = authorizer(caller.arn, ASSUME_ROLE, role.arn, context)
            if decision is not None:
                return decision
        return trust_names(json.loads(role.assume_role_policy_document), set(caller.trusted_as))

    @api("AssumeRole")
    def assume_role(
        self,
        *,
        caller_access_key_id: str,
        role_arn: str,
        role_session_name: str,
        duration_seconds: int = DEFAULT_DURATION_SECONDS,
        policy: str | None = None,
        external_id: str | None = None,
        source_identity: str | None = None,
    ) -> dict[str, Any]:
        """Authorizer context keys: AccountId, CallerIdentityType, CallerPrincipalArn (the ARN a trust
        policy names, e.g. the role for an assumed-role caller), TrustedAs (sorted ARNs that admit the
        caller), RoleName, AssumeRolePolicyDocument, RoleSessionName, DurationSeconds, Policy,
        ExternalId, SourceIdentity, acs:CurrentTime."""
        ctx, state = self._ctx, self._ctx.state
        caller = self._caller(caller_access_key_id)
        if caller.identity_type == "Account":
            raise CloudError("NoPermission", ROOT_CANNOT_ASSUME)
        parsed = parse_role_arn(role_arn)
        if parsed is None:
            raise invalid(
                "RoleArn", f"RoleArn must look like acs:ram::<account id>:role/<role name>, got {role_arn!r}"
            )
        problem = names.ROLE_SESSION_NAME.problem(role_session_name)
        if problem is not None:
            raise invalid("RoleSessionName", problem[1])
        if external_id is not None and (problem := names.EXTERNAL_ID.problem(external_id)) is not None:
            raise invalid("ExternalId", problem[1])
        if policy is not None:
            load_document(
                policy,
                kind="permission",
                field="Policy",
                max_bytes=ctx.limit("session_policy_bytes"),
                length_code="InvalidParameter.PolicySize",
                grammar_code="InvalidParameter.PolicyGrammar",
            )
        account, name = parsed
        role = state.roles.get(name) if account == ctx.account_id else None
        if role is None:
            raise not_exist("Role", f"The role does not exist: {role_arn}")
        low = names.ASSUME_ROLE_DURATION_MIN
        if not low <= duration_seconds <= role.max_session_duration:
            # Role chaining may cap this lower on the real service: UNCONFIRMED, not modelled.
            raise invalid(
                "DurationSeconds",
                f"DurationSeconds must be {low} to {role.max_session_duration} (the role's"
                f" MaxSessionDuration), got {duration_seconds}",
            )
        now = ctx.now()
        context: dict[str, Any] = {
            "AccountId": ctx.account_id,
            "CallerIdentityType": caller.identity_type,
            "CallerPrincipalArn": min(caller.trusted_as - {root_arn(ctx.account_id)}, default=caller.arn),
            "TrustedAs": sorted(caller.trusted_as),
            "RoleName": role.role_name,
            "AssumeRolePolicyDocument": role.assume_role_policy_document,
            "RoleSessionName": role_session_name,
            "DurationSeconds": duration_seconds,
            "Policy": policy,
            "ExternalId": external_id,
            "SourceIdentity": source_identity,
            "acs:CurrentTime": iso8601(now),
        }
        if not self._authorized(caller, role, context):
            raise CloudError("NoPermission", NOT_AUTHORIZED)
        session = Session(
            ctx.ids.sts_access_key_id(),
            Secret(ctx.ids.sts_access_key_secret()),
            Secret(ctx.ids.security_token()),
            role.role_id,
            role.role_name,
            role_session_name,
            now + timedelta(seconds=duration_seconds),
            policy,
            source_identity,
        )
        state.sessions[session.access_key_id] = session
        return compact(
            Credentials={
                "AccessKeyId": session.access_key_id,
                "AccessKeySecret": session.secret.reveal(),
                "SecurityToken": session.security_token.reveal(),
                "Expiration": iso8601(session.expiration),
            },
            AssumedRoleUser={
                "Arn": assumed_role_arn(ctx.account_id, role.role_name, role_session_name),
                "AssumedRoleId": f"{role.role_id}:{role_session_name}",
            },
            SourceIdentity=source_identity,
        )

    @api("GetCallerIdentity")
    def get_caller_identity(self, *, caller_access_key_id: str) -> dict[str, Any]:
        caller = self._caller(caller_access_key_id)
        return compact(
            AccountId=self._ctx.account_id,
            IdentityType=caller.identity_type,
            Arn=caller.arn,
            PrincipalId=caller.principal_id,
            UserId=caller.user_id,
            RoleId=caller.role_id,
        )
