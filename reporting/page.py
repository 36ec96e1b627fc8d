"""The report as one self-contained HTML page: inline CSS, charts as inline images, no script, no link that
loads anything. Every value from the store is escaped (questions are user text)."""

from __future__ import annotations

import datetime as dt
from html import escape

from actions import reply_contract as contract
from reporting import charts
from reporting.tables import Report, Table

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:64rem;
padding:1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #2a6f97}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;
text-align:left;vertical-align:top;white-space:nowrap}td:first-child{white-space:normal;min-width:12rem}td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef4f8}
.note{color:#444;font-size:.92rem}.privacy{background:#fff7e0;border:1px solid #e0c060;padding:.6rem .8rem}
img{max-width:100%;height:auto}
"""


def _table(table: Table) -> str:
    if not table.rows:
        return '<p class="note">Nothing in this period.</p>'
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{value}</td>' if isinstance(value, int) else f"<td>{escape(str(value))}</td>"
            for value in row
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(uri: str, description: str) -> str:
    return f'<p><img src="{uri}" alt="{escape(description)}"></p>'


def _activity_chart(report: Report) -> str:
    rows = report.tables["activity"].rows
    days = sorted({str(row[0]) for row in rows})
    channels = sorted({str(row[1]) for row in rows})
    messages = {(str(row[0]), str(row[1])): int(str(row[3])) for row in rows}
    series = {channel: [messages.get((day, channel), 0) for day in days] for channel in channels}
    return _chart(charts.stacked_by_day(days, series, "messages"), "Messages per day, stacked by channel")


def _answer_types_chart(report: Report) -> str:
    rows = report.tables["answer_types"].rows
    days = [str(row[0]) for row in rows]
    series = {kind: [int(str(row[i + 1])) for row in rows] for i, kind in enumerate(contract.ANSWER_TYPES)}
    return _chart(charts.stacked_by_day(days, series, "replies"), "Replies per day, stacked by answer type")


def _bars_chart(table: Table, xlabel: str, description: str) -> str:
    if not table.rows:
        return ""
    labels = [str(row[0]) for row in table.rows]
    values = [int(str(row[1])) for row in table.rows]
    return _chart(charts.horizontal_bars(labels, values, xlabel), description)


def render(report: Report, generated: dt.datetime, store: str) -> str:
    """The whole page. ``store``: the store's address as it may be shown (no password)."""
    tables = report.tables
    n = report.settings.min_conversations
    period = f"{report.settings.first_day.isoformat()} to {report.settings.last_day.isoformat()}"
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Childhood ALL assistant — report {escape(period)}</title><style>{STYLE}</style></head><body>",
        "<h1>Childhood ALL assistant: what families asked</h1>",
        f'<p class="note">{escape(period)} (UTC, both days included). Store: {escape(store)}. '
        f"Made {escape(generated.strftime('%Y-%m-%d %H:%M UTC'))}.</p>",
    ]
    if report.empty:
        parts.append(
            "<p><strong>No conversations in this period.</strong> Nothing was asked between these days, or the store "
            "holds none yet: choose other days with <code>make report FROM=YYYY-MM-DD TO=YYYY-MM-DD</code>.</p>"
        )
    grouped = report.grouped
    parts += [
        '<p class="privacy">Privacy: only the stored, redacted text of questions is read, and a question is shown '
        f"only when at least {n} different conversations asked something similar. Left out here: "
        f"<strong>{grouped.left_out_questions} questions in {grouped.left_out_groups} groups</strong>.</p>",
        "<h2>Summary</h2>",
        _table(tables["summary"]),
        "<h2>Conversations and messages per day and channel</h2>",
    ]
    if tables["activity"].rows:
        parts.append(_activity_chart(report))
    parts += [_table(tables["activity"]), "<h2>Answer types per day</h2>"]
    if tables["answer_types"].rows:
        parts.append(_answer_types_chart(report))
    parts += [
        _table(tables["answer_types"]),
        "<h2>Urgent replies by category</h2>",
        _bars_chart(tables["urgent"], "urgent replies", "Urgent replies by category"),
        _table(tables["urgent"]),
        "<h2>Most asked sections</h2>",
        '<p class="note">Answers (and personal-advice replies) by the first PDQ section they cite.</p>',
        _bars_chart(tables["sections"], "answers", "Answers by first cited section"),
        _table(tables["sections"]),
        "<h2>Feedback per section</h2>",
        '<p class="note">Replies that showed the thumbs-up / thumbs-down buttons, how many families rated them, '
        "and the reasons given after a thumbs-down (the last rating per answer counts).</p>",
        _table(tables["feedback"]),
        f"<h2>Questions the assistant could not answer (asked in at least {n} conversations)</h2>",
        '<p class="note">Replies <code>not_in_summary</code>, <code>out_of_scope</code> and <code>fallback</code>, '
        "similar questions grouped, most conversations first: what the summary (or the assistant) is missing. "
        f"{grouped.left_out_questions} questions in {grouped.left_out_groups} groups asked in fewer than {n} "
        "conversations are not shown.</p>",
        _table(tables["unanswered"]),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part)
