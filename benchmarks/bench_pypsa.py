"""energymodel against PyPSA on the same synthetic capacity-expansion LP, side by side.

    pip install -e '.[bench]'                                   # PyPSA and linopy
    python benchmarks/bench_pypsa.py --sizes 168x1,720x4,2184x1 --threads 2

For each size both tools solve the case written by ``synthetic.py`` (energymodel from its files,
PyPSA from the same files through ``to_pypsa``), each in a fresh process, with HiGHS and identical
options: the objectives must agree within 1e-6 (relative). Printed per tool: build (model
construction), hand-over to HiGHS, HiGHS's own time, total wall including loading and results,
peak RSS, and the ratios energymodel / PyPSA.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scaling import measure  # noqa: E402
from synthetic import write_case  # noqa: E402


def to_pypsa(run_file: Path):
    """The synthetic case as a PyPSA network with the same LP (up to constants)."""
    import pypsa

    from energymodel.physics import capital_recovery_factor

    run = yaml.safe_load(run_file.read_text())
    folder = run_file.parent / run["dataset"]
    settings = yaml.safe_load((folder / "settings.yaml").read_text())
    rate = settings["discount_rate"]
    techs = pd.read_csv(folder / "technologies.csv")
    fuels = pd.read_csv(folder / "fuels.csv").set_index("fuel")
    read = lambda name: pd.read_csv(folder / name, index_col="time", parse_dates=True)
    demand, cf, inflow = read("demand.csv"), read("capacity_factors.csv"), read("hydro_inflow.csv")
    start, end = pd.Timestamp(run["hours"]["start"]), pd.Timestamp(run["hours"]["end"]) + pd.Timedelta(hours=23)
    demand, cf, inflow = (x.loc[start:end] for x in (demand, cf, inflow))
    hours = len(demand)
    weight = 8760 / hours

    n = pypsa.Network()
    n.set_snapshots(demand.index)
    n.snapshot_weightings["objective"] = weight  # each modelled hour stands for `weight` hours of the year
    n.snapshot_weightings["generators"] = weight
    n.snapshot_weightings["stores"] = 1.0  # but lasts one hour: storage levels move by one hour's energy
    for fuel, row in fuels.iterrows():
        n.add("Carrier", fuel, co2_emissions=row["co2_t_per_gj"] * 3.6)  # t per MWh of fuel heat
    for carrier in ("wind", "solar", "hydro", "pumped", "lost_load", "dc"):
        n.add("Carrier", carrier, co2_emissions=0.0)
    voll = settings["value_of_lost_load_cny_per_mwh"]
    for region in demand.columns:
        n.add("Bus", region)
        n.add("Load", f"{region} load", bus=region, p_set=demand[region])
        peak = float(demand[region].max())
        n.add(
            "Generator",
            f"{region} lost_load",
            bus=region,
            carrier="lost_load",
            p_nom=peak,
            p_max_pu=demand[region] / peak,
            marginal_cost=voll,
        )
    for _, t in techs.iterrows():
        name, bus = f"{t['region']}.{t['name']}", t["region"]
        annuity = capital_recovery_factor(rate, t["lifetime_yr"]) * t["capex_cny_per_kw"] * 1000
        fixed = annuity + (0 if pd.isna(t["fixed_om_cny_per_kw_yr"]) else t["fixed_om_cny_per_kw_yr"]) * 1000
        vom = 0.0 if pd.isna(t["variable_om_cny_per_mwh"]) else t["variable_om_cny_per_mwh"]
        if t["family"] == "thermal":
            eff = t["efficiency"]
            n.add(
                "Generator",
                name,
                bus=bus,
                carrier=t["fuel"],
                p_nom_extendable=True,
                capital_cost=fixed,
                efficiency=eff,
                marginal_cost=vom + fuels.at[t["fuel"], "price_cny_per_gj"] * 3.6 / eff,
            )
        elif t["family"] == "variable_renewable":
            n.add(
                "Generator",
                name,
                bus=bus,
                carrier=t["name"],
                p_nom_extendable=True,
                capital_cost=fixed,
                p_max_pu=cf[name].to_numpy(),
                marginal_cost=vom,
            )
        elif t["family"] == "reservoir_hydro":
            p = t["existing_mw"]
            n.add(
                "StorageUnit",
                name,
                bus=bus,
                carrier="hydro",
                p_nom=p,
                max_hours=t["energy_to_power_h"],
                p_min_pu=0.0,
                inflow=inflow[name].to_numpy() * p,
                marginal_cost=vom,
                cyclic_state_of_charge=True,
            )
        elif t["family"] == "storage":
            n.add(
                "StorageUnit",
                name,
                bus=bus,
                carrier="pumped",
                p_nom_extendable=True,
                capital_cost=fixed,
                max_hours=t["energy_to_power_h"],
                efficiency_store=t["charge_efficiency"],
                efficiency_dispatch=t["discharge_efficiency"],
                marginal_cost=vom,
                cyclic_state_of_charge=True,
            )
    lines_file = folder / "lines.csv"
    if lines_file.exists():
        for _, line in pd.read_csv(lines_file).iterrows():
            annuity = capital_recovery_factor(rate, line["lifetime_yr"]) * line["capex_cny_per_kw"] * 1000
            n.add(
                "Link",
                line["name"],
                bus0=line["region_from"],
                bus1=line["region_to"],
                carrier="dc",
                p_min_pu=-1,
                p_nom=line["existing_mw"],
                p_nom_min=line["existing_mw"],
                p_nom_extendable=True,
                capital_cost=annuity,
            )
    n.add(
        "GlobalConstraint",
        "co2_cap",
        type="primary_energy",
        carrier_attribute="co2_emissions",
        sense="<=",
        constant=run["carbon"]["cap_t_per_yr"],
    )
    return n, run["solver"]["options"]


def measure_pypsa(hours: int, regions: int, solver: str, threads: int, build_only: bool = False, options: dict | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        run_file = write_case(Path(tmp), regions, hours, threads, solver, options)
        out = {"hours": hours, "regions": regions}
        t = time.perf_counter()
        n, options = to_pypsa(run_file)
        out["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        model = n.optimize.create_model()
        out["build_s"] = time.perf_counter() - t
        if build_only:
            t = time.perf_counter()
            h = model.to_highspy()
            out["handover_s"] = time.perf_counter() - t
            out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            out["rows"], out["cols"] = h.getNumRow(), h.getNumCol()
            return out
        t = time.perf_counter()
        status, condition = n.optimize.solve_model(solver_name="highs", io_api="direct", **options)
        out["solve_s"] = time.perf_counter() - t
        out["highs_s"] = model.solver_model.getRunTime() if model.solver_model is not None else float("nan")
        out["handover_s"] = out["solve_s"] - out["highs_s"]
        out["objective"] = float(n.objective + n.objective_constant)
        out["status"] = f"{status}/{condition}"
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["rows"], out["cols"] = model.solver_model.getNumRow(), model.solver_model.getNumCol()
    return out


def _child(tool: str, size: str, solver: str, threads: int, build_only: bool, crossover: str) -> dict:
    cmd = [sys.executable, __file__, "--one", f"{tool}:{size}", "--solver", solver, "--threads", str(threads), "--crossover", crossover]
    cmd += ["--build-only"] * build_only
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{tool} {size} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="168x1,720x1,168x4,720x4")
    parser.add_argument("--solver", default="ipm")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--build-only", action="store_true", help="stop after the hand-over to HiGHS (large sizes)")
    parser.add_argument("--crossover", choices=["on", "off"], default="on", help="HiGHS run_crossover after IPM (both tools)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = {"run_crossover": args.crossover}
    if args.one:
        tool, size = args.one.split(":")
        hours, regions = map(int, size.split("x"))
        if tool == "pypsa":
            result = measure_pypsa(hours, regions, args.solver, args.threads, args.build_only, options)
        else:
            result = measure(hours, regions, args.solver, args.threads, floor=False, build_only=args.build_only, options=options)
        print(json.dumps(result))
        return

    print(
        f"solver {args.solver} (crossover {args.crossover}), {args.threads} threads; times in s, memory in MB; ratio = energymodel / PyPSA"
    )
    print("| hours x regions | tool | rows | cols | build | hand-over | build + hand-over | HiGHS | wall | peak RSS | objective |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        ours = _child("energymodel", size, args.solver, args.threads, args.build_only, args.crossover)
        theirs = _child("pypsa", size, args.solver, args.threads, args.build_only, args.crossover)
        if args.build_only:
            for name, r in (("energymodel", ours), ("PyPSA", theirs)):
                print(
                    f"| {size} | {name} | {r['rows']:,} | {r['cols']:,} | {r['build_s']:.2f} | {r['handover_s']:.2f} "
                    f"| {r['build_s'] + r['handover_s']:.2f} | – | {r['wall_s']:.1f} | {r['rss_mb']:.0f} | – |"
                )
            print(
                f"| {size} | **ratio** | {ours['rows'] / theirs['rows']:.2f} | {ours['cols'] / theirs['cols']:.2f} | "
                f"{ours['build_s'] / theirs['build_s']:.2f} | | {(ours['build_s'] + ours['handover_s']) / (theirs['build_s'] + theirs['handover_s']):.2f} "
                f"| | {ours['wall_s'] / theirs['wall_s']:.2f} | {ours['rss_mb'] / theirs['rss_mb']:.2f} | |",
                flush=True,
            )
            continue
        for name, r in (("energymodel", ours), ("PyPSA", theirs)):
            print(
                f"| {size} | {name} | {r['rows']:,} | {r['cols']:,} | {r['build_s']:.2f} | {r['handover_s']:.2f} "
                f"| {r['build_s'] + r['handover_s']:.2f} | {r['highs_s']:.2f} | {r['wall_s']:.1f} | {r['rss_mb']:.0f} | {r['objective']:.9e} |"
            )
        rel = abs(ours["objective"] / theirs["objective"] - 1)
        print(
            f"| {size} | **ratio** | {ours['rows'] / theirs['rows']:.2f} | {ours['cols'] / theirs['cols']:.2f} | "
            f"{ours['build_s'] / theirs['build_s']:.2f} | | {(ours['build_s'] + ours['handover_s']) / (theirs['build_s'] + theirs['handover_s']):.2f} "
            f"| {ours['highs_s'] / theirs['highs_s']:.2f} | {ours['wall_s'] / theirs['wall_s']:.2f} | {ours['rss_mb'] / theirs['rss_mb']:.2f} "
            f"| rel. diff {rel:.1e} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
