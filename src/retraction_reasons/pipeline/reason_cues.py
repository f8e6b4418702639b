"""Reason cues: phrases that state why a notice was issued ("unable to confirm the validity of
the data"), each pointing to a reason group, with a normalised description.

The cues are data: ``data/patterns/reason_cues.jsonl`` (one regular expression a line with its
``group`` and ``norm``). Matches become REASON_CUE spans in ``doc.spans["reason_cues"]`` with
``span._.reason_group``, ``span._.norm`` and ``span._.cue_id``; the classifier uses which cues
fired as features, and the evidence for a reason is the sentence of its cue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .entities import set_entities
from .extensions import CUE_SPANS_KEY, text_of
from .rules import RULE_INDEX_FILE, RuleSet, compile_patterns, read_jsonl, read_rule_index, write_jsonl, write_rule_index

__all__ = ["ReasonCueRuler", "make_reason_cue_ruler", "CUE_LABEL"]

CUE_LABEL = "REASON_CUE"


class ReasonCueRuler:
    """Match the reason-cue patterns and store REASON_CUE spans."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_cues", *,
                 update_ents: bool = True) -> None:
        self.name = name
        self.update_ents = update_ents
        self.records: list[dict[str, Any]] = []
        self._rules = RuleSet([])

    @property
    def groups(self) -> list[str]:
        """The reason groups the cues point to, in first-seen order."""
        return list(dict.fromkeys(r["group"] for r in self.records))

    def add_patterns(self, records: Iterable[dict[str, Any]], *, index: dict[str, dict[str, Any]] | None = None) -> None:
        """Add cue records: ``{"id", "group", "norm", "regex"}``; ``index`` is a saved rule index
        (:func:`.rules.rule_index`) that spares the analysis of the cues it holds."""
        records = list(records)
        for record in records:
            missing = {"id", "group", "norm", "regex"} - set(record)
            if missing:
                raise ValueError(f"[E_CUES] cue {record.get('id')!r} lacks {sorted(missing)}.")
        self.records.extend(records)
        # The cues are short and anchored on their words: the RE2 prefilter costs more than it saves.
        self._rules = RuleSet(compile_patterns(self.records, default_label=CUE_LABEL, index=index), prefilter=False)

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   patterns_dir: str | Path | None = None) -> None:
        """Load ``reason_cues.jsonl`` from ``patterns_dir``."""
        if patterns_dir is not None:
            self.add_patterns(read_jsonl(Path(patterns_dir) / "reason_cues.jsonl"))

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        spans = []
        for match in self._rules.matches(text):
            span = doc.char_span(match.start, match.end, label=CUE_LABEL, alignment_mode="expand")
            if span is None:
                continue
            span._.reason_group = match.pattern.record["group"]
            span._.norm = match.pattern.record["norm"]
            span._.cue_id = match.pattern.id
            spans.append(span)
        # Overlapping matches of the same group are one statement: keep the longest; cues of
        # different groups may overlap ("fabricated images": fabrication and image problems).
        kept = []
        by_group: dict[str, list] = {}
        for span in spans:
            by_group.setdefault(span._.reason_group, []).append(span)
        for group_spans in by_group.values():
            kept.extend(filter_spans(group_spans))
        doc.spans[CUE_SPANS_KEY] = sorted(kept, key=lambda s: (s.start, s.end))
        if self.update_ents:
            set_entities(doc)
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "reason_cues.jsonl", self.records)
        write_rule_index(path / RULE_INDEX_FILE, self._rules.patterns, supersets=False)  # cues run unfiltered

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "ReasonCueRuler":
        self.records = []
        self.add_patterns(read_jsonl(Path(path) / "reason_cues.jsonl"),
                          index=read_rule_index(Path(path) / RULE_INDEX_FILE))
        return self


@Language.factory("retraction_reasons_cues", default_config={"update_ents": True})
def make_reason_cue_ruler(nlp: Language, name: str, update_ents: bool) -> ReasonCueRuler:
    """Factory of :class:`ReasonCueRuler`."""
    return ReasonCueRuler(nlp, name, update_ents=update_ents)
