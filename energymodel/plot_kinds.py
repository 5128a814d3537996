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
)
HOURLY_KINDS = ("dispatch", "prices", "storage")  # the kinds that take a time window
