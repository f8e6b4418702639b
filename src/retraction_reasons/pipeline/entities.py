"""Entity rules: DOIs and their roles, journal, publisher, title, authors, dates, requester,
investigator and figure references.

The knowledge is data (``data/patterns/entities.jsonl`` for regular expressions,
``data/patterns/gazetteer.jsonl`` for journal and publisher names); this module only applies
it and resolves what patterns alone cannot:

- a DOI's role: the notice's own DOI (NOTICE_DOI) or the retracted article's (ARTICLE_DOI),
  from the words around it and, with two DOIs, which one is newer; the DOIs of other works (the
  plagiarised source, the duplicate, a list after "the following published articles:") get neither;
- a list matched as one span becomes one span per item: ``"split": "names"`` (one AUTHOR a
  person, titles and affixes removed; APA lists "Smith, J., Doe, A. B., & Roe, C." split one
  person at a time; names in a sentence that introduces another work, such as the plagiarised
  source, are left out), ``"split": "parties"`` (one REQUESTER a party of
  "retracted by agreement between A, B and C", person names left out); ``"split":
  "strip_names"`` keeps one span but cuts a person's name off a role ("Editor John Smith");
- ``"postprocess": "journal"`` sets the edges of a journal name in a citation (words before
  the first known abbreviation dropped, a citation full stop left out);
- ``"propagate": true`` marks the other occurrences of a matched name with the same label;
- ``"priority"`` (default 0, as gazetteer names; propagated names one less) decides between
  overlapping spans of one label, then the longer span wins; ``"reject"`` is a regular expression: a span whose text it finds
  is dropped;
- spans are exact character spans: a token that a span edge cuts ("Q." of "Wan Q.") is split;
- the kind of a REQUESTER (authors, editor, publisher, institution, third_party) in ``span._.norm``.

To add an entity type, add patterns with its label to ``entities.jsonl`` (and, for names, to
``gazetteer.jsonl``), then rebuild the model: no code change is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY, text_of
from .rules import (RULE_INDEX_FILE, RegexPattern, RuleSet, compile_patterns, read_jsonl, read_rule_index,
                    write_jsonl, write_rule_index)
from .sentences import DEFAULT_ABBREVIATIONS

__all__ = ["EntityRuler", "make_entity_ruler", "ENTITY_LABELS", "requester_kind", "select_ents"]

#: The entity labels of the pipeline (REASON_CUE comes from the reason-cue component).
ENTITY_LABELS = (
    "NOTICE_DOI", "ARTICLE_DOI", "JOURNAL", "PUBLISHER", "ARTICLE_TITLE", "AUTHOR", "DATE",
    "REQUESTER", "INVESTIGATOR", "FIGURE", "REASON_CUE",
)

# When spans overlap, doc.ents keeps the one of the earlier label here (span group keeps all).
_PRIORITY = ("NOTICE_DOI", "ARTICLE_DOI", "DOI", "FIGURE", "DATE", "AUTHOR", "ARTICLE_TITLE",
             "JOURNAL", "PUBLISHER", "INVESTIGATOR", "REQUESTER", "REASON_CUE")
_GAZETTEER_PRIORITY = 0

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


@dataclass(frozen=True)
class _Found:
    """A candidate span in characters, before it becomes a ``Span``."""

    start: int
    end: int
    label: str
    record: dict
    priority: int = 0


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
        self._rules = RuleSet([])
        self._rejects: dict[str, re.Pattern] = {}
        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._gazetteer_labels: dict[int, str] = {}
        self._publisher_names: set[str] = set()

    # -- set-up -------------------------------------------------------------------------------
    def add_patterns(self, records: Iterable[dict[str, Any]], *, index: dict[str, dict[str, Any]] | None = None) -> None:
        """Add regular-expression pattern records (see :mod:`.rules`); ``index`` is a saved rule
        index (:func:`.rules.rule_index`) that spares the analysis of the patterns it holds."""
        records = list(records)
        compiled = compile_patterns(records, index=index)
        for pattern in compiled:
            if pattern.record.get("reject"):
                self._rejects[pattern.id] = re.compile(pattern.record["reject"])
        self._patterns.extend(compiled)
        self._rules = RuleSet(self._patterns)
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
        self._publisher_names.update(r["phrase"] for r in records if r["label"] == "PUBLISHER")
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
        found = self._find(text)
        _split_tokens_at(doc, {offset for f in found for offset in (f.start, f.end)})
        spans: list[tuple[Span, int]] = []
        dois: list[Span] = []
        for item in found:
            span = doc.char_span(item.start, item.end, label=item.label)
            if span is None:
                span = doc.char_span(item.start, item.end, label=item.label, alignment_mode="expand")
            if span is None:
                continue
            if item.label == "DOI":
                span._.norm = text[item.start:item.end].lower()
                dois.append(span)
                continue
            if item.label == "REQUESTER":
                span._.norm = item.record.get("norm") or requester_kind(span.text)
            elif item.record.get("norm"):
                span._.norm = item.record["norm"]
            spans.append((span, item.priority))
        for match_id, start, end in self._matcher(doc):
            spans.append((Span(doc, start, end, label=self._gazetteer_labels[match_id]), _GAZETTEER_PRIORITY))
        chosen = _drop_nested_names(_resolve_same_label(spans), self._publisher_names)
        chosen.extend(_assign_doi_roles(doc, dois))
        doc.spans[ENTITY_SPANS_KEY] = sorted(chosen, key=lambda s: (s.start, s.end, s.label_))
        if self.overwrite_ents:
            _set_ents(doc)
        return doc

    def _find(self, text: str) -> list[_Found]:
        """Every candidate span of the regular-expression patterns, in characters."""
        by_pattern: dict[int, list] = {}
        for match in self._rules.matches(text):  # one scan for all patterns, in pattern order
            by_pattern.setdefault(id(match.pattern), []).append(match)
        found: list[_Found] = []
        for pattern_matches in by_pattern.values():
            pattern = pattern_matches[0].pattern
            record = pattern.record
            priority = int(record.get("priority", 0))
            reject = self._rejects.get(pattern.id)
            matches: list[_Found] = []
            for match in pattern_matches:
                split = record.get("split")
                if split == "names":
                    pieces = _name_pieces(text, match.start, match.end)
                elif split == "parties":
                    pieces = _party_pieces(text, match.start, match.end)
                elif split == "strip_names":
                    pieces = [_strip_person_name(text, match.start, match.end)]
                else:
                    start, end = match.start, match.end
                    if pattern.label == "DOI":
                        end = _trim_doi(text, start, end)
                    elif record.get("postprocess") == "journal":
                        bounds = _journal_bounds(text, start, end)
                        if bounds is None:
                            continue
                        start, end = bounds
                    elif record.get("postprocess") == "title" and _titles_other_work(text, start):
                        continue
                    pieces = [(start, end)]
                for start, end in pieces:
                    if end > start and not (reject and reject.search(text[start:end])):
                        matches.append(_Found(start, end, pattern.label, record, priority))
            if record.get("propagate"):
                matches.extend(_propagate(text, matches))
            found.extend(matches)
        return found

    # -- serialisation --------------------------------------------------------------------------
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "entities.jsonl", self.pattern_records)
        write_jsonl(path / "gazetteer.jsonl", self.gazetteer_records)
        write_rule_index(path / RULE_INDEX_FILE, self._patterns)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EntityRuler":
        path = Path(path)
        self.pattern_records, self.gazetteer_records, self._patterns = [], [], []
        self._rules = RuleSet([])
        self._rejects = {}
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._gazetteer_labels = {}
        self._publisher_names = set()
        self.add_patterns(read_jsonl(path / "entities.jsonl"), index=read_rule_index(path / RULE_INDEX_FILE))
        self.add_gazetteer(read_jsonl(path / "gazetteer.jsonl"))
        return self


# -- exact character spans ------------------------------------------------------------------------

def _split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split every token that one of ``offsets`` falls inside, so spans can be exact.

    Only the orthography changes; sentence starts and the text stay as they were.
    """
    if not offsets or not len(doc):
        return
    starts = doc.to_array("IDX").astype("int64")
    inner: dict[int, list[int]] = {}
    for offset in offsets:
        index = int(numpy.searchsorted(starts, offset, side="right")) - 1
        if index < 0 or starts[index] == offset:
            continue
        token = doc[index]
        if offset < token.idx + len(token.text):
            inner.setdefault(index, []).append(offset)
    if not inner:
        return
    with doc.retokenize() as retokenizer:
        for index, cuts in inner.items():
            token = doc[index]
            edges = [token.idx, *sorted(cuts), token.idx + len(token.text)]
            pieces = [token.text[a - token.idx:b - token.idx] for a, b in zip(edges, edges[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))


# -- names ----------------------------------------------------------------------------------------

_NAME_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and|&)\s+|,\s*|\s+(?:and|&|et)\s+|;\s*)")
_NAME_TITLE = re.compile(r"^(?:(?:Drs?|Prof|Professor|Mr|Mrs|Ms|Dr\.-Ing)\.?\s+|(?:Co-?)?[Aa]uthors?\s+(?=[A-Z])|"
                         r"(?:MD|PhD|MBBS|MSc|BSc|BA|MA|MPH|DDS|RN)\s+(?=[A-Z][a-z]))+")  # "..., MD William Rhoades"
