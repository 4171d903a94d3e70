"""ramstack's CrossGuard pack: `pulumi preview --policy-pack policypack`. Only builds the pack.

The policies ship in the distribution (ramstack.components.crossguard, extra `ramstack[crossguard]`),
so a pack of your own is this same thin file. Never import it from tests: PolicyPack(...) starts the
analyzer server and blocks.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from ramstack.components.crossguard import POLICIES

PolicyPack(
    name="ramstack-ram",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
