"""What a voice user may ask and do: the core of the Assist intents and the LLM API.

A `VoiceRequest` is one question or command: the household, the asker's
language and which members they may ask about. Its operations call the same
feature methods as the services, so they validate and change exactly what the
services do, and each returns an `Answer`: data for a conversation agent and a
spoken sentence in the asker's language. A refused request raises `VoiceError`
with the spoken reason, and nothing has changed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
import re
from typing import Any

from homeassistant.const import MATCH_ALL, UnitOfMass
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util, language as language_util
from homeassistant.util.unit_conversion import MassConverter

from .const import (
    CONF_SHARE_HEALTH,
    CONF_VOICE_SCOPE,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEMBER,
    VOICE_SCOPE_OWN,
)
from .coordinator import AutoHomeConfigEntry
from .domain.chore import ChoreStatus
from .domain.temperature import Site, TemperatureReading
from .domain.weight import KILOGRAMS, POUNDS, GoalReason
from .services import get_entry, resolve_subentry
from .subentries import subentries_of
from .validation import (
    default_temperature_unit,
    household_temperature,
    linked_member,
    optional_utc,
    snooze_until,
)
from .weight_feature import WeightReading

# The only translation besides English; every Chinese variant reads it best.
CHINESE = "zh-Hans"
DEFAULT_SNOOZE = timedelta(hours=1)
# Weight as it is usually said in Chinese: 斤, half a kilogram.
JIN = "jin"
KG_PER_JIN = 0.5
# A rate smaller than this is "holding steady".
STEADY_KG_PER_WEEK = 0.1
# What a trend answer asks the weight report for.
TREND_HORIZON_DAYS = 30
TREND_READINGS = 5
# What is left of a name once case, spaces and punctuation are ignored.
_NOT_NAME = re.compile(r"[\W_]+")
# The summary fields a listed chore is told with.
_CHORE_FIELDS = (
    "chore",
    "status",
    "due",
    "all_day",
    "assignee",
    "days_overdue",
    "snoozed_until",
)


class VoiceError(HomeAssistantError):
    """A request that was refused; `speech` says why, in the asker's language."""

    def __init__(self, speech: str) -> None:
        """Initialize with the spoken reason."""
        super().__init__(speech)
        self.speech = speech


@dataclass(frozen=True, slots=True)
class Answer:
    """What a request found or did: data and a spoken sentence."""

    speech: str
    data: dict[str, Any]


def _language(hass: HomeAssistant, language: str | None) -> str:
    """Return the translation language to answer in."""
    if not language or language == MATCH_ALL:
        language = hass.config.language
    return CHINESE if language_util.matches(language, [CHINESE]) else language


def _normalized(name: str) -> str:
    return _NOT_NAME.sub("", name.casefold())


async def async_request(
    hass: HomeAssistant, user_id: str | None, language: str | None
) -> VoiceRequest:
    """Start a request of a user; raise VoiceError if the household is not loaded."""
    language = _language(hass, language)
    texts: dict[str, str] = {}
    for category in ("common", "exceptions"):
        texts |= await async_get_translations(hass, language, category, [DOMAIN])
    try:
        entry = get_entry(hass)
    except ServiceValidationError as err:
        raise VoiceError(texts[f"component.{DOMAIN}.common.voice_not_loaded"]) from err
    return VoiceRequest(hass, entry, user_id, texts)


