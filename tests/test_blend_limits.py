"""Hydrogen blend limits per turbine and period, a fleet-wide share on top (issue 16, part 1) and H2-ready
retrofits of the turbine fleet (part 2), solved by hand."""

import pytest
from helpers import SETTINGS, config, solve_case

from energymodel.inputs import inputs_from_tables, with_pathway
from energymodel.model import build_model
from energymodel.physics import capital_recovery_factor, h2_energy_share
from energymodel.results import build_dataset
from energymodel.solve import solve
from energymodel.summary import format_pathway_summary, format_summary

# Natural gas 70 CNY/GJ and 0.05 tCO2/GJ; "lng", the same gas at 90 CNY/GJ; green hydrogen 150 CNY/GJ.
FUELS = [
    dict(fuel="natural_gas", price_cny_per_gj=70.0, co2_t_per_gj=0.05, lhv_mj_per_nm3=35.79),
    dict(fuel="lng", price_cny_per_gj=90.0, co2_t_per_gj=0.05, lhv_mj_per_nm3=35.79),
    dict(fuel="hydrogen", price_cny_per_gj=150.0, co2_t_per_gj=0.0, lhv_mj_per_nm3=10.79, lhv_mj_per_kg=119.96),
]
TURBINE = dict(family="thermal", fuel="natural_gas", h2_blending=True, efficiency=0.5, lifetime_yr=1, capex_cny_per_kw=0)
HIGH_CO2_PRICE = {"price_cny_per_t": 5000.0}  # hydrogen pays above (150 - 70) / 0.05 = 1,600 CNY/t


def _must_run(*turbines, mw=100.0):
    """Turbines of ``mw`` each that must all run flat out: demand is their sum in both hours."""
    return [dict(TURBINE, existing_mw=mw, max_mw=mw, **t) for t in turbines], [mw * len(turbines)] * 2


def test_each_class_blends_up_to_its_own_limit_and_the_rest_to_the_run_wide_blend():
    # A carbon price far above hydrogen's premium: every turbine blends as much as it may, in mode max.
    techs, demand = _must_run(dict(name="ha", h2_max_vol_fraction=0.5), dict(name="f_class", h2_max_vol_fraction=0.1), dict(name="old"))
    ds, _ = solve_case(techs, demand, fuels=FUELS, run={"carbon": HIGH_CO2_PRICE, "hydrogen": {"blend_vol_fraction": 0.2, "mode": "max"}})
    for name, vol in (("ha", 0.5), ("f_class", 0.1), ("old", 0.2)):
        e = h2_energy_share(vol)
        assert float(ds.h2_blend_energy_share.sel(technology=name)) == pytest.approx(e, abs=1e-9), name
        assert float(ds.h2_blend_energy_share_limit.sel(technology=name)) == pytest.approx(e, abs=1e-12), name
        assert float(ds.h2_blend_volume_share.sel(technology=name)) == pytest.approx(vol, abs=1e-9), name
        heat_gj = float((ds.weight_h * 100 * 3.6 / 0.5).sum())  # flat out at 50 %
        assert float(ds.fuel_use_gj.sel(technology=name, fuel="hydrogen")) == pytest.approx(e * heat_gj, rel=1e-7), name


def test_mode_fixed_blends_each_limit_without_a_carbon_price():
    techs, demand = _must_run(dict(name="ha", h2_max_vol_fraction=0.5), dict(name="f_class", h2_max_vol_fraction=0.1))
    ds, _ = solve_case(techs, demand, fuels=FUELS, run={"hydrogen": {"mode": "fixed"}})
    assert float(ds.h2_blend_energy_share.sel(technology="ha")) == pytest.approx(h2_energy_share(0.5), abs=1e-9)
    assert float(ds.h2_blend_energy_share.sel(technology="f_class")) == pytest.approx(h2_energy_share(0.1), abs=1e-9)


def test_pathway_limits_per_technology_and_year():
    # An HA-class turbine may burn 50 vol% in 2030 and 100 vol% from 2035; an F-class 10 vol% throughout
    # (its column); under a high carbon price each blends its limit of the period.
    techs, demand = _must_run(dict(name="ha"), dict(name="f_class", h2_max_vol_fraction=0.1))
    for t in techs:
        t["lifetime_yr"] = 50
    run = config(
        carbon=HIGH_CO2_PRICE,
        pathway={"periods": [2030, 2035, 2040], "h2_max_vol_fraction": {"ha": {2030: 0.5, 2035: 1.0}}},
    )
    data = with_pathway(inputs_from_tables(run, SETTINGS, techs, FUELS, demand))
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    share = ds.h2_blend_energy_share
    assert share.sel(technology="ha").values == pytest.approx([h2_energy_share(0.5), 1.0, 1.0], abs=1e-9)
    assert share.sel(technology="f_class").values == pytest.approx([h2_energy_share(0.1)] * 3, abs=1e-9)


