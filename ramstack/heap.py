"""Keep Python's cycle collector off the long-lived heap of a large run.

Under the Pulumi runtime every registration leaves futures, outputs and closures that live until the
program ends; with the default thresholds the collector walks that growing heap again and again, which
made a 1,000-user plan spend about half its time collecting and grow super-linearly (issue 15). What
exists before the run (modules, the validated spec) is frozen out of collection, and young
collections run far less often. Cycles are still collected, and everything is restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# ~100k net allocations between young collections instead of 700; older generations 5x rarer.
THRESHOLDS = (100_000, 50, 1_000)


_depth = 0  # long_lived_heap()s entered and not yet left, in this process


@contextmanager
def long_lived_heap() -> Iterator[None]:
    """Re-entrant: only the outermost entry collects, freezes and raises the thresholds, and only its
    exit restores them. (`ramstack plan` enters it in the command and again in the offline run; an
    inner entry that acted would collect the outer's heap again and its exit would unfreeze what the
    outer froze.)"""
    global _depth
    _depth += 1
    if _depth > 1:
        try:
            yield
        finally:
            _depth -= 1
        return
    saved = gc.get_threshold()
    try:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
        yield
    finally:
        _depth -= 1
        # What the run built lives as long as its result: straight into the oldest generation (freeze,
        # then unfreeze) rather than one young collection walking all of it.
        gc.freeze()
        gc.set_threshold(*saved)
        gc.unfreeze()


@contextmanager
def collector_off() -> Iterator[None]:
    """No cycle collection at all, for a run whose work is bounded by its input: the verbs that read
    files, build a model, render it and exit (validate, lint, lock, diff), and `ramstack plan`'s
    program run, whose registrations, outputs and futures live until the report is written anyway
    (peak memory of a 5,000-user lock --check and of a 3,000-user plan is the same with and without),
    while the collector walking that heap cost a third of the verbs' time and made plan grow
    super-linearly (issue 15). Reference counting still frees everything else.

    On the way out, what the run built goes straight into the oldest generation (freeze, then
    unfreeze), as `long_lived_heap` does: re-enabled, the collector would otherwise walk all of it in
    its first young collection. Inside a `long_lived_heap` that step is left to the outer entry."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _depth == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
