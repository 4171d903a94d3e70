"""A stack's inputs checked together: the stack config and the spec with its policies.

A mistake in the stack config does not hide the spec's and the policies' problems: they are checked
with fallbacks in place of the broken config values, and only what truly depends on a broken value
is skipped (the spec when `ramstack:spec` is broken; unknown-variable findings when `ramstack:vars`
is; limit findings when `ramstack:quotas` is). A config with mistakes never yields a spec to deploy
or plan.
"""

from __future__ import annotations

from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.spec.config import StackConfig
from ramstack.spec.load import load_spec
from ramstack.spec.model import Spec


def load_with_config(config: StackConfig, diags: Diagnostics, *, config_failed: bool) -> Spec | None:
    """The validated spec, or None (with every diagnostic that can be given) when anything failed."""
    diags.levels.update(config.grammar_levels)
    if "vars" in config.broken:
        diags.levels["VAR001"] = "ignore"  # with the variables unreadable, any of them looks unknown
    if "quotas" in config.broken:
        diags.levels["SPEC008"] = "ignore"  # limits are judged against the quotas
    if "spec" in config.broken:
        return None
    try:
        spec = load_spec(config, diags)
    except InvalidInput:
        return None
    return None if config_failed else spec
