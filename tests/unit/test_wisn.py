"""WISN arithmetic. The WHO manual's own worked examples could not be retrieved offline, so these
examples are derived by hand from the manual's published formulas; each expected number is
worked out in the comment next to it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careshift.engine.wisn import (
    ActivityChange,
    AllowancePeriod,
    CategoryAllowance,
    IndividualAllowance,
    ServiceActivity,
    WisnInput,
    WorkingTime,
    automation_effect,
    category_allowance_factor,
    individual_allowance_factor,
    staffing_need,
)

# 52 weeks x 5 days = 260 days; 10 holidays, 20 annual leave, 10 sick, 5 training -> 215 days
YEAR = WorkingTime(
    working_days=260,
    public_holidays=10,
    annual_leave=20,
    sick_leave=10,
    other_leave=5,
    hours_per_day=8,
)


def make_wisn(**overrides: object) -> WisnInput:
    values: dict[str, object] = {
        "role": "patient service associate",
        "facility": "General Hospital",
        "working_time": YEAR,
        # 10,000 registrations x 15 min; 4,000 payments x 6 min
        "activities": (
            ServiceActivity("registration", unit_minutes=15, annual_workload=10_000),
            ServiceActivity("payment", unit_minutes=6, annual_workload=4_000),
        ),
        "category_allowances": (
            CategoryAllowance("team meetings", 10.0),
            CategoryAllowance("handover", 1.0, AllowancePeriod.WEEK),
        ),
        "individual_allowances": (IndividualAllowance("supervision", 100.0, staff=2),),
        "current_staff": 3,
    }
    values.update(overrides)
    return WisnInput(**values)  # type: ignore[arg-type]


def test_available_working_time_deducts_every_kind_of_leave() -> None:
    # (260 - (10 + 20 + 10 + 5)) x 8 = 215 x 8 = 1,720 hours
    assert YEAR.available_days == 215
    assert YEAR.available_hours == 1720


def test_standard_workload_is_available_time_over_unit_time() -> None:
    need = staffing_need(make_wisn())
    # 1,720 h x 60 / 15 min = 6,880 registrations; 1,720 x 60 / 6 = 17,200 payments
    assert need.standard_workloads == {"registration": 6880.0, "payment": 17200.0}


def test_category_allowance_in_hours_per_week_becomes_a_share_of_the_week() -> None:
    # 1 h of a 40 h week = 2.5 %; with 10 % meetings the total is 12.5 %: CAF = 1/0.875
    allowances = make_wisn().category_allowances
    assert category_allowance_factor(allowances, YEAR) == pytest.approx(1 / 0.875)
    assert CategoryAllowance("x", 0.5, AllowancePeriod.DAY).percent(YEAR) == pytest.approx(6.25)
    # 2 h a month = 24 h a year of 1,720 h
    assert CategoryAllowance("x", 2, AllowancePeriod.MONTH).percent(YEAR) == pytest.approx(
        2400 / 1720
    )


def test_individual_allowance_factor_is_total_hours_over_available_time() -> None:
    # 2 supervisors x 100 h = 200 h; 200 / 1,720 = 0.11628 staff
    allowances = make_wisn().individual_allowances
    assert individual_allowance_factor(allowances, YEAR) == pytest.approx(0.116279, abs=1e-6)


def test_required_staff_difference_and_ratio_follow_the_manual_formula() -> None:
    need = staffing_need(make_wisn())
    # 10,000/6,880 + 4,000/17,200 = 1.453488 + 0.232558 = 1.686047 service staff
    assert need.service_staff == pytest.approx(1.686047, abs=1e-6)
    # 1.686047 x 1.142857 + 0.116279 = 2.043189
    assert need.required == pytest.approx(2.043189, abs=1e-6)
    assert need.difference == pytest.approx(3 - 2.043189, abs=1e-6)
    assert need.ratio == pytest.approx(3 / 2.043189, abs=1e-6)


def test_allowances_that_fill_the_whole_working_time_are_refused() -> None:
    with pytest.raises(ValueError, match="must be < 100%"):
        category_allowance_factor([CategoryAllowance("all", 100.0)], YEAR)


def test_leave_longer_than_the_year_is_refused() -> None:
    with pytest.raises(ValueError, match="no available working time"):
        WorkingTime(200, 100, 100, 0, 0, 8)


def test_a_kiosk_taking_a_quarter_of_registrations_frees_capacity_and_needs_reskilling() -> None:
    wisn = make_wisn()
    effect = automation_effect(wisn, [ActivityChange("registration", workload_removed=0.25)])
    # registrations staff: 1.453488 -> 1.090116, x CAF 1.142857: freed 0.415282 FTE
    assert effect.freed_fte == pytest.approx(0.363372 * (1 / 0.875), abs=1e-6)
    # staff still registering, with their allowances, do it differently now
    assert effect.reskilling_fte == pytest.approx(1.090116 / 0.875, abs=1e-6)
    assert effect.after.required < effect.before.required


def test_automation_naming_an_unknown_activity_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown activities: filing"):
        automation_effect(make_wisn(), [ActivityChange("filing", unit_factor=0.5)])


def test_no_workload_needs_no_staff_and_the_ratio_is_infinite() -> None:
    need = staffing_need(make_wisn(activities=(), individual_allowances=()))
    assert need.required == 0
    assert math.isinf(need.ratio)


volumes = st.floats(min_value=0, max_value=1e6, allow_nan=False)
minutes = st.floats(min_value=0.5, max_value=600, allow_nan=False)


@given(volumes, volumes, minutes)
def test_required_staff_never_falls_when_workload_grows(
    low: float, extra: float, unit: float
) -> None:
    base = staffing_need(make_wisn(activities=(ServiceActivity("a", unit, low),)))
    more = staffing_need(make_wisn(activities=(ServiceActivity("a", unit, low + extra),)))
    assert more.required >= base.required - 1e-9


@given(volumes, minutes, st.floats(min_value=0.05, max_value=1.0))
def test_faster_standards_never_need_more_staff(volume: float, unit: float, factor: float) -> None:
    wisn = make_wisn(activities=(ServiceActivity("a", unit, volume),))
    effect = automation_effect(wisn, [ActivityChange("a", unit_factor=factor)])
    assert effect.freed_fte >= -1e-9
    assert effect.reskilling_fte <= effect.before.required + 1e-9


@given(volumes, minutes, st.floats(min_value=0.1, max_value=500))
def test_ratio_times_required_is_current_staff(volume: float, unit: float, staff: float) -> None:
    need = staffing_need(
        make_wisn(activities=(ServiceActivity("a", unit, volume + 1),), current_staff=staff)
    )
    assert need.ratio * need.required == pytest.approx(staff)
    assert need.difference == pytest.approx(staff - need.required)
