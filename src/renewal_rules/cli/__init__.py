"""Command line of ``renewal_rules``; the only package of the library that prints.

``python -m renewal_rules [--as-of YYYY-MM-DD] [--lang en|fr]``
    The renewal table of the built-in sample portfolio.
``python -m renewal_rules explain [FILE] [options]``
    Each subscription's renewal mode and reasons.
``python -m renewal_rules plan [FILE] --action renew|enable-auto-renew|quote [options]``
    The portfolio planned into batches, with every rejection.

Options of both commands: ``--as-of YYYY-MM-DD`` and ``--lang en|fr``
(before or after the command), ``--format table|json``, ``--strict`` and
``--policy POLICY`` (after it).

FILE is a JSON array or a JSON Lines file of subscriptions in the shape of
[`renewal_rules.serde`][renewal_rules.serde] (``-`` reads standard input); without FILE
the built-in sample is used. JSON Lines are read one line at a time.

POLICY is a JSON file holding a [`RenewalPolicy`][renewal_rules.RenewalPolicy] in the
same shape (markets and their capabilities, window, limits). Without it, a
FILE is evaluated under ``DEFAULT_POLICY`` (every market offers every path,
as the library's functions assume), and the sample under its own policy.

Exit status: 0 when every record was valid; 1 when some records were invalid
(they are listed, with their line numbers, and the rest is processed); 2 for
a usage error, an unreadable file or a bad POLICY; 3 when ``--strict``
refused the run because of invalid records (nothing is processed).
"""

from __future__ import annotations

from renewal_rules.cli.commands import main

__all__ = ["main"]
