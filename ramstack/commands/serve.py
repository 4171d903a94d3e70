"""`ramstack serve [--stack NAME] [--host 127.0.0.1] [--port N] [--ready-file FILE]`: a local
RAM/STS/IMS endpoint over the fake cloud, provisioned with the stack as `pulumi up` would create it.

The ready file is the one place ramstack writes secrets: the AccessKey secrets of the fake account's
users (created by the stack program for `access_key: true`), so tests and local applications can
sign requests, and the private key of each OIDC provider's stand-in issuer, so they can mint ID
tokens AssumeRoleWithOIDC accepts (it verifies their signatures). It is written atomically with mode
0600 from its first byte once the port listens, and removed on a clean stop; those keys exist only
inside this process's fake account.
"""

from __future__ import annotations

import argparse
import gc
import json
import secrets
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from ramstack.commands.common import COMMAND_LINE, add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostic, Diagnostics, Level
from ramstack.ui import output

if TYPE_CHECKING:
    from ramstack.fakecloud import FakeCloud
    from ramstack.serve.server import EndpointServer
    from ramstack.spec.config import StackConfig
    from ramstack.spec.model import Spec

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: 0, a free one; see --ready-file)")
    parser.add_argument(
        "--ready-file",
        type=Path,
        metavar="FILE",
        help="once listening, write JSON {endpoint, account_id, access_keys: {user: {id, secret}}, "
        "oidc_issuers: {issuer_url: {kid, private_key_pem}}} (mode 0600, holds secrets of the fake "
        "account; removed on stop)",
    )
    parser.add_argument(
        "--root-access-key",
        action="store_true",
        help="also create an AccessKey of the account itself (every RAM/IMS call allowed, as the console "
        "owner) and put it in the ready file as root_access_key",
    )


