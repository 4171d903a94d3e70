"""Live-verb tests: a fresh `ramstack serve` subprocess per test on a free loopback port, driven by
Alibaba's official SDK clients over real HTTP. Nothing leaves the machine: proxy variables are unset
(the SDK would route even 127.0.0.1 through them) and the ECS metadata lookup is disabled, before
any SDK module is imported (alibabacloud_credentials reads the environment at import time)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
for _name in PROXIES:
    os.environ.pop(_name, None)
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "1234567890123456"

# A stack for the flows the seeds stop short of: `app` may assume `reader` (RAM read rights, so STS
# credentials have something to do at this endpoint) and holds AliyunSTSAssumeRoleAccess, so
# `locked`, which trusts only `other`, is refused by its trust policy alone.
FLOW_SPEC = """\
users:
  app:
    access_key: true
    assume_roles: [reader]
    system_policies: [AliyunSTSAssumeRoleAccess]
    allow_assume_any_role: true
  other:
    access_key: true
roles:
  reader:
    max_session_duration: 7200
    trust:
      users: [app]
    policies: [ram-read]
  locked:
    trust:
      users: [other]
    policies: [ram-read]
"""
RAM_READ = """\
Version: "1"
Statement:
  - Effect: Allow
    Action: [ram:Get*, ram:List*]
    Resource: "*"
"""
STACK = f"""\
config:
  alicloud:region: cn-hangzhou
  ramstack:accountId: "{ACCOUNT}"
  ramstack:spec: access.yaml
  ramstack:failOn: critical
"""


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXIES and not k.startswith("ALIBABA_CLOUD_")}
    env["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
    env["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "true"
    env.update(extra)
    return env


@pytest.fixture
def flow_project(tmp_path: Path) -> Path:
    project = tmp_path / "flow"
    (project / "policies").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "ims-sts" / "__main__.py", project / "__main__.py")
    (project / "Pulumi.yaml").write_text("name: flow\nruntime: python\n")
    (project / "Pulumi.test.yaml").write_text(STACK)
    (project / "access.yaml").write_text(FLOW_SPEC)
    (project / "policies" / "ram-read.yaml").write_text(RAM_READ)
    return project


class Served(dict[str, Any]):
    """The ready file's content, plus the process."""

    process: subprocess.Popen[str]
    ready_file: Path

    def key(self, user: str) -> tuple[str, str]:
        key = self["access_keys"][user]
        return key["id"], key["secret"]


Serve = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    started: list[tuple[subprocess.Popen[str], Path]] = []

    def start(project: Path = ROOT, stack: str = "dev", *extra: str) -> Served:
        ready = tmp_path / f"ready-{len(started)}.json"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ramstack",
                "serve",
                "-C",
                str(project),
                "--stack",
                stack,
                "--port",
                "0",
                "--ready-file",
                str(ready),
                *extra,
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append((process, ready))
        deadline = time.monotonic() + 90
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _out, err = process.communicate()
                pytest.fail(f"ramstack serve did not start (exit {process.returncode}):\n{err}")
            time.sleep(0.05)
        served = Served(json.loads(ready.read_text()))
        served.process, served.ready_file = process, ready
        return served

    yield start
    # Ctrl-C must stop a server cleanly: exit 0, no traceback, its ready file (secrets) removed.
    for process, ready in started:
        if process.poll() is not None:
            continue
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail("ramstack serve did not stop on SIGINT")
        assert process.returncode == 0 and "Traceback" not in err, err
        assert not ready.exists()


@pytest.fixture
def credential_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None, str | None], None]:
    """In-process stand-in for exporting ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET before a run:
    alibabacloud_credentials snapshots the environment into `auth_util` at import time, and its
    providers read that snapshot; the default chain itself runs unchanged."""
    from alibabacloud_credentials.utils import auth_util

    monkeypatch.setattr(auth_util, "environment_ecs_metadata_disabled", "true")
    monkeypatch.setattr(auth_util, "environment_cli_profile_disabled", "true")
    monkeypatch.setattr(auth_util, "environment_credentials_file", None)
    monkeypatch.setattr(auth_util, "environment_security_token", None)

    def set_key(key_id: str | None, secret: str | None) -> None:
        monkeypatch.setattr(auth_util, "environment_access_key_id", key_id)
        monkeypatch.setattr(auth_util, "environment_access_key_secret", secret)

    return set_key
