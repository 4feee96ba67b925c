"""Linear-time syntax check of an e-mail address (private).

No regular expression: every step is a bounded scan of the text, so an
address of any length, crafted or not, is judged in time proportional to its
length, and anything longer than 254 characters is refused before a scan.

The accepted form is the common subset of RFC 5321/5322 that mail systems
deliver to: an ASCII dot-atom local part of 1-64 characters, one ``@``, and a
domain of at least two dot-separated labels, each 1-63 letters, digits or
inner hyphens, the last one not all digits. Quoted local parts, comments, IP
literals and non-ASCII addresses are refused.

>>> is_valid_email("ana.silva+renewals@example.co.uk")
True
>>> is_valid_email("ana..silva@example.com"), is_valid_email("ana@localhost")
(False, False)
>>> is_valid_email("a" * 100_000 + "@example.com")
False
"""

from __future__ import annotations

import string

MAX_LENGTH = 254
MAX_LOCAL = 64
MAX_LABEL = 63

_ATEXT = frozenset(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-")
_LABEL = frozenset(string.ascii_letters + string.digits + "-")


def _dot_atom(
    text: str, allowed: frozenset[str], max_part: int | None
) -> list[str] | None:
    parts = text.split(".")
    for part in parts:
        if not part or (max_part is not None and len(part) > max_part):
            return None
        if not allowed.issuperset(part):
            return None
    return parts


def is_valid_email(address: str) -> bool:
    """Say whether ``address`` is a syntactically valid e-mail address."""
    if len(address) > MAX_LENGTH or address.count("@") != 1:
        return False
    local, _, domain = address.partition("@")
    if not 1 <= len(local) <= MAX_LOCAL:
        return False
    if _dot_atom(local, _ATEXT, None) is None:
        return False
    labels = _dot_atom(domain, _LABEL, MAX_LABEL)
    if labels is None or len(labels) < 2:
        return False
    if any(label[0] == "-" or label[-1] == "-" for label in labels):
        return False
    return not labels[-1].isdigit()
