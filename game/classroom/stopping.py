"""A closed terminal (SIGHUP) or a stop request (SIGTERM) during a class session: the caller says
how to stop, so the summary of what was played is still written on the way out."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable

STOP_SIGNALS = ("SIGHUP", "SIGTERM")


@contextmanager
def on_stop_signals(stop: Callable[[int, object], None]):
    """Run `stop(number, frame)` on SIGHUP or SIGTERM while inside; the old handlers come back after.
    Signals can only be handled on the main thread, so elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
