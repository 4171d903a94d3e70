"""The policy-document integration point: project validator when present, minimal check otherwise."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location
from ramstack.fakecloud import CloudError, FakeCloud, documents
from ramstack.fakecloud.documents import grammar_problems, load_document

from .helpers import permission, service_trust


def _load(text: str, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "kind": "permission",
        "field": "PolicyDocument",
        "max_bytes": 6144,
        "length_code": "InvalidParameter.PolicyDocument.Length",
    }
    return load_document(text, **{**args, **kw})


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "Version"),
        ({"Version": "1", "Statement": "x"}, "Statement"),
        ({"Version": "1", "Statement": [{"Effect": "Allow", "Resource": "*"}]}, "Action"),
        ({"Version": "1", "Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}, "Effect"),
        ({"Version": "1", "Statement": [1]}, "object"),
    ],
)
def test_minimal_check_without_validator(monkeypatch: pytest.MonkeyPatch, data: Any, fragment: str) -> None:
    monkeypatch.setattr(documents, "_validator", lambda: None)
    problems = grammar_problems(data, "permission")
    assert problems and any(fragment in p for p in problems)


def test_minimal_check_requires_principal_in_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "_validator", lambda: None)
    doc = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    assert any("Principal" in p for p in grammar_problems(doc, "trust"))
    assert grammar_problems(json.loads(service_trust()), "trust") == []


def test_validator_is_used_and_only_errors_count(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, str, str]] = []

    def fake_validator(data: Any, kind: str, *, source: str) -> None:
        seen.append((data, kind, source))
        loc = Location(source)
        raise InvalidInput(
            [
                Diagnostic(loc, Level.ERROR, "POL999", "first problem"),
                Diagnostic(loc, Level.WARNING, "POL998", "just a warning"),
            ]
        )

    monkeypatch.setattr(documents, "_validator", lambda: fake_validator)
    with pytest.raises(CloudError) as info:
        FakeCloud().ram.create_policy(policy_name="p", policy_document=permission())
    assert info.value.code == "MalformedPolicyDocument"
    assert "first problem" in info.value.message and "warning" not in info.value.message
    assert seen == [(json.loads(permission()), "permission", "<PolicyDocument>")]


def test_project_validator_is_found() -> None:
    if documents._validator() is None:
        pytest.skip("ramstack.policy.validate is not present yet")
    assert documents._validator().__name__ == "parse_policy_dict"


def test_non_object_json_is_malformed() -> None:
    with pytest.raises(CloudError) as info:
        _load("42")
    assert info.value.code == "MalformedPolicyDocument"


def test_custom_codes_for_session_policies() -> None:
    with pytest.raises(CloudError) as info:
        _load("nope", grammar_code="InvalidParameter.PolicyGrammar")
    assert info.value.code == "InvalidParameter.PolicyGrammar"


def test_load_returns_the_parsed_document() -> None:
    assert _load(permission())["Version"] == "1"
