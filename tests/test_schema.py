"""The committed JSON Schemas are current, valid, and accept what the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from ramstack.schema import policy_schema, spec_schema

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schemas_are_current() -> None:
    assert json.loads((ROOT / "schema/access.schema.json").read_text()) == spec_schema()
    assert json.loads((ROOT / "schema/policy.schema.json").read_text()) == policy_schema()


def test_schemas_are_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(spec_schema())
    jsonschema.Draft202012Validator.check_schema(policy_schema())


def test_every_spec_in_the_repo_matches_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(spec_schema())
    specs = [ROOT / "access.yaml", *sorted((ROOT / "examples").glob("*/access.yaml"))]
    for path in specs:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], (path, [e.message for e in errors])


def test_schema_rejects_an_unknown_field() -> None:
    validator = jsonschema.Draft202012Validator(spec_schema())
    assert not validator.is_valid({"users": {"alice": {"dispaly_name": "A"}}})


def test_every_policy_file_matches_the_policy_schema() -> None:
    validator = jsonschema.Draft202012Validator(policy_schema())
    files = [*ROOT.glob("policies/*.yaml"), *ROOT.glob("examples/*/policies/*.*")]
    for path in files:
        if path.name == "lint.yaml":
            continue
        data = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
        assert validator.is_valid(data), path


def test_the_readme_spec_example_matches_the_schema() -> None:
    text = (ROOT / "README.md").read_text()
    start = text.index("```yaml", text.index("## The access spec")) + len("```yaml")
    example = yaml.safe_load(text[start : text.index("```", start)])
    assert "users" in example and "roles" in example
    errors = [e.message for e in jsonschema.Draft202012Validator(spec_schema()).iter_errors(example)]
    assert errors == []
