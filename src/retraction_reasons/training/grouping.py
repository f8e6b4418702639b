"""Groups of near-duplicate notices, so that cross-validation keeps each group in one fold.

Publishers reuse templates ("the peer-review process was inappropriately influenced and
compromised" in 20 BioMed Central notices): a template seen in training makes the same template
in the test fold easy, and inflates scores. Notices are linked when the cosine similarity of
their word n-gram TF-IDF vectors (numbers and DOIs masked) reaches ``threshold``, or when they
share a key such as a DOI; groups are the connected components.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["near_duplicate_groups"]

_MASK = re.compile(r"10\.\d{4,9}/\S+|\d+")


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = 0.5,
                          shared_keys: Sequence[Iterable[str]] | None = None) -> np.ndarray:
    """Group id of each text (0..n_groups-1), shape (n_samples,)."""
    n = len(texts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    if n > 1:
        masked = [_MASK.sub(" 0 ", t.lower()) for t in texts]
        vectors = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1).fit_transform(masked)
        similarity = (vectors @ vectors.T).tocoo()
        for i, j, value in zip(similarity.row, similarity.col, similarity.data):
            if i < j and value >= threshold:
                union(int(i), int(j))
    if shared_keys is not None:
        owner: dict[str, int] = {}
        for i, keys in enumerate(shared_keys):
            for key in keys or ():
                key = str(key).strip().lower()
                if not key:
                    continue
                if key in owner:
                    union(i, owner[key])
                else:
                    owner[key] = i
    roots = [find(i) for i in range(n)]
    renumber = {root: k for k, root in enumerate(dict.fromkeys(roots))}
    return np.array([renumber[r] for r in roots], dtype=int)
