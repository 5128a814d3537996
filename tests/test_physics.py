"""Blend physics and finance against independently known values."""

import math

import pytest

from energymodel.physics import capital_recovery_factor, h2_energy_share, h2_volume_share


@pytest.mark.parametrize(
    "vol_pct, energy_pct",
    [(0, 0.0), (5, 1.6), (10, 3.2), (20, 7.0), (30, 11.4), (50, 23.2), (100, 100.0)],
)
def test_energy_share_matches_reference_table(vol_pct, energy_pct):
    # facts §4.2 worked table (CH4 35.79, H2 10.79 MJ/Nm3)
    assert 100 * h2_energy_share(vol_pct / 100) == pytest.approx(energy_pct, abs=0.05)


def test_energy_share_by_hand_at_30_percent():
    e = 0.3 * 10.79 / (0.3 * 10.79 + 0.7 * 35.79)
    assert h2_energy_share(0.3) == pytest.approx(e, rel=1e-12)


def test_volume_share_inverts_energy_share():
    for x in (0.0, 0.01, 0.1, 0.37, 0.9, 1.0):
        assert h2_volume_share(h2_energy_share(x)) == pytest.approx(x, abs=1e-12)


def test_real_natural_gas_heating_value_changes_share():
    # facts §4.2: with NG at 37 MJ/Nm3, 50 vol% gives 22.6 % energy
    assert 100 * h2_energy_share(0.5, 10.79, 37.0) == pytest.approx(22.6, abs=0.05)


def test_blend_outside_unit_interval_is_rejected():
    with pytest.raises(ValueError):
        h2_energy_share(1.2)


def test_capital_recovery_factor():
    # 8 %, 25 yr: standard annuity table value 0.093679
    assert capital_recovery_factor(0.08, 25) == pytest.approx(0.0936788, rel=1e-6)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)
    r, n = 0.05, 40
    assert capital_recovery_factor(r, n) == pytest.approx(r * (1 + r) ** n / ((1 + r) ** n - 1))
    assert math.isclose(capital_recovery_factor(0.08, 1), 1.08)
