"""Myopic pathways (pathway.foresight: myopic): rolling windows checked against answers worked out by hand.

The cases have one modelled hour a year (weight 1 h), 100 MW of demand and no discounting, so each
period of 10 years has objective factor 10 and every cost below is a sum of whole numbers.
"""

import io

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import SETTINGS, config

from energymodel.cli import main
from energymodel.inputs import inputs_from_tables, with_pathway
from energymodel.results import write_netcdf
from energymodel.runner import run_inputs

PERIODS = [2030, 2040, 2050]
FUELS = [dict(fuel="coal", price_cny_per_gj=0.0, co2_t_per_gj=1 / 3.6), dict(fuel="free", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
UNIT = dict(family="thermal", efficiency=1.0, availability=1.0)


def _run(techs, periods=PERIODS, fuels=FUELS, messages=None, demand=(100.0,), lines=None, **pathway):
    run = config(pathway={"periods": periods, **pathway})
    demand = demand if isinstance(demand, dict) else list(demand)
    data = with_pathway(inputs_from_tables(run, SETTINGS, techs, fuels, demand, lines=lines))
    ds = run_inputs(data, progress=None if messages is None else messages.append)
    return ds if isinstance(demand, dict) else ds.squeeze("region", drop=True)


# Coal: 0.5 CNY/kW over 50 years = 10 CNY/MW/yr, 1 t/MWh, 5 CNY/MWh to run. Clean: 1 CNY/kW over
# 50 years = 20 CNY/MW/yr, no CO2, nothing to run. No cap in 2030, zero CO2 from 2040.
#   perfect foresight: clean from 2030:                       10 x 3 periods x 2,000       = 60,000 CNY
#   myopic, one period seen: 2030 alone sees coal as cheaper (1,000 + 500 < 2,000 CNY/yr),
#   then 2040 must build clean too, and the coal annuities are still paid:
#       10 x (1,000 + 500) + 10 x (1,000 + 2,000) x 2                                      = 75,000 CNY
COAL = dict(UNIT, name="coal", fuel="coal", capex_cny_per_kw=0.5, lifetime_yr=50, variable_om_cny_per_mwh=5)
CLEAN = dict(UNIT, name="clean", fuel="free", capex_cny_per_kw=1.0, lifetime_yr=50)
TIGHTENING = {2030: 1e9, 2040: 0.0}


def test_foresight_matters_myopia_builds_coal_it_cannot_run():
    perfect = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING)
    messages = []
    myopic = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic", messages=messages)
    assert float(perfect.total_cost_cny) == pytest.approx(60_000, rel=1e-9)
    assert float(myopic.total_cost_cny) == pytest.approx(75_000, rel=1e-9)
    assert float(myopic.total_cost_cny) > float(perfect.total_cost_cny)
    # the reason: coal built in 2030 under myopia (none with foresight), then clean capacity on top
    assert myopic.capacity_new_mw.sel(technology="coal").values == pytest.approx([100, 0, 0], abs=1e-6)
    assert perfect.capacity_new_mw.sel(technology="coal").values == pytest.approx([0, 0, 0], abs=1e-6)
    assert myopic.capacity_new_mw.sel(technology="clean").values == pytest.approx([0, 100, 0], abs=1e-6)
    assert myopic.emissions_total_t.values == pytest.approx([100, 0, 0], abs=1e-6)
    # the annuity of the idle coal is paid in every period it stands (as perfect foresight would count it)
    assert myopic.cost_cny.sel(component="investment", technology="coal").values == pytest.approx([1000] * 3, rel=1e-9)
    # one progress line per window
    lines = [m for m in messages if m.startswith("window ")]
    assert len(lines) == 3 and "2030" in lines[0] and "objective" in lines[0]


def test_capacity_built_in_window_1_is_capacity_in_period_2():
    ds = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic")
    coal = ds.capacity_total_mw.sel(technology="coal")
    assert coal.sel(period=2040).item() == pytest.approx(100, abs=1e-6)  # built in window 1, standing (idle) in 2040
    assert coal.sel(period=2050).item() == pytest.approx(100, abs=1e-6)
    assert ds.generation_mw.sel(technology="coal", period=2040).sum().item() == pytest.approx(0, abs=1e-6)


def test_window_record_and_attributes():
    ds = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic")
    assert ds.attrs["pathway_foresight"] == "myopic" and ds.attrs["pathway_horizon_periods"] == 1
    assert ds.sizes["window"] == 3
    assert ds.window_first_period.values.tolist() == PERIODS
    assert ds.window_last_period.values.tolist() == PERIODS
    # window objectives: the present value up to the window's last period, earlier decisions fixed
    assert ds.window_objective_cny.values == pytest.approx([15_000, 45_000, 75_000], rel=1e-9)
    assert (ds.window_solve_time_s.values >= 0).all()
    # capacity, costs and hours of every period, as with perfect foresight
    perfect = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING)
    assert ds.capacity_total_mw.dims == perfect.capacity_total_mw.dims
    assert set(perfect.data_vars) <= set(ds.data_vars)
    assert perfect.attrs["pathway_foresight"] == "perfect"


