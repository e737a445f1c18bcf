"""Children's growth percentiles through a real hass: values, ages, edits, restarts."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.domain.growth import percentile

from .chore_helpers import call, local, move_to, reload
from .conftest import member

WEIGHT_FOR_AGE = "sensor.zoe_weight_for_age_percentile"
BMI_FOR_AGE = "sensor.zoe_bmi_for_age_percentile"
GROWTH = ("weight_for_age_percentile", "bmi_for_age_percentile")


async def _household(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    when: str,
    *members: Any,
    **entry_settings: Any,
) -> MockConfigEntry:
    freezer.move_to(local(when))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=list(members),
        **entry_settings,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _registered(hass: HomeAssistant, entity_id: str) -> er.RegistryEntry | None:
    return er.async_get(hass).async_get(entity_id)


async def _weigh(hass: HomeAssistant, name: str, kg: float) -> None:
    await call(hass, "record_weight", {"member": name, "weight": kg})


async def test_child_percentiles_match_who_and_survive_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Zoe, a girl of 12 months at WHO's median weight, is on the 50th percentile.

    WHO weight-for-age, girls, 12 months: median 8.9 kg (M 8.9481), +2 SD 11.5 kg;
    BMI-for-age, girls, 12 months: median 16.4. Mia (an adult) and Kim (no sex
    given) get no percentile; Zoe's BMI has no adult class, Mia's has.
    """
    entry = await _household(
        hass,
        freezer,
        "2026-11-23 10:00",
        member(
            "Zoe",
            birth_date="2025-11-23",
            sex="female",
            height=74,
            height_measured_on="2026-11-20",
        ),
        member("Ada", birth_date="2025-11-23", sex="female"),
        member("Mia", birth_date="1990-04-02", sex="female", height=165),
        member("Kim", birth_date="2022-01-01", height=100),
    )
    assert hass.states.get(WEIGHT_FOR_AGE).state == "unknown"
    await _weigh(hass, "Zoe", 8.95)
    state = hass.states.get(WEIGHT_FOR_AGE)
    assert float(state.state) == pytest.approx(50, abs=0.5)
    assert state.attributes["z_score"] == pytest.approx(0, abs=0.01)
    assert state.attributes["weight"] == 8.95
    assert state.attributes["unit_of_measurement"] == "%"
    assert state.attributes["state_class"] == "measurement"
    # 8.98 kg at 74 cm is a BMI of 16.4, WHO's median for her age.
    await _weigh(hass, "Zoe", 8.98)
    bmi_for_age = hass.states.get(BMI_FOR_AGE)
    assert bmi_for_age.attributes["bmi"] == 16.4
    assert float(bmi_for_age.state) == pytest.approx(50, abs=1.5)
    assert bmi_for_age.attributes["z_score"] == pytest.approx(0, abs=0.05)
    # A reading the trend takes for an outlier (someone holding her) is no
    # child's weight: the percentile stays on the last one it took.
    taken = hass.states.get(WEIGHT_FOR_AGE).state
    await _weigh(hass, "Zoe", 11.5)
    assert hass.states.get("sensor.zoe_weight").attributes["flagged"]
    assert hass.states.get(WEIGHT_FOR_AGE).state == taken
    # Ada, her twin, at WHO's +2 SD line: the 97.7th percentile.
    await _weigh(hass, "Ada", 11.5)
    state = hass.states.get("sensor.ada_weight_for_age_percentile")
    assert state.attributes["z_score"] == pytest.approx(2, abs=0.1)
    assert float(state.state) == pytest.approx(
        percentile(state.attributes["z_score"]), abs=0.05
    )
    assert "class" not in hass.states.get("sensor.zoe_bmi").attributes

    await _weigh(hass, "Mia", 70.0)
    assert hass.states.get("sensor.mia_bmi").attributes["class"] == "overweight"
    for name in ("mia", "kim"):
        for key in GROWTH:
            assert _registered(hass, f"sensor.{name}_{key}") is None
    assert "class" not in hass.states.get("sensor.kim_bmi").attributes

    before = hass.states.get(WEIGHT_FOR_AGE).state
    await reload(hass, entry)
    assert hass.states.get(WEIGHT_FOR_AGE).state == before
    assert hass.states.get(BMI_FOR_AGE).state != "unknown"
    # The percentile is of the reading at the age it was taken: days later,
    # without a new reading, it stays.
    await move_to(hass, freezer, local("2026-12-20 09:00"))
    assert hass.states.get(WEIGHT_FOR_AGE).state == before


