"""ramstack.heap: the long-lived heap is re-entrant (only the outermost entry acts)."""

from __future__ import annotations

import gc

import pytest

from ramstack import heap


@pytest.fixture(autouse=True)
def _collector_restored() -> object:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
    gc.unfreeze()


def test_only_the_outermost_entry_freezes_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    saved = gc.get_threshold()
    collections: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(heap.gc, "collect", lambda *a: collections.append(1) or collect(*a))
    with heap.long_lived_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0 and collections == [1]
        assert gc.get_threshold() == heap.THRESHOLDS
        with heap.long_lived_heap():
            with heap.long_lived_heap():
                keep = [object() for _ in range(10)]
            assert collections == [1]  # no second collection of the outer's heap
        # the inner exits neither unfroze the outer's freeze nor restored the thresholds
        assert gc.get_freeze_count() >= frozen
        assert gc.get_threshold() == heap.THRESHOLDS
    assert gc.get_threshold() == saved
    assert gc.get_freeze_count() == 0
    assert keep


def test_an_error_inside_leaves_the_heap_as_it_was() -> None:
    saved = gc.get_threshold()
    with pytest.raises(ValueError), heap.long_lived_heap(), heap.long_lived_heap():
        raise ValueError("inner")
    assert gc.get_threshold() == saved and gc.get_freeze_count() == 0
    with heap.long_lived_heap():  # outermost again: it acts
        assert gc.get_threshold() == heap.THRESHOLDS
    assert gc.get_threshold() == saved


def test_collector_off_leaves_what_it_built_in_the_oldest_generation() -> None:
    """No young collection walks the run's heap when the collector comes back on."""
    assert gc.isenabled()
    with heap.collector_off():
        assert not gc.isenabled()
        built = [[i] for i in range(10_000)]
        assert len(gc.get_objects(generation=0)) >= len(built)
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(each) in young for each in built)
    assert gc.get_freeze_count() == 0


def test_collector_off_inside_a_long_lived_heap_keeps_its_freeze() -> None:
    with heap.long_lived_heap():
        frozen = gc.get_freeze_count()
        with heap.collector_off():
            pass
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0
