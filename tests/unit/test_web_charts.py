"""Chart geometry (entrypoints/web/charts.py): bars stand on zero in proportion to their
values, negative ones hang below it, a line runs from the left edge to the right."""

from decimal import Decimal

from onhand.entrypoints.web.charts import LEFT, PLOT_H, PLOT_W, TOP, bar_chart, line_chart


def test_bars_are_as_tall_as_their_values_and_stand_on_the_foot_of_the_plot():
    chart = bar_chart([("WH", Decimal(300)), ("STORE", Decimal(150)), ("EMPTY", Decimal(0))])
    tall, half, empty = chart.bars
    assert (chart.top, chart.bottom) == (300, 0)
    assert tall.height == PLOT_H and half.height == PLOT_H / 2 and empty.height == 0
    assert tall.y + tall.height == half.y + half.height == TOP + PLOT_H
    assert tall.x < half.x < empty.x and (chart.first_label, chart.last_label) == ("WH", "EMPTY")


def test_a_negative_bar_hangs_below_zero():
    up, down = bar_chart([("a", Decimal(30)), ("b", Decimal(-10))]).bars
    zero = up.y + up.height
    assert down.y == zero and down.height == up.height / 3


def test_nothing_to_draw_draws_an_empty_plot():
    assert bar_chart([]).bars == () and line_chart([]).points == ""
    flat = bar_chart([("a", Decimal(0))])
    assert flat.top == 1 and flat.bars[0].height == 0


def test_a_line_runs_across_the_plot():
    chart = line_chart([("03-01", Decimal(0)), ("03-02", Decimal(20)), ("03-03", Decimal(10))])
    points = [tuple(map(float, p.split(","))) for p in chart.points.split()]
    assert points == [(LEFT, TOP + PLOT_H), (LEFT + PLOT_W / 2, TOP), (LEFT + PLOT_W, TOP + PLOT_H / 2)]
