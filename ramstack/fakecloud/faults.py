"""One-shot failures queued by tests: `fail_next("CreateUser", "Throttling.User")`."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ramstack.fakecloud.errors import CloudError

ANY_OPERATION = "*"


@dataclass(frozen=True)
class Fault:
    operation: str  # API name, or "*" for whichever operation is called next
    code: str
    message: str
    http_status: int | None = None

    def error(self) -> CloudError:
        return CloudError(self.code, self.message, self.http_status)


class FaultQueue:
    """FIFO per operation; a fault for a named operation wins over a pending `*` fault."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[Fault]] = {}

    def add(self, fault: Fault) -> None:
        self._queues.setdefault(fault.operation, deque()).append(fault)

    def take(self, operation: str) -> Fault | None:
        for key in (operation, ANY_OPERATION):
            queue = self._queues.get(key)
            if queue:
                return queue.popleft()
        return None

    def pending(self) -> list[Fault]:
        return [f for key in sorted(self._queues) for f in self._queues[key]]

    def clear(self) -> None:
        self._queues.clear()
