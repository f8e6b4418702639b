"""A fast necessary condition for many regular expressions at once, so that a notice is scanned
by Python's backtracking ``re`` only with the patterns that can match it.

Each Python pattern is translated into an RE2 expression that matches *at least* everything the
Python pattern matches (a superset): look-arounds and word boundaries are dropped (a look-ahead
that ends the pattern, or a look-behind that starts it, is kept as text that must follow or
precede), long counted repetitions become open ones, a back-reference becomes its group's
expression, and a character class keeps its ASCII part exactly but accepts every non-ASCII
character unless it is made of ASCII characters only (Python's Unicode ``\\w`` would compile to
thousands of byte ranges). RE2 matches in linear time with a DFA, and a small set of such
expressions is checked in one pass (``re2.Set``). A pattern whose superset does not match the
text cannot match it either, so skipping it changes no result; the rule engine's tests check
this on every real notice and on generated text.

The filter is optional: without ``google-re2`` installed (or for a pattern that cannot be
translated) every pattern is simply tried, with the same matches, only slower.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Iterator, Sequence

try:  # Python >= 3.11
    from re import _constants as _c, _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["re2_superset", "parse_regex", "Prefilter"]

#: Counted repetitions longer than this become open ones: RE2's automaton grows with the count.
_MAX_COUNT = 3
#: Patterns a ``re2.Set``: larger sets make RE2's DFA run out of its memory budget and slow down.
_SET_SIZE = 4


class _Untranslatable(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def parse_regex(pattern: str, flags: int = 0):
    """The parsed form (``re._parser``) of a Python regular expression, cached: the analyses of
    a pattern (its required literals, its anchors, its RE2 superset) share one parse, which is
    most of the cost of loading the rules. Callers must not modify it."""
    return _sre_parse.parse(pattern, flags)


def re2_superset(pattern: str, flags: int = 0) -> str | None:
    """An RE2 expression matching a superset of what the Python ``pattern`` matches, or None
    when the pattern uses something with no safe translation (a conditional group)."""
    try:
        parsed = parse_regex(pattern, flags)
        translator = _Translator()
        items = list(parsed)
        body = translator.sequence(items)
        # A look-ahead at the very end (a look-behind at the very start) is text the match is
        # followed (preceded) by: a text holding a match also holds the two together.
        if items and items[-1][0] is _c.ASSERT and items[-1][1][0] == 1:
            body += translator.sequence(list(items[-1][1][1]))
        if items and items[0][0] is _c.ASSERT and items[0][1][0] == -1:
            body = translator.sequence(list(items[0][1][1])) + body
    except (_Untranslatable, re.error):
        return None
    return f"(?i:{body})" if flags & re.IGNORECASE else body


def _char(code: int) -> str:
    return r"\x{%x}" % code


_CATEGORY_TESTS = {
    _c.CATEGORY_DIGIT: str.isdecimal, _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
    _c.CATEGORY_SPACE: str.isspace, _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
}
_NON_ASCII = r"\x{80}-\x{10ffff}"


def _char_class(items: list) -> str:
    return _char_class_cached(tuple(items))


@functools.lru_cache(maxsize=1024)
def _char_class_cached(items: tuple) -> str:
    """The ASCII part of a class exactly, and all of non-ASCII unless the class is made of ASCII
    characters only: a superset that keeps RE2's UTF-8 automaton small (Unicode letter classes
    compile to thousands of byte ranges). Case folding is left to RE2's ``(?i)``."""
    negate = any(op is _c.NEGATE for op, _ in items)
    members = [item for item in items if item[0] is not _c.NEGATE]
    ascii_only = True
    tests = []
    for op, av in members:
        if op is _c.LITERAL:
            tests.append(lambda code, av=av: code == av)
            ascii_only &= av < 128
        elif op is _c.RANGE:
            tests.append(lambda code, av=av: av[0] <= code <= av[1])
            ascii_only &= av[1] < 128
        elif op is _c.CATEGORY and av in _CATEGORY_TESTS:
            tests.append(lambda code, test=_CATEGORY_TESTS[av]: test(chr(code)))
            ascii_only = False
        else:
            raise _Untranslatable(op)
    codes = [code for code in range(128) if any(test(code) for test in tests) != negate]
    parts = []
    for first, last in _runs(codes):
        parts.append(_char(first) if first == last else f"{_char(first)}-{_char(last)}")
    if negate or not ascii_only:
        parts.append(_NON_ASCII)
    if not parts:
        raise _Untranslatable("empty class")
    return "[" + "".join(parts) + "]"


