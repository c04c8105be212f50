"""Traceability: where a lot came from, where it went (through builds), and recalls."""
