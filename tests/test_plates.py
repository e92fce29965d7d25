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
