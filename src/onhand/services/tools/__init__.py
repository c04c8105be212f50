"""Tools around the business actions: CSV imports and the demo company."""
