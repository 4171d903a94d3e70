#!/usr/bin/env python3
"""Extract scripts/catalog_sources/sdk_operations.json: API operation names from Alibaba's Python SDKs.

One of the sources of scripts/gen_catalog.py, which builds ramstack/data/actions.json offline from
the extracts; this script is the only step that needs PyPI.

Source: Alibaba Cloud's official Python SDK packages on PyPI (one per product API version). Each
client class has one `<operation>_with_options` method per API operation, which builds
`Params(action='<OperationName>', ...)`; the literal `action` string is the operation's exact name
(`CreateOIDCProvider`, not a guess from the snake_case method name). Where a method carries no such
literal, the method name is converted to CamelCase instead, and the count of those is recorded.

The script downloads each wheel with `pip download --no-deps` into a temporary folder and reads
`client.py` from the wheel with `ast`: nothing is installed into or imported by the running
interpreter, and the SDKs never become ramstack dependencies.

Mapping to RAM codes (what goes before the colon in a policy):
    sts   alibabacloud_sts20150401   sts:AssumeRole, ...
    ram   alibabacloud_ram20150501   the RAM API
          alibabacloud_ims20190815   the IMS (identity management) API: its operations are RAM
                                     actions (ram:CreateOIDCProvider), so they join "ram"
    ice   alibabacloud_ice20201109   Intelligent Media Services (the "IMS" of the media guides)
    imm   alibabacloud_imm20200930   Intelligent Media Management
    vod   alibabacloud_vod20170321   ApsaraVideo VOD
    oss   alibabacloud_oss20190517   OSS API operation names. Most are the RAM action names
                                     (oss:GetObject); those OSS's own table authorises as another
                                     action (UploadPart -> oss:PutObject) are mapped by gen_catalog.py

Usage:
    .venv/bin/python scripts/gen_action_catalog.py [--latest] [--date YYYY-MM-DD] [--output PATH]

By default the pinned versions below are used, so a re-run reproduces the committed extract (with
--date 2026-11-22, the day it was read); --latest takes whatever PyPI serves now and records it.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "scripts" / "catalog_sources" / "sdk_operations.json"

# (RAM code, package, pinned version, API version)
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("sts", "alibabacloud_sts20150401", "1.2.0", "2015-04-01"),
    ("ram", "alibabacloud_ram20150501", "1.3.0", "2015-05-01"),
    ("ram", "alibabacloud_ims20190815", "3.5.0", "2019-08-15"),
    ("ice", "alibabacloud_ice20201109", "6.20.2", "2020-11-09"),
    ("imm", "alibabacloud_imm20200930", "5.0.3", "2020-09-30"),
    ("vod", "alibabacloud_vod20170321", "3.12.1", "2017-03-21"),
    ("oss", "alibabacloud_oss20190517", "1.0.6", "2019-05-17"),
)

NOTES = {
    "ram": (
        "RAM API plus the IMS identity-management API (2019-08-15), whose operations RAM authorises "
        "as ram:<Operation>."
    ),
    "ice": "Intelligent Media Services (IMS in the media guides); RAM code ice.",
    "oss": (
        "Operation names of the OSS 2019-05-17 API. Most equal the RAM action names (oss:GetObject, "
        "oss:PutObject, oss:ListObjects); some API calls are authorised under another action, which "
        "this catalog does not model: it lists the names as the API has them."
    ),
}

_SUFFIX = "with_options"  # usually `_with_options`; the SDK also writes `assume_role_with_oidcwith_options`
_WHEEL = re.compile(r"^(?P<name>[A-Za-z0-9_.]+?)-(?P<version>[^-]+)-.*\.whl$")


def download(package: str, version: str | None, folder: Path) -> Path:
    spec = package if version is None else f"{package}=={version}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-q",
            "-d",
            str(folder),
            spec,
        ],
        check=True,
    )
    wheels = sorted(folder.glob(f"{package}-*.whl"))
    if not wheels:
        raise SystemExit(f"no wheel for {package} in {folder}")
    return wheels[-1]


def camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def operations(client_source: str) -> tuple[list[str], int]:
    """(operation names, how many came from a method name instead of an action literal)."""
    tree = ast.parse(client_source)
    names: set[str] = set()
    guessed = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not node.name.endswith(_SUFFIX):
            continue
        literal = None
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                for keyword in inner.keywords:
                    value = keyword.value
                    if (
                        keyword.arg == "action"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        literal = value.value
        if literal is None:
            literal = camel(node.name[: -len(_SUFFIX)].rstrip("_"))
            guessed += 1
        names.add(literal)
    return sorted(names), guessed


def read_client(wheel: Path, package: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(f"{package}/client.py").decode("utf-8")


def build(latest: bool, date: str) -> dict[str, object]:
    operations_by_code: dict[str, set[str]] = {}
    packages: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="ramstack-sdk-") as tmp:
        for code, package, pinned, api_version in SOURCES:
            wheel = download(package, None if latest else pinned, Path(tmp))
            match = _WHEEL.match(wheel.name)
            version = match.group("version") if match else pinned
            names, guessed = operations(read_client(wheel, package))
            operations_by_code.setdefault(code, set()).update(names)
            packages.append(
                {
                    "package": package,
                    "version": version,
                    "api_version": api_version,
                    "ram_code": code,
                    "operations": len(names),
                    "from_method_names": guessed,
                }
            )
            print(f"{code:4} {package}=={version}: {len(names)} operations ({guessed} from method names)")
    return {
        "source": (
            "Alibaba Cloud Python SDK packages on PyPI: the action literal of each "
            "<operation>_with_options method of the package's client.py (scripts/gen_action_catalog.py)"
        ),
        "read": date,
        "notes": NOTES,
        "packages": packages,
        "operations": {code: sorted(ops) for code, ops in sorted(operations_by_code.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latest", action="store_true", help="newest versions instead of the pinned ones")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="read date to record")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    catalog = build(args.latest, args.date)
    args.output.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
