"""The HTML report: one self-contained page per results file, its tables hold the Dataset's numbers, and it
renders in a real headless browser (Chromium driven by Playwright) without errors."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from test_plots import datasets, results  # noqa: F401  (module fixtures: small results of each shape)

from energymodel import report
from energymodel.cli import main

CHROMIUM = Path("/usr/bin/chromium")
EXPECTED = {
    "single": {"capacity", "generation", "dispatch", "prices", "emissions", "hydrogen"},
    "regions": {"capacity", "generation", "map", "dispatch", "prices", "emissions", "hydrogen"},
    "pathway": {"capacity", "generation", "dispatch", "prices", "emissions", "hydrogen"},
    "sweep": {"capacity", "generation", "dispatch", "prices", "emissions", "hydrogen", "abatement"},
}


@pytest.fixture(scope="module")
def pages(results, tmp_path_factory) -> dict[str, Path]:  # noqa: F811
    tmp = tmp_path_factory.mktemp("report")
    out = {}
    for shape, path in results.items():
        out[shape] = tmp / f"{shape}.html"
        result = CliRunner().invoke(main, ["report", str(path), "-o", str(out[shape])])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("shape", list(EXPECTED))
def test_one_self_contained_page_per_shape(pages, datasets, shape):  # noqa: F811
    text = pages[shape].read_text()
    charts = set(re.findall(r'<section id="([\w-]+)"><h2>', text)) - {"tables", "config"}
    assert charts == EXPECTED[shape] | ({"hydrogen-supply"} if "h2_made_t" in datasets[shape] else set())
    assert len(re.findall(r'id="chart-[\w-]+"', text)) == len(charts)
    # plotly.js inline, nothing fetched from the network
    assert text.count("<script") >= len(charts) + 1 and len(text) > 3_000_000
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="http', text)
    assert '<section id="config">' in text and "dataset:" in text
    assert [p.name for p in pages[shape].parent.iterdir() if p.name.startswith(".")] == []


def test_tables_hold_the_datasets_numbers(datasets, pages):  # noqa: F811
    ds = datasets["single"]
    tables = report.tables(ds)
    capacity = tables["installed capacity (GW)"]
    assert capacity.loc["total", "total"] == pytest.approx(float(ds["capacity_total_mw"].sum()) / 1e3, rel=1e-9)
    assert capacity.loc["solar_pv", "new"] == pytest.approx(float(ds["capacity_new_mw"].sel(technology="solar_pv").sum()) / 1e3, rel=1e-9)
    output = tables["electricity output (TWh/yr)"]
    assert output.loc["coal", "TWh/yr"] == pytest.approx(float(ds["energy_mwh"].sel(technology="coal").sum()) / 1e6, rel=1e-9)
    assert output.loc["total", "share %"] == pytest.approx(100)
    cost = tables["yearly cost by component (bn CNY/yr)"]
    assert cost.loc["total", "bn CNY/yr"] == pytest.approx(float(ds["total_cost_cny"]) / 1e9, rel=1e-6)
    assert tables["CO2 emissions (Mt/yr)"].loc["total", "value"] == pytest.approx(float(ds["emissions_total_t"]) / 1e6, rel=1e-6)
    text = pages["single"].read_text()
    for number in (capacity.loc["total", "total"], cost.loc["total", "bn CNY/yr"], output.loc["coal", "TWh/yr"]):
        assert f"<td>{number:,.1f}</td>" in text
    # a pathway: one column per period; the sum over periods of the capacity table is the dataset's
    path_tables = report.tables(datasets["pathway"])
    assert list(path_tables["installed capacity (GW)"].columns) == ["2030", "2045", "2060"]
    assert path_tables["installed capacity (GW)"].loc["total"].sum() == pytest.approx(
        float(datasets["pathway"]["capacity_total_mw"].sum()) / 1e3
    )


def test_report_errors_leave_nothing_behind(tmp_path, results):  # noqa: F811
    not_results = tmp_path / "other.nc"
    xr.Dataset({"x": ("t", np.arange(3.0))}).to_netcdf(not_results)
    old = tmp_path / "old.html"
    old.write_text("old report")
    result = CliRunner().invoke(main, ["report", str(not_results), "-o", str(old)])
    assert result.exit_code == 2 and "not an energymodel results file" in result.output
    assert old.read_text() == "old report"
    result = CliRunner().invoke(main, ["report", str(results["single"]), "-o", str(tmp_path / "report.pdf")])
    assert result.exit_code == 2 and ".html" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html", "other.nc"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skips with a reason when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.mark.parametrize("shape", ["pathway", "sweep"])
def test_report_renders_in_a_headless_browser(browser, pages, shape):
    import matplotlib.image

    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.goto(pages[shape].as_uri())
    n = len(page.query_selector_all(".chart"))
    assert n >= len(EXPECTED[shape])
    page.wait_for_function(f"document.querySelectorAll('.chart svg.main-svg').length >= {n}", timeout=30_000)
    rendered = page.evaluate("""[...document.querySelectorAll('.chart')].map(d => ({
        id: d.querySelector('.plotly-graph-div').id,
        svg: d.querySelector('svg.main-svg') !== null,
        marks: d.querySelectorAll('g.trace, g.barlayer path, g.scatterlayer path, g.annotation').length}))""")
    shot = page.screenshot()
    page.close()
    assert errors == [] and requests == []
    assert len(rendered) == n and all(r["svg"] for r in rendered), rendered
    assert all(r["marks"] > 0 for r in rendered), rendered  # every chart drew something (or says it has nothing)
    pixels = (matplotlib.image.imread(io.BytesIO(shot), format="png")[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 200  # a real page of charts, not a blank screen
