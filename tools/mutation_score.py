"""Print the mutation score of the last `mutmut run` (used by `make mutation`).

Reads mutmut's CI/CD stats, and lists the surviving mutants by function so
they can be checked against the equivalent ones recorded in docs/testing.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Print the score; return 0."""
    mutmut = [sys.executable, "-m", "mutmut"]
    subprocess.run(
        [*mutmut, "export-cicd-stats"], cwd=ROOT, check=True, capture_output=True
    )
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    killed = stats["killed"] + stats.get("timeout", 0)
    survived = stats["survived"]
    total = killed + survived
    print(f"mutants: {stats['total']}, killed {killed} (timeouts included), "
          f"survived {survived}, score {killed / total:.1%}")  # fmt: skip
    results = subprocess.run(
        [*mutmut, "results"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    functions = Counter(
        line.split(":")[0].strip().rsplit("__mutmut_", 1)[0]
        for line in results.splitlines()
        if line.strip().endswith("survived")
    )
    for function, count in functions.most_common():
        print(f"  {count:3}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
