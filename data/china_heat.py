"""District heat for the China datasets: annual demand, hourly shape and the CHP and boiler fleets sized for it.

Imported by the dataset generators (``generate_china_2024.py``, ``generate_china_2030.py``); the sources of every figure are in the
dataset READMEs ("Heat"). Method:

* annual district heat (TWh_th) = the heat of northern urban heating (Tsinghua BERC, 2024), split into a coal
  network and a gas network by the coal share of northern district heat; its distribution over provinces is
  space heat x the share supplied by district heating, both from PyPSA-China-PIK
  (``resources/data/heating/SPH_2020.csv`` and ``DH_city_town_2020.csv``, from the NBS statistical yearbook
  2020), whose national sum (1,401.9 TWh_th in 2020) is a cross-check;
* daily heat = heating degrees (base 18 C) of a synthetic heat-weighted northern daily temperature, inside the
  heating season only; hourly = daily x an intraday profile (PyPSA-China-PIK's Danish profile);
* each network is supplied by CHP plants sized to the heating coefficient alpha (CHP heat capacity / peak heat
  demand, Chinese district-heating design practice) and heat-only boilers sized to the rest of the peak:
      CHP heat capacity   = alpha x peak          (MW_th)
      CHP power capacity  = alpha x peak x (c_b + c_v) / availability
                            (MW: full available load on the back-pressure line p = c_b h, load = p + c_v h)
      boiler capacity     = (1 - alpha) x peak    (MW_th)
  so the boilers alone cannot carry the peak and the CHP plants must run whenever heat demand exceeds the
  boilers' capacity; between the two, the model chooses by cost.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Space heat demand 2020, TWh/yr, and the share of it supplied by district heating in cities and towns, by
# province: PyPSA-China-PIK resources/data/heating/SPH_2020.csv and DH_city_town_2020.csv (readMe: NBS
# statistical yearbook 2020). Provinces with no space heat are left out.
SPACE_HEAT_TWH_2020 = {
    "Anhui": 16.7, "Beijing": 60.9, "Gansu": 105.9, "Guizhou": 0.3, "Hebei": 230.4, "Heilongjiang": 232.1,
    "Henan": 109.7, "Hubei": 4.6, "InnerMongolia": 206.0, "Jiangsu": 0.3, "Jilin": 146.6, "Liaoning": 263.3,
    "Ningxia": 38.3, "Qinghai": 30.0, "Shaanxi": 80.3, "Shandong": 275.9, "Shanxi": 180.5, "Sichuan": 0.2,
    "Tianjin": 59.5, "Tibet": 1.9, "Xinjiang": 135.4, "Yunnan": 0.4,
}  # fmt: skip
DISTRICT_HEAT_SHARE_2020 = {
    "Anhui": 0.583292383, "Beijing": 0.875285519, "Gansu": 0.522191124, "Guizhou": 0.531622602,
    "Hebei": 0.600750268, "Heilongjiang": 0.655944497, "Henan": 0.554270194, "Hubei": 0.628894691,
    "InnerMongolia": 0.674989596, "Jiangsu": 0.734457945, "Jilin": 0.626511046, "Liaoning": 0.721504113,
    "Ningxia": 0.649098474, "Qinghai": 0.600337268, "Shaanxi": 0.626548673, "Shandong": 0.630496803,
    "Shanxi": 0.6252149, "Sichuan": 0.567315733, "Tianjin": 0.847152127, "Tibet": 0.357923497,
    "Xinjiang": 0.565250965, "Yunnan": 0.500423549,
}  # fmt: skip

# Northern urban heating: 15.6 billion m2 "requires about 5.95 billion GJ of heat" (Building Energy Research
# Center of Tsinghua University, "Decarbonize Urban Heating System", Springer 2024, ch. 3).
NORTHERN_URBAN_HEAT_GJ = 5.95e9
GJ_PER_MWH = 3.6

# Coal's share of the energy used for district heat in northern China: "about 90 %" in 2015
# (APUEA Magazine 1/2018, Johnson Controls). The rest is taken as gas (assumption).
COAL_SHARE = 0.90

# Heating coefficient alpha: CHP heat capacity / peak heat load of a network (assumption inside the
# 0.5-0.8 range of Chinese district-heating design practice, [unverified]).
HEATING_COEFFICIENT = 0.6

# Heating season, month-day inclusive (assumption: from the northeast's mid-October start to Beijing's
# statutory 15 March end, the bulk of the heat-weighted north heats from November to March).
SEASON_START = (11, 1)
SEASON_END = (3, 31)
BASE_TEMPERATURE_C = 18.0  # indoor design temperature of Chinese district heating (assumption)
# Heat-weighted northern daily mean temperature: January -6 C, July 25 C (assumption between the
# CMA normals of Beijing -3/27, Shenyang -11/25, Jinan 0/28 and Harbin -17/23), coldest on 15 January.
T_MEAN_C = 9.5
T_AMPLITUDE_C = 15.5
T_COLDEST_DAY = 15
T_DAILY_AR = 0.7  # lag-1 (day) autocorrelation of the weather anomaly (assumption)
T_DAILY_SD_C = 3.0  # stationary s.d. of the anomaly (assumption)

# Intraday heat profile by hour of day (relative), weekday and weekend: PyPSA-China-PIK
# resources/data/heating/heat_load_profile_DK_AdamJensen.csv.
INTRADAY_WEEKDAY = [
    0.9181438689, 0.9172359071, 0.9269464481, 0.9415047932, 0.9853282648, 1.0470052081, 1.0960154931,
    1.1134302985, 1.1012004326, 1.0715768045, 1.0452508012, 1.0274539652, 1.0124153734, 0.9992208418,
    0.9906212613, 0.9915095452, 1.0057632549, 1.0278451713, 1.0448541003, 1.0454244766, 1.0269051005,
    0.9954548598, 0.9555614618, 0.9250361879,
]  # fmt: skip
INTRADAY_WEEKEND = [
    0.9421512708, 0.9400891069, 0.9461062015, 0.9535084941, 0.9757349837, 1.0089424233, 1.0443437463,
    1.0785013389, 1.0929929669, 1.0905497612, 1.0762555849, 1.0546916745, 1.0318891316, 1.0141289617,
    1.0029917484, 0.9992693468, 1.0050011446, 1.0180698658, 1.0268012002, 1.0229316498, 1.0074916749,
    0.9825474101, 0.9521839218, 0.9307264946,
]  # fmt: skip

# CHP coefficients (Danish Energy Agency technology data, via PyPSA-China-PIK costs_2020.csv):
# c_b = back-pressure power per MW of heat, c_v = power lost per MW of heat at constant fuel.
COAL_CHP = dict(power_to_heat=0.84, heat_power_loss=0.15)
GAS_CHP = dict(power_to_heat=0.96, heat_power_loss=0.17)
# Heat-only boiler efficiencies (LHV): existing coal boilers 0.78 (PyPSA-China-PIK costs_2020.csv,
# hist_efficiency, "expert guess for brownfield"); gas 1.03 (DEA "44 Natural Gas DH Only") capped at 1,
# the upper bound of technologies.csv.
COAL_BOILER_EFFICIENCY = 0.78
GAS_BOILER_EFFICIENCY = 1.0

# Heat-only boiler costs (in a backcast nothing is built and only the variable O&M acts on the dispatch).
# PyPSA-China-PIK costs_2020.csv: central coal boiler 315 USD/kW_th, FOM 2.5 %/yr (IRENA Remap 2030);
# central gas boiler 60 EUR/kW_th, FOM 3.25 %/yr; both 1.1 EUR/MWh_th variable O&M (DEA), 25 years.
# Converted at 6.9 CNY/USD and 7.9 CNY/EUR (assumption: 2020 annual averages, rounded).
COAL_BOILER = dict(capex_kw=2170.0, fom_pct=2.5, vom=9.0, life=25)
GAS_BOILER = dict(capex_kw=474.0, fom_pct=3.25, vom=9.0, life=25)

# (fleet row, heat network, CHP coefficients, boiler costs, boiler fuel, boiler efficiency); CHP and boiler rows
# are named after the fuel: coal_chp, coal_heat_boiler, gas_chp, gas_heat_boiler.
NETWORKS = (
    ("coal", "district_heat_coal", COAL_CHP, COAL_BOILER, "coal", COAL_BOILER_EFFICIENCY),
    ("gas_ccgt", "district_heat_gas", GAS_CHP, GAS_BOILER, "natural_gas", GAS_BOILER_EFFICIENCY),
)
GW = 1000.0  # MW per GW


def district_heat_twh() -> float:
    """China's district heat, TWh_th/yr: northern urban heating, 5.95 billion GJ / 3.6 GJ/MWh."""
    return NORTHERN_URBAN_HEAT_GJ / GJ_PER_MWH / 1e6


