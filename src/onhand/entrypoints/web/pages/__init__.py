"""The pages, one module per area: sign-in, dashboard, items, receiving, API docs."""
