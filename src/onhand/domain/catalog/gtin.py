"""GTIN (EAN/UPC) validation by the GS1 mod-10 check digit.

The check digit is biip's (`gs1_standard_check_digit`, GS1 General Specifications
7.9.1), the library that already parses scanned element strings: one implementation.
"""

from __future__ import annotations

from onhand.domain.errors import InvalidInput

GTIN_LENGTHS = (8, 12, 13, 14)
__all__ = ["GTIN_LENGTHS", "check_digit", "normalize_gtin"]


def check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of `digits` (biip's; imported when first used: loading biip
    took 60 ms of every command's start)."""
    from biip.checksums import gs1_standard_check_digit

    return int(gs1_standard_check_digit(digits))


def normalize_gtin(value: str, field: str = "gtin") -> str:
    """Validate a GTIN-8/12/13/14 and return it as the 14-digit GTIN-14 form.

    Storing one form means a scanned UPC-A and the same EAN-13 find the same item.
    """
    digits = value.strip()
    # ASCII digits only: str.isdigit() takes any script's ('٠٧٠…'), which int() reads too.
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
        raise InvalidInput(field, f"{value!r} is not a GTIN (8, 12, 13 or 14 digits)")
    if check_digit(digits[:-1]) != int(digits[-1]):
        raise InvalidInput(
            field, f"{value!r} has a wrong check digit (expected {check_digit(digits[:-1])})"
        )
    return digits.zfill(14)