def provincial_district_heat_twh_2020() -> dict:
    """District heat by province in 2020, TWh_th/yr: space heat x district-heating share (PyPSA-China-PIK);
    its shares distribute the national figure over regions."""
    return {p: SPACE_HEAT_TWH_2020[p] * DISTRICT_HEAT_SHARE_2020[p] for p in SPACE_HEAT_TWH_2020}


def network_heat_twh() -> dict:
    """Annual heat of the coal and the gas district-heat networks, TWh_th/yr."""
    total = district_heat_twh()
    return {"district_heat_coal": COAL_SHARE * total, "district_heat_gas": (1.0 - COAL_SHARE) * total}


def in_season(days: pd.DatetimeIndex) -> np.ndarray:
    md = days.month * 100 + days.day
    start, end = SEASON_START[0] * 100 + SEASON_START[1], SEASON_END[0] * 100 + SEASON_END[1]
    return np.asarray((md >= start) | (md <= end))


def daily_temperature_c(days: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """T_d = T_mean - A cos(2 pi (doy - d_coldest) / 365.25) + AR(1) anomaly (C)."""
    seasonal = T_MEAN_C - T_AMPLITUDE_C * np.cos(2 * np.pi * (days.dayofyear.to_numpy() - T_COLDEST_DAY) / 365.25)
    noise = np.empty(len(days))
    noise[0] = rng.normal(0.0, T_DAILY_SD_C)
    innovation_sd = T_DAILY_SD_C * np.sqrt(1.0 - T_DAILY_AR**2)
    for i in range(1, len(days)):
        noise[i] = T_DAILY_AR * noise[i - 1] + rng.normal(0.0, innovation_sd)
    return seasonal + noise


def heat_shape(idx: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Relative hourly heat demand (sums to 1): heating degrees of the day x the intraday profile."""
    days = idx[::24]
    degrees = np.maximum(0.0, BASE_TEMPERATURE_C - daily_temperature_c(days, rng)) * in_season(days)
    weekend = np.asarray(days.dayofweek >= 5)
    intraday = np.where(weekend[:, None], INTRADAY_WEEKEND, INTRADAY_WEEKDAY)
    hourly = (degrees[:, None] * intraday / intraday.mean(axis=1, keepdims=True)).ravel()
    return hourly / hourly.sum()


def heat_demand_mw(idx: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    """Hourly heat demand of each network (MW_th), one shape (same weather) scaled to each network's TWh."""
    shape = heat_shape(idx, rng)
    return pd.DataFrame({n: shape * twh * 1e6 for n, twh in network_heat_twh().items()}, index=idx)


def chp_and_boiler_mw(peak_heat_mw: float, chp: dict, availability: float, max_chp_mw: float = math.inf) -> tuple[float, float]:
    """(CHP power capacity MW, boiler capacity MW_th) for a network of the given peak heat demand (MW_th);
    the CHP plants' availability applies to their load (power + c_v x heat), the boilers' is 1. Where the
    fleet is smaller than the heating coefficient asks (max_chp_mw), all of it is CHP and the boilers
    carry the rest of the peak."""
    per_mw_th = (chp["power_to_heat"] + chp["heat_power_loss"]) / availability  # MW of CHP per MW_th it can give
    power_mw = min(HEATING_COEFFICIENT * peak_heat_mw * per_mw_th, max_chp_mw)
    return power_mw, peak_heat_mw - power_mw / per_mw_th


def split_fleet_for_heat(fleet: dict, peak_heat_mw: pd.Series) -> tuple[dict, list[dict]]:
    """Take the CHP plants out of the existing coal and gas rows of ``fleet`` (generator rows by name, capacities
    in GW, changed in place; a row's ceiling falls by the same amount unless it is open) and add a CHP row and a heat-only boiler row per network, sized to its peak heat
    (chp_and_boiler_mw, rounded up to 0.1 GW so that together they still cover the peak).
    Returns (the CHP columns power_to_heat, heat_power_loss, heat_network by row name, the new rows)."""
    chp_columns, rows = {}, []
    for base_name, network, chp, boiler, fuel, efficiency in NETWORKS:
        plant = fleet[base_name]
        chp_mw, boiler_mw = chp_and_boiler_mw(peak_heat_mw[network], chp, plant["availability"])
        chp_gw, boiler_gw = (math.ceil(mw / GW * 10) / 10 for mw in (chp_mw, boiler_mw))
        short = fuel.split("_")[-1]
        # the CHP plants leave the row's existing fleet and its ceiling; an open ceiling (new build) stays open
        max_gw = None if plant["max_gw"] is None else plant["max_gw"] - chp_gw
        plant.update(existing_gw=plant["existing_gw"] - chp_gw, max_gw=max_gw)
        rows.append({**plant, "name": f"{short}_chp", "existing_gw": chp_gw, "max_gw": chp_gw})
        chp_columns[f"{short}_chp"] = {**chp, "heat_network": network}
        rows.append(
            dict(name=f"{short}_heat_boiler", family="heat_boiler", fuel=fuel, h2_blending=None,
                 existing_gw=boiler_gw, max_gw=boiler_gw, efficiency=efficiency, availability=1.0, **boiler)
        )  # fmt: skip
        chp_columns[f"{short}_heat_boiler"] = {"heat_network": network}
    return chp_columns, rows


# Power-to-heat build options for each network (family heat_pump; nothing exists, the model may build them):
# Danish Energy Agency, "Technology Data for Generation of Electricity and District Heating", 2030 values via
# PyPSA technology-data outputs/costs_2030.csv (commit 634cdc1, currency year 2015 EUR), converted at 7.8 CNY/EUR
# (the china-2030 README's rate; no EUR inflation adjustment):
#   "41 Electric Boilers" (10/15 kV, > 10 MW): 80.1482 EUR/kW_th, FOM 1.7 %/yr, VOM 1.3358 EUR/MWh_th,
#       efficiency 0.99, lifetime 20 yr;
#   "40 Comp. hp, airsource 3 MW": 1,143.7771 EUR/kW_th, FOM 0.2336 %/yr, VOM 3.3529 EUR/MWh_th, lifetime 25 yr;
#       COP 3.2 name plate (Danish conditions), taken as 3.0 for the northern heating season (assumption: colder
#       source air; no sourced seasonal COP of Chinese district-heat air-source units).
CNY_PER_EUR_2030 = 7.8
ELECTRIC_BOILER = dict(capex_eur_kw=80.1482, fom_pct=1.7, vom_eur=1.3358, life=20, cop=0.99)
AIR_SOURCE_HEAT_PUMP = dict(capex_eur_kw=1143.7771, fom_pct=0.2336, vom_eur=3.3529, life=25, cop=3.0)
POWER_TO_HEAT = (("electric_boiler", ELECTRIC_BOILER), ("heat_pump", AIR_SOURCE_HEAT_PUMP))


def power_to_heat_rows() -> tuple[dict, list[dict]]:
    """An electric boiler and a large air-source heat pump per heat network (``{fuel}_dh_electric_boiler``,
    ``{fuel}_dh_heat_pump`` for the network of ``{fuel}_chp``), none existing, unlimited; capacities in MW_th.
    Returns (the columns heat_network and cop by row name, the rows)."""
    columns, rows = {}, []
    for _, network, _, _, fuel, _ in NETWORKS:
        short = fuel.split("_")[-1]
        for kind, tech in POWER_TO_HEAT:
            name = f"{short}_dh_{kind}"
            rows.append(
                dict(name=name, family="heat_pump", fuel=None, h2_blending=None, existing_gw=0.0, max_gw=None,
                     capex_kw=round(tech["capex_eur_kw"] * CNY_PER_EUR_2030, 1), fom_pct=tech["fom_pct"],
                     vom=round(tech["vom_eur"] * CNY_PER_EUR_2030, 2), life=tech["life"], availability=1.0)
            )  # fmt: skip
            columns[name] = {"heat_network": network, "cop": tech["cop"]}
    return columns, rows


HEAT_COLUMNS = ("power_to_heat", "heat_power_loss", "heat_network")


def add_heat_columns(table: pd.DataFrame, heat_columns: dict, columns: tuple[str, ...] = HEAT_COLUMNS) -> pd.DataFrame:
    """technologies.csv's heat columns (by default the CHP columns power_to_heat, heat_power_loss, heat_network;
    with heat pumps also cop), blank for other rows."""
    for col in columns:
        table[col] = table["name"].map(lambda n: heat_columns.get(n, {}).get(col))
    return table


def heat_demand_table(heat_mw: pd.DataFrame, time: pd.Index) -> pd.DataFrame:
    """heat_demand.csv: the time column and one column of MW_th per heat network."""
    return pd.DataFrame({"time": time, **{n: heat_mw[n].to_numpy() for n in heat_mw.columns}})


def print_heat(demand: pd.DataFrame, techs: pd.DataFrame) -> None:
    """Each network's heat, peak and suppliers (techs: technologies.csv indexed by name)."""
    print(f"district heat (china_heat.py): {district_heat_twh():,.1f} TWh_th/yr, heating coefficient {HEATING_COEFFICIENT}")
    for network in demand.columns:
        suppliers = techs[techs["heat_network"] == network]["existing_mw"] / GW
        print(
            f"  {network}: {demand[network].sum() / 1e6:,.1f} TWh_th, peak {demand[network].max() / GW:,.1f} GW_th "
            f"({demand[network].idxmax():%Y-%m-%d %H:%M}), " + ", ".join(f"{name} {gw:,.1f} GW" for name, gw in suppliers.items())
        )
