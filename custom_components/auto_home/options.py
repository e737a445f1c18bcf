"""The household's options, parsed once: what features read and the flow shows."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import time, timedelta
import logging
from typing import Any, Final, Self

from .const import (
    CONF_ALERT_WAIT_MINUTES,
    CONF_ALL_DAY_TIME,
    CONF_DIGEST_TIME,
    CONF_DOSE_REMINDER,
    CONF_EPISODE_END_HOURS,
    CONF_ESCALATE_AFTER,
    CONF_HOUSEHOLD_TARGETS,
    CONF_LEAD_MINUTES,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_RECHECK_HOURS,
    CONF_REPEAT_LIMIT,
    CONF_REPEAT_MINUTES,
    CONF_SHARE_HEALTH,
    CONF_VOICE_SCOPE,
    DEFAULT_ALERT_WAIT_MINUTES,
    DEFAULT_ALL_DAY_TIME,
    DEFAULT_EPISODE_END_HOURS,
    DEFAULT_ESCALATE_AFTER,
    DEFAULT_RECHECK_HOURS,
    DEFAULT_REPEAT_LIMIT,
    DEFAULT_REPEAT_MINUTES,
    VOICE_SCOPE_ALL,
    VOICE_SCOPE_OWN,
)
from .domain.alert import UrgentRule
from .domain.temperature import Thresholds
from .notifier import PERSISTENT

_LOGGER = logging.getLogger(__name__)

_ALL_DAY_TIME: Final = time.fromisoformat(DEFAULT_ALL_DAY_TIME)

# The option keys of the fever thresholds are the field names of Thresholds.
THRESHOLD_KEYS: Final = tuple(item.name for item in fields(Thresholds))
# The option of each urgent rule's own advice line (empty: the translated default).
ADVICE_KEYS: Final = {rule: f"advice_{rule.value}" for rule in UrgentRule}


def _time(value: Any) -> time | None:
    return time.fromisoformat(value) if value else None


@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdOptions:
    """Every household option, with its default when it was never set."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    episode_end: timedelta = timedelta(hours=DEFAULT_EPISODE_END_HOURS)
    recheck_after: timedelta = timedelta(hours=DEFAULT_RECHECK_HOURS)
    # Remind once when a medicine is allowed again while the fever persists.
    dose_reminder: bool = False
    household_targets: tuple[str, ...] = (PERSISTENT,)
    quiet_start: time | None = None
    quiet_end: time | None = None
    lead: timedelta = timedelta(0)
    repeat: timedelta = timedelta(minutes=DEFAULT_REPEAT_MINUTES)
    repeat_limit: int = DEFAULT_REPEAT_LIMIT
    escalate_after: int = DEFAULT_ESCALATE_AFTER
    all_day_time: time = _ALL_DAY_TIME
    digest_time: time | None = None
    share_health: bool = False
    voice_scope: str = VOICE_SCOPE_ALL
    alert_wait: timedelta = timedelta(minutes=DEFAULT_ALERT_WAIT_MINUTES)
    # The household's own advice line per urgent rule, where it wrote one.
    advice: Mapping[UrgentRule, str] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Self:
        """Parse the entry's options; a value that cannot be read is its default.

        The flow validates what it saves, so only a hand-edited file gets here
        with a bad value: the household starts with the default and says so.
        """
        try:
            return cls._parse(options)
        except TypeError, ValueError:
            _LOGGER.warning(
                "Some household options cannot be read; their defaults apply: %s",
                dict(options),
            )
        return cls._parse(
            {key: value for key, value in options.items() if _readable(key, value)}
        )

    @classmethod
    def _parse(cls, options: Mapping[str, Any]) -> Self:
        defaults = cls()
        return cls(
            thresholds=Thresholds(
                **{
                    key: float(options[key])
                    for key in THRESHOLD_KEYS
                    if options.get(key) is not None
                }
            ),
            episode_end=timedelta(
                hours=float(
                    options.get(CONF_EPISODE_END_HOURS, DEFAULT_EPISODE_END_HOURS)
                )
            ),
            recheck_after=timedelta(
                hours=float(options.get(CONF_RECHECK_HOURS, DEFAULT_RECHECK_HOURS))
            ),
            dose_reminder=bool(options.get(CONF_DOSE_REMINDER, False)),
            household_targets=tuple(
                str(target) for target in options.get(CONF_HOUSEHOLD_TARGETS) or ()
            )
            or defaults.household_targets,
            quiet_start=_time(options.get(CONF_QUIET_START)),
            quiet_end=_time(options.get(CONF_QUIET_END)),
            lead=timedelta(minutes=float(options.get(CONF_LEAD_MINUTES, 0))),
            repeat=timedelta(
                minutes=float(options.get(CONF_REPEAT_MINUTES, DEFAULT_REPEAT_MINUTES))
            ),
            repeat_limit=int(options.get(CONF_REPEAT_LIMIT, DEFAULT_REPEAT_LIMIT)),
            escalate_after=int(
                options.get(CONF_ESCALATE_AFTER, DEFAULT_ESCALATE_AFTER)
            ),
            all_day_time=_time(options.get(CONF_ALL_DAY_TIME)) or defaults.all_day_time,
            digest_time=_time(options.get(CONF_DIGEST_TIME)),
            share_health=bool(options.get(CONF_SHARE_HEALTH, False)),
            voice_scope=VOICE_SCOPE_OWN
            if options.get(CONF_VOICE_SCOPE) == VOICE_SCOPE_OWN
            else VOICE_SCOPE_ALL,
            alert_wait=timedelta(
                minutes=float(
                    options.get(CONF_ALERT_WAIT_MINUTES, DEFAULT_ALERT_WAIT_MINUTES)
                )
            ),
            advice={
                rule: line
                for rule, key in ADVICE_KEYS.items()
                if (line := str(options.get(key) or "").strip())
            },
        )

    @staticmethod
    def flow_defaults() -> dict[str, Any]:
        """Return what the options flow shows for an option never set."""
        defaults = HouseholdOptions()
        return asdict(defaults.thresholds) | {
            CONF_EPISODE_END_HOURS: DEFAULT_EPISODE_END_HOURS,
            CONF_RECHECK_HOURS: DEFAULT_RECHECK_HOURS,
            CONF_DOSE_REMINDER: defaults.dose_reminder,
            CONF_HOUSEHOLD_TARGETS: list(defaults.household_targets),
            CONF_LEAD_MINUTES: 0,
            CONF_REPEAT_MINUTES: DEFAULT_REPEAT_MINUTES,
            CONF_REPEAT_LIMIT: DEFAULT_REPEAT_LIMIT,
            CONF_ESCALATE_AFTER: DEFAULT_ESCALATE_AFTER,
            CONF_ALL_DAY_TIME: DEFAULT_ALL_DAY_TIME,
            CONF_SHARE_HEALTH: defaults.share_health,
            CONF_VOICE_SCOPE: defaults.voice_scope,
            CONF_ALERT_WAIT_MINUTES: DEFAULT_ALERT_WAIT_MINUTES,
        }

    def health_changed(self, other: HouseholdOptions) -> bool:
        """Return whether the fever thresholds or episode timing differ."""
        return (self.thresholds, self.episode_end, self.recheck_after) != (
            other.thresholds,
            other.episode_end,
            other.recheck_after,
        )

    def reminders_changed(self, other: HouseholdOptions) -> bool:
        """Return whether anything the reminders read differs."""
        return any(
            getattr(self, name) != getattr(other, name)
            for name in (
                "household_targets",
                "quiet_start",
                "quiet_end",
                "lead",
                "repeat",
                "repeat_limit",
                "escalate_after",
                "all_day_time",
                "digest_time",
                "alert_wait",
            )
        )


def _readable(key: str, value: Any) -> bool:
    """Return whether one option parses on its own (with the others' defaults)."""
    try:
        HouseholdOptions._parse({key: value})  # noqa: SLF001
    except TypeError, ValueError:
        return False
    return True
