"""The text core: pure functions every pillar uses to read a post's text.

    extract(text) -> Entities            hashtags, mentions, URLs, cashtags, reply mention
    count(text, network) -> Count        length as each network counts it
    fold(text) -> str                    lower-case, accents removed
    tokenize(text) -> list[Token]        words, hashtags, mentions, URLs, cashtags
    stem(word, lang) -> str              Snowball stem of the folded word (fr, en)
    detect_language(text) -> str         "fr", "en" or "und"
    stopwords(lang) / is_stopword(w, l)  function words, auxiliaries, modals, calendar

No I/O: the only files read are data shipped with packages (word lists, language model).
"""

from veilleur.text.counting import NETWORKS, Count, count
from veilleur.text.entities import Entities, Entity
from veilleur.text.extractor import extract
from veilleur.text.language import detect_language
from veilleur.text.normalize import fold
from veilleur.text.segment import Piece, segment_hashtag
from veilleur.text.stemming import normalize_lang, stem
from veilleur.text.stoplists import is_stopword, stopwords
from veilleur.text.tokens import Token, tokenize, words

__all__ = [
    "NETWORKS",
    "Count",
    "Entities",
    "Entity",
    "Piece",
    "Token",
    "count",
    "detect_language",
    "extract",
    "fold",
    "is_stopword",
    "normalize_lang",
    "segment_hashtag",
    "stem",
    "stopwords",
    "tokenize",
    "words",
]
