"""What RAM authorises for each API call the endpoint serves: (action, resource ARN) pairs.

RAM authorises RAM and IMS (2019-08-15) operations as `ram:<Operation>` and STS operations as
`sts:<Operation>` (the bundled action catalog, ramstack/data/actions.json, note on `ram`). Resource
ARNs follow the APIs' "RAM authorization" tables (e.g. ListPoliciesForUser:
`acs:ram:*:{#accountId}:user/{#UserName}`, alibabacloud.com/help RAM API reference: DOCUMENTED).
An operation that names two entities (AttachPolicyToUser, AddUserToGroup) needs both here: at least
as strict as RAM, whose tables list the principal's ARN for some of them (UNCONFIRMED for each).
List operations without resource-level authorization are checked on `<type>/*` (UNCONFIRMED; a
policy with Resource "*" or that pattern allows them). GetCallerIdentity needs no permission
(STS API reference: "no authorization required", DOCUMENTED).
"""

from __future__ import annotations

from collections.abc import Mapping

from ramstack.policy.arn import policy_arn

NO_AUTHORIZATION = frozenset({("sts", "GetCallerIdentity")})

# Request parameter naming an entity -> the ARN's resource type (PolicyName: see policy_arn).
_ENTITY_PARAMETERS = (
    ("UserName", "user"),
    ("GroupName", "group"),
    ("RoleName", "role"),
    ("OIDCProviderName", "oidc-provider"),
)

# List operations (no entity parameter) -> the resource type they enumerate.
_LISTS = {
    "ListUsers": "user",
    "ListGroups": "group",
    "ListRoles": "role",
    "ListPolicies": "policy",
    "ListOIDCProviders": "oidc-provider",
}

# Without UserName these act on the calling RAM user's own keys (CreateAccessKey: "if a RAM user
# calls this operation, the AccessKey is created for itself", jp.alibabacloud.com/help/doc-detail/
# 28689.htm; DOCUMENTED), so they are authorised on that user's ARN.
CALLER_USER_ACTIONS = frozenset({"CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey", "ListAccessKeys"})


def required_permissions(
    service: str,
    action: str,
    params: Mapping[str, str],
    account_id: str,
    caller_user: str | None = None,
) -> list[tuple[str, str]]:
    """The (action, resource) pairs the caller's policies must allow for this call; [] for none.

    `caller_user`: the RAM user who signed the request (None for the account or an STS session)."""
    if (service, action) in NO_AUTHORIZATION:
        return []
    if service == "sts":
        if action == "AssumeRole":
            return [("sts:AssumeRole", params.get("RoleArn", ""))]
        return [(f"sts:{action}", "*")]
    prefix = f"acs:ram:*:{account_id}"
    resources = [f"{prefix}:{kind}/{params[name]}" for name, kind in _ENTITY_PARAMETERS if params.get(name)]
    if not params.get("UserName") and action in CALLER_USER_ACTIONS and caller_user is not None:
        resources.append(f"{prefix}:user/{caller_user}")
    if name := params.get("PolicyName"):
        resources.append(policy_arn(account_id, params.get("PolicyType", "Custom"), name, "*"))
    if not resources:
        kind = _LISTS.get(action)
        resources = [f"{prefix}:{kind}/*" if kind else "*"]
    return [(f"ram:{action}", resource) for resource in resources]
