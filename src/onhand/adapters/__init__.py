"""Adapters translate between Onhand and the outside: the database, files, channels."""
