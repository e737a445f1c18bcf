"""Checks of stored values: exactly the stored types pass, as they were."""

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain import stored

_ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=5,
)


@given(_ANYTHING)
def test_each_check_passes_its_type_unchanged_and_refuses_the_rest(
    value: Any,
) -> None:
    for check, passes in (
        (stored.integer, type(value) is int),
        (stored.number, type(value) in (int, float)),
        (stored.flag, type(value) is bool),
        (stored.text, type(value) is str),
        (stored.optional_text, value is None or type(value) is str),
    ):
        if passes:
            assert check(value) is value
        else:
            with pytest.raises(TypeError):
                check(value)


@given(st.datetimes(timezones=st.just(UTC)))
def test_a_time_passes_with_its_zone_and_not_without(at: datetime) -> None:
    assert stored.aware(at.isoformat()) == at
    assert stored.optional_aware(at.isoformat()) == at
    with pytest.raises(ValueError, match="without zone"):
        stored.aware(at.replace(tzinfo=None).isoformat())


def test_counts_are_integers_by_id() -> None:
    assert stored.counts({"member_mia": 2}) == {"member_mia": 2}
    assert stored.optional_aware(None) is None
    for wrong in ([["member_mia", 2]], {"member_mia": 2.0}, {1: 2}):
        with pytest.raises(TypeError):
            stored.counts(wrong)
