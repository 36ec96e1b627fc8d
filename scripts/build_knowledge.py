"""Rebuild knowledge/*.yml from the PDQ page: ``python -m scripts.build_knowledge [--source FILE] [--check]``.

A thin entry point, kept because the generated files name it in their header; the builder is the
knowledge_builder package (``python -m knowledge_builder``, ``make knowledge SOURCE=<file>``) and its curated
inputs are in knowledge/curated/.
"""

from __future__ import annotations

import sys

from knowledge_builder.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
