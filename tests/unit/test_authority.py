"""R1 and R2: who may renew or change renewal settings."""

from __future__ import annotations

import pytest

from renewal_rules import (
    Account,
    Actor,
    InvalidTypeError,
    Reason,
    ReasonCode,
    Role,
    check_authority,
)

ALLOWED_ROLES = {
    # R1: managed → contract manager, buyer, primary admin.
    True: {Role.CONTRACT_MANAGER, Role.BUYER, Role.PRIMARY_ADMIN},
    # R1: unmanaged → primary or secondary admin, buyer.
    False: {Role.PRIMARY_ADMIN, Role.SECONDARY_ADMIN, Role.BUYER},
}


@pytest.mark.parametrize("managed", [True, False], ids=["managed", "unmanaged"])
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_in_each_kind_of_account(role: Role, managed: bool) -> None:  # R1
    decision = check_authority(
        Actor(csn="5100001", roles={role}), Account(csn="5100001", managed=managed)
    )
    if role in ALLOWED_ROLES[managed]:
        assert decision.allowed
    else:
        assert decision.reasons == (
            Reason(code=ReasonCode.ROLE_NOT_PERMITTED, subject="5100001"),
        )
        assert decision.reasons[0].remedy == "contact_admin"


def test_secondary_admin_only_in_unmanaged_accounts() -> None:  # R1
    actor = Actor(csn="51", roles={Role.SECONDARY_ADMIN})
    assert check_authority(actor, Account(csn="51"))
    assert not check_authority(actor, Account(csn="51", managed=True))


def test_contract_manager_only_in_managed_accounts() -> None:  # R1
    actor = Actor(csn="51", roles={Role.CONTRACT_MANAGER})
    assert check_authority(actor, Account(csn="51", managed=True))
    assert not check_authority(actor, Account(csn="51"))


def test_one_permitted_role_among_others_is_enough() -> None:  # R1
    actor = Actor(csn="51", roles={Role.USER, Role.BUYER})
    assert check_authority(actor, Account(csn="51", managed=True))


def test_actor_without_roles_is_refused() -> None:  # R1
    assert check_authority(Actor(csn="51", roles=()), Account(csn="51")).codes == (
        ReasonCode.ROLE_NOT_PERMITTED,
    )


def test_another_csns_admin_is_refused() -> None:  # R2
    decision = check_authority(
        Actor(csn="5100002", roles={Role.PRIMARY_ADMIN}), Account(csn="5100001")
    )
    assert decision.reasons == (
        Reason(code=ReasonCode.ACTOR_NOT_IN_ACCOUNT, subject="5100001"),
    )
    assert decision.reasons[0].remedy == "contact_admin"


def test_both_reasons_when_both_fail() -> None:  # R1, R2
    decision = check_authority(
        Actor(csn="52", roles={Role.USER}), Account(csn="51", managed=True)
    )
    assert decision.codes == (
        ReasonCode.ACTOR_NOT_IN_ACCOUNT,
        ReasonCode.ROLE_NOT_PERMITTED,
    )


def test_arguments_are_type_checked() -> None:
    with pytest.raises(InvalidTypeError, match="actor"):
        check_authority("admin", Account(csn="51"))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="account"):
        check_authority(Actor(csn="51", roles=()), "51")  # type: ignore[arg-type]
