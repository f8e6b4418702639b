"""The reason groups (classifier targets) and the map from Retraction Watch reasons to them.

The taxonomy lives in ``data/taxonomy.tsv``: rows of kind ``group`` define the targets (ids are
fixed), rows of kind ``reason`` map each Retraction Watch reason, with its old spellings, to a
group or to ``process`` (who investigated, dates: entities, not classifier targets).
To add a reason group, add a ``group`` row there and cue patterns for it in
``data/patterns/reason_cues.jsonl``; then retrain.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ._resources import taxonomy_path

__all__ = ["ReasonGroup", "Taxonomy", "load_taxonomy", "PROCESS"]

#: Pseudo-group of Retraction Watch reasons that describe the process, not a reason.
PROCESS = "process"


@dataclass(frozen=True)
class ReasonGroup:
    """One classifier target."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    """Reason groups in their fixed order, and a case-insensitive map of RW reason strings."""

    groups: tuple[ReasonGroup, ...]
    reason_to_group: dict[str, str]

    @property
    def group_ids(self) -> list[str]:
        return [g.id for g in self.groups]

    def name_of(self, group_id: str) -> str:
        """Human-readable name of a group id (the id itself for labels outside the taxonomy)."""
        for group in self.groups:
            if group.id == group_id:
                return group.name
        return group_id

    def map_label(self, label: str) -> str | None:
        """Map a group id or a Retraction Watch reason (any spelling, '+' prefix) to a group id.

        Returns ``"process"`` for process reasons and ``None`` for an unknown string.
        """
        key = _normalise(label)
        if key in self._group_keys:
            return self._group_keys[key]
        return self.reason_to_group.get(key)

    def map_labels(self, labels: Iterable[str]) -> tuple[list[str], list[str]]:
        """Map many labels; returns ``(group ids without process, unknown strings)``."""
        groups: list[str] = []
        unknown: list[str] = []
        for label in labels:
            group = self.map_label(label)
            if group is None:
                unknown.append(label)
            elif group != PROCESS and group not in groups:
                groups.append(group)
        return groups, unknown

    @property
    def _group_keys(self) -> dict[str, str]:
        return {_normalise(g.id): g.id for g in self.groups}


def _normalise(label: str) -> str:
    return " ".join(label.strip().lstrip("+").strip().lower().split())


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy TSV (default: the shipped ``data/taxonomy.tsv``)."""
    return _load_taxonomy(str(path or taxonomy_path()))


@lru_cache(maxsize=4)
def _load_taxonomy(path: str) -> Taxonomy:
    groups: list[ReasonGroup] = []
    reason_to_group: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            kind, group_id = row["kind"], row["id"]
            if kind == "group":
                groups.append(ReasonGroup(group_id, row["name_or_reason"], row["description_or_aliases"]))
            elif kind == "reason":
                spellings = [row["name_or_reason"], *row["description_or_aliases"].split("|")]
                for spelling in spellings:
                    if spelling.strip():
                        reason_to_group[_normalise(spelling)] = group_id
    return Taxonomy(tuple(groups), reason_to_group)
