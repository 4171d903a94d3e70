"""Generate a large, valid ramstack project for benchmarks: users, roles, custom policies, attachments."""

from __future__ import annotations

import json
import random
from pathlib import Path

ACCOUNT = "1234567890123456"
SERVICES = {
    "oss": ["GetObject", "PutObject", "ListObjects", "DeleteObject", "GetBucketInfo"],
    "vod": ["GetPlayInfo", "CreateUploadVideo", "GetVideoInfo", "SearchMedia"],
    "ice": ["GetMediaInfo", "ListMediaBasicInfos", "SubmitMediaProducingJob", "GetEditingProject"],
    "imm": ["ListProjects", "CreateOfficeConversionTask", "GetProject"],
}
SYSTEM = [
    "AliyunOSSReadOnlyAccess",
    "AliyunVODReadOnlyAccess",
    "AliyunICEReadOnlyAccess",
    "AliyunIMMReadOnlyAccess",
]


def _policy(rng: random.Random, index: int) -> dict[str, object]:
    statements = []
    for _ in range(rng.randint(1, 3)):
        service = rng.choice(list(SERVICES))
        actions = sorted({f"{service}:{rng.choice(SERVICES[service])}" for _ in range(rng.randint(1, 4))})
        if rng.random() < 0.2:
            actions.append(f"{service}:Get*")
        resource = "*" if service != "oss" else f"acs:oss:*:{ACCOUNT}:bucket-{index % 40}/*"
        statement: dict[str, object] = {"Effect": "Allow", "Action": actions, "Resource": resource}
        if rng.random() < 0.15:
            statement["Condition"] = {"IpAddress": {"acs:SourceIp": [f"203.0.113.{rng.randint(1, 254)}"]}}
        statements.append(statement)
    if rng.random() < 0.1:
        statements.append({"Effect": "Deny", "Action": "oss:DeleteObject", "Resource": "*"})
    return {"Version": "1", "Statement": statements}


def generate(root: Path, users: int = 1000, roles: int = 200, policies: int = 300, seed: int = 7) -> Path:
    """Write a complete project under `root` (Pulumi.yaml, Pulumi.bench.yaml, __main__.py, access.yaml,
    policies/): what `ramstack plan -C root --stack bench` runs. Returns `root`."""
    rng = random.Random(seed)
    (root / "policies").mkdir(parents=True, exist_ok=True)
    policy_names = [f"bench-policy-{i:03d}" for i in range(policies)]
    for i, name in enumerate(policy_names):
        (root / "policies" / f"{name}.json").write_text(json.dumps(_policy(rng, i), indent=1))
    user_names = [f"user-{i:04d}" for i in range(users)]
    role_names = [f"role-{i:03d}" for i in range(roles)]
    # Each role trusts a few users; a fifth of the users may assume one role that trusts them.
    trusted: dict[str, list[str]] = {r: rng.sample(user_names, 3) for r in role_names}
    assumes: dict[str, str] = {}
    for role, members in trusted.items():
        for user in members:
            if rng.random() < 0.4:
                assumes.setdefault(user, role)
    lines = ["users:"]
    for user in user_names:
        lines.append(f"  {user}:")
        lines.append(f"    display_name: Bench {user}")
        lines.append(f"    policies: [{', '.join(rng.sample(policy_names, rng.randint(1, 2)))}]")
        lines.append(f"    system_policies: [{rng.choice(SYSTEM)}]")
        if rng.random() < 0.3:
            lines.append("    access_key: true")
        if user in assumes:
            lines.append(f"    assume_roles: [{assumes[user]}]")
    lines.append("roles:")
    for role in role_names:
        lines.append(f"  {role}:")
        lines.append(f"    description: Bench {role}")
        lines.append(f"    trust: {{users: [{', '.join(trusted[role])}]}}")
        lines.append(f"    policies: [{', '.join(rng.sample(policy_names, 2))}]")
        lines.append(f"    system_policies: [{rng.choice(SYSTEM)}]")
    (root / "access.yaml").write_text("\n".join(lines) + "\n")
    (root / "Pulumi.yaml").write_text("name: ramstack-bench\nruntime: python\n")
    (root / "__main__.py").write_text("from ramstack.components.program import main\n\nmain()\n")
    (root / "Pulumi.bench.yaml").write_text(
        "config:\n  alicloud:region: cn-hangzhou\n"
        f'  ramstack:accountId: "{ACCOUNT}"\n  ramstack:spec: access.yaml\n'
    )
    return root
