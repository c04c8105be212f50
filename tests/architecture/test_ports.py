"""The ports hold: SqlUnitOfWork implements services.ports.UnitOfWork (checked by mypy)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def test_the_sql_unit_of_work_satisfies_the_unit_of_work_port(tmp_path):
    # A cache of its own each run: a cache kept between runs was seen to answer for an old tree.
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(tmp_path / "mypy_cache"), "--warn-unused-ignores", "--no-error-summary",
            str(HERE / "port_conformance.py"),
        ],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
