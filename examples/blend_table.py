"""Print the hydrogen-blend conversion table of docs/hydrogen-blending.md (Markdown).

Every number comes from energymodel.physics, so the table cannot drift from the model:

    python examples/blend_table.py

tests/test_guides.py recomputes the table and compares it with the one in the docs.
"""

from __future__ import annotations

from energymodel.physics import GJ_PER_MWH, H2_LHV_MJ_PER_KG, h2_energy_share

VOLUME_SHARES = (0.0, 0.05, 0.10, 0.20, 0.30, 0.50, 0.75, 1.0)
"""H2 share of the fuel volume (fraction)."""
EFFICIENCY = 0.58
"""Gas turbine (CCGT) efficiency, LHV: gas_ccgt in data/china-2030/technologies.csv."""
NG_CO2_T_PER_GJ = 0.0561
"""CO2 of natural gas, t/GJ: natural_gas in data/china-2030/fuels.csv."""


def rows(volume_shares=VOLUME_SHARES, efficiency: float = EFFICIENCY, ng_co2_t_per_gj: float = NG_CO2_T_PER_GJ) -> list[dict]:
    """One dict per volume share: energy share, CO2 cut and per-MWh CO2 and hydrogen of a turbine."""
    out = []
    for x in volume_shares:
        e = h2_energy_share(x)  # fraction of the heat input (LHV)
        heat_gj_per_mwh = GJ_PER_MWH / efficiency  # GJ of fuel per MWh of electricity
        out.append(
            {
                "volume_pct": 100 * x,
                "energy_pct": 100 * e,
                "co2_cut_pct": 100 * e,  # CO2 comes only from the natural-gas share of the heat
                "co2_kg_per_mwh": 1e3 * (1 - e) * heat_gj_per_mwh * ng_co2_t_per_gj,
                "h2_kg_per_mwh": e * heat_gj_per_mwh * 1e3 / H2_LHV_MJ_PER_KG,
            }
        )
    return out


def markdown() -> str:
    """The table as Markdown, rounded as printed in the docs."""
    lines = [
        "| H2 share of fuel volume (vol%) | H2 share of heat input (% LHV) | CO2 cut vs natural gas (%) "
        "| CO2 per MWh of output (kg/MWh) | H2 per MWh of output (kg/MWh) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows():
        lines.append(
            f"| {r['volume_pct']:.0f} | {r['energy_pct']:.1f} | {r['co2_cut_pct']:.1f} "
            f"| {r['co2_kg_per_mwh']:.0f} | {r['h2_kg_per_mwh']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
