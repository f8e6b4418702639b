"""Reason cues of round 2: phrasings found in notices the cues were not written on (neither gold
split), as self-written sentences, negations that must stay quiet, and real non-gold notices."""

from __future__ import annotations

import pytest

ROUND2_CUES = {
    "unreliable_data.integrity_not_guaranteed", "unreliable_data.problems_in_data",
    "unreliable_data.inconsistent_results", "unreliable_data.concerns_unresolved",
    "unreliable_data.study_compromised", "unreliable_data.less_variation_expected",
    "unreliable_data.concerns_about_article", "unreliable_data.original_records_missing",
    "unreliable_data.significant_discrepancy", "unreliable_data.preliminary_not_final",
    "duplicate_publication.concurrent_submission", "duplicate_publication.other_language",
    "ethics_approval.patient_no_consent", "plagiarism.reproduced_verbatim", "honest_error.wrong_genotype",
    "ethics_approval.trial_not_registered", "authorship_affiliation.affiliation_false",
    "image_problems.from_unrelated_samples", "fabrication_falsification.study_not_conducted",
    "unreliable_data.records_not_produced", "misconduct_finding.fraud_uncovered",
    "authorship_affiliation.disputes_between_authors",
    "duplicate_publication.previously_published_reuse", "plagiarism.striking_similarities",
    "plagiarism.overlap_existed_between", "plagiarism.identical_text", "plagiarism.overlapping_content",
    "image_problems.appears_overlapping_area", "image_problems.misuse_of_images",
    "ethics_approval.verify_complied_ethics", "honest_error.error_in_paper",
    "honest_error.data_accidentally_duplicated", "honest_error.typed_error",
    "honest_error.figure_not_correct", "authorship_affiliation.authorship_order",
    "authorship_affiliation.without_knowledge_named",
}


def test_round2_cues_are_in_the_cue_file(cue_records):
    # well-formed and anchored: tests/test_reason_cues_more.py checks every cue
    assert not (ROUND2_CUES) - {record["id"] for record in cue_records}


@pytest.mark.parametrize("sentence, cue_id", [
    ("The reliability of the reported results could not be confirmed by the institution.",
     "unreliable_data.integrity_not_guaranteed"),
    ("After publication we found severe problems in the data set.", "unreliable_data.problems_in_data"),
    ("The inconsistent results led the authors to retract the paper.", "unreliable_data.inconsistent_results"),
    ("We have been unable to assuage our serious concerns, so the article is retracted.",
     "unreliable_data.concerns_unresolved"),
    ("The responses of the authors did not fully resolve the concerns.", "unreliable_data.concerns_unresolved"),
    ("As the discrepancy cannot be resolved, the authors request the retraction.",
     "unreliable_data.concerns_unresolved"),
    ("We sincerely regret that this study has been compromised.", "unreliable_data.study_compromised"),
    ("There appears to be less variation in the measurements than would be expected.",
     "unreliable_data.less_variation_expected"),
    ("The editors were told that concerns were raised about this article by a reader.",
     "unreliable_data.concerns_about_article"),
    ("We tried to analyse the data, but the original gels in their entirety were found to be missing.",
     "unreliable_data.original_records_missing"),
    ("The recalculated values showed a significant discrepancy with the table.",
     "unreliable_data.significant_discrepancy"),
    ("Some of the results cited are preliminary analyses and may not reflect the final data.",
     "unreliable_data.preliminary_not_final"),
    ("There is duplication of some of the authors' previously published results.",
     "duplicate_publication.previously_published_reuse"),
    ("The article is a summary of a previously published work by the same author.",
     "duplicate_publication.previously_published_reuse"),
    ("The article shares striking similarities with an article by other authors.",
     "plagiarism.striking_similarities"),
    ("The two papers have an unacceptably high degree of similarity and re-use.",
     "plagiarism.striking_similarities"),
    ("A reader noted that an extensive overlap existed between the text of the review and a thesis.",
     "plagiarism.overlap_existed_between"),
    ("The paper has an identical introduction and identical tables to an earlier article.",
     "plagiarism.identical_text"),
    ("The article contains overlapping content with another article in a different journal.",
     "plagiarism.overlapping_content"),
    ("The microscopy images appear to contain an overlapping area.", "image_problems.appears_overlapping_area"),
    ("The journal does not accept any misuse of images.", "image_problems.misuse_of_images"),
    ("No documents were provided to verify that the study complied with ethics requirements.",
     "ethics_approval.verify_complied_ethics"),
    ("The supplier told the authors that there was an error in the illustration of the vector.",
     "honest_error.error_in_paper"),
    ("The values were inadvertently duplicated between two halves of the database.",
     "honest_error.data_accidentally_duplicated"),
    ("A calculation error changed the main estimate.", "honest_error.typed_error"),
    ("Further experiments showed that the expression reported in Figure 1 is not correct.",
     "honest_error.figure_not_correct"),
    ("The order of authorship remains disputed among the authors.", "authorship_affiliation.authorship_order"),
    ("The data were submitted without the knowledge or permission of Dr Smith.",
     "authorship_affiliation.without_knowledge_named"),
    ("The control blots in two figures are from unrelated samples.", "image_problems.from_unrelated_samples"),
    ("The journal found that the survey was never carried out.", "fabrication_falsification.study_not_conducted"),
    ("The manuscript was concurrently submitted to two journals.", "duplicate_publication.concurrent_submission"),
    ("The same study had been published in another language.", "duplicate_publication.other_language"),
    ("The patient did not give consent for publication.", "ethics_approval.patient_no_consent"),
    ("Several paragraphs were reproduced verbatim from earlier publications.", "plagiarism.reproduced_verbatim"),
    ("The mice used were of the wrong genotype.", "honest_error.wrong_genotype"),
    ("The clinical trial was not registered.", "ethics_approval.trial_not_registered"),
    ("The affiliation stated in the article is false.", "authorship_affiliation.affiliation_false"),
    ("The author stated his inability to produce the case records.", "unreliable_data.records_not_produced"),
    ("The authors were unable to provide us with the requested images.", "unreliable_data.records_not_produced"),
    ("A letter states that fraud was uncovered in the laboratory.", "misconduct_finding.fraud_uncovered"),
    ("The paper led to disputes between the authors.", "authorship_affiliation.disputes_between_authors"),
])
def test_round2_phrasings_are_cued(cue_ids_in, sentence, cue_id):
    group = cue_id.split(".")[0]
    assert (group, cue_id) in cue_ids_in(sentence), cue_ids_in(sentence)


