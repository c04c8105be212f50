"""Sales orders: allocation, backorders, picking, packing and shipping, returns, waves."""
