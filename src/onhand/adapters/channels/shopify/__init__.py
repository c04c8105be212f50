"""Shopify: webhook signatures and payloads (pure), the GraphQL Admin API transport."""