async def test_forecast_off_under_two_and_on_at_the_second_birthday(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Under 2 the goal date and forecast are off by default; they come on at
    the local midnight of the second birthday, across a restart the day before."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-22 10:00",
        member("Zoe", birth_date="2024-11-23", sex="female"),
    )
    for key in ("goal_date", "weight_forecast_30_days"):
        assert _registered(hass, f"sensor.zoe_{key}").disabled_by is (
            er.RegistryEntryDisabler.INTEGRATION
        )
    # BMI (with no height: none) stays as for any child past 3 months.
    assert _registered(hass, "sensor.zoe_weight").disabled_by is None
    await reload(hass, entry)
    await move_to(hass, freezer, local("2026-11-22 23:59:59"))
    assert hass.states.get("sensor.zoe_goal_date") is None
    await move_to(hass, freezer, local("2026-11-23 00:00:01"))
    for key in ("goal_date", "weight_forecast_30_days"):
        assert _registered(hass, f"sensor.zoe_{key}").disabled_by is None
        assert hass.states.get(f"sensor.zoe_{key}") is not None
    # Home Assistant reloads the household after an enabling; all is still there.
    await move_to(hass, freezer, local("2026-11-23 00:01:00"))
    assert hass.states.get("sensor.zoe_goal_date") is not None
    assert hass.states.get(WEIGHT_FOR_AGE) is not None


