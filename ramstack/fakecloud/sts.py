"""The STS service (API 2015-04-01) of the fake: AssumeRole, AssumeRoleWithOIDC, AssumeRoleWithSAML
and GetCallerIdentity.

AssumeRole's caller is named by the AccessKeyId that would have signed the request (a RAM user's
key, a root key from `ram.create_access_key()` without a user name, or an STS key from an earlier
AssumeRole*). The two federated operations are unsigned: the token or assertion is the credential.
Every decision is RAM's (assume_decision.py); there is no lenient mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ramstack import names
from ramstack.fakecloud.arns import assumed_role_arn, role_arn, root_arn, user_arn
from ramstack.fakecloud.assume_decision import access_key_context, decide_ram_caller
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import CloudError, invalid
from ramstack.fakecloud.service import api
from ramstack.fakecloud.sts_oidc import OidcOperations
from ramstack.fakecloud.sts_saml import SamlOperations
from ramstack.fakecloud.sts_sessions import DEFAULT_DURATION_SECONDS, SessionIssuer
from ramstack.fakecloud.views import compact

NOT_AUTHORIZED = "You are not authorized to do this action. You should be authorized by RAM."
ROOT_CANNOT_ASSUME = "Roles may not be assumed by root accounts."


@dataclass(frozen=True)
class Caller:
    identity_type: Literal["Account", "RAMUser", "AssumedRoleUser"]
    arn: str
    principal_id: str
    user_id: str | None = None
    role_id: str | None = None
    principal_arn: str | None = None  # the ARN policies name: the user, or the role of a session
    session_policy: str | None = None


class StsApi(OidcOperations, SamlOperations, SessionIssuer):
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
                principal_arn=role_arn(account, session.role_name),
                session_policy=session.policy,
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
            principal_arn=user_arn(account, user.user_name),
        )

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
        ctx = self._ctx
        caller = self._caller(caller_access_key_id)
        if caller.principal_arn is None:
            raise CloudError("NoPermission", ROOT_CANNOT_ASSUME)
        self._check_session_name(role_session_name)
        if external_id is not None and (problem := names.EXTERNAL_ID.problem(external_id)) is not None:
            raise invalid("ExternalId", problem[1])
        self._check_policy(policy)
        role = self._role(role_arn)
        self._check_duration(role, duration_seconds)
        context: dict[str, str] = access_key_context(iso8601(ctx.now()))
        # UNCONFIRMED keys: STS passes ExternalId / SourceIdentity to trust conditions as
        # sts:ExternalId / sts:SourceIdentity (the AWS names); absent when not sent.
        if external_id is not None:
            context["sts:ExternalId"] = external_id
        if source_identity is not None:
            context["sts:SourceIdentity"] = source_identity
        verdict = decide_ram_caller(
            ctx.state,
            caller.principal_arn,
            role,
            context,
            caller.session_policy,
            sets_source_identity=source_identity is not None,
        )
        if not verdict.allowed:
            raise CloudError("NoPermission", NOT_AUTHORIZED)
        return compact(
            **self._issue(role, role_session_name, duration_seconds, policy, source_identity),
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
