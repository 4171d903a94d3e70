"""The stack program: Pulumi config -> validated spec -> components -> exports.

Invalid input never registers anything: every located error is gathered first and raised as one
`pulumi.RunError`, which `pulumi preview`/`up` print as a message, not a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi

from ramstack.components.handover import handed_spec
from ramstack.components.stack import DeployedStack, deploy, export_outputs
from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.lint import gate
from ramstack.lint.finding import sort_findings
from ramstack.report.text import format_finding
from ramstack.spec.config import NAMESPACE, StackConfig, config_from_values
from ramstack.spec.inputs import load_with_config
from ramstack.spec.model import Spec


def read_config() -> dict[str, Any]:
    """Every `ramstack:` key the engine passed (unknown ones are reported, as `ramstack validate` does),
    plus `alicloud:region`. Passwords are read separately and only as secrets."""
    keys = set(pulumi.runtime.config.CONFIG.get()) | set(pulumi.runtime.config.get_config_env())
    values: dict[str, Any] = {}
    for key in sorted(keys):
        if not key.startswith(f"{NAMESPACE}:") or key == f"{NAMESPACE}:passwords":
            continue
        raw = pulumi.runtime.get_config(key)
        values[key] = _maybe_json(raw) if key in (f"{NAMESPACE}:vars", f"{NAMESPACE}:grammar") else raw
    region = pulumi.Config("alicloud").get("region")
    if region is not None:
        values["alicloud:region"] = region
    return values


def _maybe_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw


def load_validated_spec(project_dir: Path) -> tuple[StackConfig, Spec]:
    diags = Diagnostics()
    file = f"Pulumi.{pulumi.get_stack()}.yaml"
    config = config_from_values(
        project_dir, pulumi.get_stack(), read_config(), diags, file=file, partial=True
    )
    assert config is not None  # a partial config is always built
    config_failed = diags.has_errors
    handed = None if config_failed else handed_spec(config)
    if handed is not None:  # `ramstack plan` validated these very inputs already
        return config, handed
    spec = load_with_config(config, diags, config_failed=config_failed)
    if spec is None:  # every problem at once: a config mistake does not hide the spec's
        raise InvalidInput(diags.items)
    return config, spec


def lint_gate(spec: Spec, config: StackConfig) -> None:
    """The same lint as `ramstack lint`: nothing registers when a finding reaches ramstack:failOn."""
    findings = sort_findings(gate(spec, config))
    if findings:
        lines = "\n".join(format_finding(f) for f in findings)
        raise pulumi.RunError(
            f"ramstack: {len(findings)} lint finding(s) at or above ramstack:failOn={config.fail_on}; "
            f"nothing was registered.\n{lines}\n(fix them, suppress them with a reason in lint.yaml, "
            "or raise ramstack:failOn)"
        )


def passwords() -> dict[str, pulumi.Output[str]]:
    """Console passwords from `ramstack:passwords` (a secret object keyed by user name).

    Read raw (the presence of each key decides which users can log in before anything registers)
    and wrapped as secrets at once, so no password is ever a plain value in the program.
    """
    key = f"{NAMESPACE}:passwords"
    raw = pulumi.runtime.get_config(key)
    if raw is None:
        return {}
    # The engine tells the program which keys are secret; `ramstack validate` refuses a plain-text
    # password (CFG005) from the file, and the program refuses it too, whatever wrote the config.
    if not (pulumi.runtime.is_config_secret(key) or key in pulumi.runtime.get_config_secret_keys_env()):
        raise ValueError(
            f"CFG005: {key} is stored in plain text in the stack config; console passwords must be "
            f"secrets (fix: pulumi config set --secret --path '{key}.<user>' <password>)"
        )
    values = _maybe_json(raw)
    if not isinstance(values, dict):
        raise ValueError("ramstack:passwords must be an object of user name -> password")
    return {str(name): pulumi.Output.secret(str(value)) for name, value in values.items()}


def main(project_dir: Path | None = None) -> DeployedStack:
    project_dir = project_dir or Path.cwd()
    try:
        config, spec = load_validated_spec(project_dir)
        lint_gate(spec, config)
        deployed = deploy(spec, passwords())
    except InvalidInput as exc:
        raise pulumi.RunError(
            f"ramstack: the access spec is invalid; nothing was registered.\n{exc.render()}"
        ) from None
    except ValueError as exc:
        raise pulumi.RunError(f"ramstack: {exc}") from None
    export_outputs(deployed)
    return deployed
