"""Review status: when the process was last reviewed and when the next review is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from escalation_charts.audit.text import duration_text
from escalation_charts.durations import Duration
from escalation_charts.model import Process

__all__ = ["ReviewState", "ReviewStatus", "review_status"]


class ReviewState(StrEnum):
    """`current`, `overdue` (the `review-overdue` rule) or `not-recorded`."""

    CURRENT = "current"
    OVERDUE = "overdue"
    NOT_RECORDED = "not-recorded"


@dataclass(frozen=True)
class ReviewStatus:
    """The review dates as of `today`; `days_left` is negative once the review is overdue."""

    reviewed: dt.date | None
    every: Duration | None
    due: dt.date | None
    today: dt.date
    state: ReviewState

    @property
    def days_left(self) -> int | None:
        return (self.due - self.today).days if self.due is not None else None

    @property
    def every_text(self) -> str | None:
        """The review interval as people plan reviews (`180d`, not `25w5d`)."""
        if self.every is None:
            return None
        return duration_text(self.every)

    @property
    def summary(self) -> str:
        """One sentence an auditor can file."""
        if self.due is None:
            missing = "'reviewed'" if self.reviewed is None else "'review_every'"
            return f"no review schedule: the definition has no {missing}"
        days = self.days_left
        assert days is not None
        if days < 0:
            return f"overdue: the review was due on {self.due} ({-days} days ago)"
        if days == 0:
            return f"due today ({self.due})"
        return f"current: next review due on {self.due} (in {days} days)"

    def to_dict(self) -> dict[str, object]:
        return {
            "state": self.state.value,
            "reviewed": self.reviewed.isoformat() if self.reviewed else None,
            "review_every": self.every_text,
            "next_due": self.due.isoformat() if self.due else None,
            "days_left": self.days_left,
            "summary": self.summary,
        }


def review_status(process: Process, today: dt.date) -> ReviewStatus:
    """The review status of `process` on `today` (overdue once the due date is past)."""
    due = process.review_due
    if due is None:
        state = ReviewState.NOT_RECORDED
    else:
        state = ReviewState.OVERDUE if due < today else ReviewState.CURRENT
    return ReviewStatus(process.reviewed, process.review_every, due, today, state)
