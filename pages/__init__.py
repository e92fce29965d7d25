"""NiceGUI pages: render, call services, subscribe to the broadcaster. Importing this registers them."""

from pages import home

__all__ = ["home"]
