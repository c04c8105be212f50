"""Sales channels: records and mappings, the inbox of their webhooks, availability out,
fulfilments back (docs/channels.md)."""
