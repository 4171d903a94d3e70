"""Shared helpers for the evaluator tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ramstack.evaluate import NamedPolicy, PolicySet, Request
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import parse_policy_dict

REPO_ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "1234567890123456"

STACK_FILE = f"""config:
  alicloud:region: cn-hangzhou
  ramstack:accountId: "{ACCOUNT}"
  ramstack:spec: access.yaml
"""

# A spec covering every kind of trust: users, an account root with MFA, a service, GitHub OIDC.
SPEC = """\
oidc_providers:
  github:
    issuer_url: https://token.actions.githubusercontent.com
    client_ids: [sts.aliyuncs.com]
users:
  uploader:
    assume_roles: [vod-upload-role]
  lurker:
    groups: [viewers]
  roamer:
    system_policies: [AliyunSTSAssumeRoleAccess]
    allow_assume_any_role: true
groups:
  viewers:
    system_policies: [AliyunOSSReadOnlyAccess]
roles:
  vod-upload-role:
    trust:
      users: [uploader, lurker]
    system_policies: [AliyunVODFullAccess]
  deploy:
    trust:
      accounts: [self]
      require_mfa: true
    system_policies: [AliyunOSSReadOnlyAccess]
  ecs-role:
    trust:
      services: [ecs.aliyuncs.com]
    system_policies: [AliyunOSSReadOnlyAccess]
  ci:
    github:
      provider: github
      repository: org/repo
      branch: main
    system_policies: [AliyunOSSReadOnlyAccess]
"""


def doc(*statements: dict[str, Any], kind: PolicyKind = "permission") -> PolicyDocument:
    return parse_policy_dict({"Version": "1", "Statement": list(statements)}, kind, source="test")


def named(name: str, *statements: dict[str, Any]) -> NamedPolicy:
    return NamedPolicy(name, doc(*statements), "system")


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def verdict(
    statements: list[dict[str, Any]],
    action: str,
    resource: str = "acs:oss:*:*:bucket/key",
    context: dict[str, Any] | None = None,
    options: EvalOptions = DEFAULT_OPTIONS,
) -> str:
    policies = PolicySet([named("p", *statements)], options)
    return policies.evaluate(Request.of(action, resource, context)).decision
