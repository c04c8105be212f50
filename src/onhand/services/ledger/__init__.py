"""The quantity ledger: postings, adjustments, counts, relocations, and proving the books."""