@pytest.mark.parametrize("sentence, cue_id", [
    ("The results were not inconsistent with earlier work.", "unreliable_data.inconsistent_results"),
    ("There was no significant discrepancy between the two measurements.", "unreliable_data.significant_discrepancy"),
    ("There was no significant discrepancy between the datasets.", "unreliable_data.data_discrepancies"),
    ("The peer review of this study has been compromised.", "unreliable_data.study_compromised"),
    ("There are striking similarities between the images in Figure 2.", "plagiarism.striking_similarities"),
    ("The order of authors is correct.", "authorship_affiliation.authorship_order"),
    ("The article shows no identical text.", "plagiarism.identical_text"),
    # concerns with a stated topic are left to the cue of that topic (one statement, one cue)
    ("The authors did not address the concerns about similarities with other works.",
     "unreliable_data.concerns_unresolved"),
    # the consequence of compromised peer review is not a separate data reason
    ("As a result, the scientific integrity of the article cannot be guaranteed.",
     "unreliable_data.integrity_not_guaranteed"),
    ("Duplication of images from previously published articles was found.",
     "duplicate_publication.previously_published_reuse"),
    ("The study was not conducted in accordance with the approved protocol.",
     "fabrication_falsification.study_not_conducted"),
    ("There were no concurrent submissions.", "duplicate_publication.concurrent_submission"),
    ("No fraud was found by the committee.", "misconduct_finding.fraud_uncovered"),
    ("There were no disputes between the authors.", "authorship_affiliation.disputes_between_authors"),
    ("There is no evidence that the data are unreliable.", "unreliable_data.data_unreliable"),
    ("We found no indication that the results were invalid.", "unreliable_data.data_unreliable"),
])
def test_round2_negations_and_other_topics_are_not_cued(cue_ids_in, sentence, cue_id):
    assert cue_id not in {c for _, c in cue_ids_in(sentence)}


@pytest.mark.parametrize("corpus, notice_id, cue_id", [
    ("notices", "pmc4821174", "unreliable_data.inconsistent_results"),
    ("notices", "pmc5624253", "unreliable_data.concerns_unresolved"),
    ("notices", "pmc2064814", "honest_error.figure_not_correct"),
    ("modern_notices", "web-0088", "unreliable_data.concerns_unresolved"),
    ("modern_notices", "web-0049", "image_problems.appears_overlapping_area"),
    ("modern_notices", "web-0095", "ethics_approval.verify_complied_ethics"),
    ("unlabelled_notices", "pmc4485848", "unreliable_data.preliminary_not_final"),
    ("unlabelled_notices", "pmc5347983", "unreliable_data.original_records_missing"),
    ("unlabelled_notices", "pmc4746963", "authorship_affiliation.authorship_order"),
    ("unlabelled_notices", "pmc3320558", "honest_error.data_accidentally_duplicated"),
    ("unlabelled_notices", "pmc3717048", "image_problems.from_unrelated_samples"),
    ("unlabelled_notices", "pmc4767100", "fabrication_falsification.study_not_conducted"),
])
def test_real_notices_get_the_round2_cues(cue_ids_in, request, corpus, notice_id, cue_id):
    text = request.getfixturevalue(corpus)[notice_id]["text"]
    found = cue_ids_in(text)
    assert cue_id in {c for _, c in found}, found


def test_seed_notice_still_cues_only_unreliable_data(cue_ids_in, seed_text):
    assert {g for g, _ in cue_ids_in(seed_text)} == {"unreliable_data"}
