"""The account a spec deploys, in the live model: what `drift` compares the live account with.

Generated documents (trust policies, scoped assume grants) are the core's own, the ones the Pulumi
components send; ids, dates and secrets are not part of the expectation.
"""

from __future__ import annotations

from ramstack.account.model import (
    Attachment,
    LiveAccount,
    LiveGroup,
    LiveLogin,
    LiveOidcProvider,
    LivePolicy,
    LiveRole,
    LiveUser,
)
from ramstack.spec.model import PolicyRef, Spec


def expected_account(spec: Spec) -> LiveAccount:
    attachments: list[Attachment] = []

    def attach(kind: str, principal: str, refs: tuple[PolicyRef, ...]) -> None:
        attachments.extend(Attachment(kind, principal, r.type, r.name) for r in refs)

    users = []
    for user in spec.users:
        login = user.console_login
        users.append(
            LiveUser(
                user.name,
                display_name=user.display_name,
                comments=user.comments,
                email=user.email,
                mobile=user.mobile,
                tags=user.tags,
                access_keys=("<created by the stack>",) if user.access_key else (),
                login=LiveLogin(login.mfa_required, login.password_reset_required) if login else None,
                groups=tuple(sorted(user.groups)),
            )
        )
        attach("user", user.name, user.policies)
    for group in spec.groups:
        attach("group", group.name, group.policies)
    for role in spec.roles:
        attach("role", role.name, role.policies)
    return LiveAccount(
        spec.account_id,
        tuple(sorted(users, key=lambda u: u.name)),
        tuple(sorted((LiveGroup(g.name, g.comments) for g in spec.groups), key=lambda g: g.name)),
        tuple(
            sorted(
                (
                    LiveRole(
                        r.name, r.trust_document.to_dict(), r.description, r.max_session_duration, r.tags
                    )
                    for r in spec.roles
                ),
                key=lambda r: r.name,
            )
        ),
        tuple(
            sorted(
                (LivePolicy(p.name, p.document.to_dict(), p.description) for p in spec.policies),
                key=lambda p: p.name,
            )
        ),
        tuple(
            sorted(
                (
                    LiveOidcProvider(
                        p.name,
                        p.issuer_url,
                        tuple(sorted(p.client_ids)),
                        tuple(sorted(p.fingerprints)),
                        p.issuance_limit_time,
                        p.description,
                    )
                    for p in spec.oidc_providers
                ),
                key=lambda p: p.name,
            )
        ),
        tuple(sorted(set(attachments))),
    )
