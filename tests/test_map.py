"""The map: regions.csv read and checked, positions carried in the results, and the map (static and in the report)
drawn at those positions with the results' numbers, on a three-region case solved by hand."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import solve_case
from test_regions import _split_dataset

from energymodel import report
from energymodel.cli import main
from energymodel.plots.map import map_figure
from energymodel.results import open_results, write_netcdf

# Three regions with plants of known running costs (fuel free, so the variable O&M): coal in a at 10 CNY/MWh,
# gas in b at 50 and in c at 30, solar in c. Line a-b (30 MW) binds: a sends 30 MW to b; b takes its other
# 50 MW from c over b-c (100 MW, not binding), so the flow on b-c is -50 MW (c -> b) and the prices are
# a 10, b 30, c 30 CNY/MWh.
FUELS = [dict(fuel="free", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
UNIT = dict(family="thermal", fuel="free", efficiency=1.0, lifetime_yr=1, capex_cny_per_kw=0)
TECHS = [
    dict(UNIT, name="coal", region="a", variable_om_cny_per_mwh=10, existing_mw=500, max_mw=500),
    dict(UNIT, name="gas_ccgt", region="b", variable_om_cny_per_mwh=50, existing_mw=300, max_mw=300),
    dict(UNIT, name="gas_ccgt", region="c", variable_om_cny_per_mwh=30, existing_mw=400, max_mw=400),
    dict(name="solar_pv", region="c", family="variable_renewable", existing_mw=200, max_mw=200, capex_cny_per_kw=0, lifetime_yr=1),
]
DEMAND = {"a": [20, 20], "b": [80, 80], "c": [50, 50]}
SOLAR_CF = {"c.solar_pv": [0.0, 0.0]}
LINES = [
    dict(name="a-b", region_from="a", region_to="b", existing_mw=30, max_mw=30, lifetime_yr=1),
    dict(name="b-c", region_from="b", region_to="c", existing_mw=100, max_mw=100, lifetime_yr=1),
]
WHERE = {"a": (30.0, 110.0), "b": (35.0, 115.0), "c": (25.0, 120.0)}  # lat_deg, lon_deg


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=LINES, capacity_factor=SOLAR_CF, region_positions=WHERE, weight_h=4380)
    return ds, write_netcdf(ds, tmp_path_factory.mktemp("map") / "three.nc")


def _patches(ax, prefix: str) -> dict:
    return {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith(prefix)}


def test_the_hand_answers_hold(three):
    ds, _ = three
    assert ds.flow_mw.sel(line="a-b").values == pytest.approx([30, 30], abs=1e-6)
    assert ds.flow_mw.sel(line="b-c").values == pytest.approx([-50, -50], abs=1e-6)
    assert ds.marginal_price_cny_per_mwh.values.mean(axis=1) == pytest.approx([10, 30, 30], rel=1e-6)


def test_positions_survive_the_netcdf_round_trip(three):
    ds, path = three
    back = open_results(path)
    for name, unit, column in (("region_lat_deg", "degrees_north", 0), ("region_lon_deg", "degrees_east", 1)):
        assert back[name].dims == ("region",) and back[name].attrs["units"] == unit and back[name].attrs["long_name"]
        assert back[name].values.tolist() == [WHERE[r][column] for r in ("a", "b", "c")]
    plain, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=LINES, capacity_factor=SOLAR_CF)
    assert "region_lat_deg" not in plain.coords and "region_lon_deg" not in plain.coords


def test_pies_sit_at_the_positions_with_the_capacities(three):
    ds, _ = three
    fig = map_figure(ds)
    ax = fig.axes[0]
    wedges = _patches(ax, "pie:")
    assert {g.split(":", 2)[1] for g in wedges} == {"a", "b", "c"}
    capacity_gw = {"a": {"coal": 0.5}, "b": {"gas": 0.3}, "c": {"gas": 0.4, "solar": 0.2}}  # the existing plants
    radius = {}
    for gid, wedge in wedges.items():
        _, region, group = gid.split(":")
        centre = (wedge.get_transform() - ax.transData).transform((0, 0))
        assert centre == pytest.approx([WHERE[region][1], WHERE[region][0]])
        total = sum(capacity_gw[region].values())
        assert (wedge.theta2 - wedge.theta1) / 360 * total == pytest.approx(capacity_gw[region][group])
        radius[region] = wedge.r
    # area proportional to the total: r^2 / GW the same for every region
    ratios = [radius[r] ** 2 / sum(capacity_gw[r].values()) for r in radius]
    assert ratios == pytest.approx([ratios[0]] * 3)


def test_lines_are_as_wide_as_their_capacity_and_arrows_point_the_net_flow(three):
    ds, _ = three
    ax = map_figure(ds).axes[0]
    segments = {line.get_gid().split(":")[1]: line for line in ax.lines if (line.get_gid() or "").startswith("line:")}
    assert segments["b-c"].get_linewidth() > segments["a-b"].get_linewidth()  # 100 MW > 30 MW
    assert np.array(segments["a-b"].get_xydata()).tolist() == [[110.0, 30.0], [115.0, 35.0]]
    arrows = {t.get_gid().split(":")[1]: t for t in ax.texts if (t.get_gid() or "").startswith("flow:")}
    net = (ds.flow_mw * ds.weight_h).sum("time")
    for name, arrow in arrows.items():
        start, end = (
            np.array(WHERE[r][::-1]) for r in (str(ds.region_from.sel(line=name).values), str(ds.region_to.sel(line=name).values))
        )
        pointing = np.dot(np.array(arrow.xy) - np.array(arrow.xyann), end - start)
        assert np.sign(pointing) == np.sign(float(net.sel(line=name)))
    assert set(arrows) == {"a-b", "b-c"}
    # each hour stands for 4380 h: 30 MW x 8760 h = 0.26 TWh/yr a -> b, 50 MW x 8760 h = 0.44 TWh/yr c -> b
    labels = {t.get_gid().split(":")[1]: t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("flow label:")}
    assert labels == {"a-b": "0.26", "b-c": "0.44"}


def test_prices_colour_the_nodes_by_the_demand_weighted_mean(three):
    ds, _ = three
    fig = map_figure(ds, "prices")
    dots = next(c for c in fig.axes[0].collections if c.get_gid() == "prices")
    assert dots.get_offsets().tolist() == [[WHERE[r][1], WHERE[r][0]] for r in ("a", "b", "c")]
    assert np.asarray(dots.get_array()) == pytest.approx([10, 30, 30], rel=1e-6)
    assert len(fig.axes) == 2  # the map and its colour bar


def test_the_cli_draws_each_quantity(three, tmp_path):
    _, path = three
    for quantity in ("capacity", "generation", "prices"):
        result = CliRunner().invoke(
            main, ["plot", str(path), "--kind", "map", "--quantity", quantity, "-o", str(tmp_path / f"{quantity}.png")]
        )
        assert result.exit_code == 0, result.output


def test_no_positions_or_one_region_is_refused_clearly(tmp_path):
    plain, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=LINES, capacity_factor=SOLAR_CF)
    one, _ = solve_case(TECHS[:1], {"a": [20, 20]}, fuels=FUELS, region_positions={"a": WHERE["a"]})
    for ds, message in ((plain, "the dataset gives no region positions (regions.csv); the map needs them"), (one, "several regions")):
        path = write_netcdf(ds, tmp_path / f"{len(ds.region)}.nc")
        result = CliRunner().invoke(main, ["plot", str(path), "--kind", "map", "-o", str(tmp_path / "map.png")])
        assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output, result.output
        assert not (tmp_path / "map.png").exists()
    assert str(tmp_path / "3.nc") in CliRunner().invoke(main, ["plot", str(tmp_path / "3.nc"), "--kind", "map", "-o", "x.png"]).output


def test_the_report_has_a_map_only_with_several_regions_and_positions(three):
    ds, _ = three
    page = report.build_report(ds)
    assert '<section id="map">' in page and "geo" not in report.charts(ds)["map"][1].to_dict()["layout"]
    plain, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=LINES, capacity_factor=SOLAR_CF)
    one, _ = solve_case(TECHS[:1], {"a": [20, 20]}, fuels=FUELS, region_positions={"a": WHERE["a"]})
    for other in (plain, one):
        assert '<section id="map">' not in report.build_report(other)
    fig = report.charts(ds)["map"][1]
    nodes = next(t for t in fig.data if t.mode == "markers+text")
    assert list(nodes.x) == [110.0, 115.0, 120.0] and list(nodes.y) == [30.0, 35.0, 25.0]
    assert list(nodes.marker.color) == pytest.approx([10, 30, 30], rel=1e-6)


# --- regions.csv --------------------------------------------------------------------------------

BAD_ROWS = {
    "unknown region": ([("a", 30, 110), ("b", 31, 111), ("mars", 0, 0)], ["regions.csv", "mars", "unknown region"]),
    "duplicate": ([("a", 30, 110), ("b", 31, 111), ("a", 32, 112)], ["regions.csv", "line 4 (a)", "duplicate region"]),
    "latitude": ([("a", 95, 110), ("b", 31, 111)], ["regions.csv", "line 2 (a), column 'lat_deg'", "95", "<= 90"]),
    "longitude": ([("a", 30, -200), ("b", 31, 111)], ["regions.csv", "line 2 (a), column 'lon_deg'", "-200", ">= -180"]),
    "not a number": ([("a", "north", 110), ("b", 31, 111)], ["regions.csv", "line 2 (a), column 'lat_deg'", "north", "must be a number"]),
    "missing region": ([("a", 30, 110)], ["regions.csv", "no position for region(s) b"]),
}


def _validate(tmp_path: Path, rows, columns=("region", "lat_deg", "lon_deg")):
    dataset = _split_dataset(tmp_path / "split")
    pd.DataFrame(rows, columns=list(columns)).to_csv(dataset / "regions.csv", index=False)
    run = tmp_path / "run.yaml"
    run.write_text(yaml.safe_dump({"name": "t", "dataset": str(dataset), "hours": {"start": "2030-01-01", "end": "2030-01-02"}}))
    return CliRunner().invoke(main, ["validate", str(run)])


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_regions_csv_is_reported_naming_the_row(tmp_path, case):
    rows, expected = BAD_ROWS[case]
    result = _validate(tmp_path, rows)
    assert result.exit_code == 2, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output


def test_regions_csv_without_a_column_is_reported(tmp_path):
    result = _validate(tmp_path, [("a", 30), ("b", 31)], columns=("region", "lat_deg"))
    assert result.exit_code == 2 and "column 'lon_deg'" in result.output and "required column is missing" in result.output


def test_a_good_regions_csv_reaches_the_inputs(tmp_path):
    assert _validate(tmp_path, [("b", 31, 111), ("a", 30, 110)]).exit_code == 0
    from energymodel.config import load_run
    from energymodel.inputs import load_inputs

    data = load_inputs(load_run(tmp_path / "run.yaml"))
    assert data.region_positions.loc["a"].tolist() == [30.0, 110.0] and data.region_positions.loc["b"].tolist() == [31.0, 111.0]


def test_shipped_positions_name_every_region():
    from conftest import ROOT

    for name in ("china-6grid", "china-6grid-2024", "china-provinces", "china-provinces-2030"):
        folder = ROOT / "data" / name
        positions = pd.read_csv(folder / "regions.csv", index_col="region")
        assert set(positions.index) == set(pd.read_csv(folder / "demand.csv", nrows=1).columns) - {"time"}, name
        assert positions["lat_deg"].between(15, 55).all() and positions["lon_deg"].between(70, 140).all(), name


def test_a_pathway_draws_the_period_chosen_else_the_last(three):
    import xarray as xr

    ds, _ = three
    hourly = [v for v in ds.data_vars if "time" in ds[v].dims] + ["capacity_total_mw", "line_capacity_total_mw", "energy_mwh"]
    later = ds[hourly].copy()
    later["flow_mw"] = -later["flow_mw"]  # the other way in the later period
    pathway = xr.concat([ds[hourly], later], dim=xr.DataArray([2030, 2040], dims="period", name="period"))
    pathway.attrs = ds.attrs

    def pointing(fig, name="a-b"):
        arrow = next(t for t in fig.axes[0].texts if t.get_gid() == f"flow:{name}")
        return float(np.sign(arrow.xy[0] - arrow.xyann[0]))  # a (110 E) -> b (115 E): eastwards

    assert pointing(map_figure(pathway, period=2030)) == 1.0
    assert pointing(map_figure(pathway)) == -1.0  # the last period


def test_regions_without_lines_still_have_a_map(tmp_path):
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, capacity_factor=SOLAR_CF, region_positions=WHERE)
    ax = map_figure(ds).axes[0]
    assert {p.get_gid().split(":")[1] for p in ax.patches if (p.get_gid() or "").startswith("pie:")} == {"a", "b", "c"}
    assert not [line for line in ax.lines if (line.get_gid() or "").startswith("line:")]
    assert '<section id="map">' in report.build_report(ds)


def _label_boxes(fig, ax) -> dict:
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # (the map has given the figure an Agg canvas)
    return {t.get_gid(): t.get_window_extent(renderer) for t in ax.texts if (t.get_gid() or "").startswith("label:")}


def test_the_31_provinces_labels_do_not_overlap():
    """The shipped provinces at their capitals, pies sized by their existing capacity (the east is crowded): every
    label is drawn, inside the axes, and no two overlap (drawn below each node they did: Beijing and Tianjin,
    Shanghai and Jiangsu)."""
    from energymodel.plots.draw import new_figure
    from energymodel.plots.map import _frame_axes, _labels, _overlap, largest_radius_deg

    dataset = Path(__file__).parents[1] / "data" / "china-provinces-2030"
    where = pd.read_csv(dataset / "regions.csv", index_col="region")
    existing_gw = pd.read_csv(dataset / "technologies.csv").groupby("region")["existing_mw"].sum().reindex(where.index) / 1e3
    radius = largest_radius_deg(where) * np.sqrt(existing_gw / existing_gw.max())
    fig, axes = new_figure("map")
    _frame_axes(axes[0], where)
    _labels(axes[0], where, radius, existing_gw)
    boxes = _label_boxes(fig, axes[0])
    assert sorted(boxes) == sorted(f"label:{r}" for r in where.index)
    frame = axes[0].get_window_extent(fig.canvas.get_renderer())
    clashes = [(a, b) for i, a in enumerate(boxes) for b in list(boxes)[i + 1 :] if _overlap(boxes[a], boxes[b]) > 0]
    assert clashes == []
    assert all(_overlap(box, frame) == pytest.approx(box.width * box.height) for box in boxes.values())
