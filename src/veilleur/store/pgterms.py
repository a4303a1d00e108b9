"""What PostgreSQL's search index holds of a post: its ``tsvector``, as text (issue 17).

A module of its own, light (no SQLAlchemy, no store): an import's analysis worker
(:mod:`veilleur.store.prepared`) loads it to compute :func:`terms_of` ahead of the
PostgreSQL store, as it loads :mod:`veilleur.store.search_sqlite` for SQLite's. Renaming
:func:`terms_of` must follow in :meth:`veilleur.store.postgres.PostgresStore.analysis_pool`.

:func:`terms_of` reads the post by chunks (:func:`veilleur.query.analysis.index_terms`, the
path SQLite's index takes: each chunk analysed once per process); tests/test_pg_terms.py
holds it equal to the same ``tsvector`` built from
:func:`veilleur.query.analysis.analyze` (the code that built the index before).
"""

from __future__ import annotations

from itertools import pairwise

from veilleur.query.analysis import index_terms


def _lexeme(kind: str, token: str) -> str:
    """``kind:token`` quoted as a ``tsvector`` or ``tsquery`` literal takes it."""
    return _quoted(f"{kind}:{token}")


def _quoted(lexeme: str) -> str:
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


class _Lexemes(dict[str, str]):
    """Tokens of one kind → their lexeme, quoted for a ``tsvector`` literal (``'fr:emploi'``);
    an empty token → ``""`` (left out). Bounded: a corpus's vocabulary is small, and a
    lexeme is built once per process rather than once per post."""

    LIMIT = 200_000

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, token: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        found = self[token] = _lexeme(self.kind, token) if token else ""
        return found


# The kinds of lexemes: the index's columns (search_sqlite.FTS_COLUMNS) merged, title and
# text alike ("w" for "w" and "tw", …).
_KINDS = ("w", "fr", "en", "tags", "ment", "cash", "dom", "meta")
_LEXEMES = {kind: _Lexemes(kind) for kind in _KINDS}

POSITIONS_SETTING = "search.pg_positions"  # how far every tsvector gives positions:
WORD_POSITIONS = 1  # its words' (``w:``), for phrases
STEM_POSITIONS = 2  # and its stems' (``fr:``/``en:``), for NEAR and words of several tokens
PAIRS = 3  # and a lexeme for each two words in a row (``p:``), for phrases of common words
POSITIONS = PAIRS  # what :func:`terms_of` writes today
_MAX_POSITION = 16_000  # PostgreSQL clamps positions at 16,383
_MAX_REPEATS = 255  # and keeps 256 positions per lexeme
_POS = [str(i) for i in range(_MAX_POSITION + 2)]
LONG = _lexeme("meta", "longpos")  # a post too long for positions (see terms_of)
_LINK = _lexeme("meta", "link")


def positions_level(setting: str | None) -> int:
    """The level a :data:`POSITIONS_SETTING` value says (0: none, or not a number)."""
    return int(setting) if setting is not None and setting.isdigit() else 0


def _tokens(joined: str) -> list[str]:
    """The tokens of one of :func:`index_terms`' values (space-separated; no token holds
    a space, as no token holds a separator)."""
    return joined.split(" ") if joined else []


SHORT = 2
"""A pair is indexed when one of its words has at most this many characters (see
:func:`paired`)."""


def paired(first: str, second: str) -> bool:
    """Whether the pair of these two words (tokens) has a lexeme of its own: when one of
    them is short — « de », « l' », « d' », « la », « le », « à », « en », « of », « to »,
    « in »: words found in every post, which make the phrases the positions alone decide
    slowly. A pair of longer words is left out: posts holding both are fewer, and words
    such as « réseaux sociaux » mostly stand together where they stand at all (the search
    finds them walking by date). Measured (benchmarks/README.md): every pair cost +72 % on
    the search table of a million posts; those with a word of at most three characters
    (« les », « the », « and » too) +35 % and ~14 µs a post of PostgreSQL's CPU at ingest;
    of at most two, +22 % and ~8 µs, for the same phrase figure."""
    return bool(first and second) and (len(first) <= SHORT or len(second) <= SHORT)


def pair(first: str, second: str) -> str:
    """The lexeme of two words in a row (tokens), quoted: ``'p:salon de'`` (no token holds
    a space)."""
    return _lexeme("p", f"{first} {second}")


def _pairs(tokens: list[str], quoted: list[str]) -> list[str]:
    """The lexemes of the :func:`paired` words in a row among ``tokens``, built from their
    quoted ``w:`` lexemes (``'w:salon'``: the token, already escaped, stands between the
    third and the last character)."""
    return [
        f"'p:{quoted[i][3:-1]} {quoted[i + 1][3:-1]}'"
        for i, (a, b) in enumerate(pairwise(tokens))
        if paired(a, b)
    ]


