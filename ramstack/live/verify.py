"""`ramstack verify`: after a deploy, check the live account does what the spec says.

For every user whose AccessKey the stack outputs hold (`pulumi stack output --json --show-secrets`):
its key authenticates as that user (GetCallerIdentity); it can assume every role the spec lets it
assume (ramstack's evaluator: identity AND trust, the request context of an AccessKey call), and the
STS credentials it gets are that role's (GetCallerIdentity); every other role of the stack refuses
it with NoPermission. One `Check` per row; no secret is ever put in one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ramstack.diagnostics import Diagnostics, Location
from ramstack.jsonsource import parse_json
from ramstack.live.sdk import LiveError, StaticCredentials, Target, call, client, models
from ramstack.source import LMap, read_input_text
from ramstack.spec.model import Spec

SESSION_NAME = "ramstack-verify"
DURATION = 900  # the minimum: verification credentials should not outlive the job

BAD_OUTPUTS = "VERIFY001"
NO_SECRETS = "VERIFY002"

Result = Literal["pass", "fail", "skip"]


@dataclass(frozen=True)
class Check:
    user: str  # user/NAME
    check: Literal["key", "assume", "refused"]
    role: str | None  # role/NAME
    result: Result
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "check": self.check,
            "role": self.role,
            "result": self.result,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class StackOutputs:
    keys: dict[str, StaticCredentials]  # user name -> its AccessKey
    encrypted: frozenset[str]  # users whose secret is PGP-encrypted (cannot be used)
    role_arns: dict[str, str]


def read_outputs(path: Path, diags: Diagnostics) -> StackOutputs | None:
    """Parse `pulumi stack output --json --show-secrets`; located errors for a bad or secret-less file."""
    where = Location(str(path))
    try:
        text = read_input_text(path)  # a regular file within the size bound (never a pipe that blocks)
    except FileNotFoundError:
        diags.error(where, "IO001", f"{path} not found", "pulumi stack output --json --show-secrets > FILE")
        return None
    except UnicodeDecodeError:
        diags.error(where, "IO002", f"{path} is not UTF-8", "write it with pulumi stack output --json")
        return None
    except OSError as exc:
        diags.error(where, "IO003", f"cannot read {path}: {exc.strerror}", None)
        return None
    # The located JSON reader: deep nesting, huge numbers, NaN and duplicate keys are errors, not
    # tracebacks; its messages never quote a value (this file holds AccessKey secrets).
    own = Diagnostics()
    data = parse_json(text, str(path), own)
    if own.has_errors:
        for problem in own.errors:
            diags.error(
                problem.location,
                BAD_OUTPUTS,
                f"not JSON: {problem.message.removeprefix('invalid JSON: ')}",
                "pulumi stack output --json --show-secrets > FILE",
            )
        return None
    if not isinstance(data, LMap):
        diags.error(where, BAD_OUTPUTS, "stack outputs must be a JSON object", "pulumi stack output --json")
        return None
    # Each output ramstack reads must be an object of strings; anything else is a located error
    # that names the output, never its values (they may be secrets).
    fields: dict[str, dict[str, str]] = {}
    for name in ("access_key_ids", "access_key_secrets", "access_key_encrypted_secrets", "role_arns"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, LMap) or not all(isinstance(v, str) for v in value.values()):
            if name == "access_key_secrets" and isinstance(value, str):
                continue  # "[secret]": reported below as hidden
            diags.error(
                data.value_loc(name),
                BAD_OUTPUTS,
                f"{name} must be a JSON object mapping names to strings",
                "write the file with pulumi stack output --json --show-secrets, unedited",
            )
            return None
        fields[name] = {str(k): v for k, v in value.items()}
    ids = fields.get("access_key_ids", {})
    secrets = fields.get("access_key_secrets")
    if ids and secrets is None:
        diags.error(
            where,
            NO_SECRETS,
            "access_key_secrets is missing or hidden (Pulumi prints [secret] without --show-secrets)",
            "pulumi stack output --json --show-secrets > FILE (keep the file out of logs and artifacts)",
        )
        return None
    keys = {
        user: StaticCredentials(key_id, secrets[user])
        for user, key_id in ids.items()
        if secrets is not None and user in secrets
    }
    encrypted = frozenset(fields.get("access_key_encrypted_secrets", {}))
    return StackOutputs(keys, encrypted, fields.get("role_arns", {}))


def _context() -> dict[str, str]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"acs:CurrentTime": now, "acs:MFAPresent": "false", "acs:SecureTransport": "true"}


def run_checks(spec: Spec, outputs: StackOutputs, target: Target) -> list[Check]:
    from ramstack.evaluate.assume import assume_role

    host = target.host("sts")
    checks: list[Check] = []
    for user in spec.users:
        if not user.access_key:
            continue
        subject = f"user/{user.name}"
        key = outputs.keys.get(user.name)
        if key is None:
            reason = (
                "its secret is PGP-encrypted" if user.name in outputs.encrypted else "no key in the outputs"
            )
            checks.append(Check(subject, "key", None, "skip", reason))
            continue
        arn = _caller_arn(target, key)
        expected = spec.user_arn(user.name)
        if arn != expected:
            detail = f"expected {expected}, got {arn}" if not isinstance(arn, LiveError) else arn.message
            checks.append(Check(subject, "key", None, "fail", detail))
            continue
        checks.append(Check(subject, "key", None, "pass", f"authenticates as {expected}"))
        context = _context()
        for role in spec.roles:
            role_arn = outputs.role_arns.get(role.name, spec.role_arn(role.name))
            allowed = assume_role(spec, subject, role.name, context).allowed
            checks.append(_assume_check(target, host, key, subject, role.name, role_arn, allowed))
    return checks


def _caller_arn(target: Target, credentials: StaticCredentials) -> str | LiveError:
    try:
        sts = client("sts", target, credentials)
        return str(call(target.host("sts"), lambda: sts.get_caller_identity().body.arn))
    except LiveError as error:
        return error


def _assume_check(
    target: Target, host: str, key: StaticCredentials, subject: str, role: str, role_arn: str, allowed: bool
) -> Check:
    sts = client("sts", target, key)
    request = models("sts").AssumeRoleRequest(
        role_arn=role_arn, role_session_name=SESSION_NAME, duration_seconds=DURATION
    )
    try:
        body = call(host, lambda: sts.assume_role(request).body)
    except LiveError as error:
        if not allowed and error.api_code == "NoPermission":
            return Check(subject, "refused", f"role/{role}", "pass", "refused with NoPermission")
        return Check(subject, "assume" if allowed else "refused", f"role/{role}", "fail", error.message)
    if not allowed:
        return Check(
            subject, "refused", f"role/{role}", "fail", "AssumeRole succeeded, but the spec does not allow it"
        )
    creds = body.credentials
    session = StaticCredentials(creds.access_key_id, creds.access_key_secret, creds.security_token)
    arn = _caller_arn(target, session)
    expected = f"{role_arn}/{SESSION_NAME}"
    if arn != expected:
        detail = arn.message if isinstance(arn, LiveError) else f"credentials are {arn}, expected {expected}"
        return Check(subject, "assume", f"role/{role}", "fail", detail)
    return Check(subject, "assume", f"role/{role}", "pass", f"credentials are {expected}")


def summary(checks: list[Check]) -> Mapping[str, int]:
    return {result: sum(1 for c in checks if c.result == result) for result in ("pass", "fail", "skip")}
