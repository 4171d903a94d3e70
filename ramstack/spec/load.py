"""YAML access spec -> validated `Spec`, with every problem reported at once and located.

Order of work: structure (field tables) -> names (the API's rules) -> custom policy documents
(grammar, with stack variables) -> cross-references -> generated documents (trust policies, scoped
assume grants) -> account limits. Nothing downstream runs unless this returns a Spec.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ramstack import names
from ramstack.diagnostics import Diagnostic, Diagnostics, InvalidInput, Level, Location, Mark, locate
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.source import LList, LMap, load_file
from ramstack.spec import fields as F
from ramstack.spec.catalog import decide as decide_system_policy
from ramstack.spec.catalog import snapshot as catalog_snapshot
from ramstack.spec.catalog import system_policy_names
from ramstack.spec.config import StackConfig
from ramstack.spec.model import (
    ConsoleLogin,
    CustomPolicy,
    GithubTrust,
    Group,
    OidcProvider,
    OidcTrust,
    PolicyRef,
    Role,
    Spec,
    Trust,
    User,
)
from ramstack.spec.trust import (
    assume_grant_dict,
    assume_grant_name,
    plain_assume_grant,
    plain_trust_document,
    trust_policy_dict,
)

POLICY_SUFFIXES = (".yaml", ".yml", ".json")
RESERVED_FILES = {"lint.yaml", "lint.yml"}
ASSUME_ANY_ROLE = "AliyunSTSAssumeRoleAccess"


def load_spec(config: StackConfig, diags: Diagnostics | None = None) -> Spec:
    """Load and validate the spec named by the stack config. Raises InvalidInput with every error."""
    diags = diags if diags is not None else Diagnostics(levels=dict(config.grammar_levels))
    spec = _Loader(config, diags).run()
    diags.raise_if_errors()
    assert spec is not None
    return spec


def display_path(path: Path) -> str:
    """`path` as messages show it: relative to the working folder when it is inside it (symlinks
    resolved), else as given. On strings (pathlib's relative_to and joins cost more than the
    resolving itself, once per policy file)."""
    try:
        resolved = _resolve(os.fspath(path))
        cwd = _resolved(os.getcwd())
    except (ValueError, OSError, RuntimeError):  # a NUL in the name, or a symlink loop
        return str(path)
    if resolved == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep  # the root alone ends with one
    return resolved[len(inside) :] if resolved.startswith(inside) else str(path)


def _resolve(path: str) -> str:
    """`Path(path).resolve()`, resolving each folder once: a file that is not a symlink resolves to
    its resolved folder and its own name (one lstat, not one per component of its path)."""
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return str(Path(path).resolve())
    return os.path.join(_resolved(os.path.join(os.getcwd(), folder)), name)


@functools.lru_cache(maxsize=64)
def _resolved(folder: str) -> str:
    """A folder (the working one, a policies folder) resolved once, not once per file shown (keyed
    by its name: a test or a `-C` that changes folder gets its own)."""
    return str(Path(folder).resolve())


def _item_marks(items: Any, body: LMap) -> Iterable[Location | Mark]:
    """Where each item of `items` (a list under `body`) is: its own position when located, else the
    mapping's location."""
    if not isinstance(items, LList):
        return itertools.repeat(body.loc) if items else ()
    return items.item_marks()


