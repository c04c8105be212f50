"""The SQL of the traces, read by `TraceRepository` (traceability.py, which binds it per
dialect): the recursive queries over `lot_genealogy` that find the lots built from a lot
and the lots a lot was built from, however many build levels deep; what builds put into
lots and how much of them they made; the balances, shipments, returns, receipts,
supplier returns and moves of lots, each read by its `lot_id`; and the lots shipped on
an order.
"""

from __future__ import annotations

# Deeper than any real bill of materials; it stops a (corrupt) cycle from looping for ever.
MAX_DEPTH = 50

LOT_COLUMNS = (
    "l.id AS lot_id, l.code AS lot_code, l.status, l.expiry_date, l.supplier_lot, "
    "i.id AS item_id, i.sku, i.name AS item_name, i.unit_code"
)

# (origin, lot, depth): each lot built from an origin lot, at each depth it was reached.
DESCENDANTS = f"""
WITH RECURSIVE traced(origin_id, lot_id, depth) AS (
    SELECT id, id, 0 FROM lots WHERE id IN :origins
    UNION
    SELECT t.origin_id, g.parent_lot_id, t.depth + 1
    FROM traced t
    JOIN lot_genealogy g ON g.child_lot_id = t.lot_id
    JOIN build_runs r ON r.id = g.run_id AND r.kind = 'build'
    WHERE g.parent_lot_id IS NOT NULL AND t.depth < {MAX_DEPTH}
)
SELECT t.origin_id, MIN(t.depth) AS depth, MAX(t.depth) AS rank, {LOT_COLUMNS}
FROM traced t JOIN lots l ON l.id = t.lot_id JOIN items i ON i.id = l.item_id
GROUP BY t.origin_id, l.id, l.code, l.status, l.expiry_date, l.supplier_lot, i.id, i.sku, i.name, i.unit_code
ORDER BY t.origin_id, rank, l.id
"""

# The lots (and untracked items) a lot was built from, every level down.
ANCESTORS = f"""
WITH RECURSIVE traced(lot_id, depth) AS (
    SELECT id, 0 FROM lots WHERE id IN :origins
    UNION
    SELECT g.child_lot_id, t.depth + 1
    FROM traced t
    JOIN lot_genealogy g ON g.parent_lot_id = t.lot_id
    JOIN build_runs r ON r.id = g.run_id AND r.kind = 'build'
    WHERE g.child_lot_id IS NOT NULL AND t.depth < {MAX_DEPTH}
)
SELECT MIN(t.depth) AS depth, {LOT_COLUMNS}
FROM traced t JOIN lots l ON l.id = t.lot_id JOIN items i ON i.id = l.item_id
GROUP BY l.id, l.code, l.status, l.expiry_date, l.supplier_lot, i.id, i.sku, i.name, i.unit_code
ORDER BY depth, l.id
"""

# What went into each of these lots by builds: (parent lot, child item, child lot, quantity).
EDGES_INTO = """
SELECT g.parent_lot_id, g.child_lot_id, ci.sku AS child_sku, cl.code AS child_lot_code,
       SUM(g.quantity) AS quantity
FROM lot_genealogy g
JOIN build_runs r ON r.id = g.run_id AND r.kind = 'build'
JOIN items ci ON ci.id = g.child_item_id
LEFT JOIN lots cl ON cl.id = g.child_lot_id
WHERE g.parent_lot_id IN :lots
GROUP BY g.parent_lot_id, g.child_lot_id, ci.sku, cl.code
"""

# How much of each lot builds made.
PRODUCED = """
SELECT r.lot_id, SUM(r.quantity) AS quantity FROM build_runs r
WHERE r.kind = 'build' AND r.lot_id IN :lots GROUP BY r.lot_id
"""

BALANCES = """
SELECT b.lot_key AS lot_id, b.location_id, b.on_hand, b.reserved FROM balances b
WHERE b.item_id IN :items AND b.lot_key IN :lots AND b.on_hand <> 0
"""

