"""Benchmark: the access graph of a large generated stack (bench/inventory.py) in every text format.

    python bench/graph.py [--users 1000 --roles 200 --policies 300]

Prints how long effective permissions, the graph, each renderer and a --focus take, and the size
of each output, so a change that makes large stacks slow or unreadable shows up. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.inventory import generate
from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.graph import dot, layout, mermaid
from ramstack.graph.focus import neighbourhood
from ramstack.graph.model import build_graph
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=200)
    parser.add_argument("--policies", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), args.users, args.roles, args.policies)
        diags = Diagnostics()
        config = load_stack_config(root, "bench", diags)
        if config is None:
            sys.exit("the generated stack config is invalid")
        spec = load_spec(config, diags)
        start = time.perf_counter()
        effective = compute_effective(spec)
        elapsed = time.perf_counter() - start
        print(f"effective permissions: {elapsed:.2f} s, {len(effective.principals)} principals")
        start = time.perf_counter()
        graph = build_graph(effective)
        print(
            f"graph: {time.perf_counter() - start:.2f} s, {len(graph.nodes)} nodes, {len(graph.edges)} edges"
        )
        for name, render in (
            ("mermaid", mermaid.render),
            ("dot", dot.render),
            ("svg (built-in)", layout.render),
        ):
            start = time.perf_counter()
            text = render(graph)
            print(f"{name}: {time.perf_counter() - start:.2f} s, {len(text) / 1024:.0f} KiB")
        user = next(n.id for n in graph.nodes if n.kind == "user")
        start = time.perf_counter()
        focused = neighbourhood(graph, {user}, 2)
        print(
            f"--focus {user} --depth 2: {time.perf_counter() - start:.3f} s, "
            f"{len(focused.nodes)} nodes, {len(focused.edges)} edges"
        )


if __name__ == "__main__":
    main()
