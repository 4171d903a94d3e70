"""The RAM policy grammar validator: located tree in, `PolicyDocument` (or diagnostics) out.

Every problem is reported, at the key or value it concerns, and checking goes on after an error so
the user sees all of them at once. Points the reference marks UNCONFIRMED are warnings, which
`Diagnostics.levels` can turn into errors or silence.

Codes (stable; documented in the README):

    POL001  document is not a mapping (or is empty)
    POL002  Version missing or not "1"
    POL003  Statement missing, empty, or not a list
    POL004  a statement is not a mapping
    POL005  unknown element (top level or statement); suggests the right spelling
    POL006  Effect missing or not exactly "Allow" / "Deny"
    POL007  statement has neither or both of Action and NotAction, or an empty Action list
    POL008  malformed action (must be "*" or "<service>:<Operation>", wildcards allowed)
    POL009  Resource missing in a permission policy, both Resource and NotResource, or empty list
    POL010  (retired: a malformed resource is the warning POL113, see docs/fidelity.md)
    POL011  Principal in a permission policy
    POL012  trust policy Principal missing or malformed (keys RAM, Service, Federated)
    POL013  malformed Condition block (must map operator -> {key: value or list of values})
    POL014  unknown condition operator; suggests the right spelling
    POL015  condition value not valid for its operator (IP/CIDR, ISO 8601 date, number, boolean)
    POL016  value of the wrong type (e.g. a number where a string is expected, a nested list)
    POL017  permission policy larger than 6144 bytes in canonical form
    POL018  trust statement action is not sts:AssumeRole or sts:SetSourceIdentity (or NotAction)
    POL019  policy file is not .json, .yaml or .yml
  warnings (UNCONFIRMED grammar or harmless oddities):
    POL101  NotResource (not documented in the English RAM docs)
    POL102  Sid (support in RAM identity/trust policies not documented)
    POL103  ForAnyValue:/ForAllValues: qualifier (not documented for RAM)
    POL104  empty operator block (`"StringEquals": {}`; an empty `"Condition": {}` is fine)
    POL105  condition key without a service prefix (e.g. "Action" instead of "acs:...")
    POL106  ...IfExists or Null operator (not documented for RAM)
    POL107  Version written as the number 1 instead of the string "1"
    POL108  principal form not documented for RAM (RAM "*", "<uid>@svc.aliyuncs.com", region "*", wildcards)
    POL109  trust action other than sts:AssumeRole that may match it (AssumeRoleWithOIDC/SAML, wildcards)
    POL110  Resource in a trust policy
    POL111  resource ARN with an empty account id
    POL112  duplicate value (the canonical document keeps one)
    POL113  resource that can never match (not "*" or "acs:<service>:<region>:<account>:<relative-id>";
            RAM stores such strings, lint LP304 reports them at high severity)
  variables (ramstack.policy.variables):
    VAR001  unknown ${variable}
    VAR002  malformed ${...} reference
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any, Literal

from ramstack.diagnostics import Diagnostics, InvalidInput, Location
from ramstack.policy import arn as arns
from ramstack.policy.actions import action_matches, action_problem
from ramstack.policy.conditions import Family, check_value, json_type, operator_names, parse_operator
from ramstack.policy.document import (
    ConditionClause,
    ConditionValue,
    PolicyDocument,
    PolicyKind,
    Statement,
    canonical_values,
)
from ramstack.source import LList, LMap

CODES: dict[str, str] = {
    "POL001": "document is not a mapping (or is empty)",
    "POL002": 'Version missing or not "1"',
    "POL003": "Statement missing, empty, or not a list",
    "POL004": "a statement is not a mapping",
    "POL005": "unknown element (top level or statement)",
    "POL006": 'Effect missing or not exactly "Allow" / "Deny"',
    "POL007": "neither or both of Action and NotAction, or an empty Action list",
    "POL008": 'malformed action (must be "*" or "<service>:<Operation>")',
    "POL009": "Resource missing in a permission policy, both Resource and NotResource, or empty list",
    "POL011": "Principal in a permission policy",
    "POL012": "trust policy Principal missing or malformed",
    "POL013": "malformed Condition block",
    "POL014": "unknown condition operator",
    "POL015": "condition value not valid for its operator",
    "POL016": "value of the wrong type",
    "POL017": "permission policy larger than 6144 bytes in canonical form",
    "POL018": "trust statement action is not sts:AssumeRole",
    "POL019": "policy file is not .json, .yaml or .yml",
    "POL101": "NotResource (UNCONFIRMED)",
    "POL102": "Sid (UNCONFIRMED)",
    "POL103": "ForAnyValue:/ForAllValues: qualifier (UNCONFIRMED)",
    "POL104": "empty condition operator block",
    "POL105": "condition key without a service prefix",
    "POL106": "...IfExists or Null operator (UNCONFIRMED)",
    "POL107": "Version written as a number",
    "POL108": "principal form not documented for RAM",
    "POL109": "trust action other than sts:AssumeRole",
    "POL110": "Resource in a trust policy",
    "POL111": "resource ARN with an empty account id",
    "POL112": "duplicate value",
    "POL113": "resource that can never match (malformed ARN)",
    "VAR001": "unknown ${variable}",
    "VAR002": "malformed ${...} reference",
}

MAX_POLICY_BYTES = 6144

TOP_LEVEL = ("Version", "Statement")
STATEMENT_ELEMENTS = (
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "Condition",
    "Sid",
)
PRINCIPAL_TYPES = ("RAM", "Service", "Federated")
_PRINCIPAL_CHECKS = {
    "RAM": arns.check_ram_principal,
    "Service": arns.check_service_principal,
    "Federated": arns.check_federated_principal,
}
ASSUME_ROLE = "sts:AssumeRole"
_UNCONFIRMED_TRUST_ACTIONS = ("sts:AssumeRoleWithOIDC", "sts:AssumeRoleWithSAML")
# Trust actions RAM accepts beside sts:AssumeRole: the Terraform provider's acceptance test applies
# ["sts:AssumeRole", "sts:SetSourceIdentity"] to a live role (resource_alicloud_ram_role_test.go);
# it lets the caller set a SourceIdentity (docs/fidelity.md). CONFIRMED.
_ACCEPTED_TRUST_ACTIONS = (ASSUME_ROLE, "sts:SetSourceIdentity")

_EXAMPLE_STATEMENT = '{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "acs:oss:*:*:mybucket/*"}'
_EXAMPLE_TRUST = (
    '{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": "acs:ram::<uid>:root"}}'
)


def validate_policy(tree: Any, kind: PolicyKind, diags: Diagnostics, *, file: str) -> PolicyDocument | None:
    """Check a loaded policy document (LMap/LList from `ramstack.source`, or plain dicts and lists).

    Every problem goes to `diags`. Returns the canonical `PolicyDocument` (statements keep their
    location, `source=file`) when this document has no errors, else None.
    """
    before = len(diags.items)
    checker = _Checker(kind, diags, file)
    statements = checker.document(tree)
    if statements is None or diags.errors_since(before):
        return None
    doc = PolicyDocument(tuple(statements), kind=kind, source=file)
    if kind == "permission":
        size = doc.size()
        if size > MAX_POLICY_BYTES:
            diags.error(
                _own_loc(tree, Location(file)),
                "POL017",
                f"policy document is {size} bytes in canonical form; RAM allows at most {MAX_POLICY_BYTES}",
                "split it into several policies, or merge statements and use wildcards",
            )
            return None
    return doc


def parse_policy_dict(
    data: Mapping[str, Any], kind: PolicyKind, *, source: str = "<inline>"
) -> PolicyDocument:
    """Validate a plain mapping (catalog entries, session policies, generated trust policies).

    Raises `InvalidInput` carrying every diagnostic when the document has errors; warnings are dropped.
    """
    diags = Diagnostics()
    doc = validate_policy(data, kind, diags, file=source)
    if doc is None:
        raise InvalidInput(diags.items)
    return doc


# ---------------------------------------------------------------------------------------------
# location helpers: LMap/LList know where things are; plain containers fall back to the parent's


_LOCATED = (LMap, LList)  # a tuple: `isinstance` with `LMap | LList` builds the union on every call


def _own_loc(value: Any, fallback: Location) -> Location:
    return value.loc if isinstance(value, _LOCATED) else fallback


def _key_loc(mapping: Any, key: Any, fallback: Location) -> Location:
    return mapping.key_loc(key) if isinstance(mapping, LMap) else _own_loc(mapping, fallback)


def _value_loc(mapping: Any, key: Any, fallback: Location) -> Location:
    return mapping.value_loc(key) if isinstance(mapping, LMap) else _own_loc(mapping, fallback)


def _item_loc(items: Any, index: int, fallback: Location) -> Location:
    return items.item_loc(index) if isinstance(items, LList) else _own_loc(items, fallback)


def _suggest(word: Any, known: tuple[str, ...] | list[str]) -> str | None:
    """The known word `word` most likely meant: a case variant first, else a close spelling."""
    if not isinstance(word, str):
        return None
    for candidate in known:
        if candidate.lower() == word.lower():
            return candidate
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _text_problem(value: str) -> str | None:
    if value.isascii():  # no surrogate can hide in ASCII: the common case, without encoding
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "string is not valid Unicode text (it contains an unpaired surrogate)"
    return None


class _Items:
    """The strings of element `key` of `node` (a string, or a list of strings), in order; each one's
    location is looked up only when something is reported about it."""

    __slots__ = ("_key", "_node", "_parent", "_raw", "texts")

    def __init__(
        self, texts: list[str], raw: Any, node: Mapping[Any, Any], key: str, parent: Location
    ) -> None:
        self.texts = texts
        self._raw = raw
        self._node = node
        self._key = key
        self._parent = parent

    def vloc(self) -> Location:
        """Where the element's value is."""
        return _value_loc(self._node, self._key, self._parent)

    def loc(self, index: int) -> Location:
        return self.vloc() if isinstance(self._raw, str) else _item_loc(self._raw, index, self.vloc())

    def canonical(self) -> tuple[str, ...]:
        """Sorted and de-duplicated, as `canonical_values` orders strings."""
        return tuple(sorted(set(self.texts)))


