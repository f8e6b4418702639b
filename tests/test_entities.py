"""Entity rules on real and self-written notices: exact spans, roles, lists split per person or party."""

from __future__ import annotations

from retraction_reasons.pipeline import ENTITY_SPANS_KEY, build_rule_pipeline
from retraction_reasons.pipeline.entities import ENTITY_LABELS

REQUESTER_KINDS = {"authors", "editor", "publisher", "institution", "third_party"}


def test_seed_notice_entities(found, rules, seed_text):
    doc = rules(seed_text)
    assert found(doc, "NOTICE_DOI") == ["10.3389/fcell.2024.1445354"]
    assert found(doc, "ARTICLE_DOI") == ["10.3389/fcell.2021.607001"]
    assert found(doc, "AUTHOR") == ["Wei H", "Wang J", "Xu Z", "Li W", "Wu X", "Zhuo C", "Lu Y", "Long X",
                                    "Tang Q", "Pu J"]
    assert set(found(doc, "JOURNAL")) == {"Front. Cell Dev. Biol."}
    assert "Frontiers Media SA" in found(doc, "PUBLISHER")
    assert found(doc, "REQUESTER") == ["The Journal"]
    assert found(doc, "INVESTIGATOR") == ["our internal Research Integrity department"]
    assert "14 June 2024" in found(doc, "DATE")


def test_public_behaviour_of_the_component(rules, seed_text):
    doc = rules(seed_text)
    spans = doc.spans[ENTITY_SPANS_KEY]
    assert {s.label_ for s in spans} <= set(ENTITY_LABELS)
    assert all(s._.norm in REQUESTER_KINDS for s in spans if s.label_ == "REQUESTER")
    text = doc.text
    assert all(text[s.start_char:s.end_char] == s.text for s in spans)


def test_citation_authors_are_exact_without_the_citation_full_stop(found, rules):
    text = ("Lin F, Yao L, Bhikoo C, Guo J. Impacts of fixed orthodontic appliances on daily performance "
            "in adult patients. Drug Des Dev Ther. 2016;10: 1639–1645. The article has been retracted.")
    doc = rules(text)
    assert found(doc, "AUTHOR") == ["Lin F", "Yao L", "Bhikoo C", "Guo J"]
    assert found(doc, "JOURNAL") == ["Drug Des Dev Ther"]
    assert found(doc, "ARTICLE_TITLE") == ["Impacts of fixed orthodontic appliances on daily performance in adult patients"]


def test_dotted_journal_abbreviations_keep_their_full_stop(found, rules):
    doc = rules("Retraction of Acta Cryst. (2011), E 67, m576–m577. The paper by Awan et al. is retracted.")
    assert found(doc, "JOURNAL") == ["Acta Cryst."]
    assert found(doc, "AUTHOR") == ["Awan"]


def test_agreement_gives_one_requester_a_party_without_the_editors_name(found, rules):
    text = ("The above article, published online on 4 June 2019 in Wiley Online Library, has been retracted by "
            "agreement between the authors, the journal Editor in Chief, Professor Jane Doe, and John Wiley & Sons "
            "Ltd. The retraction has been agreed due to the reuse of images.")
    doc = rules(text)
    assert found(doc, "REQUESTER") == ["the authors", "the journal Editor in Chief", "John Wiley & Sons Ltd"]
    kinds = {s.text: s._.norm for s in doc.spans[ENTITY_SPANS_KEY] if s.label_ == "REQUESTER"}
    assert kinds == {"the authors": "authors", "the journal Editor in Chief": "editor", "John Wiley & Sons Ltd": "publisher"}
    assert "John Wiley & Sons Ltd" in found(doc, "PUBLISHER")
    assert "4 June 2019" in found(doc, "DATE")
    assert not [a for a in found(doc, "AUTHOR") if "Doe" in a]


def test_requester_request_of_drops_the_persons_name(found, rules):
    doc = rules("This article has been retracted at the request of Biological Psychiatry Editor John H. Krystal, "
                "M.D., with agreement from all authors.")
    assert found(doc, "REQUESTER") == ["Biological Psychiatry Editor"]


def test_the_doi_of_another_work_is_not_an_entity(found, rules):
    text = ("Cell Biol Int 2019;43:101-110. doi: 10.1002/cbin.11234. This article has been retracted: the flow "
            "cytometry data in Fig. 1 are similar to previously published data from a different laboratory "
            "(Med Sci Monit, 2018; 24: 5874-5880 DOI: 10.12659/MSM.909682, Fig. 2B).")
    doc = rules(text)
    assert found(doc, "ARTICLE_DOI") == ["10.1002/cbin.11234"]
    assert found(doc, "NOTICE_DOI") == []
    assert "Med Sci Monit" in found(doc, "JOURNAL")


def test_one_page_citation_is_the_notices_own(found, rules):
    doc = rules("Original citation: J Clin Invest. 2001;108(8):1205–1213. https://doi.org/10.1172/JCI13103\n\n"
                "Citation for this Expression of Concern: J Clin Invest. 2019;129(1):437. "
                "https://doi.org/10.1172/JCI126191\n\nThe Editors are publishing this notice.")
    assert found(doc, "ARTICLE_DOI") == ["10.1172/JCI13103"]
    assert found(doc, "NOTICE_DOI") == ["10.1172/JCI126191"]


def test_prose_authors_investigator_and_propagated_names(found, rules):
    text = ("The article by Dipak K. Das and Manika Das has been retracted. Following an investigation by the "
            "University of Connecticut Health Center, fabricated western blot data were found in the work of "
            "Dipak K. Das. Manika Das did not respond to correspondence about this retraction.")
    doc = rules(text)
    assert found(doc, "AUTHOR") == ["Dipak K. Das", "Manika Das", "Dipak K. Das", "Manika Das"]
    assert found(doc, "INVESTIGATOR") == ["the University of Connecticut Health Center"]


def test_examples_find_no_entity_outside_the_text(rules):
    from retraction_reasons import _resources

    for path in sorted((_resources.data_dir() / "examples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = rules(text)
        assert all(text[s.start_char:s.end_char] == s.text for s in doc.spans[ENTITY_SPANS_KEY])


def test_component_round_trips_through_disk(rules, tmp_path, seed_text):
    ruler = rules.get_pipe("retraction_reasons_entities")
    ruler.to_disk(tmp_path / "entities")
    again = build_rule_pipeline()
    again.get_pipe("retraction_reasons_entities").from_disk(tmp_path / "entities")
    first, second = rules(seed_text), again(seed_text)
    before = [(s.start_char, s.end_char, s.label_) for s in first.spans[ENTITY_SPANS_KEY]]
    after = [(s.start_char, s.end_char, s.label_) for s in second.spans[ENTITY_SPANS_KEY]]
    assert before == after
