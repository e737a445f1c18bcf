"""WHO growth maths and the shipped LMS tables, checked against published WHO values."""

from datetime import date, timedelta
import math

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.growth import (
    AGE_STEPS_MONTHS,
    DAYS_PER_YEAR,
    HEIGHT_CURRENT_DAYS,
    HEIGHT_CURRENT_DAYS_UNDER_2,
    HeightStatus,
    Indicator,
    Lms,
    Sex,
    age_days,
    height_status,
    indicators_for,
    lms_z,
    load_who_tables,
    months_old,
    next_age_step,
    percentile,
    who_z,
)
from custom_components.auto_home.domain.temperature import AgeGroup, age_group_for

TABLES = load_who_tables()

# Medians (and L, S where given to four places) from WHO's published tables:
# Child Growth Standards weight-for-age (monthly), Growth Reference 2007 (BMI, weight).
PUBLISHED_MEDIANS = [
    (Indicator.WEIGHT, Sex.MALE, 0.0, 3.3464, 0.01),
    (Indicator.WEIGHT, Sex.FEMALE, 0.0, 3.2322, 0.01),
    (Indicator.WEIGHT, Sex.MALE, 0.5, 7.9340, 0.01),
    (Indicator.WEIGHT, Sex.FEMALE, 0.5, 7.2970, 0.01),
    (Indicator.WEIGHT, Sex.MALE, 2.0, 12.1515, 0.01),
    (Indicator.WEIGHT, Sex.FEMALE, 2.0, 11.4775, 0.01),
    (Indicator.WEIGHT, Sex.FEMALE, 10.0, 31.9, 0.1),
    (Indicator.BMI, Sex.MALE, 5.0, 15.3, 0.1),
    (Indicator.BMI, Sex.MALE, 10.0, 16.4, 0.1),
    (Indicator.BMI, Sex.FEMALE, 10.0, 16.6, 0.1),
    (Indicator.BMI, Sex.MALE, 15.0, 19.8, 0.1),
    (Indicator.BMI, Sex.FEMALE, 15.0, 20.2, 0.1),
]


def test_birth_row_is_whos() -> None:
    """WHO weight-for-age, boys, 0 months: L 0.3487, M 3.3464, S 0.14602."""
    assert TABLES.lms(Indicator.WEIGHT, Sex.MALE, 0.0) == Lms(0.3487, 3.3464, 0.14602)
    assert TABLES.lms(Indicator.WEIGHT, Sex.FEMALE, 0.0) == Lms(0.3809, 3.2322, 0.14171)


@pytest.mark.parametrize(
    ("indicator", "sex", "age", "median", "tol"), PUBLISHED_MEDIANS
)
def test_published_medians(
    indicator: Indicator, sex: Sex, age: float, median: float, tol: float
) -> None:
    """The table's median at an age matches WHO's and scores z 0, the 50th percentile."""
    lms = TABLES.lms(indicator, sex, age)
    assert lms is not None
    assert lms.m == pytest.approx(median, abs=tol)
    result = TABLES.assess(indicator, sex, age * DAYS_PER_YEAR, lms.m)
    assert result is not None
    assert result.z_score == pytest.approx(0, abs=1e-9)
    assert result.percentile == pytest.approx(50)


def test_published_sd_lines_boys_birth() -> None:
    """WHO boys 0 months: -2 SD 2.5 kg, +2 SD 4.4 kg, +3 SD 5.0 kg (rounded to 0.1)."""
    lms = TABLES.lms(Indicator.WEIGHT, Sex.MALE, 0.0)
    assert lms is not None
    assert lms.value_at(-2) == pytest.approx(2.5, abs=0.05)
    assert lms.value_at(2) == pytest.approx(4.4, abs=0.05)
    assert lms.value_at(3) == pytest.approx(5.0, abs=0.05)
    assert who_z(lms.value_at(2), lms) == pytest.approx(2)


def test_six_month_girls_lms() -> None:
    """WHO weight-for-age girls 6 months: L -0.0756, M 7.2970, S 0.12204."""
    lms = TABLES.lms(Indicator.WEIGHT, Sex.FEMALE, 0.5)
    assert lms is not None
    assert lms.l == pytest.approx(-0.0756, abs=1e-3)
    assert lms.s == pytest.approx(0.12204, abs=1e-3)


def test_l_zero_is_log() -> None:
    """L = 0 is the limit of the Box-Cox formula: ln(X/M)/S."""
    lms = Lms(0.0, 10.0, 0.1)
    assert lms_z(11.0, lms) == pytest.approx(math.log(1.1) / 0.1)
    near = Lms(1e-9, 10.0, 0.1)
    assert lms_z(11.0, near) == pytest.approx(lms_z(11.0, lms), rel=1e-6)
    assert lms.value_at(lms_z(11.0, lms)) == pytest.approx(11.0)


