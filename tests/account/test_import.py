from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ramstack.account.as_spec import canonical_document, live_as_spec
from ramstack.account.compare import drift
from ramstack.account.reader import read_account
from ramstack.account.transport import FakeCloudTransport
from ramstack.commands.import_account import import_account
from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.effective import compute_effective
from ramstack.fakecloud import FakeCloud
from ramstack.permdiff import diff_permissions
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.model import Spec
from tests.account.conftest import ACCOUNT


def imported(cloud: FakeCloud, out: Path) -> Spec:
    assert import_account(FakeCloudTransport(cloud), out, "dev", "cn-hangzhou", account_id=ACCOUNT) == 0
    diags = Diagnostics()
    config = load_stack_config(out, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert not diags.has_errors
    return spec


def test_the_written_spec_plans_to_the_live_effective_permissions(console: FakeCloud, tmp_path: Path) -> None:
    spec = imported(console, tmp_path)
    live, unreadable = live_as_spec(read_account(FakeCloudTransport(console), ACCOUNT))
    assert unreadable == ()
    changes = diff_permissions(compute_effective(live), compute_effective(spec))
    assert changes.empty, changes.to_json()
    # and what the live account grants is really there (not two empty models)
    app = compute_effective(spec).by_subject["user/app"]
    assert [a.role for a in app.assumable] == ["role/uploader"]


def test_after_import_drift_reports_nothing(console: FakeCloud, tmp_path: Path) -> None:
    spec = imported(console, tmp_path)
    found = drift(spec, read_account(FakeCloudTransport(console), ACCOUNT), "dev")
    assert found.items == () and found.permissions.empty


def test_files_in_ramstack_layout(console: FakeCloud, tmp_path: Path) -> None:
    spec = imported(console, tmp_path)
    policy = (tmp_path / "policies/oss-upload.json").read_text()
    assert policy == spec.policy_map["oss-upload"].document.to_json() + "\n"  # the canonical renderer
    assert "ramstack:accountId" in (tmp_path / "Pulumi.dev.yaml").read_text()
    assert (tmp_path / "__main__.py").is_file() and (tmp_path / "Pulumi.yaml").is_file()
    roles = spec.role_map
    assert roles["uploader"].trust.users == ("app",) and roles["uploader"].max_session_duration == 7200
    assert roles["deployer"].trust.oidc[0].subjects == ("repo:acme/infra:ref:refs/heads/main",)


def test_a_trust_the_spec_cannot_express_is_kept_as_a_document(console: FakeCloud, tmp_path: Path) -> None:
    spec = imported(console, tmp_path)
    kept = json.loads((tmp_path / "trust/mixed.json").read_text())
    live = console.call("ram", "GetRole", {"RoleName": "mixed"})["Role"]["AssumeRolePolicyDocument"]
    assert canonical_document(kept, "trust") == canonical_document(json.loads(live), "trust")
    assert [s.effect for s in spec.role_map["mixed"].trust_document.statements] == ["Allow", "Deny"]


def test_what_cannot_be_imported_is_listed(
    console: FakeCloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = console.call("ram", "ListAccessKeys", {"UserName": "app"})["AccessKeys"]["AccessKey"][0][
        "AccessKeyId"
    ]
    imported(console, tmp_path)
    captured = capsys.readouterr()
    assert captured.out == ""  # the result is the files; what was written is told on stderr
    out = captured.err
    assert f"not imported: user/app: AccessKey {key}" in out
    assert "not imported: user/bob: console password" in out
    assert "Hand-Made-1234" not in out and "Hand-Made-1234" not in "".join(
        p.read_text() for p in tmp_path.rglob("*") if p.is_file()
    )


def test_import_file_reproduces_the_components_names_and_parents(console: FakeCloud, tmp_path: Path) -> None:
    from ramstack.components.offline_plan import run_offline

    spec = imported(console, tmp_path)
    entries = json.loads((tmp_path / "import.json").read_text())["resources"]
    by_name = {e["name"]: e for e in entries}
    assert len(by_name) == len(entries) and all(e["parent"] in by_name for e in entries if "parent" in e)

    def path(entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        up = (by_name[entry["parent"]],) if "parent" in entry else ()
        return (*(path(up[0]) if up else ()), (entry["type"], entry["logicalName"]))

    # exactly what the program registers (every type and name, under the same parents), keys aside
    registered = run_offline(tmp_path.resolve(), "dev", spec)["resources"]
    by_urn = {r["urn"]: r for r in registered}

    def reg_path(resource: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        parent = by_urn.get(resource["parent"])
        return (*(reg_path(parent) if parent else ()), (resource["type"], resource["name"]))

    expected = {reg_path(r) for r in registered if r["type"] != "alicloud:ram/accessKey:AccessKey"}
    assert {path(e) for e in entries} == expected

    def ident(typ: str, **inputs: str) -> str:
        (found,) = [
            e["id"]
            for e in entries
            if e["type"] == typ and e["logicalName"] in _names(registered, typ, inputs)
        ]
        return str(found)

    user_id = console.call("ram", "GetUser", {"UserName": "app"})["User"]["UserId"]
    assert ident("alicloud:ram/user:User", name="app") == user_id  # the provider's id is the UserId
    assert ident("alicloud:ram/rolePolicyAttachment:RolePolicyAttachment", roleName="uploader") == (
        "role:oss-upload:Custom:uploader"
    )
    assert ident("alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment", groupName="readers") == (
        "group:AliyunOSSReadOnlyAccess:System:readers"
    )
    assert ident("alicloud:ram/userGroupAttachment:UserGroupAttachment", userName="bob") == "readers:bob"
    assert ident("alicloud:ram/loginProfile:LoginProfile", userName="bob") == "bob"
    assert ident("alicloud:ims/oidcProvider:OidcProvider", oidcProviderName="github") == "github"
    components = [e for e in entries if e.get("component")]
    assert components and all("id" not in e and e["type"].startswith("ramstack:") for e in components)
    assert not any(e["type"] == "alicloud:ram/accessKey:AccessKey" for e in entries)  # not importable


def _names(registered: list[dict[str, Any]], typ: str, inputs: dict[str, str]) -> set[str]:
    return {
        r["name"]
        for r in registered
        if r["type"] == typ and all(r["inputs"].get(k) == v for k, v in inputs.items())
    }


def test_a_generated_assume_grant_becomes_assume_roles(tmp_path: Path) -> None:
    from tests.account.test_drift import deployed_dev_stack

    cloud, _ = deployed_dev_stack()
    spec = imported(cloud, tmp_path)
    assert spec.user_map["ims-app"].assume_roles == ("ims-sts-role", "imm-task-role")
    assert not (tmp_path / "policies/ramstack-assume-user-ims-app.json").exists()
    assert drift(spec, read_account(FakeCloudTransport(cloud), ACCOUNT), "dev").items == ()


def test_existing_files_are_not_overwritten(console: FakeCloud, tmp_path: Path) -> None:
    (tmp_path / "access.yaml").write_text("users: {}\n")
    with pytest.raises(InvalidInput) as caught:
        import_account(FakeCloudTransport(console), tmp_path, "dev", "cn-hangzhou", account_id=ACCOUNT)
    assert caught.value.diagnostics[0].code == "IMP001"
    assert (tmp_path / "access.yaml").read_text() == "users: {}\n"


def test_import_takes_minus_c_and_refuses_a_stack_name_that_is_a_path(tmp_path: Path, capsys) -> None:
    from ramstack.cli import main

    # nothing is sent: the stack name is checked first (a path would write outside --out)
    assert main(["import", "-C", str(tmp_path), "--out", "x", "--stack", "../../evil"]) == 2
    err = capsys.readouterr()
    assert "error CLI002: stack name '../../evil' is not valid" in err.out + err.err
    assert "unrecognized arguments" not in err.err and not (tmp_path / "x").exists()
