"""Adapters of the sales channels: each kind's transport and payload mapping."""
