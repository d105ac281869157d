"""Stock-and-flow workforce projections per role and region, with named scenarios.

The stock is a headcount array of shape ``(roles, regions, age bands)``. Each projected year,
in this order (all flows computed from the stock at the start of the step they belong to):

1. **Transitions** (pathways, retraining): people move from one role to another, in the same
   region and age band, at most the source stock;
2. **Attrition**: leavers = stock x annual attrition rate of the role and age band;
3. **Ageing and retirement**: 1/width of each band moves up a band; those leaving the last
   band retire;
4. **Intake** from education joins the role's entry band.

Demand (posts) per role and region grows by ``demand_growth`` a year and shrinks by the share
of the role's work that technology has removed by that year, net of new tasks it brings
(``automation``: year -> cumulative net share removed, from the framework's role tasks).
``gap = headcount - demand``: positive is a surplus (people whose work is gone), negative a
shortage.

Headcounts are fractional expected values (a flow model, not a simulation of persons).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["AgeBand", "Projection", "Scenario", "Transition", "WorkforceModel", "project"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class AgeBand:
    label: str
    #: years a person spends in the band; 1/width of the band ages out each year
    width: float


@dataclass(frozen=True)
class Transition:
    """A planned move between roles (a pathway a training programme opens)."""

    source: str
    target: str
    #: people per year (spread over regions and bands in proportion to the source stock) ...
    per_year: float = 0.0
    #: ... or a share of the source stock per year
    share: float = 0.0
    first_year: int = 0
    last_year: int = 9999
    #: only this region; None: every region
    region: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    transitions: tuple[Transition, ...] = ()
    #: role -> multiplier on the model's intake (1.5: half as many again)
    intake_factor: Mapping[str, float] = field(default_factory=dict)
    #: role -> multiplier on attrition (0.8: retention measures keep a fifth of leavers)
    attrition_factor: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkforceModel:
    roles: tuple[str, ...]
    regions: tuple[str, ...]
    bands: tuple[AgeBand, ...]
    #: headcount, shape (roles, regions, bands)
    stock: Array
    #: annual leaving rate, shape (roles, bands)
    attrition: Array
    #: new entrants per year, shape (roles, regions); they join band ``entry_band``
    intake: Array
    #: posts in the start year, shape (roles, regions)
    demand: Array
    start_year: int
    #: annual growth of demand per role, shape (roles,)
    demand_growth: Array | None = None
    #: role -> ((year, cumulative share of work removed by then), ...)
    automation: Mapping[str, Sequence[tuple[int, float]]] = field(default_factory=dict)
    entry_band: int = 0

    def __post_init__(self) -> None:
        shape = (len(self.roles), len(self.regions), len(self.bands))
        checks = {
            "stock": (self.stock, shape),
            "attrition": (self.attrition, (shape[0], shape[2])),
            "intake": (self.intake, shape[:2]),
            "demand": (self.demand, shape[:2]),
        }
        for name, (array, expected) in checks.items():
            if array.shape != expected:
                raise ValueError(f"{name} has shape {array.shape}, expected {expected}")
            if (array < 0).any():
                raise ValueError(f"{name} cannot be negative")
        if (self.attrition > 1).any():
            raise ValueError("attrition rates must be within 0-1")

    def removed_share(self, role: str, year: int) -> float:
        """Net share of the role's start-year work gone by ``year`` (negative: new work)."""
        steps = sorted(
            (when, share) for when, share in self.automation.get(role, ()) if when <= year
        )
        return steps[-1][1] if steps else 0.0


@dataclass(frozen=True)
class Projection:
    """Arrays indexed by year offset 0..years; flows at index t happened during year t."""

    scenario: str
    model: WorkforceModel
    #: shape (years + 1, roles, regions)
    headcount: Array
    demand: Array
    #: flows, shape (years + 1, roles, regions); index 0 is zero
    leavers: Array
    retirements: Array
    intake: Array
    moved_in: Array
    moved_out: Array

    @property
    def years(self) -> list[int]:
        return [self.model.start_year + t for t in range(self.headcount.shape[0])]

    @property
    def gap(self) -> Array:
        return self.headcount - self.demand