_NAME_NOISE_END = re.compile(r"(?:[\s*†‡§¶#]|\d|,)+$")
_NAME_AFFIX = re.compile(r"(?:,?\s+(?:Jr|Sr|Jnr|II|III)\.?|,\s*(?:MD|PhD|M\.D\.?|Ph\.D\.?))$")
# Capitalised words that start a sentence, not a name: "When Charles L. Turnbough, Jr., ..."
_NAME_LEAD = re.compile(r"^(?:When|While|Since|Although|If|Because|Both|Also|Then|Recently|Finally|However|Therefore|"
                        r"Thus|Hence|Unfortunately|Specifically|Moreover|Furthermore|Additionally|Instead|Here|There|"
                        r"Dear|And|But|Or|Only|Even|Later|Subsequently|Meanwhile|Whereas)\s+")
_APA_SURNAME = r"[A-ZÀ-ÖØ-ÞĀ-Ž](?:[^\W\d_]|['’\-‐])+(?:[\s\-][A-ZÀ-ÖØ-ÞĀ-Ž](?:[^\W\d_]|['’\-‐])+)?"
_APA_INITIALS = r"[A-ZÀ-ÖØ-ÞĀ-Ž]\.(?:[\s\-]?[A-ZÀ-ÖØ-ÞĀ-Ž]\.){0,3}"
_APA_NAME = re.compile(rf"{_APA_SURNAME},\s{_APA_INITIALS}")
_APA_LIST = re.compile(rf"{_APA_SURNAME},\s{_APA_INITIALS}(?:(?:,\s(?:&\s|and\s)?|\s(?:&|and)\s){_APA_SURNAME},\s{_APA_INITIALS})+")
_INITIALS_ONLY = re.compile(r"^(?:[A-Z]\.\s?)+$")
_NOT_NAMES = frozenset({"et al", "others", "the authors", "authors", "all", "both", "co-authors"})


