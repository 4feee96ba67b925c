"""Message catalogs for reason codes and remedies, in English and French (private).

Templates use :meth:`str.format` fields named after the reason's ``params``.
They are rendered on demand only: rules never touch this module.
"""

from __future__ import annotations

from typing import Final

LOCALES: Final = ("en", "fr")

REASON_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "trial_not_renewable": "A trial cannot be renewed or extended.",
        "subscription_expired": (
            "The subscription has expired; an expired subscription cannot be "
            "reactivated."
        ),
        "auto_renew_off": "Automatic renewal is turned off.",
        "no_payment_method": "No recurring payment method is on file.",
        "payment_method_not_recurring": (
            "The payment method cannot carry a recurring charge."
        ),
        "payment_method_invalid": "The payment method is not valid.",
        "payment_method_expires_before_renewal": (
            "The payment method expires before the renewal date."
        ),
        "capability_unavailable": (
            "This market does not offer the renewal path '{capability}'."
        ),
        "outside_renewal_window": (
            "The renewal window is not open yet; it opens on {opens_on}."
        ),
        "term_unchanged": "The requested term is the term the next renewal uses.",
        "actor_not_in_account": "The actor does not belong to this account.",
        "role_not_permitted": "The actor's roles do not allow this action.",
        "batch_empty": "The batch is empty.",
        "batch_too_large": (
            "The batch holds {size} subscriptions; at most {limit} are allowed."
        ),
        "batch_mixed_groups": (
            "The batch mixes customer numbers, currencies or purchase methods."
        ),
        "duplicate_subscription": "The subscription appears more than once.",
        "quote_empty": "The quote has no lines.",
        "quote_mixes_renewal_with_new": (
            "A renewal cannot be combined with new or co-term lines on one quote."
        ),
        "quote_mixed_customers": "The quote mixes customer numbers (CSN).",
        "quote_mixed_currencies": "The quote mixes currencies.",
        "quote_mixed_partners": "The quote mixes partners (partner CSN).",
        "quote_mixed_purchase_methods": (
            "The quote's renewal lines mix purchase methods."
        ),
        "line_subscription_missing": "The line does not name its subscription.",
        "currency_change_not_supported": (
            "A self-service quote cannot change the currency."
        ),
        "adding_seats_not_supported": "A self-service quote cannot add seats.",
        "offering_not_supported": (
            "Success plans and value-based offerings cannot be quoted in self-service."
        ),
        "credit_line_not_supported": (
            "A self-service quote cannot open a new line of credit."
        ),
        "future_start_date_not_supported": (
            "A self-service quote cannot have a future start date."
        ),
        "too_many_recipients": (
            "The quote has {count} recipients; at most {limit} are allowed."
        ),
        "invalid_recipient": "'{email}' is not a valid e-mail address.",
        "duplicate_recipient": "'{email}' is listed more than once.",
        "quote_expired": "The quote has expired.",
        "address_locked_after_sending": (
            "The address cannot be changed once the quote has been sent."
        ),
        "cancellation_not_self_service": (
            "A sent quote cannot be cancelled by the customer."
        ),
    },
    "fr": {
        "trial_not_renewable": (
            "Une version d'évaluation ne peut pas être renouvelée ni prolongée."
        ),
        "subscription_expired": (
            "L'abonnement est arrivé à expiration ; il n'est pas possible de "
            "le réactiver."
        ),
        "auto_renew_off": "Le renouvellement automatique est désactivé.",
        "no_payment_method": "Aucun moyen de paiement récurrent n'est enregistré.",
        "payment_method_not_recurring": (
            "Ce moyen de paiement ne permet pas de paiement récurrent."
        ),
        "payment_method_invalid": "Le moyen de paiement n'est pas valide.",
        "payment_method_expires_before_renewal": (
            "Le moyen de paiement expire avant la date de renouvellement."
        ),
        "capability_unavailable": (
            "Ce marché ne propose pas le mode de renouvellement « {capability} »."
        ),
        "outside_renewal_window": (
            "La période de renouvellement n'est pas encore ouverte ; elle "
            "s'ouvre le {opens_on}."
        ),
        "term_unchanged": ("La durée demandée est celle du prochain renouvellement."),
        "actor_not_in_account": "Cette personne n'appartient pas à ce compte.",
        "role_not_permitted": (
            "Les rôles de cette personne ne permettent pas cette action."
        ),
        "batch_empty": "Le lot est vide.",
        "batch_too_large": (
            "Le lot contient {size} abonnements ; {limit} au maximum sont autorisés."
        ),
        "batch_mixed_groups": (
            "Le lot mélange des numéros CSN, des devises ou des méthodes d'achat."
        ),
        "duplicate_subscription": "L'abonnement figure plus d'une fois.",
        "quote_empty": "Le devis ne comporte aucune ligne.",
        "quote_mixes_renewal_with_new": (
            "Un renouvellement ne peut pas être associé à un nouvel abonnement "
            "ni à un regroupement dans un même devis."
        ),
        "quote_mixed_customers": "Le devis mélange des numéros NSC de client.",
        "quote_mixed_currencies": "Le devis mélange des devises.",
        "quote_mixed_partners": "Le devis mélange des numéros NSC de partenaire.",
        "quote_mixed_purchase_methods": (
            "Les lignes de renouvellement du devis mélangent des méthodes d'achat."
        ),
        "line_subscription_missing": "La ligne n'indique pas son abonnement.",
        "currency_change_not_supported": (
            "Un devis en libre-service ne permet pas de changer de devise."
        ),
        "adding_seats_not_supported": (
            "Un devis en libre-service ne permet pas d'ajouter des postes."
        ),
        "offering_not_supported": (
            "Les plans de réussite et les options d'achat basées sur la valeur "
            "ne sont pas disponibles en libre-service."
        ),
        "credit_line_not_supported": (
            "Un devis en libre-service ne permet pas d'ouvrir une nouvelle "
            "ligne de crédit."
        ),
        "future_start_date_not_supported": (
            "Un devis en libre-service ne permet pas de date de début future."
        ),
        "too_many_recipients": (
            "Le devis compte {count} destinataires ; {limit} au maximum sont autorisés."
        ),
        "invalid_recipient": "« {email} » n'est pas une adresse e-mail valide.",
        "duplicate_recipient": "« {email} » figure plus d'une fois.",
        "quote_expired": "Le devis a expiré.",
        "address_locked_after_sending": (
            "L'adresse ne peut plus être modifiée une fois le devis envoyé."
        ),
        "cancellation_not_self_service": (
            "Un devis envoyé ne peut pas être annulé par le client."
        ),
    },
}

