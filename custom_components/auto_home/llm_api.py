"""Auto Home as an LLM API: the chores for conversation agents, health if shared.

A conversation agent (OpenAI, Google, Ollama, ...) set to use the "Auto Home"
API gets the tools below. A conversation agent may be a cloud service, so the
health tools are offered only while the household's option "share health data
with conversation agents" is on; otherwise the prompt says health questions are
not shared, and no tool result carries a health value.
"""

from abc import abstractmethod
from datetime import timedelta
from typing import Any, override

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    intent,
    llm,
)
import voluptuous as vol

from .const import DOMAIN, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .domain.temperature import CELSIUS, FAHRENHEIT, Site
from .domain.weight import KILOGRAMS, POUNDS
from .validation import REFERENCE_MAX, count, number, text
from .voice import JIN, Answer, VoiceError, VoiceRequest, async_request

API_ID = DOMAIN
API_NAME = "Auto Home"
# Entities of a member that are not health data.
NOT_HEALTH = {"chores_due_today"}
CONVERSATION = "conversation"

_READ = llm.ToolAnnotations(
    read_only=True, destructive=False, idempotent=True, open_world=False
)
_WRITE = llm.ToolAnnotations(destructive=False, open_world=False)
# Completing a done chore, or snoozing to the same time, changes nothing.
_SETTLE = llm.ToolAnnotations(destructive=False, idempotent=True, open_world=False)

_MEMBER = vol.Optional(
    "member",
    description="The member's name; leave out for the user's own member",
)
_MEMBER_NAME = text("member", REFERENCE_MAX)
_CHORE_NAME = text("chore", REFERENCE_MAX)


@callback
def async_register_llm_api(hass: HomeAssistant) -> CALLBACK_TYPE:
    """Register the API; return the callback that unregisters it."""
    return llm.async_register_api(
        hass, AutoHomeAPI(hass=hass, id=API_ID, name=API_NAME)
    )


@callback
@callback
def async_keep_health_private(hass: HomeAssistant, entity: er.RegistryEntry) -> None:
    """Keep a member's health entity from Assist unless the user exposes it.

    Home Assistant exposes temperature sensors to Assist by default, and the
    Assist API hands exposed states to conversation agents. A health entity
    without an exposure setting of its own is set to not exposed; a choice the
    user made in the voice assistant settings is kept. Called as each member
    entity is added: at set-up, and for a member or sensor added later.
    """
    if entity.translation_key in NOT_HEALTH or "should_expose" in entity.options.get(
        CONVERSATION, {}
    ):
        return
    er.async_get(hass).async_update_entity_options(
        entity.entity_id,
        CONVERSATION,
        dict(entity.options.get(CONVERSATION, {})) | {"should_expose": False},
    )


def _prompt(request: VoiceRequest) -> str:
    """Tell the agent what it can do, for whom, and what it must not do."""
    lines = [
        f"Auto Home looks after the household {request.entry.title}: its chores"
        + (
            ", and each member's body temperature, fever and weight."
            if request.share_health
            else "."
        ),
        f"Members: {', '.join(request.names(SUBENTRY_MEMBER)) or 'none'}.",
        f"Chores: {', '.join(request.names(SUBENTRY_CHORE)) or 'none'}.",
    ]
    if request.own_member is not None:
        lines.append(
            f"You are talking with {request.title(request.own_member)}; "
            "a tool given no member uses theirs."
        )
    if request.own_only:
        lines.append("Only the user's own member may be asked about.")
    if request.share_health:
        lines.append(
            "Health values come only from the tools: say which member and when "
            "it was measured, and never guess, estimate or invent a value."
        )
    else:
        lines.append(
            "Health data (body temperature, fever, weight) is not shared with "
            "conversation agents in this household. If asked, say so: it can be "
            "asked on the local voice assistant or looked up in Home Assistant. "
            "Never guess a health value."
        )
    return "\n".join(lines)


class AutoHomeAPI(llm.API):
    """The household's chores, and its health when shared, as tools."""

    @override
    async def async_get_api_instance(
        self, llm_context: llm.LLMContext
    ) -> llm.APIInstance:
        """Return the tools and the prompt for the asking user."""
        request = await async_request(
            self.hass, _user_id(llm_context), llm_context.language
        )
        tools: list[llm.Tool] = [
            ListChoresTool(),
            CompleteChoreTool(),
            SnoozeChoreTool(),
        ]
        if request.share_health:
            tools += [
                RecordTemperatureTool(),
                TemperatureStatusTool(),
                RecordWeightTool(),
                WeightTrendTool(),
            ]
        return llm.APIInstance(
            api=self,
            api_prompt=_prompt(request),
            llm_context=llm_context,
            tools=tools,
        )


def _user_id(llm_context: llm.LLMContext) -> str | None:
    return llm_context.context.user_id if llm_context.context else None


class _AutoHomeTool(llm.Tool):
    """Run a request of the asking user; a refusal is an error result."""

    integration = DOMAIN
    health = False

    @abstractmethod
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        """Run the request."""

    @override
    async def async_call(
        self,
        hass: HomeAssistant,
        tool_input: llm.ToolInput,
        llm_context: llm.LLMContext,
    ) -> llm.ToolResult:
        """Validate the arguments, run the request, return its data and answer."""
        try:
            request = await async_request(
                hass, _user_id(llm_context), llm_context.language
            )
            if self.health:
                # The option may have been turned off after the tools were given.
                request.require_health_shared()
            try:
                args = self.parameters(
                    {
                        key: value
                        for key, value in tool_input.tool_args.items()
                        if not intent.is_blank_slot_value(value)
                    }
                )
            except ServiceValidationError as err:
                raise request.refused(err) from err
            answer = await self._async_answer(request, args)
        except VoiceError as err:
            return llm.ToolResult(data={"error": err.speech}, error=True)
        return llm.ToolResult(data=answer.data | {"answer": answer.speech})