def test_who_tail_adjustment() -> None:
    """Beyond +/-3 SD the z-score goes on in steps of the 2-3 SD distance."""
    lms = TABLES.lms(Indicator.WEIGHT, Sex.MALE, 2.0)
    assert lms is not None
    sd2, sd3 = lms.value_at(2), lms.value_at(3)
    assert who_z(sd3 + (sd3 - sd2), lms) == pytest.approx(4)
    assert who_z(sd3 + (sd3 - sd2), lms) != pytest.approx(lms_z(sd3 + (sd3 - sd2), lms))
    sdm2, sdm3 = lms.value_at(-2), lms.value_at(-3)
    assert who_z(sdm3 - (sdm2 - sdm3), lms) == pytest.approx(-4)


def test_no_sex_or_out_of_range_gives_nothing() -> None:
    """Without a sex, past 19 years for BMI or 10 for weight, no result."""
    assert TABLES.assess(Indicator.WEIGHT, Sex.NOT_GIVEN, 400, 10) is None
    assert TABLES.assess(Indicator.BMI, Sex.MALE, 19.5 * DAYS_PER_YEAR, 22) is None
    assert TABLES.assess(Indicator.WEIGHT, Sex.MALE, 11 * DAYS_PER_YEAR, 35) is None
    assert TABLES.assess(Indicator.WEIGHT, Sex.MALE, -1, 3) is None
    assert TABLES.lms(Indicator.BMI, Sex.FEMALE, 19.0) is not None


def test_percentile_known_points() -> None:
    """Phi at the SD lines: 2.28 %, 50 %, 97.72 %."""
    assert percentile(-2) == pytest.approx(2.275, abs=1e-3)
    assert percentile(0) == 50
    assert percentile(2) == pytest.approx(97.725, abs=1e-3)


ages = st.floats(min_value=0, max_value=19)
sexes = st.sampled_from([Sex.FEMALE, Sex.MALE])
indicators = st.sampled_from(list(Indicator))


@given(indicators, sexes, ages, st.floats(0.3, 3.0), st.floats(1.001, 1.5))
def test_monotonic_in_measurement(
    indicator: Indicator, sex: Sex, age: float, ratio: float, step: float
) -> None:
    """A heavier child at the same age never scores lower, tails included."""
    lms = TABLES.lms(indicator, sex, age)
    if lms is None:
        return
    x = lms.m * ratio
    assert who_z(x * step, lms) > who_z(x, lms)
    assert 0 <= percentile(who_z(x, lms)) <= 100


@given(indicators, sexes, ages)
def test_median_scores_zero(indicator: Indicator, sex: Sex, age: float) -> None:
    """z(M) = 0 at every age the tables cover."""
    lms = TABLES.lms(indicator, sex, age)
    if lms is None:
        return
    assert who_z(lms.m, lms) == pytest.approx(0, abs=1e-9)


@given(sexes, st.floats(0, 9.99))
def test_interpolation_between_rows(sex: Sex, age: float) -> None:
    """Interpolated LMS lies between the neighbouring rows' values."""
    lo = TABLES.lms(Indicator.WEIGHT, sex, age)
    hi = TABLES.lms(Indicator.WEIGHT, sex, min(age + 0.01, 10.0))
    assert lo is not None
    assert hi is not None
    assert abs(hi.m - lo.m) < 0.2


def test_months_old_at_month_ends() -> None:
    """A monthly birthday missing from a month falls on its last day."""
    born = date(2024, 1, 31)
    assert months_old(born, date(2024, 2, 28)) == 0
    assert months_old(born, date(2024, 2, 29)) == 1
    assert months_old(born, date(2024, 3, 30)) == 1
    assert months_old(born, date(2024, 3, 31)) == 2
    assert months_old(date(2008, 2, 29), date(2026, 2, 28)) == 18 * 12
    with pytest.raises(ValueError, match="future"):
        months_old(born, date(2024, 1, 30))


def test_next_age_step_and_indicators() -> None:
    """Steps at 3 months, 2, 10 and 18 years; weight-for-age ends at 10."""
    born = date(2016, 5, 10)
    assert next_age_step(born, date(2016, 5, 10)) == date(2016, 8, 10)
    assert next_age_step(born, date(2016, 8, 10)) == date(2018, 5, 10)
    assert next_age_step(born, date(2020, 1, 1)) == date(2026, 5, 10)
    assert next_age_step(born, date(2026, 5, 10)) == date(2034, 5, 10)
    assert next_age_step(born, date(2034, 5, 10)) is None
    assert indicators_for(Sex.FEMALE, 119) == (Indicator.WEIGHT, Indicator.BMI)
    assert indicators_for(Sex.FEMALE, 120) == (Indicator.BMI,)
    assert indicators_for(Sex.MALE, 215) == (Indicator.BMI,)
    assert indicators_for(Sex.MALE, 216) == ()
    assert indicators_for(Sex.NOT_GIVEN, 12) == ()
    assert age_days(date(2025, 11, 23), date(2026, 11, 23)) == 365


