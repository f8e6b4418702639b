"""The rule pipeline on real notices: one or more real examples for every entity label, the
notice type, sentences and evidence. Texts come from the corpora (never copied here)."""

from __future__ import annotations

import pytest

import retraction_reasons as rr
from retraction_reasons.pipeline import ENTITY_SPANS_KEY


def _entities(nlp, text):
    doc = nlp(text)
    found: dict[str, list[str]] = {}
    for span in doc.spans[ENTITY_SPANS_KEY]:
        found.setdefault(span.label_, []).append(span.text)
    return doc, found


def test_nature_notice_figures_authors_dates_requester(nlp, modern_notices):
    doc, found = _entities(nlp, modern_notices["web-0002"]["text"])
    assert "Fig. 2c" in found["FIGURE"] and "Supplementary Fig. 4" in found["FIGURE"]
    assert {"Ming Teng Koh", "Linda Kotilinek", "Karen H. Ashe"} <= set(found["AUTHOR"])
    assert "16 March 2006" in found["DATE"]
    requesters = [s for s in doc.spans[ENTITY_SPANS_KEY] if s.label_ == "REQUESTER"]
    assert any(s.text == "The authors" and s._.norm == "authors" for s in requesters)
    assert doc._.notice_type == "retraction"


def test_investigator_from_a_university_investigation(nlp, unlabelled_notices):
    _, found = _entities(nlp, unlabelled_notices["pmc4948112"]["text"])
    assert any("Nanyang Technological University" in t for t in found["INVESTIGATOR"])


def test_citation_style_authors_title_and_journal(nlp, unlabelled_notices):
    _, found = _entities(nlp, unlabelled_notices["pmc4258679"]["text"])
    assert {"Calo WA", "Ortiz AP", "Pérez CM"} <= set(found["AUTHOR"])
    assert "Int J Prev Med" in found["JOURNAL"]
    assert any(t.startswith("Association of cigarette smoking") for t in found["ARTICLE_TITLE"])


def test_quoted_title_and_journal_name(nlp, notices):
    _, found = _entities(nlp, notices["pmc4082897"]["text"])
    assert any(t.startswith("A Study on Course of Infection") for t in found["ARTICLE_TITLE"])
    assert "Malaria Research and Treatment" in found["JOURNAL"]


def test_publisher_and_requester_by_agreement(nlp, notices):
    doc, found = _entities(nlp, notices["pmc4594693"]["text"])
    assert any("Wiley" in t for t in found["PUBLISHER"])
    assert "20 December 2007" in found["DATE"]
    assert found.get("REQUESTER")


def test_article_doi_matches_metadata_on_most_notices(nlp, notices):
    # Where the retracted article's DOI is written in the notice, the pipeline should find it
    # with the ARTICLE_DOI role (the notices' metadata gives the truth).
    checked = right = 0
    for row in notices.values():
        doi = (row.get("original_doi") or "").lower()
        if not doi or doi not in row["text"].lower():
            continue
        checked += 1
        doc = nlp(row["text"])
        roles = {s._.norm: s.label_ for s in doc.spans[ENTITY_SPANS_KEY] if s.label_.endswith("_DOI")}
        right += roles.get(doi) == "ARTICLE_DOI"
    assert checked >= 10
    assert right / checked >= 0.8


def test_notice_types_of_modern_notices(nlp, modern_notices):
    rows = list(modern_notices.values())
    right = sum(doc._.notice_type == row["notice_type"] for doc, row in zip(nlp.pipe(r["text"] for r in rows), rows))
    assert right / len(rows) >= 0.9
    assert nlp(modern_notices["web-0012"]["text"])._.notice_type == "retraction"  # follows an EoC


@pytest.mark.parametrize("heading,expected", [
    ("Expression of Concern: A study of things", "expression_of_concern"),
    ("Correction to: A study of things", "correction"),
    ("This article has been withdrawn at the request of the authors.", "withdrawal"),
    ("Reinstatement: the retraction of this article has been reversed after review.", "reinstatement"),
    ("Retraction Note: A study of things", "retraction"),
])
def test_notice_type_rules(nlp, heading, expected):
    assert nlp(heading)._.notice_type == expected


def test_sentences_do_not_split_citations(nlp, seed_text):
    doc = nlp(seed_text)
    sentences = [s.text.strip() for s in doc.sents]
    assert any("Front. Cell Dev. Biol. 9:607001" in s for s in sentences)
    assert "The article is therefore retracted." in sentences


def test_reason_cues_carry_group_and_norm(nlp, modern_notices):
    doc = nlp(modern_notices["web-0005"]["text"])
    groups = {span._.reason_group for span in doc.spans["reason_cues"]}
    assert {"image_problems", "ethics_approval"} <= groups
    assert all(span._.norm and span._.cue_id for span in doc.spans["reason_cues"])
    result = rr.classify(modern_notices["web-0005"]["text"])
    assert {"image_problems", "ethics_approval"} <= set(result.reason_ids)