class ListChoresTool(_AutoHomeTool):
    """Chores due today or overdue."""

    name = "list_chores"
    title = "List chores"
    description = (
        "Lists the household's chores that are due today (overdue ones "
        "included) or only the overdue ones, of one member or of everyone."
    )
    annotations = _READ
    parameters = vol.Schema(
        {
            vol.Optional(
                "member", description="Only this member's chores; leave out for all"
            ): _MEMBER_NAME,
            vol.Optional("status", default="today"): vol.In(["today", "overdue"]),
        }
    )

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        return request.list_chores(
            args.get("member"), overdue=args["status"] == "overdue"
        )


class CompleteChoreTool(_AutoHomeTool):
    """Mark a chore done."""

    name = "complete_chore"
    title = "Complete a chore"
    description = (
        "Marks a chore as done now, credited to the member named, else the "
        "user's own member, else its assignee. Says when it is due next."
    )
    annotations = _SETTLE
    parameters = vol.Schema(
        {
            vol.Required("chore"): _CHORE_NAME,
            vol.Optional("member", description="Who did it"): _MEMBER_NAME,
        }
    )

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        return request.complete_chore(args["chore"], args.get("member"))


class SnoozeChoreTool(_AutoHomeTool):
    """Put a chore off."""

    name = "snooze_chore"
    title = "Snooze a chore"
    description = (
        "Postpones a chore for some minutes (60 if not said) or until a time; "
        "it is due again after that."
    )
    annotations = _SETTLE
    parameters = vol.Schema(
        {
            vol.Required("chore"): _CHORE_NAME,
            vol.Optional("minutes"): count("minutes", 1, 10080),
            vol.Optional(
                "until", description="Local date and time, YYYY-MM-DD HH:MM"
            ): cv.datetime,
        }
    )

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        minutes = args.get("minutes")
        return request.snooze_chore(
            args["chore"],
            duration=None if minutes is None else timedelta(minutes=minutes),
            until=args.get("until"),
        )


class RecordTemperatureTool(_AutoHomeTool):
    """Record a body temperature."""

    name = "record_temperature"
    title = "Record a body temperature"
    description = (
        "Records a member's body temperature as the user said it. Only call "
        "it with a value the user gave."
    )
    health = True
    annotations = _WRITE
    parameters = vol.Schema(
        {
            _MEMBER: _MEMBER_NAME,
            vol.Required("temperature"): number,
            vol.Optional(
                "unit", description="Leave out for the household's unit"
            ): vol.In([CELSIUS, FAHRENHEIT]),
            vol.Optional(
                "site", description="Where it was measured, if the user said"
            ): vol.In([site.value for site in Site]),
            vol.Optional(
                "measured_at",
                description="Local date and time, YYYY-MM-DD HH:MM, if not now",
            ): cv.datetime,
        }
    )

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        site = args.get("site")
        return await request.async_record_temperature(
            args.get("member"),
            args["temperature"],
            unit=args.get("unit"),
            site=None if site is None else Site(site),
            measured_at=args.get("measured_at"),
        )


class TemperatureStatusTool(_AutoHomeTool):
    """A member's latest temperature."""

    name = "get_temperature"
    title = "Get a member's temperature"
    description = (
        "Returns a member's latest body temperature with when and where it was "
        "measured, its fever status, and the fever episode if one is open."
    )
    health = True
    annotations = _READ
    parameters = vol.Schema({_MEMBER: _MEMBER_NAME})

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        return request.temperature_status(args.get("member"))


class RecordWeightTool(_AutoHomeTool):
    """Record a body weight."""

    name = "record_weight"
    title = "Record a body weight"
    description = (
        "Records a member's body weight as the user said it. Only call it with "
        "a value the user gave."
    )
    health = True
    annotations = _WRITE
    parameters = vol.Schema(
        {
            _MEMBER: _MEMBER_NAME,
            vol.Required("weight"): number,
            vol.Optional(
                "unit",
                description="kg, lb, or jin (斤, half a kilogram); leave out for "
                "the household's unit",
            ): vol.In([KILOGRAMS, POUNDS, JIN]),
            vol.Optional(
                "measured_at",
                description="Local date and time, YYYY-MM-DD HH:MM, if not now",
            ): cv.datetime,
        }
    )

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        return await request.async_record_weight(
            args.get("member"),
            args["weight"],
            unit=args.get("unit"),
            measured_at=args.get("measured_at"),
        )


class WeightTrendTool(_AutoHomeTool):
    """A member's weight trend."""

    name = "get_weight_trend"
    title = "Get a member's weight trend"
    description = (
        "Returns a member's smoothed weight trend, its rate per week, a "
        "30-day forecast with its range, the goal and the latest readings with "
        "their times."
    )
    health = True
    annotations = _READ
    parameters = vol.Schema({_MEMBER: _MEMBER_NAME})

    @override
    async def _async_answer(
        self, request: VoiceRequest, args: dict[str, Any]
    ) -> Answer:
        return request.weight_trend(args.get("member"))
