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

import functools
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .prefilter import Prefilter, parse_regex, re2_superset

try:  # Python >= 3.11
    from re import _constants as _sre_constants
except ImportError:  # pragma: no cover
    import sre_constants as _sre_constants  # type: ignore[no-redef]

__all__ = ["RegexPattern", "RegexMatch", "RuleSet", "compile_patterns", "required_literals", "leading_anchor",
           "RULE_INDEX_FILE", "rule_key", "rule_index", "read_rule_index", "write_rule_index", "read_jsonl", "write_jsonl"]


@dataclass(frozen=True)
class RegexPattern:
    """A pattern, the fields of its JSON record, and what the rule engine derives from it.

    ``regex`` is compiled on first use: a model loaded with its rule index (see
    :func:`rule_index`) compiles only the patterns its notices need, when they need them.
    """

    id: str
    label: str
    source: str
    flags: int
    record: dict[str, Any] = field(repr=False, hash=False, compare=False)
    #: Sets of lower-case strings: a text can match only if it holds a string of every set
    #: (None: no such filter could be derived). Checking them first makes hundreds of patterns cheap.
    required: tuple[tuple[str, ...], ...] | None = field(default=None, compare=False)
    #: ``(offset, literal)`` pairs: every match starts ``offset`` characters before an
    #: occurrence of one of these lower-case literals, so the pattern is tried only at those
    #: positions instead of at every position of the text (None: no such anchor).
    anchor: tuple[tuple[int, str], ...] | None = field(default=None, compare=False)
    #: The RE2 superset of :mod:`.prefilter`, when known (None: not translatable; ``...``: not yet).
    superset: Any = field(default=..., compare=False)

    @functools.cached_property
    def regex(self) -> re.Pattern:
        """The compiled expression (compiled once, on first use)."""
        return re.compile(self.source, self.flags)

    def could_match(self, lowered_text: str) -> bool:
        """Cheap necessary condition: does the lower-cased text hold a required literal?"""
        return self.required is None or all(any(lit in lowered_text for lit in alts) for alts in self.required)

    def finditer(self, text: str, lowered_text: str | None = None) -> Iterator["RegexMatch"]:
        """Matches in ``text``, like ``re.finditer``; ``lowered_text`` (``text.lower()``) enables
        the literal filter and the anchored search."""
        if lowered_text is not None and not self.could_match(lowered_text):
            return
        if lowered_text is not None and self.anchor is not None and len(lowered_text) == len(text):
            matches = self._anchored(text, lowered_text)
        else:
            matches = self.regex.finditer(text)
        yield from self._spans(text, matches)

    def _spans(self, text: str, matches: Iterable[re.Match]) -> Iterator["RegexMatch"]:
        for match in matches:
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

    def _anchored(self, text: str, lowered_text: str) -> Iterator[re.Match]:
        """``re.finditer`` restricted to the only positions where a match can start."""
        starts = set()
        for offset, literal in self.anchor:  # type: ignore[union-attr]
            found = lowered_text.find(literal)
            while found >= 0:
                if found >= offset:
                    starts.add(found - offset)
                found = lowered_text.find(literal, found + 1)
        return self._match_at(text, starts)

    def _match_at(self, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
        """Leftmost non-overlapping matches starting at the given positions (as finditer)."""
        last_end = 0
        for position in sorted(starts):
            if position < last_end:
                continue
            match = self.regex.match(text, position)
            if match is not None:
                yield match
                last_end = max(match.end(), position + 1)


@dataclass(frozen=True)
class RegexMatch:
    start: int
    end: int
    pattern: RegexPattern


class RuleSet:
    """Many patterns matched together: one pass of an Aho-Corasick automaton over the lower-cased
    text finds every literal the patterns require or are anchored on; RE2 checks a superset of
    each pattern in linear time (:mod:`.prefilter`); then only the patterns that passed both are
    tried with ``re``, and anchored ones only where they can start.

    Gives the same matches as running every pattern's ``finditer`` over the text.
    """

    def __init__(self, patterns: Iterable[RegexPattern], *, prefilter: bool = True) -> None:
        self.patterns = list(patterns)
        self._prefilter = None
        if prefilter and self.patterns:
            known = [p.superset for p in self.patterns]
            self._prefilter = Prefilter([(p.source, p.flags) for p in self.patterns],
                                        supersets=None if ... in known else known)
        self._always: list[int] = []
        self._by_literal: dict[str, list[int]] = defaultdict(list)
        # Per pattern: the required literal sets after the first, and its anchors by literal.
        self._required_rest: list[tuple[frozenset[str], ...]] = []
        self._anchors: list[dict[str, tuple[int, ...]] | None] = []
        literals: set[str] = set()
        for index, pattern in enumerate(self.patterns):
            keys: Sequence[str] = pattern.required[0] if pattern.required else ()
            if not keys and pattern.anchor:
                keys = sorted({literal for _, literal in pattern.anchor})
            if not keys:
                self._always.append(index)
            for key in keys:
                self._by_literal[key].append(index)
            literals.update(keys)
            literals.update(literal for alts in pattern.required or () for literal in alts)
            literals.update(literal for _, literal in pattern.anchor or ())
            self._required_rest.append(tuple(frozenset(alts) for alts in (pattern.required or ())[1:]))
            if pattern.anchor is None:
                self._anchors.append(None)
            else:
                offsets: dict[str, list[int]] = defaultdict(list)
                for offset, literal in pattern.anchor:
                    offsets[literal].append(offset)
                self._anchors.append({literal: tuple(found) for literal, found in offsets.items()})
        self._automaton = _build_automaton(literals)

    def __len__(self) -> int:
        return len(self.patterns)

    def matches(self, text: str) -> list[RegexMatch]:
        """Every match of every pattern, in pattern order."""
        lowered = text.lower()
        if len(lowered) != len(text) or self._automaton is None:
            # Lower-casing changed offsets (rare scripts) or no automaton: the plain way.
            return [m for p in self.patterns for m in p.finditer(text, lowered if self._automaton is None else None)]
        occurrences: dict[str, list[int]] = defaultdict(list)
        for end, literal in self._automaton.iter(lowered):
            occurrences[literal].append(end - len(literal) + 1)
        present = set(occurrences)
        candidates = set(self._always)
        for literal in present:
            candidates.update(self._by_literal.get(literal, ()))
        if self._prefilter is not None and candidates:
            candidates &= self._prefilter.possible(text, among=candidates)
        found: list[RegexMatch] = []
        for index in sorted(candidates):
            if any(alts.isdisjoint(present) for alts in self._required_rest[index]):
                continue
            pattern = self.patterns[index]
            anchors = self._anchors[index]
            if anchors is not None:
                starts = set()
                for literal in present.intersection(anchors):
                    for offset in anchors[literal]:
                        starts.update(start - offset for start in occurrences[literal] if start >= offset)
                if starts:
                    found.extend(pattern._spans(text, pattern._match_at(text, starts)))
            else:
                found.extend(pattern._spans(text, pattern.regex.finditer(text)))
        return found


def _build_automaton(literals: set[str]):
    try:
        import ahocorasick
    except ImportError:  # pragma: no cover - pyahocorasick is a dependency; stay correct without it
        return None
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, literal)
    if not literals:
        return None
    automaton.make_automaton()
    return automaton


