"""Where the subproblems are solved: in this process, or spread over Dask workers that keep their HiGHS instances.

Each iteration sends the master point z (a few hundred numbers) and gets back, per subproblem, its cost,
its subgradient over z and its largest penalised slack. The column values and row duals stay where they
were computed: each group keeps those of the last point and, when told that point is the best so far,
keeps them as the best; only the best point's travel back, once, at the end. On Dask every group is an
actor (``client.submit(..., actor=True)``) pinned to one worker, so its subproblems' HiGHS instances and
bases live there between iterations; the subproblems' data travel once, when the actors are made.
"""

from __future__ import annotations

import resource

import numpy as np

from ..errors import EnergyModelError, SolveError
from .benders import SubproblemSolver
from .partition import Subproblem


class SubproblemGroup:
    """Some subproblems' HiGHS instances in one process (a Dask actor on a worker, or in the client)."""

    def __init__(self, subproblems: list[Subproblem], options: dict):
        self.solvers = [SubproblemSolver(sub, options) for sub in subproblems]
        for sub in subproblems:
            sub.matrix = None  # HiGHS holds it now (memory: the subproblems' matrices are the whole LP's)
        self.last: list | None = None
        self.best: list | None = None

    def solve(self, z: np.ndarray) -> list[tuple[float, np.ndarray, float]]:
        """(cost, subgradient, largest slack) of each subproblem at z."""
        out = [solver.solve(z) for solver in self.solvers]
        self.last = [(solver.sub.index, values, duals) for solver, (_, _, _, values, duals) in zip(self.solvers, out)]
        return [(cost, gradient, slack) for cost, gradient, slack, _, _ in out]

    def keep_last(self) -> None:
        self.best = self.last

    def set_penalty(self, penalty: float) -> None:
        for solver in self.solvers:
            solver.set_penalty(penalty)

    def best_solutions(self) -> list:
        """(subproblem index, column values, row duals) at the best point."""
        return self.best or []

    def peak_mb(self) -> float:
        """This process's peak resident memory (MB; Linux ru_maxrss is in kB)."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LocalSubproblems:
    """Every subproblem in this process."""

    def __init__(self, subproblems: list[Subproblem], options: dict):
        self.group = SubproblemGroup(subproblems, options)
        self.workers = 1

    def solve(self, z):
        return self.group.solve(z)

    def keep_last(self) -> None:
        self.group.keep_last()

    def set_penalty(self, penalty: float) -> None:
        self.group.set_penalty(penalty)

    def best_solutions(self) -> list:
        return self.group.best_solutions()

    def peak_mb(self) -> float:
        return self.group.peak_mb()


class DaskSubproblems:
    """The subproblems dealt round-robin over the workers of ``client`` (week 1 to worker 1, week 2 to worker 2, ...:
    every worker gets winter and summer weeks alike), one Dask actor per worker."""

    def __init__(self, client, subproblems: list[Subproblem], options: dict):
        workers = sorted(client.scheduler_info()["workers"])
        if not workers:
            raise RuntimeError("the Dask cluster has no workers")
        groups = [list(range(i, len(subproblems), len(workers))) for i in range(min(len(workers), len(subproblems)))]
        self.workers = len(groups)
        self.order = np.concatenate([np.asarray(g) for g in groups])  # subproblem of each result, in the actors' order
        futures = []
        for group, worker in zip(groups, workers):
            data = client.scatter([subproblems[i] for i in group], workers=[worker])  # sent once, not inside the task graph
            futures.append(client.submit(SubproblemGroup, data, options, actor=True, workers=[worker], pure=False))
        self.actors = [f.result() for f in futures]
        for sub in subproblems:
            sub.matrix = None  # the workers' HiGHS instances hold them now

    def solve(self, z):
        futures = [actor.solve(z) for actor in self.actors]  # all workers at once, then collected
        results = [result for group in _collect(futures) for result in group]
        ordered = [None] * len(results)
        for k, result in zip(self.order, results):
            ordered[k] = result
        return ordered

    def keep_last(self) -> None:
        _collect([actor.keep_last() for actor in self.actors])

    def set_penalty(self, penalty: float) -> None:
        _collect([actor.set_penalty(penalty) for actor in self.actors])

    def best_solutions(self) -> list:
        return [s for group in _collect([actor.best_solutions() for actor in self.actors]) for s in group]

    def peak_mb(self) -> float:
        """The largest peak resident memory among the workers (MB)."""
        return max(_collect([actor.peak_mb() for actor in self.actors]))


def _collect(futures) -> list:
    """The actors' answers; a worker that died with its actor (killed, out of memory) is a SolveError:
    its subproblems' HiGHS instances are gone with it, so this decomposition cannot go on."""
    try:
        return [f.result() for f in futures]
    except EnergyModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - distributed raises OSError, CommClosedError, CancelledError ...
        raise SolveError(
            f"a Dask worker holding subproblems was lost ({type(exc).__name__}: {exc}); it was killed or ran out of "
            "memory? Run again, with fewer subproblems per worker (more workers, or solver.decomposition.subperiod_days) "
            "if memory is short"
        ) from exc
