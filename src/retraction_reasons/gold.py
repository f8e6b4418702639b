"""The entity gold set: hand-annotated spans of real notices, joined with their texts.

A gold file (``data/gold/dev.jsonl``, ``data/gold/test.jsonl``) holds one line a notice::

    {"id": "web-0137", "source": "modern_notices.jsonl", "text_sha256": "…",
     "notice_type": "retraction", "spans": [{"start": 0, "end": 11, "label": "REQUESTER"}, …]}

Only offsets are stored: the texts are third-party and stay in the corpora folder
(``retraction_reasons._resources.corpora_dir()``). :func:`load_gold` joins each line with its
text and refuses a text whose sha256 differs from the one the annotations were made on, since
the offsets would then point at the wrong characters. :func:`gold_docbin` converts the joined
notices to a spaCy ``DocBin``: every span in ``doc.spans["retraction_entities"]``, a
non-overlapping selection in ``doc.ents``, the notice type in ``doc._.notice_type`` and
``doc.user_data["gold"]``.

>>> notices = load_gold("data/gold/dev.jsonl")
>>> notices[0].span_texts()[:2]          # [('REQUESTER', 'The journal'), ('JOURNAL', 'Biology Open')]
>>> gold_docbin(rr.load(), notices).to_disk("dev.spacy")
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from . import _resources
from .errors import TrainingDataError
from .pipeline.entities import ENTITY_LABELS, select_ents
from .pipeline.extensions import ENTITY_SPANS_KEY
from .pipeline.notice_type import NOTICE_TYPES

__all__ = [
    "GoldSpan",
    "GoldNotice",
    "GoldDataError",
    "GoldTextChangedError",
    "GOLD_SOURCES",
    "text_sha256",
    "read_gold_records",
    "load_gold",
    "write_gold",
    "corpus_texts",
    "gold_doc",
    "gold_docs",
    "gold_docbin",
    "check_spans",
]

#: The corpus files gold notices are drawn from.
GOLD_SOURCES = ("notices.jsonl", "modern_notices.jsonl", "notices_unlabelled.jsonl")
#: Key of ``doc.user_data`` holding ``{"id", "source", "notice_type"}`` on a gold ``Doc``.
GOLD_USER_DATA_KEY = "gold"


class GoldDataError(TrainingDataError):
    """A gold file that cannot be read or joined with its texts."""

    code = "RR310"


class GoldTextChangedError(GoldDataError):
    """The text of a gold notice is not the one it was annotated on."""

    code = "RR311"

    def __init__(self, notice_id: str, source: str, where: Path, expected: str, found: str) -> None:
        super().__init__(
            f"gold notice {notice_id} ({source}): its text in {where} has changed since it was "
            f"annotated (sha256 {found[:12]}…, annotated on {expected[:12]}…), so the gold offsets "
            "would point at the wrong characters. Use the corpus version the gold set was made on, "
            "or re-annotate the notice and rebuild the gold files (training/build_gold.py)."
        )


@dataclass(frozen=True, order=True)
class GoldSpan:
    """One annotated span: character offsets into the notice text and a label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class GoldNotice:
    """One annotated notice; ``text`` is set once joined with the corpora (:func:`load_gold`)."""

    id: str
    source: str
    text_sha256: str
    notice_type: str
    spans: tuple[GoldSpan, ...]
    text: str | None = field(default=None, repr=False, compare=False)

    def span_texts(self) -> list[tuple[str, str]]:
        """``(label, text)`` of every span, in text order (needs the joined text)."""
        if self.text is None:
            raise GoldDataError(f"gold notice {self.id} is not joined with its text: use load_gold().")
        return [(span.label, self.text[span.start:span.end]) for span in self.spans]

    def to_record(self) -> dict[str, Any]:
        """The JSON line of the gold file (offsets only, never the text)."""
        return {
            "id": self.id,
            "source": self.source,
            "text_sha256": self.text_sha256,
            "notice_type": self.notice_type,
            "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in sorted(self.spans)],
        }


