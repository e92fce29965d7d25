"""Licence plates: RDW form for storage, dashed form for people."""

import pytest

from services.errors import Invalid
from services.plates import format_plate, normalize_plate


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("ab-123-c", "AB123C"), (" 12 ABC 3 ", "12ABC3"), ("vtk.88.z", "VTK88Z"), ("D-123-456", "D123456")],
)
def test_normalize(raw: str, stored: str) -> None:
    assert normalize_plate(raw) == stored


@pytest.mark.parametrize("raw", ["", "  ", "AB_123", "ÄB-12-CD", "A" * 11])
def test_normalize_refuses(raw: str) -> None:
    with pytest.raises(Invalid):
        normalize_plate(raw)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("AB123C", "AB-123-C"), ("12ABC3", "12-ABC-3"), ("ABCD12", "AB-CD-12"), ("12ABCD", "12-AB-CD"),
     ("AB12CD", "AB-12-CD"), ("1ABC23", "1-ABC-23"), ("VTK88Z", "VTK-88-Z"), ("D123456", "D123456")],
)  # fmt: skip
def test_format(stored: str, shown: str) -> None:
    assert format_plate(stored) == shown


SIDECODES = {  # the RDW's fourteen sidecodes of six-character plates, in their own order
    1: "AB-12-34", 2: "12-34-AB", 3: "12-AB-34", 4: "AB-12-CD", 5: "AB-CD-12", 6: "12-AB-CD", 7: "12-ABC-3",
    8: "1-ABC-23", 9: "AB-123-C", 10: "A-123-BC", 11: "ABC-12-D", 12: "A-12-BCD", 13: "1-AB-234", 14: "123-AB-4",
}  # fmt: skip


@pytest.mark.parametrize(("sidecode", "shown"), SIDECODES.items())
def test_every_sidecode_shows_its_own_dashes(sidecode: int, shown: str) -> None:
    assert format_plate(normalize_plate(shown)) == shown, f"sidecode {sidecode}"
