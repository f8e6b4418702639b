"""Look rather than read: a notice with its entities, notice type and reasons, as a picture.

- :func:`render_html` writes one self-contained HTML page (inline CSS, no external fonts or
  scripts, every text escaped) in displaCy's "span" style: each entity underlined in its
  label's colour with the label at its start, overlapping spans stacked; the sentences given
  as evidence for a reason are shaded, and each reason is listed with its score and its
  evidence, the reason-cue phrases inside it marked.
- :func:`render_terminal` gives the same for a terminal: ANSI colours when asked
  (:func:`use_color`: a TTY and no ``NO_COLOR``), otherwise plain ``[text|LABEL]`` marks.

Both take the notice text and its :class:`~retraction_reasons.result.Result`, so they render a
result read back from JSON as well as a fresh one.

>>> result = rr.classify(text)
>>> Path("notice.html").write_text(render_html(text, result), encoding="utf-8")
>>> print(render_terminal(text, result, color=use_color(sys.stdout)))
"""

from __future__ import annotations

import html
import os
from typing import IO, Iterable, Sequence

from .pipeline.entities import ENTITY_LABELS
from .result import Entity, Result

__all__ = ["render_html", "render_terminal", "use_color", "LABEL_COLOURS"]

#: One colour per label (HTML); light enough for black text, distinct in the underline stack.
LABEL_COLOURS = {
    "NOTICE_DOI": "#7aa6d8",
    "ARTICLE_DOI": "#4f7fc0",
    "JOURNAL": "#e0a030",
    "PUBLISHER": "#c77d1c",
    "ARTICLE_TITLE": "#9b7fd4",
    "AUTHOR": "#3fae6a",
    "DATE": "#8a9aa8",
    "REQUESTER": "#d9534f",
    "INVESTIGATOR": "#b0417d",
    "FIGURE": "#23a3a3",
    "REASON_CUE": "#f06a1d",
}
_ANSI = {
    "NOTICE_DOI": "38;5;75", "ARTICLE_DOI": "38;5;33", "JOURNAL": "38;5;178", "PUBLISHER": "38;5;172",
    "ARTICLE_TITLE": "38;5;141", "AUTHOR": "38;5;35", "DATE": "38;5;246", "REQUESTER": "38;5;203",
    "INVESTIGATOR": "38;5;169", "FIGURE": "38;5;37", "REASON_CUE": "38;5;208",
}
_RANK = {label: i for i, label in enumerate(
    ("NOTICE_DOI", "ARTICLE_DOI", "FIGURE", "DATE", "AUTHOR", "ARTICLE_TITLE", "JOURNAL", "PUBLISHER",
     "INVESTIGATOR", "REQUESTER", "REASON_CUE"))}


def use_color(stream: IO | None) -> bool:
    """Colours only for a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _valid(entities: Iterable[Entity], text: str) -> list[Entity]:
    """Entities that lie inside the text, in a stable order (start, longer first, label)."""
    inside = [e for e in entities if 0 <= e.start < e.end <= len(text)]
    return sorted(inside, key=lambda e: (e.start, -(e.end - e.start), _RANK.get(e.label, 99), e.label))


def _segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """Cut the text at every span edge: ``(start, end, indices of the spans covering it)``."""
    edges = sorted({0, len(text), *(s for s, _ in spans), *(e for _, e in spans)})
    segments = []
    for start, end in zip(edges, edges[1:]):
        if start < end:
            segments.append((start, end, [i for i, (s, e) in enumerate(spans) if s <= start and end <= e]))
    return segments


def _tracks(spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each span the lowest underline track free over its whole length (spans in text order)."""
    ends: list[int] = []  # per track, the end of the last span on it
    tracks = []
    for start, end in spans:
        for track, last_end in enumerate(ends):
            if last_end <= start:
                ends[track] = end
                tracks.append(track)
                break
        else:
            ends.append(end)
            tracks.append(len(ends) - 1)
    return tracks


