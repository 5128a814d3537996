"""Small cases solved by hand: screening curve, storage arbitrage, carbon cap, blending, hydro."""

import numpy as np
import pytest
from helpers import FUELS, solve_case

from energymodel.physics import h2_energy_share

BASE = dict(name="base", family="thermal", fuel="coal", lifetime_yr=1, efficiency=0.36)  # 300 CNY/MWh fuel
PEAK = dict(name="peak", family="thermal", fuel="natural_gas", lifetime_yr=1, efficiency=0.36)  # 700 CNY/MWh fuel


def test_screening_curve_capacities_cost_and_prices():
    # Load-duration curve: 1000 MW for 1000 h, 600 MW for 3000 h, 300 MW for 4760 h (8760 h).
    # Fixed costs (r = 0, 1-yr life): base 1.5e6, peak 3e5 CNY/MW/yr; running 300 and 700 CNY/MWh.
    # Break-even: 1.5e6 + 300 h = 3e5 + 700 h  ->  h* = 3000 h.  Layers used > 3000 h go to base.
    techs = [dict(BASE, capex_cny_per_kw=1500), dict(PEAK, capex_cny_per_kw=300)]
    ds, _ = solve_case(techs, [1000, 600, 300], weight_h=[1000, 3000, 4760])
    cap = ds.capacity_total_mw
    assert float(cap.sel(technology="base")) == pytest.approx(600, rel=1e-6)
    assert float(cap.sel(technology="peak")) == pytest.approx(400, rel=1e-6)
    base_mwh = 600 * 1000 + 600 * 3000 + 300 * 4760
    expected = 600 * 1.5e6 + 400 * 3e5 + 300 * base_mwh + 700 * 400 * 1000
    assert float(ds.total_cost_cny) == pytest.approx(expected, rel=1e-7)
    # Prices: peak hour = 700 + 3e5/1000; base-load hour = 300; the 600-MW hour makes base recover its fixed cost.
    p = ds.marginal_price_cny_per_mwh.values
    assert p[0] == pytest.approx(1000, rel=1e-6)
    assert p[2] == pytest.approx(300, rel=1e-6)
    assert p[1] == pytest.approx(300 + (1.5e6 - 700 * 1000) / 3000, rel=1e-6)


def test_two_hour_storage_arbitrage():
    # Cheap unit A (100 CNY/MWh, 150 MW), dear unit B (300 CNY/MWh). Demand 50 then 200 MW.
    # Store (0.9 in, 0.9 out) 100 MW / 100 MWh. Discharging d = 50 MW displaces all of B;
    # charging c = d / 0.81 in hour 1 from A's spare capacity. Value = 50*300 - 100*c.
    fuels = [dict(fuel="cheap", price_cny_per_gj=100 / 3.6, co2_t_per_gj=0), dict(fuel="dear", price_cny_per_gj=300 / 3.6, co2_t_per_gj=0)]
    fixed = dict(family="thermal", lifetime_yr=1, efficiency=1.0, capex_cny_per_kw=0)
    techs = [
        dict(fixed, name="A", fuel="cheap", existing_mw=150, max_mw=150),
        dict(fixed, name="B", fuel="dear", existing_mw=500, max_mw=500),
        dict(
            name="store",
            family="storage",
            existing_mw=100,
            max_mw=100,
            energy_to_power_h=1.0,
            capex_cny_per_kw=0,
            lifetime_yr=1,
            charge_efficiency=0.9,
            discharge_efficiency=0.9,
        ),
    ]
    ds, _ = solve_case(techs, [50, 200], fuels=fuels)
    c = 50 / 0.81
    assert ds.storage_charge_mw.sel(technology="store").values == pytest.approx([c, 0], abs=1e-6)
    assert ds.generation_mw.sel(technology="store").values == pytest.approx([0, 50], abs=1e-6)
    assert ds.generation_mw.sel(technology="B").values == pytest.approx([0, 0], abs=1e-6)
    without_storage = 100 * 50 + 100 * 150 + 300 * 50
    assert without_storage - float(ds.total_cost_cny) == pytest.approx(50 * 300 - 100 * c, rel=1e-7)
    # Hour 2's marginal unit is the store, whose energy costs 100 / 0.81 CNY/MWh.
    assert ds.marginal_price_cny_per_mwh.values == pytest.approx([100, 100 / 0.81], rel=1e-6)
    level = ds.storage_level_mwh.sel(technology="store").values
    assert level.min() >= -1e-9 and level.max() <= 100 + 1e-9