def _split_located(text: str, start: int, end: int, separator: re.Pattern) -> Iterator[tuple[int, str]]:
    """The pieces of ``text[start:end]`` between separator matches, each with its offset in ``text``."""
    position = start
    for piece in separator.split(text[start:end]):
        offset = text.find(piece, position, end) if piece else -1
        if offset >= 0:
            position = offset + len(piece)
            yield offset, piece


def _name_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One ``(start, end)`` a person of a list of names, without titles, affixes and marks;
    none when the sentence introduces another work (the plagiarised source, the duplicate)."""
    if _cites_other_work(text, start):
        return []
    if _APA_LIST.fullmatch(text, start, end):  # "Smith, J., Doe, A. B., & Roe, C.": surname and initials
        return [(m.start(), m.end() - (1 if m.group().endswith(".") and not _INITIALS_ONLY.match(m.group()) else 0))
                for m in _APA_NAME.finditer(text, start, end)]
    pieces = []
    for offset, piece in _split_located(text, start, end, _NAME_SEPARATOR):
        name = piece.strip()
        lead = offset + (len(piece) - len(piece.lstrip()))
        lead_word = _NAME_LEAD.match(name)
        if lead_word:
            lead += lead_word.end()
            name = name[lead_word.end():]
        title = _NAME_TITLE.match(name)
        if title:
            lead += title.end()
            name = name[title.end():]
        name = _NAME_NOISE_END.sub("", name)
        name = _NAME_AFFIX.sub("", name)
        if name.endswith(".") and not _INITIALS_ONLY.match(name):
            name = name[:-1]
        name = name.rstrip()
        if (len(name) < 2 or not name[0].isupper() or name.lower() in _NOT_NAMES
                or name.lower().startswith("et al")):
            continue
        pieces.append((lead, lead + len(name)))
    return pieces


def _cites_other_work(text: str, start: int) -> bool:
    """Does the sentence (or list item) before ``start`` introduce another work than the notice's
    article: "overlap with a previously published article ... by", "(ii) DB Longley, ..."?"""
    return _introduces_other_work(_sentences_before(text, start, 300)[-1], text, start)


def _titles_other_work(text: str, start: int) -> bool:
    """Is the title at ``start`` another work's (the plagiarised source, the duplicate)? Its
    sentence, or the one before when the title follows a citation's author list ("copied from
    a 2014 publication: Smith J, Roe A, et al. <title>"), introduces another work."""
    sentences = _sentences_before(text, start, 400)
    context = sentences[-1]
    if len(sentences) > 1 and _AUTHOR_LIST_ONLY.match(context[:-2]):
        context = sentences[-2] + " " + context
    return _introduces_other_work(context, text, start)


def _sentences_before(text: str, start: int, window: int) -> list[str]:
    """The sentences of the line that ends at ``start`` (looking back ``window`` characters); the
    last one includes two characters from ``start``: a span's first letters show where its
    sentence starts."""
    before = text[max(0, start - window):start + 2]
    return _SENTENCE_BREAK.split(before[before.rfind("\n") + 1:])


def _introduces_other_work(context: str, text: str, start: int) -> bool:
    """Does ``context`` (the text before a span at ``start``) introduce another work, or does the
    span stand in a list of other works?"""
    return bool(_OTHER_WORK.search(context) or _OTHER_WORK_NAMED.search(context) or _in_other_work_list(text, start))


