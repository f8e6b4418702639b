"""Entity rules: DOIs and their roles, journal, publisher, title, authors, dates, requester,
investigator and figure references.

The knowledge is data (``data/patterns/entities.jsonl`` for regular expressions,
``data/patterns/gazetteer.jsonl`` for journal and publisher names); this module only applies
it and resolves what patterns alone cannot:

- a DOI's role: the notice's own DOI (NOTICE_DOI) or the retracted article's (ARTICLE_DOI),
  from the words around it and, with two DOIs, which one is newer;
- a list of names matched as one span (``"split": "names"``) becomes one AUTHOR span a person;
- the kind of a REQUESTER (authors, editor, publisher, institution, third_party) in ``span._.norm``.

To add an entity type, add patterns with its label to ``entities.jsonl`` (and, for names, to
``gazetteer.jsonl``), then rebuild the model: no code change is needed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY, text_of
from .rules import RegexPattern, compile_patterns, read_jsonl, write_jsonl

__all__ = ["EntityRuler", "make_entity_ruler", "ENTITY_LABELS", "requester_kind"]

#: The entity labels of the pipeline (REASON_CUE comes from the reason-cue component).
ENTITY_LABELS = (
    "NOTICE_DOI", "ARTICLE_DOI", "JOURNAL", "PUBLISHER", "ARTICLE_TITLE", "AUTHOR", "DATE",
    "REQUESTER", "INVESTIGATOR", "FIGURE", "REASON_CUE",
)

# When spans overlap, doc.ents keeps the one of the earlier label here (span group keeps all).
_PRIORITY = ("NOTICE_DOI", "ARTICLE_DOI", "DOI", "FIGURE", "DATE", "AUTHOR", "ARTICLE_TITLE",
             "JOURNAL", "PUBLISHER", "INVESTIGATOR", "REQUESTER", "REASON_CUE")

_NAME_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and|&)\s+|,\s*|\s+(?:and|&)\s+|;\s*)")
_NAME_TITLE = re.compile(r"^(?:Drs?\.?|Prof\.?|Professor|Mr\.?|Mrs\.?|Ms\.?)\s+")
_TRAILING_DOI = ".,;:)]}>'\"”’*"

_REQUESTER_KINDS = (
    ("authors", ("author", "co-author", "coauthor", "investigator")),
    ("editor", ("editor", "journal", "editorial", "chief")),
    ("publisher", ("publisher", "press", "publishing", "wiley", "springer", "elsevier", "frontiers",
                   "biomed central", "bmc", "plos", "hindawi", "taylor", "sage", "mdpi")),
    ("institution", ("universit", "institut", "college", "hospital", "committee", "office",
                     "ministry", "council", "foundation", "government", "school", "centre", "center",
                     "agency", "court")),
)


def requester_kind(text: str) -> str:
    """The kind of requester a phrase names: authors, editor, publisher, institution or third_party."""
    lowered = text.lower()
    for kind, words in _REQUESTER_KINDS:
        if any(word in lowered for word in words):
            return kind
    return "third_party"


class EntityRuler:
    """Find the entities of a notice with regular expressions and gazetteers."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_entities", *,
                 overwrite_ents: bool = True) -> None:
        self.nlp = nlp
        self.name = name
        self.overwrite_ents = overwrite_ents
        self.pattern_records: list[dict[str, Any]] = []
        self.gazetteer_records: list[dict[str, Any]] = []
        self._patterns: list[RegexPattern] = []
        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._gazetteer_labels: dict[int, str] = {}

    # -- set-up -------------------------------------------------------------------------------
    def add_patterns(self, records: Iterable[dict[str, Any]]) -> None:
        """Add regular-expression pattern records (see :mod:`.rules`)."""
        records = list(records)
        self._patterns.extend(compile_patterns(records))
        self.pattern_records.extend(records)

    def add_gazetteer(self, records: Iterable[dict[str, Any]]) -> None:
        """Add name records ``{"label": "JOURNAL", "phrase": "BMC Cancer"}`` (case-sensitive)."""
        records = [r for r in records if r.get("phrase") and r.get("label")]
        by_label: dict[str, list[str]] = {}
        for record in records:
            by_label.setdefault(record["label"], []).append(record["phrase"])
        for label, phrases in by_label.items():
            key = f"gazetteer:{label}"
            self._matcher.add(key, list(self.nlp.tokenizer.pipe(phrases)))
            self._gazetteer_labels[self.nlp.vocab.strings[key]] = label
        self.gazetteer_records.extend(records)

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   patterns_dir: str | Path | None = None) -> None:
        """Load ``entities.jsonl`` and ``gazetteer.jsonl`` from ``patterns_dir``."""
        if patterns_dir is not None:
            patterns_dir = Path(patterns_dir)
            self.add_patterns(read_jsonl(patterns_dir / "entities.jsonl"))
            gazetteer = patterns_dir / "gazetteer.jsonl"
            if gazetteer.exists():
                self.add_gazetteer(read_jsonl(gazetteer))

    # -- work ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        spans: list[Span] = []
        dois: list[Span] = []
        lowered = text.lower()
        for pattern in self._patterns:
            for match in pattern.finditer(text, lowered):
                record = pattern.record
                if record.get("split") == "names":
                    spans.extend(self._split_names(doc, match.start, match.end, pattern.label))
                    continue
                start, end = match.start, match.end
                if pattern.label == "DOI":
                    end = _trim_doi(text, start, end)
                span = doc.char_span(start, end, label=pattern.label, alignment_mode="expand")
                if span is None:
                    continue
                if pattern.label == "DOI":
                    span._.norm = text[start:end].lower()
                    dois.append(span)
                    continue
                if pattern.label == "REQUESTER":
                    span._.norm = record.get("norm") or requester_kind(span.text)
                elif record.get("norm"):
                    span._.norm = record["norm"]
                spans.append(span)
        for match_id, start, end in self._matcher(doc):
            spans.append(Span(doc, start, end, label=self._gazetteer_labels[match_id]))
        spans.extend(_assign_doi_roles(doc, dois))
        spans = _dedupe_same_label(spans)
        doc.spans[ENTITY_SPANS_KEY] = sorted(spans, key=lambda s: (s.start, s.end, s.label_))
        if self.overwrite_ents:
            _set_ents(doc)
        return doc

    def _split_names(self, doc: Doc, start: int, end: int, label: str) -> list[Span]:
        text = text_of(doc)
        spans = []
        position = start
        chunk_text = text[start:end]
        for piece in _NAME_SEPARATOR.split(chunk_text):
            offset = text.find(piece, position, end) if piece else -1
            if offset < 0:
                continue
            position = offset + len(piece)
            name = piece.strip()
            title = _NAME_TITLE.match(name)
            lead = offset + (len(piece) - len(piece.lstrip())) + (title.end() if title else 0)
            name = name[title.end():] if title else name
            name = name.rstrip(" .")
            if len(name) < 2 or not any(ch.isupper() for ch in name) or name.lower() in ("et al", "others"):
                continue
            span = doc.char_span(lead, lead + len(name), label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        return spans

    # -- serialisation --------------------------------------------------------------------------
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "entities.jsonl", self.pattern_records)
        write_jsonl(path / "gazetteer.jsonl", self.gazetteer_records)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EntityRuler":
        path = Path(path)
        self.pattern_records, self.gazetteer_records, self._patterns = [], [], []
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.add_patterns(read_jsonl(path / "entities.jsonl"))
        self.add_gazetteer(read_jsonl(path / "gazetteer.jsonl"))
        return self


