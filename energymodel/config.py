"""Run-file schema (YAML), validated with pydantic.

A run file says which dataset to use and what to change: carbon policy, hydrogen blend,
which hours to model, solver options, output path, and overrides of any dataset value.
Paths are resolved relative to the run file's folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ARGUMENTS, InputError, Problem
from .limits import read_yaml
from .shipped import dataset_named


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # options are read, never changed: a change is a new config


class CarbonConfig(_Strict):
    """Carbon policy for the modelled year."""

    cap_t_per_yr: float | None = Field(None, ge=0, description="CO2 cap, tCO2/yr; null for no cap")
    price_cny_per_t: float = Field(0.0, ge=0, description="carbon price added to the objective, CNY/tCO2")


class FleetBlendConfig(_Strict):
    """A fleet-wide hydrogen share of the blending turbines' yearly heat input: a mandate (minimum), a maximum, or both.

    Each bound is given either by energy (LHV) or by volume, not both."""

    min_energy_share: float | None = Field(None, ge=0, le=1, description="mandate: H2 share of the fleet's heat input (LHV), 0..1")
    min_vol_fraction: float | None = Field(None, ge=0, le=1, description="mandate: H2 share of the fleet's fuel volume, 0..1")
    max_energy_share: float | None = Field(None, ge=0, le=1, description="most H2 as a share of the fleet's heat input (LHV), 0..1")
    max_vol_fraction: float | None = Field(None, ge=0, le=1, description="most H2 as a share of the fleet's fuel volume, 0..1")

    @model_validator(mode="after")
    def _one_basis_per_bound(self):
        for bound in ("min", "max"):
            if getattr(self, f"{bound}_energy_share") is not None and getattr(self, f"{bound}_vol_fraction") is not None:
                raise ValueError(f"give {bound}_energy_share or {bound}_vol_fraction, not both")
        return self


class NoxConfig(_Strict):
    """NOx policy for the modelled year (the factors are in technologies.csv)."""

    cap_t_per_yr: float | None = Field(None, ge=0, description="NOx cap, t/yr; null for no cap")


class HydrogenConfig(_Strict):
    """Hydrogen blending in gas turbines (technologies with ``h2_blending = true``)."""

    blend_vol_fraction: float = Field(
        0.0, ge=0, le=1, description="H2 share of fuel volume, 0..1, for turbines without their own h2_max_vol_fraction"
    )
    mode: Literal["fixed", "max"] = Field(
        "max", description="fixed: each turbine blends exactly its limit; max: any share up to it, hour by hour"
    )
    fuel: str = Field("hydrogen", description="name of the hydrogen fuel in fuels.csv")
    fleet: FleetBlendConfig | None = Field(None, description="fleet-wide minimum (mandate) or maximum hydrogen share; null: none")


class HoursConfig(_Strict):
    """Which hours of the dataset's year to model. The selected hours are weighted to count as a year."""

    start: dt.date | None = Field(None, description="first day included (YYYY-MM-DD)")
    end: dt.date | None = Field(None, description="last day included (YYYY-MM-DD)")
    every_nth_day: int = Field(1, ge=1, description="keep every n-th day of the range (1 = all days)")
    representative_days: int | None = Field(
        None, ge=1, description="cluster the days of the range into this many typical days (tsam); storage linked across days"
    )

    @model_validator(mode="after")
    def _one_sampling(self):
        if self.representative_days is not None and self.every_nth_day > 1:
            raise ValueError("use either every_nth_day or representative_days, not both")
        return self

    @model_validator(mode="after")
    def _ordered(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class OperationsConfig(_Strict):
    """Operating limits of thermal plants, each applied to the technologies whose data give it."""

    unit_commitment: bool = Field(
        False, description="linearised unit commitment: online capacity, minimum stable load (min_load_fraction) and start-up costs"
    )
    ramping: bool = Field(False, description="hourly ramp limits (ramp_fraction_per_h of capacity per hour)")
    must_run: bool = Field(
        False, description="must-run output (must_run_fraction) in the months of must_run_months, e.g. heating-season CHP"
    )


class OperatingReserveConfig(_Strict):
    """Hourly upward operating reserve held by thermal, hydro and storage headroom."""

    demand_fraction: float = Field(0.0, ge=0, le=1, description="reserve as a share of each hour's demand, 0..1")
    wind_solar_fraction: float = Field(0.0, ge=0, le=1, description="extra reserve as a share of each hour's wind and solar output, 0..1")


class ReservesConfig(_Strict):
    """Operating and planning reserves (both optional)."""

    operating: OperatingReserveConfig | None = Field(None, description="hourly operating reserve; null: none")
    planning_margin: float | None = Field(
        None, ge=0, description="capacity counted for adequacy >= (1 + margin) x demand, per region; null: none"
    )
    planning_method: Literal["hourly", "peak"] = Field(
        "hourly",
        description="hourly: the margin holds in every modelled hour, wind and solar counting their capacity factor in that "
        "hour, the rest capacity_credit x capacity; peak: capacity_credit x capacity against the full-year peak demand",
    )
    planning_hours: int | None = Field(
        None, ge=1, description="hourly method: only the N modelled hours of highest net load per region and period; null: all"
    )

    @model_validator(mode="after")
    def _hours_need_hourly(self):
        if self.planning_hours is not None and self.planning_method != "hourly":
            raise ValueError("planning_hours applies to planning_method: hourly only")
        return self


class FlexibleDemandConfig(_Strict):
    """Demand that may move between the hours of a window, energy-neutral within each window (model/flexible_demand.py)."""

    share: float = Field(..., ge=0, le=1, description="most demand taken out of an hour, as a fraction of that hour's demand, 0..1")
    window_h: int = Field(4, ge=1, le=24, description="hours of each window, consecutive from midnight; must divide 24")
    cost_cny_per_mwh: float = Field(0.0, ge=0, description="cost of each MWh moved (taken out of one hour, added to another), CNY/MWh")
    max_added_fraction: float | None = Field(
        None, ge=0, description="most load added to an hour, as a fraction of that hour's demand (null: the share)"
    )
    regions: list[str] | None = Field(None, min_length=1, description="regions whose demand may move (null: all)")

    @model_validator(mode="after")
    def _window_divides_a_day(self):
        if 24 % self.window_h:
            raise ValueError(f"window_h must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), not {self.window_h}")
        return self


class DecompositionConfig(_Strict):
    """Temporal decomposition (docs/decomposition.md): investments in a master, one operational subproblem per subperiod."""

    method: Literal["benders"] = "benders"
    subperiod_days: int = Field(7, ge=1, description="days per subproblem (7: weeks)")
    gap: float = Field(1e-3, gt=0, lt=1, description="stop at this relative gap between the upper and lower bound")
    max_iterations: int = Field(200, ge=1)
    regularisation: Literal["in-out", "none"] = Field(
        "in-out", description="in-out: step from the best point towards the master's optimum; none: plain cutting planes"
    )
    step_fraction: float = Field(0.5, gt=0, le=1, description="in-out step: this share of the way to the master's optimum")
    warm_start_days: int = Field(
        8, ge=0, description="start from a plan on this many typical days of the same run (0: start from the master's optimum)"
    )
    workers: int = Field(1, ge=1, description="solve the subproblems on a local Dask cluster of this many processes (1: in this process)")
    scheduler: str | None = Field(None, description="address of an existing Dask cluster for the subproblems (tcp://HOST:PORT)")


class SolverConfig(_Strict):
    """Solver choice and options passed straight to HiGHS (e.g. threads, time_limit, solver)."""

    name: Literal["highs"] = "highs"
    options: dict[str, Any] = Field(default_factory=dict)
    decomposition: DecompositionConfig | None = Field(None, description="solve by temporal decomposition (null: one LP)")


class Overrides(_Strict):
    """Replace dataset values: ``technologies: {coal: {capex_cny_per_kw: 4000}}`` etc.

    With regions, a technology key is either a plain name (all regions) or ``region.name``."""

    technologies: dict[str, dict[str, Any]] = Field(default_factory=dict)
    fuels: dict[str, dict[str, Any]] = Field(default_factory=dict)
    lines: dict[str, dict[str, Any]] = Field(default_factory=dict)
    hydrogen_supply: dict[str, dict[str, Any]] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)