def _steps_reached(born: date, today: date) -> int:
    return sum(months_old(born, today) >= step for step in AGE_STEPS_MONTHS)


births = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@given(births, st.integers(0, 25 * 366))
def test_months_old_agrees_with_age_groups(born: date, days: int) -> None:
    """Infant under 3 months and adult from 18 years, exactly as age_group_for."""
    today = born + timedelta(days=days)
    group = age_group_for(born, today)
    months = months_old(born, today)
    assert (group is AgeGroup.INFANT) == (months < 3)
    assert (group is AgeGroup.ADULT) == (months >= 18 * 12)


@given(births, st.integers(0, 25 * 366))
def test_next_age_step_is_the_next_change(born: date, days: int) -> None:
    """Nothing changes before the step's day, and something does on it."""
    today = born + timedelta(days=days)
    step = next_age_step(born, today)
    if step is None:
        assert _steps_reached(born, today) == len(AGE_STEPS_MONTHS)
        return
    assert step > today
    assert _steps_reached(born, step - timedelta(days=1)) == _steps_reached(born, today)
    assert _steps_reached(born, step) > _steps_reached(born, today)


def test_girl_of_twelve_months_published_values() -> None:
    """WHO girls 12 months: median 8.9 kg is the 50th percentile, +2 SD 11.5 kg
    the 97.7th, -2 SD 7.0 kg the 2.3rd (weight-for-age, rounded to 0.1 kg)."""
    median = TABLES.assess(Indicator.WEIGHT, Sex.FEMALE, 365, 8.95)
    assert median is not None
    assert median.percentile == pytest.approx(50, abs=0.5)
    lms = TABLES.lms(Indicator.WEIGHT, Sex.FEMALE, 365 / DAYS_PER_YEAR)
    assert lms is not None
    for z, published in ((2, 11.5), (-2, 7.0)):
        assert round(lms.value_at(z), 1) == published
        scored = TABLES.assess(Indicator.WEIGHT, Sex.FEMALE, 365, published)
        assert scored is not None
        assert scored.z_score == pytest.approx(z, abs=0.1)
        assert scored.percentile == pytest.approx(percentile(z), abs=1.5)


def test_height_status_windows() -> None:
    """3 months either side under 2 years, a year from the second birthday."""
    birth = date(2024, 11, 23)
    before_two = date(2026, 11, 22)
    assert height_status(birth, None, before_two) is HeightStatus.UNDATED
    assert height_status(birth, date(2026, 8, 22), before_two) is (HeightStatus.CURRENT)
    assert height_status(birth, date(2026, 8, 21), before_two) is (HeightStatus.TOO_OLD)
    # Measured after the weighing fits it as well.
    assert height_status(birth, date(2027, 2, 1), before_two) is (HeightStatus.CURRENT)
    two = date(2026, 11, 23)
    assert height_status(birth, date(2025, 11, 22), two) is HeightStatus.CURRENT
    assert height_status(birth, date(2025, 11, 21), two) is HeightStatus.TOO_OLD


@given(
    birth=st.dates(date(1950, 1, 1), date(2030, 1, 1)),
    age=st.integers(0, 365 * 19),
    gap=st.integers(-800, 800),
    closer=st.integers(0, 800),
)
def test_height_status_nearer_is_never_worse(
    birth: date, age: int, gap: int, closer: int
) -> None:
    """A height measured nearer the reading is current whenever a farther one is,
    and within 92 days it always is; beyond 366 days it never is."""
    reading_on = birth + timedelta(days=age)
    near_gap = max(0, abs(gap) - closer) * (1 if gap >= 0 else -1)
    far = height_status(birth, reading_on - timedelta(days=gap), reading_on)
    near = height_status(birth, reading_on - timedelta(days=near_gap), reading_on)
    if far is HeightStatus.CURRENT:
        assert near is HeightStatus.CURRENT
    if abs(gap) <= HEIGHT_CURRENT_DAYS_UNDER_2:
        assert far is HeightStatus.CURRENT
    if abs(gap) > HEIGHT_CURRENT_DAYS:
        assert far is HeightStatus.TOO_OLD
