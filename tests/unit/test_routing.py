"""Order routing on plain values: which site(s) ship an order, and why."""

from decimal import Decimal

from onhand.domain.orders.routing import Assignment, ShipTo, Site, distance_km, nearness, route, zone_tier

W, T = 1, 2  # item ids
BROOKLYN = ShipTo(country="US", region="NY", postcode="11201", latitude=40.69, longitude=-73.99)


def stock(**by_site):
    """route()'s `available` from keyword arguments: site id as `s<id>` -> {item: qty}."""
    return {int(name[1:]): {item: Decimal(q) for item, q in items.items()} for name, items in by_site.items()}


def needs(**by_item):
    return {{"W": W, "T": T}[name]: Decimal(q) for name, q in by_item.items()}


def plan_of(plan):
    return sorted((a.site_id, a.item_id, a.quantity) for a in plan.assignments)


NEWARK = Site(1, "NWK", country="US", region="NJ", latitude=40.73, longitude=-74.17)
LA = Site(2, "LAX", country="US", region="CA", latitude=34.05, longitude=-118.24)
TORONTO = Site(3, "YYZ", country="CA", region="ON", latitude=43.65, longitude=-79.38)


def test_one_site_that_can_ship_everything_beats_a_nearer_split():
    # Newark is nearest but has only the widget; LA has both, so LA ships the whole order.
    plan = route(
        needs(W=2, T=1),
        stock(s1={W: 5}, s2={W: 5, T: 5}),
        [NEWARK, LA],
        BROOKLYN,
    )
    assert plan_of(plan) == [(2, W, 2), (2, T, 1)]
    assert not plan.split
    assert plan.explanation == "LAX can ship the whole order and is the nearest that can"


def test_of_the_sites_that_can_ship_everything_the_nearest_wins():
    plan = route(needs(W=2), stock(s1={W: 5}, s2={W: 5}), [LA, NEWARK], BROOKLYN)
    assert plan_of(plan) == [(1, W, 2)]
    assert "NWK" in plan.explanation


def test_a_postcode_zone_beats_a_region_which_beats_the_country_which_beats_elsewhere():
    ship_to = ShipTo(country="US", region="NY", postcode="11201")
    postcode = Site(1, "ZIP", zones=("US:112",))
    region = Site(2, "REG", zones=("US-NY",))
    country = Site(3, "CTRY", zones=("US",))
    elsewhere = Site(4, "AAA")
    assert [zone_tier(s, ship_to)[0] for s in (postcode, region, country, elsewhere)] == [0, 1, 2, 3]
    everyone = stock(s1={W: 1}, s2={W: 1}, s3={W: 1}, s4={W: 1})
    for sites, winner in (
        ([elsewhere, country, region, postcode], 1),
        ([elsewhere, country, region], 2),
        ([elsewhere, country], 3),
    ):
        assert plan_of(route(needs(W=1), everyone, sites, ship_to)) == [(winner, W, 1)]


def test_a_longer_postcode_prefix_is_nearer_than_a_shorter_one():
    ship_to = ShipTo(country="US", postcode="11201")
    broad = Site(1, "A", zones=("US:1",))
    narrow = Site(2, "B", zones=("US:112",))
    assert nearness(narrow, ship_to) < nearness(broad, ship_to)
    assert plan_of(route(needs(W=1), stock(s1={W: 1}, s2={W: 1}), [broad, narrow], ship_to)) == [(2, W, 1)]


def test_a_postcode_zone_of_another_country_does_not_count():
    ship_to = ShipTo(country="CA", postcode="11201")
    assert zone_tier(Site(1, "A", zones=("US:112",)), ship_to) == (3, 0)


def test_zones_and_addresses_compare_case_and_space_insensitively():
    ship_to = ShipTo(country="us", region="ny", postcode="112 01")
    assert zone_tier(Site(1, "A", zones=("US:11201",)), ship_to)[0] == 0
    assert zone_tier(Site(2, "B", zones=("us-ny",)), ship_to)[0] == 1
    assert zone_tier(Site(3, "C", country="US", region="NY"), ship_to)[0] == 1
    assert zone_tier(Site(4, "D", country="US", region="CA"), ship_to)[0] == 2


def test_a_site_in_the_same_region_by_address_is_nearer_than_one_in_the_same_country():
    ship_to = ShipTo(country="US", region="NJ")
    assert zone_tier(NEWARK, ship_to) == (1, 0)
    assert zone_tier(LA, ship_to) == (2, 0)
    assert zone_tier(TORONTO, ship_to) == (3, 0)


