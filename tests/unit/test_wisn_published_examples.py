"""WISN against a published worked calculation, to the precision printed there.

The WHO user's manual (2010, ISBN 978 92 4 150019 7) and its 2023 second edition hold worked
examples, but no copy of their text beyond the front matter could be retrieved (see
docs/planning.md, "Verification"), so none of the manual's own numbers are pinned here.

Source pinned: Burmen B, Owuor N, Mitei P. "An assessment of staffing needs at a HIV clinic in
a Western Kenya using the WHO workload indicators of staffing need WISN, 2011". Human Resources
for Health 2017;15:9, doi:10.1186/s12960-017-0186-3, Table 3 "Computation of estimating
staffing requirements using WISN"
(https://human-resources-health.biomedcentral.com/articles/10.1186/s12960-017-0186-3/tables/3).
Only the rows up to the category allowance share were retrievable; the table's CAF, required
staff and WISN ratio rows are not pinned.
"""

from __future__ import annotations

import pytest

from careshift.engine.wisn import (
    AllowancePeriod,
    CategoryAllowance,
    ServiceActivity,
    WisnInput,
    WorkingTime,
    staffing_need,
)

HOURS_PER_DAY = 8


def kenya_clinician_year(
    public_holidays: float = 10, annual_leave: float = 30, sick_leave: float = 15
) -> WorkingTime:
    """A JOOTRH clinician's year: 52 weeks x 4.5 consultation days (0.5 day a week is the
    multidisciplinary meeting, which the study takes out of the working days)."""
    return WorkingTime(
        working_days=52 * 4.5,
        public_holidays=public_holidays,
        annual_leave=annual_leave,
        sick_leave=sick_leave,
        other_leave=0,
        hours_per_day=HOURS_PER_DAY,
    )


def kenya_clinic() -> WisnInput:
    return WisnInput(
        role="clinician",
        facility="JOOTRH HIV clinic",
        working_time=kenya_clinician_year(),
        # 10,000 patients x 10 scheduled appointments, 15 min (0.25 h) each
        activities=(ServiceActivity("consultation", unit_minutes=15, annual_workload=100_000),),
        # training sessions: 10 days a year of 8 h
        category_allowances=(
            CategoryAllowance("training sessions", 10 * HOURS_PER_DAY, AllowancePeriod.YEAR),
        ),
    )


def test_kenya_available_working_time_is_179_days() -> None:
    """Burmen et al. 2017, Table 3, "Establish annual available working time": 52 weeks x 4.5
    days = 234 days; less 10 public holidays = 224; less 30 days annual leave = 194; less 15 days
    sick leave = 179 days per clinician."""
    assert kenya_clinician_year(0, 0, 0).available_days == 234
    assert kenya_clinician_year(10, 0, 0).available_days == 224
    assert kenya_clinician_year(10, 30, 0).available_days == 194
    assert kenya_clinician_year().available_days == 179
    assert kenya_clinician_year().available_hours == 179 * HOURS_PER_DAY


def test_kenya_annual_workload_is_25000_hours_or_3125_days() -> None:
    """Burmen et al. 2017, Table 3, "Ascertain the workload": 100,000 appointments x 0.25 h =
    25,000 h; at 8 h a day, 3125 days."""
    need = staffing_need(kenya_clinic())
    workload_hours = need.service_staff * need.available_hours
    assert workload_hours == pytest.approx(25_000)
    assert workload_hours / HOURS_PER_DAY == pytest.approx(3125)


def test_kenya_baseline_staff_requirement_is_17_46() -> None:
    """Burmen et al. 2017, Table 3, "The baseline staff requirement": 3125 days / 179 days =
    17.46 staff (printed to two decimals)."""
    need = staffing_need(kenya_clinic())
    assert round(need.service_staff, 2) == 17.46
    assert need.activity_staff == {"consultation": pytest.approx(3125 / 179)}


def test_kenya_category_allowance_is_10_of_179_available_days() -> None:
    """Burmen et al. 2017, Table 3, "Calculate category allowance and multiplier quotient": 10
    days of training a year, a share 10/179 of the annual available working time. A CAS given
    as time per year is a share of AWT, as the engine converts it."""
    need = staffing_need(kenya_clinic())
    assert need.category_allowance_percent == pytest.approx(100 * 10 / 179)
    # CAF = 1 / (1 - CAS% / 100): 179 / 169 (the printed CAF row was not retrievable)
    assert need.caf == pytest.approx(179 / 169)
