"""Which sections a version of the page adds or removes, read from its own navigation link lists.

The page lists its top-level headings under "On This Page" (just before the body) and a parent's
sub-headings under "In This Section" (right after the parent's heading). Comparing those lists with the spec
tells a new or removed section by name before the walk fails somewhere less helpful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge_builder.curated import SectionSpec
from knowledge_builder.cutting import IN_THIS_SECTION

ON_THIS_PAGE = "On This Page"


@dataclass
class StructureChanges:
    added: list[tuple[str | None, str]] = field(default_factory=list)  # (parent id or None, heading)
    removed: list[SectionSpec] = field(default_factory=list)


def _compare_run(run: str, expected: list[SectionSpec], parent: str | None, changes: StructureChanges) -> None:
    """Match ``expected`` headings in order inside ``run``; what is left between them is new."""
    pos = 0
    for spec in expected:
        found = run.find(spec.heading, pos)
        if found < 0:
            changes.removed.append(spec)
            continue
        if run[pos:found].strip():
            changes.added.append((parent, run[pos:found].strip()))
        pos = found + len(spec.heading)
    rest = run[pos:].strip()
    # After the last heading a parent's own text may follow (it has sentences); a heading has none.
    if rest and not re.search(r"[.:!?](\s|$)", rest):
        changes.added.append((parent, rest))


def _child_run(after: str, children: list[SectionSpec]) -> str:
    """The "In This Section" list at the start of ``after``: it ends where its first heading starts again."""
    first_known = min((after.find(c.heading) for c in children if after.find(c.heading) >= 0), default=-1)
    if first_known < 0:
        return ""
    first_heading = after[:first_known].strip() or next(c.heading for c in children if after.startswith(c.heading))
    end = after.find(first_heading, len(first_heading))
    return after[:end] if end > 0 else after


def structure_changes(normalised: str, body_start_at: int, spec: tuple[SectionSpec, ...]) -> StructureChanges:
    """Sections the page's navigation lists name that the spec lacks (added) and spec sections they lack (removed).

    Top-level sections are checked against "On This Page"; children against their parent's "In This Section"
    list when the page has one (the sub-sections of "About This PDQ Summary" have none: the walk checks them).
    """
    changes = StructureChanges()
    top = [s for s in spec if s.parent is None]
    nav = normalised.rfind(ON_THIS_PAGE, 0, body_start_at)
    if nav >= 0:
        _compare_run(normalised[nav + len(ON_THIS_PAGE) : body_start_at], top, None, changes)
    body = normalised[body_start_at:]
    removed_ids = {s.id for s in changes.removed}
    for parent in top:
        children = [s for s in spec if s.parent == parent.id]
        if not children or parent.id in removed_ids:
            continue
        at = body.find(parent.heading)
        marker = body.find(IN_THIS_SECTION, at)
        if at < 0 or marker < 0 or body[at + len(parent.heading) : marker].strip():
            continue  # no link list right after this heading
        after = body[marker + len(IN_THIS_SECTION) :].lstrip()
        _compare_run(_child_run(after, children), children, parent.id, changes)
    return changes