def _switching_case(**carbon):
    # coal: 300 CNY/MWh, 1 tCO2/MWh (0.1 t/GJ * 10 GJ/MWh); gas at 50 %: 504 CNY/MWh, 0.36 t/MWh.
    fixed = dict(family="thermal", lifetime_yr=1, capex_cny_per_kw=0, existing_mw=100, max_mw=100)
    techs = [dict(fixed, name="coal", fuel="coal", efficiency=0.36), dict(fixed, name="gas", fuel="natural_gas", efficiency=0.5)]
    return solve_case(techs, [100, 100], run={"carbon": carbon})


def test_binding_cap_shadow_price_equals_fuel_switching_cost():
    ds, _ = _switching_case(cap_t_per_yr=150)
    switching_cost = (504 - 300) / (1.0 - 0.36)  # CNY per tonne avoided = 318.75
    assert float(ds.carbon_shadow_price_cny_per_t) == pytest.approx(switching_cost, rel=1e-6)
    assert float(ds.emissions_total_t) == pytest.approx(150, rel=1e-7)
    coal_mwh = (150 - 0.36 * 200) / (1 - 0.36)
    assert float(ds.energy_mwh.sel(technology="coal")) == pytest.approx(coal_mwh, rel=1e-6)


def test_carbon_price_above_switching_cost_switches_all_and_is_charged():
    ds, _ = _switching_case(price_cny_per_t=400)
    assert float(ds.energy_mwh.sel(technology="gas")) == pytest.approx(200, rel=1e-7)
    assert float(ds.emissions_total_t) == pytest.approx(72, rel=1e-7)
    assert float(ds.cost_by_component_cny.sel(component="carbon")) == pytest.approx(72 * 400, rel=1e-7)
    assert np.isnan(float(ds.carbon_shadow_price_cny_per_t))


def _gas_only(blend, mode="fixed", h2_price=150.0, carbon_price=0.0):
    fuels = [
        dict(fuel="natural_gas", price_cny_per_gj=70.0, co2_t_per_gj=0.0561, lhv_mj_per_nm3=35.79),
        dict(fuel="hydrogen", price_cny_per_gj=h2_price, co2_t_per_gj=0.0, lhv_mj_per_nm3=10.79, lhv_mj_per_kg=119.96),
    ]
    techs = [
        dict(
            name="ccgt",
            family="thermal",
            fuel="natural_gas",
            h2_blending=True,
            efficiency=0.58,
            lifetime_yr=1,
            capex_cny_per_kw=0,
            existing_mw=200,
            max_mw=200,
        )
    ]
    run = {"hydrogen": {"blend_vol_fraction": blend, "mode": mode}, "carbon": {"cap_t_per_yr": None, "price_cny_per_t": carbon_price}}
    return solve_case(techs, [100, 150, 120], fuels=fuels, run=run)


@pytest.mark.parametrize("blend", [0.05, 0.10, 0.20, 0.30, 0.50, 1.0])
def test_fixed_blend_cuts_co2_by_the_energy_share(blend):
    reference, _ = _gas_only(0.0)
    ds, _ = _gas_only(blend)
    e = h2_energy_share(blend)
    cut = 1 - float(ds.emissions_total_t) / float(reference.emissions_total_t)
    assert cut == pytest.approx(e, abs=1e-9)
    heat_gj = 370 * 3.6 / 0.58
    assert float(ds.h2_use_t) == pytest.approx(e * heat_gj / 0.11996 / 1000, rel=1e-7)
    assert float(ds.h2_use_nm3) == pytest.approx(e * heat_gj / 0.01079, rel=1e-7)
    assert float(ds.h2_blend_volume_share.sel(technology="ccgt")) == pytest.approx(blend, abs=1e-9)
    fuel = ds.fuel_use_gj.sel(technology="ccgt")
    assert float(fuel.sel(fuel="hydrogen")) == pytest.approx(e * heat_gj, rel=1e-7)
    assert float(fuel.sel(fuel="natural_gas")) == pytest.approx((1 - e) * heat_gj, rel=1e-7)


def test_max_mode_uses_hydrogen_only_when_it_pays():
    dear, _ = _gas_only(0.3, mode="max", h2_price=150.0)
    assert float(dear.h2_use_t) == pytest.approx(0, abs=1e-9)
    cheap, _ = _gas_only(0.3, mode="max", h2_price=50.0)
    assert float(cheap.h2_blend_energy_share.sel(technology="ccgt")) == pytest.approx(h2_energy_share(0.3), abs=1e-9)


