"""The Auto Home integration: a household's health, chores and reminders."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .card import async_register_card
from .const import DOMAIN
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .entity import async_load_texts
from .llm_api import async_register_llm_api
from .services import async_setup_services
from .statistics_import import StatisticsImport
from .store import HouseholdStore, async_remove_files
from .websocket import async_setup_websocket

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.SENSOR,
    Platform.TODO,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the services, the card's websocket commands and the card, once."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> bool:
    """Set up the household from a config entry."""
    coordinator = AutoHomeCoordinator(hass, entry)
    try:
        await coordinator.async_load()
    except OSError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="load_failed",
            translation_placeholders={"error": str(err)},
        ) from err
    entry.runtime_data = coordinator
    await async_load_texts(hass)
    # A member or chore added, changed or deleted, or new options, are applied
    # to what they concern: nothing else of the household changes.
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Back-filled readings reach the sensors' long-term statistics (catch-up too).
    StatisticsImport(coordinator).async_start()
    await coordinator.async_start()
    entry.async_on_unload(async_register_llm_api(hass))
    return True


async def _async_entry_updated(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> None:
    await entry.runtime_data.async_entry_updated()


async def async_unload_entry(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> bool:
    """Unload the household; pending writes are flushed first."""
    if unloaded := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        await entry.runtime_data.async_shutdown()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> None:
    """Delete what the household stored when the integration is removed."""
    await HouseholdStore(hass, entry.entry_id).async_remove()
    # Reading histories live in files of their own, named after the entry.
    await async_remove_files(hass, f"{DOMAIN}.{entry.entry_id}.")
    # Repairs about those files (they name the file, so the entry) or about
    # its members and chores (their data names the entry) go too.
    issues = ir.async_get(hass).issues
    for (domain, issue_id), issue in list(issues.items()):
        if domain == DOMAIN and (
            entry.entry_id in issue_id
            or (issue.data or {}).get("entry_id") == entry.entry_id
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
