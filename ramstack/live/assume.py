"""`ramstack assume`: AssumeRole with the official STS client, after the checks the API would make.

Pre-checks (located errors, nothing sent): the session name rules, the duration (900 s to the role's
MaxSessionDuration when the stack declares the role, else to 43,200 s), the session policy file
(ramstack's own grammar checks and STS's 2,048-byte limit on the canonical document, which is what
is sent). A NoPermission answer is explained with the local spec as `simulate` would: which side
(the caller's identity policies or the role's trust policy) does not allow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ramstack import names
from ramstack.diagnostics import Diagnostic, Diagnostics, Level, Location
from ramstack.live.sdk import LiveError, StaticCredentials, Target, call, client, models
from ramstack.spec.config import StackConfig
from ramstack.spec.model import Spec

COMMAND_LINE = Location("<command line>")
MAX_DURATION = names.MAX_SESSION_DURATION[1]

BAD_SESSION_NAME = "ASSUME001"
BAD_ROLE = "ASSUME002"
BAD_DURATION = "ASSUME003"
BAD_POLICY = "ASSUME004"


@dataclass(frozen=True)
class AssumeRequest:
    role_arn: str
    session_name: str
    duration: int
    policy: str | None  # canonical compact JSON, as sent


@dataclass(frozen=True)
class AssumedCredentials:
    access_key_id: str
    access_key_secret: str
    security_token: str
    expiration: str
    assumed_role_arn: str
    assumed_role_id: str

    def static(self) -> StaticCredentials:
        return StaticCredentials(self.access_key_id, self.access_key_secret, self.security_token)


def role_name_of(arn: str) -> str | None:
    _, sep, rest = arn.partition(":role/")
    return rest.split("/")[0] if sep and rest else None


def resolve_role(role: str, spec: Spec | None, diags: Diagnostics) -> str | None:
    """`acs:ram::<uid>:role/NAME` as given, or `role/NAME` of the stack's account."""
    if role.startswith("acs:ram::"):
        if role_name_of(role) is None or not names.ACCOUNT_ID.fullmatch(role.split(":")[3]):
            diags.error(
                COMMAND_LINE,
                BAD_ROLE,
                f"--role {role!r} is not a role ARN",
                "acs:ram::<account id>:role/<name>",
            )
            return None
        return role
    kind, sep, name = role.partition("/")
    if kind != "role" or not sep or not name:
        diags.error(
            COMMAND_LINE,
            BAD_ROLE,
            f"--role {role!r} must be a role ARN or role/NAME",
            "e.g. --role role/ims-sts-role",
        )
        return None
    if spec is None:
        diags.error(
            COMMAND_LINE,
            BAD_ROLE,
            f"--role {role} needs the stack's account id, and no stack was loaded",
            "pass the full ARN acs:ram::<account id>:role/<name>, or --stack/-C for the project",
        )
        return None
    if name not in spec.role_map:
        # role/NAME is resolved against the spec; a name it does not declare would be sent as a guess
        known = ", ".join(sorted(spec.role_map)) or "none"
        diags.error(
            COMMAND_LINE,
            BAD_ROLE,
            f"--role {role}: the spec declares no role {name!r} (its roles: {known})",
            "name a role of the spec, or pass the full ARN acs:ram::<account id>:role/<name> for a role "
            "outside it",
        )
        return None
    return spec.role_arn(name)


def check_request(
    role_arn: str,
    session_name: str,
    duration: int,
    policy_file: Path | None,
    spec: Spec | None,
    config: StackConfig | None,
    diags: Diagnostics,
) -> AssumeRequest | None:
    rule = names.ROLE_SESSION_NAME
    problem = rule.problem(session_name)
    if problem is not None:
        diags.error(
            COMMAND_LINE,
            BAD_SESSION_NAME,
            f"--session-name: {problem[1]}",
            f"use {rule.min_len} to {rule.max_len} characters: {rule.allowed}",
        )
    name = role_name_of(role_arn)
    declared = None
    if spec is not None and name is not None and role_arn == spec.role_arn(name):
        declared = spec.role_map.get(name)
    high = declared.max_session_duration if declared is not None else MAX_DURATION
    if not names.ASSUME_ROLE_DURATION_MIN <= duration <= high:
        whose = f"role {name}'s max_session_duration" if declared is not None else "the STS maximum"
        diags.error(
            COMMAND_LINE,
            BAD_DURATION,
            f"--duration {duration} is outside {names.ASSUME_ROLE_DURATION_MIN} to {high} seconds ({whose})",
            f"use {names.ASSUME_ROLE_DURATION_MIN} to {high}"
            + (f", or raise max_session_duration of role {name} in the spec" if declared is not None else ""),
        )
    policy = _session_policy(policy_file, config, diags) if policy_file is not None else None
    if diags.has_errors:
        return None
    return AssumeRequest(role_arn, session_name, duration, policy)


def _session_policy(path: Path, config: StackConfig | None, diags: Diagnostics) -> str | None:
    from ramstack.policy.load import load_policy_file

    if not path.is_file():
        diags.error(
            Location(str(path)), "IO001", f"session policy file {path} not found", "check the --policy path"
        )
        return None
    variables = config.policy_variables() if config is not None else None
    document = load_policy_file(path, "permission", diags, variables=variables)
    if document is None:
        return None
    limit = names.LIMITS["session_policy_bytes"]
    if document.size() > limit:
        diags.error(
            Location(str(path)),
            BAD_POLICY,
            f"session policy is {document.size()} bytes as sent (canonical JSON); STS allows {limit}",
            "drop statements or merge actions that share resources",
        )
        return None
    return document.to_json()