def _fail(code: str, message: str, fix: str) -> int:
    print_diagnostics([Diagnostic(COMMAND_LINE, Level.ERROR, code, message, fix)], sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    print_diagnostics(diags, sys.stderr)
    if config is None or spec is None:
        return 2
    if not 0 <= args.port <= 65535:
        return _fail(
            "SERVE001", f"--port {args.port} is not a port number", "use 0 to 65535 (0: a free port)"
        )
    try:
        import cryptography  # noqa: F401  (the stand-in OIDC issuers' keys)

        from ramstack.components.offline_plan import plan_cloud, run_offline
    except ImportError as exc:
        sys.stderr.write(
            f"ramstack serve provisions the stack by running its Pulumi program and signs OIDC tokens; it "
            f"needs the Pulumi SDK and cryptography ({exc.name} is missing): pip install 'ramstack[serve]' "
            "(or `make setup`)\n"
        )
        return 2
    from ramstack.plan.report import failure_diagnostics
    from ramstack.serve.endpoint import Endpoint
    from ramstack.serve.server import EndpointServer

    # A random seed: ids, AccessKeys and STS tokens of this endpoint must not be predictable.
    cloud = plan_cloud(spec, seed=secrets.token_hex(16))
    try:  # bind first: a taken port fails before the stack is provisioned
        server = EndpointServer(Endpoint(cloud), args.host, args.port)
    except OSError as exc:
        return _fail(
            "SERVE001",
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            "choose another --port (0 picks a free one) or --host",
        )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # From here on SIGINT/SIGTERM only ask to stop: no KeyboardInterrupt traceback mid-provisioning.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = run_offline(config.project_dir.resolve(), args.stack, spec, cloud, check_removal=False)
        # Pulumi's test runtime leaves event loops behind; collected now they close quietly, while
        # at interpreter exit closing them prints "Exception ignored" tracebacks.
        gc.collect()
        refusals = failure_diagnostics(spec, result)
        if refusals or result["error"]:
            print_diagnostics(refusals, sys.stderr)
            if result["error"]:
                sys.stderr.write(f"ramstack serve: the stack program failed: {result['error']}\n")
            return 2
        _warn_about_gate(spec, config)
        ready = _ready(cloud, server, spec, args.root_access_key)
        server.start()
        try:
            if args.ready_file is not None:
                _write_ready(args.ready_file, ready)
            _announce(args, server, cloud, len(ready["access_keys"]))
            while not stop.wait(0.25):
                pass
        finally:
            server.shutdown()
            if args.ready_file is not None:
                args.ready_file.unlink(missing_ok=True)
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    output.note("ramstack serve: stopped")
    from ramstack.ui.summary import plural

    output.summary(f"Serve: {plural(server.answered, 'request')} answered, {server.refused} refused.")
    return 0


def _warn_about_gate(spec: Spec, config: StackConfig) -> None:
    """The endpoint serves the stack as planned even when the lint gate would stop `pulumi up`."""
    from ramstack.lint import gate

    findings = gate(spec, config)
    if findings:
        sys.stderr.write(
            f"ramstack serve: warning: {len(findings)} lint finding(s) at or above ramstack:failOn="
            f"{config.fail_on}: pulumi up would register nothing (ramstack lint shows them); serving anyway\n"
        )


def _ready(cloud: FakeCloud, server: EndpointServer, spec: Spec, root_key: bool) -> dict[str, Any]:
    keys = _user_keys(cloud, [u.name for u in spec.users if u.access_key])
    ready: dict[str, Any] = {
        "endpoint": server.address,
        "account_id": cloud.account_id,
        "access_keys": keys,
        "oidc_issuers": _oidc_issuers(cloud),
    }
    if root_key:
        root = cloud.ram.create_access_key()["AccessKey"]
        ready["root_access_key"] = {"id": root["AccessKeyId"], "secret": root["AccessKeySecret"]}
    return ready


def _oidc_issuers(cloud: FakeCloud) -> dict[str, dict[str, str]]:
    """A signing key per OIDC provider's issuer, made for this run: AssumeRoleWithOIDC accepts only
    tokens signed with it (the stand-in for the issuer's JWKS), so clients mint their tokens with
    `OidcIssuer.from_pem(issuer, private_key_pem, kid).mint(claims)`."""
    providers = cloud.ims.list_oidc_providers()["OIDCProviders"]["OIDCProvider"]
    out: dict[str, dict[str, str]] = {}
    for url in sorted({p["IssuerUrl"] for p in providers}):
        issuer = cloud.oidc_issuer(url)
        out[url] = {"kid": issuer.key_id, "private_key_pem": issuer.private_key_pem()}
    return out


def _announce(args: argparse.Namespace, server: EndpointServer, cloud: FakeCloud, keys: int) -> None:
    if args.host not in LOOPBACK:
        sys.stderr.write(
            f"ramstack serve: warning: listening on {args.host}, not loopback: "
            "anyone who can reach it can call it\n"
        )
    where = f" in {args.ready_file}" if args.ready_file else ""
    sys.stderr.write(
        f"ramstack serve: stack {args.stack} (account {cloud.account_id}) on http://{server.address}: "
        f"RAM 2015-05-01, STS 2015-04-01, IMS 2019-08-15; {keys} user AccessKey(s){where}; "
        "Ctrl-C or SIGTERM stops\n"
    )
    sys.stderr.flush()


def _user_keys(cloud: FakeCloud, users: list[str]) -> dict[str, dict[str, str]]:
    """The AccessKey the stack program created for each user (the newest if several)."""
    out: dict[str, dict[str, str]] = {}
    for user in users:
        listed = cloud.ram.list_access_keys(user_name=user)["AccessKeys"]["AccessKey"]
        if not listed:
            continue
        credential = cloud.credential(listed[-1]["AccessKeyId"])
        assert credential is not None
        out[user] = {"id": credential.access_key_id, "secret": credential.secret.reveal()}
    return out


def _write_ready(path: Path, data: dict[str, Any]) -> None:
    from ramstack.fileio import write_text_atomic

    # 0600 from the first byte: the file holds the fake account's secrets.
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode=0o600)
