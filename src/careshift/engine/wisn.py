"""WHO Workload Indicators of Staffing Need (WISN), 2010 user's manual and its 2023 update.

The method, step by step (names follow the manual)::

    available working time  AWT = (A - (B + C + D + E)) x hours per day
        A possible working days, B public holidays, C annual leave, D sick leave,
        E other leave (training ...), all in days per year for one full-time worker
    standard workload       SW_i = AWT / unit time_i        (units one worker does in a year)
    category allowance      CAS% = share of working time every worker of the category spends on
                            support activities (given as a % or as time per day/week/month/year)
    category allowance factor   CAF = 1 / (1 - sum CAS% / 100)
    individual allowance    IAS = time per year spent by *some* workers on additional
                            activities x how many workers do them
    individual allowance factor IAF = sum IAS / AWT
    required staff          R = sum_i(annual workload_i / SW_i) x CAF + IAF
    WISN difference         current - R   (negative: shortage)
    WISN ratio              current / R   (below 1: workload pressure)

Automation changes activity standards: a task a kiosk takes over lowers the unit time (or the
annual workload handled by staff) of a health-service activity. Recomputing R with the new
standards gives the *freed capacity* (FTE no longer needed for the old work); staff time that
stays in an activity whose standard changed is *reskilling demand* (the same work, done
differently, needs new skills).

Times are hours unless a name says minutes; shares are percentages as in the manual.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

__all__ = [
    "ActivityChange",
    "AllowancePeriod",
    "AutomationEffect",
    "CategoryAllowance",
    "IndividualAllowance",
    "ServiceActivity",
    "StaffingNeed",
    "WisnInput",
    "WorkingTime",
    "apply_automation",
    "automation_effect",
    "category_allowance_factor",
    "individual_allowance_factor",
    "staffing_need",
]


@dataclass(frozen=True)
class WorkingTime:
    """One full-time worker's year (manual step 2): days A-E and the length of a working day."""

    working_days: float
    public_holidays: float
    annual_leave: float
    sick_leave: float
    other_leave: float
    hours_per_day: float
    #: working days in a week; converts "time per week" allowances to a share of the week
    days_per_week: float = 5.0

    def __post_init__(self) -> None:
        if self.hours_per_day <= 0 or self.days_per_week <= 0:
            raise ValueError("hours_per_day and days_per_week must be positive")
        if min(self.public_holidays, self.annual_leave, self.sick_leave, self.other_leave) < 0:
            raise ValueError("days off cannot be negative")
        if self.available_days <= 0:
            raise ValueError("days off leave no available working time")

    @property
    def available_days(self) -> float:
        absent = self.public_holidays + self.annual_leave + self.sick_leave + self.other_leave
        return self.working_days - absent

    @property
    def available_hours(self) -> float:
        """AWT in hours per year."""
        return self.available_days * self.hours_per_day


@dataclass(frozen=True)
class ServiceActivity:
    """A health-service workload component: its service standard and last year's volume."""

    name: str
    #: service standard: time one unit of the activity takes (minutes)
    unit_minutes: float
    #: annual workload: units done last year (visits, registrations, records filed ...)
    annual_workload: float

    def __post_init__(self) -> None:
        if self.unit_minutes <= 0:
            raise ValueError(f"{self.name}: unit time must be positive")
        if self.annual_workload < 0:
            raise ValueError(f"{self.name}: annual workload cannot be negative")

    def standard_workload(self, working_time: WorkingTime) -> float:
        """Units one worker can do in a year: AWT / unit time."""
        return working_time.available_hours * 60.0 / self.unit_minutes

    def staff(self, working_time: WorkingTime) -> float:
        """Workers needed for this activity alone: annual workload / standard workload."""
        return self.annual_workload / self.standard_workload(working_time)


class AllowancePeriod(StrEnum):
    """How a category allowance standard is stated."""

    PERCENT = "percent"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class CategoryAllowance:
    """A support activity every worker of the category does (meetings, handovers, reports)."""

    name: str
    #: a percentage of working time (period PERCENT) or hours per period
    amount: float
    period: AllowancePeriod = AllowancePeriod.PERCENT

    def percent(self, working_time: WorkingTime) -> float:
        """CAS as a percentage of working time."""
        if self.amount < 0:
            raise ValueError(f"{self.name}: allowance cannot be negative")
        if self.period is AllowancePeriod.PERCENT:
            return self.amount
        if self.period is AllowancePeriod.DAY:
            return 100.0 * self.amount / working_time.hours_per_day
        if self.period is AllowancePeriod.WEEK:
            week = working_time.hours_per_day * working_time.days_per_week
            return 100.0 * self.amount / week
        per_year = self.amount * (12.0 if self.period is AllowancePeriod.MONTH else 1.0)
        return 100.0 * per_year / working_time.available_hours


@dataclass(frozen=True)
class IndividualAllowance:
    """An additional activity only some workers do (supervision, teaching, committee work)."""

    name: str
    #: hours per year one of those workers spends on it
    hours_per_year: float
    #: how many workers of the category do it
    staff: float

    @property
    def total_hours(self) -> float:
        if self.hours_per_year < 0 or self.staff < 0:
            raise ValueError(f"{self.name}: allowance and staff cannot be negative")
        return self.hours_per_year * self.staff