# A citation's author list with nothing else: capitalised names, initials, "et al.", "and".
_AUTHOR_LIST_ONLY = re.compile(r"^\s*(?:(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.\-‐]*|et al\.?|and|&)[\s,;]*)*$")


_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)\]\"”’][.!?])\s+(?=[A-Z][a-z])")
# Phrases that introduce the source of copied material before its authors' names.
_OTHER_WORK_NAMED = re.compile(
    r"previously published|published (?:earlier|previously)|(?:material|text|content|sections?|data|images?) "
    r"(?:taken |copied )?from|taken from|"
    r"plagiari[sz]\w*\s(?:(?:[\w-]+\s){0,6}?(?:from|of|by)\b|(?:papers?|articles?|works?|sources?|publications?)\b)",
    re.IGNORECASE)


_PARTY_SEPARATOR = re.compile(r"\s*;\s*(?:and\s+)?|,\s+(?:and\s+)?(?!Ltd|Inc|LLC|GmbH|KGaA|S\.?A\.?\b|AG\b|Co\.)|\s+and\s+(?!Sons|Wilkins|Francis|Technology)")
_ROLE = r"(?:[Cc]hief [Ee]ditor|[Ee]ditors?(?:[- ‐](?:in|In)[- ‐][Cc]hief)?|Co-Editors?-in-Chief)"
_PERSON = r"(?:(?:[Pp]rofessor|Prof\.?|Dr\.?)\s+)?[A-Z][\w'’.‐-]*(?:\s+[A-Z][\w'’.‐-]*){0,4}"
_PERSON_ONLY = re.compile(rf"^{_PERSON}$")
_NAME_AFTER_ROLE = re.compile(rf"^(?P<keep>.*?\b{_ROLE}),?\s+{_PERSON}$")
_ORGANISATION_WORD = re.compile(
    r"\b(?:Ltd|Inc|LLC|GmbH|KGaA|Press|Publish\w*|Journal|Society|Association|University|Institute"
    r"|Wiley|Elsevier|Springer|Sons|Verlag|Group|Media|Editors?|Board|Office|Committee|Publisher)\b")


def _party_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One ``(start, end)`` a party of "by agreement between A, B and C"; person names (the
    editor's) are not parties and are cut off a role ("the Editor-in-Chief Kate Lawrence")."""
    pieces = []
    for offset, piece in _split_located(text, start, end, _PARTY_SEPARATOR):
        party = piece.strip().rstrip(",;")
        lead = offset + (len(piece) - len(piece.lstrip()))
        if not party or (_PERSON_ONLY.match(party) and not _ORGANISATION_WORD.search(party)):
            continue
        named = _NAME_AFTER_ROLE.match(party)
        if named and not _ORGANISATION_WORD.search(party[named.end("keep"):]):
            party = named.group("keep")
        pieces.append((lead, lead + len(party)))
    return pieces


def _strip_person_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A role without the person's name after it: "Editor John H. Krystal" -> "Editor"."""
    named = _NAME_AFTER_ROLE.match(text[start:end])
    if named and not _ORGANISATION_WORD.search(text[start + named.end("keep"):end]):
        return start, start + named.end("keep")
    return start, end


# -- journals -------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(DEFAULT_ABBREVIATIONS) | frozenset(
    "acad acta adv aging agents allergy anat angiol antimicrob arterioscler assoc autoimmun bio "
    "biochim biomater biomol biosci bone br braz can carcinog cardiovasc cereb chemother chin cir "
    "clin commun community compr contemp crit cryst cytol diabetol diagn drug electrophysiol emerg "
    "endocr epidemiol ethnopharmacol evid exp fam fed forensic fr gen geriatr glob hematol hered hist "
    "hosp hum hypertens indian inflamm inform inorg integr intern invest investig ir jpn korean lab "
    "laryngol lat manag med mem ment microsc mol mutat nanomed natl nat neurobiol neuropharmacol "
    "neurosurg nucl obes occup onco oncol orthop otolaryngol paediatr pak patol perspect pharm "
    "pharmaceut photochem photobiol plast pol polym pract prog psychol pulm pulmonol qual rad reprod "
    "resp respir rheumatol saf scand semin sex soc spectrosc stud surf syst tech ther thorac toxicol "
    "transpl trop tumour vasc viral vis zool".split())
_JOURNAL_STOP = re.compile(
    r"^(?:Vol|Vols|Volume|No|Nos|Issue|Figs?|Figures?|Tables?|Suppl|Supplementary|Extended|Data|Pages?|pp|Retraction|"
    r"Correction|Erratum|Corrigendum|Expression|Notice|Published|Article|Citation|Original|Doi|DOI|Epub|In|The|A|An|This|"
    r"See|Editor|Editors|Ref|Refs|Eq|Eqs|Chapter|Section|Part|January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b\.?")


