"""Rules as data: regular-expression patterns read from JSONL, matched over a notice's text.

A pattern is one JSON object::

    {"id": "figure.ref", "label": "FIGURE", "regex": "...", "case_sensitive": false,
     "norm": "...", "group": "...", "split": "names"}

``regex`` is Python ``re`` syntax. If it has a named group ``span``, that group is the span;
otherwise the whole match is. The other keys are carried to the span (``norm``, ``group``) or
tell the entity component how to post-process it (``split``). Matches are character offsets;
the components align them to tokens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

try:  # Python >= 3.11
    from re import _constants as _sre_constants, _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["RegexPattern", "RegexMatch", "compile_patterns", "required_literals", "read_jsonl", "write_jsonl"]


@dataclass(frozen=True)
class RegexPattern:
    """A compiled pattern and the fields of its JSON record."""

    id: str
    label: str
    regex: re.Pattern
    record: dict[str, Any] = field(repr=False, hash=False, compare=False)
    #: One of these lower-case strings must occur in a text for the pattern to match (None: no
    #: such filter could be derived). Checking them first makes hundreds of patterns cheap.
    required: tuple[str, ...] | None = field(default=None, compare=False)

    def could_match(self, lowered_text: str) -> bool:
        """Cheap necessary condition: does the lower-cased text hold a required literal?"""
        return self.required is None or any(lit in lowered_text for lit in self.required)

    def finditer(self, text: str, lowered_text: str | None = None) -> Iterator["RegexMatch"]:
        if lowered_text is not None and not self.could_match(lowered_text):
            return
        for match in self.regex.finditer(text):
            if "span" in self.regex.groupindex and match.group("span") is not None:
                start, end = match.span("span")
            else:
                start, end = match.span()
            # Spans never start or end in white space.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                yield RegexMatch(start, end, self)


@dataclass(frozen=True)
class RegexMatch:
    start: int
    end: int
    pattern: RegexPattern


def compile_patterns(records: Iterable[dict[str, Any]], default_label: str | None = None) -> list[RegexPattern]:
    """Compile pattern records; raises ``ValueError`` naming the pattern that does not compile."""
    compiled = []
    for number, record in enumerate(records, start=1):
        label = record.get("label", default_label)
        pattern_id = record.get("id") or f"{label}.{number}"
        if not label or "regex" not in record:
            raise ValueError(f"[E_RULES] pattern {pattern_id!r} needs a 'label' and a 'regex'.")
        flags = 0 if record.get("case_sensitive") else re.IGNORECASE
        try:
            regex = re.compile(record["regex"], flags)
        except re.error as err:
            raise ValueError(f"[E_RULES] pattern {pattern_id!r} does not compile: {err}") from err
        compiled.append(RegexPattern(pattern_id, label, regex, dict(record), required_literals(regex.pattern, flags)))
    return compiled


_MIN_LITERAL = 3


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case strings of which at least one occurs in every match of ``pattern``.

    Derived from the parsed regular expression: a literal run outside optional parts, or one
    per alternative of a branch. ``None`` when no such set of strings of three or more
    characters exists.
    """
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # pragma: no cover - compile() already validated the pattern
        return None
    found = _required(list(parsed))
    return tuple(sorted(found)) if found else None


def _required(items: list) -> set[str] | None:
    c = _sre_constants
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        text = "".join(run).lower()
        if len(text.strip()) >= _MIN_LITERAL:
            candidates.append({text})
        run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is c.SUBPATTERN:
            sub = _required(list(av[-1]))
            if sub:
                candidates.append(sub)
        elif op is c.BRANCH:
            alternatives = [_required(list(alt)) for alt in av[1]]
            if alternatives and all(alternatives):
                candidates.append(set().union(*alternatives))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            sub = _required(list(av[2]))
            if sub:
                candidates.append(sub)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            sub = _required(list(av))
            if sub:
                candidates.append(sub)
    close_run()
    if not candidates:
        return None
    # The most selective requirement: fewest alternatives, then longest shortest literal.
    return min(candidates, key=lambda alts: (len(alts), -min(len(a) for a in alts)))


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL file of records (blank lines and ``//`` comment lines are skipped)."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"[E_RULES] {path}:{line_number} is not valid JSON: {err}") from err
    return records


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
