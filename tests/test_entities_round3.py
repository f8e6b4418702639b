"""Entity rules, third round: fixes found while extending the gold set with the `dev2` side.

The short sentences are self-written; real notices are read through the corpus fixtures (none
of them in the gold test split).
"""

from __future__ import annotations

import pytest

from retraction_reasons.pipeline import ENTITY_SPANS_KEY


def found(doc, label):
    return [s.text for s in doc.spans[ENTITY_SPANS_KEY] if s.label_ == label]


@pytest.mark.parametrize("sentence, publisher", [
    ("This article has been retracted by Springer Science+Business Media LLC at the request of the authors.",
     "Springer Science+Business Media LLC"),
    ("© 2020 Springer Science+Business Media, LLC, part of Springer Nature.", "Springer Science+Business Media"),
    ("Published by John Wiley & Sons Ltd on behalf of the society.", "John Wiley & Sons Ltd"),
])
def test_company_names_joined_by_plus_stay_one_publisher(rules, sentence, publisher):
    publishers = found(rules(sentence), "PUBLISHER")
    assert publisher in publishers
    # no piece of the name left over as a second publisher
    assert not [p for p in publishers if p != publisher and p in publisher and p not in ("Springer Nature",)]