def _evidence_ranges(result: Result, text: str) -> list[tuple[int, int, str]]:
    ranges = []
    for reason in result.reasons:
        for evidence in reason.evidence_spans:
            if 0 <= evidence.start < evidence.end <= len(text):
                ranges.append((evidence.start, evidence.end, reason.id))
    return ranges


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #222; line-height: 1.5; }
h1 { font-size: 1.3rem; margin-bottom: .3rem; }
.meta { color: #555; font-size: .9rem; margin-bottom: 1rem; }
.type { display: inline-block; background: #333; color: #fff; border-radius: 4px; padding: 1px 8px;
        font-weight: bold; letter-spacing: .02em; }
.flag { display: inline-block; background: #f3d37a; border-radius: 4px; padding: 0 6px; margin-left: .4rem; }
.legend span { display: inline-block; margin: 0 .6rem .3rem 0; font-size: .8rem; }
.legend i { display: inline-block; width: .9rem; height: .35rem; margin-right: .25rem; vertical-align: middle; }
.notice { white-space: pre-wrap; line-height: 2.6; border: 1px solid #ddd; border-radius: 6px; padding: 1rem 1.2rem;
          background: #fff; word-wrap: break-word; }
.ent { border-bottom-style: solid; border-bottom-width: 3px; }
.lab { font-size: .62em; font-weight: bold; color: #fff; border-radius: 3px; padding: 1px 3px; margin-right: 2px;
       vertical-align: .35em; line-height: 1; white-space: nowrap; }
.ev { background: #fff4c2; }
.reasons { margin-top: 1.5rem; }
.reason { border-left: 4px solid #f06a1d; padding: .3rem .8rem; margin: .8rem 0; background: #fafafa; }
.reason .name { font-weight: bold; }
.reason .id { color: #777; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
.bar { display: block; height: 100%; background: #f06a1d; border-radius: 2px; }
.barbox { display: inline-block; width: 8rem; height: .55rem; background: #eee; border-radius: 2px; margin: 0 .4rem;
          vertical-align: middle; overflow: hidden; }
.evidence { margin-top: .3rem; }
.evidence mark { background: #ffd7b8; }
.none { color: #777; font-style: italic; }
"""


def render_html(text: str, result: Result, *, title: str | None = None) -> str:
    """A self-contained HTML page of the notice (see the module docstring)."""
    entities = _valid(result.entities, text)
    evidence = _evidence_ranges(result, text)
    spans = [(e.start, e.end) for e in entities] + [(s, e) for s, e, _ in evidence]
    n_entities = len(entities)
    tracks = _tracks([(e.start, e.end) for e in entities])
    body = []
    open_started: set[int] = set()
    for start, end, covering in _segments(text, spans):
        piece = html.escape(text[start:end])
        entity_ids = [i for i in covering if i < n_entities]
        in_evidence = any(i >= n_entities for i in covering)
        labels = []
        for i in entity_ids:
            if i not in open_started:
                open_started.add(i)
                entity = entities[i]
                tip = html.escape(f"{entity.label}" + (f": {entity.norm}" if entity.norm else ""), quote=True)
                labels.append(f'<span class="lab" style="background:{LABEL_COLOURS.get(entity.label, "#888")}" '
                              f'title="{tip}">{html.escape(entity.label)}</span>')
        inner = "".join(labels) + piece
        # One nested element per covering entity, its underline on the entity's own track, so
        # that overlapping entities stack like displaCy's span style.
        for i in entity_ids:
            colour = LABEL_COLOURS.get(entities[i].label, "#888")
            inner = (f'<span class="ent" style="border-bottom-color:{colour};padding-bottom:{2 + 5 * tracks[i]}px">'
                     f"{inner}</span>")
        if in_evidence:
            inner = f'<span class="ev">{inner}</span>'
        body.append(inner)
    legend = "".join(f'<span><i style="background:{LABEL_COLOURS[label]}"></i>{label}</span>'
                     for label in ENTITY_LABELS if any(e.label == label for e in entities))
    flags = "".join(f'<span class="flag">{html.escape(flag)}</span>' for flag in result.flags)
    model = f"{result.model.get('name', '?')} {result.model.get('version', '')}".strip()
    reasons_html = [_reason_html(text, reason, entities) for reason in result.reasons] or \
        ['<p class="none">No reason reported.</p>']
    heading = html.escape(title or "Retraction notice")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title><style>{_CSS}</style></head><body>",
        f"<h1>{heading}</h1>",
        f'<div class="meta">notice type <span class="type">{html.escape(str(result.notice_type))}</span>{flags}'
        f" &middot; language {html.escape(str(result.language))} &middot; model {html.escape(model)}</div>",
        f'<div class="legend">{legend}</div>',
        f'<div class="notice">{"".join(body)}</div>',
        '<div class="reasons"><h2>Reasons</h2>', *reasons_html, "</div>",
        "</body></html>",
    ]) + "\n"


def _reason_html(text: str, reason, entities: Sequence[Entity]) -> str:
    width = max(0.0, min(1.0, float(reason.score)))
    fallback = ' <span class="flag">no reason passed its threshold</span>' if reason.fallback else ""
    parts = [f'<div class="reason"><span class="name">{html.escape(reason.name)}</span> '
             f'<span class="id">{html.escape(reason.id)}</span>'
             f'<span class="barbox"><span class="bar" style="width:{width * 100:.0f}%"></span></span>'
             f"{reason.score:.2f}{fallback}"]
    for evidence in reason.evidence_spans:
        if not 0 <= evidence.start < evidence.end <= len(text):
            continue
        cues = [(max(e.start, evidence.start), min(e.end, evidence.end)) for e in entities
                if e.label == "REASON_CUE" and e.start < evidence.end and evidence.start < e.end]
        shown = []
        for start, end, covering in _segments(text[evidence.start:evidence.end],
                                              [(s - evidence.start, e - evidence.start) for s, e in cues]):
            piece = html.escape(text[evidence.start + start:evidence.start + end])
            shown.append(f"<mark>{piece}</mark>" if covering else piece)
        parts.append(f'<div class="evidence">&ldquo;{"".join(shown)}&rdquo;</div>')
    if not reason.evidence_spans:
        parts.append('<div class="evidence none">no evidence sentence</div>')
    parts.append("</div>")
    return "".join(parts)


# -- terminal -------------------------------------------------------------------------------------

def _non_overlapping(entities: Sequence[Entity]) -> list[Entity]:
    """The entities to mark in running text: no REASON_CUE, no overlaps (surer labels first)."""
    chosen: list[Entity] = []
    for entity in sorted((e for e in entities if e.label != "REASON_CUE"),
                         key=lambda e: (_RANK.get(e.label, 99), -(e.end - e.start), e.start)):
        if all(entity.end <= other.start or other.end <= entity.start for other in chosen):
            chosen.append(entity)
    return sorted(chosen, key=lambda e: e.start)


def render_terminal(text: str, result: Result, *, color: bool = False) -> str:
    """The notice with its entities marked, then the notice type and each reason with its score
    and evidence (see the module docstring)."""
    entities = _valid(result.entities, text)
    marked = _non_overlapping(entities)
    cue_ranges = [(e.start, e.end) for e in entities if e.label == "REASON_CUE"]
    evidence = [(s, e) for s, e, _ in _evidence_ranges(result, text)]

    def style(codes: list[str], piece: str) -> str:
        return f"\033[{';'.join(codes)}m{piece}\033[0m" if color and codes else piece

    out = []
    position = 0
    for entity in marked:
        out.append(_plain_or_styled(text, position, entity.start, cue_ranges, evidence, style, color))
        piece = text[entity.start:entity.end]
        if color:
            out.append(style(["1", _ANSI.get(entity.label, "39")], piece) + style(["2"], f"⟨{entity.label}⟩"))
        else:
            out.append(f"[{piece}|{entity.label}]")
        position = entity.end
    out.append(_plain_or_styled(text, position, len(text), cue_ranges, evidence, style, color))
    lines = ["".join(out).rstrip(), ""]
    header = f"notice type: {result.notice_type}"
    if result.flags:
        header += f"   flags: {', '.join(result.flags)}"
    lines.append(style(["1"], header))
    if result.reasons:
        lines.append("reasons:")
        for reason in result.reasons:
            tag = " (no reason passed its threshold)" if reason.fallback else ""
            bar = "#" * round(max(0.0, min(1.0, reason.score)) * 10)
            lines.append(f"  {style(['1'], reason.id):<26} {reason.score:.2f} {bar:<10} {reason.name}{tag}")
            for item in reason.evidence_spans:
                if 0 <= item.start < item.end <= len(text):
                    sentence = _plain_or_styled(text, item.start, item.end, cue_ranges, [], style, color, quote=True)
                    lines.append(f"      evidence: \u201c{' '.join(sentence.split())}\u201d")
    else:
        lines.append("reasons: none reported")
    lines.append(f"model: {result.model.get('name')} {result.model.get('version')}")
    return "\n".join(lines)


def _plain_or_styled(text: str, start: int, end: int, cues: list[tuple[int, int]],
                     evidence: list[tuple[int, int]], style, color: bool, *, quote: bool = False) -> str:
    """``text[start:end]`` with reason cues underlined and evidence sentences bold (colour mode),
    or with cues in ``«»`` inside a quoted evidence sentence (plain mode)."""
    if start >= end:
        return ""
    local = [(max(s, start) - start, min(e, end) - start, "cue") for s, e in cues if s < end and start < e]
    local += [(max(s, start) - start, min(e, end) - start, "ev") for s, e in evidence if s < end and start < e]
    piece = text[start:end]
    if not local:
        return piece
    pieces = []
    for seg_start, seg_end, covering in _segments(piece, [(s, e) for s, e, _ in local]):
        kinds = {local[i][2] for i in covering}
        chunk = piece[seg_start:seg_end]
        if color:
            codes = (["4", _ANSI["REASON_CUE"]] if "cue" in kinds else []) + (["1"] if "ev" in kinds else [])
            pieces.append(style(codes, chunk))
        elif quote and "cue" in kinds:
            pieces.append(f"\u00ab{chunk}\u00bb")
        else:
            pieces.append(chunk)
    return "".join(pieces)
