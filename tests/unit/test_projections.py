"""Stock-and-flow projections: hand-worked years, conservation of people, scenario effects."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from careshift.engine.projections import (
    AgeBand,
    Scenario,
    Transition,
    WorkforceModel,
    project,
)

BANDS = (AgeBand("under 40", 20), AgeBand("40 and over", 25))


def make_model(**overrides: object) -> WorkforceModel:
    values: dict[str, object] = {
        "roles": ("psa", "care_coordinator"),
        "regions": ("east",),
        "bands": BANDS,
        "stock": np.array([[[1000.0, 1000.0]], [[0.0, 0.0]]]),
        "attrition": np.array([[0.10, 0.0], [0.0, 0.0]]),
        "intake": np.array([[100.0], [0.0]]),
        "demand": np.array([[2000.0], [50.0]]),
        "start_year": 2026,
        "automation": {"psa": [(2027, 0.5)]},
    }
    values.update(overrides)
    return WorkforceModel(**values)  # type: ignore[arg-type]


def test_one_year_applies_attrition_then_ageing_retirement_and_intake() -> None:
    run = project(make_model(), Scenario("baseline"), years=1)
    # young: 1000 - 100 leavers = 900; 900/20 = 45 age up; 855 + 100 intake = 955
    # old: 1000 (no attrition); 1000/25 = 40 retire; 960 + 45 = 1005
    assert run.leavers[1, 0, 0] == pytest.approx(100)
    assert run.retirements[1, 0, 0] == pytest.approx(40)
    assert run.headcount[1, 0, 0] == pytest.approx(955 + 1005)
    assert run.years == [2026, 2027]


def test_demand_falls_by_the_share_of_work_automation_removed() -> None:
    run = project(make_model(), Scenario("baseline"), years=2)
    assert list(run.demand[:, 0, 0]) == pytest.approx([2000, 1000, 1000])
    # 1,960 people for 1,000 posts in 2027: a surplus of 960
    assert run.gap[1, 0, 0] == pytest.approx(960)


def test_an_academy_plan_moves_people_into_the_target_role() -> None:
    plan = Scenario("academy", (Transition("psa", "care_coordinator", per_year=40),))
    run = project(make_model(), plan, years=3)
    assert list(run.moved_in[1:, 1, 0]) == pytest.approx([40, 40, 40])
    assert run.moved_out[1, 0, 0] == pytest.approx(40)
    assert run.headcount[3, 1, 0] > 100


def test_a_transition_never_takes_more_people_than_the_source_has() -> None:
    plan = Scenario("too much", (Transition("care_coordinator", "psa", per_year=500),))
    run = project(make_model(), plan, years=2)
    assert run.moved_out[1:, 1, 0].sum() == 0


def test_scenarios_naming_unknown_roles_and_long_horizons_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown role 'porter'"):
        project(make_model(), Scenario("x", intake_factor={"porter": 2}), years=1)
    with pytest.raises(ValueError, match="1 to 15 years"):
        project(make_model(), Scenario("x"), years=16)


def test_a_model_with_mismatched_shapes_is_refused() -> None:
    with pytest.raises(ValueError, match="intake has shape"):
        make_model(intake=np.array([100.0, 0.0]))


counts = arrays(np.float64, (2, 2, 2), elements=st.floats(0, 5000))
rates = arrays(np.float64, (2, 2), elements=st.floats(0, 1))
flows = arrays(np.float64, (2, 2), elements=st.floats(0, 500))


@settings(max_examples=100, deadline=None)
@given(counts, rates, flows, st.floats(0, 1), st.floats(0, 300), st.integers(1, 15))
def test_people_are_conserved_and_never_negative(
    stock: np.ndarray,
    attrition: np.ndarray,
    intake: np.ndarray,
    share: float,
    per_year: float,
    years: int,
) -> None:
    model = make_model(
        regions=("east", "west"),
        stock=stock,
        attrition=attrition,
        intake=intake,
        demand=np.ones((2, 2)),
    )
    moves = (
        Transition("psa", "care_coordinator", share=share),
        Transition("care_coordinator", "psa", per_year=per_year, region="west"),
    )
    run = project(model, Scenario("random", moves), years)
    assert (run.headcount >= -1e-9).all()
    for t in range(1, years + 1):
        expected = (
            run.headcount[t - 1]
            + run.intake[t]
            - run.leavers[t]
            - run.retirements[t]
            + run.moved_in[t]
            - run.moved_out[t]
        )
        np.testing.assert_allclose(run.headcount[t], expected, atol=1e-6)
        assert run.moved_in[t].sum() == pytest.approx(run.moved_out[t].sum())