def _trim_doi(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_DOI:
        # Keep a closing bracket that belongs to the DOI: 10.1016/S0140-6736(05)...
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


_ARTICLE_CONTEXT = re.compile(
    r"retraction (?:of|to|for)\b|retracted article|original (?:research )?article|article cited|"
    r"cited above|referenced (?:article|manuscript)|published online before print|"
    r"\bet al\b|\(\d{4}\)|\b(?:19|20)\d\d\b[;,.]\s*\d|[A-Z][a-z]+ [A-Z]{1,2}(?:,| and)|"
    r"expression of concern (?:for|about|regarding)|correction (?:to|for)\b|the article\b|"
    r"this article\b|\bthe paper\b|entitled|titled",
    re.IGNORECASE,
)
_NOTICE_CONTEXT = re.compile(
    r"^\s*(?:retraction|retraction note|retraction notice|notice of retraction|expression of concern|"
    r"correction|erratum|corrigendum|withdrawal)\s*[:\-–]|citation|cite this|this notice|"
    r"the retraction notice|retraction doi|notice doi",
    re.IGNORECASE,
)
_DOI_YEAR = re.compile(r"(?<![0-9])(19[89]\d|20[0-4]\d)(?![0-9])")


def _assign_doi_roles(doc: Doc, dois: list[Span]) -> list[Span]:
    """Label each DOI span NOTICE_DOI or ARTICLE_DOI."""
    if not dois:
        return []
    text = text_of(doc)
    scores = []
    for span in dois:
        before = text[max(0, span.start_char - 160):span.start_char]
        # Look back only to the previous line break: the DOI's own paragraph decides.
        line_start = before.rfind("\n")
        paragraph = before[line_start + 1:] if line_start >= 0 else before
        score = 0.0
        if _ARTICLE_CONTEXT.search(paragraph):
            score += 1.0
        if _NOTICE_CONTEXT.search(paragraph):
            score -= 1.5
        scores.append(score)
    distinct = {span._.norm for span in dois}
    years = {span._.norm: _doi_year(span._.norm) for span in dois}
    if len(distinct) >= 2:
        known = {doi: year for doi, year in years.items() if year}
        if len(known) >= 2 and len(set(known.values())) >= 2:
            newest = max(known.values())
            for i, span in enumerate(dois):
                year = years[span._.norm]
                if year == newest:
                    scores[i] -= 1.0
                elif year:
                    scores[i] += 1.0
    # The same DOI keeps one role: the mean of its scores decides.
    by_doi: dict[str, list[float]] = {}
    for span, score in zip(dois, scores):
        by_doi.setdefault(span._.norm, []).append(score)
    roles = {}
    for doi, values in by_doi.items():
        mean = sum(values) / len(values)
        roles[doi] = "ARTICLE_DOI" if mean >= 0 else "NOTICE_DOI"
    if len(distinct) >= 2 and len(set(roles.values())) == 1:
        # Two DOIs, one role: the first in the text is the notice's own when it leads a header.
        pass
    labelled = []
    for span in dois:
        new = Span(doc, span.start, span.end, label=roles[span._.norm])
        new._.norm = span._.norm
        labelled.append(new)
    return labelled


def _doi_year(doi: str) -> int | None:
    found = _DOI_YEAR.search(doi.split("/", 1)[-1])
    return int(found.group(1)) if found else None


def _dedupe_same_label(spans: list[Span]) -> list[Span]:
    """Within one label keep the longest of overlapping spans."""
    kept: list[Span] = []
    by_label: dict[str, list[Span]] = {}
    for span in spans:
        by_label.setdefault(span.label_, []).append(span)
    for label_spans in by_label.values():
        kept.extend(filter_spans(label_spans))
    return kept


def _set_ents(doc: Doc) -> None:
    """Fill ``doc.ents`` with a non-overlapping selection of all entity and cue spans."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, [])) + list(doc.spans.get(CUE_SPANS_KEY, []))
    rank = {label: i for i, label in enumerate(_PRIORITY)}
    spans.sort(key=lambda s: (rank.get(s.label_, len(rank)), -(s.end - s.start), s.start))
    taken = set()
    chosen = []
    for span in spans:
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(span)
    doc.ents = sorted(chosen, key=lambda s: s.start)


@Language.factory(
    "retraction_reasons_entities",
    default_config={"overwrite_ents": True},
)
def make_entity_ruler(nlp: Language, name: str, overwrite_ents: bool) -> EntityRuler:
    """Factory of :class:`EntityRuler`."""
    return EntityRuler(nlp, name, overwrite_ents=overwrite_ents)


def set_entities(doc: Doc) -> None:
    """Recompute ``doc.ents`` from the span groups (after the cue component has run)."""
    _set_ents(doc)
