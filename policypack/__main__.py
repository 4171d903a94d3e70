"""ramstack's CrossGuard pack: `pulumi preview --policy-pack policypack`. Only builds the pack.

Never import this module from tests: PolicyPack(...) starts the analyzer server and blocks.
The policies live in ram_policies.py; that is what tests import.
"""

from pulumi_policy import EnforcementLevel, PolicyPack
from ram_policies import POLICIES

PolicyPack(
    name="ramstack-ram",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
