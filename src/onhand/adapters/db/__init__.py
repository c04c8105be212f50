"""The SQL database adapter: tables, engine set-up, repositories and migrations."""
