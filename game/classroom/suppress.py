"""Small counts, hidden so that no sum or difference of what is shown gives them back.

A split is a set of counts that add up to a total (how many chose each choice at one decision,
with those who stopped, skipped or never got there). A count of 1 to threshold - 1 students is
hidden as "fewer than N" (primary suppression). When the total is shown, hiding one count is not
enough: the total minus the others gives it back. So more counts are hidden ("not shown", the
smallest that is enough first) until no hidden small count can be worked out exactly from the total and the
counts still shown (secondary suppression, as statistics offices do for published tables).

Zero is shown as "none": it singles no one out.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 3
SHOWN, SMALL, GUARD = "", "small", "guard"


@dataclass(frozen=True, slots=True)
class Count:
    """How many students, out of `of` when that total is shown, and whether it may be shown."""

    value: int
    of: int | None = None
    hidden: str = SHOWN  # SMALL: 1 to threshold - 1; GUARD: hidden to protect a small one
    threshold: int = DEFAULT_THRESHOLD

    @property
    def suppressed(self) -> bool:
        return bool(self.hidden)

    @property
    def percent(self) -> float | None:
        """The share in percent, or None when it must not (or cannot) be shown."""
        if self.hidden or not self.of:
            return None
        return 100.0 * self.value / self.of

    def text(self) -> str:
        if self.hidden == SMALL:
            return f"fewer than {self.threshold}"
        if self.hidden == GUARD:
            return "not shown"
        if self.value == 0:
            return "none"
        percent = self.percent
        return f"{self.value}" if percent is None else f"{self.value} ({percent:.0f}%)"


def small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def protect(values: list[int], threshold: int, *, total_shown: bool = True) -> tuple[list[str], bool]:
    """How each count of a split may be shown (SHOWN, SMALL or GUARD), and whether the split is
    still safe. It is unsafe when even hiding every count leaves a small one fixed by the total
    (two students, one each way): the caller must then hide the total too.

    With `total_shown` False, no total gives anything back, so only small counts are hidden.
    """
    status = [SMALL if small(v, threshold) else SHOWN for v in values]
    if not total_shown or SMALL not in status:
        return status, True
    total = sum(values)
    while _pinned(values, status, threshold, total):
        candidates = sorted((i for i, s in enumerate(status) if s == SHOWN and values[i] > 0),
                            key=lambda i: (values[i], -i))
        if not candidates:
            return status, False
        # The smallest count that is enough by itself; else the largest, and look again. (A count of
        # exactly the threshold is no help: the reader knows a hidden large count is at least that.)
        enough = next((i for i in candidates if not _pinned(values, _with(status, i), threshold, total)), None)
        status = _with(status, candidates[-1] if enough is None else enough)
    return status, True


def _with(status: list[str], index: int) -> list[str]:
    return [GUARD if i == index else s for i, s in enumerate(status)]


def _pinned(values: list[int], status: list[str], threshold: int, total: int) -> bool:
    """Whether a reader who knows the total, the shown counts and what "fewer than N" means can
    work out any hidden small count exactly."""
    hidden = [i for i, s in enumerate(status) if s]
    rest = sum(values[i] for i in hidden)  # what the total minus the shown counts gives back
    low = {i: 1 if status[i] == SMALL else threshold for i in hidden}
    high = {i: threshold - 1 if status[i] == SMALL else total for i in hidden}
    low_sum, high_sum = sum(low.values()), sum(high.values())
    for i in hidden:
        if status[i] != SMALL:
            continue
        least = max(low[i], rest - (high_sum - high[i]))
        most = min(high[i], rest - (low_sum - low[i]))
        if least >= most:
            return True
    return False


def counts(values: list[int], threshold: int, *, of: int | None, total_shown: bool = True
           ) -> tuple[list[Count], bool]:
    """`protect`, as Counts (percentages of `of` on those shown)."""
    status, safe = protect(values, threshold, total_shown=total_shown)
    return [Count(v, of, s, threshold) for v, s in zip(values, status)], safe
