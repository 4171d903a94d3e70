#!/usr/bin/env python3
"""Extract the catalog's facts from local git mirrors of its public sources into scripts/catalog_sources/.

This is the only step that needs the sources themselves; scripts/gen_catalog.py then builds the
bundled catalogs from the extracts alone (offline, byte for byte). Each extract records the
repository, commit and commit date it was read at, so a re-run at the same commits reproduces it.

Sources (public GitHub repositories, cloned or mirrored locally):
    dew-serverless/acs-metadata   Alibaba's OpenAPI metadata ("Openmeta"), mirrored weekly: every
                                  product's API operations with their operation type, and for some
                                  products the RAM action, resource ARNs and condition keys of each
                                  operation (`ramActions`).
    AlibabaCloudDocs/ram          every historical version of "Alibaba Cloud services that support
                                  RAM" / "支持RAM的云服务" (and the STS pages): system policy names.
    AlibabaCloudDocs/oss          "RAM Policy概述" / "RAM policy": OSS's API-to-action table and
                                  condition keys.

Usage:
    python scripts/catalog_extract.py --acs-metadata DIR --ram-docs DIR --oss-docs DIR [--commit-*]
DIR is a git directory (bare or not); --commit-* pins another commit than the pinned one below.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scripts" / "catalog_sources"

PINNED = {
    "acs-metadata": "b3c749cc875faf56035035ed91fb8aa173d2abd7",  # "Update OpenAPI metadata 20251219"
    "ram-docs": "20c6e869c2e70425c9507eae0fb9e39550048eae",  # 2021-07-16, the repository's last commit
    "oss-docs": "f68409178447a330ac39eafa05bb44123ea8811f",  # 2021-07-14
}

RAM_PAGES = (
    "intl.en-US/Product Introduction/Alibaba Cloud services that support RAM.md",
    "intl.en-US/Product Introduction/Cloud services supporting RAM.md",
    "intl.en-US/Product Introduction/Alibaba Cloud services that support STS.md",
    "cn.zh-CN/产品简介/支持 RAM 的云服务.md",
    "cn.zh-CN/产品简介/支持RAM的云服务.md",
    "cn.zh-CN/产品简介/支持STS的云服务.md",
    "intl.zh-CN/产品简介/支持 RAM 的云服务.md",
    "intl.zh-CN/产品简介/支持RAM的云服务.md",
    "intl.zh-CN/产品简介/支持STS的云服务.md",
)

OSS_PAGES = (
    "cn.zh-CN/开发指南/数据安全/访问控制/RAM Policy/RAM Policy概述.md",
    "intl.zh-CN/开发指南/数据安全/访问控制/RAM Policy/RAM Policy概述.md",
    "intl.en-US/Developer Guide/Access and control/Access control based on RAM Policy/RAM policy.md",
)

# A system policy name as the pages print it. Table cells sometimes glue two names together
# ("AliyunECSFullAccessAliyunECSReadOnlyAccess"), so matches are split before each "Aliyun".
_NAME = re.compile(r"\b(Aliyun[A-Za-z0-9]+|AdministratorAccess|ReadOnlyAccess)\b")
_SUFFIXES = ("Access", "Policy", "Auth", "ReadOnly", "Admin")


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", f"--git-dir={repo}", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise FileNotFoundError(result.stderr.strip())
    return result.stdout


def git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def commit_date(repo: Path, commit: str) -> str:
    return git(repo, "show", "-s", "--format=%cs", commit).strip()


# -- acs-metadata ----------------------------------------------------------------------------------


def acs_metadata(repo: Path, commit: str) -> dict[str, Any]:
    listing = git(repo, "ls-tree", "-r", "--name-only", commit, "en_us").split("\n")
    catalog = {p["code"].lower(): p for p in json.loads(git(repo, "show", f"{commit}:en_us/products.json"))}
    products: dict[str, Any] = {}
    missing: list[str] = []
    for path in sorted(p for p in listing if p.endswith("/api-docs.json")):
        _, product, version, _ = path.split("/")
        try:
            data = json.loads(git(repo, "show", f"{commit}:{path}"))
        except FileNotFoundError:  # the mirror lacks files of 4 MiB and more (rds)
            missing.append(path)
            continue
        entry = products.setdefault(
            product,
            {
                "code": (catalog.get(product) or {}).get(
                    "code", data.get("info", {}).get("product", product)
                ),
                "name": (catalog.get(product) or {}).get("name", ""),
                "versions": [],
                "operations": {},
                "ram_actions": {},
            },
        )
        entry["versions"].append(version)
        for name, api in sorted(data.get("apis", {}).items()):
            tags = api.get("systemTags") or {}
            # later versions overwrite earlier ones (the listing is sorted by version)
            entry["operations"][name] = [api.get("operationType"), tags.get("operationType")]
            found = []
            for item in api.get("ramActions") or []:
                action = item.get("ramAction") or {}
                if not action.get("action"):
                    continue
                found.append(
                    [
                        action["action"],
                        sorted({r["arn"] for r in action.get("resources") or [] if r.get("arn")}),
                        sorted({c["conditionKey"] for c in action.get("actionConditions") or []}),
                    ]
                )
            if found:
                entry["ram_actions"][name] = found
    for entry in products.values():
        if not entry["ram_actions"]:
            del entry["ram_actions"]
    return {
        "source": {
            "repository": "dew-serverless/acs-metadata",
            "commit": commit,
            "date": commit_date(repo, commit),
            "files": "en_us/<product>/<version>/api-docs.json, en_us/products.json",
            "missing": missing,
        },
        "products": products,
    }


# -- AlibabaCloudDocs/ram --------------------------------------------------------------------------


def policy_names(text: str) -> Iterator[str]:
    for match in _NAME.findall(text):
        for part in re.split(r"(?=Aliyun)", match):
            if not part or not part.endswith(_SUFFIXES):
                continue
            if any(s in part[:-1] and not part.endswith(s) for s in ("Access",)):
                continue  # "AliyunDRDSReadOnlyAccessyAccess": a doc typo, not a name
            yield part


def ram_docs(repo: Path, commit: str) -> dict[str, Any]:
    names: dict[str, dict[str, Any]] = {}
    versions = 0
    for page in RAM_PAGES:
        history = git(repo, "log", "--format=%H %cs", commit, "--", page).split("\n")
        for line in filter(None, history):
            sha, date = line.split()
            try:
                text = git(repo, "show", f"{sha}:{page}")
            except FileNotFoundError:
                continue  # a deleting commit
            versions += 1
            for name in set(policy_names(text)):
                seen = names.setdefault(name, {"first": date, "last": date, "commit": sha, "page": page})
                if date < seen["first"]:
                    seen["first"] = date
                if date > seen["last"]:
                    seen.update(last=date, commit=sha, page=page)
    # a name printed only in lower case elsewhere ("Aliyunapigatewayfullaccess") is a doc typo of
    # another name: keep the CamelCase spelling only
    lowered = {n.lower() for n in names if n != n.lower() and any(c.isupper() for c in n[6:])}
    for name in [n for n in names if n[6:] == n[6:].lower() and n.lower() in lowered]:
        del names[name]
    return {
        "source": {
            "repository": "AlibabaCloudDocs/ram",
            "commit": commit,
            "date": commit_date(repo, commit),
            "pages": list(RAM_PAGES),
            "page_versions_read": versions,
        },
        "names": dict(sorted(names.items())),
    }


# -- the product documentation repositories of AlibabaCloudDocs ------------------------------------

_DIFF_FILE = re.compile(r"^diff --git a/(.*) b/(.*)$")
# a line that names a policy the reader creates ("the custom policy AliyunKafkaCustomAccess", a
# console link to /policies/<name>/Custom/) is not a source of system policy names
_CUSTOM = re.compile(r"[Cc]ustom|自定义|policies named")


def product_docs(repos: list[Path], pins: dict[str, str] | None = None) -> dict[str, Any]:
    """System policy names the product guides print (service-role policies above all: "the
    AliyunECSImageImportRolePolicy policy"), read from every commit's added lines. Each name keeps
    the first commit and page that added it; names the RAM pages already give are dropped by
    gen_catalog.py, which keeps the RAM pages' provenance. `pins` (repository -> commit) reads a
    repository at the commit an earlier extract recorded, so a re-run reproduces it."""
    names: dict[str, dict[str, Any]] = {}
    sources = []
    for path in repos:
        repo = git_dir(path)
        remote = _repository_name(path)
        head = (pins or {}).get(remote) or git(repo, "rev-parse", "HEAD").strip()
        sources.append({"repository": remote, "commit": head, "date": commit_date(repo, head)})
        log = git(repo, "log", "-p", "--reverse", "--format=@@@ %H %cs", head)
        sha = date = page = ""
        for line in log.split("\n"):
            if line.startswith("@@@ "):
                _, sha, date = line.split()
                continue
            match = _DIFF_FILE.match(line)
            if match:
                page = match.group(2)
                continue
            if not line.startswith("+") or line.startswith("+++") or _CUSTOM.search(line):
                continue
            for name in set(policy_names(line)):
                seen = names.get(name)
                if seen is None or (date, remote) < (seen["first"], seen["repository"]):
                    names[name] = {"repository": remote, "commit": sha, "first": date, "page": page}
    return {
        "source": {
            "what": "every commit of AlibabaCloudDocs product guides (added lines), system policy names",
            "repositories": sorted(sources, key=lambda s: s["repository"]),
        },
        "names": dict(sorted(names.items())),
    }


def _repository_name(path: Path) -> str:
    """'AlibabaCloudDocs/ecs' from a mirror folder named 'AlibabaCloudDocs+ecs' (or a clone 'ecs')."""
    for part in reversed(path.resolve().parts):
        if "+" in part:
            return part.replace("+", "/", 1)
    return f"AlibabaCloudDocs/{path.resolve().name}"


# -- AlibabaCloudDocs/oss --------------------------------------------------------------------------

_ROW = re.compile(r"^\s*\|(?P<api>[^|]*)\|(?P<action>[^|]*)\|?\s*$")


def oss_docs(repo: Path, commit: str) -> dict[str, Any]:
    """API -> actions rows of the action tables (a row without an action continues the previous
    one: PostObject, UploadPart, ... are authorised as oss:PutObject), and the condition keys."""
    apis: dict[str, list[str]] = {}
    conditions: set[str] = set()
    pages = []
    for page in OSS_PAGES:
        try:
            sha = git(repo, "log", "-1", "--format=%H", commit, "--", page).strip()
            text = git(repo, "show", f"{sha}:{page}")
        except FileNotFoundError:
            continue
        pages.append({"page": page, "commit": sha, "date": commit_date(repo, sha)})
        current: list[str] | None = None
        for line in text.split("\n"):
            match = _ROW.match(line)
            if not match:
                current = None
                continue
            api_cell, action_cell = match.group("api").strip(), match.group("action").strip()
            found = re.findall(r"oss:([A-Z][A-Za-z]+)", action_cell)
            if api_cell.startswith(("oss:", "acs:")):
                conditions.update(re.findall(r"^((?:oss|acs):[A-Za-z]+)", api_cell))
                continue
            api = re.sub(r"\\?\(.*", "", api_cell).replace("\\", "").strip()
            api = re.sub(r"（.*", "", api).strip()
            if not re.fullmatch(r"[A-Z][A-Za-z]+", api):
                continue
            qualified = api_cell != api and ("versionId" in api_cell)
            if found:
                current = [f"oss:{a}" for a in found]
            elif current is None:
                continue
            # "GetObject (with versionId)" is authorised as another action: its own key
            listed = apis.setdefault(f"{api}?versionId" if qualified else api, [])
            listed.extend(a for a in current if a not in listed)
    return {
        "source": {"repository": "AlibabaCloudDocs/oss", "commit": commit, "pages": pages},
        "apis": dict(sorted(apis.items())),
        "condition_keys": sorted(conditions),
    }


# -- Alibaba's guides (the project's seeds) ---------------------------------------------------------

_ACTION_ELEMENT = re.compile(r'"(?:Not)?Action"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_LITERAL = re.compile(r'"([a-z][a-z0-9-]*):([A-Za-z][A-Za-z0-9]*)"')


def guide_actions(folder: Path) -> dict[str, Any]:
    """Literal actions in the Action elements of the sample policies of Alibaba's guides."""
    actions: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for element in _ACTION_ELEMENT.findall(text):
            for code, name in _LITERAL.findall(element):
                seen = actions.setdefault(f"{code}:{name}", [])
                if path.name not in seen:
                    seen.append(path.name)
    return {
        "source": {
            "what": "sample policies of Alibaba's guides (the project's seeds, /work/shared/seeds)",
            "files": sorted(p.name for p in folder.glob("*.txt")),
        },
        "actions": dict(sorted(actions.items())),
    }


def write(path: Path, data: dict[str, Any], per_line: str | None = None) -> None:
    """JSON with one entry of `per_line` per line: small diffs when a source moves."""
    if per_line is None:
        text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    else:
        head = {k: v for k, v in data.items() if k != per_line}
        lines = [
            f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
            for k, v in sorted(data[per_line].items())
        ]
        text = (
            json.dumps(head, indent=1, ensure_ascii=False, sort_keys=True)[:-2]
            + f',\n "{per_line}": {{\n'
            + ",\n".join(lines)
            + "\n }\n}\n"
        )
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(text.encode()):,} bytes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acs-metadata", type=Path)
    parser.add_argument("--ram-docs", type=Path)
    parser.add_argument("--oss-docs", type=Path)
    parser.add_argument(
        "--product-docs", type=Path, nargs="*", default=[], help="AlibabaCloudDocs product repositories"
    )
    parser.add_argument("--guides", type=Path, help="folder of Alibaba guides as text (the seeds)")
    parser.add_argument("--latest", action="store_true", help="product docs: HEAD, not the recorded commits")
    for key, sha in PINNED.items():
        parser.add_argument(f"--commit-{key}", default=sha)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.acs_metadata:
        data = acs_metadata(git_dir(args.acs_metadata), args.commit_acs_metadata)
        write(OUT / "acs_metadata.json", data, per_line="products")
    if args.ram_docs:
        write(
            OUT / "ram_docs_policy_names.json",
            ram_docs(git_dir(args.ram_docs), args.commit_ram_docs),
            "names",
        )
    if args.oss_docs:
        write(OUT / "oss_docs_actions.json", oss_docs(git_dir(args.oss_docs), args.commit_oss_docs))
    if args.product_docs:
        extract = OUT / "product_docs_policy_names.json"
        pins = {}
        if extract.exists() and not args.latest:  # re-read each repository at its recorded commit
            recorded = json.loads(extract.read_text(encoding="utf-8"))["source"]["repositories"]
            pins = {r["repository"]: r["commit"] for r in recorded}
        write(extract, product_docs(args.product_docs, pins), "names")
    if args.guides:
        write(OUT / "guide_actions.json", guide_actions(args.guides))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
