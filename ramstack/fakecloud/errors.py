"""The one exception of the fake cloud, shaped like an Alibaba Cloud RPC error response.

Codes follow the reference (§5 STS, §6 RAM). Where a code is not in the reference it is marked
UNCONFIRMED at the place that raises it.
"""

from __future__ import annotations

from typing import Any

_STATUS_BY_PREFIX: tuple[tuple[str, int], ...] = (
    ("EntityNotExist", 404),
    ("EntityAlreadyExists", 409),
    ("DeleteConflict", 409),
    ("LimitExceeded", 409),
    ("NoPermission", 403),
    ("AuthenticationFail.NoPermission", 401),  # STS error-code page (federated calls)
    ("AuthenticationFail.OIDCToken", 401),
    ("AuthenticationFail.SAMLAssertion", 401),
    ("Inactive", 403),
    ("InvalidAccessKeyId.NotFound", 404),  # POP gateway code, UNCONFIRMED for RAM/STS
    ("InvalidAction.NotFound", 404),  # POP gateway code, UNCONFIRMED
    ("ServiceUnavailable", 503),
    ("InternalError", 500),
)


def default_http_status(code: str) -> int:
    """The HTTP status the API answers `code` with (400 for parameter, throttling and unknown codes)."""
    for prefix, status in _STATUS_BY_PREFIX:
        if code == prefix or code.startswith(prefix + "."):
            return status
    return 400


class CloudError(Exception):
    """A failed API call: `code` exactly as the API spells it, its `message`, and `http_status`."""

    def __init__(self, code: str, message: str, http_status: int | None = None) -> None:
        self.code = code
        self.message = message
        self.http_status = default_http_status(code) if http_status is None else http_status
        self.request_id: str | None = None  # set by the fake when the error leaves an API call
        super().__init__(f"{code}: {message}")

    def __repr__(self) -> str:
        return f"CloudError(code={self.code!r}, message={self.message!r}, http_status={self.http_status})"

    def to_dict(self, host_id: str = "ram.aliyuncs.com") -> dict[str, Any]:
        """The JSON error body the RPC API sends."""
        return {"RequestId": self.request_id, "HostId": host_id, "Code": self.code, "Message": self.message}


# Constructors for the recurring families, so codes and wording stay uniform.


def not_exist(entity: str, message: str) -> CloudError:
    return CloudError(f"EntityNotExist.{entity}", message)


def already_exists(entity: str, message: str) -> CloudError:
    return CloudError(f"EntityAlreadyExists.{entity}", message)


def delete_conflict(entity: str, message: str) -> CloudError:
    return CloudError(f"DeleteConflict.{entity}", message)


def limit_exceeded(entity: str, message: str) -> CloudError:
    return CloudError(f"LimitExceeded.{entity}", message)


def invalid(field: str, message: str) -> CloudError:
    """`InvalidParameter.<field>` (field may carry a suffix such as `VersionId.Format`)."""
    return CloudError(f"InvalidParameter.{field}" if field else "InvalidParameter", message)
