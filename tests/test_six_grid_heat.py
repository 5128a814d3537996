"""District heat of the six-grid 2030 dataset (data/china-6grid): the national 2030 heat split over the grids by
their provinces' district heat, and each grid's CHP plants and heat-only boilers sized to its own peak."""

import sys

import numpy as np
import pandas as pd
import pytest
from conftest import DATASET, ROOT
from helpers import HEAT_NETWORKS, P2H_BY_NETWORK

sys.path.insert(0, str(ROOT / "data"))
import china_heat  # noqa: E402  (data/, for the provincial table the README quotes)

SIX_GRID = ROOT / "data" / "china-6grid"
from china_grids import GRID_PROVINCES as PROVINCES  # noqa: E402  (data/: the provinces of each grid, README "Regions")

# heat_demand.csv is written to 0.1 MW: six grid columns round by at most 0.05 MW each
ROUNDING_MW = 6 * 0.05


@pytest.fixture(scope="module")
def heat():
    return pd.read_csv(SIX_GRID / "heat_demand.csv"), pd.read_csv(DATASET / "heat_demand.csv")


@pytest.fixture(scope="module")
def techs():
    return pd.read_csv(SIX_GRID / "technologies.csv")


def test_the_grids_heat_sums_to_the_national_2030_heat_every_hour(heat):
    grids, national = heat
    assert list(grids["time"]) == list(national["time"])
    for network, _, _ in HEAT_NETWORKS:
        columns = [f"{r}.{network}" for r in PROVINCES]
        assert set(columns) <= set(grids.columns), network
        summed = grids[columns].sum(axis=1).to_numpy()
        np.testing.assert_allclose(summed, national[network].to_numpy(), rtol=1e-6, atol=ROUNDING_MW)
        assert summed.sum() == pytest.approx(national[network].sum(), rel=1e-6)


def test_each_grid_has_its_provinces_share_of_the_district_heat(heat):
    grids, national = heat
    provincial = {p: china_heat.SPACE_HEAT_TWH_2020[p] * china_heat.DISTRICT_HEAT_SHARE_2020[p] for p in china_heat.SPACE_HEAT_TWH_2020}
    by_grid = {g: sum(provincial.get(p, 0.0) for p in ps) for g, ps in PROVINCES.items()}
    assert sum(by_grid.values()) == pytest.approx(sum(provincial.values()))  # every heated province is in a grid
    for network, _, _ in HEAT_NETWORKS:
        for grid, twh in by_grid.items():
            share = twh / sum(by_grid.values())
            assert grids[f"{grid}.{network}"].sum() == pytest.approx(share * national[network].sum(), rel=1e-5, abs=1.0), (grid, network)
    # by hand from the README's provincial table: 1,401.9 TWh_th in all, the north 668.0 (Beijing 53.3, Tianjin
    # 50.4, Hebei 138.4, Shanxi 112.9, Inner Mongolia 139.0, Shandong 174.0), the northeast 434.1 (Liaoning 190.0,
    # Jilin 91.8, Heilongjiang 152.2)
    assert sum(by_grid.values()) == pytest.approx(1401.9, abs=0.05)
    assert by_grid["north"] == pytest.approx(668.0, abs=0.1) and by_grid["northeast"] == pytest.approx(434.1, abs=0.1)


def test_each_grids_chp_and_boilers_cover_its_peak_heat_with_the_heating_coefficient(heat, techs):
    grids, _ = heat
    for (region, network), peak in ((tuple(c.split(".")), grids[c].max()) for c in grids.columns if c != "time"):
        rows = techs[(techs["region"] == region) & (techs["heat_network"] == network)].set_index("name")
        chp, boiler = next((c, b) for n, c, b in HEAT_NETWORKS if n == network)
        chp_heat_mw = 0.0
        if chp in rows.index:
            row = rows.loc[chp]
            chp_heat_mw = row["availability"] * row["existing_mw"] / (row["power_to_heat"] + row["heat_power_loss"])
            # CHP heat capacity is the heating coefficient 0.6 x the peak, unless the grid's whole fleet is CHP
            fleet = "coal" if chp == "coal_chp" else "gas_ccgt"
            condensing = techs[(techs["region"] == region) & (techs["name"] == fleet)]["existing_mw"].sum()
            if condensing > 0:
                assert chp_heat_mw == pytest.approx(0.6 * peak, abs=1.0), (region, network)
            else:
                assert chp_heat_mw <= 0.6 * peak + 1.0, (region, network)
        boiler_mw = rows.at[boiler, "existing_mw"] if boiler in rows.index else 0.0
        assert chp_heat_mw + boiler_mw >= peak, (region, network)
        assert chp_heat_mw + boiler_mw <= peak + 2.0, (region, network)  # rounded up to whole MW, no more
        assert list(rows.index[rows["family"] == "heat_pump"]) == P2H_BY_NETWORK[network], (region, network)
        p2h = rows[rows["family"] == "heat_pump"]
        assert (p2h["existing_mw"] == 0).all() and p2h["max_mw"].isna().all()


def test_the_heat_holds_chp_on_instead_of_a_fixed_must_run_and_gas_chp_blends_as_ccgts_do(techs):
    assert techs["must_run_fraction"].isna().all() and techs["must_run_months"].isna().all()
    gas = techs[techs["name"].isin(["gas_ccgt", "gas_chp"])]
    assert gas["h2_blending"].astype(bool).all()


def test_where_a_grids_fleet_is_too_small_all_of_it_is_chp_and_boilers_make_up_the_peak(techs):
    """The northeast's coal (7 % of the fleet) and the north's CCGTs (15 %) are all CHP plants."""
    row = techs.set_index(["region", "name"])["existing_mw"]
    assert ("northeast", "coal") not in row.index and row[("northeast", "coal_chp")] == pytest.approx(0.07 * 1_411_800)
    assert row[("north", "gas_ccgt")] == 0 and row[("north", "gas_chp")] == pytest.approx(0.15 * 122_200)
    assert ("northeast", "coal_ccs_retrofit") not in row.index  # no condensing coal to retrofit