def compile_patterns(records: Iterable[dict[str, Any]], default_label: str | None = None, *,
                     index: dict[str, dict[str, Any]] | None = None) -> list[RegexPattern]:
    """Compile pattern records; raises ``ValueError`` naming the pattern that does not compile.

    With ``index`` (from :func:`rule_index`, saved beside a model's patterns), a pattern found in
    it takes its literals, anchors and RE2 superset from there and is compiled on first use; the
    others are compiled and analysed now. Analysing and compiling hundreds of expressions is
    most of the time it takes to load a model.
    """
    compiled = []
    for number, record in enumerate(records, start=1):
        label = record.get("label", default_label)
        pattern_id = record.get("id") or f"{label}.{number}"
        if not label or "regex" not in record:
            raise ValueError(f"[E_RULES] pattern {pattern_id!r} needs a 'label' and a 'regex'.")
        source = record["regex"]
        flags = 0 if record.get("case_sensitive") else re.IGNORECASE
        known = (index or {}).get(rule_key(source, flags))
        if known is not None:
            compiled.append(RegexPattern(
                pattern_id, label, source, flags, dict(record),
                tuple(tuple(alts) for alts in known["required"]) if known["required"] is not None else None,
                tuple((offset, literal) for offset, literal in known["anchor"]) if known["anchor"] is not None else None,
                known.get("re2", ...)))
            continue
        try:
            regex = re.compile(source, flags)
        except re.error as err:
            raise ValueError(f"[E_RULES] pattern {pattern_id!r} does not compile: {err}") from err
        pattern = RegexPattern(pattern_id, label, source, flags, dict(record), required_literals(source, flags),
                               leading_anchor(source, flags))
        pattern.__dict__["regex"] = regex  # already compiled: keep it (the cached property's slot)
        compiled.append(pattern)
    return compiled


#: The file name of a component's saved rule index.
RULE_INDEX_FILE = "rules_index.json"


def rule_key(source: str, flags: int) -> str:
    """The key of a pattern in a rule index: its expression and flags, hashed."""
    return hashlib.sha256(f"{flags}:{source}".encode("utf-8")).hexdigest()[:24]


def rule_index(patterns: Iterable[RegexPattern], supersets: bool = True) -> dict[str, dict[str, Any]]:
    """What the rule engine derives from each pattern (required literals, anchors and, with
    ``supersets``, the RE2 superset of :mod:`.prefilter`), keyed by :func:`rule_key`: saved beside
    a model's patterns so that loading it needs no analysis. An entry is used only for the very
    expression and flags it was made from."""
    index = {}
    for p in patterns:
        entry: dict[str, Any] = {"required": p.required, "anchor": p.anchor}
        if supersets:
            entry["re2"] = p.superset if p.superset is not ... else re2_superset(p.source, p.flags)
        index[rule_key(p.source, p.flags)] = entry
    return index


