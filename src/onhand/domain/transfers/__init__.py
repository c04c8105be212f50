"""Transfer orders through transit, and the routes between places."""
