"""What this process exposes to Prometheus at GET /metrics, in a registry of its own rather than the client's
global one: nothing else (no library, no second app in a test) can add to it or collide with its names."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

RDW_OUTCOMES = ("ok", "unknown", "unreachable")
# From a local hand-over (about a millisecond) to a stream that lags badly (seconds): a bucket per step.
DELIVERY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

disable_created_metrics()  # no *_created series: Prometheus needs none of them here, and each is one more to store
registry = CollectorRegistry()

sse_streams = Gauge("werkplaats_sse_streams", "Open SSE streams in this process", registry=registry)
page_clients = Gauge("werkplaats_page_clients", "Open NiceGUI page clients in this process", registry=registry)
events_published = Counter(
    "werkplaats_events",
    "Events this process's broadcaster published (on PostgreSQL: read from the shared log)",
    registry=registry,
)
event_delivery_seconds = Histogram(
    "werkplaats_event_delivery_seconds",
    "Seconds from a commit's events reaching this process's broadcaster to their hand-over to an SSE stream",
    buckets=DELIVERY_BUCKETS,
    registry=registry,
)
notifications_pending = Gauge(
    "werkplaats_notifications_pending",
    "E-mail notifications waiting to be sent (queued or waiting for a retry)",
    registry=registry,
)
rdw_requests = Counter(
    "werkplaats_rdw_requests",
    "RDW lookups by outcome: ok, unknown (plate not registered), unreachable",
    ["outcome"],
    registry=registry,
)
for _outcome in RDW_OUTCOMES:
    rdw_requests.labels(_outcome)  # every outcome from the start, at 0: a rate() needs the series to exist
