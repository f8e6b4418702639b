"""Entity rules, second round across publishers: investigators and requesters in more
phrasings, and DOIs and authors of other works (a plagiarised source, a duplicate, works
listed after "the following published articles:") left out.

Real notices are read through the corpus fixtures (none of them in the gold test split); the
short sentences are self-written.
"""

from __future__ import annotations

import pytest



# -- real notices -------------------------------------------------------------------------------

@pytest.mark.parametrize("corpus, notice_id, label, expected", [
    ("notices", "pmc5661411", "INVESTIGATOR", "the journal"),             # "Following an investigation, the journal is able to confirm"
    ("modern_notices", "web-0095", "INVESTIGATOR", "PLOS"),               # "PLOS identified ..."
    ("modern_notices", "web-0099", "INVESTIGATOR", "The PLOS ONE Editors"),  # "conducted follow up enquiries"
    ("modern_notices", "web-0012", "INVESTIGATOR", "The Editorial Office"),  # "has also identified evidence"
    ("modern_notices", "web-0163", "REQUESTER", "the authors"),           # "at the authors' request"
    ("modern_notices", "web-0169", "REQUESTER", "the corresponding author"),  # "at the corresponding author's request"
    ("unlabelled_notices", "pmc3880712", "REQUESTER", "the authors"),     # "retracted upon the authors' request"
    ("unlabelled_notices", "pmc3231606", "REQUESTER", "the Editorial Team and the Publisher"),  # "have determined that ... should be retracted"
    ("notices", "pmc2172578", "REQUESTER", "the editors"),                # "the editors require retraction"
])
def test_parties_in_real_notices(found, rules, request, corpus, notice_id, label, expected):
    notices = request.getfixturevalue(corpus)
    assert expected in found(rules(notices[notice_id]["text"]), label)


@pytest.mark.parametrize("corpus, notice_id, other_doi", [
    ("modern_notices", "web-0040", "10.3389/fgene.2020.00779"),        # "identical images with the following papers: '...' (doi)"
    ("modern_notices", "web-0047", "10.1002/jcb.28232"),               # "Figure panel 3b of the retracted article '...' (DOI)"
    ("notices", "pmc5482084", "10.1113/jphysiol.2009.170050"),         # "in the following paper: X et al. ... DOI"
    ("unlabelled_notices", "pmc5046005", "10.1177/1534650112438462"),  # the last of a list of copied sources
    ("unlabelled_notices", "pmc4121235", "10.1055/s-2007-964953"),     # "from the published article titled ..."
])
def test_dois_of_other_works_are_not_labelled(found, rules, request, corpus, notice_id, other_doi):
    doc = rules(request.getfixturevalue(corpus)[notice_id]["text"])
    assert other_doi not in found(doc, "ARTICLE_DOI") + found(doc, "NOTICE_DOI")


def test_authors_of_listed_sources_are_not_authors_but_the_articles_are(found, rules, unlabelled_notices, notices):
    sources = rules(unlabelled_notices["pmc5204109"]["text"])  # "material from the following published articles: ..."
    assert "Nazareno Paolocci" not in found(sources, "AUTHOR")
    copied = rules(unlabelled_notices["pmc4121235"]["text"])
    assert "S. Senay" not in found(copied, "AUTHOR")
    assert {"Umit Kaya", "Cem Alhan"} <= set(found(copied, "AUTHOR"))  # the article's coauthors, after "Also,"
    assert "Gaetano Bertino" in found(rules(notices["pmc4830758"]["text"]), "AUTHOR")
    # "retracted ... due to plagiarism issues: <citation>" cites the article itself, not a source
    assert {"Sharma K", "Kumar M", "Batra UB"} <= set(found(rules(unlabelled_notices["pmc4009676"]["text"]), "AUTHOR"))


# -- self-written sentences ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Karolinska Institutet carried out a review of the data and concluded that the results were unreliable.",
     "Karolinska Institutet"),
    ("The article was reviewed by an independent expert who found that the data were duplicated.", "an independent expert"),
    ("The concerns were investigated by the Data Integrity team of the publisher.", "the Data Integrity team of the publisher"),
    ("Hindawi's Research Integrity team found that the peer review was compromised.", "Hindawi's Research Integrity team"),
    ("Following a review by the journal's research integrity team, the article is retracted.",
     "the journal's research integrity team"),
    ("Seoul National University informed the journal that its investigation found fabrication.", "Seoul National University"),
    ("The authors' institution notified the Editors of the outcome of its investigation.", "The authors' institution"),
    ("The university's investigation committee concluded that the data were fabricated.",
     "The university's investigation committee"),
    ("The institutional investigation committee found that the figures were manipulated.",
     "The institutional investigation committee"),
    ("The Editors-in-Chief have reviewed the concerns and found that the data are unreliable.", "The Editors-in-Chief"),
    ("The journal's editorial office conducted an investigation into the concerns.", "The journal's editorial office"),
    ("The Danish Committees on Scientific Dishonesty concluded that the data were fabricated.",
     "The Danish Committees on Scientific Dishonesty"),
    ("Following an investigation, the journal was able to confirm the duplication.", "the journal"),
    ("The institution's Research Integrity Officer reviewed the allegations.",
     "The institution's Research Integrity Officer"),
])
def test_investigator_phrasings(found, rules, sentence, expected):
    assert found(rules(sentence), "INVESTIGATOR") == [expected]


@pytest.mark.parametrize("sentence", [
    "The data reported in the article were not reviewed by the ethics board before submission.",
    "This manuscript was peer reviewed by two external reviewers.",
    "The authors reviewed the raw data and found that the figures were wrong.",
])
def test_not_investigators(found, rules, sentence):
    assert found(rules(sentence), "INVESTIGATOR") == []


@pytest.mark.parametrize("sentence, expected", [
    ("This article has been retracted at the authors' request.", ["the authors"]),
    ("Upon the author's request, the article has been withdrawn.", ["the author"]),
    ("This article has been retracted as requested by the Editors.", ["the Editors"]),
    ("Consequently, the Editorial Team and Publisher have determined that it should be retracted.",
     ["the Editorial Team and Publisher"]),
    ("However, the editors require retraction of the entire paper.", ["the editors"]),
])
def test_requester_phrasings(found, rules, sentence, expected):
    assert found(rules(sentence), "REQUESTER") == expected


def test_a_list_of_sources_ends_where_the_notice_returns_to_its_article(found, rules):
    text = ("The article was found to contain material from the following published articles: Smith J, Roe P: "
            "A study. J Test Res. 2010; 4(2): 10-20. doi: 10.1234/jtr.2010.001. The original article [1] is "
            "retracted. Retraction of: doi: 10.1234/jtr.2015.777")
    doc = rules(text)
    dois = found(doc, "ARTICLE_DOI") + found(doc, "NOTICE_DOI")
    assert "10.1234/jtr.2010.001" not in dois
    assert "10.1234/jtr.2015.777" in dois
