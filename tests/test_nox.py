"""NOx from fuel heat input, its rise with the hydrogen share, and a yearly NOx cap (issue 16, part 3), solved by hand."""

import numpy as np
import pytest
from helpers import SETTINGS, config, solve_case

from energymodel.diagnose import diagnose
from energymodel.errors import SolveError
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.physics import h2_energy_share, nox_rise_per_energy_share
from energymodel.results import build_dataset
from energymodel.solve import solve
from energymodel.summary import format_summary

FUELS = [
    dict(fuel="natural_gas", price_cny_per_gj=70.0, co2_t_per_gj=0.05, lhv_mj_per_nm3=35.79),
    dict(fuel="dear_gas", price_cny_per_gj=100.0, co2_t_per_gj=0.05, lhv_mj_per_nm3=35.79),
    dict(fuel="hydrogen", price_cny_per_gj=150.0, co2_t_per_gj=0.0, lhv_mj_per_nm3=10.79, lhv_mj_per_kg=119.96),
]
GAS = dict(family="thermal", fuel="natural_gas", efficiency=0.5, lifetime_yr=1, capex_cny_per_kw=0, existing_mw=100, max_mw=100)
DEMAND = [100.0, 60.0]  # MW in two hours


def _heat_gj(ds, mw) -> np.ndarray:
    """Heat input per hour (GJ/h) of a 50 %-efficient plant making ``mw``: 7.2 GJ per MWh."""
    return np.asarray(mw) * 3.6 / 0.5


def test_nox_is_the_factor_times_the_heat_input():
    ds, frame = solve_case([dict(GAS, name="ccgt", nox_kg_per_gj=0.03)], DEMAND, fuels=FUELS)
    hourly_t = 0.03 * _heat_gj(ds, DEMAND) / 1000  # 0.03 kg/GJ x 720 and 432 GJ/h
    assert ds.nox_t_per_h.values == pytest.approx(hourly_t, rel=1e-9)
    assert ds.nox_by_technology_t_per_h.sel(technology="ccgt").values == pytest.approx(hourly_t, rel=1e-9)
    yearly_t = float((ds.weight_h * hourly_t).sum())
    assert float(ds.nox_t.sel(technology="ccgt")) == pytest.approx(yearly_t, rel=1e-9)
    assert float(ds.nox_total_t) == pytest.approx(yearly_t, rel=1e-9)
    assert np.isnan(float(ds.nox_cap_t)) and np.isnan(float(ds.nox_shadow_price_cny_per_t))
    assert f"NOx emissions        {yearly_t / 1e3:,.1f} kt/yr   (no cap)" in format_summary(build_dataset(frame))


@pytest.mark.parametrize("blend", [0.1, 0.3, 1.0])
def test_nox_rises_with_the_hydrogen_energy_share(blend):
    # A fixed blend x: a share e(x) of the heat is hydrogen, and NOx = n * F * (1 + k * e).
    k = 5.6
    plant = dict(GAS, name="ccgt", h2_blending=True, nox_kg_per_gj=0.03, nox_h2_rise_per_energy_share=k)
    ds, _ = solve_case([plant], DEMAND, fuels=FUELS, run={"hydrogen": {"blend_vol_fraction": blend, "mode": "fixed"}})
    e = h2_energy_share(blend)
    hourly_t = 0.03 * _heat_gj(ds, DEMAND) * (1 + k * e) / 1000
    assert ds.nox_t_per_h.values == pytest.approx(hourly_t, rel=1e-9)


def test_the_burner_study_gives_a_rise_of_5_6_per_unit_of_energy_share():
    # +23.5 % per +10 vol% (facts §4.3), 0-40 vol%: at 40 vol% NOx is up 94 %, and 40 vol% is 16.7 % of the heat.
    k = nox_rise_per_energy_share(2.35, 0.4)
    assert h2_energy_share(0.4) == pytest.approx(4.316 / (4.316 + 21.474), rel=1e-9)
    assert k == pytest.approx(0.94 / h2_energy_share(0.4), rel=1e-12)
    assert k == pytest.approx(5.62, abs=0.005)


