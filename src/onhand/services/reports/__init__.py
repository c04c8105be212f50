"""Reports across areas: stock levels and movement history."""
