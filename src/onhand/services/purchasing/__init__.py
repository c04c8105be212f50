"""Suppliers and their prices, purchase orders, receiving, landed costs, returns to suppliers."""
