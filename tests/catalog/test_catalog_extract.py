"""scripts/catalog_extract.py: system-policy names from every commit of a product guide's repository."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalog_extract", ROOT / "scripts/catalog_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commit(repo: Path, path: str, text: str, date: str) -> str:
    (repo / path).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", path], check=True, env=env)
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_names_from_every_commit_with_their_first_page(tmp_path: Path) -> None:
    repo = tmp_path / "AlibabaCloudDocs+demo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    first = commit(repo, "a.md", "Attach AliyunDemoReadOnlyAccess to the user.\n", "2020-01-02")
    commit(
        repo,
        "b.md",
        "The service role uses AliyunDemoRolePolicy.\n"
        "Create the custom policy AliyunDemoCustomAccess first.\n"
        "See [AliyunDemoK8sAccess](https://ram.console.aliyun.com/policies/AliyunDemoK8sAccess/Custom/content)\n"
        "AliyunDemoFullAccessAliyunDemoReadOnlyAccess\n",
        "2020-03-04",
    )
    commit(repo, "a.md", "Nothing here any more.\n", "2020-05-06")  # deleted later: still a source
    found = extractor().product_docs([repo])
    names = found["names"]
    assert sorted(names) == ["AliyunDemoFullAccess", "AliyunDemoReadOnlyAccess", "AliyunDemoRolePolicy"]
    assert names["AliyunDemoReadOnlyAccess"] == {
        "repository": "AlibabaCloudDocs/demo",
        "commit": first,
        "first": "2020-01-02",
        "page": "a.md",
    }
    assert names["AliyunDemoRolePolicy"]["page"] == "b.md"
    [source] = found["source"]["repositories"]
    assert source["repository"] == "AlibabaCloudDocs/demo" and len(source["commit"]) == 40


def test_a_pinned_commit_reads_the_repository_as_it_was(tmp_path: Path) -> None:
    repo = tmp_path / "AlibabaCloudDocs+demo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    pinned = commit(repo, "a.md", "AliyunOldFullAccess\n", "2020-01-02")
    commit(repo, "b.md", "AliyunNewFullAccess\n", "2021-01-02")
    found = extractor().product_docs([repo], {"AlibabaCloudDocs/demo": pinned})
    assert sorted(found["names"]) == ["AliyunOldFullAccess"]
    assert found["source"]["repositories"][0]["commit"] == pinned
