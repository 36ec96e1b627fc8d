"""Measuring the real bot on held-out question and conversation files (``make eval``).

One concept a module:

- :mod:`evaluation.dataset`: reading question files and conversation files (JSON lines) into typed items;
- :mod:`evaluation.outcome`: reading one bot reply (the REST message list) into an outcome, its text,
  its answer body and whether a key passage is in it;
- :mod:`evaluation.stats`: the small counting helpers (ratios, median, percentile);
- :mod:`evaluation.scoring`: scoring one question / one conversation and summarising a file;
- :mod:`evaluation.report`: the markdown report and the one-line summary of a file;
- :mod:`evaluation.runner`: talking to the bot (a fresh sender per question, one per conversation);
- :mod:`evaluation.pipeline`: a whole file end to end: ask, score, write ``reports/eval-<stem>.md/.json``.

The entry point is ``python -m evaluation`` (:mod:`evaluation.__main__`; also ``scripts/evaluate_bot.py``,
``make eval``, ``make eval FILE="a.jsonl b.jsonl"``).
"""
