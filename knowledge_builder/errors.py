"""The one error the builder raises."""

from __future__ import annotations


class KnowledgeBuildError(Exception):
    """The source, the curated inputs or the generated files disagree; the message says where and why.

    ``problems`` lists every problem found (a build reports all it can before failing); ``section`` is the
    spec section the walk was in when the source and the spec disagreed, if that is where it failed.
    """

    def __init__(self, problems: str | list[str], *, section: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.section = section
        super().__init__("\n".join(self.problems))
