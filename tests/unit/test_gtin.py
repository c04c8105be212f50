import pytest

from onhand.domain.catalog.gtin import check_digit, normalize_gtin
from onhand.domain.errors import InvalidInput


@pytest.mark.parametrize(
    "gtin",
    [
        "4006381333931",  # EAN-13
        "036000291452",  # UPC-A
        "96385074",  # EAN-8
        "10614141000415",  # GTIN-14
    ],
)
def test_real_gtins_pass_their_check_digit(gtin):
    assert normalize_gtin(gtin) == gtin.zfill(14)


def test_a_upc_and_its_ean13_form_are_the_same_gtin():
    assert normalize_gtin("036000291452") == normalize_gtin("0036000291452")


def test_a_wrong_check_digit_is_refused_with_the_expected_digit():
    with pytest.raises(InvalidInput, match=r"expected 1"):
        normalize_gtin("4006381333932")


@pytest.mark.parametrize("text", ["12345", "ABCDEFGHIJKLM", "400638133393X", ""])
def test_strings_that_are_not_gtins_are_refused(text):
    with pytest.raises(InvalidInput):
        normalize_gtin(text)


def test_check_digit_is_the_gs1_mod_10():
    assert check_digit("400638133393") == 1
    assert check_digit("03600029145") == 2


def test_a_gtin_in_digits_of_another_script_is_refused():
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "07032069804988")
    with pytest.raises(InvalidInput, match="not a GTIN"):
        normalize_gtin(arabic_indic)