class PathwayConfig(_Strict):
    """Several investment periods solved together (a pathway), e.g. 2025, 2030, ..., 2060.

    Per-year values are given for some years and interpolated linearly for the periods between
    them (held constant beyond the first and last given year).
    """

    periods: list[int] = Field(..., min_length=1, description="years of the investment periods, increasing")
    foresight: Literal["perfect", "myopic"] = Field(
        "perfect", description="perfect: all periods solved together; myopic: a rolling window of horizon_periods periods (myopic.py)"
    )
    horizon_periods: int = Field(1, ge=1, description="myopic foresight: periods each window sees, its first period's decisions kept")
    base_year: int | None = Field(None, description="year costs are discounted to (default: the first period)")
    demand_growth: dict[int, float] = Field(default_factory=dict, description="demand relative to the dataset's, per year")
    carbon_cap_t_per_yr: dict[int, float] = Field(default_factory=dict, description="CO2 cap per year, tCO2/yr")
    carbon_budget_t: float | None = Field(None, ge=0, description="cumulative CO2 over the years the periods represent, tCO2")
    nox_cap_t_per_yr: dict[int, float] = Field(default_factory=dict, description="NOx cap per year, t/yr")
    h2_blend_vol_fraction: dict[int, float] = Field(default_factory=dict, description="hydrogen volume blend limit per year, 0..1")
    h2_max_vol_fraction: dict[str, dict[int, float]] = Field(
        default_factory=dict, description="technology name -> {year: hydrogen volume blend limit of that turbine, 0..1}"
    )
    min_non_fossil_share: dict[int, float] = Field(
        default_factory=dict, description="minimum non-fossil share of generation per year, 0..1"
    )
    min_wind_solar_mw: dict[int, float] = Field(default_factory=dict, description="minimum installed wind + solar capacity per year, MW")
    max_build_mw_per_yr: dict[str, float] = Field(
        default_factory=dict, description="technology name -> most new capacity per year (MW/yr) times the years a period stands for"
    )
    capex_factor: dict[str, dict[int, float]] = Field(
        default_factory=dict,
        description="technology name -> {year: overnight cost relative to the dataset's} for capacity built in that period",
    )

    @model_validator(mode="after")
    def _check(self):
        if any(b <= a for a, b in zip(self.periods, self.periods[1:])):
            raise ValueError(f"periods must increase: {self.periods}")
        for name in ("demand_growth", "carbon_cap_t_per_yr", "nox_cap_t_per_yr", "min_wind_solar_mw"):
            if any(v < 0 for v in getattr(self, name).values()):
                raise ValueError(f"{name} values must be >= 0")
        for name in ("h2_blend_vol_fraction", "min_non_fossil_share"):
            if any(not 0 <= v <= 1 for v in getattr(self, name).values()):
                raise ValueError(f"{name} values must be between 0 and 1")
        for technology, by_year in self.h2_max_vol_fraction.items():
            if any(not 0 <= v <= 1 for v in by_year.values()):
                raise ValueError(f"h2_max_vol_fraction of {technology} must be between 0 and 1")
        return self


