"""The content owner's report (``make report``): what families asked, how it was answered, what was missing.

Reads the tracker store's events (:mod:`stores.event_log`), turns them into turns and feedback
(:mod:`reporting.turns`), computes the tables (:mod:`reporting.tables`, unanswered questions grouped in
:mod:`reporting.questions`), and writes one self-contained HTML page (:mod:`reporting.page`, charts from
:mod:`reporting.charts`) and the same tables as CSV files (:mod:`reporting.output`). Settings:
:mod:`reporting.settings`. Command line: ``python -m reporting``.
"""
