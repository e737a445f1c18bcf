"""The validators on their own: properties that hold for any input."""

from datetime import timedelta
import math
from typing import Any

from homeassistant.exceptions import ServiceValidationError
from hypothesis import given, strategies as st
import pytest
import voluptuous as vol

from custom_components.auto_home.validation import (
    MAX_AHEAD,
    NAME_MAX,
    boolean,
    count,
    duration,
    name,
    number,
)

ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.text(max_size=80),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["days", "hours"]), st.floats(), max_size=2),
    st.timedeltas(),
)


def _outcome(validator: Any, value: Any) -> Any:
    """Return what a validator makes of a value, or the refusal's class."""
    try:
        return validator(value)
    except vol.Invalid:
        return vol.Invalid
    except ServiceValidationError:
        return ServiceValidationError


@given(ANY)
def test_number_is_finite_and_never_a_boolean(value: Any) -> None:
    result = _outcome(number, value)
    if isinstance(value, bool):
        assert result is vol.Invalid
    elif result is not vol.Invalid:
        assert isinstance(result, float)
        assert math.isfinite(result)


@given(ANY)
def test_count_stays_in_its_range(value: Any) -> None:
    result = _outcome(count("days", 0, 366), value)
    assert result in (vol.Invalid, ServiceValidationError) or (
        type(result) is int and 0 <= result <= 366
    )


@given(ANY)
def test_duration_is_positive_and_at_most_a_year(value: Any) -> None:
    result = _outcome(duration(MAX_AHEAD), value)
    assert result in (vol.Invalid, ServiceValidationError) or (
        timedelta(0) <= result <= MAX_AHEAD and not isinstance(value, bool)
    )


@given(ANY)
def test_names_are_trimmed_and_bounded(value: Any) -> None:
    result = _outcome(name, value)
    assert result in (vol.Invalid, ServiceValidationError) or (
        result == result.strip() and 1 <= len(result) <= NAME_MAX
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("on", True), (1, True), (1.0, True), (0, False), ("no", False)],
)
def test_boolean_takes_booleans(value: Any, expected: bool) -> None:
    assert boolean(value) is expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -5, 2, 0.5, [], None])
def test_boolean_refuses_other_numbers(value: Any) -> None:
    with pytest.raises(vol.Invalid):
        boolean(value)
