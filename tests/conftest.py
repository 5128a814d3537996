import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "data" / "china-2030"


def summer_week_run(folder: Path, **sections) -> Path:
    """Write ``folder/run.yaml``: the shipped data, one summer week (Jul 15-21), results to ``folder/out.nc``.

    Keyword sections replace the defaults (e.g. ``solver={...}``, ``sweep={...}``).
    """
    run = {
        "name": "t",
        "dataset": str(DATASET),
        "output": str(folder / "out.nc"),
        "carbon": {"cap_t_per_yr": 4.5e9},
        "hydrogen": {"blend_vol_fraction": 0.1, "mode": "max"},
        "hours": {"start": "2030-07-15", "end": "2030-07-21"},
        "solver": {"options": {"threads": 1}},
    }
    run.update(sections)
    path = folder / "run.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


@pytest.fixture
def week_run(tmp_path) -> Path:
    """A run file for one week (Jan 8-14) of the shipped dataset, writing into tmp_path."""
    run = {
        "name": "week",
        "dataset": str(DATASET),
        "output": str(tmp_path / "week.nc"),
        "carbon": {"cap_t_per_yr": 4.5e9},
        "hydrogen": {"blend_vol_fraction": 0.1, "mode": "max"},
        "hours": {"start": "2030-01-08", "end": "2030-01-14"},
        "solver": {"options": {"threads": 1}},
    }
    path = tmp_path / "week.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


@pytest.fixture
def dataset_copy(tmp_path) -> Path:
    """A writable copy of the shipped dataset, to corrupt in tests."""
    target = tmp_path / "data"
    shutil.copytree(DATASET, target)
    return target
