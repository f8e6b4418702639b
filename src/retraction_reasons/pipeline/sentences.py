"""Sentence boundaries tuned for notices.

spaCy's rule-based ``sentencizer`` splits after every full stop, which cuts citations
("Front. Cell Dev. Biol. 9:607001", "Wei H. et al.") into pieces. The evidence for a reason is a
sentence, so this splitter only ends a sentence at ``.!?`` followed by white space and an
upper-case letter, digit or quote, and not after a known abbreviation or an initial; a line
break always ends a sentence.
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import text_of

__all__ = ["NoticeSentences", "make_notice_sentences"]

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

#: Words that end in a full stop without ending a sentence: reference and journal
#: abbreviations (lower case, without the full stop).
DEFAULT_ABBREVIATIONS = (
    "al fig figs no nos vol vols pp p ed eds dr prof mr ms mrs st ref refs suppl eq e.g i.e "
    "vs cf ca approx etc inc ltd co corp dept univ jan feb mar apr jun jul aug sep sept oct nov "
    "dec front biol dev cell mol med sci res int nat proc acad natl chem pharm clin rep oncol "
    "lett biochem biophys immunol neurosci physiol exp ther eur am soc rev nucleic acids j "
    "pharmacol toxicol endocrinol metab genet cancer surg dis infect microbiol virol neurol "
    "psychiatry cardiol gastroenterol hepatol nephrol urol dermatol ophthalmol pediatr obstet "
    "gynecol anesth anaesth radiol pathol comput eng environ appl phys mater struct crystallogr "
    "cryst sect ecol evol bull ann arch adv curr opin trends syst biomed biotechnol bioeng "
    "bioinform stat math anal commun transl prev public health nutr food agric vet dent oral "
    "rehabil sports mech electr opt technol nanotechnol"
).split()


class NoticeSentences:
    """Set ``token.is_sent_start`` from text-level boundaries."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_sentences", *,
                 abbreviations: Iterable[str] = DEFAULT_ABBREVIATIONS) -> None:
        self.name = name
        self.abbreviations = frozenset(a.lower() for a in abbreviations)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        text = text_of(doc)
        # Token starts as an array: no Python loop over tokens (notices can be long).
        token_starts = doc.to_array("IDX")
        flags = numpy.full(len(doc), -1, dtype="int32")  # -1: not a sentence start
        flags[0] = 1
        for match in _BOUNDARY.finditer(text):
            end = match.end()
            if end >= len(text):
                continue
            if not match.group().startswith("\n") and self._after_abbreviation(text, match.start()):
                continue
            index = int(numpy.searchsorted(token_starts, end))
            if index < len(doc) and token_starts[index] == end:
                flags[index] = 1
        doc.from_array(["SENT_START"], flags.astype("uint64").reshape(-1, 1))
        return doc

    def _after_abbreviation(self, text: str, stop: int) -> bool:
        """Whether the full stop ending at ``stop`` closes an abbreviation or an initial."""
        before = text[max(0, stop - 24):stop]
        trimmed = before.rstrip("\"'”’)]")
        found = _WORD_BEFORE.search(trimmed)
        if not found:
            return False
        word = found.group(1)
        if len(word) == 1 and word.isupper():
            return True  # an initial: "Wei H. Wang J."
        return word.lower().rstrip(".") in self.abbreviations

    def to_disk(self, path, exclude=()):  # settings live in the config
        pass

    def from_disk(self, path, exclude=()):
        return self


@Language.factory(
    "retraction_reasons_sentences",
    default_config={"abbreviations": list(DEFAULT_ABBREVIATIONS)},
)
def make_notice_sentences(nlp: Language, name: str, abbreviations: list[str]) -> NoticeSentences:
    """Factory of :class:`NoticeSentences`."""
    return NoticeSentences(nlp, name, abbreviations=abbreviations)
