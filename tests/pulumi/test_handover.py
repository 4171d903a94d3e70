"""`ramstack plan` validates the spec once: the stack program it runs in-process takes the spec the
verb validated when, and only when, the runtime config asks for the same inputs (issue 15)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ramstack.components.handover import hand_over, handed_spec
from ramstack.components.offline_plan import run_offline
from ramstack.diagnostics import Diagnostics
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.pulumi.conftest import dev_project

USERS = "users:\n  alice:\n    system_policies: [AliyunOSSReadOnlyAccess]\n"


def user_names(result: dict[str, object]) -> list[str]:
    resources = result["resources"]
    assert isinstance(resources, list)
    return sorted(r["name"] for r in resources if r["type"] == "alicloud:ram/user:User")


def test_the_program_reuses_the_validated_spec(tmp_path: Path) -> None:
    folder = dev_project(tmp_path, USERS)
    config = load_stack_config(folder, "dev", Diagnostics())
    assert config is not None
    spec = load_spec(config, Diagnostics())
    # The file changes after validation: a program that validated again would register bob too.
    (folder / "access.yaml").write_text(USERS + "  bob: {}\n")
    assert user_names(run_offline(folder.resolve(), "dev", spec, validated_with=config)) == ["alice"]
    assert user_names(run_offline(folder.resolve(), "dev", spec)) == ["alice", "bob"]


def test_other_inputs_are_validated_again(tmp_path: Path) -> None:
    config = load_stack_config(dev_project(tmp_path, USERS), "dev", Diagnostics())
    assert config is not None
    spec = load_spec(config, Diagnostics())
    with hand_over(config, spec):
        assert handed_spec(replace(config, fail_on="none", file=None, password_users=None)) is spec
        assert handed_spec(replace(config, variables={"bucket": "other"})) is None
        assert handed_spec(replace(config, quotas={"users_per_account": 10})) is None
        assert handed_spec(replace(config, account_id="9999999999999999")) is None
        assert handed_spec(replace(config, broken=frozenset({"vars"}))) is None
    assert handed_spec(config) is None  # nothing handed outside the block
