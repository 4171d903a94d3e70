"""Find-or-fail lookups raising the API's `EntityNotExist.*` codes."""

from __future__ import annotations

from ramstack.fakecloud.errors import not_exist
from ramstack.fakecloud.state import AccountState, Group, OIDCProvider, Policy, Role, SAMLProvider, User


def require_user(state: AccountState, user_name: str) -> User:
    user = state.users.get(user_name)
    if user is None:
        raise not_exist("User", f"The user does not exist: {user_name}")
    return user


def require_group(state: AccountState, group_name: str) -> Group:
    group = state.groups.get(group_name)
    if group is None:
        raise not_exist("Group", f"The group does not exist: {group_name}")
    return group


def require_role(state: AccountState, role_name: str) -> Role:
    role = state.roles.get(role_name)
    if role is None:
        raise not_exist("Role", f"The role does not exist: {role_name}")
    return role


def require_policy(state: AccountState, policy_name: str) -> Policy:
    policy = state.policies.get(policy_name)
    if policy is None:
        raise not_exist("Policy", f"The policy does not exist: {policy_name}")
    return policy


def require_oidc_provider(state: AccountState, name: str) -> OIDCProvider:
    provider = state.oidc_providers.get(name)
    if provider is None:
        # UNCONFIRMED: IMS code; the RAM error list names `EntityNotExist.OIDCProvider`.
        raise not_exist("OIDCProvider", f"The OIDC provider does not exist: {name}")
    return provider


def require_saml_provider(state: AccountState, name: str) -> SAMLProvider:
    provider = state.saml_providers.get(name)
    if provider is None:
        raise not_exist("SAMLProvider", f"The SAML provider does not exist: {name}")  # reference §6
    return provider
