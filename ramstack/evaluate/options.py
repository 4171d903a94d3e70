"""Evaluator settings for the points the RAM documentation leaves open (reference §1, UNCONFIRMED).

`missing_key` — what a condition on a key absent from the request context yields:

    "unmet" (default)  every operator is unmet on an absent key: positive (StringEquals, IpAddress,
                       ...) and negated (StringNotEquals, NotIpAddress, ...) ones alike, and so are
                       ForAnyValue:/ForAllValues: forms. An Allow that needs a key is not granted
                       without it; note that a Deny guarded by a negated operator does not fire
                       either.
    "aws"              AWS IAM's documented behaviour: positive operators and ForAnyValue: are unmet,
                       negated operators and ForAllValues: are met (vacuously true). Use it to see
                       what a Deny such as `NotIpAddress acs:SourceIp` would do to a request without
                       the key.

In both modes `...IfExists` is met on an absent key and `Null` tests presence itself. Every
decision lists the keys that were absent (`Decision.missing_keys`) and says so in its reason.

`case_sensitive_keys` — whether condition-key names compare case-sensitively (`acs:SourceIp` vs
`acs:sourceip`); off by default, so a lower-cased key in a request still meets the policy's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MissingKey = Literal["unmet", "aws"]
MISSING_KEY_MODES: tuple[MissingKey, ...] = ("unmet", "aws")


@dataclass(frozen=True)
class EvalOptions:
    missing_key: MissingKey = "unmet"
    case_sensitive_keys: bool = False


DEFAULT_OPTIONS = EvalOptions()
