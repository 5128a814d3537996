"""Plots: every kind for every shape of result it applies to (single run, sweep, regions, pathway),
clear errors where it does not, nothing left behind on failure, and the data behind the pictures."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner
from conftest import ROOT, summer_week_run

from energymodel import plots
from energymodel.cli import main
from energymodel.results import open_results
from energymodel.runner import run_file

TWO_DAYS = {"hours.start": "2030-07-15", "hours.end": "2030-07-16", "solver.options": {"threads": 1}}
HYDROGEN_ON = {"overrides.technologies.electrolyser.max_mw": None, "overrides.technologies.h2_tank.max_mw": None}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, object]:
    """Small results of each shape, solved once: paths by shape name."""
    tmp = tmp_path_factory.mktemp("plots")
    out = {}
    # one region, two summer days, a deep cap so that gas, hydrogen and electrolysers run
    changes = {
        **TWO_DAYS,
        **HYDROGEN_ON,
        "carbon.cap_t_per_yr": 1.0e9,
        "hydrogen.blend_vol_fraction": 1.0,
        "overrides.technologies.onshore_wind.max_mw": None,
        "overrides.technologies.solar_pv.max_mw": None,
    }
    _, out["single"] = run_file(ROOT / "runs" / "china-2030-week.yaml", tmp / "single.nc", changes=changes)
    # six regional grids with lines, two days
    _, out["regions"] = run_file(
        ROOT / "runs" / "china-6grid-2030.yaml", tmp / "regions.nc", changes={**TWO_DAYS, "hours.every_nth_day": 1}
    )
    # a pathway: three periods of two representative days
    changes = {"hours.representative_days": 2, "pathway.periods": [2030, 2045, 2060], "solver.options": {"threads": 1}}
    _, out["pathway"] = run_file(ROOT / "runs" / "china-pathway-2060.yaml", tmp / "pathway.nc", changes=changes)
    # a sweep over the blend (with 0, so abatement applies) under a binding cap
    run = summer_week_run(tmp, hours={"start": "2030-07-15", "end": "2030-07-16"}, carbon={"cap_t_per_yr": 1.5e9})
    result = CliRunner().invoke(main, ["sweep", str(run), "--set", "h2_blend=0,0.5", "-o", str(tmp / "sweep.nc"), "-q"])
    assert result.exit_code == 0, result.output
    out["sweep"] = tmp / "sweep.nc"
    return out


@pytest.fixture(scope="module")
def datasets(results) -> dict[str, xr.Dataset]:
    return {name: open_results(path) for name, path in results.items()}


APPLIES = {
    "single": ["dispatch", "capacity", "generation", "prices", "storage", "emissions", "hydrogen", "fleet"],
    "regions": ["dispatch", "capacity", "generation", "prices", "storage", "emissions", "hydrogen", "fleet", "map"],
    "pathway": ["dispatch", "capacity", "generation", "prices", "storage", "emissions", "hydrogen", "fleet", "pathway"],
    "sweep": ["capacity", "generation", "prices", "storage", "emissions", "hydrogen", "fleet", "abatement", "macc"],
}
CASES = [(shape, kind) for shape, kinds in APPLIES.items() for kind in kinds]


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def _distinct_colours(path) -> int:
    import matplotlib.image

    pixels = (matplotlib.image.imread(path)[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    return len(np.unique(pixels, axis=0))


def _plot(path, *args):
    return CliRunner().invoke(main, ["plot", str(path), *args])


@pytest.mark.parametrize("shape,kind", CASES)
def test_every_kind_draws_every_shape_it_applies_to(results, tmp_path, shape, kind):
    png = tmp_path / "fig" / f"{shape}-{kind}.png"
    result = _plot(results[shape], "--kind", kind, "-o", str(png))
    assert result.exit_code == 0, result.output
    width, height = plots.SIZES[kind]
    assert _png_size(png) == (width * plots.DPI, round(height * plots.DPI))
    assert png.stat().st_size > 15_000
    assert _distinct_colours(png) > 20  # not a blank canvas
    assert [p.name for p in png.parent.iterdir()] == [png.name]  # no temporary file left


@pytest.mark.parametrize(
    "shape,kind,message",
    [
        ("single", "pathway", "needs a pathway run"),
        ("regions", "pathway", "needs a pathway run"),
        ("sweep", "dispatch", "--select h2_blend="),
        ("sweep", "pathway", "needs a pathway run"),
        ("single", "macc", "needs a sweep over h2_blend or h2_fleet_min that includes 0"),
        ("pathway", "macc", "needs a sweep over h2_blend or h2_fleet_min that includes 0"),
        ("single", "map", "needs results with several regions"),
        ("pathway", "map", "needs results with several regions"),
        ("sweep", "map", "--select h2_blend="),
    ],
)
def test_inapplicable_kinds_fail_clearly_and_leave_the_old_file(results, tmp_path, shape, kind, message):
    png = tmp_path / "old.png"
    png.write_bytes(b"old picture")
    result = _plot(results[shape], "--kind", kind, "-o", str(png))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert png.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["old.png"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--kind", "dispatch", "--region", "atlantis"], "region 'atlantis' is not in the results (region: north, northeast"),
        (["--kind", "dispatch", "--period", "2040"], "not a pathway"),
        (["--kind", "dispatch", "--time", "2031-01-01:2031-01-02"], "no modelled hour in that window"),
        (["--kind", "dispatch", "--time", "soon"], "expected START:END"),
        (["--kind", "capacity", "--time", "2030-07-15:"], "--time applies to the hourly kinds"),
        (["--kind", "capacity", "--select", "h2_blend=0.1"], "not a sweep dimension"),
        (["--kind", "map", "--region", "east"], "--kind map draws every region: leave out --region"),
        (["--kind", "capacity", "--quantity", "prices"], "--quantity applies to --kind map, not to --kind capacity"),
    ],
)
def test_bad_selections_are_reported(results, tmp_path, args, message):
    result = _plot(results["regions"], *args, "-o", str(tmp_path / "x.png"))
    assert result.exit_code == 2 and message in result.output, result.output
    assert not list(tmp_path.iterdir())


def test_time_window_errors_of_the_library_name_no_option(datasets):
    """The library words time-window errors neutrally; the command line adds "--time" (above)."""
    for kind, window, message in [
        ("dispatch", "soon", "expected START:END"),
        ("dispatch", "2031-01-01:", "no modelled hour"),
        ("capacity", "2030-07-15:", "only the hourly kinds"),
    ]:
        with pytest.raises(plots.TimeWindowError) as info:
            plots.figure(datasets["single"], kind, time=window)
        assert str(info.value).startswith(f"time window {window!r}: ") and message in str(info.value)
        assert "--" not in str(info.value)


def test_unknown_image_format_is_refused_before_work(results, tmp_path):
    result = _plot(results["single"], "--kind", "capacity", "-o", str(tmp_path / "x.jpg"))
    assert result.exit_code == 2 and ".png, .svg, .pdf" in result.output
    assert not list(tmp_path.iterdir())


def test_no_blending_no_hydrogen_plot(results, tmp_path):
    techs = pd.read_csv(ROOT / "data" / "china-2030" / "technologies.csv", skipinitialspace=True)
    blending = techs.loc[techs["h2_blending"].astype(str).str.lower() == "true", "name"]
    assert len(blending)
    run = summer_week_run(
        tmp_path,
        hours={"start": "2030-07-15", "end": "2030-07-15"},
        overrides={"technologies": {name: {"h2_blending": False} for name in blending}},
    )
    ds, path = run_file(run, tmp_path / "noh2.nc")
    result = _plot(path, "--kind", "hydrogen", "-o", str(tmp_path / "h2.png"))
    assert result.exit_code == 2 and "no technology in these results blends hydrogen" in result.output


@pytest.mark.parametrize("suffix,magic", [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_vector_formats(results, tmp_path, suffix, magic):
    out = tmp_path / f"dispatch{suffix}"
    assert _plot(results["single"], "--kind", "dispatch", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(magic)


def test_a_sweep_point_a_period_a_region_and_a_window(results, tmp_path):
    cases = [
        (results["sweep"], ["--kind", "dispatch", "--select", "h2_blend=0.5"]),
        (results["pathway"], ["--kind", "dispatch", "--period", "2045"]),
        (results["pathway"], ["--kind", "capacity", "--period", "2045"]),
        (results["regions"], ["--kind", "dispatch", "--region", "east", "--time", "2030-07-16:2030-07-16"]),
        (results["regions"], ["--kind", "emissions", "--region", "east"]),
    ]
    for i, (path, args) in enumerate(cases):
        result = _plot(path, *args, "-o", str(tmp_path / f"{i}.png"))
        assert result.exit_code == 0, (args, result.output)


def test_cli_offers_every_kind():
    option = next(p for p in main.commands["plot"].params if p.name == "kind")
    assert tuple(option.type.choices) == plots.KINDS


# --- the data behind the pictures ----------------------------------------------------------------


def _balance(frame: pd.DataFrame, demand: pd.Series, rel: float = 1e-6) -> None:
    """The stacked supply minus withdrawals equals demand, hour by hour."""
    np.testing.assert_allclose(frame.sum(axis=1).to_numpy(), demand.to_numpy(), rtol=0, atol=rel * float(demand.max()))


def test_dispatch_stack_equals_demand_plus_withdrawals(datasets):
    ds = datasets["single"]
    frame, demand = plots.dispatch_frame(plots.select(ds))
    assert (frame.filter(like="charging") <= 0).all().all()
    positive = frame.clip(lower=0).sum(axis=1)
    withdrawals = -frame.clip(upper=0).sum(axis=1)
    assert withdrawals.sum() == pytest.approx(float(ds["storage_charge_mw"].sum()) / 1e3, rel=1e-9)
    assert withdrawals.sum() > 0
    np.testing.assert_allclose(positive - withdrawals, demand, atol=1e-6 * demand.max())
    assert positive.sum() == pytest.approx(float(ds["generation_mw"].sum() + ds["lost_load_mw"].sum()) / 1e3, rel=1e-9)


def test_electrolysers_in_the_dispatch_and_the_hydrogen_plot(tmp_path):
    from test_known_answers import _green_hydrogen_case

    ds, _ = _green_hydrogen_case(100.0)  # 100 MW of surplus wind makes hydrogen in hours 0-1; the rest is bought
    frame, demand = plots.dispatch_frame(ds)
    assert frame["electrolyser"].to_numpy() == pytest.approx([-0.1, -0.1, 0, 0], abs=1e-9)
    assert frame["wind"].to_numpy() == pytest.approx([0.2, 0.2, 0, 0], abs=1e-9)
    _balance(frame, demand)
    fig = plots.figure(ds, "hydrogen")
    supply = fig.axes[2]
    heights = sorted(p.get_height() for p in supply.patches)
    assert heights == pytest.approx(sorted([float(ds["h2_made_t"]) / 1e3, float(ds["h2_bought_t"]) / 1e3]), rel=1e-9)
    plots.save(fig, tmp_path / "h2.png")
    assert _png_size(tmp_path / "h2.png") == (plots.SIZES["hydrogen"][0] * plots.DPI, plots.SIZES["hydrogen"][1] * plots.DPI)


def test_dispatch_of_regions_counts_lines(datasets):
    ds = datasets["regions"]
    frame, demand = plots.dispatch_frame(plots.select(ds))
    assert "line losses" in frame and (frame["line losses"] <= 0).all()
    _balance(frame, demand)
    assert demand.sum() == pytest.approx(float(ds["demand_mw"].sum()) / 1e3)
    imports = {}
    for region in ds["region"].values:
        one, one_demand = plots.dispatch_frame(plots.select(ds, region=str(region)))
        _balance(one, one_demand, rel=1e-5)
        imports[str(region)] = one.get("net imports", pd.Series(0.0, index=one.index))
    # what the regions import, summed, is what the lines lose
    np.testing.assert_allclose(sum(imports.values()), frame["line losses"], atol=1e-3)


def test_dispatch_of_a_pathway_period_and_a_time_window(datasets):
    ds = datasets["pathway"]
    frame, demand = plots.dispatch_frame(plots.select(ds, period=2045))
    _balance(frame, demand)
    assert demand.sum() == pytest.approx(float(ds["demand_mw"].sel(period=2045).sum()) / 1e3)
    day = plots.select(datasets["single"], time="2030-07-16:2030-07-16")
    assert day.sizes["time"] == 24 and str(day["time"].values[0])[:13] == "2030-07-16T00"
    assert plots.select(datasets["single"], time="2030-07-15T06:00:2030-07-15T08:00").sizes["time"] == 3


def test_dispatch_defaults_to_the_week_around_peak_demand():
    time = pd.date_range("2030-01-01", periods=30 * 24, freq="h")
    demand = np.ones(len(time))
    demand[20 * 24 + 5] = 10  # peak on day 20
    ds = xr.Dataset({"demand_mw": (("region", "time"), demand[None, :])}, coords={"time": time, "region": ["r"]})
    week, note = plots.peak_week(ds)
    assert week.sizes["time"] == 168 and "peak" in note
    assert pd.Timestamp(week["time"].values[0]) == pd.Timestamp("2030-01-18")
    assert plots.peak_week(ds.isel(time=slice(0, 48)))[0].sizes["time"] == 48


def test_annual_frames_hold_the_datasets_numbers(datasets):
    for shape in ("single", "regions", "pathway", "sweep"):
        ds = datasets[shape]
        groups = plots.group_dims(ds)
        capacity = plots.capacity_frame(ds, groups)
        assert capacity.to_numpy().sum() == pytest.approx(float(ds["capacity_total_mw"].sum()) / 1e3, rel=1e-9)
        generation = plots.generation_frame(ds, groups)
        lost = float((ds["lost_load_mw"] * ds["weight_h"]).sum())
        assert generation.to_numpy().sum() == pytest.approx((float(ds["energy_mwh"].sum()) + lost) / 1e6, rel=1e-9)
        emissions = plots.emissions_frame(ds, groups)
        assert emissions.to_numpy().sum() == pytest.approx(float(ds["emissions_t"].sum()) / 1e6, rel=1e-9)
    assert plots.group_dims(datasets["regions"]) == ["region"]
    assert list(plots.capacity_frame(datasets["pathway"], ["period"]).index) == ["2030", "2045", "2060"]
    assert list(plots.annual_frame(datasets["sweep"], "energy_mwh").index) == ["0", "0.5"]


def test_price_duration_curves_are_sorted_and_span_the_year(datasets):
    curves = plots.price_curves(plots.select(datasets["regions"]))
    assert len(curves) == 6
    for curve in curves.values():
        assert (np.diff(curve.to_numpy()) <= 0).all()
        assert curve.index[-1] == pytest.approx(8760)
    assert set(plots.price_curves(datasets["sweep"])) == {"h2_blend=0", "h2_blend=0.5"}


def test_storage_levels_daily_with_representative_days(datasets):
    frames, axis = plots.storage_levels(plots.one_period(datasets["pathway"])[0])
    assert axis == "day" and len(frames["hydro"]) == 365
    frames, axis = plots.storage_levels(datasets["single"])
    assert axis == "time" and set(frames) >= {"hydro"}
    level = frames["hydro"]["hydro"]
    assert level.to_numpy() == pytest.approx(datasets["single"]["storage_level_mwh"].sel(technology="hydro").sum("region").to_numpy() / 1e3)


def test_one_colour_registry():
    families = {
        "north.coal": "thermal",
        "coal_ccs": "thermal",
        "battery": "storage",
        "biomass": "thermal",
        "waste": "thermal",
        "tidal": "variable_renewable",
    }
    styles = plots.series_styles(list(families) + ["coal", "lost load", "battery charging", "coal new"], families)
    assert styles["north.coal"]["color"] == styles["coal"]["color"] == plots.TECHNOLOGY_COLOURS["coal"]
    assert styles["lost load"]["color"] == plots.TECHNOLOGY_COLOURS["lost load"]
    assert styles["coal new"]["color"] == styles["coal"]["color"] and styles["coal new"]["hatch"]
    assert styles["battery charging"]["color"] != styles["battery"]["color"]
    assert styles["biomass"]["color"] != styles["waste"]["color"]  # unknown technologies of one family stay apart
    order = plots.stacking_order(["lost load", "solar_pv", "biomass", "nuclear", "coal", "tidal"], families)
    assert order[:2] == ["nuclear", "coal"] and order[-1] == "lost load"
    assert order.index("biomass") > order.index("solar_pv") and order.index("tidal") < order.index("biomass")


def test_emissions_plot_names_the_captured_co2(tmp_path):
    import matplotlib.pyplot as plt

    from energymodel.plots import captured_total_mt, plot

    ds = datasets_for_capture()
    assert captured_total_mt(ds) == pytest.approx(float(ds.co2_captured_total_t) / 1e6)
    texts = []
    original = plt.Axes.annotate

    def record(self, text, *args, **kwargs):
        texts.append(text)
        return original(self, text, *args, **kwargs)

    plt.Axes.annotate = record
    try:
        plot(ds, "emissions", tmp_path / "e.png")
    finally:
        plt.Axes.annotate = original
    assert any(t.startswith("captured, not emitted: 150 Mt/yr") for t in texts), texts


def datasets_for_capture():
    """A two-hour case standing for a year whose only plant captures CO2; the total is then set to 150 Mt/yr."""
    from helpers import solve_case

    ccs = dict(
        name="coal_ccs",
        family="thermal",
        fuel="coal",
        efficiency=0.3,
        lifetime_yr=1,
        capex_cny_per_kw=0,
        existing_mw=100,
        max_mw=100,
        capture_rate=0.9,
    )
    ds, _ = solve_case([ccs], [100, 100], weight_h=[4380, 4380])
    # 100 MW x 8,760 h x 1.2 t/MWh x 0.9 = 946,080 t; rescale the hours so that the plot shows a round number
    assert float(ds.co2_captured_total_t) == pytest.approx(946_080, rel=1e-7)
    return ds.assign(co2_captured_total_t=ds.co2_captured_total_t * 150e6 / 946_080)


def test_a_fleet_mandate_sweep_draws_its_abatement_curve_by_class(tmp_path):
    """A mandate sweep (h2_fleet_min) on the turbine-class data: the sweep measures CO2 abated against the zero mandate,
    and the fleet plots draw it; the curve's steps add up to the sweep's CO2 abated and extra cost."""
    run = summer_week_run(
        tmp_path,
        dataset=str(ROOT / "data" / "china-2030-h2-fleet"),
        hours={"start": "2030-07-15", "end": "2030-07-16"},
        carbon={"price_cny_per_t": 600},
        hydrogen={"mode": "max"},
    )
    out = tmp_path / "mandate.nc"
    result = CliRunner().invoke(main, ["sweep", str(run), "--set", "h2_fleet_min=0,0.02,0.05", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    ds = open_results(out)
    assert float(ds.co2_abated_t.sel(h2_fleet_min=0.0)) == 0 and (ds.co2_abated_t.sel(h2_fleet_min=[0.02, 0.05]) > 0).all()
    steps, by_class = plots.abatement_steps(ds)
    assert steps["co2_abated_mt"].sum() == pytest.approx(float(ds.co2_abated_t.sel(h2_fleet_min=0.05)) / 1e6, rel=1e-9)
    assert steps["extra_cost_bn"].sum() == pytest.approx(float(ds.extra_cost_cny.sel(h2_fleet_min=0.05)) / 1e9, rel=1e-9)
    assert by_class.sum(axis=1).to_numpy() == pytest.approx(steps["co2_abated_mt"].to_numpy(), rel=1e-9)
    frames = plots.fleet_frames(ds, ["h2_fleet_min"])
    assert frames["fleet_energy_pct"].to_numpy() == pytest.approx([0, 2, 5], abs=1e-5)  # each mandate met exactly
    for kind in ("fleet", "macc"):
        png = tmp_path / f"{kind}.png"
        result = _plot(out, "--kind", kind, "-o", str(png))
        assert result.exit_code == 0, result.output
        assert _png_size(png) == tuple(round(v * plots.DPI) for v in plots.SIZES[kind]) and _distinct_colours(png) > 20