@pytest.mark.parametrize("restarted_before", [False, True])
async def test_a_second_birthday_while_home_assistant_was_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, restarted_before: bool
) -> None:
    """Turned 2 while stopped: the next start turns the forecast on, whether
    its default was recorded (a start since it was made) or not yet."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-22 10:00",
        member("Zoe", birth_date="2024-11-23", sex="female"),
    )
    if restarted_before:
        await reload(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-11-25 08:00"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _registered(hass, "sensor.zoe_weight_forecast_30_days").disabled_by is None
    assert hass.states.get("sensor.zoe_weight_forecast_30_days") is not None


async def test_eighteenth_birthday_at_local_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Leo turns 18 on 28 March 2027, the night Berlin moves to summer time:
    his BMI-for-age goes and his BMI gets the adult class at that midnight.
    From 10 years he has no weight-for-age (WHO has none)."""
    entry = await _household(
        hass,
        freezer,
        "2027-03-27 20:00",
        member(
            "Leo",
            birth_date="2009-03-28",
            sex="male",
            height=180,
            height_measured_on="2026-12-01",
        ),
    )
    await _weigh(hass, "Leo", 82.0)
    assert _registered(hass, "sensor.leo_weight_for_age_percentile") is None
    state = hass.states.get("sensor.leo_bmi_for_age_percentile")
    # BMI 25.3 at 17 years 11 months: above WHO's +1 SD (24.3), below +2 SD (28.5).
    assert state.attributes["bmi"] == 25.3
    assert 1 < state.attributes["z_score"] < 2
    assert "class" not in hass.states.get("sensor.leo_bmi").attributes
    await reload(hass, entry)
    await move_to(hass, freezer, local("2027-03-27 23:59:59"))
    assert hass.states.get("sensor.leo_bmi_for_age_percentile") is not None
    freezer.move_to(local("2027-03-28 00:00:00") + timedelta(seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _registered(hass, "sensor.leo_bmi_for_age_percentile") is None
    assert hass.states.get("sensor.leo_bmi").attributes["class"] == "overweight"
    # Nothing else of his went or blinked.
    assert hass.states.get("sensor.leo_weight").state == "82.0"


async def test_birth_date_and_sex_edits_apply_live(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A sex given adds the percentiles at once; a birth date set, changed or
    removed adds, times or removes them; nobody else's entities change."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-23 10:00",
        member(
            "Zoe", birth_date="2025-11-23", height=74, height_measured_on="2026-11-20"
        ),
        member("Mia", sex="female", height=165, height_measured_on="2026-06-01"),
    )
    await _weigh(hass, "Zoe", 8.95)
    await _weigh(hass, "Mia", 61.0)
    assert _registered(hass, WEIGHT_FOR_AGE) is None
    mia_before = {
        state.entity_id: state
        for state in hass.states.async_all()
        if state.entity_id.startswith("sensor.mia_")
    }

    def _update(name: str, **changes: Any) -> None:
        subentry = entry.subentries[f"member_{name}"]
        data = {
            key: value for key, value in subentry.data.items() if key not in changes
        }
        data |= {key: value for key, value in changes.items() if value is not None}
        hass.config_entries.async_update_subentry(entry, subentry, data=data)

    _update("zoe", sex="female")
    await hass.async_block_till_done()
    assert float(hass.states.get(WEIGHT_FOR_AGE).state) == pytest.approx(50, abs=0.5)
    assert hass.states.get(BMI_FOR_AGE).state != "unknown"
    for entity_id, state in mia_before.items():
        assert hass.states.get(entity_id) is state, entity_id

    # A birth date 17 years 364 days ago: a child until tonight's midnight.
    _update("mia", birth_date="2008-11-24")
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mia_bmi_for_age_percentile").state != "unknown"
    assert _registered(hass, "sensor.mia_weight_for_age_percentile") is None
    assert "class" not in hass.states.get("sensor.mia_bmi").attributes
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert _registered(hass, "sensor.mia_bmi_for_age_percentile") is None
    assert hass.states.get("sensor.mia_bmi").attributes["class"] == "normal"

    # Zoe's birth date removed: no age, no percentile.
    _update("zoe", birth_date=None)
    await hass.async_block_till_done()
    for key in GROWTH:
        assert _registered(hass, f"sensor.zoe_{key}") is None
    assert hass.states.get("sensor.zoe_weight").state == "8.95"


async def test_a_birth_date_under_two_turns_the_forecast_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Set on a member whose forecast was on, it goes off as for a new baby;
    one the user turned off stays off when the baby grows."""
    entry = await _household(
        hass, freezer, "2026-11-23 10:00", member("Zoe", sex="female")
    )
    registry = er.async_get(hass)
    registry.async_update_entity(
        "sensor.zoe_goal_date", disabled_by=er.RegistryEntryDisabler.USER
    )
    await hass.async_block_till_done()
    subentry = entry.subentries["member_zoe"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data=dict(subentry.data) | {"birth_date": "2025-05-01"}
    )
    await hass.async_block_till_done()
    forecast = "sensor.zoe_weight_forecast_30_days"
    assert _registered(hass, forecast).disabled_by is (
        er.RegistryEntryDisabler.INTEGRATION
    )
    assert hass.states.get(forecast) is None
    assert hass.states.get(WEIGHT_FOR_AGE) is not None
    await move_to(hass, freezer, local("2027-05-01 00:00:01"))
    await move_to(hass, freezer, local("2027-05-01 00:01:00"))
    assert _registered(hass, forecast).disabled_by is None
    assert hass.states.get(forecast) is not None
    assert _registered(hass, "sensor.zoe_goal_date").disabled_by is (
        er.RegistryEntryDisabler.USER
    )


async def test_new_entities_kept_off_stay_off_across_reloads(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """With "Enable newly added entities" off, Home Assistant adds every entity
    disabled by the integration: no start, reload or birthday turns them on."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-22 10:00",
        member("Leo", birth_date="2024-11-23", sex="male", height=86),
        pref_disable_new_entities=True,
    )
    registry = er.async_get(hass)

    def _enabled() -> list[str]:
        entries = er.async_entries_for_config_entry(registry, entry.entry_id)
        return [e.entity_id for e in entries if e.disabled_by is None]

    leo = [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.entity_id.startswith("sensor.leo_")
    ]
    assert len(leo) > 10
    assert _enabled() == []
    await reload(hass, entry)
    assert _enabled() == []
    # His second birthday turns the forecast's default on: it stays off too.
    await move_to(hass, freezer, local("2026-11-23 00:00:01"))
    await move_to(hass, freezer, local("2026-11-23 00:01:00"))
    assert _enabled() == []
    await reload(hass, entry)
    assert _enabled() == []


async def test_an_entity_the_user_enabled_stays_across_restarts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Only a change of default moves an entity: the infant's BMI a user turned
    on stays on through restarts; her goal date, off by default, stays off."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-22 10:00",
        member("Zoe", birth_date="2026-10-01", sex="female", height=55),
    )
    registry = er.async_get(hass)
    assert _registered(hass, "sensor.zoe_bmi").disabled_by is (
        er.RegistryEntryDisabler.INTEGRATION
    )
    registry.async_update_entity("sensor.zoe_bmi", disabled_by=None)
    await reload(hass, entry)
    await reload(hass, entry)
    assert _registered(hass, "sensor.zoe_bmi").disabled_by is None
    assert _registered(hass, "sensor.zoe_goal_date").disabled_by is (
        er.RegistryEntryDisabler.INTEGRATION
    )


