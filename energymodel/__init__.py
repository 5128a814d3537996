"""energymodel: least-cost capacity expansion and hourly dispatch of a power system.

Data flows one way: run file + dataset folder -> validated inputs (:mod:`energymodel.inputs`)
-> Pyomo linear program (:mod:`energymodel.model`) -> HiGHS (:mod:`energymodel.solve`)
-> labelled results (:mod:`energymodel.results`, an ``xarray.Dataset``) -> NetCDF.
"""

__version__ = "0.1.0"
