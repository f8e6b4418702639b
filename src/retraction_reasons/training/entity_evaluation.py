"""Score the entity spans of a pipeline against the gold set.

Two ways of matching a predicted span with a gold span of the same label:

- **exact**: same start and end character (spaCy's ``Scorer.score_spans`` over
  ``doc.spans["retraction_entities"]`` plus ``doc.spans["reason_cues"]``);
- **overlap** (token overlap): the two spans share at least one character, hence at least one
  token. Within a notice and a label, predicted and gold spans are paired one to one, largest
  overlap first: each gold span is matched at most once and each predicted span at most once.
  Precision = matched predicted spans / predicted spans, recall = matched gold spans / gold spans.

Besides the per-label table: ``DOI (any role)`` scores NOTICE_DOI and ARTICLE_DOI as one label;
the notice-type accuracy compares ``doc._.notice_type`` with the gold type; the DOI-role
accuracy is, among the gold DOIs the pipeline found (any predicted DOI overlapping them), the
share given the right role (NOTICE_DOI or ARTICLE_DOI).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from spacy.language import Language
from spacy.scorer import PRFScore, Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..gold import GoldNotice, GoldSpan, gold_doc
from ..pipeline.entities import ENTITY_LABELS
from ..pipeline.extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY

__all__ = [
    "evaluate_entities",
    "score_entities",
    "predicted_spans",
    "match_overlap",
    "entity_errors",
    "MATCH_MODES",
    "ANY_DOI",
]

MATCH_MODES = ("exact", "overlap")
DOI_LABELS = ("NOTICE_DOI", "ARTICLE_DOI")
#: Row of the report that scores both DOI labels as one.
ANY_DOI = "DOI (any role)"


def predicted_spans(doc: Doc) -> list[GoldSpan]:
    """The entity and reason-cue spans of a processed ``Doc`` as character spans (deduplicated)."""
    found = {GoldSpan(span.start_char, span.end_char, span.label_)
             for key in (ENTITY_SPANS_KEY, CUE_SPANS_KEY) for span in doc.spans.get(key, [])}
    return sorted(found)


def _all_spans(doc: Doc, attr: str) -> list[Span]:
    return list(doc.spans.get(ENTITY_SPANS_KEY, [])) + list(doc.spans.get(CUE_SPANS_KEY, []))


def _any_doi_spans(doc: Doc, attr: str) -> list[Span]:
    return [Span(doc, s.start, s.end, label="DOI") for s in _all_spans(doc, attr) if s.label_ in DOI_LABELS]


def match_overlap(gold: Sequence[GoldSpan], predicted: Sequence[GoldSpan]) -> list[tuple[GoldSpan, GoldSpan]]:
    """One-to-one pairs of overlapping spans (same label assumed), largest overlap first."""
    candidates = []
    for g in gold:
        for p in predicted:
            shared = min(g.end, p.end) - max(g.start, p.start)
            if shared > 0:
                candidates.append((-shared, g, p))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    used_gold: set[GoldSpan] = set()
    used_pred: set[GoldSpan] = set()
    pairs = []
    for _, g, p in candidates:
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        pairs.append((g, p))
    return pairs


def _by_label(spans: Iterable[GoldSpan], merge_doi: bool = False) -> dict[str, list[GoldSpan]]:
    grouped: dict[str, list[GoldSpan]] = {}
    for span in spans:
        if merge_doi:
            if span.label not in DOI_LABELS:
                continue
            span = GoldSpan(span.start, span.end, "DOI")
        grouped.setdefault(span.label, []).append(span)
    return grouped


def _prf(score: PRFScore) -> dict[str, float | int]:
    return {"precision": score.precision, "recall": score.recall, "f1": score.fscore,
            "tp": score.tp, "fp": score.fp, "fn": score.fn}


def _count(gold: Sequence[GoldNotice], predicted: Sequence[list[GoldSpan]], merge_doi: bool
           ) -> dict[str, dict[str, PRFScore]]:
    """tp/fp/fn per label and match mode."""
    scores: dict[str, dict[str, PRFScore]] = {}
    for notice, pred in zip(gold, predicted):
        gold_by = _by_label(notice.spans, merge_doi)
        pred_by = _by_label(pred, merge_doi)
        for label in set(gold_by) | set(pred_by):
            g, p = gold_by.get(label, []), pred_by.get(label, [])
            row = scores.setdefault(label, {mode: PRFScore() for mode in MATCH_MODES})
            exact = len(set(g) & set(p))
            row["exact"] += PRFScore(tp=exact, fp=len(set(p)) - exact, fn=len(set(g)) - exact)
            overlap = len(match_overlap(g, p))
            row["overlap"] += PRFScore(tp=overlap, fp=len(p) - overlap, fn=len(g) - overlap)
    return scores


def score_entities(nlp: Language, docs: Sequence[Doc], gold: Sequence[GoldNotice], *,
                   with_errors: bool = False) -> dict[str, Any]:
    """The report of processed ``docs`` against the joined ``gold`` notices (same order).

    Returns ``{"n_notices", "labels": {label: {"support", "predicted", "exact": {precision,
    recall, f1, tp, fp, fn}, "overlap": {...}}}, "micro": {"exact", "overlap"},
    "notice_type": {"accuracy", "correct", "n", "confusion"}, "doi_role": {"accuracy", "correct",
    "found", "gold"}}`` and, with ``with_errors``, ``"errors"`` (see :func:`entity_errors`).
    """
    if len(docs) != len(gold):
        raise ValueError("docs and gold notices differ in number")
    predicted = [predicted_spans(doc) for doc in docs]
    # The reference tokens are cut at every gold and predicted span edge: spans align exactly.
    examples = [Example(doc, gold_doc(nlp, notice, {o for p in pred for o in (p.start, p.end)}))
                for doc, notice, pred in zip(docs, gold, predicted)]
    # spaCy's scorer gives the exact-span figures; the counts below give support and the overlap mode.
    spacy_exact = Scorer.score_spans(examples, "spans", getter=_all_spans, allow_overlap=True)
    spacy_doi = Scorer.score_spans(examples, "spans", getter=_any_doi_spans, allow_overlap=True)
    per_type = {**(spacy_exact.get("spans_per_type") or {}),
                **{ANY_DOI: v for v in (spacy_doi.get("spans_per_type") or {}).values()}}
    counts = _count(gold, predicted, merge_doi=False)
    counts.update({ANY_DOI: v for v in _count(gold, predicted, merge_doi=True).values()})
    labels: dict[str, Any] = {}
    for label in (*ENTITY_LABELS, ANY_DOI):
        row = counts.get(label, {mode: PRFScore() for mode in MATCH_MODES})
        exact = _prf(row["exact"])
        if label in per_type:  # the same figures, as computed by spaCy
            exact.update(precision=per_type[label]["p"], recall=per_type[label]["r"], f1=per_type[label]["f"])
        labels[label] = {"support": row["exact"].tp + row["exact"].fn,
                         "predicted": row["exact"].tp + row["exact"].fp,
                         "exact": exact, "overlap": _prf(row["overlap"])}
    micro = {}
    for mode in MATCH_MODES:
        total = PRFScore()
        for label in ENTITY_LABELS:
            if label in counts:
                total += counts[label][mode]
        micro[mode] = _prf(total)
    type_pairs = [(notice.notice_type, doc._.notice_type) for doc, notice in zip(docs, gold)]
    correct_types = sum(g == p for g, p in type_pairs)
    role_found = role_correct = role_gold = 0
    for notice, pred in zip(gold, predicted):
        pred_dois = [p for p in pred if p.label in DOI_LABELS]
        for g in (s for s in notice.spans if s.label in DOI_LABELS):
            role_gold += 1
            hits = [p for p in pred_dois if min(g.end, p.end) > max(g.start, p.start)]
            if hits:
                role_found += 1
                role_correct += all(p.label == g.label for p in hits)
    report: dict[str, Any] = {
        "n_notices": len(gold),
        "labels": labels,
        "micro": micro,
        "notice_type": {
            "accuracy": correct_types / len(gold) if gold else None,
            "correct": correct_types,
            "n": len(gold),
            "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(Counter(type_pairs).items()) if g != p},
        },
        "doi_role": {"accuracy": role_correct / role_found if role_found else None,
                     "correct": role_correct, "found": role_found, "gold": role_gold},
    }
    if with_errors:
        report["errors"] = [entity_errors(notice, pred, doc._.notice_type)
                            for notice, pred, doc in zip(gold, predicted, docs)]
    return report


def evaluate_entities(nlp: Language, gold: Sequence[GoldNotice], *, batch_size: int = 32,
                      with_errors: bool = False) -> dict[str, Any]:
    """Run ``nlp`` over the gold texts and score it (see :func:`score_entities`)."""
    docs = list(nlp.pipe([notice.text for notice in gold], batch_size=batch_size))
    return score_entities(nlp, docs, gold, with_errors=with_errors)


def entity_errors(notice: GoldNotice, predicted: Sequence[GoldSpan], predicted_type: str | None
                  ) -> dict[str, Any]:
    """The exact-span errors of one notice, per label: ``boundary`` (a gold and a predicted span
    overlap but differ), ``missed`` (gold only) and ``false`` (predicted only)."""
    rows = []
    gold_by = _by_label(notice.spans)
    pred_by = _by_label(predicted)
    for label in ENTITY_LABELS:
        gold_only = sorted(set(gold_by.get(label, [])) - set(pred_by.get(label, [])))
        pred_only = sorted(set(pred_by.get(label, [])) - set(gold_by.get(label, [])))
        pairs = match_overlap(gold_only, pred_only)
        paired_gold = {g for g, _ in pairs}
        paired_pred = {p for _, p in pairs}
        rows += [{"label": label, "kind": "boundary", "gold": g, "predicted": p} for g, p in pairs]
        rows += [{"label": label, "kind": "missed", "gold": g, "predicted": None}
                 for g in gold_only if g not in paired_gold]
        rows += [{"label": label, "kind": "false", "gold": None, "predicted": p}
                 for p in pred_only if p not in paired_pred]
    rows.sort(key=lambda r: ((r["gold"] or r["predicted"]).start, r["label"]))
    return {"id": notice.id, "source": notice.source, "notice_type": notice.notice_type,
            "predicted_type": predicted_type, "spans": rows}