def test_a_window_of_every_period_is_perfect_foresight():
    perfect = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING)
    one = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic", horizon_periods=3)
    assert float(one.total_cost_cny) == pytest.approx(float(perfect.total_cost_cny), rel=1e-9)
    assert one.capacity_total_mw.values == pytest.approx(perfect.capacity_total_mw.values, abs=1e-6)
    assert one.capacity_new_mw.values == pytest.approx(perfect.capacity_new_mw.values, abs=1e-6)
    assert one.sizes["window"] == 1
    assert one.window_last_period.values.tolist() == [2050]


def test_two_periods_seen_is_enough_here():
    # 2030's window sees 2040's zero cap, so it builds clean at once: the perfect-foresight answer.
    ds = _run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic", horizon_periods=2)
    assert float(ds.total_cost_cny) == pytest.approx(60_000, rel=1e-9)
    # the window of 2040 reaches the last period, so its decisions for 2050 are kept too: two windows
    assert ds.window_first_period.values.tolist() == [2030, 2040]
    assert ds.window_last_period.values.tolist() == [2040, 2050]


def test_lines_and_storage_energy_built_in_window_1_stand_in_period_2():
    # A line north -> south (2 CNY/MW/yr) saves 40 CNY/MWh on 80 MW: 80 MW built in 2030, standing in 2040.
    plant = dict(UNIT, fuel="free", capex_cny_per_kw=0, lifetime_yr=50, existing_mw=500, max_mw=500)
    techs = [
        dict(plant, name="plant", region="north", variable_om_cny_per_mwh=10),
        dict(plant, name="plant", region="south", variable_om_cny_per_mwh=50),
    ]
    line = dict(name="n-s", region_from="north", region_to="south", existing_mw=0, capex_cny_per_kw=0.1, lifetime_yr=50)
    ds = _run(techs, periods=[2030, 2040], demand={"north": [20.0], "south": [80.0]}, lines=[line], foresight="myopic")
    assert ds.line_capacity_new_mw.sel(line="n-s").values == pytest.approx([80, 0], abs=1e-6)
    assert ds.line_capacity_total_mw.sel(line="n-s").values == pytest.approx([80, 80], abs=1e-6)
    # A 50 MW plant for demand of 0 then 100 MW: a battery (power and energy sized apart) shifts 50 MWh.
    battery = dict(name="battery", family="storage", lifetime_yr=50, charge_efficiency=1.0, discharge_efficiency=1.0)
    battery.update(capex_cny_per_kw=0.1, capex_cny_per_kwh=0.1)
    techs = [dict(plant, name="plant", existing_mw=50, max_mw=50, variable_om_cny_per_mwh=10), battery]
    ds = _run(techs, periods=[2030, 2040], demand=[0.0, 100.0], foresight="myopic")
    assert ds.capacity_new_mw.sel(technology="battery").values == pytest.approx([50, 0], abs=1e-6)
    assert ds.energy_capacity_mwh.sel(technology="battery").values == pytest.approx([50, 50], abs=1e-6)
    assert ds.window_first_period.values.tolist() == [2030, 2040]


