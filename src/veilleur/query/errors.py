"""The one error a query can raise: what was wrong, the column where, and what to write."""

from __future__ import annotations

from veilleur.errors import UsageError
from veilleur.i18n import t


class QuerySyntaxError(UsageError):
    """A query that cannot be parsed. ``column`` is 1-based; the CLI exits with status 2.

    The message reads ``<what> at column <n>``, e.g. ``unclosed parenthesis at column 14``,
    followed by a hint when there is a likely fix (``: write NEAR/n, e.g. NEAR/5``), in the
    language current where it is raised: ``reason`` and ``hint`` come already translated
    (``t(...)``), the frame around them is translated here.
    """

    def __init__(self, reason: str, column: int, hint: str | None = None) -> None:
        self.column = column
        self.reason = reason
        self.hint = hint
        if hint:
            message = t(
                "{reason} at column {column}: {hint}", reason=reason, column=column, hint=hint
            )
        else:
            message = t("{reason} at column {column}", reason=reason, column=column)
        super().__init__(message)
