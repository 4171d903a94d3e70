"""Generated policies name the stack's account and region as `${accountId}` and `${region}`, as
the spec's own policies do, and read back through the spec's substitution as the same document."""

from __future__ import annotations

from pathlib import Path

from ramstack.activity.generate import generate_policy
from ramstack.activity.policy_yaml import render_policy_yaml
from ramstack.activity.portable import portable_arn
from ramstack.activity.synthetic import seed_flow_events, vod_upload_events
from ramstack.commands.generate_policy import check_text
from ramstack.diagnostics import Diagnostics
from ramstack.policy.load import load_policy_file
from tests.activity.test_activity import ACCOUNT, _log, _spec, _vod_project


def test_only_the_stacks_account_and_region_become_variables() -> None:
    arn = portable_arn(f"acs:ice:cn-shanghai:{ACCOUNT}:media/x", ACCOUNT, "cn-shanghai")
    assert arn == "acs:ice:${region}:${accountId}:media/x"
    # another region, another account, a global service, not an ARN: as recorded
    assert portable_arn(f"acs:oss:cn-beijing:{ACCOUNT}:b", ACCOUNT, "cn-shanghai") == (
        "acs:oss:cn-beijing:${accountId}:b"
    )
    assert portable_arn("acs:ram::999999:role/x", ACCOUNT, "cn-shanghai") == "acs:ram::999999:role/x"
    own = portable_arn(f"acs:ram::{ACCOUNT}:role/x", ACCOUNT, "cn-shanghai")
    assert own == "acs:ram::${accountId}:role/x"
    assert portable_arn("*", ACCOUNT, "cn-shanghai") == "*"
    assert portable_arn(f"acs:oss:*:{ACCOUNT}", ACCOUNT, "cn-shanghai") == f"acs:oss:*:{ACCOUNT}"
    # a resource that is the region's name elsewhere in the ARN is not touched
    assert portable_arn(f"acs:oss:*:{ACCOUNT}:cn-shanghai", ACCOUNT, "cn-shanghai") == (
        "acs:oss:*:${accountId}:cn-shanghai"
    )


def test_the_file_is_portable_and_reads_back_as_the_recorded_document(project: Path, tmp_path: Path) -> None:
    spec = _spec(_vod_project(project))
    log = _log(spec, tmp_path, seed_flow_events(300), vod_upload_events(20))
    variables = {"accountId": spec.account_id, "region": spec.region}
    for subject in ("role/vod-uploader", "role/ims-sts-role", "user/ims-app"):
        policy = generate_policy(log, subject, account_id=spec.account_id, region=spec.region)
        assert policy is not None
        text = render_policy_yaml(policy.to_dict())
        assert ACCOUNT not in text and "${accountId}" in text, subject
        path = tmp_path / f"{subject.replace('/', '-')}.yaml"
        path.write_text(text, encoding="utf-8")
        diags = Diagnostics()
        assert load_policy_file(path, "permission", diags, variables=variables) == policy.document
        assert not diags.items
        checked, lint = check_text(text, str(path), variables)  # what the verb does before writing
        assert checked == policy.document and not lint.findings
        # in another stack (account, region) the same file is that stack's policy
        elsewhere = {**variables, "accountId": "42"}
        other = load_policy_file(path, "permission", Diagnostics(), variables=elsewhere)
        assert other is not None and ACCOUNT not in other.to_json() and ":42:" in other.to_json()
    sts = generate_policy(log, "role/ims-sts-role", account_id=spec.account_id, region=spec.region)
    assert sts is not None and "acs:ice:${region}:${accountId}:" in sts.to_json()
    # without the stack's values (the core's default) the literal document, as before
    literal = generate_policy(log, "role/ims-sts-role")
    assert literal is not None and literal.to_json() == literal.document.to_json()
