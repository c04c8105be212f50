"""Bundles, bills of materials, build orders, disassembly and lot genealogy."""
