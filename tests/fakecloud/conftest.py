from __future__ import annotations

import pytest

from ramstack.fakecloud import FakeCloud, ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def cloud(clock: ManualClock) -> FakeCloud:
    return FakeCloud(clock=clock)
