"""Style constants in one place: column order, status names and colours, navigation."""

from models import STATUS_WORDS, BoardColumn, NotificationStatus, PartStatus, Role, WorkOrderStatus

COLUMNS = [column.value for column in BoardColumn]

STATUS_LABELS = {status: words.capitalize() for status, words in STATUS_WORDS.items()}

STATUS_COLORS = {  # Quasar colour names
    WorkOrderStatus.NIEUW: "grey-7",
    WorkOrderStatus.GOEDGEKEURD: "blue-7",
    WorkOrderStatus.IN_UITVOERING: "orange-8",
    WorkOrderStatus.WACHT_OP_ONDERDELEN: "red-7",
    WorkOrderStatus.GEREED: "green-7",
    WorkOrderStatus.AFGEROND: "blue-grey-6",
}

APPROVAL_CLASSES = "text-xs font-medium w-fit rounded px-1.5 bg-amber-100 text-amber-900"  # "Toestemming nodig"

OVERRUN_CLASSES = "text-xs font-medium w-fit rounded px-1.5 bg-red-100 text-red-800"  # "loopt uit"

PLATE_CLASSES = "font-mono font-bold bg-yellow-300 text-black px-1.5 rounded border border-black w-fit"  # a Dutch plate

COLUMN_ACCENTS = {  # Tailwind border colours per board column
    "Gepland": "border-gray-400",
    "Auto binnen": "border-blue-500",
    "Onder handen": "border-orange-500",
    "Wacht op onderdelen": "border-red-500",
    "Klaar": "border-green-600",
    "Afgerond": "border-slate-400",
}

NAVIGATION = [  # (label, path, roles that see it)
    ("Werkorders", "/admin/workorders", {Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN}),
    ("Werkoverzicht", "/admin/workoverzicht", {Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN}),
    ("Planning", "/admin/planning", {Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN}),
    ("Facturen", "/admin/facturen", {Role.ADMIN}),  # open invoices: who owes what
    ("Dashboard", "/admin/dashboard", {Role.ADMIN}),  # the shop's numbers, live, and the accountant's exports
    ("Magazijn", "/magazijn", {Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN}),
    ("iPad", "/admin/ipad", {Role.ADMIN}),  # a preview and the pairing link; the iPad itself opens /display
    ("Verbindingen", "/admin/verbindingen", {Role.ADMIN}),
    ("Instellingen", "/admin/instellingen", {Role.ADMIN}),
]

HOME_BY_ROLE = {
    Role.ADMIN: "/admin/workorders",
    Role.MONTEUR: "/admin/workoverzicht",
    Role.MAGAZIJN: "/magazijn",
    Role.DISPLAY: "/display",
}


def work_order_path(work_order_id: int) -> str:
    """The work order's own page: every row and card links to it."""
    return f"/admin/workorders/{work_order_id}"


PART_STATUS_COLORS = {  # Quasar colour names per part status
    PartStatus.NODIG: "red-7",
    PartStatus.BESTELD: "orange-8",
    PartStatus.ONTVANGEN: "green-7",
    PartStatus.GEMONTEERD: "blue-grey-6",
    PartStatus.RETOUR: "grey-6",
}

NO_SUPPLIER = "Geen leverancier"  # the parts desk's heading for parts nobody named a supplier for

TOUCH_BUTTON = "unelevated no-caps size=lg padding='sm lg'"  # a button a finger hits on a tablet

TOUCH_TARGET = "inline-flex items-center justify-center min-h-[44px] min-w-[44px]"  # at least 44×44 px for a finger
CARD_BUTTON = "unelevated no-caps"  # a board card's button (no `padding` prop: it would zero the minimum size)
CARD_BUTTON_CLASSES = f"{TOUCH_TARGET} px-2.5"  # two fit side by side on a card at 1024 px

WORK_COLUMNS = {"Auto binnen", "Onder handen"}  # where the work happens: the board offers "Start" only there

NOTIFICATION_STATUS_COLORS = {  # Quasar colour names per e-mail status
    NotificationStatus.WACHTRIJ: "orange-8",
    NotificationStatus.VERZONDEN: "green-7",
    NotificationStatus.MISLUKT: "red-7",
    NotificationStatus.UIT: "grey-6",
}

# "klant kijkt mee": a status page of the order is open on the customer's phone (pages.presence_badge).
VIEWING_CLASSES = "text-xs font-medium w-fit rounded px-1.5 bg-sky-100 text-sky-900"
