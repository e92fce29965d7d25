"""The chrome every staff page shares: header with navigation, who is logged in, log-out and live status."""

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from pages.theme import NAVIGATION
from services.auth import Principal

# Counts running-session timers in the browser (mm:ss), and shows whether the page's connection is live. The
# console lines are the ones the README's Troubleshooting section tells a user to look for: the connection's
# ups and downs (NiceGUI's socket is the page's live channel); every update the page received is written by
# pages/live_console.js.
_BROWSER_SCRIPT = """
<script>
(() => {
  const watchConnection = () => {
    const socket = window.socket;
    if (!socket || socket.wpWatched) return;
    socket.wpWatched = true;
    const connected = () => console.log('✅ SSE verbonden - live updates actief');
    socket.on('connect', connected);
    socket.on('disconnect', () => console.log('❌ SSE verbinding verbroken, herverbinden...'));
    if (socket.connected) connected();  // it connected before this script saw the socket
  };
  const pad = (n) => String(n).padStart(2, '0');
  const format = (seconds) => {
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  };
  // Writes only what differs: an unchanged write is still a DOM mutation, and the observer below would answer it
  // with the next tick, every frame, repainting the page forever.
  const write = (el, text) => { if (el.textContent !== text) el.textContent = text; };
  const tick = () => {
    watchConnection();
    const now = Date.now();
    for (const el of document.querySelectorAll('[data-timer]')) {
      const started = Date.parse(el.dataset.timer);
      if (!isNaN(started)) write(el, format(Math.max(0, Math.floor((now - started) / 1000))));
    }
    const live = document.getElementById('live-status');
    if (live) {
      const online = !!(window.socket && window.socket.connected);
      if (live.dataset.online !== String(online)) {
        live.dataset.online = online;
        live.title = online ? 'Live verbonden' : 'Geen verbinding — wordt hersteld';
      }
      write(live.querySelector('span:last-child'), online ? 'live' : 'offline');
    }
  };
  setInterval(tick, 1000);
  // The board's drop carries the version a card showed when the drag began (see pages/board.py).
  document.addEventListener('pointerdown', (e) => {
    const card = e.target.closest && e.target.closest('[data-workorder-id][data-version]');
    if (card) window.wpDragVersion = Number(card.dataset.version);
  }, true);
  // A new timer shows its time at once (a frame would wait while the tab is in the background): one tick per
  // batch of changes, right after it.
  let queued = false;
  const observer = new MutationObserver(() => {
    if (!queued) { queued = true; queueMicrotask(() => { queued = false; tick(); }); }
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
<style>
  #live-status span:first-child {
    width: .6rem; height: .6rem; border-radius: 9999px; background: #9ca3af; display: inline-block;
  }
  #live-status[data-online="true"] span:first-child { background: #22c55e; box-shadow: 0 0 0 3px #22c55e40; }
  #live-status[data-online="false"] span:first-child { background: #ef4444; }
  .wp-flash { animation: wp-flash 1.6s ease-out; }
  @keyframes wp-flash { from { background-color: #fde68a; } to { background-color: transparent; } }
</style>
"""


def flash(element: ui.element) -> None:
    """Highlight a row that just changed (restarting the animation if it still runs)."""
    ui.run_javascript(
        f"const el = getHtmlElement({element.id}); if (el) {{ el.classList.remove('wp-flash'); "
        "void el.offsetWidth; el.classList.add('wp-flash'); }"
    )


def browser_helpers() -> None:
    ui.add_head_html(_BROWSER_SCRIPT)


@contextmanager
def frame(title: str, principal: Principal) -> Iterator[None]:
    """Draws the header, then yields for the page body."""
    ui.page_title(f"{title} · Werkplaats")
    browser_helpers()
    with ui.header().classes("items-center gap-4 bg-slate-800 text-white px-4 py-1"):
        ui.label("Werkplaats").classes("text-lg font-bold tracking-wide")
        with ui.row().classes("gap-1"):
            for label, path, roles in NAVIGATION:
                if principal.role in roles:
                    ui.link(label, path).classes(  # a finger's target on the workshop's tablets: 44 px high
                        "text-white no-underline px-3 min-h-[44px] inline-flex items-center rounded hover:bg-slate-700"
                    )
        ui.space()
        with ui.element("div").props("id=live-status").classes("flex items-center gap-2 text-sm"):
            ui.element("span")
            ui.element("span")
        ui.label(f"{principal.name} ({principal.role.value})").classes("text-sm opacity-80")
        ui.button("Uitloggen", on_click=lambda: ui.navigate.to("/auth/logout")).props("flat color=white").classes(
            "min-h-[44px]"
        )
    with ui.column().classes("w-full p-4 gap-4"):
        ui.label(title).classes("text-2xl font-semibold")
        yield
