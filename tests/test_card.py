"""The household card: served by Home Assistant and loaded on every dashboard."""

from hashlib import sha256
from http import HTTPStatus
import re
from typing import Any

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.auto_home.card import CARD_FILE, CARD_URL


def _card_urls(hass: HomeAssistant) -> list[str]:
    return [url for url in hass.data[DATA_EXTRA_MODULE_URL].urls if CARD_URL in url]


async def test_dashboards_load_the_card_and_it_is_served(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """The frontend adds the versioned bundle to every page; fetching it gives the file."""
    # An onboarded instance: its page is the dashboard, not the onboarding wizard.
    hass_storage["onboarding"] = {
        "version": 4,
        "key": "onboarding",
        "data": {"done": ["user", "core_config", "analytics", "integration"]},
    }
    assert await async_setup_component(hass, "frontend", {})
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    [url] = _card_urls(hass)
    assert re.fullmatch(rf"{CARD_URL}\?v=[0-9a-f]{{12}}", url)
    client = await hass_client()
    answer = await client.get(url)
    assert answer.status == HTTPStatus.OK
    assert "javascript" in answer.headers["Content-Type"]
    # Versioned, so browsers may keep it: a new build is a new URL.
    assert "max-age" in answer.headers.get("Cache-Control", "")
    assert await answer.read() == CARD_FILE.read_bytes()
    # The page the browser loads names it among its extra modules.
    page = await (await client.get("/")).text()
    assert url in page


async def test_card_url_changes_with_the_bundle(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """The version is the bundle's content hash: a rebuilt card is a new URL."""
    assert await async_setup_component(hass, "frontend", {})
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    [url] = _card_urls(hass)
    assert url.endswith(sha256(CARD_FILE.read_bytes()).hexdigest()[:12])


async def test_without_the_frontend_the_card_is_still_served(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A set-up without the frontend (no page to add it to) still serves the file."""
    assert "frontend" not in hass.config.components
    client = await hass_client()
    answer = await client.get(CARD_URL)
    assert answer.status == HTTPStatus.OK
    assert await answer.read() == CARD_FILE.read_bytes()


def test_bundle_defines_the_card_for_the_picker() -> None:
    """The bundle defines custom:auto-home-card and lists it in the card picker."""
    bundle = CARD_FILE.read_text(encoding="utf-8")
    assert 'customElement("auto-home-card")' in bundle or '"auto-home-card"' in bundle
    assert "customCards" in bundle
    assert "auto-home-card-editor" in bundle
    # Both languages' texts are built in, from translations/*.json.
    assert "Auto Home household" in bundle
    assert "Auto Home 家庭" in bundle
