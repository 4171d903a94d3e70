"""verify as text: a summary line, then one row per check."""

from __future__ import annotations

from ramstack.live.verify import Check, summary


def _what(check: Check) -> str:
    if check.check == "key":
        return "AccessKey"
    return f"{'assume' if check.check == 'assume' else 'refuse'} {check.role}"


def render_text(stack: str, checks: list[Check]) -> str:
    counts = summary(checks)
    lines = [
        f"verify stack {stack}: {len(checks)} checks, {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['skip']} skipped"
    ]
    width_user = max((len(c.user) for c in checks), default=4)
    width_what = max((len(_what(c)) for c in checks), default=4)
    for c in checks:
        lines.append(f"{c.result.upper():4}  {c.user:{width_user}}  {_what(c):{width_what}}  {c.detail}")
    return "\n".join(lines) + "\n"
