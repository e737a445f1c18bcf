"""Config flow: the household entry, with members and chores as subentries."""

from typing import Any, override

from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import selector
import voluptuous as vol

from .const import CONF_PERSON, DOMAIN, SUBENTRY_CHORE, SUBENTRY_MEMBER

DEFAULT_HOUSEHOLD_NAME = "Home"


class AutoHomeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the one household entry."""

    VERSION = 1
    MINOR_VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the household."""
        if self._async_current_entries():
            return self.async_abort(reason="single_instance_allowed")
        if user_input is not None:
            return self.async_create_entry(title=user_input[CONF_NAME], data={})
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(
                {vol.Required(CONF_NAME, default=DEFAULT_HOUSEHOLD_NAME): str}
            ),
        )

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Members and chores are added from the integration page."""
        return {SUBENTRY_MEMBER: MemberSubentryFlow, SUBENTRY_CHORE: ChoreSubentryFlow}


class _HouseholdSubentryFlow(ConfigSubentryFlow):
    """Add (step `user`) or reconfigure one member or chore with a single form."""

    def _schema(self) -> vol.Schema:
        raise NotImplementedError

    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        """Return flow errors for the input; names are unique per subentry type."""
        name = user_input[CONF_NAME].strip()
        if not name:
            return {CONF_NAME: "name_required"}
        own_id = (
            None
            if self.source == SOURCE_USER
            else self._get_reconfigure_subentry().subentry_id
        )
        for subentry in self._get_entry().subentries.values():
            if (
                subentry.subentry_type == self.handler[1]
                and subentry.subentry_id != own_id
                and subentry.title.casefold() == name.casefold()
            ):
                return {CONF_NAME: "name_exists"}
        return {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a member or chore."""
        return await self._async_step_form("user", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a member or chore."""
        return await self._async_step_form("reconfigure", user_input)

    async def _async_step_form(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        if self._get_entry().state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._validate(user_input)
            if not errors:
                title = user_input[CONF_NAME].strip()
                data = {k: v for k, v in user_input.items() if k != CONF_NAME}
                if self.source == SOURCE_USER:
                    return self.async_create_entry(title=title, data=data)
                return self.async_update_and_abort(
                    self._get_entry(),
                    self._get_reconfigure_subentry(),
                    title=title,
                    data=data,
                )
        elif self.source != SOURCE_USER:
            subentry = self._get_reconfigure_subentry()
            user_input = {CONF_NAME: subentry.title, **subentry.data}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                self._schema(), user_input or {}
            ),
            errors=errors,
        )


class MemberSubentryFlow(_HouseholdSubentryFlow):
    """Add or change a member of the household."""

    @override
    def _schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Optional(CONF_PERSON): selector.EntitySelector(
                    selector.EntitySelectorConfig(domain="person")
                ),
            }
        )


class ChoreSubentryFlow(_HouseholdSubentryFlow):
    """Add or change a chore."""

    @override
    def _schema(self) -> vol.Schema:
        return vol.Schema({vol.Required(CONF_NAME): selector.TextSelector()})
