"""Counting in Dutch words (services/text.py): a real singular and plural, never "regel(s)"."""

from services.text import counted


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert [counted(n, "regel", "regels") for n in (0, 1, 2, 11)] == ["0 regels", "1 regel", "2 regels", "11 regels"]
    assert counted(1, "poging", "pogingen") == "1 poging"
    assert counted(5, "minuut", "minuten") == "5 minuten"