async def test_bmi_for_age_only_with_a_height_measured_near_the_weighing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Ava measured 116 cm at 6 (the median girl's height then); at 8, 26 kg
    over that height would be a BMI of 19.3, the 94th percentile, though
    at her 128 cm she is on the 54th. So a height older than a year gives no
    score, and says why; a height measured anew scores her at once."""
    entry = await _household(
        hass,
        freezer,
        "2026-11-23 10:00",
        member(
            "Ava",
            birth_date="2018-11-01",
            sex="female",
            height=116,
            height_measured_on="2024-11-05",
        ),
        member("Ben", birth_date="2018-11-01", sex="male", height=128),
        member("Mia", birth_date="1990-04-02", sex="female", height=165),
    )
    ava = "sensor.ava_bmi_for_age_percentile"
    await _weigh(hass, "Ava", 26.0)
    state = hass.states.get(ava)
    assert state.state == "unknown"
    assert state.attributes["height_status"] == "too_old"
    assert state.attributes["height_measured_on"] == "2024-11-05"
    assert "z_score" not in state.attributes
    # Her weight-for-age needs no height.
    assert hass.states.get("sensor.ava_weight_for_age_percentile").state != ("unknown")

    subentry = entry.subentries["member_ava"]
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data=dict(subentry.data) | {"height": 128, "height_measured_on": "2026-11-20"},
    )
    await hass.async_block_till_done()
    state = hass.states.get(ava)
    # 26 kg at 128 cm: BMI 15.9, near WHO's median for a girl of 8 (15.7).
    assert state.attributes["bmi"] == 15.9
    assert float(state.state) == pytest.approx(54.4, abs=0.1)
    assert state.attributes["height_status"] == "current"
    assert state.attributes["height_measured_on"] == "2026-11-20"

    # Ben's height has no date: how old it is is unknown, so no score.
    await _weigh(hass, "Ben", 26.0)
    state = hass.states.get("sensor.ben_bmi_for_age_percentile")
    assert state.state == "unknown"
    assert state.attributes["height_status"] == "undated"
    assert state.attributes["height_measured_on"] is None
    # An adult's BMI asks no date.
    await _weigh(hass, "Mia", 61.0)
    assert hass.states.get("sensor.mia_bmi").attributes["class"] == "normal"


async def test_a_birth_date_set_while_home_assistant_was_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The default last applied is kept: a birth date under 2 given while the
    household was stopped turns the forecast off at the next start."""
    entry = await _household(
        hass, freezer, "2026-11-23 10:00", member("Zoe", sex="female")
    )
    await reload(hass, entry)
    forecast = "sensor.zoe_weight_forecast_30_days"
    assert _registered(hass, forecast).disabled_by is None
    assert await hass.config_entries.async_unload(entry.entry_id)
    subentry = entry.subentries["member_zoe"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data=dict(subentry.data) | {"birth_date": "2025-05-01"}
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _registered(hass, forecast).disabled_by is (
        er.RegistryEntryDisabler.INTEGRATION
    )
