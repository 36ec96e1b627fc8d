"""``make eval``'s command, kept under its old name: ``python scripts/evaluate_bot.py [FILE.jsonl ...] [--out DIR]``.

The code is the evaluation package (``python -m evaluation``, evaluation/__main__.py). Started by its path,
this file runs ``python -m evaluation`` with the same arguments: the project's packages are then found in
the current folder (the checkout) first, else as installed by ``make install``.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-m", "evaluation", *sys.argv[1:]])
