"""Route modules, one per concept; each exposes `router`, mounted by `app.create_app`."""