@pytest.mark.parametrize("carbon_price", [0.0, 92.9, 500.0])
def test_blending_starts_where_hydrogen_costs_less_than_gas_plus_its_carbon(carbon_price):
    """Break-even (docs/hydrogen-blending.md): a GJ of hydrogen replaces a GJ of gas at the same efficiency, so
    blending pays below p_gas + carbon price x 0.0561 t/GJ (70 + 0.0561 P CNY/GJ); 0.5 CNY/GJ either side."""
    threshold = 70.0 + carbon_price * 0.0561
    above, _ = _gas_only(0.3, mode="max", h2_price=threshold + 0.5, carbon_price=carbon_price)
    below, _ = _gas_only(0.3, mode="max", h2_price=threshold - 0.5, carbon_price=carbon_price)
    assert float(above.h2_use_t) == pytest.approx(0, abs=1e-9)
    assert float(below.h2_blend_energy_share.sel(technology="ccgt")) == pytest.approx(h2_energy_share(0.3), abs=1e-9)


def _hydro_case(inflow, demand, storage_h=10.0):
    backup = dict(
        name="backup",
        family="thermal",
        fuel="natural_gas",
        efficiency=0.5,
        lifetime_yr=1,
        capex_cny_per_kw=0,
        existing_mw=1000,
        max_mw=1000,
    )
    hydro = dict(
        name="hydro",
        family="reservoir_hydro",
        existing_mw=100,
        max_mw=100,
        capex_cny_per_kw=0,
        lifetime_yr=1,
        energy_to_power_h=storage_h,
        min_level_fraction=0.1,
    )
    return solve_case([backup, hydro], demand, inflow_per_mw={"hydro": inflow})


def _water_balance_residual(ds):
    h = ds.sel(technology="hydro")
    level = h.storage_level_mwh.values
    change = level - np.roll(level, 1)  # cyclic: the hour before the first is the last
    return h.hydro_inflow_mw.values - h.generation_mw.values - h.hydro_spill_mw.values - change


def test_hydro_scarce_water_is_all_used_and_never_spilled():
    inflow = [0.2, 0.9, 0.1, 0.0, 0.5, 0.3]
    ds, _ = _hydro_case(inflow, [150, 150, 150, 150, 150, 150])
    h = ds.sel(technology="hydro")
    assert np.abs(_water_balance_residual(ds)).max() < 1e-6
    assert h.hydro_spill_mw.values.max() < 1e-6
    assert float(h.generation_mw.sum()) == pytest.approx(100 * sum(inflow), rel=1e-7)
    assert h.storage_level_mwh.min() >= 0.1 * 1000 - 1e-6 and h.storage_level_mwh.max() <= 1000 + 1e-6


def test_hydro_flood_spills_exactly_the_surplus():
    # Inflow 3x the turbine capacity every hour: the turbine runs flat out, the rest must spill.
    # (When surplus water is spilled is not unique in an LP; how much is.)
    ds, _ = _hydro_case([3.0] * 4, [150] * 4)
    h = ds.sel(technology="hydro")
    assert np.abs(_water_balance_residual(ds)).max() < 1e-6
    assert h.generation_mw.values == pytest.approx([100] * 4, rel=1e-7)
    assert float(h.hydro_spill_mw.sum()) == pytest.approx(4 * 200, rel=1e-7)
    assert h.storage_level_mwh.max() <= 1000 + 1e-6


def test_without_lost_load_an_unreachable_cap_is_infeasible():
    from energymodel.errors import SolveError

    techs = [dict(BASE, capex_cny_per_kw=0, existing_mw=100, max_mw=100)]
    ds, _ = solve_case(techs, [50, 50], run={"carbon": {"cap_t_per_yr": 1000}})  # 100 MWh of coal: 100 t
    assert float(ds.emissions_total_t) == pytest.approx(100)
    with pytest.raises(SolveError, match="provenInfeasible|infeasibleOrUnbounded"):
        solve_case(techs, [50, 50], run={"carbon": {"cap_t_per_yr": 50}}, settings={"value_of_lost_load_cny_per_mwh": None})
    ds, _ = solve_case(techs, [50, 50], run={"carbon": {"cap_t_per_yr": 50}})  # with lost load: half the demand is shed
    assert float((ds.lost_load_mw * ds.weight_h).sum()) == pytest.approx(50, rel=1e-7)


