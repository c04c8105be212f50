"""Sales channels: shops and marketplaces Onhand takes orders from and sends availability to."""
