"""The Dask cluster that sweeps and decompositions run on: a LocalCluster here, a scheduler address on a cluster."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def dask_client(workers: int, scheduler: str | None, progress: Callable[[str], None]) -> Iterator:
    """A ``distributed.Client``: on the cluster at ``scheduler``, or on a new LocalCluster of ``workers`` single-threaded
    processes (closed on exit)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        cluster = None
        progress(f"using the Dask cluster at {scheduler} ({len(client.scheduler_info()['workers'])} workers)")
    else:
        # one task at a time per worker (no queue on it): a worker that dies takes only the task it ran with it
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.WARNING
            )
        client = Client(cluster)
        progress(f"started a local Dask cluster with {workers} worker processes")
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