# Two names joined in prose: a journal name does not go on past "and the" or a role.
_JOURNAL_JOIN = re.compile(r"\s(?:and|&)\s(?:the|its|their|our|a|an|all)\s|\s(?:and|&)\s(?:[A-Z][a-z]+\s)*(?:Editors?|Chief|Publishers?)\b")


_SENTENCE_START = frozenset(
    "The This These That We It A An In On As At After Following However Our All He She They Its There "
    "Therefore Thus Furthermore Moreover Additionally Although Since When While".split())
_ALL_CAPS = re.compile(r"^(?:[A-Z]{2,}|and|&),?$")


def _journal_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The edges of a journal name matched before a citation's year or volume (or after
    "published in").

    Words up to a dotted word that is not a known abbreviation belong to the title before
    ("A Case Report. Case Rep Pulmonol." -> "Case Rep Pulmonol"); a name stops at a full stop
    followed by a sentence's first word; upper-case author names before it are dropped
    ("TAO WANG and CHUANZHU YAN Mol Med Rep"); the final full stop is the sentence's or the
    citation's, not the name's, unless the name is a dotted abbreviation ("J. Exp. Med.",
    "Acta Cryst. (2007)", "RSC Adv., 2015").
    """
    span = text[start:end]
    joined = _JOURNAL_JOIN.search(span)  # "Frontiers in Oncology and the Chief Executive Editor of Frontiers"
    if joined:
        span = span[:joined.start()]
    words = list(re.finditer(r"\S+", span))
    for index, word in enumerate(words[:-1]):
        if word.group().endswith(".") and words[index + 1].group() in _SENTENCE_START:
            words = words[:index + 1]
            break
    cut = 0
    for index, word in enumerate(words[:-1]):
        token = word.group()
        if token.endswith(".") and len(token) > 2 and token[:-1].lower() not in _ABBREVIATIONS:
            cut = index + 1
        elif re.fullmatch(r"[A-Z]\.", token) and index and not words[index - 1].group().endswith("."):
            cut = index + 1  # an author's initial: "Varma A. Indian J Orthop"
    words = words[cut:]
    caps = 0
    while caps < len(words) and _ALL_CAPS.match(words[caps].group()):
        caps += 1
    if caps >= 2 and caps < len(words):
        words = words[caps:]
    while words and (not words[0].group()[0].isupper() or _JOURNAL_STOP.match(words[0].group()) and not (
            words[0].group() in ("The", "A") and len(words) > 1 and words[1].group().startswith("Journal"))):
        words = words[1:]
    while words and re.fullmatch(r"(?:Supplement|Suppl\.?|Volume|Vol\.?|Issue|Part|Section)", words[-1].group()):
        words = words[:-1]
    if not words:
        return None
    new_start, new_end = start + words[0].start(), start + words[-1].end()
    glued = re.search(r"(?<=[a-z])\d+$", words[-1].group())  # "Mol Med Rep14: 3634"
    if glued:
        new_end -= len(glued.group())
    name = text[new_start:new_end]
    if name.endswith("."):
        last = name[:-1].split()[-1] if name[:-1].split() else ""
        dotted_inside = "." in name[:-1]
        following = text[new_end:new_end + 2]
        if last.lower() not in _ABBREVIATIONS or (not dotted_inside and not re.match(r"[,;:)]|\s\(", following)):
            new_end -= 1
    name = text[new_start:new_end].rstrip(",;: ")
    if len(name) < 3 or not name[0].isupper():
        return None
    return new_start, new_start + len(name)


# -- propagation and overlaps ---------------------------------------------------------------------

_WORD_CHAR = re.compile(r"[\w.\-‐]")
_NAME_CHAR = re.compile(r"[\w\-‐]")  # a word goes on after the name


def _inside_word(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a longer word (a letter, digit, dot or hyphen touches it)?"""
    return bool((start and _WORD_CHAR.match(text[start - 1])) or (end < len(text) and _NAME_CHAR.match(text[end])))
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’\-]*\s$")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:]\s)[A-Z][\w'’\-]*\s$")
_CAPITALISED_AFTER = re.compile(r"\s(?:[A-Z][a-z]|of [A-Z])")


def _propagate(text: str, matches: list[_Found]) -> list[_Found]:
    """The other occurrences of each matched name (whole words, same case, not inside a longer
    run of capitalised words)."""
    extra = []
    seen = {(m.start, m.end) for m in matches}
    for name, words in _propagated_forms(text, matches):
        if len(words) < 3:
            continue
        position = text.find(words)
        while position >= 0:  # str.find: one C-level scan a name, fast on long texts
            key = (position, position + len(words))
            position = text.find(words, position + 1)
            if key in seen:
                continue
            if _inside_word(text, *key):
                continue
            before = text[max(0, key[0] - 30):key[0]]
            after = text[key[1]:key[1] + 30]
            if _CAPITALISED_BEFORE.search(before) and not _SENTENCE_START_BEFORE.search(before):
                continue  # inside a longer capitalised name
            if (name.label in ("JOURNAL", "PUBLISHER") and _CAPITALISED_AFTER.match(after)
                    and not after.startswith((" Journal ", " Journal.", " Journal,"))):
                continue
            if name.label == "AUTHOR" and _EDITOR_BEFORE.search(before):
                continue  # the same person named as the editor: "the Editor in Chief, <name> (also an author)"
            seen.add(key)
            extra.append(_Found(key[0], key[1], name.label, name.record, name.priority - 1))
    if matches and matches[0].label == "AUTHOR":
        extra.extend(_surnames_alone(text, matches + extra, seen))
    return extra


