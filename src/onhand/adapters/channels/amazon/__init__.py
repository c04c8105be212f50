"""Amazon Selling Partner API: LWA auth and HTTP calls (client.py), and the mapping of its
payloads (orders.py, flat_file.py, listings.py, inventory_report.py) to Onhand's records."""