REMEDY_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "convert_trial": "Convert the trial to a subscription.",
        "purchase_new": "Purchase a new subscription.",
        "enable_auto_renew": "Turn on automatic renewal.",
        "add_payment_method": "Add a recurring payment method.",
        "update_payment_method": "Update the payment method.",
        "renew_manually": "Renew manually.",
        "wait_for_window": "Wait until the renewal window opens.",
        "split_batch": "Split the batch into smaller batches of one group each.",
        "create_new_quote": "Create a new quote.",
        "contact_partner": "Contact your partner for help.",
        "contact_admin": "Ask an administrator of the account.",
    },
    "fr": {
        "convert_trial": "Convertissez la version d'évaluation en abonnement.",
        "purchase_new": "Achetez un nouvel abonnement.",
        "enable_auto_renew": "Activez le renouvellement automatique.",
        "add_payment_method": "Ajoutez un moyen de paiement récurrent.",
        "update_payment_method": "Mettez à jour le moyen de paiement.",
        "renew_manually": "Renouvelez manuellement.",
        "wait_for_window": "Attendez l'ouverture de la période de renouvellement.",
        "split_batch": "Divisez le lot en lots plus petits, un groupe par lot.",
        "create_new_quote": "Créez un nouveau devis.",
        "contact_partner": "Contactez votre partenaire pour obtenir de l'aide.",
        "contact_admin": "Adressez-vous à un administrateur du compte.",
    },
}

PHRASES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "allowed": "Allowed.",
        "refused": "Refused:",
        "remedy": "Remedy:",
        "automatic": "Renews automatically.",
        "manual": "Needs a manual renewal:",
        "none": "Cannot renew:",
    },
    "fr": {
        "allowed": "Autorisé.",
        "refused": "Refusé :",
        "remedy": "Solution :",
        "automatic": "Renouvellement automatique.",
        "manual": "Renouvellement manuel nécessaire :",
        "none": "Renouvellement impossible :",
    },
}
