"""The text core: pure functions every pillar uses to read a post's text.

    extract(text) -> Entities            hashtags, mentions, URLs, cashtags, reply mention
    count(text, network) -> Count        length as each network counts it
    fold(text) -> str                    lower-case, accents removed
    tokenize(text) -> list[Token]        words, hashtags, mentions, URLs, cashtags
    scan(text)                           tokenize's words and entities, for an index (fast)
    stem(word, lang) -> str              Snowball stem of the folded word (fr, en)
    detect_language(text) -> str         "fr", "en", "es", "pt", "it", "de", "nl" or "und"
    resolve_language(declared, text, title) -> Language
                                         a post's effective language, and where it comes from
    stopwords(lang) / is_stopword(w, l)  function words, auxiliaries, modals, calendar

No I/O: the only files read are data shipped with packages (word lists, language model).
"""

from veilleur.text.counting import NETWORKS, Count, count
from veilleur.text.entities import Entities, Entity
from veilleur.text.extractor import extract
from veilleur.text.language import Language, detect_language, language_code, resolve_language
from veilleur.text.normalize import fold
from veilleur.text.segment import Piece, segment_hashtag
from veilleur.text.stemming import normalize_lang, stem
from veilleur.text.stoplists import is_stopword, stopwords
from veilleur.text.tokens import Token, scan, tokenize, words

__all__ = [
    "NETWORKS",
    "Count",
    "Entities",
    "Entity",
    "Language",
    "Piece",
    "Token",
    "count",
    "detect_language",
    "extract",
    "fold",
    "is_stopword",
    "language_code",
    "normalize_lang",
    "resolve_language",
    "scan",
    "segment_hashtag",
    "stem",
    "stopwords",
    "tokenize",
    "words",
]
