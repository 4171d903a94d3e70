"""CrossGuard policies that apply ramstack's lint rules to `alicloud:ram/*` resources.

Two policies, the same rules as `ramstack lint`:

    ramstack-policy-documents   (resource) the document of every ram/policy:Policy and the trust
                                policy of every ram/role:Role: the document and trust rules
    ramstack-principals         (stack) users, groups, roles, attachments, login profiles and
                                AccessKeys of the whole stack: the spec rules (admin and FullAccess
                                attachments, console MFA, AccessKey counts, session length, ...)

Each reports the findings at or above `minSeverity` (default high). Both are mandatory by default;
make them advisory (or disable them) with the usual pack config, e.g. `--policy-pack-config cfg.json`:

    {"all": "advisory",
     "ramstack-principals": {"minSeverity": "medium", "lintConfig": "policies/lint.yaml"}}

`lintConfig` points at the stack's lint.yaml (relative to where `pulumi` runs) so severity
overrides and suppressions apply here exactly as they do in `ramstack lint`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.lint.config import LintConfig, load_lint_config
from ramstack.lint.context import DocumentView
from ramstack.lint.finding import SEVERITY_NAMES, Finding, Severity
from ramstack.lint.registry import RULES, SPEC_RULES
from ramstack.lint.runner import lint_documents, lint_spec
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import parse_policy_dict
from ramstack.spec.model import ConsoleLogin, CustomPolicy, Group, PolicyRef, Role, Spec, Trust, User

POLICY = "alicloud:ram/policy:Policy"
ROLE = "alicloud:ram/role:Role"
USER = "alicloud:ram/user:User"
GROUP = "alicloud:ram/group:Group"
LOGIN_PROFILE = "alicloud:ram/loginProfile:LoginProfile"
ACCESS_KEY = "alicloud:ram/accessKey:AccessKey"
USER_GROUP = "alicloud:ram/userGroupAttachment:UserGroupAttachment"
GROUP_MEMBERSHIP = "alicloud:ram/groupMembership:GroupMembership"
ATTACHMENTS = {
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": ("user", "userName"),
    "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment": ("group", "groupName"),
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": ("role", "roleName"),
}

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "minSeverity": {"type": "string", "enum": list(SEVERITY_NAMES), "default": "high"},
        "lintConfig": {"type": "string", "description": "path of the stack's policies/lint.yaml"},
    }
)


# -- configuration ---------------------------------------------------------------------------------


def _settings(config: Mapping[str, Any]) -> tuple[Severity, LintConfig]:
    threshold = Severity.parse(str(config.get("minSeverity") or "high"))
    path = config.get("lintConfig")
    if not path:
        return threshold, LintConfig()
    diags = Diagnostics()
    lint_config = load_lint_config(Path(str(path)), diags, RULES, display=str(path))
    diags.raise_if_errors()
    return threshold, lint_config


def violation_message(finding: Finding) -> str:
    rule = RULES.get(finding.rule_id)
    fix = f" Fix: {rule.fix}" if rule else ""
    return f"{finding.rule_id} [{finding.severity}] {finding.message}.{fix}"


def _text(props: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = props.get(key)
        if isinstance(value, str) and value:
            return value
    return None


# -- documents (resource policy) -------------------------------------------------------------------


def document_of(
    resource_type: str, props: Mapping[str, Any], name: str
) -> tuple[str, PolicyKind, str] | None:
    """(subject, kind, JSON text) of the document a RAM resource carries, or None."""
    if resource_type == POLICY:
        text = _text(props, "policyDocument", "document")
        policy = _text(props, "policyName", "name") or name
        return (f"policy/{policy}", "permission", text) if text else None
    if resource_type == ROLE:
        text = _text(props, "assumeRolePolicyDocument", "document")
        role = _text(props, "roleName", "name") or name
        return (f"role/{role}", "trust", text) if text else None
    return None


def parse_document(text: str, kind: PolicyKind) -> tuple[PolicyDocument | None, list[str]]:
    """The validated document, or the grammar errors that stop RAM from accepting it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"invalid JSON policy document: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
    try:
        return parse_policy_dict(data, kind, source="<resource>"), []
    except InvalidInput as exc:
        return None, [f"{d.code}: {d.message}" for d in exc.diagnostics]


