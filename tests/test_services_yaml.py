"""services.yaml describes exactly the services that are registered.

Its agreement with strings.json and icons.json is checked in test_hassfest.py.
"""

from pathlib import Path

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.auto_home.const import DOMAIN

ROOT = Path(__file__).parent.parent / "custom_components" / "auto_home"


async def test_services_yaml_matches_registered(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    described = yaml.safe_load((ROOT / "services.yaml").read_text(encoding="utf-8"))
    assert set(described) == set(hass.services.async_services_for_domain(DOMAIN))