def test_independent_periods_myopic_equals_perfect():
    # Plants live 5 years (gone before the next period), demand grows, a cap per period: nothing
    # couples the periods, so seeing one period at a time loses nothing.
    short = [dict(COAL, lifetime_yr=5), dict(CLEAN, lifetime_yr=5)]
    pathway = dict(carbon_cap_t_per_yr={2030: 100.0, 2050: 0.0}, demand_growth={2030: 1.0, 2050: 1.5})
    perfect = _run(short, **pathway)
    myopic = _run(short, foresight="myopic", **pathway)
    assert float(myopic.total_cost_cny) == pytest.approx(float(perfect.total_cost_cny), rel=1e-9)
    assert myopic.capacity_new_mw.values == pytest.approx(perfect.capacity_new_mw.values, abs=1e-6)
    assert myopic.capacity_new_mw.sel(technology="coal").values == pytest.approx([100, 50, 0], abs=1e-6)


def test_budget_left_over_is_carried_to_later_windows():
    # Existing coal (10 CNY/MWh, 1 t/MWh) and gas (50 CNY/MWh, no CO2), 1,500 t over the 30 years.
    # 2030 alone: 1,000 t fit, all coal. 2040: 500 t left -> 50 t/yr. 2050: nothing left -> gas.
    existing = dict(UNIT, capex_cny_per_kw=0, lifetime_yr=50, existing_mw=100, max_mw=100)
    techs = [
        dict(existing, name="coal", fuel="coal", variable_om_cny_per_mwh=10),
        dict(existing, name="gas", fuel="free", variable_om_cny_per_mwh=50),
    ]
    ds = _run(techs, foresight="myopic", carbon_budget_t=1500)
    assert ds.emissions_total_t.values == pytest.approx([100, 50, 0], abs=1e-6)
    assert float((ds.emissions_total_t * ds.represented_yr).sum()) == pytest.approx(1500, rel=1e-9)
    # without discounting, the order of abatement does not change the cost: 10 x (1,000 + 3,000 + 5,000)
    assert float(ds.total_cost_cny) == pytest.approx(90_000, rel=1e-9)


def test_compare_myopic_with_perfect(tmp_path):
    a = write_netcdf(_run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING), tmp_path / "perfect.nc")
    b = write_netcdf(_run([COAL, CLEAN], carbon_cap_t_per_yr=TIGHTENING, foresight="myopic"), tmp_path / "myopic.nc")
    result = CliRunner().invoke(main, ["compare", str(a), str(b), "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.output))
    total = table[(table["quantity"] == "cost") & (table["item"] == "total")].iloc[0]
    assert total["perfect"] == pytest.approx(60_000, rel=1e-9) and total["myopic"] == pytest.approx(75_000, rel=1e-9)
    coal = table[(table["quantity"] == "capacity") & (table["item"] == "coal") & (table["where"] == "period=2030")].iloc[0]
    assert coal["myopic - perfect"] == pytest.approx(100, abs=1e-6)


@pytest.mark.parametrize(
    "pathway, expected",
    [
        ({"periods": [2030], "horizon_periods": 0}, ["pathway.horizon_periods", "0"]),
        ({"periods": [2030], "foresight": "clairvoyant"}, ["pathway.foresight", "clairvoyant"]),
    ],
)
def test_bad_foresight_settings_are_reported(pathway, expected, dataset_copy, tmp_path):
    import yaml

    run = {"name": "bad", "dataset": str(dataset_copy), "output": str(tmp_path / "out.nc"), "pathway": pathway}
    run_file = tmp_path / "run.yaml"
    run_file.write_text(yaml.safe_dump(run))
    result = CliRunner().invoke(main, ["run", str(run_file)])
    assert result.exit_code == 2, result.output
    for fragment in [*expected, "run.yaml"]:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.nc").exists()


def test_sweeps_and_decomposition_refuse_myopic():
    from energymodel.errors import InputError
    from energymodel.session import ModelSession

    run = config(pathway={"periods": PERIODS, "foresight": "myopic"})
    data = with_pathway(inputs_from_tables(run, SETTINGS, [COAL, CLEAN], FUELS, [100.0]))
    with pytest.raises(InputError, match="pathway.foresight"):
        ModelSession(data)
    run = config(pathway={"periods": PERIODS, "foresight": "myopic"}, solver={"decomposition": {}})
    data = with_pathway(inputs_from_tables(run, SETTINGS, [COAL, CLEAN], FUELS, [100.0]))
    with pytest.raises(InputError, match="pathway.foresight"):
        run_inputs(data)