def text_sha256(text: str) -> str:
    """The sha256 (hex) of a text's UTF-8 bytes: the fingerprint gold annotations carry."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_gold_records(path: str | Path) -> list[GoldNotice]:
    """Read a gold file without joining the texts (fields and labels are checked)."""
    path = Path(path)
    if not path.is_file():
        raise GoldDataError(f"no gold file at {path}: pass data/gold/dev.jsonl or data/gold/test.jsonl.")
    notices = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                notice = GoldNotice(
                    id=str(record["id"]),
                    source=str(record["source"]),
                    text_sha256=str(record["text_sha256"]),
                    notice_type=str(record["notice_type"]),
                    spans=tuple(sorted(GoldSpan(int(s["start"]), int(s["end"]), str(s["label"]))
                                       for s in record["spans"])),
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
                raise GoldDataError(f"{where} is not a gold line with id, source, text_sha256, notice_type "
                                    f"and spans [{{start, end, label}}]: {err}") from err
            if notice.notice_type not in NOTICE_TYPES:
                raise GoldDataError(f"{where}: notice_type {notice.notice_type!r} is not one of {', '.join(NOTICE_TYPES)}.")
            unknown = sorted({s.label for s in notice.spans} - set(ENTITY_LABELS))
            if unknown:
                raise GoldDataError(f"{where}: unknown labels {unknown}; the labels are {', '.join(ENTITY_LABELS)}.")
            notices.append(notice)
    return notices


def corpus_texts(corpora_dir: str | Path | None = None,
                 sources: Iterable[str] = GOLD_SOURCES) -> dict[tuple[str, str], str]:
    """The notice texts of the corpus files, keyed by ``(source file, id)``."""
    corpora = Path(corpora_dir) if corpora_dir is not None else _resources.corpora_dir()
    texts: dict[tuple[str, str], str] = {}
    for source in sources:
        path = corpora / source
        if not path.is_file():
            raise GoldDataError(
                f"corpus file {path} not found: the gold set joins its offsets with the third-party "
                f"texts, which are not shipped. Pass --corpora DIR or set {_resources.CORPORA_ENV}.")
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    texts[(source, str(row["id"]))] = row["text"]
    return texts


def check_spans(text: str, spans: Iterable[GoldSpan], where: str) -> None:
    """Raise :class:`GoldDataError` unless every span lies inside ``text``, is not empty, does not
    start or end in white space, and spans of one label do not overlap."""
    by_label: dict[str, list[GoldSpan]] = {}
    for span in spans:
        if not 0 <= span.start < span.end <= len(text):
            raise GoldDataError(f"{where}: span {span} lies outside the text ({len(text)} characters).")
        if text[span.start].isspace() or text[span.end - 1].isspace():
            raise GoldDataError(f"{where}: span {span} starts or ends in white space.")
        by_label.setdefault(span.label, []).append(span)
    for label, label_spans in by_label.items():
        label_spans.sort()
        for before, after in zip(label_spans, label_spans[1:]):
            if after.start < before.end:
                raise GoldDataError(f"{where}: {label} spans {before} and {after} overlap.")


def load_gold(path: str | Path, corpora_dir: str | Path | None = None, *,
              texts: dict[tuple[str, str], str] | None = None) -> list[GoldNotice]:
    """Read a gold file and join each notice with its text from the corpora folder.

    Raises :class:`GoldTextChangedError` when a text's sha256 differs from the annotated one,
    :class:`GoldDataError` when a notice or the corpora are missing or a span is invalid.
    """
    records = read_gold_records(path)
    corpora = Path(corpora_dir) if corpora_dir is not None else _resources.corpora_dir()
    if texts is None:
        texts = corpus_texts(corpora, sorted({r.source for r in records}))
    joined = []
    for record in records:
        text = texts.get((record.source, record.id))
        if text is None:
            raise GoldDataError(f"gold notice {record.id} is not in {corpora / record.source}: "
                                "use the corpus version the gold set was made on.")
        found = text_sha256(text)
        if found != record.text_sha256:
            raise GoldTextChangedError(record.id, record.source, corpora / record.source, record.text_sha256, found)
        check_spans(text, record.spans, f"{path}: {record.id}")
        joined.append(GoldNotice(record.id, record.source, record.text_sha256, record.notice_type,
                                 record.spans, text))
    return joined


def write_gold(path: str | Path, notices: Iterable[GoldNotice]) -> Path:
    """Write a gold file: one JSON line a notice, offsets only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for notice in notices:
            handle.write(json.dumps(notice.to_record(), ensure_ascii=False) + "\n")
    return path


def _reference_words(nlp: Language, text: str, cuts: set[int]) -> tuple[list[str], list[bool]]:
    """The pipeline's tokens of ``text``, split further at every offset in ``cuts``, so that
    every gold span falls on token boundaries and aligns exactly with the pipeline's tokens."""
    words: list[str] = []
    spaces: list[bool] = []
    for token in nlp.make_doc(text):
        start, end = token.idx, token.idx + len(token.text)
        inner = sorted(c for c in cuts if start < c < end)
        for piece_start, piece_end in zip([start, *inner], [*inner, end]):
            words.append(text[piece_start:piece_end])
            spaces.append(False)
        spaces[-1] = bool(token.whitespace_)
    return words, spaces


def gold_doc(nlp: Language, notice: GoldNotice, extra_cuts: Iterable[int] = ()) -> Doc:
    """The reference ``Doc`` of a joined gold notice: tokens of ``nlp``, split at the span edges
    (and at ``extra_cuts``, e.g. the edges of predicted spans, so that scoring aligns exactly)."""
    if notice.text is None:
        raise GoldDataError(f"gold notice {notice.id} is not joined with its text: use load_gold().")
    cuts = {offset for span in notice.spans for offset in (span.start, span.end)} | set(extra_cuts)
    words, spaces = _reference_words(nlp, notice.text, cuts)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    spans: list[Span] = []
    for gold in notice.spans:
        span = doc.char_span(gold.start, gold.end, label=gold.label)
        if span is None:  # pragma: no cover - the cuts make every span token-aligned
            raise GoldDataError(f"gold notice {notice.id}: span {gold} does not align with tokens.")
        spans.append(span)
    doc.spans[ENTITY_SPANS_KEY] = spans
    doc.ents = select_ents(spans)
    doc._.notice_type = notice.notice_type
    doc.user_data[GOLD_USER_DATA_KEY] = {"id": notice.id, "source": notice.source,
                                         "notice_type": notice.notice_type}
    return doc


def gold_docs(nlp: Language, notices: Sequence[GoldNotice]) -> list[Doc]:
    """:func:`gold_doc` of every notice."""
    return [gold_doc(nlp, notice) for notice in notices]


def gold_docbin(nlp: Language, notices: Sequence[GoldNotice]) -> DocBin:
    """A ``DocBin`` of the gold notices (spans, ents and user data kept)."""
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
    for doc in gold_docs(nlp, notices):
        docbin.add(doc)
    return docbin
