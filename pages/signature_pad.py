"""The signature canvas: a small Vue component of our own (pointer events work for finger, pen and mouse)."""

from typing import cast

from nicegui import ui


class SignaturePad(ui.element, component="signature_pad.js"):
    def erase(self) -> None:
        self.run_method("clear")

    async def png_data_url(self) -> str | None:
        """The drawing as a PNG data URL, or None while nothing is drawn."""
        return cast(str | None, await self.run_method("toDataURL"))
