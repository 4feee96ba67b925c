"""Who may renew, change renewal settings, seats or payment dates (R1-R3)."""

from __future__ import annotations

from renewal_rules import _validators as v
from renewal_rules.decisions import Decision, Reason, ReasonCode, make_reason
from renewal_rules.model import Account, AccountAction, Actor, Role

__all__ = ["MANAGED_ROLES", "PURCHASER_ROLES", "UNMANAGED_ROLES", "check_authority"]

MANAGED_ROLES: frozenset[Role] = frozenset(
    {Role.CONTRACT_MANAGER, Role.BUYER, Role.PRIMARY_ADMIN}
)
"""Roles that may renew in a managed account (R1)."""

UNMANAGED_ROLES: frozenset[Role] = frozenset(
    {Role.PRIMARY_ADMIN, Role.SECONDARY_ADMIN, Role.BUYER}
)
"""Roles that may renew in an unmanaged account (R1)."""

PURCHASER_ROLES: frozenset[Role] = frozenset({Role.CONTRACT_MANAGER, Role.BUYER})
"""Roles that may change seats or align payment dates, in any account (R3)."""


def check_authority(
    actor: Actor, account: Account, *, action: AccountAction = AccountAction.RENEW
) -> Decision:
    """Say whether ``actor`` may renew or change renewal settings in ``account``.

    R2: the actor must belong to the account's CSN (``actor_not_in_account``).
    R3: changing seats or aligning payment dates (``action``) needs the
    purchaser, a contract manager or a buyer, managed account or not.
    R1: in a managed account a contract manager, buyer or primary admin may;
    in an unmanaged one a primary or secondary admin, or a buyer
    (``role_not_permitted``). Both reasons are reported when both fail; their
    subject is the account's CSN.

    >>> from renewal_rules import Account, Actor, Role
    >>> admin = Actor(csn="51", roles={Role.SECONDARY_ADMIN})
    >>> check_authority(admin, Account(csn="51", managed=True)).codes
    (<ReasonCode.ROLE_NOT_PERMITTED: 'role_not_permitted'>,)
    """
    v.require("actor", actor, Actor)
    v.require("account", account, Account)
    v.require("action", action, AccountAction)
    reasons: list[Reason] = []
    if actor.csn != account.csn:
        reasons.append(make_reason(ReasonCode.ACTOR_NOT_IN_ACCOUNT, account.csn))
    if action is not AccountAction.RENEW:  # R3: the purchaser only
        permitted = PURCHASER_ROLES
    else:
        permitted = MANAGED_ROLES if account.managed else UNMANAGED_ROLES
    if permitted.isdisjoint(actor.roles):
        reasons.append(make_reason(ReasonCode.ROLE_NOT_PERMITTED, account.csn))
    return Decision.from_reasons(reasons)
