"""GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::message`, so findings
and diagnostics show inline on the pull request without a SARIF upload.

Escaping follows the runner's own rules (actions/toolkit, packages/core/src/command.ts): in the
message `%`, CR and LF become %25, %0D, %0A; in property values `:` and `,` also become %3A, %2C.
Levels: CRITICAL/HIGH -> error, MEDIUM -> warning, LOW/INFO -> notice (as the SARIF report maps them).
"""

from __future__ import annotations

from collections.abc import Iterable

from ramstack.diagnostics import Diagnostic, Level, sort_diagnostics
from ramstack.lint.finding import Severity
from ramstack.permdiff.model import PermissionDiff
from ramstack.report.base import Report

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    level: str, message: str, *, title: str, file: str | None = None, line: int = 1, col: int = 1
) -> str:
    props = [f"file={escape_property(file)}", f"line={line}", f"col={col}"] if file else []
    props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}\n"


def render(report: Report) -> str:
    """Lint findings (the `--format github` of `ramstack lint`)."""
    out = []
    for f in report.findings:
        rule = report.rules.get(f.rule_id)
        fix = f" (fix: {rule.fix})" if rule else ""
        fix += f" (see: ramstack rules {f.rule_id})"
        loc = f.location
        out.append(
            command(
                LEVELS[f.severity],
                f"{f.severity} {f.message}{fix}",
                title=f.rule_id,
                file=loc.file if loc else None,
                line=max(loc.line, 1) if loc else 1,
                col=max(loc.column, 1) if loc else 1,
            )
        )
    return "".join(out)


def diagnostics(items: Iterable[Diagnostic]) -> str:
    """Located input diagnostics (validate, and the invalid-input path of lint and diff)."""
    out = []
    for d in sort_diagnostics(items):
        fix = f" (fix: {d.fix})" if d.fix else ""
        level = "error" if d.level is Level.ERROR else "warning"
        loc = d.location
        located = loc.file and not loc.file.startswith(("<", "--"))  # <command line>, --base-ref REF
        out.append(
            command(
                level,
                d.message + fix,
                title=d.code,
                file=loc.file if located else None,
                line=loc.line,
                col=loc.column,
            )
        )
    return "".join(out)


def diff(result: PermissionDiff, title: str) -> str:
    """A permission diff: destroyed identities are errors, escalation-relevant grants warnings, every
    other change a notice (a diff has no file position: the commands are unlocated). `title` (the
    text report's heading) is not repeated on every line: annotations carry a short fixed title."""
    title = "ramstack diff"
    out = [
        command(
            "error",
            f"{c.principal}: the identity and every grant it holds will be deleted",
            title="DESTROYED",
        )
        for c in result.destroyed
    ]
    for g in result.grants:
        level = "warning" if g.escalation else "notice"
        out.append(
            command(level, f"{g.principal}: {g.describe()}", title="ESCALATION" if g.escalation else title)
        )
    for t in result.trust:
        out.append(command("notice", f"{t.role}: trust {t.describe()}", title=title))
    for a in result.assumable:
        out.append(command("notice", f"{a.principal}: {a.describe()}", title=title))
    for c in result.identities:
        if c.kind == "created":
            out.append(command("notice", f"{c.principal}: created", title=title))
    for at in result.attributes:
        out.append(command("notice", f"{at.principal}: {at.describe()}", title=title))
    return "".join(out)
