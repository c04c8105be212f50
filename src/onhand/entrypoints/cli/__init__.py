"""The `onhand` command line: Typer commands that parse, call one service, render.

`main.py` holds the application and the global `--database-url` option; each other
module holds the commands of one concept. No business rule lives here, and nothing
below `onhand.services` (tables, repositories, SQLAlchemy) is imported.
"""
