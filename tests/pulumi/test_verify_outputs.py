"""`ramstack verify --outputs` reads what the real stack program exports (`pulumi stack output --json
--show-secrets` prints the same values, secrets revealed)."""

from __future__ import annotations

import json
from pathlib import Path

from ramstack.diagnostics import Diagnostics
from ramstack.fakecloud import FakeCloud
from ramstack.live.verify import read_outputs
from tests.pulumi.conftest import RunStack


def test_outputs_of_the_stack_program_give_verify_each_users_key(run_stack: RunStack, tmp_path: Path) -> None:
    cloud = FakeCloud()
    run = run_stack(passwords={"alice": "Initial-Passw0rd!"}, cloud=cloud)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(run.outputs, indent=2))
    diags = Diagnostics()
    outputs = read_outputs(path, diags)
    assert outputs is not None and not diags.items
    assert set(outputs.keys) == {"ims-app"}
    key = outputs.keys["ims-app"]
    credential = cloud.credential(key.access_key_id)
    assert credential is not None and credential.secret.reveal() == key.access_key_secret
    assert outputs.role_arns["ims-sts-role"] == "acs:ram::1234567890123456:role/ims-sts-role"
