"""Child logical names never collide, whatever the spec's names (issue 8, item 1).

A URN keeps the ancestors' types but only the child's own name, so `<principal>-<kind>-<policy>`
made users `a` + `b-custom-c` and `a-custom-b` + `c` register one URN twice. The mock engine refuses a
duplicate URN or alias as the real engine does, so a collision fails the run.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import Counter
from pathlib import Path

import pulumi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramstack.components.mock_cloud import CloudRejected, FakeCloudMocks
from ramstack.components.mock_runtime import ProgramRun, mock_runtime, run_program, stack_config
from ramstack.components.naming import LegacyNames, attachment_name, membership_name
from tests.pulumi.conftest import PROGRAM, ROOT

POLICY = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]}


def run_spec(folder: Path, spec: dict[str, object], policies: list[str]) -> ProgramRun:
    (folder / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (folder / "policies").mkdir(exist_ok=True)
    for name in policies:
        (folder / "policies" / f"{name}.json").write_text(json.dumps(POLICY))
    (folder / "access.yaml").write_text(json.dumps(spec))  # JSON is YAML
    config, secret_keys = stack_config(folder, "dev")
    with contextlib.chdir(folder):
        return run_program(PROGRAM, mocks=FakeCloudMocks(), config=config, secret_keys=secret_keys)


def assert_unique(run: ProgramRun) -> None:
    assert run.error is None and run.mocks.failures == []
    urns = Counter(r.urn for r in run.monitor.registrations)
    assert [u for u, n in urns.items() if n > 1] == []
    claimed = Counter(a for r in run.monitor.registrations for a in r.alias_urns)
    assert [a for a, n in claimed.items() if n > 1 or a in urns] == []


def test_the_engine_refuses_a_duplicate_urn_and_a_shared_alias() -> None:
    mocks = FakeCloudMocks()
    with mock_runtime(mocks):

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def twice() -> None:
            pulumi.ComponentResource("t:x:X", "same")
            pulumi.ComponentResource("t:x:X", "same")

        with pytest.raises(CloudRejected, match="Duplicate resource URN"):
            twice()
    mocks = FakeCloudMocks()
    with mock_runtime(mocks):

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def shared_alias() -> None:
            pulumi.ComponentResource(
                "t:x:X", "one", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")])
            )
            pulumi.ComponentResource(
                "t:x:X", "two", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")])
            )

        with pytest.raises(CloudRejected, match="Duplicate resource alias"):
            shared_alias()
    assert [f.code for f in mocks.failures] == ["Pulumi.DuplicateResourceAlias"]


def test_names_that_collided_under_the_old_scheme_plan_with_unique_urns(tmp_path: Path) -> None:
    spec = {
        "users": {
            "a": {"policies": ["b-custom-c"], "groups": ["b-in-c"]},
            "a-custom-b": {"policies": ["c"]},
            "a-in-b": {"groups": ["c"]},
        },
        "groups": {"b-in-c": {}, "c": {}},
    }
    run = run_spec(tmp_path, spec, ["b-custom-c", "c"])
    assert_unique(run)
    by_name = {r.name: r for r in run.resources}
    # both old names were `a-custom-b-custom-c` / `a-in-b-in-c`: no stack can hold them, no alias
    for name in ("a/custom/b-custom-c", "a-custom-b/custom/c", "a/in/b-in-c", "a-in-b/in/c"):
        assert by_name[name].alias_names == ()


def test_an_unambiguous_old_name_stays_an_alias(tmp_path: Path) -> None:
    run = run_spec(
        tmp_path, {"users": {"app": {"policies": ["read"], "groups": ["g"]}}, "groups": {"g": {}}}, ["read"]
    )
    by_name = {r.name: r for r in run.resources}
    assert by_name["app/custom/read"].alias_names == ("app-custom-read",)
    assert by_name["app/in/g"].alias_names == ("app-in-g",)


def test_legacy_names_alias_only_when_unique() -> None:
    legacy = LegacyNames(["x-in-y", "x-in-y", "z-in-w", "p-system-a/b"])
    assert legacy.alias("x-in-y") is None
    assert legacy.alias("z-in-w") == "z-in-w"
    assert legacy.alias("p-system-a/b") is None  # could equal a new name
    assert attachment_name("a", "Custom", "b") == "a/custom/b"
    assert membership_name("a", "b") == "a/in/b"


# Tokens the old scheme used as separators, so generated names collide under it as often as possible.
TOKENS = st.sampled_from(["a", "b", "c", "custom", "system", "in"])
NAME = st.lists(TOKENS, min_size=1, max_size=4).map("-".join)
USER_NAME = st.tuples(NAME, st.sampled_from(["", ".x", "_x"])).map("".join)
SYSTEM = ["AliyunOSSReadOnlyAccess", "AliyunVODReadOnlyAccess"]


@st.composite
def specs(draw: st.DrawFn) -> tuple[dict[str, object], list[str]]:
    policies = draw(st.lists(NAME, max_size=3, unique=True))
    groups = draw(st.lists(USER_NAME, max_size=3, unique=True))
    users = draw(st.lists(USER_NAME, min_size=1, max_size=4, unique=True))
    roles = draw(st.lists(NAME, max_size=3, unique=True))

    def attachments() -> dict[str, object]:
        return {
            "policies": draw(st.lists(st.sampled_from(policies), unique=True)) if policies else [],
            "system_policies": draw(st.lists(st.sampled_from(SYSTEM), unique=True)),
        }

    group_body: dict[str, object] = {}
    for i, g in enumerate(groups):
        body = attachments()
        if draw(st.booleans()):
            body["renamed_from"] = f"{g}-old{i}"
        group_body[g] = body
    user_body = {
        u: {**attachments(), "groups": draw(st.lists(st.sampled_from(groups), unique=True)) if groups else []}
        for u in users
    }
    role_body: dict[str, dict[str, object]] = {}
    for i, r in enumerate(roles):
        role_body[r] = {**attachments(), "trust": {"users": [users[0]]}}
        if draw(st.booleans()):
            role_body[r]["renamed_from"] = f"{r}-old{i}"
    if roles and draw(st.booleans()):
        user_body[users[0]]["assume_roles"] = [roles[0]]
    spec = {"users": user_body, "groups": group_body, "roles": role_body}
    return spec, policies


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_every_valid_spec_registers_unique_urns_and_aliases(
    case: tuple[dict[str, object], list[str]],
) -> None:
    spec, policies = case
    with tempfile.TemporaryDirectory() as folder:
        assert_unique(run_spec(Path(folder), spec, policies))
