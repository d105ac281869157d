"""The main menu: which pages each role sees. A link appears only when the page is mounted."""

from __future__ import annotations

from dataclasses import dataclass

from careshift.domain.access import Principal, Role
from careshift.entrypoints.web.i18n import N_
from careshift.services.access import ANONYMOUS

__all__ = ["NAV", "NavItem", "menu", "register_page"]


@dataclass(frozen=True)
class NavItem:
    path: str
    #: English label, marked for translation and translated when shown
    label: str
    #: roles that see the link; empty means every signed-in user
    roles: frozenset[Role] = frozenset()
    #: one-line description on the role dashboard
    summary: str = ""


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


NAV: tuple[NavItem, ...] = (
    NavItem("/", N_("Home")),
    NavItem("/taxonomy", N_("Skills and occupations"), summary=N_("Search ESCO and local roles.")),
    NavItem(
        "/me/profile",
        N_("My profile"),
        _roles(Role.WORKER),
        N_("Your skills, levels and evidence; self-assessment and CV suggestions."),
    ),
    NavItem(
        "/me/pathways",
        N_("My pathways"),
        _roles(Role.WORKER),
        N_("Where you could go next, the gap, and a learning plan."),
    ),
    NavItem(
        "/me/learning",
        N_("My courses"),
        _roles(Role.WORKER),
        N_("Your courses, progress and credentials."),
    ),
    NavItem(
        "/academy/catalogue",
        N_("Catalogue"),
        _roles(Role.ACADEMY),
        N_("Courses and programmes mapped to skills and levels."),
    ),
    NavItem(
        "/academy/programmes",
        N_("Programmes"),
        _roles(Role.ACADEMY),
        N_("Courses grouped into programmes, with their waves."),
    ),
    NavItem(
        "/academy/cohorts",
        N_("Cohorts"),
        _roles(Role.ACADEMY, Role.HR),
        N_("Plan cohorts, record attendance and outcomes."),
    ),
    NavItem(
        "/academy/outcomes",
        N_("Course outcomes"),
        # unions follow what training achieved for their members (aggregates only)
        _roles(Role.ACADEMY, Role.HR, Role.UNION, Role.ANALYST),
        N_("Completions, assessment results and credentials per course."),
    ),
    NavItem(
        "/hr/approvals",
        N_("Approvals"),
        _roles(Role.HR),
        N_("Approve or decline workers' requests for a place in a course."),
    ),
    NavItem(
        "/union/sessions",
        N_("Engagement sessions"),
        _roles(Role.UNION, Role.HR),
        N_("Skill-gap surveys with members; results in aggregate only."),
    ),
    NavItem(
        "/hr/impact",
        N_("Role impact"),
        _roles(Role.HR, Role.UNION, Role.ANALYST),
        N_("Tasks technology changes, exposure, headcount at risk."),
    ),
    NavItem(
        "/hr/gaps",
        N_("Staff gaps"),
        _roles(Role.HR, Role.ACADEMY, Role.UNION, Role.ANALYST),
        N_("Gaps by role and competence, as a heatmap."),
    ),
    NavItem(
        "/planning/impact",
        N_("Role impact register"),
        _roles(Role.HR, Role.UNION, Role.ANALYST),
        N_("Full-time equivalents at risk per year; correct tasks with local evidence."),
    ),
    NavItem(
        "/planning/demand",
        N_("Competence demand"),
        _roles(Role.ANALYST, Role.HR),
        N_("Competences short or in surplus, from planned posts and job ads."),
    ),
    NavItem(
        "/planning/wisn",
        N_("Staffing need"),
        _roles(Role.ANALYST, Role.HR),
        N_("WHO WISN: staff a workload needs, and what automation frees."),
    ),
    NavItem(
        "/planning/projections",
        N_("Projections"),
        _roles(Role.ANALYST, Role.HR, Role.UNION, Role.ACADEMY),
        N_("Headcount per role and year under named scenarios."),
    ),
    NavItem(
        "/planning/placements",
        N_("Practice placements"),
        _roles(Role.EDUCATION, Role.ACADEMY, Role.ANALYST),
        N_("Match students to placement sites; shortages per period."),
    ),
    NavItem(
        "/planning/education",
        N_("Students"),
        _roles(Role.EDUCATION, Role.ACADEMY, Role.ANALYST),
        N_("Intake, completion and gender balance of students per programme."),
    ),
    NavItem(
        "/planning/recruitment",
        N_("Recruitment and retention"),
        _roles(Role.ANALYST, Role.HR, Role.UNION),
        N_("Hires, leavers, retention, gender and age balance."),
    ),
    NavItem(
        "/analyst/dashboards",
        N_("Dashboards"),
        _roles(Role.ANALYST, Role.HR, Role.UNION),
        N_("Exposure by role, gaps by competence, outcomes over time."),
    ),
    NavItem(
        "/admin/accounts",
        N_("Accounts"),
        _roles(Role.ADMIN),
        N_("People, roles and institutions."),
    ),
    NavItem(
        "/admin/audit", N_("Audit log"), _roles(Role.ADMIN), N_("Who saw or changed what, when.")
    ),
)

# Paths of pages that are actually mounted (filled by the page modules as they load), so a
# menu never links to a page whose service has not landed yet.
_MOUNTED: set[str] = set()


def register_page(path: str) -> None:
    _MOUNTED.add(path)


def menu(principal: Principal) -> list[NavItem]:
    if principal == ANONYMOUS:
        return [item for item in NAV if item.path == "/taxonomy" and item.path in _MOUNTED]
    return [
        item
        for item in NAV
        if item.path in _MOUNTED and (not item.roles or principal.has(*item.roles))
    ]
