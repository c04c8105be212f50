"""Sales channels' adapters: the secrets of a channel, and per kind the mapping of its
payloads to Onhand's documents (pure) apart from the HTTP transport."""
