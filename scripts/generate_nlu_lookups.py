"""Regenerate data/nlu/generated_from_knowledge.yml from knowledge/ (code: knowledge_builder/nlu_lookups.py).

python -m scripts.generate_nlu_lookups [--check]
"""

from __future__ import annotations

import sys

from knowledge_builder.nlu_lookups import main

if __name__ == "__main__":
    sys.exit(main())