class RunConfig(_Strict):
    """A resolved run: every field has a value; paths are absolute."""

    name: str = Field(..., min_length=1)
    description: str = ""
    dataset: Path
    output: Path | None = None
    carbon: CarbonConfig = Field(default_factory=CarbonConfig)
    nox: NoxConfig = Field(default_factory=NoxConfig)
    hydrogen: HydrogenConfig = Field(default_factory=HydrogenConfig)
    hours: HoursConfig = Field(default_factory=HoursConfig)
    solver: SolverConfig = Field(default_factory=SolverConfig)
    new_capacity: bool = Field(True, description="false: build nothing (technologies, storage energy, lines); dispatch the existing fleet")
    operations: OperationsConfig = Field(default_factory=OperationsConfig)
    reserves: ReservesConfig = Field(default_factory=ReservesConfig)
    flexible_demand: FlexibleDemandConfig | None = Field(None, description="demand that may move within windows of hours; null: none")
    pathway: PathwayConfig | None = None
    overrides: Overrides = Field(default_factory=Overrides)
    sweep: dict[str, Any] = Field(default_factory=dict, description="sweep axes: path or alias -> values (see `energymodel sweep`)")
    extra_constraints: str | None = Field(
        None,
        pattern=r"^[^:\s]+:[A-Za-z_][A-Za-z0-9_]*$",
        description="a user hook 'module:function' or 'file.py:function' (relative to the run file) "
        "called with the built model before the solve",
    )
    extra_options: dict[str, Any] = Field(default_factory=dict, description="keyword arguments for the extra_constraints function")

    def sweep_output(self) -> Path:
        """Combined sweep NetCDF: the output path with '-sweep' added, default ``results/<name>-sweep.nc``."""
        out = self.resolved_output()
        return out.with_name(out.stem + "-sweep.nc")

    def operate_output(self) -> Path:
        """Results of ``energymodel operate``: the output path with '-operate' added (the plan is never replaced)."""
        out = self.resolved_output()
        return out.with_name(out.stem + "-operate" + out.suffix)

    def resolved_output(self) -> Path:
        """Output NetCDF path; defaults to ``results/<name>.nc`` in the current folder."""
        return self.output if self.output is not None else Path("results") / f"{self.name}.nc"


