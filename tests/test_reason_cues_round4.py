"""Reason cues of round 4, written from the dev2 gold side: reasons the notice text states but the
cues missed (panels that duplicate each other, a case already reported, the same contents as another
article, missing controls), and cues that fired on text that does not state their reason (a negated
declaration, an open question of awareness, an apology, a statement crossing a sentence end).
Self-written sentences that must be cued, near misses that must stay quiet, and real notices."""

from __future__ import annotations

import pytest

NEW_CUES = {
    "image_problems.duplicate_each_other", "image_problems.lane_looks_different",
    "duplicate_publication.same_contents", "duplicate_publication.already_reported",
    "unreliable_data.missing_controls", "unreliable_data.material_insufficient_repeat",
}
CHANGED_CUES = {
    "unreliable_data.data_integrity_compromised", "duplicate_publication.simultaneous_submission",
    "unreliable_data.concerns_about_data", "peer_review_manipulation.third_party_reviewers",
    "other.included_studies_retracted", "publisher_error.publisher_regrets", "honest_error.error_in",
    "honest_error.figure_not_correct", "image_problems.figure_duplicated", "image_problems.image_issue_np",
    "unreliable_data.original_records_missing",
}


def test_round4_cues_are_in_the_cue_file(cue_records):
    # well-formed and anchored: tests/test_reason_cues_more.py checks every cue
    assert not (NEW_CUES | CHANGED_CUES) - {record["id"] for record in cue_records}


@pytest.mark.parametrize("sentence, cue_id", [
    ("In Figure 4, panels C and F duplicate each other.", "image_problems.duplicate_each_other"),
    ("Two of the western blots in the second figure are identical to each other.",
     "image_problems.duplicate_each_other"),
    ("On the left-hand gel, lane 6 looks markedly different from the adjacent lanes.",
     "image_problems.lane_looks_different"),
    ("The submission had nearly the same content as an article printed a year earlier.",
     "duplicate_publication.same_contents"),
    ("The two papers shared the same tables and discussion.", "duplicate_publication.same_contents"),
    ("This case had already been described in a regional journal.",
     "duplicate_publication.already_reported"),
    ("The blots shown did not include any loading controls.", "unreliable_data.missing_controls"),
    ("The archived samples were exhausted and the assays could not be repeated.",
     "unreliable_data.material_insufficient_repeat"),
    ("An inquiry was received concerning the data in the third table.", "unreliable_data.concerns_about_data"),
    ("Further errors were made in determining the enzyme activity.", "honest_error.error_in"),
    ("The authors found that Table 2 does not contain the correct values.", "honest_error.figure_not_correct"),
    ("The editors confirmed gel splicing.",
     "image_problems.image_issue_np"),
    ("The original gels have not been found by the laboratory.", "unreliable_data.original_records_missing"),
    ("The laboratory notebooks have not been located.", "unreliable_data.original_records_missing"),
    ("Several trials included in this meta-analysis have since been retracted.",
     "other.included_studies_retracted"),
    ("The authors were aware that third parties had supplied fake peer reviewers.",
     "peer_review_manipulation.third_party_reviewers"),
    ("The manuscript was submitted simultaneously to another journal.",
     "duplicate_publication.simultaneous_submission"),
    ("The reliability of the results is compromised by the missing records.",
     "unreliable_data.data_integrity_compromised"),
])
def test_round4_phrasings_are_cued(cue_ids_in, sentence, cue_id):
    group = cue_id.split(".")[0]
    found = cue_ids_in(sentence)
    assert (group, cue_id) in found, found