def test_a_binding_nox_cap_has_the_switching_cost_as_its_shadow_price():
    # "low_cost" burns 70 CNY/GJ and emits 0.1 kg NOx/GJ: 504 CNY and 0.72 kg per MWh at 7.2 GJ/MWh.
    # "clean" burns 100 CNY/GJ with no NOx: 720 CNY/MWh. Each tonne of NOx avoided costs
    # (720 - 504) / 0.00072 = 300,000 CNY. A cap of half the uncapped NOx binds.
    techs = [dict(GAS, name="low_cost", nox_kg_per_gj=0.1), dict(GAS, name="clean", fuel="dear_gas")]
    free, _ = solve_case(techs, DEMAND, fuels=FUELS)
    uncapped = float(free.nox_total_t)
    assert uncapped == pytest.approx(float((free.weight_h * 0.1 * _heat_gj(free, DEMAND) / 1000).sum()), rel=1e-9)
    ds, frame = solve_case(techs, DEMAND, fuels=FUELS, run={"nox": {"cap_t_per_yr": uncapped / 2}})
    assert float(ds.nox_total_t) == pytest.approx(uncapped / 2, rel=1e-7)
    assert float(ds.nox_cap_t) == pytest.approx(uncapped / 2, rel=1e-12)
    assert float(ds.nox_shadow_price_cny_per_t) == pytest.approx((720 - 504) / 0.00072, rel=1e-6)
    assert float(ds.total_cost_cny) - float(free.total_cost_cny) == pytest.approx(300_000 * uncapped / 2, rel=1e-7)
    assert "NOx shadow price     300,000.0 CNY/t" in format_summary(build_dataset(frame))


def test_an_unreachable_nox_cap_is_named_by_the_diagnosis():
    # Without lost load, one plant with 0.1 kg/GJ makes 160 MWh (1,152 GJ): 0.1152 t, 0.0576 t above a cap of half that.
    data = inputs_from_tables(
        config(nox={"cap_t_per_yr": 0.0576}),
        {**SETTINGS, "value_of_lost_load_cny_per_mwh": None},
        [dict(GAS, name="low_cost", nox_kg_per_gj=0.1)],
        FUELS,
        DEMAND,
        weight_h=[1.0, 1.0],
    )
    with pytest.raises(SolveError):
        solve(build_model(data))
    found = diagnose(data)
    assert [r.what for r in found] == ["NOx cap"]
    assert found[0].amount == pytest.approx(0.1152 - 0.0576, rel=1e-6)


def test_a_sweep_changes_the_nox_cap_in_place_with_the_rebuilt_answer():
    # The cap is a mutable parameter: a built model re-solved at a new cap gives what a new model gives.
    from energymodel.session import ModelSession

    techs = [dict(GAS, name="low_cost", nox_kg_per_gj=0.1), dict(GAS, name="clean", fuel="dear_gas")]
    data = inputs_from_tables(config(), SETTINGS, techs, FUELS, DEMAND)
    session = ModelSession(data, frozenset({"nox.cap_t_per_yr"}))
    uncapped = session.solve_point(data.config, {"nox.cap_t_per_yr": None})
    assert np.isnan(float(uncapped.nox_shadow_price_cny_per_t.squeeze()))
    half = float(uncapped.nox_total_t) / 2
    swept = session.solve_point(data.config, {"nox.cap_t_per_yr": half})
    rebuilt, _ = solve_case(techs, DEMAND, fuels=FUELS, run={"nox": {"cap_t_per_yr": half}})
    assert float(swept.total_cost_cny) == pytest.approx(float(rebuilt.total_cost_cny), rel=1e-9)
    assert float(swept.nox_shadow_price_cny_per_t.squeeze()) == pytest.approx(300_000, rel=1e-6)


def test_a_pathway_summary_shows_nox_per_period():
    from energymodel.inputs import with_pathway

    techs = [dict(GAS, name="low_cost", nox_kg_per_gj=0.1, lifetime_yr=50)]
    data = with_pathway(inputs_from_tables(config(pathway={"periods": [2030, 2040]}), SETTINGS, techs, FUELS, DEMAND))
    frame = build_model(data)
    solve(frame, {})
    text = format_summary(build_dataset(frame))
    assert "NOx kt/yr" in text and "NOx price CNY/t" in text


def test_a_pathway_caps_nox_per_period():
    # The two-plant case in 2030 and 2040: a loose cap in 2030 (shadow price 0), half the uncapped NOx in 2040
    # (the switching cost, 300,000 CNY/t, in that period's money).
    from energymodel.inputs import with_pathway

    techs = [dict(GAS, name="low_cost", nox_kg_per_gj=0.1, lifetime_yr=50), dict(GAS, name="clean", fuel="dear_gas", lifetime_yr=50)]
    free, _ = solve_case(techs, DEMAND, fuels=FUELS)
    half = float(free.nox_total_t) / 2
    run = config(pathway={"periods": [2030, 2040], "nox_cap_t_per_yr": {2030: 10 * half, 2040: half}})
    frame = build_model(with_pathway(inputs_from_tables(run, SETTINGS, techs, FUELS, DEMAND)))
    solve(frame, {})
    ds = build_dataset(frame)
    assert ds.nox_cap_t.values == pytest.approx([10 * half, half], rel=1e-12)
    assert ds.nox_total_t.values == pytest.approx([2 * half, half], rel=1e-7)
    assert ds.nox_shadow_price_cny_per_t.values == pytest.approx([0, 300_000], abs=1e-6, rel=1e-6)
