"""Entity rules on phrasings that vary between publishers: investigators named in other ways,
author lists in other orders, other works' authors left out, DOI roles, requesters, journals,
publishers and date forms.

Real notices are read through the corpus fixtures (none of them in the gold test split); the
short sentences are self-written.
"""

from __future__ import annotations

import pytest



# -- real notices -------------------------------------------------------------------------------

@pytest.mark.parametrize("notice_id, label, expected", [
    ("pmc5096433", "INVESTIGATOR", "Frontiers"),                                          # X conducted an investigation
    ("pmc3369973", "INVESTIGATOR", "the Committee for Publication Ethics of KAMJE"),      # a society's ethics committee
    ("pmc2064814", "AUTHOR", "Gerard C. Grosveld"),                                       # "notified by Dr. X ... he and the other authors"
    ("pmc2118152", "AUTHOR", "Markus Müschen"),
    ("pmc5399612", "AUTHOR", "Jan Borén"),                                                # "submitted by X ... on behalf of the coauthors"
])
def test_named_parties_in_labelled_notices(found, rules, notices, notice_id, label, expected):
    assert expected in found(rules(notices[notice_id]["text"]), label)


@pytest.mark.parametrize("notice_id, label, expected", [
    ("pmc4847209", "INVESTIGATOR", "the University of Dundee"),                           # "by X (guided by ...)"
    ("pmc5327633", "INVESTIGATOR", "the Research Integrity Officer of Rice University"),  # a whole word, with its "of X"
    ("pmc4534025", "INVESTIGATOR", "Moi University Institutional Research and Ethics Committee (IREC)"),
    ("pmc5214560", "REQUESTER", "The Editor and Publisher of the journal Pharmacognosy Reviews"),  # "regret to announce"
    ("pmc5738559", "REQUESTER", "the Editor of CLINICS"),                                 # stops before "in agreement with"
    ("pmc3726878", "DATE", "2013 Jan-Feb"),                                               # year, then a month range
])
def test_named_parties_in_unlabelled_notices(found, rules, unlabelled_notices, notice_id, label, expected):
    assert expected in found(rules(unlabelled_notices[notice_id]["text"]), label)


def test_a_doi_standing_as_the_page_of_a_citation_is_the_notices_own(found, rules, unlabelled_notices):
    doc = rules(unlabelled_notices["pmc3519205"]["text"])
    assert found(doc, "NOTICE_DOI") == ["10.4103/0973-029X.102529"]
    assert set(found(doc, "ARTICLE_DOI")) == {"10.4103/0973-029X.86678"}
    assert found(doc, "INVESTIGATOR") == ["the investigation committee"]


def test_a_single_doi_after_a_plain_citation_line_is_the_articles(found, rules, unlabelled_notices):
    doc = rules(unlabelled_notices["pmc3873114"]["text"])
    assert found(doc, "ARTICLE_DOI") == ["10.7448/IAS.16.3.18670"]
    assert found(doc, "NOTICE_DOI") == []


def test_authors_of_the_copied_sources_are_not_authors(found, rules, notices, modern_notices):
    # Hindawi: material from the paper "..." authored by ...; a numbered list of plagiarised sources
    assert found(rules(notices["pmc3854612"]["text"]), "AUTHOR") == []
    assert found(rules(modern_notices["web-0160"]["text"]), "AUTHOR") == []


def test_author_statements_name_each_author_without_the_word_authors(found, rules, modern_notices):
    authors = found(rules(modern_notices["web-0006"]["text"]), "AUTHOR")
    assert {"Fuminori Yamaguchi", "Kazuyo Kamitori", "Hossain Akram"} <= set(authors)
    assert not [a for a in authors if a.lower().startswith("author")]


def test_a_journal_name_stops_before_and_the_chief_editor(found, rules, modern_notices):
    doc = rules(modern_notices["web-0073"]["text"])
    assert "Frontiers in Oncology" in found(doc, "JOURNAL")
    assert not [j for j in found(doc, "JOURNAL") if " and the " in j]
    assert "Frontiers" in found(doc, "PUBLISHER")


def test_journal_named_after_the_notice_heading(found, rules, modern_notices):
    assert "Nature" in found(rules(modern_notices["web-0002"]["text"]), "JOURNAL")


def test_an_editorial_office_that_investigates(found, rules, modern_notices):
    assert found(rules(modern_notices["web-0056"]["text"]), "INVESTIGATOR") == ["the Editorial Office"]


# -- self-written sentences ---------------------------------------------------------------------

def test_apa_author_list(found, rules):
    doc = rules("Smith, J., Doe, A. B., & Roe, C. (2019). A study of things in places. Journal of Things, "
                "12(3), 45–67. This article has been retracted at the request of the authors.")
    assert found(doc, "AUTHOR") == ["Smith, J", "Doe, A. B", "Roe, C"]


def test_apa_list_of_two_with_and_is_not_a_title(found, rules):
    doc = rules("Retraction of: Kumar, R. and Singh, P. (2018) A study of things. Journal of Things 5, 12–19.")
    assert found(doc, "AUTHOR") == ["Kumar, R", "Singh, P"]
    assert found(doc, "ARTICLE_TITLE") == []


