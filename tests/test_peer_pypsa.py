"""Peer cross-check: the same LP built independently in PyPSA gives the same optimum.

The case (benchmarks/synthetic.py) has coal, gas, wind, solar, reservoir hydro and pumped storage
per region, regions in a chain joined by expandable lines, and a binding system CO2 cap.
``bench_pypsa.to_pypsa`` writes it for PyPSA from the same files. Formulation differences that
had to be aligned: PyPSA's storage level moves by ``snapshot_weightings.stores`` hours per
snapshot (set to 1, since a sampled hour lasts one hour), its hydro units can pump unless
``p_min_pu = 0``, and its reservoir inflow does not scale with capacity (the case's hydro is a
fixed fleet). Lost load is a generator at the value of lost load bounded by demand.
"""

import sys

import pytest
import yaml
from conftest import ROOT

pypsa = pytest.importorskip("pypsa")
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_pypsa import to_pypsa  # noqa: E402
from synthetic import write_case  # noqa: E402

from energymodel.runner import run_file  # noqa: E402


@pytest.mark.parametrize("regions, cap_factor", [(1, 1.0), (2, 1.0), (3, 0.6)])
def test_pypsa_finds_the_same_optimum(tmp_path, regions, cap_factor):
    run = write_case(tmp_path, regions, 168, threads=1, solver="ipm")
    raw = yaml.safe_load(run.read_text())
    raw["carbon"]["cap_t_per_yr"] *= cap_factor  # tighter for three regions, so that the cap binds
    run.write_text(yaml.safe_dump(raw))
    ours, _ = run_file(run, tmp_path / "ours.nc")
    network, options = to_pypsa(run)
    status, _ = network.optimize(solver_name="highs", **options)
    assert status == "ok"
    assert float(ours.total_cost_cny) == pytest.approx(float(network.objective + network.objective_constant), rel=1e-6)
    # capacities by technology, summed over regions (with several regions joined by lines the
    # split between regions can have ties, so only the totals are compared)
    built = ours.capacity_total_mw.sum("region")
    units = {**network.generators.p_nom_opt.to_dict(), **network.storage_units.p_nom_opt.to_dict()}
    for tech in built.technology.values:
        theirs = sum(mw for name, mw in units.items() if name.endswith(f".{tech}"))
        assert float(built.sel(technology=tech)) == pytest.approx(theirs, rel=1e-4, abs=1.0), tech
    # the binding cap has the same shadow price (PyPSA's mu is negative for a <= constraint)
    assert float(ours.carbon_shadow_price_cny_per_t) > 0
    assert float(ours.carbon_shadow_price_cny_per_t) == pytest.approx(-float(network.global_constraints.mu["co2_cap"]), rel=1e-4)
