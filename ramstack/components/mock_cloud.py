"""Pulumi mocks backed by ramstack's fake RAM/STS cloud.

Each `alicloud:ram/*` (and IMS OIDC provider) registration becomes the RAM API call the real
provider would make, so the fake rejects what the cloud would reject (names, limits, uniqueness,
references) with the cloud's error codes, and assigns ids the way the provider reports them.
Used by the tests and by the offline `ramstack plan`.
"""

from __future__ import annotations

import logging
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from ramstack.components.mock_engine import (
    DELETERS,
    REFRESHERS,
    UPDATERS,
    StackState,
    StateEntry,
    changed_inputs,
    needs_replacement,
)
from ramstack.components.registration import Registration
from ramstack.fakecloud import FakeCloud
from ramstack.fakecloud.errors import CloudError


@dataclass(frozen=True)
class CloudFailure:
    """A registration the fake cloud refused, as the real one would."""

    typ: str
    name: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.typ} {self.name!r}: {self.code}: {self.message}"


class CloudRejected(Exception):
    """Raised from a registration in strict mode; the program fails like `pulumi up` would."""

    def __init__(self, failure: CloudFailure) -> None:
        super().__init__(str(failure))
        self.failure = failure


class _DropUnretrievedRejections(logging.Filter):
    """A refused registration fails every resource waiting on it; asyncio then logs each unread
    failure as "Future exception was never retrieved". The refusal itself is reported once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], CloudRejected))


logging.getLogger("asyncio").addFilter(_DropUnretrievedRejections())


SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"  # Pulumi's wire marker for special values
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # ... whose value says "secret"


def is_secret_value(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def unwrap_secrets(value: Any) -> Any:
    """Mocks receive secret inputs still wrapped in Pulumi's wire form; the fake cloud wants values."""
    if is_secret_value(value):
        return unwrap_secrets(value.get("value"))
    if isinstance(value, dict):
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


Handler = Callable[[FakeCloud, dict[str, Any]], tuple[str, dict[str, Any]]]


