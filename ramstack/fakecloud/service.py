"""Base of the API classes and the `@api("ActionName")` decorator that routes calls through the context."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from ramstack.fakecloud.context import Context

F = TypeVar("F", bound=Callable[..., dict[str, Any]])

ACTION_ATTRIBUTE = "__api_action__"


def api(action: str) -> Callable[[F], F]:
    """Mark a method as the API operation `action`. Methods take keyword arguments only."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(self: Service, **kwargs: Any) -> dict[str, Any]:
            return self._ctx.invoke(self.service, action, functools.partial(fn, self), kwargs)

        setattr(wrapper, ACTION_ATTRIBUTE, action)
        return cast(F, wrapper)

    return decorate


class Service:
    service: ClassVar[str]

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @classmethod
    def actions(cls) -> dict[str, str]:
        """API action name -> method name."""
        out: dict[str, str] = {}
        for attr in dir(cls):
            action = getattr(getattr(cls, attr), ACTION_ATTRIBUTE, None)
            if isinstance(action, str):
                out[action] = attr
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(account_id={self._ctx.account_id!r})"
