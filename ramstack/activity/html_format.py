"""HTML section of a replay (in `ramstack diff --replay --format html`)."""

from __future__ import annotations

from html import escape

from ramstack.activity.replay import ReplayResult


def replayed(result: ReplayResult, label: str) -> str:
    head = (
        f"{result.broken_calls} of {result.calls} recorded calls would now be denied"
        if result.breaks
        else f"all {result.calls} recorded calls still allowed"
    )
    out = [f'<h2 id="replay">Replay of recorded calls: {escape(head)}</h2>', f"<p>{escape(label)}</p>"]
    if result.breaks:
        rows = "".join(
            f'<tr class="removed"><td><code>{escape(b.principal)}</code></td>'
            f"<td><code>{escape(b.action)}</code></td><td><code>{escape(b.resource)}</code></td><td>{b.count}</td><td>{escape(b.last_seen)}</td>"
            f"<td>{escape(b.reason)}</td></tr>"
            for b in result.breaks
        )
        out.append(
            "<table><tr><th>principal</th><th>action</th><th>resource</th><th>count</th>"
            f"<th>last seen</th><th>why denied</th></tr>{rows}</table>"
        )
    if result.undecided:
        rows = "".join(
            f"<tr><td><code>{escape(c.principal)}</code></td><td><code>{escape(c.action)}</code></td>"
            f"<td><code>{escape(c.resource)}</code></td><td>{c.count}</td><td>{escape(c.reason)}</td></tr>"
            for c in result.undecided
        )
        out.append(
            f"<p>{len(result.undecided)} recorded uses are undecided (not counted as breakage): a system "
            "policy without a document in the bundled catalog may grant them.</p>"
            "<table><tr><th>principal</th><th>action</th><th>resource</th><th>count</th>"
            f"<th>why unknown</th></tr>{rows}</table>"
        )
    if result.unexplained:
        out.append(
            f"<p>{len(result.unexplained)} recorded uses are not allowed by the base either "
            "(not counted as breakage).</p>"
        )
    return "".join(out)