def check_document(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    found = document_of(args.resource_type, args.props, args.name)
    if found is None:
        return
    subject, kind, text = found
    threshold, lint_config = _settings(args.get_config())
    document, errors = parse_document(text, kind)
    for error in errors:
        report_violation(f"{subject}: {error}", None)
    if document is None:
        return
    view = DocumentView(subject.partition("/")[2], subject, document, ("policies", subject))
    result = lint_documents([view], kind, lint_config=lint_config)
    for finding in result.at_or_above(threshold):
        report_violation(violation_message(finding), None)


# -- principals (stack policy) ---------------------------------------------------------------------


def spec_from_resources(
    resources: Iterable[tuple[str, Mapping[str, Any], str]],
) -> tuple[Spec, dict[str, int], dict[str, str]]:
    """(type, props, urn) of the stack's resources -> (spec, AccessKeys per user, urn per subject)."""
    urns: dict[str, str] = {}
    users: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[PolicyRef]] = {}
    roles: dict[str, tuple[PolicyDocument, int]] = {}
    policies: dict[str, PolicyDocument] = {}
    keys: dict[str, int] = defaultdict(int)
    attached: dict[str, list[PolicyRef]] = defaultdict(list)

    def user(name: str) -> dict[str, Any]:
        return users.setdefault(name, {"console": None, "groups": []})

    for typ, props, urn in resources:
        if typ == USER and (user_name := _text(props, "name", "userName")):
            user(user_name)
            urns[f"user/{user_name}"] = urn
        elif typ == GROUP and (group_name := _text(props, "groupName", "name")):
            groups.setdefault(group_name, [])
            urns[f"group/{group_name}"] = urn
        elif typ == ROLE and (role_name := _text(props, "roleName", "name")):
            text = _text(props, "assumeRolePolicyDocument", "document")
            document, _errors = parse_document(text, "trust") if text else (None, [])
            if document is not None:  # invalid trust policies are the resource policy's finding
                roles[role_name] = (document, int(props.get("maxSessionDuration") or 3600))
                urns[f"role/{role_name}"] = urn
        elif typ == POLICY and (policy_name := _text(props, "policyName", "name")):
            text = _text(props, "policyDocument", "document")
            document, _errors = parse_document(text, "permission") if text else (None, [])
            if document is not None:
                policies[policy_name] = document
                urns[f"policy/{policy_name}"] = urn
        elif typ == LOGIN_PROFILE and (owner := _text(props, "userName")):
            user(owner)["console"] = ConsoleLogin(bool(props.get("mfaBindRequired", False)))
        elif typ == ACCESS_KEY and (owner := _text(props, "userName")):
            keys[owner] += 1
        elif typ == USER_GROUP and (owner := _text(props, "userName")):
            user(owner)["groups"].append(_text(props, "groupName"))
        elif typ == GROUP_MEMBERSHIP:
            for member in props.get("userNames") or ():
                user(str(member))["groups"].append(_text(props, "groupName"))
        elif typ in ATTACHMENTS:
            kind, key = ATTACHMENTS[typ]
            principal, policy = _text(props, key), _text(props, "policyName")
            if principal and policy:
                system = props.get("policyType") == "System"
                attached[f"{kind}/{principal}"].append(PolicyRef(policy, "System" if system else "Custom"))

    spec = Spec(
        account_id="",
        region="",
        users=tuple(
            User(
                name,
                access_key=keys.get(name, 0) > 0,
                console_login=body["console"],
                groups=tuple(sorted({g for g in body["groups"] if g})),
                policies=tuple(attached[f"user/{name}"]),
            )
            for name, body in sorted(users.items())
        ),
        groups=tuple(Group(name, policies=tuple(attached[f"group/{name}"])) for name in sorted(groups)),
        roles=tuple(
            Role(name, Trust(), doc, max_session_duration=seconds, policies=tuple(attached[f"role/{name}"]))
            for name, (doc, seconds) in sorted(roles.items())
        ),
        policies=tuple(CustomPolicy(name, document) for name, document in sorted(policies.items())),
    )
    return spec, dict(keys), urns


def check_principals(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    threshold, lint_config = _settings(args.get_config())
    ram = [r for r in args.resources if r.resource_type.startswith("alicloud:ram/")]
    spec, keys, urns = spec_from_resources((r.resource_type, r.props, r.urn) for r in ram)
    result = lint_spec(spec, lint_config, rules=SPEC_RULES, access_keys=keys, report_unused=False)
    for finding in result.at_or_above(threshold):
        report_violation(violation_message(finding), urns.get(finding.subject))


POLICY_DOCUMENTS = ResourceValidationPolicy(
    name="ramstack-policy-documents",
    description="RAM policy and trust documents pass ramstack's document and trust lint rules.",
    validate=check_document,
    config_schema=CONFIG_SCHEMA,
)
PRINCIPALS = StackValidationPolicy(
    name="ramstack-principals",
    description="RAM users, groups, roles and their attachments pass ramstack's identity lint rules.",
    validate=check_principals,
    config_schema=CONFIG_SCHEMA,
)
POLICIES = [POLICY_DOCUMENTS, PRINCIPALS]
