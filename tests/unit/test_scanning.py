"""Parsing scanned barcodes: GTINs and GS1 element strings in every form a scanner sends."""

from datetime import date
from decimal import Decimal

import pytest

from onhand.domain.catalog.scanning import gs1_date, parse_scan
from onhand.domain.errors import InvalidInput

GS = "\x1d"


def test_a_gs1_128_scan_with_fnc1_separators_gives_gtin_expiry_lot_serial_and_count():
    scan = parse_scan(f"]C1010703206980498817250600{GS}10ABC123{GS}2112345{GS}3712")
    assert (scan.gtin, scan.expiry_date, scan.lot, scan.serial, scan.count, scan.symbology) == (
        "07032069804988", date(2025, 6, 30), "ABC123", "12345", Decimal(12), "]C1")


def test_a_gs1_datamatrix_scan_with_fixed_length_fields_needs_no_separator():
    scan = parse_scan("]d201095011015300031728022910LOT42")
    assert (scan.gtin, scan.expiry_date, scan.lot) == ("09501101530003", date(2028, 2, 29), "LOT42")


def test_a_gs1_qr_code_and_a_leading_fnc1_are_accepted():
    assert parse_scan(f"]Q3{GS}0109501101530003{GS}10B1").lot == "B1"


def test_the_human_readable_form_with_parentheses_is_accepted():
    scan = parse_scan("(01)09501101530003(11)260115(17)270100(10)B-9(30)48")
    assert (scan.production_date, scan.expiry_date, scan.lot, scan.count) == (
        date(2026, 1, 15), date(2027, 1, 31), "B-9", Decimal(48))
    assert scan.elements[0] == ("01", "09501101530003")


def test_a_logistic_unit_label_names_its_contents_by_ai_02_and_37():
    scan = parse_scan("]C1000123456789012345680209501101530003" + "3724")
    assert (scan.gtin, scan.count) == ("09501101530003", Decimal(24))


@pytest.mark.parametrize(
    ("yymmdd", "expected"),
    [("250600", date(2025, 6, 30)), ("240200", date(2024, 2, 29)), ("230200", date(2023, 2, 28)),
     ("261200", date(2026, 12, 31)), ("260415", date(2026, 4, 15))],
)
def test_day_00_means_the_last_day_of_the_month(yymmdd, expected):
    assert gs1_date(yymmdd) == expected
    assert parse_scan(f"(01)09501101530003(17){yymmdd}").expiry_date == expected


@pytest.mark.parametrize(
    ("code", "gtin"),
    [("5901234123457", "05901234123457"), ("036000291452", "00036000291452"), ("96385074", "00000096385074"),
     ("]E05901234123457", "05901234123457"), ("10012345678902", "10012345678902")],
)
def test_a_bare_gtin_of_any_length_is_read_as_gtin_14(code, gtin):
    assert parse_scan(code).gtin == gtin


@pytest.mark.parametrize(
    "code",
    ["5901234123458", "0107032069804989", "(01)07032069804989", "(17)251301", "(17)250231", "hello", "",
     "]C1", "(01)0703206980498", "(10)A(10)B", "(30)0"],
)
def test_a_malformed_code_is_refused_naming_the_field(code):
    with pytest.raises(InvalidInput) as caught:
        parse_scan(code, "lines[0].barcode")
    assert caught.value.field == "lines[0].barcode"


def test_a_wrong_gtin_check_digit_says_which_digit_was_expected():
    with pytest.raises(InvalidInput, match="expected 7"):
        parse_scan("5901234123458")


@pytest.mark.parametrize("count", ["\u0661\u0662", "\uff11\uff12"])
def test_a_scanned_count_in_digits_of_another_script_is_refused(count):
    with pytest.raises(InvalidInput, match="ASCII digits") as error:
        parse_scan(f"(01)07032069804988(30){count}")
    assert error.value.field == "barcode"
