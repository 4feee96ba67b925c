"""``python -m renewal_rules``: see `renewal_rules.cli`."""

from __future__ import annotations

import sys

from renewal_rules.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
