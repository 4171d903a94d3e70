"""A dict that keeps secondary indexes of its entries, so the account's relations (a principal's
attachments, a user's keys, an entity by id) are found without scanning every entity.

Without them each AttachPolicyTo* scanned every attachment of the account to count the principal's
policies, which made a plan of n users cost O(n^2) in the fake cloud (issue 15). The index key of an
entry must not change while it is stored (ids, owners and names of a key never do); a renamed entity
is removed and stored again, which re-indexes it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
_D = TypeVar("_D")
_MISSING: Any = object()


class IndexedDict(dict[K, V]):
    """A dict plus named indexes `name -> (key, value) -> index key`; `lookup(name, index_key)` lists the
    keys stored under it in insertion order. Every mutating dict method keeps the indexes current."""

    def __init__(self, indexes: Mapping[str, Callable[[K, V], Hashable]]) -> None:
        super().__init__()
        self._indexers = dict(indexes)
        self._indexes: dict[str, dict[Hashable, dict[K, None]]] = {name: {} for name in indexes}

    def lookup(self, index: str, value: Hashable) -> list[K]:
        return list(self._indexes[index].get(value, ()))

    def _add(self, key: K, value: V) -> None:
        for name, indexer in self._indexers.items():
            self._indexes[name].setdefault(indexer(key, value), {})[key] = None

    def _remove(self, key: K, value: V) -> None:
        for name, indexer in self._indexers.items():
            bucket = self._indexes[name].get(indexer(key, value))
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self._indexes[name][indexer(key, value)]

    def __setitem__(self, key: K, value: V) -> None:
        if key in self:
            self._remove(key, self[key])
        super().__setitem__(key, value)
        self._add(key, value)

    def __delitem__(self, key: K) -> None:
        value = self[key]
        super().__delitem__(key)
        self._remove(key, value)

    @overload
    def pop(self, key: K, /) -> V: ...
    @overload
    def pop(self, key: K, default: V, /) -> V: ...
    @overload
    def pop(self, key: K, default: _D, /) -> V | _D: ...
    def pop(self, key: K, default: Any = _MISSING, /) -> Any:
        if key not in self:
            if default is _MISSING:
                raise KeyError(key)
            return default
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[K, V]:
        key, value = super().popitem()
        self._remove(key, value)
        return key, value

    def setdefault(self, key: K, default: V = None, /) -> V:  # type: ignore[assignment]
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> IndexedDict[K, V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        self._indexes = {name: {} for name in self._indexers}

    def copy(self) -> dict[K, V]:
        return dict(self)


def indexed(**indexes: Callable[[Any, Any], Hashable]) -> Callable[[], IndexedDict[Any, Any]]:
    """A dataclass `default_factory` for an `IndexedDict` with these indexes."""
    return lambda: IndexedDict(indexes)
