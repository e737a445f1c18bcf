"""Every user-visible string exists in English and Simplified Chinese."""

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent / "custom_components" / "auto_home"


def _keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def _load(name: str) -> dict[str, Any]:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def test_english_is_strings_json() -> None:
    assert _load("translations/en.json") == _load("strings.json")


@pytest.mark.parametrize("language", ["zh-Hans"])
def test_translation_has_every_key_and_no_other(language: str) -> None:
    strings = _keys(_load("strings.json"))
    translated = _keys(_load(f"translations/{language}.json"))
    assert sorted(strings - translated) == []
    assert sorted(translated - strings) == []
