"""SVG of an access graph: Graphviz `dot` lays it out when it is installed (the better layout for
large stacks); without it, the built-in column layout (ramstack.graph.layout), so `--format svg`
always works offline. Which one ran is said on stderr by the command, never inside the picture."""

from __future__ import annotations

import shutil
import subprocess

from ramstack.graph import dot, layout
from ramstack.graph.model import Graph

DOT_TIMEOUT = 120  # seconds; a few hundred principals lay out in well under that


def graphviz() -> str | None:
    """The path of Graphviz's `dot`, or None when it is not installed."""
    return shutil.which("dot")


def render(graph: Graph, title: str = "") -> tuple[str, str]:
    """(svg, engine): `graphviz` or `built-in` (also when dot fails, with its error as the engine)."""
    program = graphviz()
    if program is not None:
        try:
            done = subprocess.run(
                [program, "-Tsvg"],
                input=dot.render(graph, title).encode(),
                capture_output=True,
                timeout=DOT_TIMEOUT,
                check=True,
            )
            return done.stdout.decode(), "graphviz"
        except (subprocess.SubprocessError, OSError) as exc:
            return layout.render(graph), f"built-in (Graphviz failed: {exc})"
    return layout.render(graph), "built-in"
