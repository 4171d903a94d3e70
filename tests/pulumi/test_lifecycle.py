"""`pulumi up` after `pulumi up`: the program run twice against one fake cloud and one stack state
(issue 8, items 2-4): removing a console user whose person bound an MFA device, console passwords
that later runs leave alone, explicit rotation, generated passwords, and an OIDC provider rename."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ramstack.components.oidc_provider as oidc_module
import ramstack.components.user as user_module
from ramstack.components.mock_engine import StackState
from ramstack.components.offline_plan import run_offline
from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.fakecloud import FakeCloud, bind_as_person
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.pulumi.conftest import ROOT, dev_project

FIRST, SECOND = "Initial-Passw0rd-1", "Initial-Passw0rd-2"
PERSON = "Chosen-by-Alice-9"


def ok(run: Any) -> Any:
    assert run.error is None, run.error
    assert run.mocks.failures == []
    return run


def password_of(cloud: FakeCloud, user: str) -> str:
    state = cloud._ctx.state
    return state.login_profiles[state.users[user].user_id].password.reveal()


def actions(cloud: FakeCloud, since: int) -> list[str]:
    return [c.action for c in cloud.calls[since:] if c.error_code is None]


CONSOLE = (
    "users:\n  app: {}\n  alice:\n    groups: [readers]\n    console_login: {%s}\ngroups:\n  readers: {}\n"
)


def test_removing_a_console_user_whose_person_bound_an_mfa_device(run_stack, tmp_path: Path) -> None:
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": FIRST}))
    serial = bind_as_person(cloud.ram, "alice")  # at first logon, outside Pulumi

    run = run_stack(
        dev_project(tmp_path, "users:\n  app: {}\ngroups:\n  readers: {}\n"), cloud=cloud, state=state
    )
    ok(run)
    assert [u["UserName"] for u in cloud.ram.list_users()["Users"]["User"]] == ["app"]
    # the person's device survives, unbound (it is theirs to delete or reuse)
    devices = cloud.ram.list_virtual_mfa_devices()["VirtualMFADevices"]["VirtualMFADevice"]
    assert devices == [{"SerialNumber": serial}]
    assert not any(urn.endswith("::alice") for urn in state.entries)


def test_without_force_the_user_is_left_half_deleted(run_stack, tmp_path: Path) -> None:
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": FIRST}))
    bind_as_person(cloud.ram, "alice")
    user = next(e for e in state.entries.values() if e.inputs.get("name") == "alice")
    assert user.inputs["force"] is True  # what the component sets
    user.inputs["force"] = False  # a stack deployed without it

    run = run_stack(
        dev_project(tmp_path, "users:\n  app: {}\ngroups:\n  readers: {}\n"),
        cloud=cloud,
        state=state,
        capture_errors=True,
    )
    assert [f.code for f in run.mocks.failures] == ["DeleteConflict.User.MFADevice"]
    # its login profile and membership are gone, the user is not: a half-deleted user
    assert cloud.ram.get_user(user_name="alice")
    assert cloud.ram.list_groups_for_user(user_name="alice")["Groups"]["Group"] == []


def test_later_ups_leave_the_persons_password_alone(run_stack, tmp_path: Path) -> None:
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": FIRST}))
    assert password_of(cloud, "alice") == FIRST
    # alice logs on and changes the initial password, as password_reset_required makes her
    cloud.ram.update_login_profile(user_name="alice", password=PERSON, password_reset_required=False)

    before = len(cloud.calls)
    run = ok(
        run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": SECOND})
    )
    assert "UpdateLoginProfile" not in actions(cloud, before)
    profile = cloud.ram.get_login_profile(user_name="alice")["LoginProfile"]
    assert (password_of(cloud, "alice"), profile["PasswordResetRequired"]) == (PERSON, False)
    login = next(r for r in run.resources if r.name == "alice-login")
    assert set(login.ignore_changes) == {"password", "passwordResetRequired"}


def test_without_ignore_changes_the_provider_would_restore_the_initial_password(
    run_stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake engine refreshes PasswordResetRequired and updates like the provider: this is the bug.
    monkeypatch.setattr(user_module, "PERSON_OWNED", ())
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": FIRST}))
    cloud.ram.update_login_profile(user_name="alice", password=PERSON, password_reset_required=False)
    ok(run_stack(dev_project(tmp_path, CONSOLE % ""), cloud=cloud, state=state, passwords={"alice": FIRST}))
    profile = cloud.ram.get_login_profile(user_name="alice")["LoginProfile"]
    assert (password_of(cloud, "alice"), profile["PasswordResetRequired"]) == (FIRST, True)


def test_a_new_password_version_rotates_the_initial_password(run_stack, tmp_path: Path) -> None:
    cloud, state = FakeCloud(), StackState()
    ok(
        run_stack(
            dev_project(tmp_path, CONSOLE % "password_version: 1"),
            cloud=cloud,
            state=state,
            passwords={"alice": FIRST},
        )
    )
    cloud.ram.update_login_profile(user_name="alice", password=PERSON, password_reset_required=False)
    before = len(cloud.calls)
    ok(
        run_stack(
            dev_project(tmp_path, CONSOLE % "password_version: 2"),
            cloud=cloud,
            state=state,
            passwords={"alice": SECOND},
        )
    )
    # delete first: a user has one login profile
    assert [a for a in actions(cloud, before) if a.endswith("LoginProfile") and not a.startswith("Get")] == [
        "DeleteLoginProfile",
        "CreateLoginProfile",
    ]
    profile = cloud.ram.get_login_profile(user_name="alice")["LoginProfile"]
    assert (password_of(cloud, "alice"), profile["PasswordResetRequired"]) == (SECOND, True)


def test_generated_initial_passwords_need_no_config_and_stay_secret(run_stack, tmp_path: Path) -> None:
    spec = "users:\n" + "".join(
        f"  person{i}:\n    console_login: {{generated_password: true}}\n" for i in range(3)
    )
    folder = dev_project(tmp_path, spec)
    diags = Diagnostics()
    load_spec(load_stack_config(folder, "dev", diags), diags)
    assert [d.code for d in diags.items] == []  # no SPEC018: nothing to configure

    cloud, state = FakeCloud(), StackState()
    run = ok(run_stack(folder, cloud=cloud, state=state))
    assert len(run.of_type("random:index/randomPassword:RandomPassword")) == 3
    assert "console_passwords" in run.secret_outputs
    generated = run.outputs["console_passwords"]
    assert sorted(generated) == ["person0", "person1", "person2"]
    for name, password in generated.items():
        assert password_of(cloud, name) == password and len(password) == 24
        assert cloud.ram.get_login_profile(user_name=name)["LoginProfile"]["PasswordResetRequired"] is True
    assert len(set(generated.values())) == 3
    for name in generated:
        login = next(r for r in run.resources if r.name == f"{name}-login")
        assert "password" in login.secret_inputs

    # a second up keeps every generated password; a new version regenerates one and re-creates its profile
    ok(run_stack(folder, cloud=cloud, state=state))
    assert {n: password_of(cloud, n) for n in generated} == generated
    rotated = spec.replace(
        "  person1:\n    console_login: {generated_password: true}",
        "  person1:\n    console_login: {generated_password: true, password_version: 2}",
    )
    run = ok(run_stack(dev_project(tmp_path, rotated), cloud=cloud, state=state))
    assert (
        password_of(cloud, "person1") == run.outputs["console_passwords"]["person1"] != generated["person1"]
    )
    assert password_of(cloud, "person0") == generated["person0"]


def test_generated_passwords_must_be_reset_at_first_logon(tmp_path: Path) -> None:
    folder = dev_project(
        tmp_path,
        "users:\n  p:\n    console_login: {generated_password: true, password_reset_required: false}\n",
    )
    with pytest.raises(InvalidInput) as refused:
        load_spec(load_stack_config(folder, "dev", Diagnostics()), Diagnostics())
    assert [(d.code, d.location.line) for d in refused.value.diagnostics] == [("SPEC003", 3)]


OIDC = (
    "oidc_providers:\n  %s:\n    issuer_url: https://token.actions.githubusercontent.com\n"
    "    client_ids: [sts.aliyuncs.com]\n%s"
    "roles:\n  deployer:\n    github: {provider: %s, repository: org/infra, branch: main}\n"
)


def test_renaming_an_oidc_provider_deletes_the_old_one_first(run_stack, tmp_path: Path) -> None:
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, OIDC % ("github", "", "github")), cloud=cloud, state=state))
    before = len(cloud.calls)
    run = ok(
        run_stack(
            dev_project(tmp_path, OIDC % ("gh-actions", "    renamed_from: github\n", "gh-actions")),
            cloud=cloud,
            state=state,
        )
    )
    steps = [a for a in actions(cloud, before) if "OIDCProvider" in a]
    assert steps == ["DeleteOIDCProvider", "CreateOIDCProvider"]
    assert list(cloud._ctx.state.oidc_providers) == ["gh-actions"]
    provider = next(r for r in run.resources if r.name == "gh-actions")
    assert provider.alias_names == ("github",) and provider.delete_before_replace


def test_creating_the_renamed_provider_first_would_fail(
    run_stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = oidc_module.child_options

    def create_first(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("delete_before_replace", None)
        return real(*args, **kwargs)

    monkeypatch.setattr(oidc_module, "child_options", create_first)
    cloud, state = FakeCloud(), StackState()
    ok(run_stack(dev_project(tmp_path, OIDC % ("github", "", "github")), cloud=cloud, state=state))
    run = run_stack(
        dev_project(tmp_path, OIDC % ("gh-actions", "    renamed_from: github\n", "gh-actions")),
        cloud=cloud,
        state=state,
        capture_errors=True,
    )
    assert [f.code for f in run.mocks.failures] == ["EntityAlreadyExists.OIDCProvider.Url"]


def test_oidc_renamed_from_is_checked(tmp_path: Path) -> None:
    spec = (
        "oidc_providers:\n  a:\n    issuer_url: https://a.example.com\n    client_ids: [x]\n"
        "    renamed_from: b\n"
        "  b:\n    issuer_url: https://b.example.com\n    client_ids: [x]\n    renamed_from: -bad-\n"
    )
    with pytest.raises(InvalidInput) as refused:
        load_spec(load_stack_config(dev_project(tmp_path, spec), "dev", Diagnostics()), Diagnostics())
    assert sorted((d.code, d.location.line) for d in refused.value.diagnostics) == [
        ("SPEC004", 9),
        ("SPEC005", 2),
    ]


def plan_failures(folder: Path) -> list[tuple[str, str]]:
    spec = load_spec(load_stack_config(folder, "dev", Diagnostics()), Diagnostics())
    result = run_offline(folder, "dev", spec)
    assert result["error"] is None
    return [(f["name"], f["code"]) for f in result["failures"]]


def test_plans_destroy_path_removes_console_users_with_bound_devices(tmp_path: Path) -> None:
    assert plan_failures(ROOT) == []  # the dev stack: alice's device is bound, then she is removed
    assert plan_failures(dev_project(tmp_path, CONSOLE % "")) == []


def test_plans_destroy_path_reports_a_user_that_could_not_be_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = user_module.alicloud.ram.User

    def without_force(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("force")
        return real(*args, **kwargs)

    monkeypatch.setattr(user_module.alicloud.ram, "User", without_force)
    assert plan_failures(dev_project(tmp_path, CONSOLE % "")) == [("alice", "DeleteConflict.User.MFADevice")]
