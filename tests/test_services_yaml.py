"""services.yaml describes exactly the services that are registered."""

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
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert set(described) == registered
    strings = yaml.safe_load((ROOT / "strings.json").read_text(encoding="utf-8"))
    icons = yaml.safe_load((ROOT / "icons.json").read_text(encoding="utf-8"))
    for service, description in described.items():
        fields = set((description or {}).get("fields", {}))
        assert set(strings["services"][service]["fields"]) == fields, service
        assert service in icons["services"], service
        for field, spec in description.get("fields", {}).items():
            assert "selector" in spec, f"{service}.{field} has no selector"
