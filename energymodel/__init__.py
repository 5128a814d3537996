"""energymodel: least-cost capacity expansion and hourly dispatch of a power system.

Data flows one way: run file + dataset folder -> validated inputs (:mod:`energymodel.inputs`)
-> Pyomo linear program (:mod:`energymodel.model`) -> HiGHS (:mod:`energymodel.solve`)
-> labelled results (:mod:`energymodel.results`, an ``xarray.Dataset``) -> NetCDF.

``energymodel.open_results(path)`` opens a results file; importing the package registers the
``ds.em`` accessor (capacity factors, shares, LCOE, curtailment, ...; see :mod:`energymodel.api`).
"""

__version__ = "0.1.0"

from .api import open_results  # noqa: E402  (also registers the ds.em accessor)

__all__ = ["__version__", "open_results"]