def assume(
    target: Target, request: AssumeRequest, credentials: StaticCredentials | None = None
) -> AssumedCredentials:
    host = target.host("sts")
    sts = client("sts", target, credentials)
    body = call(
        host,
        lambda: (
            sts.assume_role(
                models("sts").AssumeRoleRequest(
                    role_arn=request.role_arn,
                    role_session_name=request.session_name,
                    duration_seconds=request.duration,
                    policy=request.policy,
                )
            ).body
        ),
    )
    creds, user = body.credentials, body.assumed_role_user
    if creds is None or user is None:
        raise LiveError(
            "LIVE001",
            "AssumeRole answered without Credentials or AssumedRoleUser",
            host=host,
            fix="check --endpoint names an STS endpoint (a running `ramstack serve`, or Alibaba's)",
        )
    return AssumedCredentials(
        creds.access_key_id,
        creds.access_key_secret,
        creds.security_token,
        creds.expiration,
        user.arn,
        user.assumed_role_id,
    )


def caller_arn(target: Target, credentials: StaticCredentials | None = None) -> str | None:
    """GetCallerIdentity's Arn, or None when even that fails."""
    try:
        sts = client("sts", target, credentials)
        return str(call(target.host("sts"), lambda: sts.get_caller_identity().body.arn))
    except LiveError:
        return None


def subject_of(arn: str | None, spec: Spec) -> str | None:
    """`user/NAME` or `role/NAME` of the spec for a caller ARN (an assumed-role ARN names its role)."""
    if arn is None or not arn.startswith(f"acs:ram::{spec.account_id}:"):
        return None
    kind, _, rest = arn.rpartition(":")[2].partition("/")
    name = rest.split("/")[0]
    if kind == "user" and name in spec.user_map:
        return f"user/{name}"
    if kind in ("role", "assumed-role") and name in spec.role_map:
        return f"role/{name}"
    return None


def explain_refusal(error: LiveError, role_arn: str, caller: str | None, spec: Spec | None) -> Diagnostic:
    """The API's refusal as one diagnostic, with the likely cause from the local spec."""
    base = error.diagnostic()
    if error.api_code != "NoPermission":
        return base
    detail_side = {"AssumeRolePolicy": "trust", "AccountLevelIdentityBasedPolicy": "identity"}.get(
        str(error.detail.get("PolicyType", ""))
    )
    name = role_name_of(role_arn)
    role = spec.role_map.get(name) if spec is not None and name is not None else None
    subject = subject_of(caller, spec) if spec is not None else None
    who = subject or caller or "the caller"
    if spec is not None and role is None:
        # a role outside the spec: nothing local to compare, and STS refuses a missing role the same way
        return Diagnostic(
            base.location,
            Level.ERROR,
            base.code,
            f"{error.message}; {role_arn} is not declared in the spec, so the cause cannot be checked "
            "locally: the role may not exist in that account, its trust policy may not name "
            f"{who}, or the identity policies of {who} may lack sts:AssumeRole on it",
            "check the role exists (and its trust policy) in that account, and the caller's policies",
        )
    if spec is None or role is None or subject is None:
        side = {
            "trust": f"the trust policy of {role_arn} does not name {who}",
            "identity": f"the identity policies of {who} do not allow sts:AssumeRole on {role_arn}",
        }
        cause = side.get(
            detail_side or "",
            f"either the identity policies of {who} lack sts:AssumeRole on "
            f"{role_arn} or the role's trust policy does not name it",
        )
        return Diagnostic(
            base.location,
            Level.ERROR,
            base.code,
            f"{error.message}; likely cause: {cause}",
            "compare the role's trust policy and the caller's policies (`ramstack simulate`)",
        )
    from ramstack.evaluate.assume import assume_role

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    context = {"acs:CurrentTime": now, "acs:MFAPresent": "false", "acs:SecureTransport": "true"}
    decision = assume_role(spec, subject, role.name, context)
    location = role.location or base.location
    if decision.allowed:
        cause = (
            f"the spec lets {subject} assume role/{role.name}, so the live account differs from the spec "
            "(not yet deployed, or changed outside the stack) or a condition on the request is unmet"
        )
        fix = "deploy the stack (pulumi up), or compare the account with the spec"
    elif decision.failed == ("trust",):
        cause = f"the trust policy of role/{role.name} does not admit {subject} ({decision.trust.reason})"
        fix = f"add {subject} to roles.{role.name}.trust in the spec, or assume a role that trusts it"
    elif decision.failed == ("identity",):
        cause = f"the identity policies of {subject} do not allow sts:AssumeRole on role/{role.name}"
        fix = f"add {role.name} to assume_roles of {subject} in the spec"
    else:
        cause = (
            f"neither the trust policy of role/{role.name} nor the identity policies of {subject} allow it"
        )
        fix = f"trust {subject} in roles.{role.name}.trust and add {role.name} to its assume_roles"
    return Diagnostic(location, Level.ERROR, base.code, f"{error.message}; likely cause: {cause}", fix)


def result_json(creds: AssumedCredentials) -> dict[str, Any]:
    return {
        "access_key_id": creds.access_key_id,
        "access_key_secret": creds.access_key_secret,
        "security_token": creds.security_token,
        "expiration": creds.expiration,
        "assumed_role_arn": creds.assumed_role_arn,
        "assumed_role_id": creds.assumed_role_id,
    }
