"""Children's growth: WHO weight-for-age and BMI-for-age z-scores and percentiles.

Standard library only, no Home Assistant imports. The WHO tables give, per sex and
age, the Box-Cox power L, median M and coefficient of variation S of a measure
(the LMS method). A measurement X at that age has the z-score

    z = ((X / M) ** L - 1) / (L * S)      (z = ln(X / M) / S when L == 0)

and the percentile Phi(z). For weight-based indicators WHO does not trust the
skewed tails of the fitted curve beyond 3 SD, so there the z-score goes on
linearly in units of the distance between the 2 SD and 3 SD curves.

Ages between table rows are interpolated linearly in L, M and S. Tables: WHO Child
Growth Standards (0-5 years, daily) and WHO Growth Reference 2007 (5-19 years,
monthly); see growth_data/README.md.
"""

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
import json
import math
from pathlib import Path
from typing import Final

from .temperature import ADULT_MONTHS, INFANT_MONTHS, add_months

DAYS_PER_YEAR: Final = 365.25
TABLES_PATH: Final = Path(__file__).parent / "growth_data" / "who_lms.json"
# Goal date and forecast are on by default from 2 years: before, a child's
# weight grows by the month and a weight goal or a 30-day line says little.
FORECAST_MONTHS: Final = 24
# WHO's weight-for-age ends at 10 years (there is none beyond).
WEIGHT_FOR_AGE_MONTHS: Final = 120
# The ages at which what a member has (entities, defaults, BMI classes) changes.
AGE_STEPS_MONTHS: Final = (
    INFANT_MONTHS,
    FORECAST_MONTHS,
    WEIGHT_FOR_AGE_MONTHS,
    ADULT_MONTHS,
)


# How far from a reading a child's height may be measured and still give the
# BMI-for-age: under 2 a child grows about 1 cm a month, so 3 months; after,
# 5-6 cm a year, so a year (a stale height inflates the BMI by its square).
HEIGHT_MONTHLY_MONTHS: Final = 24
HEIGHT_CURRENT_DAYS_UNDER_2: Final = 92
HEIGHT_CURRENT_DAYS: Final = 366


class HeightStatus(StrEnum):
    """Whether a child's height may score a reading's BMI-for-age."""

    CURRENT = "current"
    # No "measured on" date: how old the height is is not known.
    UNDATED = "undated"
    TOO_OLD = "too_old"


def height_status(
    birth_date: date, height_on: date | None, reading_on: date
) -> HeightStatus:
    """Whether a height measured on `height_on` fits a reading of `reading_on`.

    The window is of the child's age at the reading, either side of it (a
    height measured the week after a weighing fits it as well).
    """
    if height_on is None:
        return HeightStatus.UNDATED
    months = months_old(birth_date, max(birth_date, reading_on))
    days = (
        HEIGHT_CURRENT_DAYS_UNDER_2
        if months < HEIGHT_MONTHLY_MONTHS
        else HEIGHT_CURRENT_DAYS
    )
    if abs((reading_on - height_on).days) <= days:
        return HeightStatus.CURRENT
    return HeightStatus.TOO_OLD


class Sex(StrEnum):
    """The sex the WHO tables are split by; NOT_GIVEN means no percentile."""

    FEMALE = "female"
    MALE = "male"
    NOT_GIVEN = "not_given"


class Indicator(StrEnum):
    """The measures the tables cover."""

    WEIGHT = "weight"
    BMI = "bmi"


@dataclass(frozen=True, slots=True)
class Lms:
    """Box-Cox power, median and coefficient of variation at one age."""

    l: float  # noqa: E741 - the name used by WHO and every LMS paper
    m: float
    s: float

    def value_at(self, z: float) -> float:
        """Return the measurement whose z-score is z (the LMS formula inverted)."""
        if self.l == 0:
            return self.m * math.exp(self.s * z)
        return self.m * math.pow(1 + self.l * self.s * z, 1 / self.l)


def lms_z(x: float, lms: Lms) -> float:
    """Return the plain LMS z-score of x, without the tail adjustment."""
    if x <= 0:
        raise ValueError("measurement must be positive")
    if lms.l == 0:
        return math.log(x / lms.m) / lms.s
    return (math.pow(x / lms.m, lms.l) - 1) / (lms.l * lms.s)