def _mandate_case(**fleet):
    # Two classes, both flat out at the same heat input F: "a" burns natural gas (70 CNY/GJ), "b" LNG (90 CNY/GJ).
    # Hydrogen displacing LNG costs 150 - 90 = 60 CNY/GJ, displacing natural gas 80 CNY/GJ: a mandate goes to b.
    techs, demand = _must_run(dict(name="a", h2_max_vol_fraction=0.5), dict(name="b", fuel="lng", h2_max_vol_fraction=0.3))
    return solve_case(techs, demand, fuels=FUELS, run={"hydrogen": {"mode": "max", "fleet": fleet}})


@pytest.mark.parametrize(("fleet", "share"), [({"min_energy_share": 0.05}, 0.05), ({"min_vol_fraction": 0.15}, h2_energy_share(0.15))])
def test_a_fleet_mandate_is_met_where_blending_is_cheapest(fleet, share):
    ds, _ = _mandate_case(**fleet)
    heat_gj = float((ds.weight_h * 100 * 3.6 / 0.5).sum())  # each turbine's yearly heat input F
    h2 = ds.fuel_use_gj.sel(fuel="hydrogen")
    assert float(h2.sel(technology="a")) == pytest.approx(0, abs=1e-6)
    assert float(h2.sel(technology="b")) == pytest.approx(share * 2 * heat_gj, rel=1e-7)  # within b's limit, e(0.3) = 0.114
    # The row is sum a*H - b*F >= 0 in GJ/yr: a = 1 by energy; by volume a = 1 - x + x*c, c = 10.79 / 35.79,
    # so one more GJ/yr of row is 1/a GJ/yr more hydrogen in b, at 60 CNY/GJ.
    a = 1.0 if "min_energy_share" in fleet else 1 - 0.15 + 0.15 * 10.79 / 35.79
    assert float(ds.h2_fleet_share_min_dual) == pytest.approx(60 / a, rel=1e-6)
    without, _ = _mandate_case()
    assert float(ds.total_cost_cny) - float(without.total_cost_cny) == pytest.approx(60 * share * 2 * heat_gj, rel=1e-7)


def test_a_fleet_maximum_keeps_the_blend_where_it_saves_most():
    # At 5,000 CNY/t a GJ of hydrogen saves 70 + 250 - 150 = 170 CNY in "a" and 190 CNY in "b";
    # a fleet maximum of 5 % of the heat goes to b, and one more GJ of it would save 190 CNY.
    techs, demand = _must_run(dict(name="a", h2_max_vol_fraction=0.5), dict(name="b", fuel="lng", h2_max_vol_fraction=0.3))
    run = {"carbon": HIGH_CO2_PRICE, "hydrogen": {"mode": "max", "fleet": {"max_energy_share": 0.05}}}
    ds, _ = solve_case(techs, demand, fuels=FUELS, run=run)
    heat_gj = float((ds.weight_h * 100 * 3.6 / 0.5).sum())
    assert float(ds.fuel_use_gj.sel(technology="b", fuel="hydrogen")) == pytest.approx(0.1 * heat_gj, rel=1e-7)
    assert float(ds.fuel_use_gj.sel(technology="a", fuel="hydrogen")) == pytest.approx(0, abs=1e-6)
    assert float(ds.h2_fleet_share_max_dual) == pytest.approx(190, rel=1e-6)


# ----------------------------------------------------------------------------- H2-ready retrofits

# An existing F-class fleet of 100 MW at 50 %, limited to 10 vol% of hydrogen, may be upgraded to burn 100 vol%
# for 375 CNY/kW (15 % of a 2,500 CNY/kW turbine) at 5 % lower efficiency (PyPSA-Ariadne's assumptions for its
# CH4 -> H2 turbine retrofit), over 25 years at 5 %/yr. Demand is 95 MW in every hour: all the fleet can give
# once retrofitted (the retrofit keeps the heat input, so 100 MW * 0.475/0.5 = 95 MW), so the fleet runs flat out.
ETA, ETA_H2, CAPEX, LIFE, RATE = 0.5, 0.5 * 0.95, 375.0, 25, 0.05
FLEET = dict(TURBINE, name="f_class", existing_mw=100.0, max_mw=100.0, h2_max_vol_fraction=0.1, efficiency=ETA)
H2_READY = dict(TURBINE, name="f_class_h2", retrofit_of="f_class", h2_max_vol_fraction=1.0, efficiency=ETA_H2)
H2_READY.update(capex_cny_per_kw=CAPEX, lifetime_yr=LIFE)


