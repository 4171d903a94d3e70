"""Pulumi program: the access spec named by `ramstack:spec` becomes RAM users, groups, roles and policies.

Pulumi runs it with the project folder (where Pulumi.yaml is) as the working directory; paths in the
stack config are relative to it. The program itself ships in the ramstack distribution.
"""

from ramstack.components.program import main

main()
