"""What stock is and where it can be: company settings, items and units, locations, lots, reasons, scanned codes."""
