"""Analyse a hydrogen-blend sweep end to end: solve, open, tabulate, plot, report.

    python examples/analyse_blend_sweep.py                 # results in a new temporary folder
    python examples/analyse_blend_sweep.py out/blend-week  # or in this folder (created)

Solves the summer week (runs/china-2030-week.yaml) for fixed blends of 0, 10 and 30 vol% hydrogen
under a carbon price of 0 and 600 CNY/t (6 points, about 10 s), then prints CO2 abated and cost per
tonne avoided, output shares, CO2 by source, the gas turbines' cost per MWh and the hydrogen flows,
and writes the abatement plot (abatement.png) and an HTML report (report.html).

Why these values: in this summer week, gas turbines run only when a carbon price makes coal dearer
than gas (about 400 CNY/t and more), and with mode 'max' the model burns hydrogen only when that is
cheaper than natural gas plus the carbon price (above about 1,700 CNY/t). So the blend is fixed
(mode 'fixed') and the second carbon price is high enough for gas to run. Change them with
--blend and --carbon-price. Nothing is written outside the output folder.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import energymodel  # noqa: F401  (registers ds.em)
from energymodel.plots import plot
from energymodel.report import write_report
from energymodel.sweep import plan_sweep, run_sweep

RUN_FILE = Path(__file__).resolve().parents[1] / "runs" / "china-2030-week.yaml"


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, help="folder for results, plot and report (default: a new temporary folder)")
    parser.add_argument("--blend", default="0,0.1,0.3", help="H2 volume fractions, must include 0 (default: %(default)s)")
    parser.add_argument("--carbon-price", default="0,600", help="carbon prices, CNY/t (default: %(default)s)")
    args = parser.parse_args(argv)
    out = args.output or Path(tempfile.mkdtemp(prefix="blend-sweep-"))
    out.mkdir(parents=True, exist_ok=True)

    # 1. Solve: the same as `energymodel sweep runs/china-2030-week.yaml --set ... -o OUT/blend-sweep.nc`.
    #    Part files go to OUT/blend-sweep.parts, so running again re-uses the solved points.
    sets = [f"h2_blend={args.blend}", f"carbon_price={args.carbon_price}", "h2_mode=fixed"]
    plan = plan_sweep(RUN_FILE, sets, output=out / "blend-sweep.nc")
    run_sweep(plan, overwrite=True)

    # 2. Open the combined results: dimensions h2_mode (one value), h2_blend and carbon_price.
    sweep = energymodel.open_results(plan.output)
    ds = sweep.squeeze("h2_mode", drop=True)  # for the tables below; plot and report take the sweep as is

    # 3. CO2 abated and the cost per tonne avoided, against the zero blend at the same carbon price.
    table = ds[["emissions_total_t", "co2_abated_t", "extra_cost_cny", "abatement_cost_cny_per_t", "h2_use_t"]].to_dataframe()
    table = table.assign(
        co2_mt_per_yr=table.emissions_total_t / 1e6,
        abated_mt_per_yr=table.co2_abated_t / 1e6,
        extra_cost_bn_cny_per_yr=table.extra_cost_cny / 1e9,
        h2_kt_per_yr=table.h2_use_t / 1e3,
    )[["co2_mt_per_yr", "abated_mt_per_yr", "extra_cost_bn_cny_per_yr", "abatement_cost_cny_per_t", "h2_kt_per_yr"]]
    print("\nCO2 abated against the zero blend (Mt/yr), extra cost (bn CNY/yr), cost per tonne avoided (CNY/t), H2 burnt (kt/yr)")
    print(table.round(2).to_string())

    # 4. A few ds.em functions; each keeps the sweep dimensions.
    shares = 100 * ds.em.generation_shares(by_region=False)  # (technology, h2_blend, carbon_price), %
    print("\nOutput shares (%), technologies above 0.5 %:")
    print(shares.to_dataframe("share_pct").share_pct.unstack("technology").loc[:, lambda d: (d > 0.5).any()].round(1).to_string())

    co2 = ds.em.emissions() / 1e6  # (source, ...), Mt/yr
    print("\nCO2 by source (Mt/yr), sources that emit:")
    print(co2.to_dataframe("mt").mt.unstack("source").loc[:, lambda d: (d.abs() > 0.05).any()].round(1).to_string())

    gas = ds.em.lcoe(by_region=False).sel(technology=["gas_ccgt", "gas_ocgt"])  # CNY/MWh, NaN where idle
    print("\nGas turbines' cost per MWh of output (CNY/MWh; NaN where they did not run):")
    print(gas.to_dataframe("lcoe").lcoe.unstack("technology").round(0).to_string())

    h2 = ds.em.hydrogen_balance() / 1e3  # (flow, ...), kt/yr
    print("\nHydrogen flows (kt/yr):")
    print(h2.to_dataframe("kt").kt.unstack("flow").round(1).to_string())

    # 5. The abatement plot and the HTML report.
    figure = plot(sweep, "abatement", out / "abatement.png")
    page = write_report(sweep, out / "report.html")
    print(f"\nwrote {plan.output}\nwrote {figure}\nwrote {page}")
    return out


if __name__ == "__main__":
    main()
