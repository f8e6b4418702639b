"""Reason cues of round 3: reasons the notice text states but the cues missed, and cues that fired
on text that does not state their reason (errors of other work, anaphora, a topic left to another
cue). Self-written sentences that must be cued, near misses that must stay quiet, and real
non-gold notices."""

from __future__ import annotations

import pytest

NEW_CUES = {
    "image_problems.figures_appeared_elsewhere", "permission_legal.without_consent_institution",
    "honest_error.antibody_not_specific",
}
CHANGED_CUES = {
    "publisher_error.publisher_error", "plagiarism.overlap_previous", "unreliable_data.concerns_about_data",
    "unreliable_data.validity_of_unconfirmed", "unreliable_data.validity_unconfirmed",
}


def test_round3_cues_are_in_the_cue_file(cue_records):
    # well-formed and anchored: tests/test_reason_cues_more.py checks every cue
    assert not (NEW_CUES | CHANGED_CUES) - {record["id"] for record in cue_records}


@pytest.mark.parametrize("sentence, cue_id", [
    ("Three panels of the article had previously appeared in an earlier paper of the group.",
     "image_problems.figures_appeared_elsewhere"),
    ("Two figures (Figs. 2 and 3) had also appeared, in part, in another article by the team.",
     "image_problems.figures_appeared_elsewhere"),
    ("The paper was submitted without the consent of the co-investigators and their university.",
     "permission_legal.without_consent_institution"),
    ("A reviewer raised concerns about the specificity of the antibodies used for staining.",
     "honest_error.antibody_not_specific"),
    ("Later tests showed the commercial antibody was not specific for the target protein.",
     "honest_error.antibody_not_specific"),
    ("The article was removed after a production error by the publisher.", "publisher_error.publisher_error"),
    ("The paper has significant overlap with previous articles by other groups.", "plagiarism.overlap_previous"),
    ("The editors raised concerns about the data in the second table.", "unreliable_data.concerns_about_data"),
    ("We were unable to verify the integrity of the data in this article.",
     "unreliable_data.validity_of_unconfirmed"),
])
def test_round3_phrasings_are_cued(cue_ids_in, sentence, cue_id):
    group = cue_id.split(".")[0]
    found = cue_ids_in(sentence)
    assert (group, cue_id) in found, found


@pytest.mark.parametrize("sentence, cue_id", [
    # negations
    ("None of the figures had appeared in a previous publication.", "image_problems.figures_appeared_elsewhere"),
    ("The images had not previously appeared in another article.", "image_problems.figures_appeared_elsewhere"),
    ("There were no concerns about the specificity of the antibody.", "honest_error.antibody_not_specific"),
    # errors in the experiments are the authors' errors; "the identified" refers back to them
    ("The authors retract the paper due to technical errors in the experiments.",
     "publisher_error.publisher_error"),
    ("All figures are affected by the identified technical errors.", "publisher_error.publisher_error"),
    # overlap with the authors' own work is duplication, not plagiarism
    ("The text shows significant overlap with another manuscript submitted by the authors.",
     "plagiarism.overlap_previous"),
    ("The review has extensive overlap with their own previous publication.", "plagiarism.overlap_previous"),
    # the named problem (duplication, fabrication) is left to its own cue
    ("We are aware of issues related to data duplication in two figures.", "unreliable_data.concerns_about_data"),
    ("The article was retracted after concerns regarding data fabrication.", "unreliable_data.concerns_about_data"),
    # a reason of another work
    ("The editors were unable to verify the integrity of that work, which was retracted.",
     "unreliable_data.validity_of_unconfirmed"),
    ("The journal could not confirm the validity of the other study.", "unreliable_data.validity_unconfirmed"),
])
def test_round3_negations_and_other_topics_are_not_cued(cue_ids_in, sentence, cue_id):
    assert cue_id not in {c for _, c in cue_ids_in(sentence)}


@pytest.mark.parametrize("sentence, group", [
    # the fixes keep the reason the sentence does state
    ("The authors retract the paper due to technical errors in the experiments.", "honest_error"),
    ("The text shows significant overlap with another manuscript submitted by the authors.",
     "duplicate_publication"),
    ("The article was retracted after concerns regarding data fabrication.", "fabrication_falsification"),
    ("Submitted without the knowledge of the other researchers or their institution.", "authorship_affiliation"),
])
def test_round3_fixes_keep_the_stated_reason(cue_ids_in, sentence, group):
    assert group in {g for g, _ in cue_ids_in(sentence)}


@pytest.mark.parametrize("corpus, notice_id, cue_id", [
    ("notices", "pmc5228293", "image_problems.figures_appeared_elsewhere"),
    ("notices", "pmc4639535", "permission_legal.without_consent_institution"),
    ("notices", "pmc5422532", "honest_error.antibody_not_specific"),
    ("unlabelled_notices", "pmc4850785", "publisher_error.publisher_error"),
])
def test_real_notices_get_the_round3_cues(cue_ids_in, request, corpus, notice_id, cue_id):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    found = cue_ids_in(text)
    assert cue_id in {c for _, c in found}, found


@pytest.mark.parametrize("corpus, notice_id, cue_id", [
    ("notices", "pmc4081736", "publisher_error.publisher_error"),
    ("notices", "pmc4926803", "plagiarism.overlap_previous"),
    ("notices", "pmc5725357", "unreliable_data.concerns_about_data"),
    ("modern_notices", "web-0099", "unreliable_data.validity_of_unconfirmed"),
])
def test_real_notices_lose_the_false_cues(cue_ids_in, request, corpus, notice_id, cue_id):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    assert cue_id not in {c for _, c in cue_ids_in(text)}
