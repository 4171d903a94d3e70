"""Who signs a request: the credential an AccessKeyId names, for a server that verifies signatures.

Read-only views of the fake's keys and STS sessions; the secret stays a `Secret` until the verifier
reveals it to recompute a signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ramstack.fakecloud.arns import assumed_role_arn, role_arn, root_arn, user_arn
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.state import AccountState

CredentialKind = Literal["root", "user", "session"]


@dataclass(frozen=True)
class Credential:
    """An AccessKey of the account (root), of a RAM user, or an STS session's temporary key."""

    access_key_id: str
    secret: Secret
    kind: CredentialKind
    arn: str  # the caller's ARN as GetCallerIdentity reports it
    principal_arn: str  # the ARN identity policies hang off: the account root, the user, or the role
    active: bool = True
    security_token: Secret | None = None  # sessions only
    expiration: datetime | None = None  # sessions only
    session_policy: str | None = None  # sessions only: the AssumeRole Policy parameter, verbatim
    display_name: str = ""  # user or role name (root: the account id)


def find_credential(state: AccountState, access_key_id: str) -> Credential | None:
    account = state.account_id
    session = state.sessions.get(access_key_id)
    if session is not None:
        return Credential(
            access_key_id,
            session.secret,
            "session",
            assumed_role_arn(account, session.role_name, session.role_session_name),
            role_arn(account, session.role_name),
            security_token=session.security_token,
            expiration=session.expiration,
            session_policy=session.policy,
            display_name=f"{session.role_name}:{session.role_session_name}",
        )
    key = state.access_keys.get(access_key_id)
    if key is None:
        return None
    if key.owner_id is None:
        return Credential(
            access_key_id,
            key.secret,
            "root",
            root_arn(account),
            root_arn(account),
            key.status == "Active",
            display_name=account,
        )
    user = state.user_by_id(key.owner_id)
    if user is None:  # DeleteUser refuses while keys exist; a dangling key authenticates nobody
        return None
    arn = user_arn(account, user.user_name)
    return Credential(
        access_key_id, key.secret, "user", arn, arn, key.status == "Active", display_name=user.user_name
    )