def test_names_with_particles(found, rules):
    doc = rules("Maria van der Berg, Peter de Vries and Ana da Silva agree to this retraction.")
    assert found(doc, "AUTHOR") == ["Maria van der Berg", "Peter de Vries", "Ana da Silva"]


def test_prose_list_of_three_with_and(found, rules):
    doc = rules("Retraction: John Smith, Mary Jones, and Peter Brown. A study of things. Journal of Things. "
                "2019;12:45–67. The authors retract this article.")
    assert found(doc, "AUTHOR") == ["John Smith", "Mary Jones", "Peter Brown"]
    doc = rules("J. Smith, A. B. Doe and C. Roe. A study of things. J. Chem. Res., 2019, 12, 45–67.")
    assert found(doc, "AUTHOR") == ["J. Smith", "A. B. Doe", "C. Roe"]


def test_title_case_words_in_a_title_are_not_a_list_of_names(found, rules):
    doc = rules("We retract the paper entitled ‘Effects of Drugs on Lumbar Bone Mineral Density, Bone Turnover, "
                "and Lipid Metabolism in Elderly Women’ published in 2009.")
    assert found(doc, "AUTHOR") == []


def test_authors_named_after_except_and_capitalised_author(found, rules):
    doc = rules("This article has been retracted at the request of the Editor, with agreement from all authors "
                "except Jane Roe and Emily Smith. Author John Doe stated on behalf of all co-authors that they "
                "agree to this retraction.")
    assert found(doc, "AUTHOR") == ["Jane Roe", "Emily Smith", "John Doe"]
    assert found(doc, "REQUESTER") == ["the Editor"]


def test_initials_written_together(found, rules):
    doc = rules("The investigation determined that A. Brown, C.N. Smith, C.L. Jones and R. White were not "
                "involved in the preparation of the figures.")
    assert found(doc, "AUTHOR") == ["A. Brown", "C.N. Smith", "C.L. Jones", "R. White"]


@pytest.mark.parametrize("sentence, expected", [
    ("Following concerns about the data, the Publisher conducted an investigation.", "the Publisher"),
    ("The University's internal investigation found that the images were altered.", "The University"),
    ("The ethics committee of the Example Hospital concluded that consent was not obtained.",
     "The ethics committee of the Example Hospital"),
    ("After having investigated the matter, the Editor of Experimental Things and Methods has upheld the claims.",
     "the Editor of Experimental Things and Methods"),
    ("A committee at the Example University has investigated this case.", "A committee at the Example University"),
    ("The first author has been found guilty of scientific misconduct by the Rector of the Example University.",
     "the Rector of the Example University"),
])
def test_investigator_phrasings(found, rules, sentence, expected):
    assert expected in found(rules(sentence), "INVESTIGATOR")


def test_an_ethics_committee_that_only_approved_is_not_cope(found, rules):
    doc = rules("The journal is a member of the Committee on Publication Ethics (COPE). After an investigation, "
                "the Committee for Publication Ethics of the Example Society concluded that the data were copied.")
    assert found(doc, "INVESTIGATOR") == ["the Committee for Publication Ethics of the Example Society"]


def test_requesters_across_a_citation_mark_and_a_journal_name(found, rules):
    assert found(rules("This article has been retracted [ 1 ] by the authors because the data were wrong."),
                 "REQUESTER") == ["the authors"]
    assert found(rules("This abstract has been retracted from Allergy, Asthma & Things by the authors."),
                 "REQUESTER") == ["the authors"]
    assert found(rules("Accordingly, the Editor-in-Chief and Publisher have issued this Notice of Retraction."),
                 "REQUESTER") == ["the Editor-in-Chief and Publisher"]
    assert found(rules("This article has been withdrawn at the request of the author(s) and/or editor."),
                 "REQUESTER") == ["the author(s) and/or editor"]


def test_doi_roles_from_the_citation_form(found, rules):
    doc = rules("J Example Pathol 2012; 16:10.1234/jep.102529. Smith A, Roe B. A study of things. "
                "J Example Pathol 2011;15:272-7 (Original DOI: 10.1234/jep.86678). The above article is retracted.")
    assert found(doc, "NOTICE_DOI") == ["10.1234/jep.102529"]
    assert found(doc, "ARTICLE_DOI") == ["10.1234/jep.86678"]


@pytest.mark.parametrize("sentence, date", [
    ("The update was posted on 2 nd July, 2015.", "2 nd July, 2015"),
    ("Published in Ann Things 2013 June 12;5(2):1-9.", "2013 June 12"),
    ("Int J Things 2011 Apr-Jun; 2(2):101-2.", "2011 Apr-Jun"),
    ("The thesis was defended in March-2004.", "March-2004"),
    ("The notice was approved on 2019/05/03.", "2019/05/03"),
])
def test_date_forms(found, rules, sentence, date):
    assert date in found(rules(sentence), "DATE")


def test_publisher_names_from_the_gazetteer(found, rules):
    doc = rules("The article was retracted by agreement between the Editor and Wolters Kluwer Medknow. "
                "It was first published by Informa Healthcare, then by Routledge.")
    assert {"Wolters Kluwer Medknow", "Informa Healthcare", "Routledge"} <= set(found(doc, "PUBLISHER"))