@dataclass
class _Loader:
    config: StackConfig
    diags: Diagnostics
    policy_files: dict[str, Path] = field(default_factory=dict)
    custom: dict[str, CustomPolicy] = field(default_factory=dict)
    _entry_had_errors: bool = False
    _principal_errors: bool = False
    # generated documents by content: principals assuming the same roles, roles trusting the same
    # principals share one validation (a document, or the diagnostics that rejected it)
    _generated: dict[Hashable, PolicyDocument | tuple[Diagnostic, ...]] = field(default_factory=dict)

    def run(self) -> Spec | None:
        path = self.config.spec_path
        self.file = display_path(path)
        tree = load_file(path, self.diags, self.file)
        if tree is None:
            return None
        if not isinstance(tree, LMap):
            self.diags.error(
                tree.loc if isinstance(tree, LList) else Location(self.file),
                "SPEC001",
                "the access spec must be a mapping",
                "start with users:, groups:, roles: ...",
            )
            return None
        root = F.check_object(tree, F.SPEC, tree.loc, "spec", self.diags)
        if root is None:
            return None
        self.spec_dir = path.parent
        self._load_policy_documents(root)
        providers = self._objects(
            root, "oidc_providers", names.OIDC_PROVIDER_NAME, F.OIDC_PROVIDER, self._oidc_provider
        )
        self.provider_map = {p.name: p for p in providers}
        for p in providers:
            if p.renamed_from in self.provider_map:
                self.diags.error(
                    p.location or Location(self.file),
                    "SPEC005",
                    f"oidc_providers.{p.name}.renamed_from names {p.renamed_from!r}, which this spec still "
                    "declares: one cloud provider cannot become two",
                    f"remove oidc_providers.{p.renamed_from}, or drop renamed_from",
                )
        self.extra_system = set(root.get("extra_system_policies", ()))
        self.system_names = system_policy_names() | self.extra_system
        self.declared = {
            "users": set(_keys(root.get("users"))),
            "groups": set(_keys(root.get("groups"))),
            "roles": set(_keys(root.get("roles"))),
        }
        users = self._objects(root, "users", names.USER_NAME, F.USER, self._user)
        groups = self._objects(root, "groups", names.GROUP_NAME, F.GROUP, self._group)
        roles = self._objects(root, "roles", names.ROLE_NAME, F.ROLE, self._role)
        self._check_assumable(users, groups, roles)
        self._check_trust_order(roles)
        self._check_passwords(users)
        self._check_limits(root, users, groups, roles, providers)
        return Spec(
            account_id=self.config.account_id,
            region=self.config.region,
            users=tuple(users),
            groups=tuple(groups),
            roles=tuple(roles),
            policies=tuple(self.custom[n] for n in sorted(self.custom)),
            oidc_providers=tuple(providers),
            extra_system_policies=tuple(sorted(self.extra_system)),
            file=self.file,
            quotas=tuple(sorted(self.config.quotas.items())),
        )

    # -- custom policy documents -------------------------------------------------------------------

    def _load_policy_documents(self, root: LMap) -> None:
        from ramstack.policy.load import load_policy_file

        directory = self.spec_dir / str(root.get("policies_dir", "policies"))
        meta: LMap = root.get("policies") or LMap(root.loc)
        found: dict[str, Path] = {}
        if directory.is_dir():
            # a listing's entries know their own type (no system call per question about a file)
            with os.scandir(directory) as listing:
                files = sorted(listing, key=lambda listed: listed.name)
            for listed in files:
                path = directory / listed.name
                policy_like = path.suffix in POLICY_SUFFIXES
                if policy_like and listed.is_symlink() and not path.exists():
                    # a dangling link or a link loop would otherwise vanish silently
                    self.diags.error(
                        Location(str(Path(display_path(path.parent)) / path.name)),  # the link itself
                        "IO004",
                        f"{path.name} is a symbolic link that leads nowhere (missing target or a loop)",
                        "point the link at the policy file, or remove it",
                    )
                    continue
                if policy_like and not (listed.is_file() or listed.is_dir()):
                    self.diags.error(  # a pipe or a device: reading it could block or never end
                        Location(str(Path(display_path(path.parent)) / path.name)),
                        "IO004",
                        f"{path.name} is not a regular file (a pipe, socket or device)",
                        "replace it with the policy file",
                    )
                    continue
                if not policy_like or not listed.is_file() or path.name in RESERVED_FILES:
                    continue
                stem = path.stem
                if stem in found:
                    self.diags.error(
                        Location(display_path(path)),
                        "SPEC015",
                        f"policy {stem!r} is defined twice ({found[stem].name} and {path.name})",
                        "keep one file per policy",
                    )
                    continue
                problem = names.POLICY_NAME.problem(stem)
                if problem:
                    self.diags.error(
                        Location(display_path(path)),
                        "SPEC015",
                        f"file name {path.name!r} is not a valid policy name: {problem[1]}",
                        "rename the file: its stem is the policy name",
                    )
                    continue
                found[stem] = path
        elif "policies_dir" in root:
            self.diags.error(
                root.value_loc("policies_dir"),
                "SPEC005",
                f"policies_dir {directory} {'is not a folder' if directory.exists() else 'does not exist'}",
                "create the folder or fix the path",
            )
        for name, entry in meta.items():
            loc = meta.key_loc(name)
            problem = names.POLICY_NAME.problem(name)
            if problem:
                self.diags.error(
                    loc,
                    "SPEC004",
                    f"{problem[1]} [{names.POLICY_NAME.error_code(problem[0])}]",
                    "use letters, digits and hyphens",
                )
            checked = F.check_object(entry, F.POLICY_META, loc, f"policies.{name}", self.diags) or LMap(loc)
            if "file" in checked:
                path = self.spec_dir / checked["file"]
                if not path.is_file():
                    self.diags.error(
                        checked.value_loc("file"),
                        "SPEC006",
                        f"policies.{name}.file {checked['file']!r} is not a file (looked up {path})",
                        self._relative_fix(),
                    )
                    continue
                found[name] = path
            elif name not in found:
                self.diags.error(
                    loc,
                    "SPEC006",
                    f"custom policy {name!r} has no document in {directory.name}/",
                    f"create {directory.name}/{name}.yaml or set file:",
                )
        self.policy_files = found
        variables = self.config.policy_variables()
        for name, path in sorted(found.items()):
            shown = display_path(path)  # resolving a path is system calls: once per file
            document = load_policy_file(
                path,
                "permission",
                self.diags,
                variables=variables,
                display=shown,
                levels=self.config.grammar_levels,
            )
            if document is None:
                continue
            entry = meta.get(name)
            description = entry.get("description") if isinstance(entry, LMap) else None
            if (
                isinstance(entry, LMap)
                and isinstance(description, str)
                and (problem := names.POLICY_DESCRIPTION.problem(description))
            ):
                self.diags.error(
                    entry.value_loc("description"),
                    "SPEC004",
                    f"policies.{name}.description: "
                    f"{problem[1]} [{names.POLICY_DESCRIPTION.error_code(problem[0])}]",
                    None,
                )
            self.custom[name] = CustomPolicy(name, document, description, shown, location=Location(shown))

    # -- generic object maps -----------------------------------------------------------------------

    def _relative_fix(self) -> str:
        return f"paths are relative to the spec's folder {self.spec_dir}; fix the path or create the file"

    def _objects(
        self,
        root: LMap,
        key: str,
        rule: names.NameRule,
        typ: F.T,
        build: Callable[[str, LMap, Location], Any],
    ) -> list[Any]:
        entries = root.get(key)
        if not entries:
            return []
        out = []
        for name, body in entries.items():
            loc = entries.key_loc(name)
            problem = rule.problem(name)
            if problem:
                self.diags.error(
                    loc,
                    "SPEC004",
                    f"{key[:-1]} name {name!r}: {problem[1]} [{rule.error_code(problem[0])}]",
                    f"rename it ({rule.allowed})",
                )
            where = f"{key}.{name}"
            before = len(self.diags.items)
            if body is None:
                body = LMap(loc)
            # an LMap's own location is where it is written: made only if something is reported there
            at = None if isinstance(body, LMap) else entries.value_loc(name)
            checked = F.check_object(body, typ, at, where, self.diags)
            self._entry_had_errors = self.diags.errors_since(before)
            if checked is None:
                continue
            made = build(name, checked, loc)
            if made is not None:
                out.append(made)
        return out

    def _text(self, body: LMap, key: str, rule: names.NameRule, where: str) -> str | None:
        value = body.get(key)
        if value is None:
            return None
        problem = rule.problem(value)
        if problem:
            self.diags.error(
                body.value_loc(key),
                "SPEC004",
                f"{where}.{key}: {problem[1]} [{rule.error_code(problem[0])}]",
                None,
            )
        return str(value)

    def _refs(self, body: LMap, key: str, kind: str, where: str) -> tuple[str, ...]:
        values: list[str] = list(body.get(key, ()))
        known = self.declared[kind]
        for i, value in enumerate(values):
            if value not in known:
                loc = body[key].item_loc(i) if isinstance(body.get(key), LList) else body.value_loc(key)
                hint = F.did_you_mean(value, known) or f"declare it under {kind}:"
                self.diags.error(
                    loc, "SPEC005", f"{where}.{key} names {kind[:-1]} {value!r}, which is not declared", hint
                )
        return tuple(values)

    def _assume_refs(self, body: LMap, where: str) -> tuple[str, ...]:
        """`assume_roles:` items: a role of this spec by name, or a role of another account by its ARN
        (`acs:ram::<account-id>:role/<name>`, seed 003's cross-account flow). The other account's
        role must trust this principal; that side is declared in the other account's stack."""
        values: list[str] = list(body.get("assume_roles", ()))
        known = self.declared["roles"]
        for i, value in enumerate(values):
            if isinstance(value, str) and value in known and not value.startswith("acs:"):
                continue  # a declared role: nothing to report, no location to look up
            loc = (
                body["assume_roles"].item_loc(i) if isinstance(body.get("assume_roles"), LList) else body.loc
            )
            item = f"{where}.assume_roles[{i}]"
            if not isinstance(value, str):
                self.diags.error(loc, "SPEC005", f"{item} must be a role name or a role ARN", "e.g. app-role")
            elif value.startswith("acs:"):
                self._outside_role(value, item, loc)
            elif value not in known:
                self.diags.error(
                    loc,
                    "SPEC005",
                    f"{where}.assume_roles names role {value!r}, which is not declared",
                    F.did_you_mean(value, known)
                    or "declare it under roles:, or name a role of another account by its ARN, "
                    "acs:ram::<account-id>:role/<name>",
                )
        return tuple(values)

    def _outside_role(self, arn: str, item: str, loc: Location) -> None:
        from ramstack.policy.arn import parse_ram_entity

        entity = parse_ram_entity(arn)
        example = "acs:ram::1234567890123456:role/app-role"
        if entity is None or entity.kind != "role" or entity.region or entity.name is None:
            self.diags.error(loc, "SPEC005", f"{item}: {arn!r} is not a RAM role ARN", f"e.g. {example}")
            return
        problem = names.ROLE_NAME.problem(entity.name)
        if "*" in arn or "?" in arn or not names.ACCOUNT_ID.fullmatch(entity.account) or problem:
            self.diags.error(
                loc,
                "SPEC005",
                f"{item}: {arn!r} must name one role of one account (digits, a valid role name, no wildcard)",
                f"e.g. {example}; a wildcard grant is allow_assume_any_role",
            )
            return
        self._implausible_account(entity.account, f"{item} ({arn})", loc)
        if entity.account == self.config.account_id:
            if entity.name in self.declared["roles"]:
                self.diags.error(
                    loc,
                    "SPEC005",
                    f"{item} names role {entity.name!r} of this account by its ARN",
                    f"write its name, {entity.name}, so the grant follows the role",
                )
            else:
                self.diags.warning(
                    loc,
                    "SPEC020",
                    f"{item} names role {entity.name!r} of this account, which the spec does not declare: "
                    "it must exist, and trust this principal, outside this stack",
                    "declare it under roles: and name it here by name",
                )

    def _implausible_account(self, account: str, item: str, loc: Location) -> None:
        # Alibaba Cloud account ids are 16 digits in practice; whether RAM rejects another length is
        # UNCONFIRMED (docs/fidelity.md), so this is a warning, and the id is used as written.
        if len(account) != 16:
            self.diags.warning(
                loc,
                "SPEC023",
                f"{item}: account id {account!r} has {len(account)} digits; Alibaba Cloud's have 16",
                "check the id: GetCallerIdentity (`aliyun sts GetCallerIdentity`) in that account returns it",
            )

    def _attachments(self, body: LMap, where: str) -> tuple[PolicyRef, ...]:
        refs: list[PolicyRef] = []
        custom: Any = body.get("policies")
        # every item's PolicyRef keeps where it is written, made a Location only when asked
        marks = _item_marks(custom, body)
        for name, at in zip(custom or (), marks, strict=False):
            if name not in self.policy_files:
                self.diags.error(
                    locate(at),
                    "SPEC006",
                    f"{where} attaches custom policy {name!r}, which has no document",
                    F.did_you_mean(name, self.policy_files) or f"create policies/{name}.yaml",
                )
            refs.append(PolicyRef(name, "Custom", at))
        system: Any = body.get("system_policies")
        marks = _item_marks(system, body)
        for name, at in zip(system or (), marks, strict=False):
            if name not in self.system_names:
                self._unknown_system_policy(name, locate(at), where)
            if name == ASSUME_ANY_ROLE and not body.get("allow_assume_any_role", False):
                self.diags.error(
                    locate(at),
                    "SPEC009",
                    f"{where} attaches {ASSUME_ANY_ROLE}, which allows assuming ANY role that trusts it",
                    "use assume_roles: [<role>] for a grant scoped to those roles, or set "
                    "allow_assume_any_role: true to opt in",
                )
            refs.append(PolicyRef(name, "System", at))
        return tuple(refs)

    def _unknown_system_policy(self, name: str, loc: Location, where: str) -> None:
        """A typo of a known name is an error with the correction; a well-formed name the bundled
        catalog lacks may exist (the catalog is a snapshot): a warning, and its permissions are
        reported as unknown. Suggestions never name a wider or administrator-equivalent policy."""
        if name in self.policy_files:
            self.diags.error(
                loc,
                "SPEC007",
                f"{where} attaches unknown system policy {name!r}",
                f"{name!r} is a custom policy: list it under policies:",
            )
            return
        decision = decide_system_policy(name)
        if decision.kind == "unlisted":
            similar = f"; a similar known name is {decision.suggestion!r}" if decision.suggestion else ""
            self.diags.warning(
                loc,
                "SPEC021",
                f"{where} attaches system policy {name!r}, which is not in the bundled catalog of "
                f"{catalog_snapshot()}; effective permissions unknown{similar}",
                "check the name in the RAM console (ramstack catalog lists what is bundled); if it exists, "
                "list it under extra_system_policies: to acknowledge it",
            )
            return
        self.diags.error(
            loc,
            "SPEC007",
            f"{where} attaches unknown system policy {name!r}",
            f"did you mean {decision.suggestion!r}?"
            if decision.suggestion
            else "check the name in the RAM console (ramstack catalog lists the known ones), or list it "
            "under extra_system_policies:",
        )

    # -- builders ----------------------------------------------------------------------------------

    def _user(self, name: str, body: LMap, loc: Location) -> User:
        where = f"users.{name}"
        if "renamed_from" in body:
            self.diags.error(
                body.key_loc("renamed_from"),
                "SPEC019",
                f"{where}: renaming a RAM user is not supported: RAM renames the user in place, but "
                "pulumi-alicloud would re-create its attachments, AccessKey and login profile, which the "
                "API refuses (EntityAlreadyExists) and which would rotate its keys",
                f"keep the name, or rename the user in the console and `pulumi import` it as {name!r}",
            )
        console = body.get("console_login")
        login = None
        if console is not None:
            login = ConsoleLogin(
                bool(console.get("mfa_required", True)),
                bool(console.get("password_reset_required", True)),
                bool(console.get("generated_password", False)),
                console.get("password_version"),
            )
            if login.generated_password and not login.password_reset_required:
                self.diags.error(
                    console.value_loc("password_reset_required"),
                    "SPEC003",
                    f"{where}.console_login.password_reset_required must be true with generated_password: "
                    "whoever reads the stack's outputs knows the generated password",
                    "remove password_reset_required: false",
                )
        tags = self._tags(body, where)
        groups = self._refs(body, "groups", "groups", where)
        policies = self._attachments(body, where)
        assume_roles = self._assume_refs(body, where)
        return User(
            name=name,
            display_name=self._text(body, "display_name", names.DISPLAY_NAME, where),
            comments=self._text(body, "comments", names.COMMENTS, where),
            email=self._email(body, where),
            mobile=self._mobile(body, where),
            tags=tags,
            access_key=bool(body.get("access_key", False)),
            pgp_key=body.get("pgp_key"),
            console_login=login,
            groups=groups,
            policies=self._with_grant(f"user/{name}", policies, assume_roles, body, loc),
            assume_roles=assume_roles,
            allow_assume_any_role=bool(body.get("allow_assume_any_role", False)),
            protect=bool(body.get("protect", False)),
            location=loc,
        )

    def _email(self, body: LMap, where: str) -> str | None:
        value = body.get("email")
        if value is not None and not names.EMAIL.fullmatch(value):
            self.diags.error(
                body.value_loc("email"),
                "SPEC004",
                f"{where}.email {value!r} is not an e-mail address [InvalidParameter.Email.Format]",
                "e.g. ops@example.com",
            )
        return value

    def _mobile(self, body: LMap, where: str) -> str | None:
        value = body.get("mobile")
        if value is not None and not names.MOBILE_PHONE.fullmatch(value):
            self.diags.error(
                body.value_loc("mobile"),
                "SPEC004",
                f"{where}.mobile must be <country code>-<number> [InvalidParameter.MobilePhone.Format]",
                "e.g. 86-18600008888",
            )
        return value

    def _tags(self, body: LMap, where: str) -> tuple[tuple[str, str], ...]:
        tags = body.get("tags")
        if not tags:
            return ()
        if len(tags) > names.LIMITS["tags_per_user"]:
            self.diags.error(
                body.value_loc("tags"),
                "SPEC008",
                f"{where} has {len(tags)} tags; RAM allows at most {names.LIMITS['tags_per_user']}",
                "remove tags",
            )
        return tuple(sorted((str(k), str(v)) for k, v in tags.items()))

    def _group(self, name: str, body: LMap, loc: Location) -> Group:
        where = f"groups.{name}"
        comments = self._text(body, "comments", names.COMMENTS, where)
        policies = self._attachments(body, where)
        assume_roles = self._assume_refs(body, where)
        return Group(
            name=name,
            comments=comments,
            policies=self._with_grant(f"group/{name}", policies, assume_roles, body, loc),
            assume_roles=assume_roles,
            allow_assume_any_role=bool(body.get("allow_assume_any_role", False)),
            renamed_from=body.get("renamed_from"),
            location=loc,
        )

    def _role(self, name: str, body: LMap, loc: Location) -> Role | None:
        where = f"roles.{name}"
        if "trust_file" in body:
            return self._role_with_trust_file(name, body, loc)
        before = len(self.diags.items)
        trust_body = body.get("trust") or LMap(loc)
        trust = Trust(
            users=self._refs(trust_body, "users", "users", f"{where}.trust"),
            roles=self._refs(trust_body, "roles", "roles", f"{where}.trust"),
            accounts=self._accounts(trust_body, f"{where}.trust"),
            arns=tuple(trust_body.get("arns", ())),
            services=tuple(trust_body.get("services", ())),
            oidc=self._oidc_trusts(trust_body, f"{where}.trust"),
            require_mfa=bool(trust_body.get("require_mfa", False)),
        )
        self._check_principals(trust_body, f"{where}.trust")
        github = self._github(body, where)
        trusts_someone = any(
            (trust.users, trust.roles, trust.accounts, trust.arns, trust.services, trust.oidc, github)
        )
        if not trusts_someone and (
            self._entry_had_errors or "github" in body or self.diags.errors_since(before)
        ):
            return None  # the reason is already reported (a typo or a wrong type inside trust/github)
        if not trusts_someone:
            self.diags.error(
                loc,
                "SPEC013",
                f"role {name!r} trusts nobody, so nobody can assume it",
                "add trust: with users, roles, accounts, services or oidc (or github:)",
            )
            return None
        if (
            "trust" in body
            and "require_mfa" in trust_body
            and trust.require_mfa
            and not (trust.users or trust.roles or trust.accounts or trust.arns)
        ):
            self.diags.warning(
                trust_body.value_loc("require_mfa"),
                "SPEC016",
                "require_mfa applies to RAM principals only; this role trusts none",
                None,
            )
        document = self._trust_document(trust, github, body, loc)
        policies = self._attachments(body, where)
        if document is None:
            return None
        return Role(
            name=name,
            trust=trust,
            trust_document=document,
            description=self._text(body, "description", names.ROLE_DESCRIPTION, where),
            max_session_duration=int(body.get("max_session_duration", 3600)),
            tags=self._tags(body, where),
            policies=policies,
            github=github,
            protect=bool(body.get("protect", False)),
            renamed_from=body.get("renamed_from"),
            location=loc,
        )

    def _role_with_trust_file(self, name: str, body: LMap, loc: Location) -> Role | None:
        """A role whose trust policy is a document file, validated like any trust policy."""
        from ramstack.policy.load import load_policy_file

        where = f"roles.{name}"
        for other in ("trust", "github"):
            if other in body:
                self.diags.error(
                    body.key_loc(other),
                    "SPEC022",
                    f"{where} has both trust_file: and {other}:; the file is the whole trust policy",
                    f"keep one of them: remove {other}: or trust_file:",
                )
                return None
        path = self.spec_dir / str(body["trust_file"])
        if not path.is_file():
            self.diags.error(
                body.value_loc("trust_file"),
                "SPEC006",
                f"{where}.trust_file {body['trust_file']!r} is not a file (looked up {path})",
                self._relative_fix(),
            )
            return None
        document = load_policy_file(
            path,
            "trust",
            self.diags,
            variables=self.config.policy_variables(),
            display=display_path(path),
            levels=self.config.grammar_levels,
        )
        policies = self._attachments(body, where)
        if document is None:
            return None
        return Role(
            name=name,
            trust=Trust(),
            trust_document=document,
            description=self._text(body, "description", names.ROLE_DESCRIPTION, where),
            max_session_duration=int(body.get("max_session_duration", 3600)),
            tags=self._tags(body, where),
            policies=policies,
            protect=bool(body.get("protect", False)),
            renamed_from=body.get("renamed_from"),
            location=loc,
        )

    def _check_principals(self, trust: LMap, where: str) -> None:
        """Each written principal is checked where it is written (the generated trust policy is checked
        again as a whole, but its errors could only point at the role)."""
        from ramstack.policy.arn import check_ram_principal, check_service_principal

        before = len(self.diags.items)

        for key, check in (("arns", check_ram_principal), ("services", check_service_principal)):
            values = trust.get(key)
            if not isinstance(values, LList):
                continue
            for i, value in enumerate(values):
                for finding in check(value):
                    report = self.diags.error if finding.severity == "error" else self.diags.warning
                    report(
                        values.item_loc(i), "POL012", f"{where}.{key}[{i}]: {finding.message}", finding.fix
                    )
        self._principal_errors = self.diags.errors_since(before)
        own = f"acs:ram::{self.config.account_id}:"
        arns = trust.get("arns")
        if not isinstance(arns, LList):
            return
        for i, arn in enumerate(arns):
            account = re.match(r"acs:ram::([0-9]+):", str(arn))
            if account is not None:
                self._implausible_account(account.group(1), f"{where}.arns[{i}] ({arn})", arns.item_loc(i))
            kind, _, name = str(arn).removeprefix(own).partition("/")
            if (
                str(arn).startswith(own)
                and kind in ("user", "role")
                and name not in self.declared[f"{kind}s"]
            ):
                self.diags.warning(
                    arns.item_loc(i),
                    "SPEC020",
                    f"{where}.arns[{i}] names {kind} {name!r} of this account, which the spec does not "
                    "declare: it must exist before the role is created (plan's fake cloud refuses it)",
                    f"declare it under {kind}s: and use trust.{kind}s, or create it first",
                )

    def _accounts(self, trust: LMap, where: str) -> tuple[str, ...]:
        values = tuple(trust.get("accounts", ()))
        valid = []
        for i, account in enumerate(values):
            if account == "self" or names.ACCOUNT_ID.fullmatch(account):
                if account != "self":
                    self._implausible_account(
                        account, f"{where}.accounts[{i}]", trust["accounts"].item_loc(i)
                    )
                valid.append(account)
                continue
            arn = re.fullmatch(r"acs:ram::([0-9]+):(.+)", account)
            if arn is not None:  # an ARN where an account id belongs: say which part to keep
                fix = (
                    f'write the account id alone: "{arn.group(1)}"'
                    if arn.group(2) == "root"
                    else "put a user or role ARN under trust.arns"
                )
                message = f"{where}.accounts[{i}] takes an account id, not an ARN ({account!r})"
            else:
                fix, message = (
                    "quote the id as a string of digits",
                    f"{where}.accounts[{i}] must be a numeric account id or 'self', got {account!r}",
                )
            # left out of the trust policy: a mangled principal would only repeat this error
            self.diags.error(trust["accounts"].item_loc(i), "SPEC004", message, fix)
        return tuple(valid)

    def _oidc_trusts(self, trust: LMap, where: str) -> tuple[OidcTrust, ...]:
        items = trust.get("oidc")
        if not items:
            return ()
        out = []
        for i, item in enumerate(items):
            loc = items.item_loc(i)
            checked = F.check_object(item, F.OIDC_TRUST, loc, f"{where}.oidc[{i}]", self.diags)
            if checked is None or not {"provider", "audiences", "subjects"} <= set(checked):
                continue  # reported by the field table
            self._provider_ref(checked, f"{where}.oidc[{i}]")
            for key in ("audiences", "subjects"):
                if key in checked and not checked[key]:
                    self.diags.error(
                        checked.value_loc(key),
                        "SPEC014",
                        f"{where}.oidc[{i}].{key} is empty: every token of the provider would match",
                        f"list the accepted {key}",
                    )
            provider = self.provider_map.get(checked["provider"])
            for j, audience in enumerate(checked.get("audiences", ())):
                if provider is not None and audience not in provider.client_ids:
                    self.diags.error(
                        checked["audiences"].item_loc(j),
                        "SPEC014",
                        f"{where}.oidc[{i}].audiences: {audience!r} is not a client id of OIDC provider "
                        f"{provider.name!r}, so no token can carry it",
                        f"add it to oidc_providers.{provider.name}.client_ids",
                    )
            out.append(
                OidcTrust(
                    checked["provider"],
                    tuple(checked.get("audiences", ())),
                    tuple(checked.get("subjects", ())),
                )
            )
        return tuple(out)

    def _provider_ref(self, body: LMap, where: str) -> None:
        name = body["provider"]
        if name not in self.provider_map:
            self.diags.error(
                body.value_loc("provider"),
                "SPEC005",
                f"{where}.provider names OIDC provider {name!r}, which is not declared",
                F.did_you_mean(name, self.provider_map) or "declare it under oidc_providers:",
            )

    def _github(self, body: LMap, where: str) -> GithubTrust | None:
        gh = body.get("github")
        if gh is None:
            return None
        if "trust" in body:
            self.diags.error(
                body.key_loc("trust"),
                "SPEC014",
                f"{where} has both github: and trust:; a GitHub deploy role trusts only its repository's "
                "workflows",
                "move the other principals to a role of their own",
            )
        if "provider" not in gh or "repository" not in gh:
            return None  # check_object already reported the missing keys
        self._provider_ref(gh, f"{where}.github")
        repo = gh["repository"]
        if repo.count("/") != 1 or not all(repo.split("/")) or any(c in repo for c in "*?: "):
            self.diags.error(
                gh.value_loc("repository"),
                "SPEC014",
                f"{where}.github.repository must be owner/repo without wildcards, got {repo!r}",
                "e.g. my-org/infra",
            )
        if ("branch" in gh) == ("environment" in gh):
            self.diags.error(
                gh.loc,
                "SPEC014",
                f"{where}.github needs exactly one of branch or environment to scope oidc:sub",
                "add branch: main (or environment: production); a repository-wide role would "
                "trust every workflow, including pull requests",
            )
            return None
        if "branch" in gh and gh["branch"].startswith("refs/"):
            self.diags.error(
                gh.value_loc("branch"),
                "SPEC014",
                f"{where}.github.branch is a branch name, not a ref: {gh['branch']!r}",
                f"write {gh['branch'].rsplit('/', 1)[-1]!r} (ramstack adds refs/heads/)",
            )
        for key in ("branch", "environment"):
            if key in gh and any(c in gh[key] for c in "*?"):
                self.diags.error(
                    gh.value_loc(key),
                    "SPEC014",
                    f"{where}.github.{key} must not contain wildcards",
                    "name one branch or environment",
                )
        provider = self.provider_map.get(gh["provider"])
        audience = gh.get("audience", "sts.aliyuncs.com")
        if provider is not None and audience not in provider.client_ids:
            self.diags.error(
                gh.value_loc("audience") if "audience" in gh else gh.loc,
                "SPEC014",
                f"{where}.github.audience {audience!r} is not a client id of OIDC provider {provider.name!r}",
                f"add {audience!r} to oidc_providers.{provider.name}.client_ids",
            )
        return GithubTrust(gh["provider"], repo, gh.get("branch"), gh.get("environment"), audience)

    def _report_generated(
        self, exc: InvalidInput, where: Location, what: str, fixes: Mapping[str, str] | None = None
    ) -> None:
        """A generated document's errors, reported where the spec asks for it (`fixes`: a better fix
        for some codes, in the spec's terms)."""
        for d in exc.diagnostics:
            if d.level is Level.ERROR:
                self.diags.error(where, d.code, f"{what}: {d.message}", (fixes or {}).get(d.code, d.fix))

    def _generated_document(
        self,
        key: Hashable,
        data: Callable[[], Mapping[str, Any]],
        plain: Callable[[], PolicyDocument | None],
        kind: PolicyKind,
        source: str,
    ) -> PolicyDocument:
        """`parse_policy_dict(data(), kind, source=source)`, made once per content `key`: by `plain()`
        (the same document built directly, when nothing in it can draw a diagnostic), else by the
        validator. A repeat gets the same statements, located at its own `source`. Raises
        InvalidInput."""
        from ramstack.policy.validate import parse_policy_dict

        known = self._generated.get((kind, key))
        if known is None:
            known = plain()
            if known is None:
                try:
                    known = parse_policy_dict(data(), kind, source=source)
                except InvalidInput as exc:
                    known = tuple(exc.diagnostics)
            self._generated[(kind, key)] = known
        if not isinstance(known, PolicyDocument):
            raise InvalidInput(known)
        if known.source == source:
            return known
        at = Location(source)  # where parse_policy_dict puts the statements of an unlocated document
        return PolicyDocument(
            tuple(replace(s, location=at) for s in known.statements),
            kind=known.kind,
            version=known.version,
            source=source,
        )

    def _trust_document(
        self, trust: Trust, github: GithubTrust | None, body: LMap, loc: Location
    ) -> PolicyDocument | None:
        where = body.value_loc("trust") if "trust" in body else loc
        source = f"{self.file}#{where.line}"
        try:
            # the document depends on the trust, the preset and the providers' issuers (fixed by now)
            return self._generated_document(
                (trust, github),
                lambda: trust_policy_dict(trust, github, self.config.account_id, self.provider_map),
                lambda: plain_trust_document(trust, github, self.config.account_id, source),
                "trust",
                source,
            )
        except InvalidInput as exc:
            if self._entry_had_errors or self._principal_errors:
                return None  # already reported where the principal is written
            self._report_generated(exc, where, "generated trust policy")
            return None

    def _oidc_provider(self, name: str, body: LMap, loc: Location) -> OidcProvider | None:
        where = f"oidc_providers.{name}"
        url = body.get("issuer_url")
        if url is None or "client_ids" not in body:
            return None
        if names.issuer_url_problem(url) is not None:
            self.diags.error(
                body.value_loc("issuer_url"),
                "SPEC014",
                f"{where}.issuer_url must be an https URL without query, fragment or '@' (<= 255 chars)",
                "e.g. https://token.actions.githubusercontent.com",
            )
        client_ids = tuple(body.get("client_ids", ()))
        fingerprints = tuple(body.get("fingerprints", ()))
        for key, values, limit in (
            ("client_ids", client_ids, names.LIMITS["client_ids_per_oidc_provider"]),
            ("fingerprints", fingerprints, names.LIMITS["fingerprints_per_oidc_provider"]),
        ):
            if len(values) > limit:
                self.diags.error(
                    body.value_loc(key), "SPEC008", f"{where}.{key}: at most {limit} allowed", None
                )
        if not client_ids:
            self.diags.error(
                body.value_loc("client_ids"),
                "SPEC014",
                f"{where}.client_ids is empty",
                "add sts.aliyuncs.com (the default audience of GitHub's Alibaba action)",
            )
        for i, client_id in enumerate(client_ids):
            problem = names.OIDC_CLIENT_ID.problem(client_id)
            if problem:
                self.diags.error(
                    body["client_ids"].item_loc(i), "SPEC004", f"{where}.client_ids[{i}]: {problem[1]}", None
                )
        for i, fp in enumerate(fingerprints):
            if names.OIDC_FINGERPRINT.problem(fp):
                self.diags.error(
                    body["fingerprints"].item_loc(i),
                    "SPEC004",
                    f"{where}.fingerprints[{i}] must be letters and digits",
                    None,
                )
        description = self._text(body, "description", names.OIDC_DESCRIPTION, where)
        old = body.get("renamed_from")
        problem = names.OIDC_PROVIDER_NAME.problem(old) if old is not None else None
        if problem is not None:
            self.diags.error(
                body.value_loc("renamed_from"),
                "SPEC004",
                f"{where}.renamed_from: {problem[1]} [{names.OIDC_PROVIDER_NAME.error_code(problem[0])}]",
                "the provider's name in the cloud before the rename",
            )
        return OidcProvider(
            name,
            url,
            client_ids,
            fingerprints,
            body.get("issuance_limit_time"),
            description,
            loc,
            renamed_from=old if old != name else None,
        )

    # -- generated grants and whole-spec checks ----------------------------------------------------

    def _assume_grant(
        self, subject: str, assume_roles: tuple[str, ...], body: LMap, loc: Location
    ) -> PolicyRef | None:
        """The attachment of `subject`'s generated grant, sts:AssumeRole on exactly `assume_roles`,
        made while the principal is built (so it is built once) and registered among the custom
        policies; None when it cannot be made (reported)."""
        name = assume_grant_name(subject)
        if name in self.custom or name in self.policy_files:
            self.diags.error(
                loc,
                "SPEC015",
                f"policy name {name!r} is reserved for {subject}'s assume grant",
                "rename the custom policy",
            )
            return None
        arns = [
            r if r.startswith("acs:") else f"acs:ram::{self.config.account_id}:role/{r}" for r in assume_roles
        ]
        source = f"generated:{name}"
        try:
            document = self._generated_document(
                tuple(arns),
                lambda: assume_grant_dict(arns),
                lambda: plain_assume_grant(arns, source),
                "permission",
                source,
            )
        except InvalidInput as exc:  # e.g. more roles than RAM's 6,144 bytes hold
            where = body.value_loc("assume_roles") if "assume_roles" in body else loc
            too_large = "list fewer roles here (the grant is one policy), or grant some through a group"
            self._report_generated(exc, where, f"{subject}'s generated assume grant", {"POL017": too_large})
            return None
        self.custom[name] = CustomPolicy(
            name,
            document,
            f"ramstack: lets {subject} assume {', '.join(assume_roles)}"[:1024],
            None,
            generated_for=subject,
            location=loc,
        )
        return PolicyRef(name, "Custom", loc, generated=True)

    def _with_grant(
        self,
        subject: str,
        policies: tuple[PolicyRef, ...],
        assume_roles: tuple[str, ...],
        body: LMap,
        loc: Location,
    ) -> tuple[PolicyRef, ...]:
        """`policies`, and the principal's generated assume grant last when it assumes roles."""
        if not assume_roles:
            return policies
        grant = self._assume_grant(subject, assume_roles, body, loc)
        return policies if grant is None else (*policies, grant)

    def _check_assumable(self, users: list[User], groups: list[Group], roles: list[Role]) -> None:
        """A principal granted sts:AssumeRole on a role the role does not trust would fail at run time."""
        role_map = {r.name: r for r in roles}
        account_root = f"acs:ram::{self.config.account_id}:root"
        principals: list[User | Group] = [*users, *groups]
        for principal in principals:
            for role_name in principal.assume_roles:
                role = role_map.get(role_name)
                if role is None:
                    continue
                trusted = {v for s in role.trust_document.statements for v in s.principal_values("RAM")}
                members = (
                    [principal]
                    if isinstance(principal, User)
                    else [u for u in users if principal.name in u.groups]
                )
                for user in members:
                    if (
                        f"acs:ram::{self.config.account_id}:user/{user.name}" in trusted
                        or account_root in trusted
                    ):
                        continue
                    self.diags.error(
                        principal.location or Location(self.file),
                        "SPEC010",
                        f"{principal.subject} may assume role {role_name!r}, but the role does not trust "
                        f"user {user.name!r}",
                        f"add {user.name} to roles.{role_name}.trust.users",
                    )

    def _check_passwords(self, users: list[User]) -> None:
        known = self.config.password_users
        if known is None or self.config.file is None:
            return
        for user in users:
            if (
                user.console_login is not None
                and not user.console_login.generated_password
                and user.name not in known
            ):
                self.diags.warning(
                    user.location or Location(self.file),
                    "SPEC018",
                    f"user {user.name!r} has console_login but no password in {self.config.file}: "
                    "set one before pulumi up, which stops without it (plan uses a placeholder)",
                    f"pulumi config set --secret --path 'ramstack:passwords.{user.name}' <password>",
                )

    def _check_trust_order(self, roles: list[Role]) -> None:
        """A trust policy names roles that must already exist (the fake cloud, like RAM as far as the
        docs let us tell, refuses a principal that does not): a role trusting itself, or roles trusting
        each other, cannot be created in one run."""
        trusts = {r.name: set(r.trust.roles) for r in roles}
        for role in roles:
            seen: set[str] = set()
            stack = list(trusts.get(role.name, ()))
            while stack:
                current = stack.pop()
                if current == role.name:
                    self.diags.warning(
                        role.location or Location(self.file),
                        "SPEC017",
                        f"role {role.name!r} trusts itself, directly or through other roles: the trust "
                        "policy would name a role that does not exist yet when it is created",
                        "create the roles first without this trust, then add it in a second change",
                    )
                    break
                if current not in seen:
                    seen.add(current)
                    stack.extend(trusts.get(current, ()))

    def _check_limits(
        self,
        root: LMap,
        users: list[User],
        groups: list[Group],
        roles: list[Role],
        providers: list[OidcProvider],
    ) -> None:
        everyone: list[User | Group | Role] = [*users, *groups, *roles]
        custom_key, system_key = "custom_policies_per_principal", "system_policies_per_principal"
        custom_limit, system_limit = self.config.quota(custom_key), self.config.quota(system_key)
        for principal in everyone:
            if len(principal.policies) <= min(custom_limit, system_limit):
                continue  # within both quotas whatever the split
            custom = sum(1 for p in principal.policies if p.type == "Custom")
            system = sum(1 for p in principal.policies if p.type == "System")
            per_kind: tuple[tuple[str, int, str, int], ...] = (
                ("custom", custom, custom_key, custom_limit),
                ("system", system, system_key, system_limit),
            )
            for kind, count, key, limit in per_kind:
                if count > limit:
                    self.diags.error(
                        principal.location or Location(self.file),
                        "SPEC008",
                        f"{principal.subject} has {count} {kind} policies attached; the account's quota "
                        f"{key} is {limit} [LimitExceeded.{type(principal).__name__}.Policy]",
                        f"merge policies or attach them to a group; {_raised(key)}",
                    )
        limit = self.config.quota("groups_per_user")
        for user in users:
            if len(user.groups) > limit:
                self.diags.error(
                    user.location or Location(self.file),
                    "SPEC008",
                    f"user {user.name!r} joins {len(user.groups)} groups; the account's quota "
                    f"groups_per_user is {limit} [LimitExceeded.User.Group]",
                    _raised("groups_per_user"),
                )
        account_counts: tuple[tuple[str, int, str], ...] = (
            ("users", len(users), "users_per_account"),
            ("groups", len(groups), "groups_per_account"),
            ("roles", len(roles), "roles_per_account"),
            ("policies", len(self.custom), "custom_policies_per_account"),
            ("oidc_providers", len(providers), "oidc_providers_per_account"),
        )
        for key, count, limit_key in account_counts:
            limit = self.config.quota(limit_key)
            if count > limit:
                self.diags.error(
                    root.value_loc(key) if key in root else root.loc,
                    "SPEC008",
                    f"{count} {key}; the account's quota {limit_key} is {limit}",
                    _raised(limit_key),
                )


def _raised(key: str) -> str:
    return (
        f"if Alibaba raised this quota for your account (Quota Center), set it: "
        f"pulumi config set --path 'ramstack:quotas.{key}' <number>"
    )


def _keys(value: Mapping[str, Any] | None) -> list[str]:
    return list(value or {})
