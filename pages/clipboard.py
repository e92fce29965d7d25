"""Copy a text to the clipboard from a button, also where the page is not a secure context (the shop's own
network over plain http), and say whether it worked."""

import json

from nicegui import ui

# The Clipboard API exists only on https or localhost; elsewhere a selected textarea and execCommand still copy.
_COPY_JS = """(async (text) => {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
  } catch (error) {}
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (error) {}
  area.remove();
  return copied;
})(%s)"""


async def copy_text(text: str, done: str) -> None:
    if await ui.run_javascript(_COPY_JS % json.dumps(text)):
        ui.notify(done, type="positive")
    else:
        ui.notify(f"Kopiëren lukte niet; selecteer en kopieer zelf: {text}", type="warning", multi_line=True)