def _runs(codes: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs of sorted integers as ``(first, last)``."""
    for _, run in itertools.groupby(enumerate(codes), key=lambda pair: pair[1] - pair[0]):
        numbers = [code for _, code in run]
        yield numbers[0], numbers[-1]


class _Translator:
    """Python regex syntax tree -> RE2 superset; remembers groups for back-references."""

    def __init__(self) -> None:
        self.groups: dict[int, str] = {}

    def sequence(self, items: list) -> str:
        return _sequence(items, self)


def _sequence(items: list, translator: "_Translator") -> str:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.NOT_LITERAL:
            out.append("[^" + _char(av) + "]")
        elif op is _c.ANY:
            out.append("(?s:.)")
        elif op is _c.IN:
            out.append(_char_class(av))
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # a condition on the context: dropping it only matches more
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            mode = "i" if add_flags & re.IGNORECASE else "-i" if del_flags & re.IGNORECASE else ""
            translated = f"(?{mode}:{_sequence(list(body), translator)})"
            if _group is not None:
                translator.groups[_group] = translated
            out.append(translated)
        elif op is _c.GROUPREF and av in translator.groups:
            out.append(translator.groups[av])  # any text the group matches: a superset
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_sequence(list(alt), translator) for alt in av[1]) + ")")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, body = av
            inner = _sequence(list(body), translator)
            if not inner:
                continue
            low = min(low, 2)
            if high is _c.MAXREPEAT or high > _MAX_COUNT:
                count = "*" if low == 0 else "+" if low == 1 else "{%d,}" % low
            else:
                count = "{%d,%d}" % (low, high)
            out.append(f"(?:{inner}){count}")
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.append(f"(?:{_sequence(list(av), translator)})")
        else:  # GROUPREF, GROUPREF_EXISTS: no safe superset
            raise _Untranslatable(op)
    return "".join(out)


class Prefilter:
    """Which of many Python patterns (given as ``(source, flags)``) can match a text, checked with RE2.

    ``possible(text)`` returns the indices (into the patterns given) that may match; a pattern
    that could not be translated or compiled is always among them.
    """

    def __init__(self, patterns: Sequence[tuple[str, int]],
                 supersets: Sequence[str | None] | None = None) -> None:
        """``patterns``: ``(source, flags)`` of each Python pattern; ``supersets``: their RE2
        supersets when already known (a loaded model stores them), else translated on first use."""
        self.size = len(patterns)
        self._patterns = list(patterns)
        self._supersets = list(supersets) if supersets is not None else None
        self._sets: list[tuple[object, list[int]]] | None = None  # built on first use
        self.unfiltered: frozenset[int] = frozenset(range(self.size))

    def _build(self) -> list[tuple[object, list[int]]]:
        """Translate and compile (~0.1 s for the entity rules), on first use rather than at load."""
        sets: list[tuple[object, list[int]]] = []
        try:
            import re2
        except ImportError:  # the filter is an optimisation only
            return sets
        supersets = self._supersets or [re2_superset(source, flags) for source, flags in self._patterns]
        expressions = list(enumerate(supersets))
        unfiltered = {index for index, expression in expressions if expression is None}
        translated = [(index, expression) for index, expression in expressions if expression is not None]
        for chunk_start in range(0, len(translated), _SET_SIZE):
            chunk = translated[chunk_start: chunk_start + _SET_SIZE]
            built = _compile_set(re2, [expression for _, expression in chunk])
            if built is None:  # too large together: one set per pattern
                for index, expression in chunk:
                    single = _compile_set(re2, [expression])
                    if single is None:
                        unfiltered.add(index)
                    else:
                        sets.append((single, [index]))
            else:
                sets.append((built, [index for index, _ in chunk]))
        self.unfiltered = frozenset(unfiltered)
        return sets

    @property
    def active(self) -> bool:
        """Whether any pattern is filtered (RE2 is installed and something translated)."""
        if self._sets is None:
            self._sets = self._build()
        return bool(self._sets)

    def possible(self, text: str, among: set[int] | None = None) -> set[int]:
        """Indices of the patterns that may match ``text``; with ``among``, only the sets
        holding one of those indices are checked (the others' patterns are left out)."""
        if self._sets is None:
            self._sets = self._build()
        if not self._sets:
            return set(range(self.size))
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: RE2 reads UTF-8 only; try everything
            return set(range(self.size))
        possible = set(self.unfiltered)
        for compiled, indices in self._sets:
            if among is not None and among.isdisjoint(indices):
                continue
            for position in compiled.Match(data) or ():  # type: ignore[attr-defined]
                possible.add(indices[position])
        return possible


def _compile_set(re2, expressions: list[str]):
    options = re2.Options()
    options.max_mem = 8 << 20  # per set: bounds the DFA cache (RE2 falls back to a slower NFA, same answer)
    options.log_errors = False
    compiled = re2.Set.SearchSet(options)
    try:
        for expression in expressions:
            compiled.Add(expression.encode("utf-8"))
        compiled.Compile()
    except Exception:  # re2.error: the expression or the set is too large
        return None
    return compiled
