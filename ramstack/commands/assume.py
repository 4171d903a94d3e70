"""`ramstack assume --role ARN|role/NAME --session-name NAME [--duration SECONDS] [--policy FILE]
[--format env|json] [--endpoint HOST:PORT] [--stack NAME]`: STS credentials for a role, with the
official STS client and Alibaba's standard credential chain (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/
_SECURITY_TOKEN, OIDC env, ~/.aliyun/config.json, ...).

The stack (optional: the default one when its Pulumi.<stack>.yaml exists) resolves role/NAME,
bounds --duration by the role's max_session_duration, and explains a NoPermission answer. Prints
the credentials (that is what it is for: `eval "$(ramstack assume ...)"`); nothing else it prints
holds a secret.

Exit 0 credentials printed; 1 the API refused or could not be reached; 2 invalid input (located
diagnostics, nothing sent) or no credentials to call with.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from ramstack.commands.common import add_stack_arguments, load_stack, print_diagnostics, project_dir
from ramstack.diagnostics import Diagnostics
from ramstack.live.options import add_endpoint_arguments, target_from
from ramstack.live.sdk import NO_CREDENTIALS, NOT_INSTALLED, LiveError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--role", required=True, metavar="ARN|role/NAME", help="the role to assume")
    parser.add_argument(
        "--session-name", required=True, metavar="NAME", help="RoleSessionName (2-64 characters)"
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="900 to the role's maximum (default 3600)",
    )
    parser.add_argument(
        "--policy", type=Path, metavar="FILE", help="session policy (.json/.yaml) narrowing the credentials"
    )
    parser.add_argument(
        "--format", "-f", choices=["env", "json"], default="env", help="output format (default env)"
    )
    add_endpoint_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ramstack.live import assume as live

    diags = Diagnostics()
    config = spec = None
    # The stack is optional, as for the policy-file verbs: the default one when its file exists;
    # one named with --stack (or $PULUMI_STACK) must exist.
    if args.stack_given or (project_dir(args) / f"Pulumi.{args.stack}.yaml").is_file():
        config, spec = load_stack(args, diags)
        if config is None or spec is None:
            print_diagnostics(diags, sys.stderr)
            return 2
    role_arn = live.resolve_role(args.role, spec, diags)
    request = None
    if role_arn is not None:
        request = live.check_request(
            role_arn, args.session_name, args.duration, args.policy, spec, config, diags
        )
    print_diagnostics(diags, sys.stderr)
    if request is None:
        return 2
    target = target_from(args, config)
    try:
        creds = live.assume(target, request)
    except LiveError as error:
        if error.code in (NO_CREDENTIALS, NOT_INSTALLED):
            sys.stderr.write(error.render() + "\n")
            return 2
        caller = live.caller_arn(target) if error.api_code == "NoPermission" else None
        print_diagnostics([live.explain_refusal(error, request.role_arn, caller, spec)], sys.stderr)
        return 1
    if args.format == "json":
        sys.stdout.write(json.dumps(live.result_json(creds), indent=2, sort_keys=True) + "\n")
    else:
        for name, value in (
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", creds.access_key_id),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", creds.access_key_secret),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", creds.security_token),
        ):
            sys.stdout.write(f"export {name}={shlex.quote(value)}\n")
    from ramstack.ui import output

    output.summary(f"Assume: {request.role_arn} as session {request.session_name}, until {creds.expiration}.")
    return 0
