"""The rule engine: literal filters and anchors must never change what a pattern matches."""

from __future__ import annotations

import re

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retraction_reasons import _resources
from retraction_reasons.pipeline.prefilter import re2_superset
from retraction_reasons.pipeline.rules import (
    RULE_INDEX_FILE,
    RuleSet,
    compile_patterns,
    leading_anchor,
    read_jsonl,
    read_rule_index,
    required_literals,
    rule_index,
    rule_key,
    write_rule_index,
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
    assert rules._prefilter is not None and rules._prefilter.active  # the RE2 filter is really used
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
    # the parser factors out the shared "n": the anchor goes on into the alternatives
    assert leading_anchor(r"(?:not|never) aware", re.I) == ((0, "never aware"), (0, "not aware"))
    assert required_literals(r"(?:unable|could not) to confirm the (?:data|results)") == (
        (" to confirm the ",), ("could not", "unable"), ("data", "results"))


def test_bad_pattern_names_itself():
    with pytest.raises(ValueError, match="broken.cue"):
        compile_patterns([{"id": "broken.cue", "label": "REASON_CUE", "regex": "(unclosed"}])


# Words the patterns look for, so that generated texts do reach the patterns' slow parts.
_FRAGMENTS = ["Retraction", "The authors", "Editor-in-Chief", "retract", "Wei H, Wang J, Li Q", "J Biol Chem.",
              "2014;5:849", "doi: 10.1016/j.cell.2020.01.001", "Figure 3B", "University of Calgary",
              "investigation", "duplicated", "İ", "ß", "K", "ſ", "Ünal Ö", "\n", ", ", ". ", " and ", "2019-07-01",
              "(", ")", "“", "”", "et al.", "Journal of Pregnancy", "unable to confirm the validity of the data"]


@pytest.fixture(scope="module")
def shipped_rules(shipped_patterns):
    return RuleSet(shipped_patterns)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=40))
def test_ruleset_equals_plain_matching_on_generated_text(shipped_patterns, shipped_rules, pieces):
    text = " ".join(pieces)
    assert _fast(shipped_rules, text) == _plain(shipped_patterns, text)


@pytest.mark.parametrize("pattern, flags, matching", [
    (r"(?<![\w-])(?P<span>[A-Z]\w+) retracted(?=\s(?:the|this))", 0, ["Wiley retracted the", "Müller retracted this"]),
    (r"(?:19|20)\d\d([-/.])[01]\d\1[0-3]\d", 0, ["2019-07-01", "2019.07.01"]),  # back-reference
    (r"\b[^\W\d_]{2,40}\s\d{1,3}", re.I, ["Zoë 12", "ÉTÉ 7"]),  # Unicode letters, long counts
    (r"^\s*(?P<span>[A-Z][^\n]{15,300}?)\s(?=[A-Z]{2,})", re.M, ["\n  A title of some length here AB"]),
])
def test_re2_superset_matches_what_python_matches(pattern, flags, matching):
    re2 = pytest.importorskip("re2", reason="google-re2 is not installed: the prefilter is off")
    superset = re2_superset(pattern, flags)
    assert superset is not None
    for text in matching:
        assert re.search(pattern, text, flags), text  # the examples are real matches
        assert re2.search(superset, text), (superset, text)


def test_re2_superset_keeps_what_makes_a_pattern_rare():
    re2 = pytest.importorskip("re2", reason="google-re2 is not installed: the prefilter is off")
    superset = re2_superset(r"(?P<span>[A-Z]\w+) (?:has|have) retracted(?=\s(?:the|this) article)")
    assert not re2.search(superset, "The authors wrote the article.")
    assert not re2.search(superset, "Wiley has retracted a chapter.")  # the trailing look-ahead is kept


def test_prefilter_tries_every_pattern_where_re2_cannot_read_the_text(shipped_patterns, shipped_rules):
    # A lone surrogate cannot be encoded as UTF-8 for RE2: no pattern may be skipped then.
    text = "The authors retract the article \ud800 because Figure 3 was duplicated."
    assert shipped_rules._prefilter.possible(text) == set(range(len(shipped_patterns)))
    assert _fast(shipped_rules, text) == _plain(shipped_patterns, text)


# -- the saved rule index -------------------------------------------------------------------------

def test_rule_index_gives_the_same_patterns_without_compiling_them(shipped_patterns, tmp_path):
    write_rule_index(tmp_path / "index.json", shipped_patterns)
    index = read_rule_index(tmp_path / "index.json")
    records = [p.record for p in shipped_patterns]
    labels = [p.label for p in shipped_patterns]
    indexed = [compile_patterns([record], default_label=label, index=index)[0] for record, label in zip(records, labels)]
    for fresh, loaded in zip(shipped_patterns, indexed):
        assert (loaded.required, loaded.anchor) == (fresh.required, fresh.anchor), fresh.id
        assert loaded.superset == re2_superset(fresh.source, fresh.flags), fresh.id
        assert "regex" not in loaded.__dict__  # not compiled yet: compiled on first use
    text = "Retraction: the data of Figure 3 were fabricated (doi: 10.1234/abc.2020.1), as the authors reported."
    assert _fast(RuleSet(indexed), text) == _plain(shipped_patterns, text)


def test_rule_index_entry_of_another_expression_is_not_used(tmp_path):
    old = compile_patterns([{"id": "x", "label": "X", "regex": r"\bretracted\b"}])
    index = rule_index(old)
    changed = compile_patterns([{"id": "x", "label": "X", "regex": r"\bwithdrawn\b"}], index=index)[0]
    assert changed.required == (("withdrawn",),)  # analysed afresh, not taken from the old entry
    assert "regex" in changed.__dict__  # and compiled (checked) now
    with pytest.raises(ValueError, match="does not compile"):
        compile_patterns([{"id": "bad", "label": "X", "regex": "(unclosed"}], index=index)


def test_saved_model_holds_a_rule_index_that_loads_to_the_same_rules(nlp):
    folder = _resources.default_model_dir()
    for component in ("retraction_reasons_entities", "retraction_reasons_cues"):
        index = read_rule_index(folder / component / RULE_INDEX_FILE)
        assert index, component
        patterns = nlp.get_pipe(component)._rules.patterns
        assert {rule_key(p.source, p.flags) for p in patterns} <= set(index)
