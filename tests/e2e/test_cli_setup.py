"""Setting up with the CLI: the demo's own database, and what cannot be opened."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.e2e.conftest import CLI_ENV


def test_demo_without_a_database_url_has_its_own_file_beside_the_company_database(cli_runner, tmp_path):
    env = {**CLI_ENV, "XDG_DATA_HOME": str(tmp_path), "ONHAND_DATABASE_URL": None}

    demo = cli_runner.run(["demo", "--no-serve"], env=env)
    company = cli_runner.run(["items", "list", "--json"], env=env)

    assert demo.exit_code == 0, demo.stderr
    demo_file = tmp_path / "onhand" / "demo.db"
    assert f"Database: sqlite:///{demo_file}" in demo.stdout
    assert f"onhand --database-url sqlite:///{demo_file} stock --sku MUG-12OZ" in demo.stdout
    assert company.exit_code == 0, company.stderr
    assert company.stdout.strip() in ("", "[]")  # the company database has none of the demo's items
    assert sorted(path.name for path in Path(tmp_path, "onhand").glob("*.db")) == ["demo.db", "onhand.db"]


def test_a_postgresql_url_without_the_driver_names_the_extra_to_install(cli_runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` fails as if not installed

    result = cli_runner.run(["--database-url", "postgresql://onhand:s3cret@127.0.0.1:9/onhand", "stock"],
                            env=CLI_ENV)

    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot open database postgresql://onhand:***@127.0.0.1:9/onhand: the PostgreSQL driver is not "
        "installed; pip install 'onhand[postgres]'\n"
    )
