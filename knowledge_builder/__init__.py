"""Build the knowledge base (knowledge/*.yml) from the PDQ page text and the curated inputs in knowledge/curated/.

Modules: ``curated`` (load the hand-written YAML), ``source_text`` (read and normalise the page, from its
flattened text or its saved HTML), ``cutting`` (cut the body into sections by the spec), ``emit`` (write the
YAML), ``verify`` (every text verbatim, every curated entry found), ``structure`` / ``changes`` /
``references`` (what a new version of the page adds, removes or changes, and what points at it), ``build``
(the whole run) and ``__main__`` (``python -m knowledge_builder``). Importing a module does no work.
"""
