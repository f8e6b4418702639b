"""Property-based robustness: arbitrary Unicode, very long lines, HTML fragments, repeated DOIs and
mixed scripts never make the pipeline raise, and every span maps back to exactly its text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import retraction_reasons as rr
from retraction_reasons.errors import NoticeError
from retraction_reasons.pipeline import CUE_SPANS_KEY, ENTITY_SPANS_KEY

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])

# Words that make the rules fire, so the properties are tested on matches, not only on noise.
NOTICE_WORDS = [
    "Retraction", "Retraction Note:", "The authors", "the Editor-in-Chief", "has retracted", "wish to retract",
    "doi:", "10.1038/s41598-018-23637-3", "https://doi.org/10.3389/fcell.2024.1445354", "Wei H, Wang J and Pu J",
    "Front. Cell Dev. Biol.", "2021;9:607001", "Fig. 4C", "Figures 2 and 3", "14 June 2024", "May-Aug 2010",
    "by agreement between the authors, the journal Editor in Chief, Professor Jane Doe, and John Wiley & Sons Ltd.",
    "at the request of the authors", "an investigation by the University of Tokyo", "plagiarism",
    "duplicated images", "unable to confirm the validity of the data", "Wan Q.", "Acta Cryst. (2007)", "“Title of a paper”",
]
SCRIPTS = [
    "Rétractation de l'article", "Статья отозвана", "撤回声明", "論文の撤回", "سحب المقال", "בקשת המחברים",
    "Αναίρεση", "ร่างบทความ", "😀🔬📄", "e\u0301\u0301", "\u200b\u200d\ufeff", "ｆｕｌｌｗｉｄｔｈ", "𝔉𝔯𝔞𝔨𝔱𝔲𝔯",
]
HTML = ["<p>", "</p>", "<br/>", "<b>", "</b>", "&amp;", "&nbsp;", "<a href=\"https://doi.org/10.1/x\">", "</a>",
        "<script>alert(1)</script>", "<!-- c -->", "<table><tr><td>", "</td></tr></table>"]

unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400)
notice_like = st.lists(st.one_of(st.sampled_from(NOTICE_WORDS), st.sampled_from(SCRIPTS), st.sampled_from(HTML),
                                 unicode_text.map(lambda t: t[:40])), min_size=1, max_size=40).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", "", "\n", ". ", ", ", "\t", "  \n\n"]),
                           min_size=len(parts), max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps))))
repeated_dois = st.tuples(st.integers(1, 60), st.sampled_from([" ", "; ", "\n", "", ")("]),
                          st.sampled_from(["10.1038/ncomms8784", "doi:10.3389/fcell.2021.607001.",
                                           "https://doi.org/10.1016/S0140-6736(05)61234-5)"])).map(
    lambda t: t[1].join([t[2]] * t[0]))
long_line = st.tuples(st.sampled_from(NOTICE_WORDS + SCRIPTS), st.integers(200, 3000)).map(
    lambda t: " ".join([t[0]] * t[1]))
any_input = st.one_of(unicode_text, notice_like, repeated_dois, long_line)


def check_spans(text, doc) -> None:
    for key in (ENTITY_SPANS_KEY, CUE_SPANS_KEY):
        for span in doc.spans.get(key, []):
            assert 0 <= span.start_char < span.end_char <= len(text)
            assert text[span.start_char:span.end_char] == span.text
    for span in doc.ents:
        assert text[span.start_char:span.end_char] == span.text
    for reason in doc._.reasons:
        for sentence in reason.evidence:
            assert 0 <= sentence.start_char <= sentence.end_char <= len(text)
            assert text[sentence.start_char:sentence.end_char] == sentence.text


@pytest.fixture(scope="module")
def model():
    return rr.load()


@SETTINGS
@given(text=any_input)
def test_pipeline_never_raises_and_spans_map_back(model, text):
    doc = model(text)
    assert doc.text == text
    check_spans(text, doc)


_BINARY_CONTROLS = frozenset(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20)]))


@SETTINGS
@given(text=any_input)
@example(text="\x1f\x1f\x1f\x1f \x1f\x1f\x1f\x1f\x08 ")  # found by hypothesis: binary-looking
def test_classify_returns_a_result_or_a_notice_error(model, text):
    try:
        result = rr.classify(text, model=model)
    except NoticeError as err:
        # Only the documented refusals: empty text, or text that looks binary (a NUL, or more
        # than max(8, 2 %) control characters other than \t \n \v \f \r in the first 20,000).
        sample = text[:20000]
        controls = sum(ch in _BINARY_CONTROLS for ch in sample)
        if not text.strip():
            assert err.kind == "empty"
        else:
            assert err.kind == "not_text"
            assert "\x00" in sample or controls > max(8, len(sample) // 50)
        return
    assert isinstance(result, rr.Result)
    for entity in result.entities:
        assert text[entity.start:entity.end] == entity.text
    for reason in result.reasons:
        for evidence in reason.evidence_spans:
            assert text[evidence.start:evidence.end] == evidence.text
        if reason.evidence is not None:
            assert reason.evidence in text


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(NOTICE_WORDS), min_size=200, max_size=400))
def test_very_long_notices_with_many_matches(model, parts):
    text = " ".join(parts) * 3
    doc = model(text)
    check_spans(text, doc)
