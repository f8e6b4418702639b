"""The model of one worker process, and the order in which requests get to use it.

Classification is CPU work, so it runs in a thread, off the event loop: the loop keeps
answering (health checks, reading and writing other requests) while notices are classified.
One thread at a time uses the model: the spaCy pipeline is not documented as safe to call from
several threads, and under the GIL more threads would not be faster.

The notices of all waiting requests are classified together, up to ``max_batch`` per model
call: one call for 32 notices costs far less than 32 calls (a third to a fifth per notice on
the default model, measured), so concurrent single requests share calls without waiting for
one another. A chunk takes the next notice of each waiting request in turn, so a single
notice waits for at most one chunk behind a batch of 256, not for the whole batch. Results do
not depend on which notices share a chunk.
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from typing import Any

import anyio
import anyio.to_thread
from spacy.language import Language

from ..api import classify_many
from ..errors import NotTextError
from ..model_io import model_info, model_stamp
from ..validation import check_notice

__all__ = ["ModelRunner", "checked_text", "MAX_BATCH_PER_CALL"]

#: The most notices classified in one model call.
MAX_BATCH_PER_CALL = 32

#: C0 control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f]")

_Job = deque  # of (text, future) pairs: the notices of one request not yet classified


def checked_text(text: str, where: str) -> str:
    """``check_notice`` plus what the JSON layer needs: no control characters other than white
    space (the request schema says so, and no real notice has one), and no lone surrogate
    (``"\\ud800"`` is valid JSON but cannot be written back as UTF-8)."""
    text = check_notice(text, where)
    control = _CONTROL_CHARACTER.search(text)
    if control:
        raise NotTextError(where, f"it has the control character U+{ord(control.group()):04X} at character "
                                  f"{control.start()}; remove control characters other than tabs and line breaks")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise NotTextError(where, f"it has an unpaired surrogate at character {err.start}") from err
    return text


class ModelRunner:
    """Classifies the notices of concurrent requests in shared model calls, one call at a time.

    Start :meth:`run` as a task of the event loop (the application's lifespan does), then await
    :meth:`classify` / :meth:`classify_batch` from request handlers.
    """

    def __init__(self, nlp: Language, *, max_batch: int = MAX_BATCH_PER_CALL) -> None:
        self.nlp = nlp
        self.max_batch = max_batch
        self.stamp = model_stamp(nlp)
        self.info = model_info(nlp)
        self._jobs: deque[_Job] = deque()
        self._work = asyncio.Event()

    async def classify(self, text: str) -> dict[str, Any]:
        """The result JSON of one notice; raises ``NoticeError`` for an invalid text."""
        [result] = await self._submit([checked_text(text, "the field 'text'")])
        return result

    async def classify_batch(self, texts: list[str]) -> list[dict[str, Any]]:
        """The result JSON of each notice, in order; any invalid text fails the whole request."""
        checked = [checked_text(text, f"texts[{number}]") for number, text in enumerate(texts)]
        return await self._submit(checked) if checked else []

    async def _submit(self, texts: list[str]) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in texts]
        self._jobs.append(deque(zip(texts, futures)))
        self._work.set()
        return list(await asyncio.gather(*futures))

    def _next_chunk(self) -> list[tuple[str, asyncio.Future]]:
        """Up to ``max_batch`` notices, the next one of each waiting request in turn."""
        chunk: list[tuple[str, asyncio.Future]] = []
        while self._jobs and len(chunk) < self.max_batch:
            job = self._jobs.popleft()
            text, future = job.popleft()
            if not future.done():  # a request whose client gave up is cancelled
                chunk.append((text, future))
            if job:
                self._jobs.append(job)
        return chunk

    async def run(self) -> None:
        """Classify waiting notices until cancelled."""
        try:
            while True:
                await self._work.wait()
                self._work.clear()
                while self._jobs:
                    chunk = self._next_chunk()
                    if not chunk:
                        continue
                    try:
                        results = await anyio.to_thread.run_sync(self._classify, [text for text, _ in chunk])
                    except Exception as err:  # a bug, not bad input (texts are checked): fail these requests
                        for _, future in chunk:
                            if not future.done():
                                future.set_exception(err)
                        continue
                    for (_, future), result in zip(chunk, results):
                        if not future.done():
                            future.set_result(result)
        finally:
            for job in self._jobs:
                for _, future in job:
                    future.cancel()

    def _classify(self, texts: list[str]) -> list[dict[str, Any]]:
        return [result.to_dict() for result in classify_many(texts, model=self.nlp, batch_size=len(texts))]