@pytest.mark.parametrize("sentence, cue_id", [
    # negations and declarations
    ("The authors showed that the two panels do not duplicate each other.", "image_problems.duplicate_each_other"),
    ("On closer inspection, lane 3 does not look different from the other lanes.",
     "image_problems.lane_looks_different"),
    ("The report does not have the same content as the earlier article.", "duplicate_publication.same_contents"),
    ("No data had previously been reported in this article.", "duplicate_publication.already_reported"),
    ("The controls did not include any treated cells.", "unreliable_data.missing_controls"),
    ("The samples were not exhausted and the experiments were repeated.",
     "unreliable_data.material_insufficient_repeat"),
    ("The authors declared that the paper had not been submitted to any other journal.",
     "duplicate_publication.simultaneous_submission"),
    ("The form states the work is not under consideration by another publication.",
     "duplicate_publication.simultaneous_submission"),
    ("We believe the integrity of the data was not affected by this mistake.",
     "unreliable_data.data_integrity_compromised"),
    ("Although no questions have been raised concerning the data from the second site, they agree.",
     "unreliable_data.concerns_about_data"),
    # whether the authors knew of manipulation is left open: the sentence states no reason
    ("It is unclear whether the authors were aware of any third party attempts to manipulate peer review.",
     "peer_review_manipulation.third_party_reviewers"),
    # the retraction of this article, not of the studies it relied on
    ("The journal lists recent publications. This article has been retracted at the authors' request.",
     "other.included_studies_retracted"),
    # an apology: the error regretted has its own cue
    ("The Publisher regrets that the authors were not informed sooner.", "publisher_error.publisher_regrets"),
    # the figure is fine
    ("Table 2 does contain the correct values after the update.", "honest_error.figure_not_correct"),
    ("There was no error in determining the enzyme activity.", "honest_error.error_in"),
])
def test_round4_negations_and_other_topics_are_not_cued(cue_ids_in, sentence, cue_id):
    assert cue_id not in {c for _, c in cue_ids_in(sentence)}


def test_figure_problem_stays_in_its_sentence(cues_in, cue_ids_in):
    # the image named in one sentence is not the subject of "appear similar" in the next
    text = "Questions were raised about several images in the article. Panels 3A and 3C appear similar."
    spans = [t for _, c, t in cues_in(text) if c == "image_problems.figure_duplicated"]
    assert spans, cues_in(text)
    assert all("article." not in t for t in spans), spans
    # a dotted figure label does not end the sentence
    text = "The bands in Fig. 2 appear to be duplicated."
    assert ("image_problems", "image_problems.figure_duplicated") in cue_ids_in(text)


@pytest.mark.parametrize("corpus, notice_id, cue_id", [
    ("unlabelled_notices", "pmc5347983", "unreliable_data.material_insufficient_repeat"),
    ("unlabelled_notices", "pmc5347983", "unreliable_data.concerns_about_data"),
    ("unlabelled_notices", "pmc3346927", "duplicate_publication.already_reported"),
    ("unlabelled_notices", "pmc2721947", "duplicate_publication.same_contents"),
    ("modern_notices", "web-0005", "image_problems.duplicate_each_other"),
    ("modern_notices", "web-0021", "image_problems.lane_looks_different"),
    ("modern_notices", "web-0030", "unreliable_data.missing_controls"),
    ("modern_notices", "web-0147", "honest_error.figure_not_correct"),
    ("modern_notices", "web-0189", "other.included_studies_retracted"),
    ("notices", "pmc4501188", "honest_error.error_in"),
])
def test_real_notices_get_the_round4_cues(cue_ids_in, request, corpus, notice_id, cue_id):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    found = cue_ids_in(text)
    assert cue_id in {c for _, c in found}, found


@pytest.mark.parametrize("corpus, notice_id, cue_id", [
    ("notices", "pmc4374180", "peer_review_manipulation.third_party_reviewers"),
    ("unlabelled_notices", "pmc3823448", "unreliable_data.concerns_about_data"),
    ("unlabelled_notices", "pmc4745810", "other.included_studies_retracted"),
    ("unlabelled_notices", "pmc5347983", "unreliable_data.data_integrity_compromised"),
    ("unlabelled_notices", "pmc5738559", "duplicate_publication.simultaneous_submission"),
    ("unlabelled_notices", "pmc4273734", "duplicate_publication.simultaneous_submission"),
    ("modern_notices", "web-0024", "publisher_error.publisher_regrets"),
])
def test_real_notices_lose_the_false_cues(cue_ids_in, request, corpus, notice_id, cue_id):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    assert cue_id not in {c for _, c in cue_ids_in(text)}


@pytest.mark.parametrize("corpus, notice_id, group", [
    # the tightened cues leave the reason the notice does state
    ("notices", "pmc4374180", "peer_review_manipulation"),
    ("modern_notices", "web-0024", "publisher_error"),
    ("unlabelled_notices", "pmc4745810", "fabrication_falsification"),
])
def test_real_notices_keep_their_stated_reason(cue_ids_in, request, corpus, notice_id, group):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    assert group in {g for g, _ in cue_ids_in(text)}
