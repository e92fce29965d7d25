"""A <div> that is its own Vue component: a change below it redraws it, not the page.

NiceGUI renders native elements (a div, a row, a column) inside the render of the nearest Vue component above
them, and hands every component it draws new slots, which makes Vue draw each of them again too. So a card
moving between two board columns drew the whole page in every browser, all 200 cards. With each column in a
boundary, a move draws the two columns it touches (bench/board_clients.py; README, "Speed as the open work
grows")."""

from nicegui import ui


class Boundary(ui.element, component="boundary.js"):
    pass
