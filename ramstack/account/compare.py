"""Compare the account a spec deploys with the live account, object by object.

Identities, memberships, attachments and OIDC providers are matched by name; attributes the spec
leaves unset are not compared (the cloud fills in its defaults), nor are tags the API did not
report. Documents are compared parsed and canonical (RAM re-serialises trust documents). A login
profile's password_reset_required is not compared: RAM clears it when the user changes the password
(terraform-provider-alicloud#3580), which is not drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ramstack.account.as_spec import canonical_document, live_as_spec
from ramstack.account.drift import Drift, DriftItem, DriftKind
from ramstack.account.expected import expected_account
from ramstack.account.model import LiveAccount, LiveLogin, LiveOidcProvider, LivePolicy, LiveRole, LiveUser
from ramstack.effective import compute_effective
from ramstack.permdiff import diff_permissions
from ramstack.spec.model import Spec

T = TypeVar("T")


def drift(spec: Spec, live: LiveAccount, stack: str) -> Drift:
    expected = expected_account(spec)
    items = compare_accounts(expected, live)
    live_spec, not_evaluated = live_as_spec(live, spec.region)
    permissions = diff_permissions(compute_effective(spec), compute_effective(live_spec))
    return Drift(live.account_id, stack, tuple(sorted(items)), permissions, not_evaluated)


def compare_accounts(expected: LiveAccount, live: LiveAccount) -> list[DriftItem]:
    items: list[DriftItem] = []
    items += _objects("user", expected.user_map, live.user_map, _user)
    items += _objects("group", expected.group_map, live.group_map, lambda e, a: _fields(e, a, ("comments",)))
    items += _objects("role", expected.role_map, live.role_map, _role)
    items += _objects("policy", expected.policy_map, live.policy_map, _policy)
    items += _objects("oidc-provider", expected.oidc_provider_map, live.oidc_provider_map, _oidc)
    in_both_users = expected.user_map.keys() & live.user_map.keys()
    for user, group in expected.memberships() ^ live.memberships():
        if user not in in_both_users:
            continue  # the user itself is reported
        kind: DriftKind = "missing" if (user, group) in expected.memberships() else "unmanaged"
        items.append(DriftItem(f"user/{user}", kind, f"membership in group {group}"))
    principals = {
        "user": in_both_users,
        "group": expected.group_map.keys() & live.group_map.keys(),
        "role": expected.role_map.keys() & live.role_map.keys(),
    }
    wanted, present = set(expected.attachments), set(live.attachments)
    for attachment in sorted(wanted ^ present):
        if attachment.principal not in principals[attachment.kind]:
            continue
        change: DriftKind = "missing" if attachment in wanted else "unmanaged"
        what = f"attachment of {attachment.policy_type} policy {attachment.policy_name}"
        items.append(DriftItem(f"{attachment.kind}/{attachment.principal}", change, what))
    return items


def _objects(
    kind: str,
    expected: Mapping[str, T],
    live: Mapping[str, T],
    compare: Callable[[T, T], Iterable[tuple[str, str, str]]],
) -> list[DriftItem]:
    out = []
    for name in sorted(expected.keys() | live.keys()):
        subject = f"{kind}/{name}"
        if name not in live:
            out.append(DriftItem(subject, "missing", kind))
        elif name not in expected:
            out.append(DriftItem(subject, "unmanaged", kind))
        else:
            out += [
                DriftItem(subject, "changed", what, e, a)
                for what, e, a in compare(expected[name], live[name])
            ]
    return out


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, tuple):
        parts = [f"{v[0]}={v[1]}" if isinstance(v, tuple) else str(v) for v in value]
        return ", ".join(parts) or "(none)"
    return str(value)


def _fields(expected: Any, actual: Any, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Attributes the spec sets (not None, not empty) that the account has otherwise; tags the API
    did not report (None) are not compared."""
    out = []
    for name in names:
        want, got = getattr(expected, name), getattr(actual, name)
        if want in (None, ()) or want == got or (name == "tags" and got is None):
            continue
        out.append((name.replace("_", " "), _show(want), _show(got)))
    return out


def _user(expected: LiveUser, actual: LiveUser) -> list[tuple[str, str, str]]:
    out = _fields(expected, actual, ("display_name", "comments", "email", "mobile", "tags"))
    if bool(expected.access_keys) != bool(actual.access_keys):
        out.append(("access key", _yes(bool(expected.access_keys)), _keys(actual.access_keys)))
    out += _login(expected.login, actual.login)
    return out


def _login(expected: LiveLogin | None, actual: LiveLogin | None) -> list[tuple[str, str, str]]:
    if (expected is None) != (actual is None):
        return [("console login", _yes(expected is not None), _yes(actual is not None))]
    if expected is not None and actual is not None and expected.mfa_bind_required != actual.mfa_bind_required:
        return [("console MFA required", _yes(expected.mfa_bind_required), _yes(actual.mfa_bind_required))]
    return []


def _role(expected: LiveRole, actual: LiveRole) -> list[tuple[str, str, str]]:
    out = _fields(expected, actual, ("description", "max_session_duration", "tags"))
    want = canonical_document(expected.trust_document, "trust")
    got = canonical_document(actual.trust_document, "trust")
    if want != got:
        out.append(("trust document", want, got))
    return out


def _policy(expected: LivePolicy, actual: LivePolicy) -> list[tuple[str, str, str]]:
    out = _fields(expected, actual, ("description",))
    want = canonical_document(expected.document, "permission")
    got = canonical_document(actual.document, "permission")
    if want != got:
        out.append(("document", want, got))
    return out


def _oidc(expected: LiveOidcProvider, actual: LiveOidcProvider) -> list[tuple[str, str, str]]:
    fields = ("issuer_url", "client_ids", "fingerprints", "issuance_limit_time", "description")
    return _fields(expected, actual, fields)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _keys(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "no"
