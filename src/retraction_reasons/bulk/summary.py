"""The summary of a bulk job: rows in and out, errors by kind, notices per reason, speed.

Each shard's done-marker carries its own counts, so a resumed job's summary covers the
whole output, not only the shards done in the last run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

__all__ = ["JobSummary", "shard_counts"]


def shard_counts(annotations: Mapping[str, list]) -> dict[str, Any]:
    """The counts of one shard's annotation columns, as stored in its done-marker."""
    errors = Counter(kind for kind in annotations["error_kind"] if kind)
    reasons = Counter(reason for ids in annotations["reasons"] for reason in ids)
    types = Counter(kind for kind in annotations["notice_type"] if kind)
    return {"rows": len(annotations["error_kind"]), "errors": dict(errors), "reasons": dict(reasons),
            "notice_types": dict(types)}


@dataclass
class JobSummary:
    """What a job did. ``rows_in == rows_out`` for every finished job."""

    out: Path | None
    rows_in: int = 0
    rows_out: int = 0
    rows_this_run: int = 0
    shards: int = 0
    shards_resumed: int = 0
    seconds: float = 0.0
    workers: int = 1
    engine: str = "local"
    errors: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    notice_types: Counter = field(default_factory=Counter)

    @property
    def notices_per_second(self) -> float:
        """Rows annotated in this run per second of this run (resumed shards excluded)."""
        return self.rows_this_run / self.seconds if self.seconds > 0 else 0.0

    def add_counts(self, counts: Mapping[str, Any]) -> None:
        self.rows_in += counts["rows"]
        self.errors.update(counts["errors"])
        self.reasons.update(counts["reasons"])
        self.notice_types.update(counts["notice_types"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out) if self.out else None, "rows_in": self.rows_in, "rows_out": self.rows_out,
            "rows_this_run": self.rows_this_run, "shards": self.shards, "shards_resumed": self.shards_resumed,
            "seconds": round(self.seconds, 3), "notices_per_second": round(self.notices_per_second, 2),
            "workers": self.workers, "engine": self.engine, "errors": dict(self.errors.most_common()),
            "reasons": dict(self.reasons.most_common()), "notice_types": dict(self.notice_types.most_common()),
        }

    def format(self) -> str:
        """The summary printed at the end of a job."""
        lines = [
            f"annotated {self.rows_out:,} rows into {self.out} ({self.rows_in:,} rows in)",
            f"  {self.rows_this_run:,} rows in {self.seconds:,.1f} s this run: {self.notices_per_second:,.1f} notices/s "
            f"({self.engine}, {self.workers} worker{'s' if self.workers != 1 else ''}; "
            f"{self.shards} shards, {self.shards_resumed} resumed)",
        ]
        errors = sum(self.errors.values())
        lines.append(f"  errors: {errors:,}" + (" (" + ", ".join(f"{k} {v:,}" for k, v in self.errors.most_common()) + ")"
                                                  if errors else ""))
        if self.notice_types:
            lines.append("  notice types: " + ", ".join(f"{k} {v:,}" for k, v in self.notice_types.most_common()))
        lines.append("  notices per reason:" + ("" if self.reasons else " none"))
        width = max((len(reason) for reason in self.reasons), default=0)
        for reason, count in self.reasons.most_common():
            lines.append(f"    {reason:<{width}}  {count:>9,}")
        return "\n".join(lines)