def terms_of(text: str, title: str | None, lang: str | None) -> str:
    """The ``tsvector`` (as text) of a post: the tokens of its index row
    (:func:`veilleur.query.analysis.index_terms`), each as ``kind:token``.

    Words (``w:``) and stems (``fr:``/``en:``, aligned with the words) carry their
    positions — the text's from 1, the title's after a gap of one, so that no phrase spans
    both — for phrases and proximity (``<->``, ``<N>``, see
    :func:`veilleur.store.postgres.candidates`). A post too long for PostgreSQL's positions
    (over 16,000 words, or one word or stem over 255 times) gives them without positions
    and the lexeme ``meta:longpos``, which the queries using positions also select.

    Two words in a row (in the text, or in the title), one of them short (:func:`paired`),
    also give a lexeme without positions, ``p:`` and the two words (``'p:salon de'``): the
    index's GIN knows no positions, so a phrase of words found everywhere (« salon de
    l'emploi ») would have every post holding them fetched and rechecked; requiring its
    pairs too leaves the few that hold them in a row
    (:func:`veilleur.store.postgres.candidates`). Not in a post too long for positions
    (its phrases are found by their words).

    The same lexemes and positions as the ``tsvector`` built from
    :func:`veilleur.query.analysis.analyze` (tests/test_pg_terms.py holds it): the lexemes
    with positions in the same order, those without (entities, pairs, ``meta:``) in a fixed
    order where that one gives a set's order — PostgreSQL sorts them anyway."""
    w, wfr, wen, tw, tfr, ten, tags, ment, cash, dom, meta = index_terms(text, title, lang)
    table = _LEXEMES
    body = _tokens(w)
    head = _tokens(tw)
    # index_terms gives a reading's stems only when the post is read in it, and then one
    # stem per word (an empty stem is an empty token): a reading is "fr stems present".
    stems = [(table[r], s, t) for r, s, t in (("fr", wfr, tfr), ("en", wen, ten)) if s or t]
    plain: list[str] = []
    for kind, joined in (("tags", tags), ("ment", ment), ("cash", cash), ("dom", dom)):
        if joined:
            plain.extend(map(table[kind].__getitem__, joined.split(" ")))
    if meta:
        plain.append(_LINK)
    title_at = len(body) + 2
    long = title_at + len(head) - 1 > _MAX_POSITION
    text_part = ""
    if not long:
        # Each lexeme in the order placed and its position: the words of the text from 1,
        # of the title from title_at, then each reading's stems at their words' (what
        # the analyze()-based reference's loop gives, built with few Python steps a token).
        words = table["w"].__getitem__
        seq = list(map(words, body))
        at = _POS[1 : len(body) + 1]
        if head:
            seq += map(words, head)
            at += _POS[title_at : title_at + len(head)]
        for lexemes, in_text, in_title in stems:
            if in_text:
                tokens = in_text.split(" ")
                seq += map(lexemes.__getitem__, tokens)
                at += _POS[1 : len(tokens) + 1]
            if in_title:
                tokens = in_title.split(" ")
                seq += map(lexemes.__getitem__, tokens)
                at += _POS[title_at : title_at + len(tokens)]
        placed: dict[str, str] = {}  # lexeme -> its positions, in the order first placed
        get = placed.get
        for lexeme, position in zip(seq, at, strict=True):
            found = get(lexeme)
            placed[lexeme] = position if found is None else found + "," + position
        placed.pop("", None)
        if len(seq) > _MAX_REPEATS:  # only then can a lexeme have too many positions
            long = any(v.count(",") >= _MAX_REPEATS for v in placed.values())
        text_part = " ".join(map(":".join, placed.items()))
        if not long:
            plain.extend(_pairs(body, seq))
            if head:
                plain.extend(_pairs(head, seq[len(body) :]))
    if long:
        every = dict.fromkeys(plain)
        words = table["w"].__getitem__
        every.update(dict.fromkeys(map(words, body)))
        every.update(dict.fromkeys(map(words, head)))
        for lexemes, in_text, in_title in stems:
            every.update(dict.fromkeys(map(lexemes.__getitem__, _tokens(in_text))))
            every.update(dict.fromkeys(map(lexemes.__getitem__, _tokens(in_title))))
        every.pop("", None)
        every[LONG] = None
        return " ".join(every)
    plain = [p for p in plain if p]
    if not plain:
        return text_part
    if not text_part:
        return " ".join(dict.fromkeys(plain))
    return text_part + " " + " ".join(dict.fromkeys(plain))