def _green_hydrogen_case(h2_price_cny_per_gj, h2_co2_t_per_gj=0.0):
    # Wind (200 MW, no expansion) blows in hours 0-1 only: 100 MW more than demand. Gas turbines burn
    # pure hydrogen (100 vol%) at 50 % to cover hours 2-3: 200 MW of H2 per hour. An electrolyser
    # (64 %) can turn the 100 MW surplus into 64 MW of H2 for two hours, stored (lossless) for later.
    fuels = [dict(f, price_cny_per_gj=h2_price_cny_per_gj, co2_t_per_gj=h2_co2_t_per_gj) if f["fuel"] == "hydrogen" else f for f in FUELS]
    fixed = dict(lifetime_yr=1, capex_cny_per_kw=0)
    techs = [
        dict(fixed, name="wind", family="variable_renewable", existing_mw=200, max_mw=200),
        dict(fixed, name="ccgt", family="thermal", fuel="natural_gas", h2_blending=True, efficiency=0.5, existing_mw=200, max_mw=200),
        dict(name="electrolyser", family="electrolyser", efficiency=0.64, capex_cny_per_kw=0.1, lifetime_yr=1),
        dict(
            name="h2_store",
            family="h2_storage",
            capex_cny_per_kw=0.01,
            lifetime_yr=1,
            energy_to_power_h=2.0,
            charge_efficiency=1.0,
            discharge_efficiency=1.0,
        ),
    ]
    return solve_case(
        techs,
        [100] * 4,
        fuels=fuels,
        capacity_factor={"wind": [1, 1, 0, 0]},
        run={"hydrogen": {"blend_vol_fraction": 1.0, "mode": "fixed"}},
    )


def test_electrolysis_from_surplus_wind_when_cheaper_than_bought_hydrogen():
    # Bought H2 at 100 CNY/GJ = 360 CNY/MWh: making 128 MWh saves 46,080 CNY; the kit costs 10,640.
    ds, _ = _green_hydrogen_case(100.0)
    assert float(ds.capacity_new_mw.sel(technology="electrolyser")) == pytest.approx(100, rel=1e-6)
    assert float(ds.capacity_new_mw.sel(technology="h2_store")) == pytest.approx(64, rel=1e-6)
    assert ds.electrolysis_mw.sel(technology="electrolyser").values == pytest.approx([100, 100, 0, 0], abs=1e-6)
    t_per_mwh = 3.6 / 119.96
    assert float(ds.h2_made_t) == pytest.approx(128 * t_per_mwh, rel=1e-6)
    assert float(ds.h2_bought_t) == pytest.approx((400 - 128) * t_per_mwh, rel=1e-6)
    assert float(ds.h2_made_t + ds.h2_bought_t) == pytest.approx(float(ds.h2_use_t), rel=1e-9)  # hydrogen balance
    assert float(ds.cost_by_component_cny.sel(component="fuel")) == pytest.approx(272 * 360, rel=1e-6)
    sources = ds.em.hydrogen_sources()  # by kind: bought at the fuel price, made by electrolysis
    assert sources.sel(kind=["bought", "electrolysis"]).values == pytest.approx([272 * t_per_mwh, 128 * t_per_mwh], rel=1e-6)
    assert float(ds.curtailment_mw.sel(technology="wind").sum()) == pytest.approx(0, abs=1e-6)


def test_no_electrolysis_when_bought_hydrogen_is_cheaper():
    # At 1 CNY/GJ the 128 MWh would save 461 CNY, less than the 10,640 CNY of kit.
    ds, _ = _green_hydrogen_case(1.0)
    assert float(ds.capacity_new_mw.sel(technology="electrolyser")) == pytest.approx(0, abs=1e-6)
    assert float(ds.capacity_new_mw.sel(technology="h2_store")) == pytest.approx(0, abs=1e-6)
    assert float(ds.h2_made_t) == pytest.approx(0, abs=1e-9)
    assert float(ds.h2_bought_t) == pytest.approx(400 * 3.6 / 119.96, rel=1e-6)


def test_grey_hydrogen_emits_only_for_what_is_bought():
    # Grey hydrogen carries its production CO2 (0.2 t/GJ here). Of the 400 MWh burnt, 128 MWh are made
    # from wind, so only the 272 MWh bought count: 272 * 3.6 GJ * 0.2 t/GJ = 195.84 t.
    ds, _ = _green_hydrogen_case(100.0, h2_co2_t_per_gj=0.2)
    assert float(ds.h2_made_t) == pytest.approx(128 * 3.6 / 119.96, rel=1e-6)
    assert float(ds.emissions_h2_bought_t) == pytest.approx(272 * 3.6 * 0.2, rel=1e-6)
    assert float(ds.emissions_total_t) == pytest.approx(272 * 3.6 * 0.2, rel=1e-6)
    assert float(ds.emissions_t.sum()) == pytest.approx(0, abs=1e-6)  # the turbines burn no natural gas
    assert float(ds.emissions_t_per_h.sum()) == pytest.approx(272 * 3.6 * 0.2, rel=1e-6)
