"""Assist intents: ask for and act on the household's chores and health by voice.

Home Assistant's intent integration calls `async_setup_intents` once Auto Home
is loaded. Each handler answers with a spoken sentence in the asker's
language; a refused request (an unknown or ambiguous name, a value out of
range) is an error response that says why, and nothing changes. These intents
run inside Home Assistant, so health questions work whatever the household's
sharing option for conversation agents says.
"""

from abc import abstractmethod
from datetime import timedelta
from typing import Any, ClassVar, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, intent
import voluptuous as vol

from .domain.temperature import CELSIUS, FAHRENHEIT, Site
from .domain.weight import KILOGRAMS, POUNDS
from .validation import REFERENCE_MAX, count, number, text
from .voice import JIN, Answer, VoiceError, VoiceRequest, async_request

INTENT_LIST_CHORES = "AutoHomeListChores"
INTENT_COMPLETE_CHORE = "AutoHomeCompleteChore"
INTENT_SNOOZE_CHORE = "AutoHomeSnoozeChore"
INTENT_RECORD_TEMPERATURE = "AutoHomeRecordTemperature"
INTENT_TEMPERATURE_STATUS = "AutoHomeTemperatureStatus"
INTENT_RECORD_WEIGHT = "AutoHomeRecordWeight"
INTENT_WEIGHT_TREND = "AutoHomeWeightTrend"

_MEMBER = text("member", REFERENCE_MAX)
_CHORE = text("chore", REFERENCE_MAX)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intent handlers."""
    for handler in (
        ListChoresIntentHandler(),
        CompleteChoreIntentHandler(),
        SnoozeChoreIntentHandler(),
        RecordTemperatureIntentHandler(),
        TemperatureStatusIntentHandler(),
        RecordWeightIntentHandler(),
        WeightTrendIntentHandler(),
    ):
        intent.async_register(hass, handler)


class _AutoHomeIntentHandler(intent.IntentHandler):
    """Run a request of the asking user and speak its answer."""

    response_type = intent.IntentResponseType.ACTION_DONE

    @abstractmethod
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        """Run the request."""

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Handle the intent."""
        response = intent_obj.create_response()
        try:
            request = await async_request(
                intent_obj.hass, intent_obj.context.user_id, intent_obj.language
            )
            try:
                slots = {
                    name: slot["value"]
                    for name, slot in self.async_validate_slots(
                        intent_obj.slots
                    ).items()
                }
            except ServiceValidationError as err:
                raise request.refused(err) from err
            answer = await self._async_answer(request, slots)
        except VoiceError as err:
            # Spoken as it is; a raised IntentHandleError would be replaced by a
            # generic error sentence.
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE, err.speech
            )
            return response
        response.response_type = self.response_type
        response.async_set_speech(answer.speech)
        return response


class ListChoresIntentHandler(_AutoHomeIntentHandler):
    """What is left to do today (or overdue), for a member or the household."""

    intent_type = INTENT_LIST_CHORES
    description = "Lists the household's chores due today or overdue"
    response_type = intent.IntentResponseType.QUERY_ANSWER
    slot_schema: ClassVar[dict[Any, Any]] = {
        vol.Optional("member"): _MEMBER,
        vol.Optional("status"): vol.In(["today", "overdue"]),
        vol.Optional("mine"): cv.boolean,
    }

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return request.list_chores(
            slots.get("member"),
            overdue=slots.get("status") == "overdue",
            mine=slots.get("mine", False),
        )


class CompleteChoreIntentHandler(_AutoHomeIntentHandler):
    """A chore was done (by the member named, the asker or the assignee)."""

    intent_type = INTENT_COMPLETE_CHORE
    description = "Marks a household chore as done"
    slot_schema: ClassVar[dict[Any, Any]] = {
        vol.Required("chore"): _CHORE,
        vol.Optional("member"): _MEMBER,
    }

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return request.complete_chore(slots["chore"], slots.get("member"))


class SnoozeChoreIntentHandler(_AutoHomeIntentHandler):
    """Put a chore off for some hours or minutes (an hour if not said)."""

    intent_type = INTENT_SNOOZE_CHORE
    description = "Snoozes a household chore"
    slot_schema: ClassVar[dict[Any, Any]] = {
        vol.Required("chore"): _CHORE,
        vol.Optional("hours"): vol.All(number, vol.Range(min=0, max=168)),
        vol.Optional("minutes"): count("minutes", 0, 1440),
    }

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        duration = timedelta(
            hours=slots.get("hours", 0), minutes=slots.get("minutes", 0)
        )
        return request.snooze_chore(slots["chore"], duration=duration or None)


class RecordTemperatureIntentHandler(_AutoHomeIntentHandler):
    """Record a body temperature for a member (the asker's own if none named)."""

    intent_type = INTENT_RECORD_TEMPERATURE
    description = "Records a household member's body temperature"
    slot_schema: ClassVar[dict[Any, Any]] = {
        vol.Optional("member"): _MEMBER,
        vol.Required("temperature"): number,
        vol.Optional("unit"): vol.In([CELSIUS, FAHRENHEIT]),
        vol.Optional("site"): vol.Coerce(Site),
    }

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return await request.async_record_temperature(
            slots.get("member"),
            slots["temperature"],
            unit=slots.get("unit"),
            site=slots.get("site"),
        )


class TemperatureStatusIntentHandler(_AutoHomeIntentHandler):
    """A member's latest temperature, its fever status and any fever episode."""

    intent_type = INTENT_TEMPERATURE_STATUS
    description = "Tells a household member's latest body temperature"
    response_type = intent.IntentResponseType.QUERY_ANSWER
    slot_schema: ClassVar[dict[Any, Any]] = {vol.Optional("member"): _MEMBER}

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return request.temperature_status(slots.get("member"))


class RecordWeightIntentHandler(_AutoHomeIntentHandler):
    """Record a body weight for a member (the asker's own if none named)."""

    intent_type = INTENT_RECORD_WEIGHT
    description = "Records a household member's body weight"
    slot_schema: ClassVar[dict[Any, Any]] = {
        vol.Optional("member"): _MEMBER,
        vol.Required("weight"): number,
        vol.Optional("unit"): vol.In([KILOGRAMS, POUNDS, JIN]),
    }

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return await request.async_record_weight(
            slots.get("member"), slots["weight"], unit=slots.get("unit")
        )


class WeightTrendIntentHandler(_AutoHomeIntentHandler):
    """A member's weight trend, its rate, the latest reading and the goal."""

    intent_type = INTENT_WEIGHT_TREND
    description = "Tells a household member's weight trend"
    response_type = intent.IntentResponseType.QUERY_ANSWER
    slot_schema: ClassVar[dict[Any, Any]] = {vol.Optional("member"): _MEMBER}

    @override
    async def _async_answer(
        self, request: VoiceRequest, slots: dict[str, Any]
    ) -> Answer:
        return request.weight_trend(slots.get("member"))
