"""The catalogue of reason codes: one row per code, in one place.

A row holds everything the library knows about one [`ReasonCode`][renewal_rules.ReasonCode]: its
[`Remedy`][renewal_rules.Remedy], the names and types of its params (with an example value
each, for the docs), and its English and French messages. `Reason`
checks its params against the row, the message renders from it, the JSON
reader takes its param types from it, and ``docs/reason-codes.md`` is
generated from it. Adding a code is adding one row (and a CHANGELOG entry).

>>> row = ROWS[ReasonCode.BATCH_TOO_LARGE]
>>> row.remedy, row.param_names
(<Remedy.SPLIT_BATCH: 'split_batch'>, ('limit', 'size'))
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

import attrs

from renewal_rules.errors import InvalidInputError
from renewal_rules.model import Capability

__all__ = ["CAPABILITY_WORDS", "LOCALES", "ROWS", "CodeRow", "ReasonCode", "Remedy"]

LOCALES: Final = ("en", "fr")
"""The locales every message exists in."""


class ReasonCode(StrEnum):
    """Why a rule said no. Values are stable: a code is never renamed."""

    TRIAL_NOT_RENEWABLE = "trial_not_renewable"
    SUBSCRIPTION_EXPIRED = "subscription_expired"
    AUTO_RENEW_OFF = "auto_renew_off"
    NO_PAYMENT_METHOD = "no_payment_method"
    PAYMENT_METHOD_NOT_RECURRING = "payment_method_not_recurring"
    PAYMENT_METHOD_INVALID = "payment_method_invalid"
    PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL = "payment_method_expires_before_renewal"
    CAPABILITY_UNAVAILABLE = "capability_unavailable"
    OUTSIDE_RENEWAL_WINDOW = "outside_renewal_window"
    TERM_UNCHANGED = "term_unchanged"
    ACTOR_NOT_IN_ACCOUNT = "actor_not_in_account"
    ROLE_NOT_PERMITTED = "role_not_permitted"
    BATCH_EMPTY = "batch_empty"
    BATCH_TOO_LARGE = "batch_too_large"
    BATCH_MIXED_GROUPS = "batch_mixed_groups"
    DUPLICATE_SUBSCRIPTION = "duplicate_subscription"
    QUOTE_EMPTY = "quote_empty"
    QUOTE_MIXES_RENEWAL_WITH_NEW = "quote_mixes_renewal_with_new"
    QUOTE_MIXED_CUSTOMERS = "quote_mixed_customers"
    QUOTE_MIXED_CURRENCIES = "quote_mixed_currencies"
    QUOTE_MIXED_PARTNERS = "quote_mixed_partners"
    QUOTE_MIXED_PURCHASE_METHODS = "quote_mixed_purchase_methods"
    LINE_SUBSCRIPTION_MISSING = "line_subscription_missing"
    CURRENCY_CHANGE_NOT_SUPPORTED = "currency_change_not_supported"
    ADDING_SEATS_NOT_SUPPORTED = "adding_seats_not_supported"
    OFFERING_NOT_SUPPORTED = "offering_not_supported"
    CREDIT_LINE_NOT_SUPPORTED = "credit_line_not_supported"
    FUTURE_START_DATE_NOT_SUPPORTED = "future_start_date_not_supported"
    TOO_MANY_RECIPIENTS = "too_many_recipients"
    INVALID_RECIPIENT = "invalid_recipient"
    DUPLICATE_RECIPIENT = "duplicate_recipient"
    QUOTE_EXPIRED = "quote_expired"
    ADDRESS_LOCKED_AFTER_SENDING = "address_locked_after_sending"
    CANCELLATION_NOT_SELF_SERVICE = "cancellation_not_self_service"
    SUBSCRIPTION_CANCELED = "subscription_canceled"
    RENEWAL_DATE_PASSED = "renewal_date_passed"
    LATE_RENEWAL_TERM_ELAPSED = "late_renewal_term_elapsed"
    QUOTE_WINDOW_CLOSED = "quote_window_closed"
    AUTO_RENEW_CONFLICTS_WITH_QUOTE = "auto_renew_conflicts_with_quote"
    AMOUNT_EXCEEDS_CARD_LIMIT = "amount_exceeds_card_limit"
    PAY_BY_INVOICE_NOT_ESTABLISHED = "pay_by_invoice_not_established"
    ALIGNMENT_NOT_ONLINE = "alignment_not_online"
    ALIGNMENT_MIXED_CUSTOMERS = "alignment_mixed_customers"
    ALIGNMENT_TERM_MISMATCH = "alignment_term_mismatch"
    ALIGNMENT_PAYMENT_MISMATCH = "alignment_payment_mismatch"
    ALIGNMENT_PAYPAL = "alignment_paypal"
    ALIGNMENT_TERM_PENDING = "alignment_term_pending"
    ALIGNMENT_TARGET_NOT_LATER = "alignment_target_not_later"
    SEAT_CHANGE_NOT_ONLINE = "seat_change_not_online"
    SEAT_ADD_REQUIRES_AUTO_RENEW = "seat_add_requires_auto_renew"

    @property
    def remedy(self) -> Remedy | None:
        """What the user can do about it, or ``None``."""
        return ROWS[self].remedy


class Remedy(StrEnum):
    """What a user can do about a reason."""

    CONVERT_TRIAL = "convert_trial"
    PURCHASE_NEW = "purchase_new"
    ENABLE_AUTO_RENEW = "enable_auto_renew"
    ADD_PAYMENT_METHOD = "add_payment_method"
    UPDATE_PAYMENT_METHOD = "update_payment_method"
    RENEW_MANUALLY = "renew_manually"
    WAIT_FOR_WINDOW = "wait_for_window"
    SPLIT_BATCH = "split_batch"
    CREATE_NEW_QUOTE = "create_new_quote"
    CONTACT_PARTNER = "contact_partner"
    CONTACT_ADMIN = "contact_admin"
    DISABLE_AUTO_RENEW = "disable_auto_renew"
    USE_ANOTHER_PAYMENT_METHOD = "use_another_payment_method"

    def message(self, locale: str = "en") -> str:
        """Render the remedy as a sentence in ``locale`` (``"en"`` or ``"fr"``)."""
        return _REMEDY_MESSAGES[self][locale_index(locale)]


def locale_index(locale: object) -> int:
    """The position of ``locale`` in `LOCALES`.

    Raises:
        InvalidInputError: (a ``ValueError``) for an unknown locale.
    """
    for index, known in enumerate(LOCALES):
        if type(locale) is str and locale == known:
            return index
    raise InvalidInputError("locale", locale, f"must be one of {', '.join(LOCALES)}")


@attrs.frozen
class CodeRow:
    """Everything about one reason code.

    Attributes:
        code: the [`ReasonCode`][renewal_rules.ReasonCode].
        remedy: its [`Remedy`][renewal_rules.Remedy], or ``None``.
        params: ``(name, type)`` pairs sorted by name: exactly the params a
            [`Reason`][renewal_rules.Reason] with this code carries.
        examples: ``(name, value)`` pairs, one example value per param.
        messages: the message templates, one per locale of `LOCALES`
            (``str.format`` fields named after the params).
    """

    code: ReasonCode
    remedy: Remedy | None
    params: tuple[tuple[str, type[Any]], ...]
    examples: tuple[tuple[str, Any], ...]
    messages: tuple[str, ...]

    @property
    def param_names(self) -> tuple[str, ...]:
        """The param names, sorted."""
        return tuple(name for name, _ in self.params)

    def template(self, locale: str = "en") -> str:
        """The message template in ``locale``."""
        return self.messages[locale_index(locale)]


def _row(
    code: ReasonCode,
    remedy: Remedy | None,
    params: Mapping[str, tuple[type[Any], Any]],
    *,
    en: str,
    fr: str,
) -> CodeRow:
    names = sorted(params)
    return CodeRow(
        code=code,
        remedy=remedy,
        params=tuple((name, params[name][0]) for name in names),
        examples=tuple((name, params[name][1]) for name in names),
        messages=(en, fr),
    )


C = ReasonCode
R = Remedy

ROWS: Final[Mapping[ReasonCode, CodeRow]] = MappingProxyType(
    {
        row.code: row
        for row in (
            _row(
                C.TRIAL_NOT_RENEWABLE,
                R.CONVERT_TRIAL,
                {},
                en="A trial cannot be renewed or extended.",
                fr="Une version d'évaluation ne peut pas être renouvelée ni prolongée.",
            ),
            _row(
                C.SUBSCRIPTION_EXPIRED,
                R.PURCHASE_NEW,
                {},
                en="The subscription has expired; an expired subscription cannot be reactivated.",
                fr="L'abonnement est arrivé à expiration ; il n'est pas possible de le réactiver.",
            ),
            _row(
                C.AUTO_RENEW_OFF,
                R.ENABLE_AUTO_RENEW,
                {},
                en="Automatic renewal is turned off.",
                fr="Le renouvellement automatique est désactivé.",
            ),
            _row(
                C.NO_PAYMENT_METHOD,
                R.ADD_PAYMENT_METHOD,
                {},
                en="No recurring payment method is on file.",
                fr="Aucun moyen de paiement récurrent n'est enregistré.",
            ),
            _row(
                C.PAYMENT_METHOD_NOT_RECURRING,
                R.RENEW_MANUALLY,
                {},
                en="The payment method cannot carry a recurring charge.",
                fr="Ce moyen de paiement ne permet pas de paiement récurrent.",
            ),
            _row(
                C.PAYMENT_METHOD_INVALID,
                R.UPDATE_PAYMENT_METHOD,
                {},
                en="The payment method is not valid.",
                fr="Le moyen de paiement n'est pas valide.",
            ),
            _row(
                C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,
                R.UPDATE_PAYMENT_METHOD,
                {},
                en="The payment method expires before the renewal date.",
                fr="Le moyen de paiement expire avant la date de renouvellement.",
            ),
            _row(
                C.CAPABILITY_UNAVAILABLE,
                None,
                {"capability": (Capability, Capability.AUTO_RENEWAL)},
                en="This market does not offer {capability}.",
                fr="Ce marché ne propose pas {capability}.",
            ),
            _row(
                C.OUTSIDE_RENEWAL_WINDOW,
                R.WAIT_FOR_WINDOW,
                {"opens_on": (date, date(2027, 4, 1))},
                en="The renewal window is not open yet; it opens on {opens_on}.",
                fr="La période de renouvellement n'est pas encore ouverte ; elle s'ouvre le {opens_on}.",
            ),
            _row(
                C.TERM_UNCHANGED,
                None,
                {},
                en="The requested term is the term the next renewal uses.",
                fr="La durée demandée est celle du prochain renouvellement.",
            ),
            _row(
                C.ACTOR_NOT_IN_ACCOUNT,
                R.CONTACT_ADMIN,
                {},
                en="The actor does not belong to this account.",
                fr="Cette personne n'appartient pas à ce compte.",
            ),
            _row(
                C.ROLE_NOT_PERMITTED,
                R.CONTACT_ADMIN,
                {},
                en="The actor's roles do not allow this action.",
                fr="Les rôles de cette personne ne permettent pas cette action.",
            ),
            _row(
                C.BATCH_EMPTY,
                None,
                {},
                en="The batch is empty.",
                fr="Le lot est vide.",
            ),
            _row(
                C.BATCH_TOO_LARGE,
                R.SPLIT_BATCH,
                {"limit": (int, 100), "size": (int, 101)},
                en="The batch holds {size} subscriptions; at most {limit} are allowed.",
                fr="Le lot contient {size} abonnements ; {limit} au maximum sont autorisés.",
            ),
            _row(
                C.BATCH_MIXED_GROUPS,
                R.SPLIT_BATCH,
                {},
                en="The batch mixes customer numbers, currencies or purchase methods.",
                fr="Le lot mélange des numéros CSN, des devises ou des méthodes d'achat.",
            ),
            _row(
                C.DUPLICATE_SUBSCRIPTION,
                None,
                {},
                en="The subscription appears more than once.",
                fr="L'abonnement figure plus d'une fois.",
            ),
            _row(
                C.QUOTE_EMPTY,
                None,
                {},
                en="The quote has no lines.",
                fr="Le devis ne comporte aucune ligne.",
            ),
            _row(
                C.QUOTE_MIXES_RENEWAL_WITH_NEW,
                None,
                {},
                en="A renewal cannot be combined with new or co-term lines on one quote.",
                fr="Un renouvellement ne peut pas être associé à un nouvel abonnement ni à un regroupement dans un même devis.",
            ),
            _row(
                C.QUOTE_MIXED_CUSTOMERS,
                None,
                {},
                en="The quote mixes customer numbers (CSN).",
                fr="Le devis mélange des numéros NSC de client.",
            ),
            _row(
                C.QUOTE_MIXED_CURRENCIES,
                None,
                {},
                en="The quote mixes currencies.",
                fr="Le devis mélange des devises.",
            ),
            _row(
                C.QUOTE_MIXED_PARTNERS,
                None,
                {},
                en="The quote mixes partners (partner CSN).",
                fr="Le devis mélange des numéros NSC de partenaire.",
            ),
            _row(
                C.QUOTE_MIXED_PURCHASE_METHODS,
                None,
                {},
                en="The quote's renewal lines mix purchase methods.",
                fr="Les lignes de renouvellement du devis mélangent des méthodes d'achat.",
            ),
            _row(
                C.LINE_SUBSCRIPTION_MISSING,
                None,
                {},
                en="The line does not name its subscription.",
                fr="La ligne n'indique pas son abonnement.",
            ),
            _row(
                C.CURRENCY_CHANGE_NOT_SUPPORTED,
                R.CONTACT_PARTNER,
                {},
                en="A self-service quote cannot change the currency.",
                fr="Un devis en libre-service ne permet pas de changer de devise.",
            ),
            _row(
                C.ADDING_SEATS_NOT_SUPPORTED,
                R.CONTACT_PARTNER,
                {},
                en="A self-service quote cannot add seats.",
                fr="Un devis en libre-service ne permet pas d'ajouter des postes.",
            ),
            _row(
                C.OFFERING_NOT_SUPPORTED,
                R.CONTACT_PARTNER,
                {},
                en="Success plans and value-based offerings cannot be quoted in self-service.",
                fr="Les plans de réussite et les options d'achat basées sur la valeur ne sont pas disponibles en libre-service.",
            ),
            _row(
                C.CREDIT_LINE_NOT_SUPPORTED,
                R.CONTACT_PARTNER,
                {},
                en="A self-service quote cannot open a new line of credit.",
                fr="Un devis en libre-service ne permet pas d'ouvrir une nouvelle ligne de crédit.",
            ),
            _row(
                C.FUTURE_START_DATE_NOT_SUPPORTED,
                R.CONTACT_PARTNER,
                {},
                en="A self-service quote cannot have a future start date.",
                fr="Un devis en libre-service ne permet pas de date de début future.",
            ),
            _row(
                C.TOO_MANY_RECIPIENTS,
                None,
                {"count": (int, 5), "limit": (int, 100)},
                en="The quote has {count} recipients; at most {limit} are allowed.",
                fr="Le devis compte {count} destinataires ; {limit} au maximum sont autorisés.",
            ),
            _row(
                C.INVALID_RECIPIENT,
                None,
                {"email": (str, "ana@example")},
                en="'{email}' is not a valid e-mail address.",
                fr="« {email} » n'est pas une adresse e-mail valide.",
            ),
            _row(
                C.DUPLICATE_RECIPIENT,
                None,
                {"email": (str, "ana@example")},
                en="'{email}' is listed more than once.",
                fr="« {email} » figure plus d'une fois.",
            ),
            _row(
                C.QUOTE_EXPIRED,
                R.CREATE_NEW_QUOTE,
                {},
                en="The quote has expired.",
                fr="Le devis a expiré.",
            ),
            _row(
                C.ADDRESS_LOCKED_AFTER_SENDING,
                R.CREATE_NEW_QUOTE,
                {},
                en="The address cannot be changed once the quote has been sent.",
                fr="L'adresse ne peut plus être modifiée une fois le devis envoyé.",
            ),
            _row(
                C.CANCELLATION_NOT_SELF_SERVICE,
                R.CONTACT_PARTNER,
                {},
                en="A sent quote cannot be cancelled by the customer.",
                fr="Un devis envoyé ne peut pas être annulé par le client.",
            ),
            _row(
                C.SUBSCRIPTION_CANCELED,
                R.PURCHASE_NEW,
                {},
                en="The subscription has been canceled; it can no longer be renewed or reactivated.",
                fr="L'abonnement a été annulé ; il ne peut plus être renouvelé ni réactivé.",
            ),
            _row(
                C.RENEWAL_DATE_PASSED,
                R.RENEW_MANUALLY,
                {"canceled_on": (date, date(2027, 6, 15))},
                en="The automatic renewal date has passed; renew manually before {canceled_on}.",
                fr="La date de renouvellement automatique est passée ; renouvelez manuellement avant le {canceled_on}.",
            ),
            _row(
                C.LATE_RENEWAL_TERM_ELAPSED,
                R.PURCHASE_NEW,
                {},
                en="A renewal now would start a term that has already ended.",
                fr="Un renouvellement maintenant commencerait une période déjà terminée.",
            ),
            _row(
                C.QUOTE_WINDOW_CLOSED,
                R.PURCHASE_NEW,
                {"closes_on": (date, date(2027, 6, 15))},
                en="The renewal quote window closed on {closes_on}.",
                fr="La période des devis de renouvellement s'est terminée le {closes_on}.",
            ),
            _row(
                C.AUTO_RENEW_CONFLICTS_WITH_QUOTE,
                R.DISABLE_AUTO_RENEW,
                {},
                en="Automatic renewal is on; turn it off before quoting a renewal with changes.",
                fr="Le renouvellement automatique est activé ; désactivez-le avant de demander un devis de renouvellement modifié.",
            ),
            _row(
                C.AMOUNT_EXCEEDS_CARD_LIMIT,
                R.USE_ANOTHER_PAYMENT_METHOD,
                {
                    "amount": (Decimal, Decimal("25000.01")),
                    "limit": (Decimal, Decimal("25000")),
                },
                en="An amount of {amount} USD is above the limit of {limit} USD for cards and PayPal.",
                fr="Un montant de {amount} USD dépasse la limite de {limit} USD pour les cartes et PayPal.",
            ),
            _row(
                C.PAY_BY_INVOICE_NOT_ESTABLISHED,
                R.CONTACT_PARTNER,
                {},
                en="Pay by invoice needs another subscription of this customer already paid by invoice.",
                fr="Le paiement sur facture exige un autre abonnement de ce client déjà payé sur facture.",
            ),
            _row(
                C.ALIGNMENT_NOT_ONLINE,
                R.CONTACT_PARTNER,
                {},
                en="Only subscriptions bought online can be aligned.",
                fr="Seuls les abonnements achetés en ligne peuvent être alignés.",
            ),
            _row(
                C.ALIGNMENT_MIXED_CUSTOMERS,
                None,
                {},
                en="The subscriptions belong to different customers (CSN).",
                fr="Les abonnements appartiennent à des clients différents (CSN).",
            ),
            _row(
                C.ALIGNMENT_TERM_MISMATCH,
                R.CONTACT_PARTNER,
                {},
                en="The subscriptions have different terms.",
                fr="Les abonnements ont des durées différentes.",
            ),
            _row(
                C.ALIGNMENT_PAYMENT_MISMATCH,
                R.CONTACT_PARTNER,
                {},
                en="The subscriptions are paid by different kinds of payment method.",
                fr="Les abonnements sont payés par des moyens de paiement de types différents.",
            ),
            _row(
                C.ALIGNMENT_PAYPAL,
                R.UPDATE_PAYMENT_METHOD,
                {},
                en="Subscriptions paid by PayPal cannot be aligned; pay by card instead.",
                fr="Les abonnements payés par PayPal ne peuvent pas être alignés ; payez par carte.",
            ),
            _row(
                C.ALIGNMENT_TERM_PENDING,
                None,
                {},
                en="A term change is pending.",
                fr="Un changement de durée est en attente.",
            ),
            _row(
                C.ALIGNMENT_TARGET_NOT_LATER,
                None,
                {},
                en="The target subscription does not renew later.",
                fr="L'abonnement cible ne se renouvelle pas plus tard.",
            ),
            _row(
                C.SEAT_CHANGE_NOT_ONLINE,
                R.CONTACT_PARTNER,
                {},
                en="Seats can be changed only for subscriptions bought online.",
                fr="Les postes ne peuvent être modifiés que pour les abonnements achetés en ligne.",
            ),
            _row(
                C.SEAT_ADD_REQUIRES_AUTO_RENEW,
                R.ENABLE_AUTO_RENEW,
                {},
                en="Seats can be added only while automatic renewal is on.",
                fr="Des postes ne peuvent être ajoutés que si le renouvellement automatique est activé.",
            ),
        )
    }
)
"""One `CodeRow` per [`ReasonCode`][renewal_rules.ReasonCode]."""

_REMEDY_MESSAGES: Final[Mapping[Remedy, tuple[str, str]]] = MappingProxyType(
    {
        R.CONVERT_TRIAL: (
            "Convert the trial to a subscription.",
            "Convertissez la version d'évaluation en abonnement.",
        ),
        R.PURCHASE_NEW: (
            "Purchase a new subscription.",
            "Achetez un nouvel abonnement.",
        ),
        R.ENABLE_AUTO_RENEW: (
            "Turn on automatic renewal.",
            "Activez le renouvellement automatique.",
        ),
        R.ADD_PAYMENT_METHOD: (
            "Add a recurring payment method.",
            "Ajoutez un moyen de paiement récurrent.",
        ),
        R.UPDATE_PAYMENT_METHOD: (
            "Update the payment method.",
            "Mettez à jour le moyen de paiement.",
        ),
        R.RENEW_MANUALLY: ("Renew manually.", "Renouvelez manuellement."),
        R.WAIT_FOR_WINDOW: (
            "Wait until the renewal window opens.",
            "Attendez l'ouverture de la période de renouvellement.",
        ),
        R.SPLIT_BATCH: (
            "Split the batch into smaller batches of one group each.",
            "Divisez le lot en lots plus petits, un groupe par lot.",
        ),
        R.CREATE_NEW_QUOTE: ("Create a new quote.", "Créez un nouveau devis."),
        R.CONTACT_PARTNER: (
            "Contact your partner for help.",
            "Contactez votre partenaire pour obtenir de l'aide.",
        ),
        R.CONTACT_ADMIN: (
            "Ask an administrator of the account.",
            "Adressez-vous à un administrateur du compte.",
        ),
        R.DISABLE_AUTO_RENEW: (
            "Turn off automatic renewal.",
            "Désactivez le renouvellement automatique.",
        ),
        R.USE_ANOTHER_PAYMENT_METHOD: (
            "Pay with another payment method.",
            "Payez avec un autre moyen de paiement.",
        ),
    }
)

PHRASES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "allowed": ("Allowed.", "Autorisé."),
        "refused": ("Refused:", "Refusé :"),
        "remedy": ("Remedy:", "Solution :"),
        "automatic": ("Renews automatically.", "Renouvellement automatique."),
        "manual": (
            "Needs a manual renewal:",
            "Renouvellement manuel nécessaire :",
        ),
        "none": ("Cannot renew:", "Renouvellement impossible :"),
        # A window's days, its last day included (DateWindow.describe).
        "window": ("{first} to {last}", "du {first} au {last}"),
        "window_empty": ("no day", "aucun jour"),
    }
)

CAPABILITY_WORDS: Final[Mapping[Capability, tuple[str, str]]] = MappingProxyType(
    {
        Capability.AUTO_RENEWAL: ("automatic renewal", "le renouvellement automatique"),
        Capability.MANUAL_RENEWAL: (
            "manual online renewal",
            "le renouvellement manuel en ligne",
        ),
        Capability.BATCH_AUTO_RENEWAL: (
            "turning on automatic renewal in batches",
            "l'activation du renouvellement automatique par lots",
        ),
        Capability.BATCH_MANUAL_RENEWAL: (
            "manual renewal in batches",
            "le renouvellement manuel par lots",
        ),
        Capability.PARTNER_QUOTE: (
            "renewal quotes from a partner",
            "les devis de renouvellement d'un partenaire",
        ),
        Capability.SELF_SERVICE_QUOTE: (
            "self-service renewal quotes",
            "les devis de renouvellement en libre-service",
        ),
        Capability.TERM_CHANGE: ("a change of term", "le changement de durée"),
        Capability.ALIGN_PAYMENT_DATES: (
            "aligned payment dates",
            "l'alignement des dates de paiement",
        ),
        Capability.ADD_SEATS: ("adding seats online", "l'ajout de licences en ligne"),
    }
)
"""How each capability is named in a message, in each of `LOCALES`."""
"""The fixed phrases of explanations, per locale of `LOCALES`."""
