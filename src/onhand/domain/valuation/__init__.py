"""What stock is worth: cost layers, costing methods, backdating, opening valuation."""
