"""Urgent fever alerts: which rule makes one urgent, and its escalation chain.

Standard library only. An urgent alert goes to the first step of its chain;
unacknowledged for the household's wait, it goes to the next step, and so on
to the household. It stays pending (acknowledgeable) after the last step.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Self

from .stored import aware, integer, text
from .temperature import AgeGroup, FeverClass

# The last step of every chain: the household's targets and a persistent notification.
HOUSEHOLD_STEP: Final = "household"


class UrgentRule(StrEnum):
    """Why a fever needs attention now (each has its own advice line)."""

    # Any fever under 3 months: NICE NG143 puts it in the red (high-risk) group.
    INFANT_FEVER = "infant_fever"
    # Hyperpyrexia (41 °C core by default) is an emergency at any age.
    HYPERPYREXIA = "hyperpyrexia"


def urgent_rules(highest_class: FeverClass, age_group: AgeGroup) -> list[UrgentRule]:
    """Return the urgent rules a fever episode of this class and age meets."""
    rules: list[UrgentRule] = []
    if age_group is AgeGroup.INFANT and highest_class.severity > 0:
        rules.append(UrgentRule.INFANT_FEVER)
    if highest_class is FeverClass.HYPERPYREXIA:
        rules.append(UrgentRule.HYPERPYREXIA)
    return rules


def escalation_steps(member_id: str, caregivers: Sequence[str]) -> tuple[str, ...]:
    """Return who is told in turn: each caregiver, then the household.

    Without caregivers the member's own targets come first (a parent's phone
    set on a child, or an adult's own).
    """
    first = tuple(dict.fromkeys(caregivers)) or (member_id,)
    return (*first, HOUSEHOLD_STEP)


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingAlert:
    """An urgent alert sent and not yet acknowledged."""

    # The episode it is about (its start identifies it).
    episode_started_at: datetime
    steps: tuple[str, ...]
    # The step sent last, and when.
    step: int
    sent_at: datetime
    # Where it arrived so far (the acknowledgement replaces it there).
    reached: tuple[str, ...] = ()
    # The steps it reached someone at (the escalation names only these).
    told: tuple[str, ...] = ()
    title: str
    message: str

    def next_at(self, wait: timedelta) -> datetime | None:
        """Return when the next step is due, or None after the last one."""
        if self.step + 1 >= len(self.steps):
            return None
        return self.sent_at + wait

    def advanced(self, now: datetime) -> Self:
        """Return the alert with its next step sent at `now`."""
        return replace(self, step=self.step + 1, sent_at=now)

    def with_reached(self, targets: Sequence[str]) -> Self:
        """Return the alert with the current step's `targets` added to where it arrived."""
        if not targets:
            return self
        return replace(
            self,
            reached=tuple(dict.fromkeys((*self.reached, *targets))),
            told=tuple(dict.fromkeys((*self.told, self.steps[self.step]))),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "episode_started_at": self.episode_started_at.isoformat(),
            "steps": list(self.steps),
            "step": self.step,
            "sent_at": self.sent_at.isoformat(),
            "reached": list(self.reached),
            "told": list(self.told),
            "title": self.title,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the alert stored by `as_dict`; raise if it is not one."""
        steps = tuple(text(step) for step in data["steps"])
        step = integer(data["step"])
        if not 0 <= step < len(steps):
            raise ValueError(f"step {step} outside the chain {steps}")
        reached = tuple(text(target) for target in data["reached"])
        # Stored before "told" was: every step sent so far, if any arrived.
        told = data.get("told", steps[: step + 1] if reached else ())
        return cls(
            episode_started_at=aware(data["episode_started_at"]),
            steps=steps,
            step=step,
            sent_at=aware(data["sent_at"]),
            reached=reached,
            told=tuple(text(told_step) for told_step in told),
            title=text(data["title"]),
            message=text(data["message"]),
        )
