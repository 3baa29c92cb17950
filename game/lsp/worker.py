"""A worker thread for the checker that never holds the server up when it exits.

`concurrent.futures` joins its threads when the interpreter exits, so an editor that closes
while a long story is being explored would wait seconds for the exploration. This worker's
thread is a daemon: exit is immediate and the check is dropped. Jobs run one at a time, in order;
a job whose future was cancelled before it started is skipped.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any


class Worker:
    def __init__(self, name: str):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def run(self, job: Callable[[], Any]) -> asyncio.Future:
        """Run `job` on the worker; its result (or exception) as a future of the running loop."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, job))
        return future

    def _run(self) -> None:
        while True:
            loop, future, job = self._jobs.get()
            if future.cancelled():
                continue
            try:
                result = job()
            except Exception as exc:  # handed to the awaiting coroutine
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