def _retrofit_breakeven_co2_price() -> float:
    """Carbon price (CNY/t) at which upgrading one kW pays exactly, worked out per MWh of output.

    Before, a MWh takes 3.6/0.5 = 7.2 GJ, the share e(10 vol%) hydrogen and the rest natural gas at
    70 + 0.05 P CNY/GJ; after, 3.6/0.475 GJ, all hydrogen at 150 CNY/GJ. Saving per MWh (hydrogen cheaper than
    gas with its CO2, P > 1,600 CNY/t): 7.2 (1 - e) (70 + 0.05 P - 150) - (3.6/0.475 - 7.2) 150, the energy
    share gained at the price gap, less the efficiency loss's extra hydrogen; it must pay the annuity
    CRF x 375 CNY/kW over 8,760 h at full load.
    """
    e = h2_energy_share(0.1, 10.79, 35.79)
    annuity_per_mwh = capital_recovery_factor(RATE, LIFE) * CAPEX * 1000 / 8760
    extra_h2 = (3.6 / ETA_H2 - 3.6 / ETA) * 150
    gap = (annuity_per_mwh + extra_h2) / (3.6 / ETA * (1 - e))  # gas + CO2 less hydrogen, CNY/GJ
    return (150 + gap - 70) / 0.05


def _retrofit_case(price, *, offered=True):
    return solve_case(
        [FLEET, H2_READY] if offered else [FLEET],
        [95.0, 95.0],
        fuels=FUELS,
        settings={"discount_rate": RATE},
        run={"carbon": {"price_cny_per_t": price}, "hydrogen": {"mode": "max"}},
        weight_h=[4380, 4380],
    )


@pytest.mark.parametrize("side", [-1, 1])
def test_an_h2_ready_retrofit_pays_exactly_when_its_saving_exceeds_its_annuity(side):
    price = _retrofit_breakeven_co2_price() * (1 + side * 0.001)  # 1,772 CNY/t +- 0.1 %
    ds, frame = _retrofit_case(price)
    built = 95.0 if side > 0 else 0.0
    assert float(ds.capacity_new_mw.sel(technology="f_class_h2")) == pytest.approx(built, abs=1e-6)
    assert float(ds.capacity_retrofitted_mw.sel(technology="f_class")) == pytest.approx(built * ETA / ETA_H2, abs=1e-6)
    assert float(ds.capacity_total_mw.sel(technology="f_class")) == pytest.approx(100 - built * ETA / ETA_H2, abs=1e-6)
    # the retrofit saves (or would lose) exactly its hand-computed margin over the fleet's yearly output
    mwh = 95 * 8760
    e = h2_energy_share(0.1, 10.79, 35.79)
    saving = 3.6 / ETA * ((1 - e) * (70 + 0.05 * price) + e * 150) - 3.6 / ETA_H2 * 150
    margin = (saving - capital_recovery_factor(RATE, LIFE) * CAPEX * 1000 / 8760) * mwh
    without, _ = _retrofit_case(price, offered=False)
    assert float(without.total_cost_cny) - float(ds.total_cost_cny) == pytest.approx(max(margin, 0.0), rel=1e-6, abs=1.0)
    assert margin * side > 0
    reported = "(existing plant converted by retrofits, counted in their new GW: f_class 100 MW)"
    assert (reported in format_summary(build_dataset(frame))) == (side > 0)


def test_a_pathway_summary_shows_the_fleet_retrofitted_in_each_period():
    # Well above the break-even (2,500 CNY/t) the whole fleet is upgraded in 2030 and stays so in 2035.
    run = config(carbon={"price_cny_per_t": 2500.0}, hydrogen={"mode": "max"}, pathway={"periods": [2030, 2035]})
    fleet = dict(FLEET, lifetime_yr=30, capex_cny_per_kw=2500.0)  # a new turbine is no way round the upgrade
    tables = inputs_from_tables(run, {**SETTINGS, "discount_rate": RATE}, [fleet, H2_READY], FUELS, [95.0, 95.0], weight_h=[4380, 4380])
    frame = build_model(with_pathway(tables))
    solve(frame, {})
    ds = build_dataset(frame)
    assert ds.capacity_retrofitted_mw.sel(technology="f_class").values.ravel() == pytest.approx([100.0, 100.0], rel=1e-7)
    lines = format_pathway_summary(ds).splitlines()
    table = lines.index("Retrofitted: existing plant converted by retrofits (GW)")
    assert lines[table + 3].split() == ["f_class", "0.1", "0.1"]
