"""What hassfest and HACS check, run offline so it cannot regress."""

import json
from pathlib import Path
import re
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "auto_home"
# hassfest's translation keys: lowercase letters, digits, "_" and "-".
KEY = re.compile(r"^[a-z0-9_-]+$")


def _json(name: str) -> dict[str, Any]:
    return json.loads((INTEGRATION / name).read_text(encoding="utf-8"))


def _strings() -> dict[str, Any]:
    return _json("strings.json")


def _leaves(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    leaves: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            leaves |= _leaves(value, f"{path}.")
        else:
            leaves[path] = value
    return leaves


def test_manifest_keys_domain_name_then_alphabetical() -> None:
    keys = list(_json("manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_has_what_a_custom_integration_needs() -> None:
    manifest = _json("manifest.json")
    assert manifest["domain"] == INTEGRATION.name
    for key in ("codeowners", "documentation", "iot_class", "version"):
        assert manifest[key], key
    # HACS shows the same name the manifest gives.
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert hacs["name"] == manifest["name"]


def test_license_is_the_one_pyproject_names() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_translation_keys_and_texts_are_well_formed() -> None:
    for path, text in _leaves(_strings()).items():
        for key in path.split("."):
            assert KEY.match(key), path
        assert isinstance(text, str), path
        # Texts of `common` are joined by the code, some with their own spaces.
        assert text == text.strip() or path.startswith("common."), path
        assert text, path
        # hassfest refuses HTML and single-quoted placeholders.
        assert not re.search(r"<[a-z/][^>]*>", text), path
        assert not re.search(r"'\{\w+\}'", text), path


def test_every_entity_translation_key_has_an_icon_and_back() -> None:
    strings = _strings()["entity"]
    icons = _json("icons.json")["entity"]
    assert {(platform, key) for platform, keys in strings.items() for key in keys} == {
        (platform, key) for platform, keys in icons.items() for key in keys
    }
    for platform, keys in icons.items():
        for key, icon in keys.items():
            assert icon["default"].startswith("mdi:"), (platform, key)
            # A state icon is for a state the entity can be in.
            states = set(strings[platform][key].get("state", {}))
            if platform != "binary_sensor":
                assert set(icon.get("state", {})) <= states, (platform, key)


def test_services_yaml_strings_and_icons_agree() -> None:
    described = yaml.safe_load((INTEGRATION / "services.yaml").read_text("utf-8"))
    strings = _strings()["services"]
    icons = _json("icons.json")["services"]
    assert set(described) == set(strings) == set(icons)
    for service, description in described.items():
        fields = set((description or {}).get("fields", {}))
        assert set(strings[service].get("fields", {})) == fields, service
        assert strings[service]["name"], service
        assert strings[service]["description"], service
        for field, spec in (description or {}).get("fields", {}).items():
            assert "selector" in spec, f"{service}.{field} has no selector"
            select = spec["selector"].get("select", {})
            if key := select.get("translation_key"):
                options = set(_strings()["selector"][key]["options"])
                assert set(select["options"]) <= options, f"{service}.{field}"


def test_quality_scale_rules_are_done_or_exempt_with_a_reason() -> None:
    rules = yaml.safe_load(
        (INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8")
    )["rules"]
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in {"exempt", "todo"}, rule
            assert status.get("comment"), rule
        else:
            assert status == "done", rule
