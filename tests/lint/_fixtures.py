"""Per-rule fixtures: ramstack/lint/examples/<RULE>/{pass,fail}_*.yaml.
(Packaged with ramstack so `ramstack rules LPnnn` can show them as examples.)

A fixture is either an access spec (linted as a stack) or, when it has a top-level `Statement`, a
standalone policy document (linted like `ramstack lint --policy`). Its leading comment lines say:

    # expect: <subject> <line>:<col>           a finding of the rule, in this file
    # expect: <subject> <file>:<line>:<col>    ... in another file (relative to the fixture folder)
    # kind: trust                              document fixtures: a trust policy (default permission)
    # today: YYYY-MM-DD                        the date suppressions expire against (default below)
    # baseline: <file>                         lint with this lock file (no-new-access)
    # events: <file>                           lint with these ActionTrail events (activity rules)

A fail fixture lists every finding of its rule; a pass fixture yields none of its rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast

from ramstack.diagnostics import Diagnostics
from ramstack.lint.baseline import load_baseline
from ramstack.lint.context import DocumentView
from ramstack.lint.locate import Source
from ramstack.lint.runner import LintResult, lint_documents, lint_stack
from ramstack.policy.document import PolicyKind
from ramstack.policy.load import load_policy_file
from ramstack.policy.variables import substitute
from ramstack.source import load_file
from ramstack.spec.config import StackConfig
from ramstack.spec.load import load_spec

FIXTURES = Path(__file__).resolve().parents[2] / "ramstack" / "lint" / "examples"
ACCOUNT = "1234567890123456"
REGION = "cn-hangzhou"
TODAY = date(2026, 6, 1)
_HEADER = re.compile(r"#\s*(expect|kind|today|baseline|events):\s*(.+?)\s*$")


@dataclass(frozen=True)
class Fixture:
    path: Path
    rule_id: str
    expect: tuple[tuple[str, str], ...] = ()
    kind: str = "permission"
    today: date = TODAY
    baseline: str | None = None
    events: str | None = None
    is_document: bool = field(default=False)

    @property
    def passing(self) -> bool:
        return self.path.name.startswith("pass_")

    @property
    def id(self) -> str:
        return f"{self.rule_id}/{self.path.stem}"


def all_fixtures() -> list[Fixture]:
    return [read_fixture(p) for p in sorted(FIXTURES.glob("*/*_*.yaml"))]


def read_fixture(path: Path) -> Fixture:
    expect: list[tuple[str, str]] = []
    options: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match.groups()
        if key == "expect":
            subject, where = value.split()
            if where.count(":") == 1:
                where = f"{path.name}:{where}"
            expect.append((subject, where))
        else:
            options[key] = value
    text = path.read_text(encoding="utf-8")
    return Fixture(
        path,
        path.parent.name,
        tuple(sorted(expect)),
        options.get("kind", "permission"),
        date.fromisoformat(options["today"]) if "today" in options else TODAY,
        options.get("baseline"),
        options.get("events"),
        re.search(r"^Statement:", text, re.MULTILINE) is not None,
    )


def stack_config(spec_file: Path) -> StackConfig:
    return StackConfig("test", Path("."), ACCOUNT, REGION, spec_file)


def run_fixture(fixture: Fixture) -> LintResult:
    """Lint the fixture; the caller has chdir'ed into its folder (locations are relative to it)."""
    name = Path(fixture.path.name)
    diags = Diagnostics()
    if fixture.is_document:
        variables = {"accountId": ACCOUNT, "region": REGION}
        kind = cast("PolicyKind", fixture.kind)
        doc = load_policy_file(name, kind, diags, variables=variables, display=str(name))
        assert doc is not None, diags.sorted()
        tree = substitute(load_file(name, Diagnostics(), str(name)), variables, Diagnostics(), file=str(name))
        view = DocumentView(name.stem, f"policy/{name.stem}", doc, ("policies", str(name)))
        sources = {str(name): Source(str(name), tree)}
        return lint_documents([view], fixture.kind, sources=sources, today=fixture.today)
    config = stack_config(name)
    spec = load_spec(config, diags)
    baseline = None
    if fixture.baseline:
        baseline = load_baseline(Path(fixture.baseline), diags)
        assert baseline is not None, diags.sorted()
    activity = None
    if fixture.events:
        from ramstack.activity.log import load_activity

        activity = load_activity([Path(fixture.events)], diags, account_id=ACCOUNT)
        assert not diags.items, diags.sorted()
    return lint_stack(spec, config, baseline=baseline, today=fixture.today, activity=activity)
