"""API keys and roles (users and sessions come here)."""