class _Checker:
    def __init__(self, kind: PolicyKind, diags: Diagnostics, file: str) -> None:
        self.kind = kind
        self.diags = diags
        self.file = file

    # -- document --------------------------------------------------------------------------

    def document(self, tree: Any) -> list[Statement] | None:
        root = _own_loc(tree, Location(self.file))
        if not isinstance(tree, Mapping):
            what = "empty" if tree is None else f"a {json_type(tree)}"
            self.diags.error(
                root,
                "POL001",
                f"a policy document must be a mapping with Version and Statement; this one is {what}",
                '{"Version": "1", "Statement": [...]}',
            )
            return None
        typos = self._unknown_keys(tree, TOP_LEVEL, root, "top-level element")
        self._version(tree, root, typos)
        return self._statements(tree, root, typos)

    def _unknown_keys(
        self, mapping: Mapping[Any, Any], known: tuple[str, ...], parent: Location, what: str
    ) -> set[str]:
        """Report keys outside `known`; returns the known names they look like misspellings of."""
        typos: set[str] = set()
        for key in mapping:
            if key in known:
                continue
            guess = _suggest(key, known)
            loc = _key_loc(mapping, key, parent)
            allowed = ", ".join(known)
            if key == "NotPrincipal":
                fix = "RAM has no NotPrincipal; list the trusted principals under Principal"
            elif guess is not None and guess not in mapping:
                typos.add(guess)
                fix = f"did you mean {guess!r}? Element names are case-sensitive"
            else:
                fix = f"remove it; allowed: {allowed}"
            self.diags.error(loc, "POL005", f"unknown {what} {key!r}", fix)
        return typos

    def _version(self, doc: Mapping[Any, Any], root: Location, typos: set[str]) -> None:
        if "Version" not in doc:
            if "Version" not in typos:
                self.diags.error(root, "POL002", "Version is missing", 'add "Version": "1"')
            return
        value = doc["Version"]
        if value == "1" and isinstance(value, str):
            return
        loc = _value_loc(doc, "Version", root)
        if isinstance(value, int) and not isinstance(value, bool) and value == 1:
            self.diags.warning(
                loc,
                "POL107",
                'Version is the number 1; RAM documents the string "1"',
                'quote it: Version: "1" (the canonical document always writes "1")',
            )
            return
        shown = repr(value) if isinstance(value, str) else f"{json_type(value)} {value!r}"
        fix = 'write "Version": "1" (RAM has no dated versions like AWS "2012-10-17")'
        self.diags.error(loc, "POL002", f'Version must be "1"; got {shown}', fix)

    def _statements(self, doc: Mapping[Any, Any], root: Location, typos: set[str]) -> list[Statement] | None:
        if "Statement" not in doc:
            if "Statement" not in typos:
                self.diags.error(
                    root, "POL003", "Statement is missing", f'add "Statement": [{_EXAMPLE_STATEMENT}]'
                )
            return None
        value = doc["Statement"]
        if isinstance(value, list | tuple) and value:
            return self._statement_list(value, doc, root)
        loc = _value_loc(doc, "Statement", root)
        if isinstance(value, Mapping):
            self.diags.error(
                loc,
                "POL003",
                "Statement must be a list of statements; this is a single statement object",
                "wrap it in a list: \"Statement\": [ {...} ] (in YAML, start it with '- ')",
            )
            self.statement(value, loc, 0)
            return None
        if not isinstance(value, list | tuple):
            self.diags.error(
                loc,
                "POL003",
                f"Statement must be a list of statements; got {json_type(value)}",
                f'"Statement": [{_EXAMPLE_STATEMENT}]',
            )
            return None
        self.diags.error(loc, "POL003", "Statement is empty", "add at least one statement")
        return None

    def _statement_list(self, value: Any, doc: Mapping[Any, Any], root: Location) -> list[Statement]:
        out: list[Statement] = []
        for index, item in enumerate(value):
            # a mapping's own location is where it is listed: made once, for its statement
            if isinstance(item, LMap):
                where = item.loc
            else:
                where = _item_loc(value, index, _value_loc(doc, "Statement", root))
            statement = self.statement(item, where, index)
            if statement is not None:
                out.append(statement)
        return out

    # -- statement -------------------------------------------------------------------------

    def statement(self, node: Any, loc: Location, index: int) -> Statement | None:
        if not isinstance(node, Mapping):
            self.diags.error(
                loc,
                "POL004",
                f"statement {index + 1} must be a mapping; got {json_type(node)}",
                _EXAMPLE_TRUST if self.kind == "trust" else _EXAMPLE_STATEMENT,
            )
            return None
        loc = _own_loc(node, loc)
        typos = self._unknown_keys(node, STATEMENT_ELEMENTS, loc, "statement element")
        effect = self._effect(node, loc, typos)
        actions, not_action = self._actions(node, loc, typos)
        resources, not_resource = self._resources(node, loc, typos)
        principals = self._principals(node, loc, typos)
        conditions = self._conditions(node, loc)
        sid = self._sid(node, loc)
        if effect is None or actions is None:
            return None
        return Statement(
            effect=effect,
            actions=actions,
            not_action=not_action,
            resources=resources,
            not_resource=not_resource,
            principals=principals,
            conditions=conditions,
            sid=sid,
            location=loc,
        )

    def _effect(
        self, node: Mapping[Any, Any], loc: Location, typos: set[str]
    ) -> Literal["Allow", "Deny"] | None:
        if "Effect" not in node:
            if "Effect" not in typos:
                self.diags.error(
                    loc, "POL006", "statement has no Effect", 'add "Effect": "Allow" (or "Deny")'
                )
            return None
        value = node["Effect"]
        if value == "Allow" and isinstance(value, str):
            return "Allow"
        if value == "Deny" and isinstance(value, str):
            return "Deny"
        vloc = _value_loc(node, "Effect", loc)
        if not isinstance(value, str):
            self.diags.error(
                vloc,
                "POL016",
                f'Effect must be the string "Allow" or "Deny"; got {json_type(value)}',
                '"Effect": "Allow"',
            )
            return None
        guess = _suggest(value.strip(), ("Allow", "Deny"))
        fix = f'write "{guess}" (values are case-sensitive)' if guess else 'write "Allow" or "Deny"'
        self.diags.error(vloc, "POL006", f'Effect must be exactly "Allow" or "Deny"; got {value!r}', fix)
        return None

    def _strings(self, node: Mapping[Any, Any], key: str, loc: Location) -> _Items | None:
        """A string-or-list-of-strings element; None after a type error.

        Reports POL016 for wrong types and POL112 for duplicates; an empty list yields no texts.
        """
        value = node[key]
        if isinstance(value, str):
            ok = _text_problem(value) is None or self._text_ok(value, _value_loc(node, key, loc))
            return _Items([value], value, node, key, loc) if ok else None
        if not isinstance(value, list | tuple):
            self.diags.error(
                _value_loc(node, key, loc),
                "POL016",
                f"{key} must be a string or a list of strings; got {json_type(value)}",
                "quote it"
                if isinstance(value, int | float)
                else f'write "{key}": "<value>" or "{key}": ["<a>", "<b>"]',
            )
            return None
        items = _Items([], value, node, key, loc)
        out, seen, ok = items.texts, set(), True
        for index, item in enumerate(value):
            if not isinstance(item, str):
                if isinstance(item, list | tuple):
                    hint = "flatten the nested list"
                elif isinstance(item, Mapping) or item is None:
                    hint = "write a string, or remove the item"
                else:
                    hint = "quote it"
                self.diags.error(
                    items.loc(index),
                    "POL016",
                    f"{key} item {index + 1} must be a string; got {json_type(item)}",
                    hint,
                )
                ok = False
                continue
            problem = _text_problem(item)
            if problem is not None:
                self.diags.error(items.loc(index), "POL016", problem, "re-save the file as UTF-8")
                ok = False
                continue
            if item in seen:
                self.diags.warning(
                    items.loc(index),
                    "POL112",
                    f"{key} lists {item!r} twice",
                    "remove the duplicate; the canonical document keeps one",
                )
            seen.add(item)
            out.append(item)
        return items if ok else None

    def _text_ok(self, value: str, loc: Location) -> bool:
        problem = _text_problem(value)
        if problem is not None:
            self.diags.error(loc, "POL016", problem, "re-save the file as UTF-8")
            return False
        return True

    def _actions(
        self, node: Mapping[Any, Any], loc: Location, typos: set[str]
    ) -> tuple[tuple[str, ...] | None, bool]:
        has_action, has_not = "Action" in node, "NotAction" in node
        if has_action and has_not:
            self.diags.error(
                _key_loc(node, "NotAction", loc),
                "POL007",
                "statement has both Action and NotAction",
                "keep one: Action lists what the statement covers, NotAction what it excludes",
            )
            return None, False
        if not has_action and not has_not:
            if not typos & {"Action", "NotAction"}:
                fix = (
                    f'add "Action": "{ASSUME_ROLE}"'
                    if self.kind == "trust"
                    else 'add "Action", e.g. "oss:GetObject"'
                )
                self.diags.error(loc, "POL007", "statement has no Action (or NotAction)", fix)
            return None, False
        key = "Action" if has_action else "NotAction"
        items = self._strings(node, key, loc)
        if items is None:
            return None, has_not
        if not items.texts:
            self.diags.error(
                _value_loc(node, key, loc), "POL007", f"{key} is an empty list", "list at least one action"
            )
            return None, has_not
        ok = True
        for index, text in enumerate(items.texts):
            problem = action_problem(text)
            if problem is not None:
                self.diags.error(items.loc(index), "POL008", problem[0], problem[1])
                ok = False
        if self.kind == "trust" and ok:
            ok = self._trust_actions(items, has_not, node, key, loc)
        if not ok:
            return None, has_not
        return items.canonical(), has_not

    def _trust_actions(
        self, items: _Items, not_action: bool, node: Mapping[Any, Any], key: str, loc: Location
    ) -> bool:
        if not_action:
            self.diags.error(
                _key_loc(node, key, loc),
                "POL018",
                "NotAction is not used in trust policies",
                f'write "Action": "{ASSUME_ROLE}"',
            )
            return False
        ok = True
        for index, text in enumerate(items.texts):
            if text in _ACCEPTED_TRUST_ACTIONS:
                continue
            iloc = items.loc(index)
            if text in _UNCONFIRMED_TRUST_ACTIONS:
                self.diags.warning(
                    iloc,
                    "POL109",
                    f"trust action {text!r} is not documented for RAM trust policies; RAM's examples use "
                    f"{ASSUME_ROLE} for every principal type, OIDC and SAML included",
                    f'write "{ASSUME_ROLE}"',
                )
            elif action_matches(text, ASSUME_ROLE):
                self.diags.warning(
                    iloc,
                    "POL109",
                    f"trust action {text!r} is a pattern; RAM documents trust statements with {ASSUME_ROLE}",
                    f'write "{ASSUME_ROLE}"',
                )
            else:
                self.diags.error(
                    iloc,
                    "POL018",
                    f"trust policy action {text!r} does not allow assuming the role",
                    f'a trust policy grants "{ASSUME_ROLE}"; put other actions in a permission policy',
                )
                ok = False
        return ok

    def _resources(
        self, node: Mapping[Any, Any], loc: Location, typos: set[str]
    ) -> tuple[tuple[str, ...] | None, bool]:
        has_res, has_not = "Resource" in node, "NotResource" in node
        if has_res and has_not:
            self.diags.error(
                _key_loc(node, "NotResource", loc),
                "POL009",
                "statement has both Resource and NotResource",
                "keep one of the two",
            )
            return None, False
        if not has_res and not has_not:
            if self.kind == "permission" and not typos & {"Resource", "NotResource"}:
                self.diags.error(
                    loc,
                    "POL009",
                    "statement has no Resource; permission policies need one",
                    'add "Resource": "*" or an ARN such as "acs:oss:*:*:mybucket/*"',
                )
            return None, False
        key = "Resource" if has_res else "NotResource"
        if has_not:
            self.diags.warning(
                _key_loc(node, key, loc),
                "POL101",
                "NotResource is not documented in RAM's English policy grammar",
                "prefer Resource with explicit ARNs, or a Deny statement",
            )
        if self.kind == "trust":
            self.diags.warning(
                _key_loc(node, key, loc),
                "POL110",
                f"{key} in a trust policy: RAM's trust policy examples have none",
                f"remove {key}; the trust policy applies to its own role",
            )
        items = self._strings(node, key, loc)
        if items is None:
            return None, has_not
        if not items.texts:
            self.diags.error(
                _value_loc(node, key, loc),
                "POL009",
                f"{key} is an empty list",
                'list at least one resource, or "*"',
            )
            return None, has_not
        for index, text in enumerate(items.texts):
            findings = arns.check_resource(text)
            if not findings:
                continue
            # A malformed ARN is accepted by RAM and matches nothing: a warning (POL113) and the
            # high-severity lint finding LP304, never an unsuppressible error (docs/fidelity.md).
            shape = arns.unmatchable(findings)
            if shape is not None:
                self.diags.warning(
                    items.loc(index), "POL113", f"{shape.message}: it can never match", shape.fix
                )
                continue
            for finding in findings:
                self.diags.warning(items.loc(index), "POL111", finding.message, finding.fix)
        return items.canonical(), has_not

    def _principals(
        self, node: Mapping[Any, Any], loc: Location, typos: set[str]
    ) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        if self.kind == "permission":
            if "Principal" in node:
                self.diags.error(
                    _key_loc(node, "Principal", loc),
                    "POL011",
                    "Principal is not allowed in a permission policy",
                    "remove it; attach the policy to a user, group or role. Principal is for trust policies",
                )
            return None
        if "Principal" not in node:
            if "Principal" not in typos:
                self.diags.error(
                    loc,
                    "POL012",
                    "trust statement has no Principal",
                    'add "Principal": {"RAM": ["acs:ram::<account-id>:root"]} (or Service / Federated)',
                )
            return None
        value = node["Principal"]
        vloc = _value_loc(node, "Principal", loc)
        if not isinstance(value, Mapping) or not value:
            got = "an empty mapping" if isinstance(value, Mapping) else f"{json_type(value)} {value!r}"
            self.diags.error(
                vloc,
                "POL012",
                f"Principal must map RAM, Service or Federated to principals; got {got}",
                'e.g. "Principal": {"Service": ["ecs.aliyuncs.com"]}',
            )
            return None
        out: list[tuple[str, tuple[str, ...]]] = []
        ok = True
        for key in value:
            if key not in PRINCIPAL_TYPES:
                guess = _suggest(key, PRINCIPAL_TYPES)
                fix = (
                    f"did you mean {guess!r}? Principal types are case-sensitive"
                    if guess
                    else "trust RAM (accounts, users, roles), Service or Federated (identity providers)"
                )
                self.diags.error(
                    _key_loc(value, key, vloc),
                    "POL012",
                    f"unknown principal type {key!r}; use RAM, Service or Federated",
                    fix,
                )
                ok = False
                continue
            items = self._strings(value, key, vloc)
            if items is None:
                ok = False
                continue
            if not items.texts:
                self.diags.error(
                    _value_loc(value, key, vloc),
                    "POL012",
                    f"Principal {key} is an empty list",
                    "list the principals",
                )
                ok = False
                continue
            check = _PRINCIPAL_CHECKS[key]
            for index, text in enumerate(items.texts):
                for finding in check(text):
                    if finding.severity == "error":
                        self.diags.error(items.loc(index), "POL012", finding.message, finding.fix)
                        ok = False
                    else:
                        self.diags.warning(items.loc(index), "POL108", finding.message, finding.fix)
            out.append((key, items.canonical()))
        if not ok:
            return None
        return tuple(sorted(out))

    def _sid(self, node: Mapping[Any, Any], loc: Location) -> str | None:
        if "Sid" not in node:
            return None
        value = node["Sid"]
        vloc = _value_loc(node, "Sid", loc)
        if not isinstance(value, str):
            self.diags.error(vloc, "POL016", f"Sid must be a string; got {json_type(value)}", "quote it")
            return None
        if not self._text_ok(value, vloc):
            return None
        self.diags.warning(
            _key_loc(node, "Sid", loc),
            "POL102",
            "Sid is not documented for RAM identity and trust policies",
            "remove it, or keep it if RAM accepts it for your account",
        )
        return value

    # -- condition -------------------------------------------------------------------------

    def _conditions(self, node: Mapping[Any, Any], loc: Location) -> tuple[ConditionClause, ...]:
        if "Condition" not in node:
            return ()
        block = node["Condition"]
        bloc = _value_loc(node, "Condition", loc)
        if not isinstance(block, Mapping):
            self.diags.error(
                bloc,
                "POL013",
                f"Condition must map operators to {{key: value}}; got {json_type(block)}",
                '"Condition": {"IpAddress": {"acs:SourceIp": ["203.0.113.0/24"]}}',
            )
            return ()
        if not block:
            # `"Condition": {}` means "no condition": Alibaba's own system policies and guides write it
            # (docs/fidelity.md), so it draws nothing. An operator with no keys still does (POL104).
            return ()
        clauses: list[ConditionClause] = []
        for op in block:
            clauses.extend(self._operator_block(block, op, bloc))
        return tuple(sorted(clauses, key=lambda c: (c.operator, c.key)))

    def _operator_block(self, block: Mapping[Any, Any], op: Any, bloc: Location) -> list[ConditionClause]:
        oloc = _key_loc(block, op, bloc)
        family: Family | None = None
        parsed = parse_operator(op) if isinstance(op, str) else None
        if parsed is None:
            guess = _suggest(op, operator_names())
            if isinstance(op, str) and op.endswith("NullIfExists"):
                guess = "Null"
            fix = (
                f"did you mean {guess!r}? Operators are case-sensitive"
                if guess
                else ("use a String*, Numeric*, Date*, Bool or IpAddress/NotIpAddress operator")
            )
            self.diags.error(oloc, "POL014", f"unknown condition operator {op!r}", fix)
        else:
            family = parsed.family
            if parsed.qualifier is not None:
                self.diags.warning(
                    oloc,
                    "POL103",
                    f"qualifier '{parsed.qualifier}:' in {op!r} is not documented for RAM",
                    "check the service's documentation; without it RAM docs define multi-value keys as OR",
                )
            if parsed.if_exists or parsed.base.family is Family.NULL:
                self.diags.warning(
                    oloc,
                    "POL106",
                    f"operator {op!r} is not documented for RAM",
                    "use a documented operator; how RAM treats a missing key is not documented",
                )
        keys = block[op]
        kloc = _value_loc(block, op, bloc)
        if not isinstance(keys, Mapping):
            self.diags.error(
                kloc,
                "POL013",
                f"operator {op!r} must map condition keys to values; got {json_type(keys)}",
                f'"{op}": {{"<condition key>": ["<value>", ...]}}',
            )
            return []
        if not keys:
            self.diags.warning(oloc, "POL104", f"operator {op!r} has no condition keys", "remove it")
            return []
        out: list[ConditionClause] = []
        for key in keys:
            clause = self._clause(keys, key, kloc, op, family)
            if clause is not None:
                out.append(clause)
        return out

    def _clause(
        self, keys: Mapping[Any, Any], key: Any, parent: Location, op: Any, family: Family | None
    ) -> ConditionClause | None:
        key_loc = _key_loc(keys, key, parent)
        ok = True
        if not isinstance(key, str) or not key.strip():
            self.diags.error(
                key_loc, "POL013", f"condition key {key!r} must be a non-empty string", "e.g. acs:SourceIp"
            )
            ok = False
        elif not self._text_ok(key, key_loc):
            ok = False
        elif ":" not in key:
            self.diags.warning(
                key_loc,
                "POL105",
                f"condition key {key!r} has no service prefix",
                "RAM keys are 'acs:<Key>' or '<service>:<Key>', e.g. acs:SourceIp; check the service's docs",
            )
        raw = keys[key]
        vloc = _value_loc(keys, key, parent)
        values: list[Any]
        if isinstance(raw, list | tuple):
            if not raw:
                self.diags.error(
                    vloc, "POL013", f"condition key {key!r} has an empty list of values", "list a value"
                )
                return None
            values = [(item, _item_loc(raw, i, vloc)) for i, item in enumerate(raw)]
        else:
            values = [(raw, vloc)]
        kept: list[ConditionValue] = []
        seen: set[tuple[str, Any]] = set()
        for value, iloc in values:
            if not self._condition_value(value, iloc, key, family):
                ok = False
                continue
            marker = (type(value).__name__, value)
            if marker in seen:
                self.diags.warning(
                    iloc, "POL112", f"condition key {key!r} lists {value!r} twice", "remove the duplicate"
                )
            seen.add(marker)
            kept.append(value)
        if not ok or family is None:
            return None
        return ConditionClause(str(op), str(key), tuple(canonical_values(kept)))

    def _condition_value(self, value: Any, loc: Location, key: Any, family: Family | None) -> bool:
        if isinstance(value, list | tuple | Mapping) or value is None:
            hint = (
                "flatten the list: one level of values"
                if isinstance(value, list | tuple)
                else "write a single value"
            )
            self.diags.error(
                loc,
                "POL016",
                f"value of condition key {key!r} must be a string, number or boolean; got {json_type(value)}",
                hint,
            )
            return False
        if isinstance(value, float) and not math.isfinite(value):
            self.diags.error(
                loc, "POL016", f"value {value!r} is not a finite number", "write a finite number"
            )
            return False
        if isinstance(value, str) and not self._text_ok(value, loc):
            return False
        if not isinstance(value, str | int | float):  # bool is an int
            self.diags.error(
                loc,
                "POL016",
                f"unsupported value type {type(value).__name__}",
                "write a string, number or boolean",
            )
            return False
        if family is None:
            return True
        problem = check_value(family, value)
        if problem is None:
            return True
        self.diags.error(loc, "POL016" if problem.wrong_type else "POL015", problem.message, problem.fix)
        return False