def test_within_a_tier_the_shorter_great_circle_distance_wins():
    # Both in the US, neither in NY: the country tier. Newark is ~15 km away, LA ~3,900 km.
    ship_to = ShipTo(country="US", latitude=40.69, longitude=-73.99)
    assert 10 < distance_km(NEWARK, ship_to) < 25
    assert 3_900 < distance_km(LA, ship_to) < 4_000
    plan = route(needs(W=1), stock(s1={W: 1}, s2={W: 1}), [LA, NEWARK], ship_to)
    assert plan_of(plan) == [(1, W, 1)]


def test_the_haversine_distance_is_right_for_known_cities():
    london = Site(1, "LON", latitude=51.5074, longitude=-0.1278)
    paris = ShipTo(latitude=48.8566, longitude=2.3522)
    assert abs(distance_km(london, paris) - 343.5) < 2


def test_a_nearer_tier_beats_a_shorter_distance():
    # Toronto is physically nearer to Buffalo than LA, but LA is in the same country.
    buffalo = ShipTo(country="US", region="NY", latitude=42.89, longitude=-78.88)
    assert distance_km(TORONTO, buffalo) < distance_km(LA, buffalo)
    plan = route(needs(W=1), stock(s2={W: 1}, s3={W: 1}), [TORONTO, LA], buffalo)
    assert plan_of(plan) == [(2, W, 1)]


def test_a_site_with_coordinates_is_nearer_than_one_without_in_the_same_tier():
    ship_to = ShipTo(country="US", latitude=40.0, longitude=-100.0)
    unknown = Site(1, "AAA", country="US")
    assert distance_km(unknown, ship_to) == float("inf")
    assert plan_of(route(needs(W=1), stock(s1={W: 1}, s2={W: 1}), [unknown, LA], ship_to)) == [(2, W, 1)]


def test_ties_go_to_the_lower_priority_number_then_to_the_code():
    ship_to = ShipTo(country="US")
    b_low = Site(1, "B", priority=5)
    a_high = Site(2, "A", priority=50)
    c_low = Site(3, "C", priority=5)
    all_three = stock(s1={W: 1}, s2={W: 1}, s3={W: 1})
    assert plan_of(route(needs(W=1), all_three, [a_high, c_low, b_low], ship_to)) == [(1, W, 1)]
    assert plan_of(route(needs(W=1), stock(s2={W: 1}, s3={W: 1}), [a_high, c_low], ship_to)) == [(3, W, 1)]
    assert plan_of(route(needs(W=1), stock(s1={W: 1}, s2={W: 1}), [Site(1, "B"), Site(2, "A")], ship_to)) == [
        (2, W, 1)
    ]


def test_an_order_is_split_only_when_no_single_site_can_ship_it_nearest_first():
    plan = route(needs(W=8), stock(s1={W: 5}, s2={W: 5}, s3={W: 5}), [TORONTO, LA, NEWARK], BROOKLYN)
    assert plan_of(plan) == [(1, W, 5), (2, W, 3)]
    assert plan.split
    assert plan.explanation == "no single location can ship the whole order; split across NWK, LAX"


def test_a_split_covers_each_item_from_the_nearest_site_that_has_it():
    plan = route(needs(W=2, T=2), stock(s1={W: 2}, s2={T: 2}), [LA, NEWARK], BROOKLYN)
    assert plan_of(plan) == [(1, W, 2), (2, T, 2)]
    assert plan.split


def test_what_no_site_can_ship_is_backordered_and_the_explanation_says_so():
    plan = route(needs(W=12), stock(s1={W: 5}, s2={W: 5}), [NEWARK, LA], BROOKLYN)
    assert sum(a.quantity for a in plan.assignments) == 10
    assert plan.explanation == (
        "no single location can ship the whole order; split across NWK, LAX; the rest is backordered"
    )


def test_one_site_with_too_little_ships_what_it_has_and_the_rest_is_backordered():
    plan = route(needs(W=12), stock(s2={W: 5}), [NEWARK, LA], BROOKLYN)
    assert plan.assignments == (Assignment(W, 2, Decimal(5)),)
    assert not plan.split
    assert plan.explanation == "only LAX has stock; the rest is backordered"


def test_with_no_stock_anywhere_everything_is_backordered():
    plan = route(needs(W=1), {}, [], BROOKLYN)
    assert plan.assignments == () and not plan.split
    assert plan.explanation == "no location has stock; the rest is backordered"


def test_a_need_of_zero_is_not_routed():
    plan = route(needs(W=0, T=1), stock(s1={T: 1}), [NEWARK], BROOKLYN)
    assert plan_of(plan) == [(1, T, 1)]


def test_an_order_without_an_address_goes_by_priority_then_code():
    plan = route(needs(W=1), stock(s1={W: 1}, s2={W: 1}), [NEWARK, Site(2, "AAA", priority=1)], ShipTo())
    assert plan_of(plan) == [(2, W, 1)]
