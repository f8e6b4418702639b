"""Errors of a bulk annotation job (codes ``RR4xx``).

They stop the job before or between shards; a bad *row* never does (it comes out with
``error`` set). Like every error of the package, the message says what to do.
"""

from __future__ import annotations

from ..errors import RetractionReasonsError

__all__ = ["AnnotateError", "AnnotateInputError", "ResumeError", "WorkerError"]


def _rebuild(cls: type, text: str) -> "AnnotateError":
    error = cls.__new__(cls)
    Exception.__init__(error, text)
    return error


class AnnotateError(RetractionReasonsError):
    """A bulk annotation job that cannot go on."""

    code = "RR400"

    def __reduce__(self):  # unpickled as is in the parent process, whatever the constructor
        return (_rebuild, (type(self), str(self)))


class AnnotateInputError(AnnotateError, ValueError):
    """Inputs or settings that cannot be annotated (unknown format, missing text column...)."""

    code = "RR401"


class ResumeError(AnnotateError):
    """``--resume`` found an unfinished job that does not match this one."""

    code = "RR402"

    def __init__(self, parts_dir: object, detail: str) -> None:
        super().__init__(
            f"cannot resume the job in {parts_dir}: {detail}. Rerun without --resume to start over "
            "(the finished shards of the old job are then deleted), or give the same inputs and "
            "settings as the interrupted run.")


class WorkerError(AnnotateError):
    """A worker process failed on a shard (its traceback is in the message)."""

    code = "RR403"