def read_rule_index(path: str | Path) -> dict[str, dict[str, Any]] | None:
    """Read a rule index written by :func:`write_rule_index` (None when there is none)."""
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_rule_index(path: str | Path, patterns: Iterable[RegexPattern], supersets: bool = True) -> None:
    """Write :func:`rule_index` of ``patterns`` as JSON."""
    index = rule_index(patterns, supersets=supersets)
    Path(path).write_text(json.dumps(index, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


_MIN_LITERAL = 3
_MAX_ANCHORS = 200


def leading_anchor(pattern: str, flags: int = 0) -> tuple[tuple[int, str], ...] | None:
    """Pairs ``(offset, literal)`` such that every match of ``pattern`` starts ``offset``
    characters before an occurrence of one of the lower-case literals (two characters or more),
    or None when no such set can be derived.

    Derived from the parsed expression: fixed-width parts before the first literal (a character
    class, a word boundary, a look-around) add to the offset; branches and optional parts
    contribute the anchors of each way through them.
    """
    try:
        parsed = parse_regex(pattern, flags)
    except Exception:  # pragma: no cover
        return None
    anchors = _anchors(list(parsed), 0)
    if not anchors or len(anchors) > _MAX_ANCHORS or any(len(lit) < 2 for _, lit in anchors):
        return None
    return tuple(sorted(anchors))


def _anchors(items: list, offset: int) -> set[tuple[int, str]] | None:
    c = _sre_constants
    position = 0
    while position < len(items):
        op, av = items[position]
        rest = items[position + 1:]
        if op is c.LITERAL:
            run = []
            while position < len(items) and items[position][0] is c.LITERAL:
                run.append(chr(items[position][1]))
                position += 1
            literal = "".join(run).lower()
            if len(literal) < 3 and position < len(items):
                # "n(?:ot|ever)" (the parser factors out a shared first letter): anchor on
                # "not" / "never" when what follows is anchored right where it starts.
                following = _anchors(items[position:], 0)
                if following and all(start == 0 for start, _ in following):
                    return {(offset, literal + more) for _, more in following}
            return {(offset, literal)}
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            position += 1
            continue
        if op in (c.IN, c.ANY, c.NOT_LITERAL, getattr(c, "CATEGORY", None)):
            offset += 1
            position += 1
            continue
        if op is c.SUBPATTERN:
            return _anchors(list(av[-1]) + rest, offset)
        if op is c.BRANCH:
            return _union(_anchors(list(alt) + rest, offset) for alt in av[1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av[0], av[1], list(av[2])
            if high == 1:
                taken = _anchors(body + rest, offset)
                return taken if low == 1 else _union([taken, _anchors(rest, offset)])
            if low == high and low * len(body) < 50:
                return _anchors(body * low + rest, offset)
            if low >= 1:  # the first repetition is there: anchor inside it, if it has one
                return _anchors(body, offset)
        return None
    return None


def _union(parts) -> set[tuple[int, str]] | None:
    merged: set[tuple[int, str]] = set()
    for part in parts:
        if part is None:
            return None
        merged |= part
        if len(merged) > _MAX_ANCHORS:
            return None
    return merged


def required_literals(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...] | None:
    """Sets of lower-case strings such that every match of ``pattern`` contains at least one
    string of each set (most selective set first).

    Derived from the parsed regular expression: each literal run outside optional parts is a
    set of one; a branch whose alternatives all hold a literal gives one set with a literal per
    alternative. ``None`` when no literal of three or more characters is required.
    """
    try:
        parsed = parse_regex(pattern, flags)
    except Exception:  # pragma: no cover - compile() already validated the pattern
        return None
    found = _required(list(parsed))
    if not found:
        return None
    ordered = sorted({tuple(sorted(alts)) for alts in found}, key=_selectivity)
    return tuple(ordered)


def _selectivity(alternatives: Sequence[str]) -> tuple[int, int]:
    """Fewer alternatives, then a longer shortest literal: the rarer requirement first."""
    return len(alternatives), -min(len(a) for a in alternatives)


def _required(items: list) -> list[set[str]]:
    c = _sre_constants
    found: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        text = "".join(run).lower()
        if len(text.strip()) >= _MIN_LITERAL:
            found.append({text})
        run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is c.SUBPATTERN:
            found.extend(_required(list(av[-1])))
        elif op is c.BRANCH:
            alternatives = [_required(list(alt)) for alt in av[1]]
            if alternatives and all(alternatives):
                found.append(set().union(*(min(alt, key=_selectivity) for alt in alternatives)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            found.extend(_required(list(av[2])))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            found.extend(_required(list(av)))
    close_run()
    return found


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
