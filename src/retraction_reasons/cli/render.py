"""Human-readable rendering of a result for the terminal."""

from __future__ import annotations

from ..result import Result

__all__ = ["render_text"]


def render_text(result: Result, source: str = "", *, show_header: bool = False) -> str:
    """A few lines: notice type, reasons with score and evidence, entities by label."""
    lines = []
    if show_header:
        lines.append(f"== {source}")
    lines.append(f"notice type: {result.notice_type}")
    if result.flags:
        lines.append(f"flags: {', '.join(result.flags)}")
    if result.reasons:
        lines.append("reasons:")
        for reason in result.reasons:
            tag = " (no reason passed its threshold)" if reason.fallback else ""
            lines.append(f"  {reason.id:<26} {reason.score:.2f}  {reason.name}{tag}")
            if reason.evidence:
                lines.append(f"      evidence: \"{reason.evidence.strip()}\"")
    else:
        lines.append("reasons: none reported")
    by_label: dict[str, list[str]] = {}
    for entity in result.entities:
        if entity.label == "REASON_CUE":
            continue
        values = by_label.setdefault(entity.label, [])
        text = " ".join(entity.text.split())
        if text not in values:
            values.append(text)
    if by_label:
        lines.append("entities:")
        for label, values in by_label.items():
            shown = "; ".join(v if len(v) <= 80 else v[:77] + "..." for v in values)
            lines.append(f"  {label:<14} {shown}")
    cues = [e for e in result.entities if e.label == "REASON_CUE"]
    if cues:
        lines.append("reason cues:")
        for cue in cues:
            lines.append(f"  {cue.norm}: \"{' '.join(cue.text.split())}\"")
    lines.append(f"model: {result.model.get('name')} {result.model.get('version')}")
    return "\n".join(lines)
