"""The shipped dataset is exactly what the seeded generator script produces."""

import subprocess
import sys

from conftest import DATASET, ROOT


def test_generator_reproduces_shipped_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "data" / "generate_china_2030.py"), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ("settings.yaml", "technologies.csv", "fuels.csv", "demand.csv", "capacity_factors.csv", "hydro_inflow.csv"):
        assert (tmp_path / name).read_bytes() == (DATASET / name).read_bytes(), name
