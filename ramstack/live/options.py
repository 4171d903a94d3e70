"""Options every live verb shares (`--endpoint`, `--region`) and the `Target` they select.

Light on purpose: the CLI imports it to build its parser, so it must not import the SDKs.
"""

from __future__ import annotations

import argparse
import os

from ramstack.live.sdk import DEFAULT_REGION, Target
from ramstack.spec.config import StackConfig


def add_endpoint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        metavar="HOST:PORT",
        help="talk plain HTTP to a local endpoint (`ramstack serve`); default: Alibaba Cloud's "
        "regional endpoints over HTTPS",
    )
    parser.add_argument(
        "--region",
        help="region of the STS endpoint (default: the stack's alicloud:region, else "
        f"$ALIBABA_CLOUD_REGION_ID, else {DEFAULT_REGION})",
    )


def target_from(args: argparse.Namespace, config: StackConfig | None) -> Target:
    region = args.region or (config.region if config else None) or os.environ.get("ALIBABA_CLOUD_REGION_ID")
    return Target(endpoint=args.endpoint or None, region=region or DEFAULT_REGION)