def _propagated_forms(text: str, matches: list[_Found]) -> Iterator[tuple[_Found, str]]:
    """Each matched name with its text, and an author's name also without the full stops of
    its initials ("Jos. M. J. Lamers" is written "Jos M J Lamers" further on)."""
    for name in {text[m.start:m.end]: m for m in matches}.values():
        words = text[name.start:name.end]
        yield name, words
        if name.label == "AUTHOR" and "." in words:
            dotless = _INITIAL_STOP.sub("", words)
            if dotless != words and " " in dotless:
                yield name, dotless


_INITIAL_STOP = re.compile(r"(?<=\b[A-ZÀ-ÖØ-ÞĀ-Ž])\.|(?<=\b[A-ZÀ-ÖØ-ÞĀ-Ž][a-z]{2})\.(?=\s[A-Z]\.)")
_EDITOR_BEFORE = re.compile(r"\b(?:[Ee]ditor|[Cc]hief)s?,?\s+(?:(?:Dr|Prof|Professor)\.?\s+)?$")
_INITIALS_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž]{1,3}(?:[-‐][A-ZÀ-ÖØ-ÞĀ-Ž])?|(?:[A-ZÀ-ÖØ-ÞĀ-Ž]\.[-‐\s]?)+)$")
_SURNAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’\-‐]{2,}$")
# Where a surname alone names the person: after a title ("Dr Haeryfar"), or as a sentence's subject
# ("Srinivasan takes sole responsibility"), possessive ("Dr. Kim's") or cited ("(Postma et al. 2008)").
_TITLE_BEFORE = re.compile(r"\b(?:Drs?|Prof|Professor|Mr|Mrs|Ms)\.?\s$")
_SUBJECT_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
_SUBJECT_AFTER = re.compile(r"^(?:\s[a-z]|['’]s\b|\set al\b)")


def _surnames_alone(text: str, names: list[_Found], seen: set[tuple[int, int]]) -> list[_Found]:
    """Later mentions of an author by surname only ("Dr Haeryfar", "Srinivasan takes sole
    responsibility"), outside sentences about another work."""
    surnames: dict[str, _Found] = {}
    for name in names:
        words = text[name.start:name.end].split()
        if len(words) < 2:
            continue
        surname = " ".join(words[:-1]) if _INITIALS_WORD.match(words[-1]) else words[-1]
        if _SURNAME.match(surname):
            surnames.setdefault(surname, name)
    extra = []
    taken = [(m.start, m.end) for m in names]
    for surname, name in surnames.items():
        position = text.find(surname)
        while position >= 0:
            key = (position, position + len(surname))
            position = text.find(surname, position + 1)
            if key in seen or any(start < key[1] and key[0] < end for start, end in taken):
                continue
            if _inside_word(text, *key):
                continue
            before, after = text[max(0, key[0] - 30):key[0]], text[key[1]:key[1] + 10]
            if len(surname) < 4 and not _TITLE_BEFORE.search(before):
                continue  # "Kim", "Lee": a name only after "Dr", "Prof"
            if not (_TITLE_BEFORE.search(before) or (_SUBJECT_BEFORE.search(before) or before.endswith("("))
                    and _SUBJECT_AFTER.match(after)):
                continue
            if _EDITOR_BEFORE.search(before) or _cites_other_work(text, key[0]):
                continue
            seen.add(key)
            extra.append(_Found(key[0], key[1], name.label, name.record, name.priority - 1))
    return extra


def _resolve_same_label(spans: list[tuple[Span, int]]) -> list[tuple[Span, int]]:
    """Within one label keep non-overlapping spans: higher priority first, then longer."""
    kept: list[tuple[Span, int]] = []
    by_label: dict[str, list[tuple[Span, int]]] = {}
    for span, priority in spans:
        by_label.setdefault(span.label_, []).append((span, priority))
    for label_spans in by_label.values():
        label_spans.sort(key=lambda item: (-item[1], -(item[0].end_char - item[0].start_char), item[0].start_char))
        taken: list[tuple[Span, int]] = []
        for span, priority in label_spans:
            if all(span.end_char <= other.start_char or other.end_char <= span.start_char for other, _ in taken):
                taken.append((span, priority))
        kept.extend(taken)
    return kept


