"""NiceGUI pages: render, call services, subscribe to the broadcaster. Importing this registers them."""

from pages import access, board, display, live, login, warehouse, workorders

__all__ = ["access", "board", "display", "live", "login", "warehouse", "workorders"]
