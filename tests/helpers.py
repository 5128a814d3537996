"""Small in-memory cases whose answers are known by hand, and checks shared by tests on shipped data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from energymodel.config import parse_run
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.results import build_dataset
from energymodel.solve import solve

SETTINGS = {"name": "test", "year": 2030, "money_base_year": 2020, "discount_rate": 0.0, "value_of_lost_load_cny_per_mwh": 1e5}

FUELS = [
    {"fuel": "coal", "price_cny_per_gj": 30.0, "co2_t_per_gj": 0.1},
    {"fuel": "natural_gas", "price_cny_per_gj": 70.0, "co2_t_per_gj": 0.05, "lhv_mj_per_nm3": 35.79},
    {"fuel": "hydrogen", "price_cny_per_gj": 150.0, "co2_t_per_gj": 0.0, "lhv_mj_per_nm3": 10.79, "lhv_mj_per_kg": 119.96},
]


def config(**sections):
    raw = {"name": "test", "dataset": "."}
    raw.update(sections)
    return parse_run(raw, "test", Path("."))


def solve_case(technologies, demand_mw, fuels=FUELS, settings=None, run=None, **series):
    """Build and solve an in-memory case; returns (results Dataset, frame).

    With one region (``demand_mw`` a list) the Dataset's ``region`` dimension is dropped, so that
    single-region answers read as plain numbers; pass a dict region -> demand for several regions.
    """
    data = inputs_from_tables(config(**(run or {})), {**SETTINGS, **(settings or {})}, technologies, fuels, demand_mw, **series)
    frame = build_model(data)
    info = solve(frame, data.config.solver.options)
    ds = build_dataset(frame, {"solver_termination": info.termination})
    if not isinstance(demand_mw, dict):
        ds = ds.squeeze("region", drop=True)
    return ds, frame


# The district-heat networks of the shipped datasets and their suppliers (data/china_heat.py).
HEAT_NETWORKS = (
    ("district_heat_coal", "coal_chp", "coal_heat_boiler"),
    ("district_heat_gas", "gas_chp", "gas_heat_boiler"),
)
# The power-to-heat rows (family heat_pump) data/china-2030 offers to build in each network, by network.
P2H_BY_NETWORK = {
    "district_heat_coal": ["coal_dh_electric_boiler", "coal_dh_heat_pump"],
    "district_heat_gas": ["gas_dh_electric_boiler", "gas_dh_heat_pump"],
}
P2H_ROWS = [name for names in P2H_BY_NETWORK.values() for name in names]


def assert_heat_met_on_the_back_pressure_line(ds, techs: pd.DataFrame, least_twh: float = 10.0) -> None:
    """Each district-heat network is met hour by hour; the CHP plants give at least c_b MW of power per MW of
    heat; and the heat the boilers cannot make (above their capacity) comes from the CHP plants, which then
    generate at least c_b x that heat (> least_twh TWh/yr). ``techs``: technologies.csv indexed by name."""
    heat_out = ds.heat_output_mw.sum("region") if "region" in ds.heat_output_mw.dims else ds.heat_output_mw
    power = ds.generation_mw.sum("region") if "region" in ds.generation_mw.dims else ds.generation_mw
    energy = ds.energy_mwh.sum([d for d in ds.energy_mwh.dims if d != "technology"])
    for network, chp, boiler in HEAT_NETWORKS:
        p2h = [g for g in P2H_BY_NETWORK[network] if g in heat_out.technology.values]  # electric boilers, heat pumps (2030)
        supplied = heat_out.sel(technology=[chp, boiler, *p2h]).sum("technology").values
        demand = ds.heat_demand_mw.sel(heat_network=network).values
        assert abs(supplied - demand).max() <= 1e-6 * demand.max(), network
        back_pressure = techs.at[chp, "power_to_heat"] * heat_out.sel(technology=chp).values
        assert (power.sel(technology=chp).values >= back_pressure - 1e-3).all(), chp
        # the heat neither the boilers (at their capacity) nor power-to-heat gave comes from the CHP plants
        from_p2h = heat_out.sel(technology=p2h).sum("technology")
        beyond_boilers = (ds.heat_demand_mw.sel(heat_network=network) - techs.at[boiler, "existing_mw"] - from_p2h).clip(min=0)
        least = techs.at[chp, "power_to_heat"] * float((beyond_boilers * ds.weight_h).sum()) / 1e6
        assert least > least_twh and float(energy.sel(technology=chp)) / 1e6 >= least * (1 - 1e-6), chp


def week_run(tmp_path: Path, **sections) -> Path:
    """runs/china-2030-week.yaml on the shipped data, output in ``tmp_path``, ``sections`` replaced; its path."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    raw = yaml.safe_load((root / "runs" / "china-2030-week.yaml").read_text())
    raw.update(dataset=str(root / "data" / "china-2030"), output=str(tmp_path / "out.nc"), **sections)
    run = tmp_path / "run.yaml"
    run.write_text(yaml.safe_dump(raw))
    return run


def assert_input_error(result, *expected: str) -> None:
    """A command that exits 2 with every ``expected`` text in its message and no traceback."""
    assert result.exit_code == 2, result.output
    assert all(text in result.output for text in expected) and "Traceback" not in result.output, result.output


def assert_regions_balance(ds, lines_csv) -> None:
    """Every region's hourly balance from the results' own variables: generation - storage charging + lost load +
    net line imports after losses (``efficiency`` from ``lines_csv``) = demand (MW)."""
    import numpy as np
    import pandas as pd

    efficiency = pd.read_csv(lines_csv).set_index("name")["efficiency"]
    for region in ds.region.values:
        net = 0.0
        for line in ds.line.values:
            flow = ds.flow_mw.sel(line=line)
            sent, returned = flow.clip(min=0), (-flow).clip(min=0)
            if ds.region_to.sel(line=line).item() == region:
                net = net + efficiency[line] * sent - returned
            elif ds.region_from.sel(line=line).item() == region:
                net = net - sent + efficiency[line] * returned
        r = ds.sel(region=region)
        supply = r.generation_mw.sum("technology") - r.storage_charge_mw.sum("technology") + r.lost_load_mw + net
        np.testing.assert_allclose(supply, r.demand_mw, rtol=1e-6, atol=1e-2, err_msg=str(region))
