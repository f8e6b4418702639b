"""Is the notice in English? A stop-word test, cheap and good enough for notices.

A notice in another language gets ``doc._.language = "non-en"`` and the flag ``non_english``:
the classifier's cues and vocabulary are English, so it reports no reasons rather than invent them.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import text_of

__all__ = ["LanguageCheck", "make_language_check", "looks_english"]

_ENGLISH = frozenset(
    "the of and to in a is was were that this for with by be are has have been as on it its "
    "from at or which not an we our their they these article data authors paper journal".split()
)
_OTHER = frozenset(
    # French, German, Spanish, Portuguese, Italian function words
    "le la les des du une et est dans pour par sur que qui pas cet cette "
    "der die das und ist nicht mit von den dem ein eine zu auf für wurde werden "
    "el los las del una por para con que está fue es se lo "
    "os das uma não foi pelo pela com "
    "il della delle degli che per una sono".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def looks_english(text: str, min_words: int = 8) -> bool:
    """Whether ``text`` reads as English (texts under ``min_words`` words count as English)."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < min_words:
        return True
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _OTHER for w in words)
    return english >= 0.08 * len(words) and english >= other


class LanguageCheck:
    """Set ``doc._.language`` and flag non-English notices."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_language", *, min_words: int = 8) -> None:
        self.name = name
        self.min_words = min_words

    def __call__(self, doc: Doc) -> Doc:
        english = looks_english(text_of(doc), self.min_words)
        doc._.language = "en" if english else "non-en"
        if not english and "non_english" not in doc._.flags:
            doc._.flags = [*doc._.flags, "non_english"]
        return doc


@Language.factory("retraction_reasons_language", default_config={"min_words": 8})
def make_language_check(nlp: Language, name: str, min_words: int) -> LanguageCheck:
    """Factory of :class:`LanguageCheck`."""
    return LanguageCheck(nlp, name, min_words=min_words)
