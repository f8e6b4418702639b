"""The rule engine: literal filters and anchors must never change what a pattern matches."""

from __future__ import annotations

import re

import pytest

from retraction_reasons import _resources
from retraction_reasons.pipeline.rules import (
    RuleSet,
    compile_patterns,
    leading_anchor,
    read_jsonl,
    required_literals,
)


def _plain(patterns, text):
    return sorted((m.start, m.end, m.pattern.id) for p in patterns for m in p.finditer(text))


def _fast(rules, text):
    return sorted((m.start, m.end, m.pattern.id) for m in rules.matches(text))


@pytest.fixture(scope="module")
def shipped_patterns():
    folder = _resources.patterns_dir()
    return (compile_patterns(read_jsonl(folder / "reason_cues.jsonl"), default_label="REASON_CUE")
            + compile_patterns(read_jsonl(folder / "entities.jsonl")))


def test_ruleset_equals_plain_matching_on_real_notices(shipped_patterns, notices, modern_notices, unlabelled_notices):
    rules = RuleSet(shipped_patterns)
    texts = [row["text"] for corpus in (notices, modern_notices, unlabelled_notices) for row in corpus.values()]
    for text in texts:
        assert _fast(rules, text) == _plain(shipped_patterns, text)


@pytest.mark.parametrize("text", [
    "İstanbul University found that the data were fabricated.",  # lower() changes the length
    "",
    "FIGURE 3 WAS DUPLICATED. The Authors Wish To Retract.",
    "fabricated fabricated fabricated" * 50,
])
def test_ruleset_equals_plain_matching_on_edge_cases(shipped_patterns, text):
    assert _fast(RuleSet(shipped_patterns), text) == _plain(shipped_patterns, text)


def test_anchor_and_required_literals_are_derived():
    assert leading_anchor(r"[\s(](?P<span>(?:unable|could not) to confirm)", re.I) == ((1, "could not to confirm"), (1, "unable to confirm"))
    assert leading_anchor(r"(?:Supplementary )?Fig\.", 0) == ((0, "fig."), (0, "supplementary fig."))
    assert leading_anchor(r"\w+ was retracted") is None  # variable width before the literal
    assert required_literals(r"(?:unable|could not) to confirm the (?:data|results)") == (
        (" to confirm the ",), ("could not", "unable"), ("data", "results"))


def test_bad_pattern_names_itself():
    with pytest.raises(ValueError, match="broken.cue"):
        compile_patterns([{"id": "broken.cue", "label": "REASON_CUE", "regex": "(unclosed"}])
