"""InputData: the validated inputs of one run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..config import RunConfig
from ..periods import PeriodPlan, single_year
from .schema import HEAT_ONLY_FAMILIES


@dataclass(frozen=True)
class InputData:
    """Validated inputs for one run, restricted to the selected hours.

    Arrays along time have one entry per modelled hour. ``weight_h`` is how many hours of the
    year each modelled hour stands for (they sum to the hours in the year). ``block`` numbers
    runs of consecutive hours; storage and reservoir levels are cyclic within each block.
    """

    config: RunConfig
    settings: dict[str, Any]
    technologies: pd.DataFrame  # index: technology id (name, or region.name with regions); columns incl. region, technology
    fuels: pd.DataFrame  # index: fuel name
    time: pd.DatetimeIndex
    weight_h: np.ndarray
    block: np.ndarray
    demand_mw: pd.DataFrame  # columns: regions (MW)
    capacity_factor: pd.DataFrame  # columns: variable_renewable technology ids
    inflow_per_mw: pd.DataFrame  # columns: reservoir_hydro technology ids (MWh/h per MW of turbine)
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)  # index: line name (transmission corridors)
    day_sequence: np.ndarray | None = None  # representative days: the typical day (block) of each day of the range
    day_dates: pd.DatetimeIndex | None = None  # representative days: the dates of the range, one per day_sequence entry
    day_period: np.ndarray | None = None  # representative days in a pathway: the period of each day_sequence entry
    periods: PeriodPlan | None = None  # a pathway's investment periods (None: one modelled year)
    sources: dict[str, str] = field(default_factory=dict)
    peak_demand_mw: pd.DataFrame | None = (
        None  # the dataset's full-year peak per region (columns), one row per period; None: peak of the modelled hours
    )
    heat_demand_mw: pd.DataFrame = field(default_factory=pd.DataFrame)  # columns: heat networks (MW_th); empty: no heat modelled
    hydrogen_supply: pd.DataFrame = field(default_factory=pd.DataFrame)  # index: supply name; hydrogen bought by region and kind
    region_positions: pd.DataFrame = field(default_factory=pd.DataFrame)  # index: region; lat_deg, lon_deg (for maps); empty: none given

    def names(self, family: str) -> list[str]:
        """Technology ids of one family that can have capacity, in file order.

        A technology with no existing capacity and ``max_mw = 0`` is switched off: it stays in the
        results (with zero capacity) but adds nothing to the LP.
        """
        t = self.technologies
        usable = (t["max_mw"] > 0) | (t["existing_mw"] > 0)
        return list(t.index[(t["family"] == family) & usable])

    def period_plan(self) -> PeriodPlan:
        """The investment periods: the pathway's, or the one modelled year."""
        return self.periods or single_year(self.technologies, int(self.settings.get("year", 2030)), len(self.time))

    @property
    def regions(self) -> list[str]:
        """Region names, in the order of demand.csv's columns."""
        return list(self.demand_mw.columns)

    @property
    def blending_technologies(self) -> list[str]:
        """Thermal technologies that burn a hydrogen blend."""
        t = self.technologies
        return list(t.index[(t["family"] == "thermal") & t["h2_blending"].astype(bool)])

    def heat_suppliers(self, family: str) -> list[str]:
        """Usable technologies of ``family`` that supply a modelled heat network: CHP plants (thermal with
        ``power_to_heat``), heat boilers or heat pumps; none without heat demand."""
        if self.heat_demand_mw.empty:
            return []
        t = self.technologies
        names = [g for g in self.names(family) if family != "thermal" or t.at[g, "power_to_heat"] > 0]
        return [g for g in names if heat_network_id(t, g) in self.heat_demand_mw.columns]

    def heat_network(self, technology: str) -> str:
        """The heat network (a column of ``heat_demand_mw``) a CHP plant, heat boiler or heat pump supplies."""
        return heat_network_id(self.technologies, technology)


def heat_suppliers(technologies: pd.DataFrame) -> list[str]:
    """Every technology that can supply heat (heat boilers, heat pumps, thermal plants with ``power_to_heat``), in file order."""
    t = technologies
    chp = (t["family"] == "thermal") & (pd.to_numeric(t["power_to_heat"], errors="coerce") > 0)
    return list(t.index[chp | t["family"].isin(HEAT_ONLY_FAMILIES)])


def heat_network_id(technologies: pd.DataFrame, technology: str) -> str:
    """The heat network a technology supplies: its ``heat_network``, as ``region.network`` in a dataset with regions
    (the naming of technology ids), so that heat_demand.csv's columns name networks as capacity_factors.csv names plants."""
    network = str(technologies.at[technology, "heat_network"]).strip()
    regional = technology != technologies.at[technology, "technology"]
    return f"{technologies.at[technology, 'region']}.{network}" if regional else network
