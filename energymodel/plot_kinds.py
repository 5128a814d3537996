"""The plot kinds, in one light module: the command line lists them without importing matplotlib (plots/)."""

KINDS = (
    "dispatch",
    "capacity",
    "generation",
    "prices",
    "storage",
    "emissions",
    "hydrogen",
    "fleet",
    "abatement",
    "macc",
    "pathway",
    "alternatives",
    "map",
)
HOURLY_KINDS = ("dispatch", "prices", "storage")  # the kinds that take a time window
MAP_QUANTITIES = ("capacity", "generation", "prices")  # what the map shows per region (the first by default)
