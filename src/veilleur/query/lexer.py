"""Cutting query text into lexemes, each with the column (1-based) where it starts.

Lexemes: ``(`` and ``)``, the upper-case operators ``AND OR NOT NEAR/n ONEAR/n``, ``-`` in
front of a term or group (negation), quoted phrases (``"…"``, with ``\\"`` for a quote
inside and an optional ``~n`` after), ``field:value`` pairs and bare chunks (words, wildcards,
``#tag``, ``@handle``, ``$CASH``). Lower-case ``and``/``or`` are words: in French « or » is
one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from veilleur.i18n import t
from veilleur.query.errors import QuerySyntaxError

Kind = Literal["(", ")", "AND", "OR", "NOT", "NEAR", "MINUS", "PHRASE", "FIELD", "CHUNK"]

_FIELD = re.compile(r"([A-Za-z_]+):")
_NEAR = re.compile(r"(O?NEAR)(?:/(.*))?")
_STOP = frozenset(' \t\r\n\f\v()"\u00a0\u202f\u2009')
MAX_DISTANCE = 1000


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: Kind
    column: int
    text: str = ""
    number: int | None = None  # NEAR distance, phrase slop
    ordered: bool = False  # ONEAR
    name: str = ""  # field name
    quoted: bool = False  # field value given in quotes
    value_column: int = 0  # where a field's value starts


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The content of the quote opening at ``text[start]`` and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise QuerySyntaxError(t("unterminated quote"), start + 1, t('add the closing "'))


def _read_chunk(text: str, start: int) -> int:
    i = start
    while i < len(text) and text[i] not in _STOP:
        i += 1
    return i


def _number(value: str | None) -> int | None:
    """A distance written in ASCII digits, or None (``²`` is a digit to Python, not here;
    thousands of digits are refused before ``int`` does)."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 6:
        return None
    return int(value)


def _distance(value: str | None, op: str, column: int) -> int:
    number = _number(value)
    if number is None or number > MAX_DISTANCE:
        shown = f"{op}/{value}" if value is not None else op
        raise QuerySyntaxError(
            t("bad {op} distance '{shown}'", op=op, shown=shown),
            column,
            t(
                "write {op}/n with n a whole number from 0 to {max}, e.g. {op}/5",
                op=op,
                max=MAX_DISTANCE,
            ),
        )
    return number


def lex(text: str) -> list[Lexeme]:
    """The lexemes of ``text``; raises :class:`QuerySyntaxError` on a malformed one."""
    out: list[Lexeme] = []
    i = 0
    while i < len(text):
        char = text[i]
        column = i + 1
        if char in _STOP and char not in '()"':
            i += 1
        elif char in "()":
            out.append(Lexeme(char, column))  # type: ignore[arg-type]
            i += 1
        elif char == '"':
            content, i = _read_quoted(text, i)
            slop = None
            if i < len(text) and text[i] == "~":
                end = _read_chunk(text, i + 1)
                value = text[i + 1 : end]
                number = _number(value)
                if number is None or number > MAX_DISTANCE:
                    raise QuerySyntaxError(
                        t("bad proximity distance '~{value}'", value=value),
                        i + 1,
                        t(
                            'write "words"~n with n a whole number from 0 to {max}',
                            max=MAX_DISTANCE,
                        ),
                    )
                slop, i = number, end
            out.append(Lexeme("PHRASE", column, text=content, number=slop))
        elif char == "-":  # at the start of a chunk: a hyphen inside a word stays there
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt == "" or (nxt in _STOP and nxt not in '("'):
                raise QuerySyntaxError(
                    t("'-' must be followed by a term or a group"), column, t("write -word or -(…)")
                )
            out.append(Lexeme("MINUS", column))
            i += 1
        else:
            end = _read_chunk(text, i)
            chunk = text[i:end]
            out.append(_classify(text, chunk, column, end))
            if out[-1].quoted:
                _, end = _read_quoted(text, end)
            i = end
    return out


def _classify(text: str, chunk: str, column: int, end: int) -> Lexeme:
    if chunk in ("AND", "OR", "NOT"):
        return Lexeme(chunk, column)  # type: ignore[arg-type]
    near = _NEAR.fullmatch(chunk)
    if near:
        op = near.group(1)
        return Lexeme(
            "NEAR", column, number=_distance(near.group(2), op, column), ordered=op == "ONEAR"
        )
    field = _FIELD.match(chunk)
    if field:
        name = field.group(1).lower()
        value = chunk[field.end() :]
        if value == "" and end < len(text) and text[end] == '"':
            content, _ = _read_quoted(text, end)
            return Lexeme(
                "FIELD", column, text=content, name=name, quoted=True, value_column=end + 1
            )
        return Lexeme("FIELD", column, text=value, name=name, value_column=column + field.end())
    return Lexeme("CHUNK", column, text=chunk)
