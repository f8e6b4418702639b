"""Reason cues added for phrasings the first cue set missed: self-written sentences, real
notices of the corpora, negations that must not fire, and the speed rule (every cue has a literal
anchor the rule engine can skip on)."""

from __future__ import annotations

import re

import pytest

from retraction_reasons.pipeline.rules import leading_anchor, required_literals
from retraction_reasons.taxonomy import load_taxonomy


def test_every_cue_is_well_formed_and_anchored(cue_records):
    groups = set(load_taxonomy().group_ids)
    ids = [r["id"] for r in cue_records]
    assert len(ids) == len(set(ids)), "cue ids must be unique"
    for record in cue_records:
        assert record["group"] in groups, record["id"]
        assert record["id"].startswith(record["group"] + "."), record["id"]
        assert record["norm"].strip(), record["id"]
        assert "(?P<span>" in record["regex"], record["id"]
        regex = re.compile(record["regex"], re.IGNORECASE)
        # speed: the rule engine skips a cue unless its literals occur, and starts it only at anchors
        assert leading_anchor(regex.pattern, regex.flags) is not None, record["id"]
        assert required_literals(regex.pattern, regex.flags) is not None, record["id"]


@pytest.mark.parametrize("sentence, group", [
    ("The results in the article have been brought into question and the article is retracted.", "unreliable_data"),
    ("As a result, the original conclusions have been compromised.", "unreliable_data"),
    ("We do not have sufficient grounds to consider the published material scientifically reliable.", "unreliable_data"),
    ("The issues regarding the provenance of the cell lines were not resolved.", "unreliable_data"),
    ("The statistical methods were not reported in sufficient detail.", "unreliable_data"),
    ("The authors were not being able to reproduce the results shown in Figure 2.", "unreliable_data"),
    ("The last author takes full responsibility for the misrepresentation of data in this paper.", "unreliable_data"),
    ("The authors did not store the data properly.", "unreliable_data"),
    ("Fig. 4b does not appear to be consistent with the conclusions of the article.", "unreliable_data"),
    ("Several data panels were apparently drawn from the same original sources.", "image_problems"),
    ("Several cell images are unexpectedly very similar to those in other articles.", "image_problems"),
    ("A duplication across different treatment groups cannot be explained.", "image_problems"),
    ("The corresponding author stated that an error occurred in the figure preparation.", "image_problems"),
    ("There were significant similarities between this paper and previously published articles.", "plagiarism"),
    ("The original source was never cited.", "plagiarism"),
    ("We did not cite the article from the other journal.", "plagiarism"),
    ("We regret the inadvertent omission of the appropriate referencing.", "plagiarism"),
    ("It contains reused and uncited material that was not placed within quotation marks.", "plagiarism"),
    ("It has been published in duplicate in another volume.", "duplicate_publication"),
    ("The article contains the same content as a previously published article.", "duplicate_publication"),
    ("Thus owing to duplicity of the text, the article is being retracted.", "duplicate_publication"),
    ("The paper is retracted because of ethical concerns.", "ethics_approval"),
    ("The clinical trial was not approved by an ethical board.", "ethics_approval"),
    ("The experiments were conducted without prior approval from the institutional animal ethics committee.", "ethics_approval"),
    ("The article was retracted due to concerns about compliance with the human subjects research policy.", "ethics_approval"),
    ("The manuscript violates the generally accepted policies and ethics of scientific publishing.", "ethics_approval"),
    ("The corresponding author was not aware that his/her name had been used.", "authorship_affiliation"),
    ("The paper included names of authors who never contributed towards the article.", "authorship_affiliation"),
    ("Two of the listed authors did not qualify for authorship.", "authorship_affiliation"),
    ("The author submitted false information about the author's affiliation.", "authorship_affiliation"),
    ("There existed arguments on both authorship and financial support for this article.", "authorship_affiliation"),
    ("The authors asked an agency for writing and submitting the article.", "paper_mill"),
    ("A significant conflict of interest has occurred involving this study.", "conflict_of_interest"),
    ("The first author did not fully declare his association with the manufacturer.", "conflict_of_interest"),
    ("The article has been retracted due to misconduct.", "misconduct_finding"),
    ("The author has admitted this scientific misbehavior.", "misconduct_finding"),
    ("It was a non voluntary mistake.", "honest_error"),
    ("This was due to the authors' negligence during the preparation of the manuscript.", "honest_error"),
    ("Authors submitted this article without permission of the Editor of the original journal.", "permission_legal"),
    ("Three of the five articles on which the study was based were retracted.", "other"),
])
def test_added_phrasings_are_cued(cues_in, sentence, group):
    found = cues_in(sentence)
    assert group in {g for g, _, _ in found}, found
    assert all(text in sentence for _, _, text in found)


@pytest.mark.parametrize("sentence, group", [
    ("The errors were not due to misconduct.", "misconduct_finding"),
    ("The authors used a language editing service to prepare the manuscript.", "paper_mill"),
    ("The authors did not acknowledge the funding source.", "plagiarism"),
    ("The main results were not compromised by the error.", "unreliable_data"),
    ("The authors declare no significant conflict of interest.", "conflict_of_interest"),
    ("The reviewers raised no ethical concerns.", "ethics_approval"),
])
def test_negated_or_unrelated_phrasings_are_not_cued(cues_in, sentence, group):
    assert group not in {g for g, _, _ in cues_in(sentence)}


@pytest.mark.parametrize("corpus, notice_id, group", [
    ("modern_notices", "web-0081", "image_problems"),          # panels drawn from the same sources
    ("modern_notices", "web-0115", "ethics_approval"),         # without prior approval of the ethics committee
    ("modern_notices", "web-0032", "unreliable_data"),         # not consistent with the conclusions
    ("notices", "pmc3433306", "plagiarism"),                   # portions duplicated from a published article
    ("notices", "pmc5639181", "authorship_affiliation"),       # false information about the affiliation
    ("notices", "pmc3652726", "conflict_of_interest"),         # association with a company not declared
    ("unlabelled_notices", "pmc4720843", "duplicate_publication"),  # published in duplicate
    ("unlabelled_notices", "pmc4212055", "ethics_approval"),   # not approved by an ethical board
    ("unlabelled_notices", "pmc5343063", "paper_mill"),        # an agency wrote and submitted it
    ("unlabelled_notices", "pmc4028473", "misconduct_finding"),  # retracted due to misconduct
])
def test_real_notices_get_the_added_cues(cues_in, request, corpus, notice_id, group):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    found = cues_in(text)
    assert group in {g for g, _, _ in found}, found
    for _, _, span_text in found:
        assert span_text in text


def test_seed_notice_cues_only_unreliable_data(cues_in, seed_text):
    assert {g for g, _, _ in cues_in(seed_text)} == {"unreliable_data"}