def category_allowance_factor(
    allowances: Sequence[CategoryAllowance], working_time: WorkingTime
) -> float:
    """CAF = 1 / (1 - total CAS% / 100); refuses allowances that fill the whole working time."""
    total = sum(allowance.percent(working_time) for allowance in allowances)
    if total >= 100.0:
        raise ValueError(f"category allowances take {total:.1f}% of working time (must be < 100%)")
    return 1.0 / (1.0 - total / 100.0)


def individual_allowance_factor(
    allowances: Sequence[IndividualAllowance], working_time: WorkingTime
) -> float:
    """IAF = total IAS (hours per year) / AWT, in whole-time staff."""
    return sum(allowance.total_hours for allowance in allowances) / working_time.available_hours


@dataclass(frozen=True)
class WisnInput:
    """Everything WISN needs for one staff category (role) in one facility."""

    role: str
    facility: str
    working_time: WorkingTime
    activities: tuple[ServiceActivity, ...]
    category_allowances: tuple[CategoryAllowance, ...] = ()
    individual_allowances: tuple[IndividualAllowance, ...] = ()
    current_staff: float = 0.0


@dataclass(frozen=True)
class StaffingNeed:
    """The WISN result of one role in one facility."""

    role: str
    facility: str
    available_hours: float
    #: activity name -> standard workload (units per worker per year)
    standard_workloads: Mapping[str, float]
    #: activity name -> staff needed for that activity before allowances
    activity_staff: Mapping[str, float]
    service_staff: float
    category_allowance_percent: float
    caf: float
    iaf: float
    required: float
    current: float

    @property
    def difference(self) -> float:
        """Current minus required staff; negative means a shortage."""
        return self.current - self.required

    @property
    def ratio(self) -> float:
        """Current over required staff; below 1 means workload pressure. inf when none needed."""
        return math.inf if self.required == 0 else self.current / self.required


def staffing_need(wisn: WisnInput) -> StaffingNeed:
    """Required staff = sum(annual workload / standard workload) x CAF + IAF."""
    time = wisn.working_time
    per_activity = {activity.name: activity.staff(time) for activity in wisn.activities}
    service = sum(per_activity.values())
    caf = category_allowance_factor(wisn.category_allowances, time)
    iaf = individual_allowance_factor(wisn.individual_allowances, time)
    return StaffingNeed(
        role=wisn.role,
        facility=wisn.facility,
        available_hours=time.available_hours,
        standard_workloads={a.name: a.standard_workload(time) for a in wisn.activities},
        activity_staff=per_activity,
        service_staff=service,
        category_allowance_percent=sum(a.percent(time) for a in wisn.category_allowances),
        caf=caf,
        iaf=iaf,
        required=service * caf + iaf,
        current=wisn.current_staff,
    )


@dataclass(frozen=True)
class ActivityChange:
    """How technology changes one health-service activity's standard.

    ``unit_factor`` scales the time a unit takes (0.5: half the time); ``workload_removed`` is
    the share of units staff no longer handle at all (0.25: a kiosk takes a quarter).
    """

    activity: str
    unit_factor: float = 1.0
    workload_removed: float = 0.0

    def __post_init__(self) -> None:
        if self.unit_factor <= 0:
            raise ValueError(f"{self.activity}: unit_factor must be positive")
        if not 0.0 <= self.workload_removed <= 1.0:
            raise ValueError(f"{self.activity}: workload_removed must be within 0-1")


def apply_automation(wisn: WisnInput, changes: Sequence[ActivityChange]) -> WisnInput:
    """The same facility with new activity standards; an unknown activity is an error."""
    by_name = {change.activity: change for change in changes}
    unknown = sorted(set(by_name) - {a.name for a in wisn.activities})
    if unknown:
        raise ValueError(f"changes name unknown activities: {', '.join(unknown)}")
    activities = tuple(
        _changed(activity, by_name[activity.name]) if activity.name in by_name else activity
        for activity in wisn.activities
    )
    return replace(wisn, activities=activities)


def _changed(activity: ServiceActivity, change: ActivityChange) -> ServiceActivity:
    return replace(
        activity,
        unit_minutes=activity.unit_minutes * change.unit_factor,
        annual_workload=activity.annual_workload * (1 - change.workload_removed),
    )


@dataclass(frozen=True)
class AutomationEffect:
    before: StaffingNeed
    after: StaffingNeed
    #: FTE no longer needed (negative when the new standards need more staff)
    freed_fte: float
    #: FTE still working in activities whose standard changed: they need new skills
    reskilling_fte: float


def automation_effect(wisn: WisnInput, changes: Sequence[ActivityChange]) -> AutomationEffect:
    """WISN before and after the changes, the capacity freed and the staff to reskill."""
    before = staffing_need(wisn)
    after = staffing_need(apply_automation(wisn, changes))
    changed = {change.activity for change in changes}
    # Allowances scale with service staff through CAF, so the changed activities carry theirs.
    reskilling = sum(after.activity_staff[name] for name in changed) * after.caf
    return AutomationEffect(
        before=before,
        after=after,
        freed_fte=before.required - after.required,
        reskilling_fte=reskilling,
    )
