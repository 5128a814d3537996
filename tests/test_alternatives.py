"""Near-optimal alternatives (alternatives.py): within the slack, minimise or maximise an aggregate; hand-solvable cases."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner
from helpers import FUELS, SETTINGS, assert_input_error, config, solve_case, week_run

from energymodel.alternatives import combine, parse_aggregate, solve_alternatives
from energymodel.cli import main
from energymodel.errors import InputError
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model

ROOT = Path(__file__).resolve().parents[1]
# one hour standing for 8,760 (r = 0, 1-yr life): per MW-year coal 1e6 + 300 x 8,760 = 3.628e6 CNY, gas 3e5 + 700 x 8,760 = 6.432e6
COAL = dict(name="coal", family="thermal", fuel="coal", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=1000)
GAS = dict(name="gas", family="thermal", fuel="natural_gas", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=300)
COAL_MW_YR, GAS_MW_YR = 1e6 + 300 * 8760, 3e5 + 700 * 8760


def frame_of(technologies, demand=(100.0,)):
    data = inputs_from_tables(config(), SETTINGS, technologies, FUELS, list(demand), weight_h=[8760.0])
    return build_model(data), data


def capacity(ds, technology) -> np.ndarray:
    return ds.capacity_total_mw.sel(technology=technology).values.ravel()


def test_minimising_coal_within_two_percent_replaces_the_hand_computed_share_with_gas():
    frame, data = frame_of([COAL, GAS])
    out = solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", data.technologies))])
    optimum = out[0][3]
    assert float(optimum.total_cost_cny) == pytest.approx(100 * COAL_MW_YR, rel=1e-9)
    gas_mw = 0.02 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)  # 2.588 MW: the 2 % pays for this much dearer gas
    sense, text, value, ds = out[1]
    assert (sense, text) == ("min", "coal")
    assert value == pytest.approx(100 - gas_mw, rel=1e-7)
    assert capacity(ds, "coal") == pytest.approx([100 - gas_mw], rel=1e-7)
    assert float(ds.total_cost_cny) == pytest.approx(1.02 * 100 * COAL_MW_YR, rel=1e-7)


def test_two_identical_technologies_range_from_nothing_to_the_whole_need():
    twin = dict(COAL, name="coal_b")
    frame, data = frame_of([COAL, twin])
    techs = data.technologies
    out = solve_alternatives(frame, {}, 0.0, [("min", parse_aggregate("coal_b", techs)), ("max", parse_aggregate("coal_b", techs))])
    assert [o[2] for o in out[1:]] == pytest.approx([0.0, 100.0], abs=1e-6)
    for _, _, _, ds in out:  # slack 0: every alternative costs the optimum
        assert float(ds.total_cost_cny) == pytest.approx(100 * COAL_MW_YR, rel=1e-9)


def test_every_alternative_costs_at_most_the_slack_above_the_optimum_and_the_file_records_them():
    frame, data = frame_of([COAL, GAS], demand=(100.0,))
    techs = data.technologies
    targets = [
        ("max", parse_aggregate("gas", techs)),
        ("min", parse_aggregate("co2", techs)),
        ("max", parse_aggregate("output:coal", techs)),
    ]
    out = solve_alternatives(frame, {}, 0.05, targets, random=2, seed=1)
    optimum = float(out[0][3].total_cost_cny)
    assert len(out) == 6
    for _, _, _, ds in out:
        assert float(ds.total_cost_cny) <= 1.05 * optimum * (1 + 1e-9)
    ds = combine(out, 0.05)
    assert ds.sizes["alternative"] == 6 and list(ds.alternative_sense.values[:3]) == ["optimum", "max", "min"]
    assert ds.attrs["alternatives_slack"] == 0.05
    idle_gas_mw = 0.05 * 100 * COAL_MW_YR / 3e5  # the most gas capacity: built and never run, 3e5 CNY/MW-yr
    assert float(ds.alternative_value[1]) == pytest.approx(idle_gas_mw, rel=1e-7)
    switched_mw = 0.05 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)  # the least CO2: gas instead of coal, MW for MW
    co2_min = float(ds.alternative_value[2])  # gas emits 0.05 x 10 = 0.5 t/MWh against coal's 1.0
    assert co2_min == pytest.approx(8760 * ((100 - switched_mw) * 1.0 + switched_mw * 0.5), rel=1e-7)


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--slack", "1.5", "--minimise", "coal"], "--slack"), (["--minimise", "atlantis"], "--minimise"), ([], "--random")],
)
def test_bad_alternatives_exit_2_naming_the_option_and_write_nothing(tmp_path, args, field):
    run = week_run(tmp_path)
    assert_input_error(CliRunner().invoke(main, ["alternatives", str(run), "-q", *args]), field)
    assert list(tmp_path.iterdir()) == [run]


def week_alternatives_run(tmp_path) -> Path:
    raw = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
    raw.update(
        dataset=str(ROOT / "data" / "china-2030"), output=str(tmp_path / "week.nc"), hours={"start": "2030-07-01", "end": "2030-07-02"}
    )
    raw["solver"] = {"options": {"threads": 1}}
    run = tmp_path / "run.yaml"
    run.write_text(yaml.safe_dump(raw))
    return run


def test_alternatives_on_the_command_line_write_one_file_with_the_optimum_first(tmp_path):
    run = week_alternatives_run(tmp_path)
    result = CliRunner().invoke(main, ["alternatives", str(run), "-q", "--slack", "0.01", "--minimise", "coal", "--maximise", "solar"])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "week-alternatives.nc") as ds:
        assert ds.sizes["alternative"] == 3 and str(ds.alternative_sense.values[0]) == "optimum"
        cost = ds.total_cost_cny.values
        assert (cost <= cost[0] * 1.01 * (1 + 1e-7)).all()
        coal = ds.capacity_total_mw.sel(technology=[t for t in ds.technology.values if str(t).startswith("coal")]).sum(
            [d for d in ds.capacity_total_mw.dims if d != "alternative"]
        )
        assert float(coal[1]) <= float(coal[0]) + 1e-3


def test_an_aggregate_naming_nothing_is_an_input_error():
    _, data = frame_of([COAL, GAS])
    with pytest.raises(InputError, match="names no technology"):
        parse_aggregate("wind+atlantis", data.technologies)
    assert parse_aggregate("coal+gas", data.technologies).technologies == ("coal", "gas")
    assert parse_aggregate("gas_turbines", data.technologies).technologies == ("gas",)
    _, twins = frame_of([COAL, dict(COAL, name="coal_b"), GAS])
    assert parse_aggregate("coal", twins.technologies).technologies == ("coal", "coal_b")  # the fuel: every coal plant
    assert parse_aggregate("coal_b", twins.technologies).technologies == ("coal_b",)


def test_the_em_table_lists_each_alternative_with_its_cost_above_the_optimum():
    import energymodel.api  # noqa: F401 - the ds.em accessor

    frame, data = frame_of([COAL, GAS])
    ds = combine(solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", data.technologies))]), 0.02)
    table = ds.em.alternatives()
    assert list(table["sense"]) == ["optimum", "min"] and list(table["aggregate"]) == ["", "coal"]
    assert table["cost_above_optimum_pct"].tolist() == pytest.approx([0.0, 2.0], abs=1e-6)
    gas_mw = 0.02 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)
    assert table["coal_gw"].tolist() == pytest.approx([0.1, (100 - gas_mw) / 1e3], rel=1e-7)
    with pytest.raises(ValueError, match="not an alternatives results file"):
        ds.isel(alternative=0).em.alternatives()


def test_the_alternatives_plot_draws_each_technologys_range_and_refuses_other_results(tmp_path):
    from energymodel.plots import DPI, SIZES
    from energymodel.plots.alternatives import capacity_ranges
    from energymodel.results import write_netcdf

    frame, data = frame_of([COAL, GAS])
    techs = data.technologies
    ds = combine(
        solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", techs)), ("max", parse_aggregate("gas", techs))]), 0.02
    )
    ranges = capacity_ranges(ds)
    gas_mw = 0.02 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)
    assert ranges.loc["coal"].tolist() == pytest.approx([(100 - gas_mw) / 1e3, 0.1, 0.1], rel=1e-7)
    assert ranges.loc["gas"].tolist() == pytest.approx([0.0, 0.0, 0.02 * 100 * COAL_MW_YR / 3e5 / 1e3], abs=1e-9)
    path = write_netcdf(ds, tmp_path / "alt.nc")
    png = tmp_path / "alt.png"
    result = CliRunner().invoke(main, ["plot", str(path), "--kind", "alternatives", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 15_000 and png.read_bytes()[:4] == b"\x89PNG"
    assert SIZES["alternatives"][0] * DPI > 0
    one_run, _ = solve_case([COAL, GAS], [100.0], weight_h=[8760.0])
    single = write_netcdf(one_run.expand_dims(region=["china"]), tmp_path / "one.nc")
    result = CliRunner().invoke(main, ["plot", str(single), "--kind", "alternatives", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "energymodel alternatives" in result.output and not (tmp_path / "x.png").exists()


def test_a_fuels_group_counts_its_power_plants_not_its_heat_only_boilers():
    import pandas as pd

    techs = pd.DataFrame(
        {"family": ["thermal", "thermal", "heat_boiler", "heat_pump"], "fuel": ["coal", "coal", "coal", None]},
        index=["coal", "coal_chp", "coal_heat_boiler", "electric_boiler"],
    )
    assert parse_aggregate("coal", techs).technologies == ("coal", "coal_chp")
    assert parse_aggregate("heat_boiler+heat_pump", techs).technologies == ("coal_heat_boiler", "electric_boiler")


def test_every_alternative_measures_each_named_aggregate_and_the_scatter_draws_the_first_two():
    from energymodel.plots.alternatives import scatter_axes

    frame, data = frame_of([COAL, GAS])
    techs = data.technologies
    ds = combine(
        solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", techs)), ("max", parse_aggregate("gas", techs))]), 0.02
    )
    gas_mw = 0.02 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)  # min coal: this much gas replaces coal
    idle_gas_mw = 0.02 * 100 * COAL_MW_YR / 3e5  # max gas: built beside 100 MW of coal and never run
    assert list(ds.aggregate.values) == ["coal", "gas"] and list(ds.aggregate_unit.values) == ["MW", "MW"]
    expected = [[100.0, 0.0], [100 - gas_mw, gas_mw], [100.0, idle_gas_mw]]
    assert ds.aggregate_value.transpose("alternative", "aggregate").values == pytest.approx(np.array(expected), rel=1e-7, abs=1e-7)
    (xlabel, xs), (ylabel, ys) = scatter_axes(ds)
    assert (xlabel, ylabel) == ("coal (GW)", "gas (GW)")
    assert xs == pytest.approx([0.1, (100 - gas_mw) / 1e3, 0.1], rel=1e-7) and ys == pytest.approx(
        [0, gas_mw / 1e3, idle_gas_mw / 1e3], abs=1e-9
    )
    table = ds.em.alternatives()
    assert table["gas (MW)"].tolist() == pytest.approx([0.0, gas_mw, idle_gas_mw], abs=1e-7)
    one = combine(solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", techs))]), 0.02)
    (xlabel, xs), (ylabel, _) = scatter_axes(one)  # one aggregate named: the cost above the optimum against CO2
    assert (xlabel, ylabel) == ("cost above the optimum (%)", "CO2 (Mt/yr)") and xs == pytest.approx([0.0, 2.0], abs=1e-6)


ARGS = ["--slack", "0.01", "--minimise", "coal", "--maximise", "solar", "--random", "1"]


def test_alternatives_on_dask_workers_equal_those_solved_in_one_process(tmp_path):
    run = week_alternatives_run(tmp_path)
    for name, extra in (("one.nc", []), ("dask.nc", ["--workers", "2"])):
        result = CliRunner().invoke(main, ["alternatives", str(run), "-q", *ARGS, "-o", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "one.nc") as one, xr.open_dataset(tmp_path / "dask.nc") as dask:
        assert list(dask.alternative_sense.values) == ["optimum", "min", "max", "random"] and (dask.status == "optimal").all()
        # the same LPs: the same optimal objectives (the rest of a solution need not be unique: max solar reaches
        # its build limit with cost to spare, so its cost may be anything up to the bound)
        assert float(dask.total_cost_cny[0]) == pytest.approx(float(one.total_cost_cny[0]), rel=1e-9)
        assert dask.alternative_value.values[1:] == pytest.approx(one.alternative_value.values[1:], rel=1e-6, abs=1e-3)
        assert (dask.total_cost_cny.values <= 1.01 * float(one.total_cost_cny[0]) * (1 + 1e-7)).all()
        solar = dask.aggregate_value.sel(aggregate="solar").values
        assert float(solar[2]) == pytest.approx(float(dask.alternative_value[2]), rel=1e-9) and (solar <= solar[2] + 1e-3).all()


def test_a_stopped_run_resumes_solving_only_what_is_missing_and_retries_failures_when_asked(tmp_path):
    run = week_alternatives_run(tmp_path)
    first = CliRunner().invoke(main, ["alternatives", str(run), *ARGS])
    assert first.exit_code == 0, first.output
    parts = tmp_path / "week-alternatives.parts"
    assert len(list(parts.glob("point-*.nc"))) == 4 and len(list(parts.glob("optimum-*-basis.npz"))) == 1
    with xr.open_dataset(tmp_path / "week-alternatives.nc") as ds:
        solved = ds.load()
    for part in parts.glob("point-0000[23]-*.nc"):  # as if stopped after the first alternative
        part.unlink()
    again = CliRunner().invoke(main, ["alternatives", str(run), *ARGS, "--overwrite"])
    assert again.exit_code == 0, again.output
    assert "from point-00000" in again.output and "1 alternatives already done" in again.output
    assert "max solar" in again.output and "min coal:" not in again.output  # only the missing ones solved
    with xr.open_dataset(tmp_path / "week-alternatives.nc") as ds:
        assert ds.sizes["alternative"] == 4 and (ds.status == "optimal").all()
        assert ds.alternative_value.values[1:] == pytest.approx(solved.alternative_value.values[1:], rel=1e-6, abs=1e-3)
    # other aggregates measured: the optimum again from its saved basis (no new solve from scratch), the rest anew
    other = CliRunner().invoke(main, ["alternatives", str(run), "--slack", "0.01", "--maximise", "wind", "--overwrite"])
    assert other.exit_code == 0, other.output
    assert "from the saved basis" in other.output and "0 alternatives already done" in other.output
    # a failed alternative is recorded as such (NaN results); --retry-failed solves it again
    solar = next(parts.glob("point-00002-*.nc"))
    solar.unlink()
    (parts / solar.name.replace(".nc", ".failed.json")).write_text(
        '{"index": 2, "values": {}, "status": "failed", "message": "HiGHS stopped"}'
    )
    kept = CliRunner().invoke(main, ["alternatives", str(run), "-q", *ARGS, "--overwrite"])
    assert kept.exit_code == 0, kept.output
    assert "2: max solar" in kept.output and "failed: HiGHS stopped" in kept.output
    with xr.open_dataset(tmp_path / "week-alternatives.nc") as ds:
        assert list(ds.status.values) == ["optimal", "optimal", "failed", "optimal"] and np.isnan(float(ds.total_cost_cny[2]))
    retried = CliRunner().invoke(main, ["alternatives", str(run), "-q", *ARGS, "--overwrite", "--retry-failed"])
    assert retried.exit_code == 0, retried.output
    with xr.open_dataset(tmp_path / "week-alternatives.nc") as ds:
        assert (ds.status == "optimal").all()
        assert ds.alternative_value.values[1:] == pytest.approx(solved.alternative_value.values[1:], rel=1e-6, abs=1e-3)


def test_the_report_of_alternatives_has_their_chart_and_table(tmp_path):
    from energymodel.report import build_report, charts, tables
    from energymodel.results import write_netcdf

    frame, data = frame_of([COAL, GAS])
    techs = data.technologies
    ds = combine(
        solve_alternatives(frame, {}, 0.02, [("min", parse_aggregate("coal", techs)), ("max", parse_aggregate("gas", techs))]), 0.02
    )
    ds = xr.open_dataset(write_netcdf(ds.expand_dims(region=["china"]) if "region" not in ds.dims else ds, tmp_path / "alt.nc"))
    heading, fig, _ = charts(ds)["alternatives"]
    assert heading == "Near-optimal alternatives"
    bars = [t for t in fig.data if t.type == "bar"]
    gas_mw = 0.02 * 100 * COAL_MW_YR / (GAS_MW_YR - COAL_MW_YR)
    coal = next(b for b in bars if b.name == "coal")
    assert coal.base[0] == pytest.approx((100 - gas_mw) / 1e3, rel=1e-7) and coal.x[0] == pytest.approx(gas_mw / 1e3, rel=1e-6)
    listed = tables(ds)["near-optimal alternatives (cost bn CNY, capacity GW)"]
    assert list(listed["what"]) == ["optimum", "min coal", "max gas"]
    assert listed["cost_above_optimum_pct"].tolist() == pytest.approx([0.0, 2.0, 2.0], abs=1e-6)
    assert 'id="alternatives"' in build_report(ds)


def test_each_aggregate_measured_in_the_lp_equals_the_same_quantity_in_the_results(tmp_path):
    """Two routes to one number: the aggregate's coefficients on the LP's columns, and the results' own variables."""
    import energymodel.api  # noqa: F401 - ds.em

    run = week_alternatives_run(tmp_path)
    aggregates = ["new:solar", "h2", "output:coal", "co2", "gas_turbines@china"]
    args = ["--slack", "0.01", "--maximise", "h2", "--minimise", "output:coal"]
    for text in aggregates[2:]:
        args += ["--minimise", text] if text != "output:coal" else []
    args += ["--maximise", "new:solar"]
    result = CliRunner().invoke(main, ["alternatives", str(run), "-q", *args, "-o", str(tmp_path / "alt.nc")])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "alt.nc") as ds:
        value = ds.aggregate_value
        assert sorted(map(str, ds.aggregate.values)) == sorted(aggregates)
        assert list(ds.aggregate_unit.sel(aggregate=["new:solar", "h2", "output:coal", "co2"]).values) == [
            "MW",
            "t/yr",
            "MWh/yr",
            "tCO2/yr",
        ]
        other = [d for d in ds.capacity_new_mw.dims if d not in ("alternative", "technology")]
        new_solar = ds.capacity_new_mw.sel(technology="solar_pv").sum(other)
        assert value.sel(aggregate="new:solar").values == pytest.approx(new_solar.values, rel=1e-6, abs=1e-3)
        h2 = ds.h2_use_t.sum([d for d in ds.h2_use_t.dims if d != "alternative"])
        assert value.sel(aggregate="h2").values == pytest.approx(h2.values, rel=1e-6, abs=1e-3)
        most_h2 = int(np.flatnonzero(ds.alternative_aggregate.values == "h2")[0])
        assert float(value.sel(aggregate="h2")[most_h2]) > 1.0  # the most hydrogen within 1 %: some is burnt
        coal = [str(t) for t in ds.technology.values if str(t).startswith("coal") and "boiler" not in str(t)]
        coal_mwh = ds.em.annual("generation_mw").sel(technology=coal)
        coal_mwh = coal_mwh.sum([d for d in coal_mwh.dims if d != "alternative"])
        assert value.sel(aggregate="output:coal").values == pytest.approx(coal_mwh.values, rel=1e-6)
        co2 = ds.emissions_total_t.sum([d for d in ds.emissions_total_t.dims if d != "alternative"])
        assert value.sel(aggregate="co2").values == pytest.approx(co2.values, rel=1e-6)
        gas = ds.capacity_total_mw.sel(technology=["gas_ccgt", "gas_ocgt", "gas_ccs", "gas_ccs_retrofit", "gas_chp"])
        assert value.sel(aggregate="gas_turbines@china").values == pytest.approx(
            gas.fillna(0).sum([d for d in gas.dims if d != "alternative"]).values, rel=1e-6
        )


def test_a_region_filter_keeps_that_regions_technologies_and_an_unknown_region_is_named():
    import pandas as pd

    techs = pd.DataFrame(
        {"family": ["thermal", "thermal", "variable_renewable"], "fuel": ["coal", "coal", None], "region": ["north", "south", "north"]},
        index=["north.coal", "south.coal", "north.solar_pv"],
    )
    assert parse_aggregate("coal@south", techs).technologies == ("south.coal",)
    assert parse_aggregate("new:coal+solar@north", techs) == parse_aggregate("new:coal+solar@north", techs)
    assert parse_aggregate("new:coal+solar@north", techs).technologies == ("north.coal", "north.solar_pv")
    assert parse_aggregate("h2", techs).kind == "h2" and parse_aggregate("h2", techs).unit == "t/yr"
    with pytest.raises(InputError, match="no region 'east' in the data \\(regions: north, south\\)"):
        parse_aggregate("coal@east", techs)
    with pytest.raises(InputError, match="capacity, new or output"):
        parse_aggregate("built:coal", techs)