def project(model: WorkforceModel, scenario: Scenario, years: int) -> Projection:
    """Project ``years`` (1-15) years ahead under ``scenario``."""
    if not 1 <= years <= 15:
        raise ValueError("projections run 1 to 15 years")
    index = {role: i for i, role in enumerate(model.roles)}
    for name in [*scenario.intake_factor, *scenario.attrition_factor]:
        if name not in index:
            raise ValueError(f"scenario {scenario.name!r} names unknown role {name!r}")
    for move in scenario.transitions:
        for name in (move.source, move.target):
            if name not in index:
                raise ValueError(f"scenario {scenario.name!r} names unknown role {name!r}")
    widths = np.array([band.width for band in model.bands])
    attrition = model.attrition * _per_role(index, scenario.attrition_factor)[:, None]
    attrition = np.clip(attrition, 0.0, 1.0)
    intake = model.intake * _per_role(index, scenario.intake_factor)[:, None]
    shape = (years + 1, *model.intake.shape)
    out = {k: np.zeros(shape) for k in ("leavers", "retire", "intake", "in", "out", "demand")}
    headcount = np.zeros(shape)
    stock = model.stock.astype(np.float64).copy()
    headcount[0] = stock.sum(axis=2)
    out["demand"][0] = _demand(model, index, 0)
    for t in range(1, years + 1):
        year = model.start_year + t
        moved = _transitions(model, index, scenario.transitions, stock, year)
        out["out"][t] = np.maximum(-moved, 0).sum(axis=2)
        out["in"][t] = np.maximum(moved, 0).sum(axis=2)
        stock = stock + moved
        leavers = stock * attrition[:, None, :]
        stock = stock - leavers
        ageing = stock / widths
        stock = stock - ageing
        stock[:, :, 1:] += ageing[:, :, :-1]
        stock[:, :, model.entry_band] += intake
        out["leavers"][t] = leavers.sum(axis=2)
        out["retire"][t] = ageing[:, :, -1]
        out["intake"][t] = intake
        headcount[t] = stock.sum(axis=2)
        out["demand"][t] = _demand(model, index, t)
    return Projection(
        scenario=scenario.name,
        model=model,
        headcount=headcount,
        demand=out["demand"],
        leavers=out["leavers"],
        retirements=out["retire"],
        intake=out["intake"],
        moved_in=out["in"],
        moved_out=out["out"],
    )


def _per_role(index: Mapping[str, int], factors: Mapping[str, float]) -> Array:
    result = np.ones(len(index))
    for role, factor in factors.items():
        if factor < 0:
            raise ValueError(f"factor for {role!r} cannot be negative")
        result[index[role]] = factor
    return result


def _demand(model: WorkforceModel, index: Mapping[str, int], t: int) -> Array:
    growth = np.zeros(len(index)) if model.demand_growth is None else model.demand_growth
    year = model.start_year + t
    kept = np.array([1.0 - model.removed_share(role, year) for role in model.roles])
    return np.asarray(model.demand * ((1.0 + growth) ** t * kept)[:, None], dtype=np.float64)


def _transitions(
    model: WorkforceModel,
    index: Mapping[str, int],
    transitions: Sequence[Transition],
    stock: Array,
    year: int,
) -> Array:
    """Net change of the stock from this year's moves; no source gives more than it has."""
    moved = np.zeros_like(stock)
    available = stock.copy()
    for move in transitions:
        if not move.first_year <= year <= move.last_year:
            continue
        source, target = index[move.source], index[move.target]
        pool = available[source].copy()
        if move.region is not None:
            keep = np.array([region == move.region for region in model.regions])
            pool[~keep] = 0.0
        total = pool.sum()
        if total <= 0:
            continue
        wanted = move.per_year + move.share * total
        taken = pool.copy() if wanted >= total else pool * (wanted / total)
        available[source] -= taken
        moved[source] -= taken
        moved[target] += taken
    return moved