class VoiceRequest:
    """One request of a voice user or conversation agent to the household."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: AutoHomeConfigEntry,
        user_id: str | None,
        texts: dict[str, str],
    ) -> None:
        """Initialize for the asking user (None: not known, e.g. a satellite)."""
        self.hass = hass
        self.entry = entry
        self.coordinator = entry.runtime_data
        self._texts = texts
        self.share_health: bool = entry.options.get(CONF_SHARE_HEALTH, False)
        self.own_only = entry.options.get(CONF_VOICE_SCOPE) == VOICE_SCOPE_OWN
        own = linked_member(hass, entry, user_id)
        self.own_member = None if own is None else own.subentry_id

    def text(self, key: str, **placeholders: Any) -> str:
        """Return a spoken text in the asker's language."""
        return self._texts[f"component.{DOMAIN}.common.{key}"].format(**placeholders)

    def title(self, subentry_id: str | None) -> str | None:
        """Return a member's or chore's name."""
        return self.coordinator.chores.title(subentry_id)

    def names(self, subentry_type: str) -> list[str]:
        """Return the names of the chores, or of the members one may ask about."""
        return sorted(
            subentry.title
            for subentry_id, subentry in subentries_of(
                self.entry, subentry_type
            ).items()
            if not (
                subentry_type == SUBENTRY_MEMBER
                and self.own_only
                and subentry_id != self.own_member
            )
        )

    def _join(self, items: list[str], last: str = "voice_and") -> str:
        if len(items) == 1:
            return items[0]
        return (
            self.text("voice_separator").join(items[:-1]) + self.text(last) + items[-1]
        )

    def _find(self, subentry_type: str, reference: str) -> str:
        """Find a member or chore as the services do, then by a part of its name.

        Spoken names are loose ("water", "the dishes", "Mia's"): when no name
        matches exactly, the names containing what was said are taken, else
        the longest name contained in it; more than one is ambiguous.
        """
        try:
            return resolve_subentry(
                self.hass, self.entry, subentry_type, reference
            ).subentry_id
        except ServiceValidationError as err:
            # Two with this very name (renamed in Home Assistant's own UI).
            if err.translation_key == f"ambiguous_{subentry_type}":
                raise self.refused(err) from err
        spoken = _normalized(reference)
        names = {
            subentry_id: _normalized(subentry.title)
            for subentry_id, subentry in subentries_of(
                self.entry, subentry_type
            ).items()
        }
        found = [
            sid for sid, name in names.items() if len(spoken) > 1 and spoken in name
        ]
        if not found:
            within = [sid for sid, name in names.items() if name and name in spoken]
            longest = max((len(names[sid]) for sid in within), default=0)
            found = [sid for sid in within if len(names[sid]) == longest]
        if len(found) == 1:
            return found[0]
        if found:
            choices = sorted(self.title(sid) or "" for sid in found)
            raise VoiceError(
                self.text(
                    f"voice_ambiguous_{subentry_type}",
                    choices=self._join(choices, "voice_or"),
                )
            )
        raise VoiceError(
            self.text(f"voice_unknown_{subentry_type}", name=reference.strip())
        )

    def member(self, reference: str | None, *, mine: bool = False) -> str | None:
        """Return the member a request names, or None for the whole household.

        A named member must be one the asker may ask about; "my ..." (`mine`)
        is the asker's own member.
        """
        if reference:
            member_id = self._find(SUBENTRY_MEMBER, reference)
            if self.own_only and member_id != self.own_member:
                raise VoiceError(self.text("voice_own_member_only"))
            return member_id
        if not mine:
            return None
        if self.own_member is None:
            raise VoiceError(self.text("voice_not_linked"))
        return self.own_member

    def required_member(self, reference: str | None) -> str:
        """Return the member named, else the asker's own; raise if neither."""
        if member_id := self.member(reference) or self.own_member:
            return member_id
        raise VoiceError(
            self.text(
                "voice_own_member_only" if self.own_only else "voice_which_member"
            )
        )

    def require_health_shared(self) -> None:
        """Refuse unless health data is shared with conversation agents."""
        if not self.share_health:
            raise VoiceError(self.text("voice_health_not_shared"))

    def refused(self, err: ServiceValidationError) -> VoiceError:
        """Say why a feature refused a request, in the asker's language."""
        template = self._texts[
            f"component.{DOMAIN}.exceptions.{err.translation_key}.message"
        ]
        return VoiceError(template.format(**(err.translation_placeholders or {})))

    def _when(self, at: datetime, *, all_day: bool = False) -> str:
        """Say a time relative to today: "tomorrow", "yesterday at 18:30"."""
        local = dt_util.as_local(at)
        days = (local.date() - dt_util.now().date()).days
        if days == 0:
            day = self.text("voice_today")
        elif days == 1:
            day = self.text("voice_tomorrow")
        elif days == -1:
            day = self.text("voice_yesterday")
        elif days > 0:
            day = self.text("voice_in_days", days=days)
        else:
            day = self.text("voice_days_ago", days=-days)
        if all_day:
            return day
        return self.text("voice_day_at", day=day, time=local.strftime("%H:%M"))

    def _temperature(self, celsius: float) -> str:
        """Say a temperature in the household's unit."""
        value, unit = household_temperature(self.hass, celsius)
        return f"{value} {unit}"

    # Chores.

    def _chore_data(self, chore_id: str) -> dict[str, Any]:
        summary = self.coordinator.chores.summary(chore_id)
        return {key: summary[key] for key in _CHORE_FIELDS}

    def list_chores(
        self, member: str | None = None, *, overdue: bool = False, mine: bool = False
    ) -> Answer:
        """Tell the chores due today (or only the overdue ones), of one member or all."""
        member_id = self.member(member, mine=mine)
        chores = self.coordinator.chores
        wanted = (
            {ChoreStatus.OVERDUE} if overdue else {ChoreStatus.DUE, ChoreStatus.OVERDUE}
        )
        listed = [
            self._chore_data(chore_id) for chore_id in chores.find(member_id, wanted)
        ]
        key = "voice_overdue" if overdue else "voice_chores"
        suffix = "" if member_id is None else "_member"
        name = self.title(member_id)
        if not listed:
            speech = self.text(f"{key}_none{suffix}", member=name)
        else:
            items = []
            for chore in listed:
                item = chore["chore"]
                if member_id is None and chore["assignee"]:
                    item = self.text(
                        "voice_chore_of", chore=item, member=chore["assignee"]
                    )
                if not overdue and chore["status"] == ChoreStatus.OVERDUE:
                    item = self.text("voice_chore_overdue", chore=item)
                items.append(item)
            speech = self.text(f"{key}{suffix}", member=name, chores=self._join(items))
        return Answer(
            speech,
            {
                "member": name,
                "status": "overdue" if overdue else "today",
                "chores": listed,
            },
        )

    def complete_chore(self, chore: str, member: str | None = None) -> Answer:
        """Complete a chore, credited to the member named, the asker or the assignee."""
        chore_id = self._find(SUBENTRY_CHORE, chore)
        member_id = self.member(member) or self.own_member
        chores = self.coordinator.chores
        completion = chores.complete(chore_id, member_id)
        data = self._chore_data(chore_id)
        name = data["chore"]
        if completion is None:
            speech = self.text("voice_chore_already_done", chore=name)
        else:
            next_due = self._when(
                chores.chores[chore_id].due_at, all_day=data["all_day"]
            )
            by = self.title(completion.by)
            speech = (
                self.text("voice_chore_done_by", chore=name, member=by, next=next_due)
                if by
                else self.text("voice_chore_done", chore=name, next=next_due)
            )
            data["completed_by"] = by
        return Answer(speech, data | {"counted": completion is not None})

    def snooze_chore(
        self,
        chore: str,
        *,
        duration: timedelta | None = None,
        until: datetime | None = None,
    ) -> Answer:
        """Snooze a chore for a while (an hour by default) or until a time."""
        chore_id = self._find(SUBENTRY_CHORE, chore)
        try:
            end = (
                snooze_until(until, "until")
                if until is not None
                else dt_util.utcnow() + (duration or DEFAULT_SNOOZE)
            )
            self.coordinator.chores.snooze(chore_id, end)
        except ServiceValidationError as err:
            raise self.refused(err) from err
        data = self._chore_data(chore_id)
        return Answer(
            self.text(
                "voice_chore_snoozed", chore=data["chore"], until=self._when(end)
            ),
            data,
        )

    # Temperature.

    async def async_record_temperature(
        self,
        member: str | None,
        value: float,
        *,
        unit: str | None = None,
        site: Site | None = None,
        measured_at: datetime | None = None,
    ) -> Answer:
        """Record a reading for a member (the asker's own when none is named)."""
        member_id = self.required_member(member)
        temperature = self.coordinator.temperature
        try:
            reading = await temperature.async_record(
                member_id,
                value,
                unit or default_temperature_unit(self.hass),
                site=site,
                measured_at=optional_utc(measured_at, "measured_at"),
            )
        except ServiceValidationError as err:
            raise self.refused(err) from err
        state = temperature.members[member_id]
        # As the service: this reading's class, and the member's status now.
        data = (
            {"member": self.title(member_id)}
            | self._reading_data(reading)
            | temperature.statuses(member_id, reading)
        )
        temperature_text = self._temperature(reading.value_c)
        if state.latest is reading:
            speech = self.text(
                "voice_temperature_recorded",
                member=data["member"],
                temperature=temperature_text,
                status=self.text(f"class_{data['fever_status']}"),
            )
        else:
            speech = self.text(
                "voice_temperature_recorded_earlier",
                member=data["member"],
                temperature=temperature_text,
                when=self._when(reading.measured_at),
            )
        return Answer(speech, data)

    @staticmethod
    def _reading_data(reading: TemperatureReading) -> dict[str, Any]:
        return {
            "temperature_c": reading.value_c,
            "core_temperature_c": reading.core_c,
            "site": reading.site.value,
            "measured_at": dt_util.as_local(reading.measured_at).isoformat(),
        }

    def _temperature_data(self, member_id: str) -> dict[str, Any]:
        """Return a member's latest reading, its class and any open fever episode."""
        state = self.coordinator.temperature.members[member_id]
        data: dict[str, Any] = {"member": self.title(member_id), "latest": None}
        if (reading := state.latest) is None or state.classification is None:
            return data
        episode = state.tracker.episode
        return data | {
            "latest": self._reading_data(reading),
            "fever_status": state.classification.fever_class.value,
            "urgent": state.classification.urgent,
            "fever_episode": None
            if episode is None
            else {
                "started_at": dt_util.as_local(episode.started_at).isoformat(),
                "peak_c": episode.peak_c,
                "peak_at": dt_util.as_local(episode.peak_at).isoformat(),
                "highest_class": episode.highest_class.value,
                "readings": episode.readings,
            },
        }

    def temperature_status(self, member: str | None = None) -> Answer:
        """Tell a member's latest temperature, its class and any fever episode."""
        member_id = self.required_member(member)
        data = self._temperature_data(member_id)
        name = data["member"]
        state = self.coordinator.temperature.members[member_id]
        if (reading := state.latest) is None:
            return Answer(self.text("voice_temperature_none", member=name), data)
        speech = self.text(
            "voice_temperature_latest",
            member=name,
            temperature=self._temperature(reading.value_c),
            when=self._when(reading.measured_at),
            status=self.text(f"class_{data['fever_status']}"),
        )
        if (episode := state.tracker.episode) is not None:
            speech += self.text(
                "voice_fever_since",
                since=self._when(episode.started_at),
                peak=self._temperature(episode.peak_c),
            )
        return Answer(speech, data)

    # Weight.

    def _weight(self, kg: float) -> str:
        """Say a weight in pounds in a US customary household, else kilograms."""
        if self.hass.config.units.mass_unit == UnitOfMass.POUNDS:
            pounds = MassConverter.convert(kg, UnitOfMass.KILOGRAMS, UnitOfMass.POUNDS)
            return f"{pounds:.1f} {POUNDS}"
        return f"{kg:.1f} {KILOGRAMS}"

    async def async_record_weight(
        self,
        member: str | None,
        value: float,
        *,
        unit: str | None = None,
        measured_at: datetime | None = None,
    ) -> Answer:
        """Record a weight for a member (the asker's own when none is named).

        The household's unit is taken when none is said; "jin" (斤) is half a
        kilogram, as weight is usually said in Chinese.
        """
        member_id = self.required_member(member)
        if unit is None:
            unit = (
                POUNDS
                if self.hass.config.units.mass_unit == UnitOfMass.POUNDS
                else KILOGRAMS
            )
        if unit == JIN:
            value, unit = value * KG_PER_JIN, KILOGRAMS
        weight = self.coordinator.weight
        try:
            at = optional_utc(measured_at, "measured_at") or dt_util.utcnow()
            kg = weight.validate(value, unit, at)
        except ServiceValidationError as err:
            raise self.refused(err) from err
        reading = await weight.async_add(member_id, WeightReading(at, kg))
        name = self.title(member_id)
        speech = self.text(
            "voice_weight_recorded", member=name, weight=self._weight(kg)
        )
        if reading.flagged:
            speech += self.text("voice_weight_flagged", member=name)
        return Answer(
            speech,
            {
                "member": name,
                "weight_kg": kg,
                "measured_at": dt_util.as_local(at).isoformat(),
                "flagged": reading.flagged,
            },
        )

    def weight_trend(self, member: str | None = None) -> Answer:
        """Tell a member's weight trend, its rate, the latest reading and the goal."""
        member_id = self.required_member(member)
        weight = self.coordinator.weight
        data = weight.report(member_id, TREND_HORIZON_DAYS, TREND_READINGS)
        latest = weight.members[member_id].latest
        name = data["member"]
        if latest is None or (trend := data["trend_kg"]) is None:
            return Answer(self.text("voice_weight_none", member=name), data)
        speech = self.text(
            "voice_weight_trend",
            member=name,
            trend=self._weight(trend),
            latest=self._weight(latest.kg),
            when=self._when(latest.measured_at),
        )
        if (rate := data["rate_kg_per_week"]) is None:
            speech += self.text("voice_weight_rate_unknown")
        elif abs(rate) < STEADY_KG_PER_WEEK:
            speech += self.text("voice_weight_steady")
        else:
            speech += self.text(
                "voice_weight_down" if rate < 0 else "voice_weight_up",
                rate=self._weight(abs(rate)),
            )
        goal = data["goal_kg"]
        if data["goal_date"] is not None:
            speech += self.text(
                "voice_weight_goal",
                goal=self._weight(goal),
                when=self._when(
                    datetime.fromisoformat(data["goal_date"]), all_day=True
                ),
            )
        elif data["goal_reason"] == GoalReason.REACHED:
            speech += self.text("voice_weight_goal_reached", goal=self._weight(goal))
        return Answer(speech, data)