def who_z(x: float, lms: Lms) -> float:
    """Return the z-score with WHO's adjustment beyond +/-3 SD (weight-based)."""
    z = lms_z(x, lms)
    if z > 3:
        sd3 = lms.value_at(3)
        return 3 + (x - sd3) / (sd3 - lms.value_at(2))
    if z < -3:
        sd3 = lms.value_at(-3)
        return -3 + (x - sd3) / (lms.value_at(-2) - sd3)
    return z


def percentile(z: float) -> float:
    """Phi(z) in percent: the share of the reference population below z."""
    return 50 * (1 + math.erf(z / math.sqrt(2)))


@dataclass(frozen=True, slots=True)
class LmsTable:
    """One indicator for one sex: ages in years ascending with their LMS."""

    ages: Sequence[float]
    values: Sequence[Lms]

    def at(self, age_years: float) -> Lms | None:
        """LMS interpolated at an age, None outside the table's range."""
        if not self.ages or age_years < self.ages[0] or age_years > self.ages[-1]:
            return None
        i = bisect_right(self.ages, age_years)
        if i >= len(self.ages):
            return self.values[-1]
        lo_age, hi_age = self.ages[i - 1], self.ages[i]
        lo, hi = self.values[i - 1], self.values[i]
        t = (age_years - lo_age) / (hi_age - lo_age)
        return Lms(
            lo.l + t * (hi.l - lo.l),
            lo.m + t * (hi.m - lo.m),
            lo.s + t * (hi.s - lo.s),
        )


@dataclass(frozen=True, slots=True)
class GrowthResult:
    """Where a measurement sits among children of the same sex and age."""

    z_score: float
    percentile: float


class GrowthTables:
    """The WHO tables, by indicator and sex."""

    def __init__(self, tables: Mapping[tuple[Indicator, Sex], LmsTable]) -> None:
        """Hold tables keyed by (indicator, sex)."""
        self._tables = dict(tables)

    @classmethod
    def from_json(
        cls, raw: Mapping[str, Mapping[str, list[list[float]]]]
    ) -> GrowthTables:
        """Build from the shipped JSON: indicator -> sex -> [age, L, M, S] rows."""
        tables: dict[tuple[Indicator, Sex], LmsTable] = {}
        for indicator, by_sex in raw.items():
            for sex, rows in by_sex.items():
                tables[Indicator(indicator), Sex(sex)] = LmsTable(
                    [row[0] for row in rows], [Lms(*row[1:4]) for row in rows]
                )
        return cls(tables)

    def lms(self, indicator: Indicator, sex: Sex, age_years: float) -> Lms | None:
        """LMS at an age, None without a sex or outside the covered ages."""
        table = self._tables.get((indicator, sex))
        return None if table is None else table.at(age_years)

    def assess(
        self, indicator: Indicator, sex: Sex, age_days: float, value: float
    ) -> GrowthResult | None:
        """Score a weight (kg) or BMI at an age in days: z-score and percentile."""
        lms = self.lms(indicator, sex, age_days / DAYS_PER_YEAR)
        if lms is None or value <= 0:
            return None
        z = who_z(value, lms)
        return GrowthResult(z, percentile(z))


def load_who_tables(path: Path = TABLES_PATH) -> GrowthTables:
    """Read the shipped tables; blocking file I/O, run it in an executor."""
    return GrowthTables.from_json(json.loads(path.read_text(encoding="utf-8")))


def months_old(birth_date: date, today: date) -> int:
    """Return the completed calendar months of someone born on `birth_date`.

    The same count `age_group_for` uses: a monthly birthday that does not exist
    in a month falls on its last day.
    """
    if today < birth_date:
        raise ValueError("Birth date is in the future")
    months = (today.year - birth_date.year) * 12 + today.month - birth_date.month
    return months if add_months(birth_date, months) <= today else months - 1


def next_age_step(birth_date: date, today: date) -> date | None:
    """Return the first day after `today` on which an age step is reached."""
    days = [add_months(birth_date, months) for months in AGE_STEPS_MONTHS]
    return min((day for day in days if day > today), default=None)


def age_days(birth_date: date, measured_on: date) -> int:
    """Return the age in days on the day of a measurement (WHO counts days)."""
    return (measured_on - birth_date).days


def indicators_for(sex: Sex, months: int) -> tuple[Indicator, ...]:
    """Return the percentiles a member of this sex and age in months has.

    None for an adult or without a sex; from 10 years BMI-for-age only.
    """
    if sex is Sex.NOT_GIVEN or months >= ADULT_MONTHS:
        return ()
    if months >= WEIGHT_FOR_AGE_MONTHS:
        return (Indicator.BMI,)
    return (Indicator.WEIGHT, Indicator.BMI)