_ORDER_COLUMNS = """
       o.reference AS order_reference, o.channel, o.customer AS customer_name, c.code AS customer_code,
       c.email AS customer_email, ol.line_no, o.ship_to_name, o.ship_to_line1, o.ship_to_line2,
       o.ship_to_city, o.ship_to_region, o.ship_to_postcode, o.ship_to_country
"""

SHIPPED = f"""
SELECT sl.lot_id, sl.location_id, sl.quantity, s.id AS shipment_id, p.effective_at AS at, {_ORDER_COLUMNS}
FROM shipment_lines sl
JOIN shipments s ON s.id = sl.shipment_id
JOIN postings p ON p.id = s.posting_id
JOIN sales_order_lines ol ON ol.id = sl.order_line_id
JOIN sales_orders o ON o.id = ol.order_id
LEFT JOIN customers c ON c.id = o.customer_id
WHERE sl.lot_id IN :lots
ORDER BY p.effective_at, s.id, sl.id
"""

RETURNED = f"""
SELECT rl.lot_id, rl.location_id, rl.quantity, rt.reference AS return_reference, p.effective_at AS at,
       {_ORDER_COLUMNS}
FROM return_lines rl
JOIN returns rt ON rt.id = rl.return_id
JOIN postings p ON p.id = rt.posting_id
JOIN sales_order_lines ol ON ol.id = rl.order_line_id
JOIN sales_orders o ON o.id = ol.order_id
LEFT JOIN customers c ON c.id = o.customer_id
WHERE rl.lot_id IN :lots
ORDER BY p.effective_at, rt.id, rl.id
"""

RECEIVED = """
SELECT rl.lot_id, rl.location_id, rl.quantity, rc.reference AS receipt_reference,
       rc.delivery_reference, p.effective_at AS at, po.reference AS purchase_order,
       po.supplier_reference, s.code AS supplier_code, s.name AS supplier_name
FROM receipt_lines rl
JOIN receipts rc ON rc.id = rl.receipt_id
JOIN postings p ON p.id = rc.posting_id
JOIN purchase_orders po ON po.id = rc.order_id
JOIN suppliers s ON s.id = po.supplier_id
WHERE rl.lot_id IN :lots
ORDER BY p.effective_at, rc.id, rl.id
"""

SENT_BACK = """
SELECT srl.lot_id, srl.location_id, srl.quantity, sr.reference AS return_reference, p.effective_at AS at,
       po.reference AS purchase_order, s.code AS supplier_code, s.name AS supplier_name
FROM supplier_return_lines srl
JOIN supplier_returns sr ON sr.id = srl.return_id
JOIN postings p ON p.id = sr.posting_id
JOIN purchase_orders po ON po.id = sr.order_id
JOIN suppliers s ON s.id = po.supplier_id
WHERE srl.lot_id IN :lots
ORDER BY p.effective_at, sr.id, srl.id
"""

MOVES = """
SELECT m.id AS move_id, m.lot_id, m.from_location_id, m.to_location_id, m.quantity,
       p.id AS posting_id, p.kind, p.reference, p.effective_at AS at
FROM moves m JOIN postings p ON p.id = m.posting_id
WHERE m.lot_id IN :lots
ORDER BY p.effective_at, m.id
"""

# Net quantities of these lots between each pair of places: where every unit went.
MOVE_TOTALS = """
SELECT m.lot_id, m.from_location_id, m.to_location_id, SUM(m.quantity) AS quantity
FROM moves m WHERE m.lot_id IN :lots
GROUP BY m.lot_id, m.from_location_id, m.to_location_id
"""

SHIPPED_LOTS = """
SELECT DISTINCT sl.lot_id FROM shipment_lines sl
JOIN sales_order_lines ol ON ol.id = sl.order_line_id
JOIN sales_orders o ON o.id = ol.order_id
WHERE sl.lot_id IS NOT NULL AND {where}
"""
