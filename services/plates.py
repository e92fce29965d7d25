"""Dutch licence plates: stored in the RDW form (AB123C), shown in the dashed form (AB-123-C)."""

import re

from services.errors import Invalid

_SEPARATORS = re.compile(r"[\s\-.·]+")
_RDW = re.compile(r"[A-Z0-9]{1,10}")
_GROUPS = re.compile(r"[A-Z]+|[0-9]+")


def normalize_plate(raw: str) -> str:
    """Uppercase, no dashes or spaces; refuses anything that is not letters and digits."""
    plate = _SEPARATORS.sub("", raw or "").upper()
    if not _RDW.fullmatch(plate):
        raise Invalid("Kenteken moet uit 1 tot 10 letters en cijfers bestaan")
    return plate


def format_plate(plate: str) -> str:
    """The dashed form of a six-character Dutch plate (sidecodes 1-14); other plates are shown as stored."""
    groups = _GROUPS.findall(plate)
    if len(plate) != 6 or len(groups) == 1:
        return plate
    for index, group in enumerate(groups):
        if len(group) == 4:  # sidecodes 1-6: AB-CD-12, 12-AB-CD
            groups[index : index + 1] = [group[:2], group[2:]]
    return "-".join(groups)
