"""The history's Dutch sentences (services/history.py), read back from the log of orders made in-process."""

from models import BoardColumn
from services import workorders
from services.db import Database
from services.history import work_order_history
from tests.factories import create_order


def test_a_status_change_names_the_new_status_as_the_pages_do(database: Database) -> None:
    order = create_order(database, "Fam. Status", "AB-123-C", "Remblokken")
    for column in (BoardColumn.ONDER_HANDEN, BoardColumn.WACHT_OP_ONDERDELEN, BoardColumn.KLAAR):
        workorders.move_to_column(database, order.id, column.value, actor=None)
    statuses = [entry.summary for entry in work_order_history(database, order.id) if entry.change_type == "status"]
    assert statuses == [
        "De status is nu In uitvoering",
        "De status is nu Wacht op onderdelen",
        "De status is nu Gereed",
    ]