def _user(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    user = cloud.ram.create_user(
        user_name=i["name"],
        display_name=i.get("displayName"),
        mobile_phone=i.get("mobile"),
        email=i.get("email"),
        comments=i.get("comments"),
    )["User"]
    return user["UserId"], {}


def _access_key(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = cloud.ram.create_access_key(user_name=i.get("userName"))["AccessKey"]
    if i.get("pgpKey"):
        # With a PGP key the provider returns only the encrypted secret and its key's fingerprint.
        return key["AccessKeyId"], {
            "encryptedSecret": "<pgp-encrypted>",
            "keyFingerprint": "<fingerprint>",
            "status": "Active",
        }
    return key["AccessKeyId"], {"secret": key["AccessKeySecret"], "status": "Active"}


def _login_profile(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    cloud.ram.create_login_profile(
        user_name=i["userName"],
        password=i["password"],
        password_reset_required=bool(i.get("passwordResetRequired", False)),
        mfa_bind_required=bool(i.get("mfaBindRequired", False)),
    )
    return str(i["userName"]), {}


def _group(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    cloud.ram.create_group(group_name=i["groupName"], comments=i.get("comments"))
    return str(i["groupName"]), {}


def _membership(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    cloud.ram.add_user_to_group(group_name=i["groupName"], user_name=i["userName"])
    return f"{i['groupName']}:{i['userName']}", {}


def _role(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kwargs: dict[str, Any] = {
        "role_name": i["roleName"],
        "assume_role_policy_document": i["assumeRolePolicyDocument"],
        "description": i.get("description"),
    }
    if i.get("maxSessionDuration") is not None:
        kwargs["max_session_duration"] = int(i["maxSessionDuration"])
    role = cloud.ram.create_role(**kwargs)["Role"]
    return str(i["roleName"]), {"arn": role["Arn"], "roleId": role["RoleId"]}


def _policy(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    policy = cloud.ram.create_policy(
        policy_name=i["policyName"], policy_document=i["policyDocument"], description=i.get("description")
    )["Policy"]
    return str(i["policyName"]), {"type": "Custom", "defaultVersion": policy.get("DefaultVersion", "v1")}


def _attachment(kind: str) -> Handler:
    def attach(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        principal = i[f"{kind}Name"]
        getattr(cloud.ram, f"attach_policy_to_{kind}")(
            policy_type=i["policyType"], policy_name=i["policyName"], **{f"{kind}_name": principal}
        )
        return f"{kind}:{i['policyName']}:{i['policyType']}:{principal}", {}

    return attach


def _oidc_provider(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    provider = cloud.ims.create_oidc_provider(
        oidc_provider_name=i["oidcProviderName"],
        issuer_url=i["issuerUrl"],
        client_ids=list(i.get("clientIds") or []),
        fingerprints=list(i.get("fingerprints") or []),
        issuance_limit_time=i.get("issuanceLimitTime"),
        description=i.get("description"),
    )["OIDCProvider"]
    return str(i["oidcProviderName"]), {"arn": provider["Arn"]}


def _random_password(cloud: FakeCloud, i: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """pulumi-random's RandomPassword: `length` characters with at least `min_*` of each class. The
    value comes from `secrets`, never from the fake's deterministic ids: it is a real credential."""
    special = str(i.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?")
    classes = {
        "minUpper": string.ascii_uppercase,
        "minLower": string.ascii_lowercase,
        "minNumeric": string.digits,
        "minSpecial": special,
    }
    length = int(i["length"])
    chars = [secrets.choice(pool) for key, pool in classes.items() for _ in range(int(i.get(key) or 0))]
    if len(chars) > length:
        raise CloudError("InvalidParameter.Length", "length must be >= the sum of the min_* counts")
    chars += [secrets.choice("".join(classes.values())) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "none", {"result": "".join(chars)}


HANDLERS: dict[str, Handler] = {
    "alicloud:ram/user:User": _user,
    "alicloud:ram/accessKey:AccessKey": _access_key,
    "alicloud:ram/loginProfile:LoginProfile": _login_profile,
    "alicloud:ram/group:Group": _group,
    "alicloud:ram/userGroupAttachment:UserGroupAttachment": _membership,
    "alicloud:ram/role:Role": _role,
    "alicloud:ram/policy:Policy": _policy,
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": _attachment("user"),
    "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment": _attachment("group"),
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": _attachment("role"),
    "alicloud:ims/oidcProvider:OidcProvider": _oidc_provider,
    "random:index/randomPassword:RandomPassword": _random_password,
}


class FakeCloudMocks(pulumi.runtime.Mocks):
    """`collect_errors=False` (tests of failure): the first refusal fails the program.
    `collect_errors=True` (plan): refusals are recorded and registration goes on, so all are reported.
    With a `StackState` (`mock_engine`), runs follow each other like `pulumi up`s: what the state holds
    is diffed, updated, replaced or, once the run ends, deleted instead of created again."""

    def __init__(
        self,
        cloud: FakeCloud | None = None,
        *,
        collect_errors: bool = False,
        state: StackState | None = None,
    ) -> None:
        self.cloud = cloud or FakeCloud()
        self.collect_errors = collect_errors
        self.state = state
        self.failures: list[CloudFailure] = []
        self.registering: Registration | None = None  # set by the recording monitor around each call
        if state is not None:
            state.begin_run()

    def _refuse(self, typ: str, name: str, exc: CloudError) -> None:
        failure = CloudFailure(typ, name, exc.code, exc.message)
        self.failures.append(failure)
        if not self.collect_errors:
            raise CloudRejected(failure) from None

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        if not args.custom:
            return f"{args.name}", {}
        handler = HANDLERS.get(args.typ)
        if handler is None:
            raise CloudRejected(
                CloudFailure(args.typ, args.name, "Unsupported", "the fake cloud has no such type")
            )
        inputs = unwrap_secrets(dict(args.inputs))
        reg, state = self.registering, self.state
        old = state.find(reg) if state is not None and reg is not None else None
        try:
            if state is not None and reg is not None and old is not None:
                id_, outputs = self._apply_change(state, reg, old, handler, inputs)
            else:
                id_, outputs = handler(self.cloud, inputs)
        except CloudError as exc:
            self._refuse(args.typ, args.name, exc)
            return f"failed-{args.name}", dict(args.inputs)
        # Inputs go back as given (secret wrappers included), so secrecy survives into outputs.
        result = {**args.inputs, **outputs}
        if state is not None and reg is not None:
            state.seen.add(reg.urn)
            entry = StateEntry(reg.urn, reg.typ, id_, inputs, result, reg.protect, reg.replacement_trigger)
            if old is not None:
                state.entries.pop(old.urn)
                entry.inputs = {**inputs, **{k: old.inputs[k] for k in reg.ignore_changes if k in old.inputs}}
            state.entries[reg.urn] = entry
        return id_, result

    def _apply_change(
        self, state: StackState, reg: Registration, old: StateEntry, create: Handler, inputs: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        refresh = REFRESHERS.get(reg.typ)
        current = refresh(self.cloud, old) if refresh else old.inputs
        changed = changed_inputs(current, inputs, set(reg.ignore_changes))
        if needs_replacement(reg, old, changed, state):
            state.replaced.add(reg.urn)
            if reg.delete_before_replace:
                DELETERS[reg.typ](self.cloud, old)
                return create(self.cloud, inputs)
            created = create(self.cloud, inputs)
            DELETERS[reg.typ](self.cloud, old)
            return created
        if changed:
            update = UPDATERS.get(reg.typ)
            if update is None:
                raise CloudError(
                    "Unsupported", f"the fake engine does not update {reg.typ} ({sorted(changed)})"
                )
            update(self.cloud, current, inputs, changed)
        return old.id, old.outputs

    def finish_run(self) -> None:
        """Delete what the state holds and this run did not register, dependents first."""
        state = self.state
        if state is None:
            return
        for entry in reversed([e for e in state.entries.values() if e.urn not in state.seen]):
            name = entry.urn.split("::")[-1]
            if entry.protect:
                self._refuse(
                    entry.typ,
                    name,
                    CloudError(
                        "Pulumi.Protected", f"resource {entry.urn} is protected and cannot be deleted"
                    ),
                )
                continue
            try:
                DELETERS[entry.typ](self.cloud, entry)
            except CloudError as exc:
                self._refuse(entry.typ, name, exc)
                continue
            del state.entries[entry.urn]

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        # An empty failure list, never None: the SDK iterates it.
        if args.token == "alicloud:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": self.cloud.account_id, "identityType": "Account"}, []
        return {}, []
