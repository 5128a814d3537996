"""Hour selection, weights, blocks and overrides."""

from pathlib import Path

import numpy as np
import pytest
from conftest import DATASET

from energymodel.config import parse_run
from energymodel.inputs import load_inputs
from energymodel.model.frame import previous_hours


def _load(**sections):
    raw = {"name": "t", "dataset": str(DATASET)}
    raw.update(sections)
    return load_inputs(parse_run(raw, "t.yaml", Path(".")))


def test_every_nth_day_weights_sum_to_a_year_and_days_are_blocks():
    data = _load(hours={"every_nth_day": 7})
    assert len(data.time) == 24 * 53
    assert data.weight_h.sum() == pytest.approx(8760)
    assert len(np.unique(data.block)) == 53
    assert (data.time[::24].day_of_year.values - 1 == np.arange(0, 365, 7)).all()


def test_date_range_is_one_block():
    data = _load(hours={"start": "2030-03-01", "end": "2030-03-03"})
    assert len(data.time) == 72 and set(data.block) == {0}
    assert data.weight_h == pytest.approx(np.full(72, 8760 / 72))
    assert data.time[0].strftime("%Y-%m-%d %H") == "2030-03-01 00"


def test_previous_hour_wraps_within_blocks():
    assert previous_hours(np.array([0, 0, 0, 1, 1])).tolist() == [2, 0, 1, 4, 3]


def test_overrides_replace_dataset_values():
    data = _load(
        overrides={
            "technologies": {"coal_usc": {"max_mw": 0}},
            "fuels": {"natural_gas": {"price_cny_per_gj": 80}},
            "settings": {"discount_rate": 0.05},
        }
    )
    assert data.technologies.at["coal_usc", "max_mw"] == 0
    assert data.fuels.at["natural_gas", "price_cny_per_gj"] == 80
    assert data.settings["discount_rate"] == 0.05


def test_shipped_series_statistics():
    data = _load()
    assert data.regions == ["china"]
    assert data.demand_mw["china"].sum() / 1e6 == pytest.approx(12500, rel=1e-4)
    cf = data.capacity_factor.mean()
    assert cf["onshore_wind"] == pytest.approx(0.25, abs=0.005)
    assert cf["offshore_wind"] == pytest.approx(0.32, abs=0.005)
    assert cf["solar_pv"] == pytest.approx(0.14, abs=0.005)
    assert data.inflow_per_mw["hydro"].sum() == pytest.approx(3500, rel=0.01)