def _format_loc(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def parse_run(raw: Any, source: str, base_dir: Path) -> RunConfig:
    """Validate a run mapping; relative paths are taken from ``base_dir``. Raises InputError."""
    if not isinstance(raw, dict):
        raise InputError([Problem(source, "", type(raw).__name__, "a run file must be a YAML mapping")])
    try:
        config = RunConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [Problem(source, _format_loc(err["loc"]), err.get("input"), err["msg"]) for err in exc.errors()]
        raise InputError(problems) from None
    resolved = {"dataset": (base_dir / config.dataset).resolve()}
    if not resolved["dataset"].exists() and len(config.dataset.parts) == 1:  # a bare name: a shipped dataset
        resolved["dataset"] = dataset_named(str(config.dataset), source)
    if config.output is not None:
        resolved["output"] = (base_dir / config.output).resolve()
    if config.extra_constraints is not None:  # a hook file is found relative to the run file, as the dataset is
        where, _, function = config.extra_constraints.rpartition(":")
        if where.endswith(".py"):
            resolved["extra_constraints"] = f"{(base_dir / where).resolve()}:{function}"
    return config.model_copy(update=resolved)


def read_run_yaml(path: str | Path) -> dict:
    """The raw mapping of a YAML run file (not yet validated). Raises InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", None, "run file not found")])
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise InputError([Problem(str(path), "", type(raw).__name__, "a run file must be a YAML mapping")])
    return raw


def load_run(path: str | Path, changes: dict | None = None, decompose: bool = False) -> RunConfig:
    """Read and validate a YAML run file. Raises InputError naming the file and field.

    ``changes`` maps dotted run-file paths to values that replace the file's (e.g. ``--set`` on the command line);
    ``decompose`` adds ``solver.decomposition`` (its defaults) if the file has none.
    """
    path = Path(path)
    raw = read_run_yaml(path)
    if decompose:
        with_decomposition(raw)
    for dotted, value in (changes or {}).items():
        set_by_path(raw, dotted, value)
    return parse_run(raw, str(path), path.parent)


def with_decomposition(raw: dict) -> dict:
    """``raw`` with a ``solver.decomposition`` section (the defaults unless the run file has one)."""
    solver = raw.get("solver")
    if not isinstance(solver, dict):
        solver = raw["solver"] = {}
    if solver.get("decomposition") is None:
        solver["decomposition"] = {}
    return raw


def set_by_path(raw: dict, dotted: str, value: Any) -> None:
    """Set ``raw['a']['b'] = value`` for ``dotted='a.b'``, creating mappings on the way."""
    keys = dotted.split(".")
    node = raw
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise InputError([Problem(ARGUMENTS, dotted, None, f"'{key}' is not a section")])
    node[keys[-1]] = value
