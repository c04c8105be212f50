"""The domain core: pure rules about stock, with plain values.

Must not import any framework (SQLAlchemy, FastAPI, Typer, Pydantic) nor do I/O;
the import-linter contracts in pyproject.toml check it.
"""
