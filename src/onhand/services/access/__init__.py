"""API keys, roles, user accounts and their web sessions."""
