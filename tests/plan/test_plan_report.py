"""The plan's JSON is the same whether each principal's grants are dicts (text and html read them) or
text fragments written once per distinct grant (what `ramstack plan --format json` writes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.jsontext import Rendered, dumps_indented
from ramstack.plan.report import build_plan
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "Pulumi.example.yaml").is_file())
PROJECTS = [(ROOT, "dev"), (ROOT, "prod"), *((p, "example") for p in EXAMPLES)]


@pytest.mark.parametrize(("folder", "stack"), PROJECTS, ids=lambda v: getattr(v, "name", v))
def test_grants_written_once_give_the_same_json(folder: Path, stack: str) -> None:
    diags = Diagnostics()
    config = load_stack_config(folder, stack, diags)
    assert config is not None
    spec = load_spec(config, diags)
    effective = compute_effective(spec)
    run = {"resources": [], "outputs": [], "secret_outputs": []}
    plain = build_plan(spec, stack, run, effective)
    rendered = build_plan(spec, stack, run, effective, rendered=True)
    grants = [g for p in rendered["principals"].values() for g in p["grants"]]
    assert grants and all(type(g) is Rendered for g in grants)
    assert all(type(g) is dict for p in plain["principals"].values() for g in p["grants"])
    assert dumps_indented(rendered) == json.dumps(plain, indent=2, sort_keys=True, ensure_ascii=False)