def _drop_nested_names(spans: list[tuple[Span, int]], publisher_names: set[str]) -> list[Span]:
    """A journal name inside a publisher's ("Diabetes" in "American Diabetes Association") or a
    publisher's inside a journal's ("PLOS" in "PLOS ONE") is part of the longer name; the same
    words found as both are a publisher when the gazetteer knows it as one ("Frontiers")."""
    names = [s for s, _ in spans if s.label_ in ("JOURNAL", "PUBLISHER")]
    kept = []
    for span, _ in spans:
        if span.label_ in ("JOURNAL", "PUBLISHER"):
            size = span.end_char - span.start_char
            beaten = False
            for other in names:
                if other.label_ == span.label_ or not (other.start_char <= span.start_char and span.end_char <= other.end_char):
                    continue
                other_size = other.end_char - other.start_char
                if other_size > size or (other_size == size and span.label_ == "JOURNAL" and other.text in publisher_names):
                    beaten = True
                    break
            if beaten:
                continue
        kept.append(span)
    return kept


# -- DOIs -----------------------------------------------------------------------------------------

def _trim_doi(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_DOI:
        # Keep a closing bracket that belongs to the DOI: 10.1016/S0140-6736(05)...
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


_ARTICLE_CONTEXT = re.compile(
    r"retraction (?:of|to|for|note)\b|retracted article|original (?:research )?article|original citation|article cited|"
    r"cited above|referenced (?:article|manuscript)|published online before print|"
    r"\bet al\b|\(\d{4}\)|\b(?:19|20)\d\d\b[;,.]\s*\d|[A-Z][a-z]+ [A-Z]{1,2}(?:,| and)|"
    r"expression of concern (?:for|about|regarding|to)|correction (?:to|for)\b|the article\b|"
    r"this article\b|\bthe paper\b|entitled|titled|original article",
    re.IGNORECASE,
)
_NOTICE_CONTEXT = re.compile(
    r"(?<!original )citation\b(?=[^\n]*?\b(?:retraction|correction|erratum|corrigendum|expression of concern|withdrawal|this)\b)|"
    r"cite this|this notice|the retraction notice|retraction doi|notice doi|"
    r"this (?:retraction|expression of concern|correction)",
    re.IGNORECASE,
)
# A one-page citation ("2023 Jan;204:171.", "129(1):437.") is a notice's; a page range an article's.
_ONE_PAGE = re.compile(r"[;:]\s?\d+(?:\s?\(\d+\))?:\s?[A-Za-z]?\d+\.?\s*(?:doi:?|DOI:?|https?://\S*doi\.org/)?\s*$")
# A DOI standing as the page of a citation ("J Oral Maxillofac Pathol 2012; 16:10.4103/..."): the notice's own.
_DOI_AS_PAGE = re.compile(r"(?:19|20)\d\d\s?;\s?\d+(?:\s?\(\d+\))?:\s?$")
_PAGE_RANGE = re.compile(r"\d+\s?[–‐\-]\s?\d+\.?\s*[,;]?\s*(?:doi:?|DOI:?|https?://\S*doi\.org/)?\s*$")
# The DOI of another work (the plagiarised source, the duplicate): not an entity of the notice.
_OTHER_WORK = re.compile(
    r"published (?:data )?(?:from|by) (?:a )?different|similar to|identical (?:\w+ ){0,2}?(?:with|to)|overlap(?:ping)? with|"
    r"plagiari[sz]\w* from|copied from|copie conforme|duplicated (?:from|in)|following sources|"
    r"(?:from|in|with|including) the following(?: previously)?(?: published)? (?:articles?|papers?|publications?|works?)|"
    r"from the (?:previously )?published (?:articles?|papers?|works?)|"
    r"(?:Fig(?:ure)?s?\.?|panels?) [\w\-]+(?: \([^)]{0,40}\))? (?:of|in) (?:the )?(?:retracted )?(?:article|paper) [‘'“\"]|"
    r"\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|now-retracted|another (?:article|paper|publication|journal)|"
    r"(?:article|paper|publication)s? by (?:a )?different|other (?:published )?(?:articles?|papers?|publications?)|"
    r"\b(?:a|our|their|his|her) previous(?:ly published)? (?:papers?|articles?|publications?|study|studies|works?|reviews?)|"
    r"\bsubsequent to\b|"
    r"\b(?:the|a|an) (?:(?:19|20)\d\d|earlier|prior) (?:publication|article|paper|study)\b|similarit(?:y|ies) (?:with|to)|"
    r"duplicat(?:e|ion) of (?:the|an?) (?:\w+ ){0,2}?(?:article|paper|publication|study)|with a different title|\bsee also\b|"
    r"duplicat\w* (?:\w+ ){0,3}?(?:of|from) (?:a|an) (?:\w+ ){0,2}?(?:article|paper|publication)|already (?:appeared|been published) in|"
    r"re-?us(?:e|es|ed|ing) (?:\w+ ){0,5}?from (?:a|an|other|previously)\b|"
    r"\b(?:earlier|previous|prior) (?:expression of concern|correction|erratum|corrigendum|notice)",
    re.IGNORECASE,
)
# A list of other works ("material from the following published articles: A. ... doi: ...; B. ... doi: ..."):
# every DOI and author list after it in the paragraph is another work's, until the notice's article
# returns ("[1]", "this article").
_OTHER_WORK_LIST = re.compile(  # matched on the lower-cased paragraph; the word before is checked apart
    r"the following(?: previously)?(?: published)?(?: (?:articles?|papers?|publications?|works?|sources))?\s*:|"
    r"published (?:articles?|papers?|works?) (?:titled|entitled)")
_OTHER_WORK_LIST_LEAD = re.compile(r"(?:from|in|with|including) $|from the (?:previously )?$")
_PUBLISHED_WORK = ("ublished art", "ublished pap", "ublished wor")
_BACK_TO_ARTICLE = re.compile(
    r"\[\s?1\s?\]|\b(?:this|the above|the retracted|the original|original) (?:article|paper)\b|\bretraction (?:of|to|note)\b|"
    r"\bthe article (?:was|is|has)\b|\bthe (?:first |corresponding |senior |last )?(?:co-?)?authors?\b|"
    r"\b(?:Also|Furthermore|Moreover|In addition),",
    re.IGNORECASE)
_DOI_YEAR = re.compile(r"(?<![0-9])(19[89]\d|20[0-4]\d)(?![0-9])")


def _assign_doi_roles(doc: Doc, dois: list[Span]) -> list[Span]:
    """Label each DOI span NOTICE_DOI or ARTICLE_DOI; drop the DOIs of other works."""
    if not dois:
        return []
    text = text_of(doc)
    scores = []
    other: set[str] = set()
    for span in dois:
        before = text[max(0, span.start_char - 400):span.start_char]
        # Look back only to the previous line break: the DOI's own paragraph decides.
        line_start = before.rfind("\n")
        line = before[line_start + 1:] if line_start >= 0 else before
        paragraph = line[-160:]
        sentence = _SENTENCE_BREAK.split(line)[-1]
        if _OTHER_WORK.search(sentence) or _in_other_work_list(text, span.start_char):
            other.add(span._.norm)
        score = 0.0
        if _ARTICLE_CONTEXT.search(paragraph):
            score += 1.0
        if _NOTICE_CONTEXT.search(paragraph):
            score -= 1.5
        citation = paragraph[-70:]
        if _DOI_AS_PAGE.search(citation):
            score -= 2.0
        elif _ONE_PAGE.search(citation):
            score -= 1.5
        elif _PAGE_RANGE.search(citation):
            score += 0.5
        scores.append(score)
    distinct = {span._.norm for span in dois} - other
    years = {span._.norm: _doi_year(span._.norm) for span in dois}
    if len(distinct) >= 2:
        known = {doi: year for doi, year in years.items() if year and doi in distinct}
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
    labelled = []
    for span in dois:
        if span._.norm in other:
            continue
        new = Span(doc, span.start, span.end, label=roles[span._.norm])
        new._.norm = span._.norm
        labelled.append(new)
    return labelled


def _in_other_work_list(text: str, start: int) -> bool:
    """Does the paragraph before ``start`` (a DOI or a list of names) end inside a list of other works?"""
    before = text[max(0, start - 2000):start]
    paragraph = before[before.rfind("\n") + 1:]
    if "ollowing" not in paragraph and not any(words in paragraph for words in _PUBLISHED_WORK):
        return False  # substring tests first: the regex is needed in few paragraphs
    lowered = paragraph.lower()
    listed_end = None
    for listed in _OTHER_WORK_LIST.finditer(lowered):
        if _OTHER_WORK_LIST_LEAD.search(lowered, max(0, listed.start() - 25), listed.start()):
            listed_end = listed.end()
    return listed_end is not None and not _BACK_TO_ARTICLE.search(paragraph, listed_end)


def _doi_year(doi: str) -> int | None:
    found = _DOI_YEAR.search(doi.split("/", 1)[-1])
    return int(found.group(1)) if found else None


# -- doc.ents -------------------------------------------------------------------------------------

def select_ents(spans: Iterable[Span]) -> list[Span]:
    """A non-overlapping selection of ``spans`` for ``doc.ents``: labels earlier in the priority
    order win (a FIGURE inside a REASON_CUE), then longer spans; returned in text order."""
    rank = {label: i for i, label in enumerate(_PRIORITY)}
    ordered = sorted(spans, key=lambda s: (rank.get(s.label_, len(rank)), -(s.end - s.start), s.start))
    taken: set[int] = set()
    chosen = []
    for span in ordered:
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _set_ents(doc: Doc) -> None:
    """Fill ``doc.ents`` with a non-overlapping selection of all entity and cue spans."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, [])) + list(doc.spans.get(CUE_SPANS_KEY, []))
    doc.ents = select_ents(spans)


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
