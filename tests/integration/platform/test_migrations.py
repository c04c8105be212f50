"""The migrations build exactly the schema the table modules describe, and a database
already at the newest revision is opened without running Alembic."""

from __future__ import annotations

import re
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from onhand.adapters.db.engine import make_engine
from onhand.adapters.db.migrate import VERSIONS, alembic_config, current_revision, head_revision, upgrade
from onhand.adapters.db.tables import metadata


def test_migrating_an_empty_database_builds_the_schema_the_table_modules_describe(empty_database_url) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_head_revision_read_from_the_file_names_is_alembics() -> None:
    # upgrade() skips Alembic when the database is at head_revision(): it must be right.
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    for path in VERSIONS.glob("*.py"):
        declared = re.search(r"^revision = '(\w+)'$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert declared and path.name.startswith(f"{declared[1]}_"), path.name


def test_opening_a_database_at_the_head_revision_does_not_load_alembic(database_url) -> None:
    script = (
        "import sys\n"
        "from onhand.bootstrap import open_onhand\n"
        f"open_onhand({database_url!r}).close()\n"
        "assert 'alembic' not in sys.modules, 'alembic was loaded'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
