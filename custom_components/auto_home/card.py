"""The household card: its bundle served by Home Assistant, loaded on every dashboard."""

import hashlib
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

CARD_FILE = Path(__file__).parent / "frontend" / "auto-home-card.js"
CARD_URL = f"/{DOMAIN}/auto-home-card.js"


def _content_version() -> str:
    """Return a short hash of the bundle: a new build is a new URL for browsers."""
    return hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:12]


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card and add it to the frontend's extra modules, once.

    The URL carries the bundle's hash, so it can be cached for good and an
    update is fetched the first time the page loads after it.
    """
    version = await hass.async_add_executor_job(_content_version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    # Without the frontend (a headless set-up) there is no page to load it in.
    if "frontend" in hass.config.components:
        add_extra_js_url(hass, f"{CARD_URL}?v={version}")
