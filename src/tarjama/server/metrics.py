"""``/metrics`` (``--metrics``): Prometheus metrics with prometheus-client.

Each app has its own collector registry (two apps in one process never mix counts):

- requests by route, method and status, their latency, and those in flight;
- characters and texts translated by API and pair; sentences of /v1/translate by origin;
- memory hits and glossary hits (segments), fidelity issues by check and severity;
- per model: the engine's queue depth, the jobs and sentences of each engine call;
- the translation cache's hits and misses, and scoring requests waiting.

With ``--metrics-auth-token``, a scrape must send ``Authorization: Bearer TOKEN``
(LibreTranslate's rule); otherwise 401.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ..document import TranslatedDocument
from .errors import ApiError

if TYPE_CHECKING:
    from .cache import TranslationCache
    from .registry import Registry
    from .scoring import ScoringPool

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.requests = Counter(
            "tarjama_http_requests", "Requests answered", ["route", "method", "status"], registry=r
        )
        self.latency = Histogram(
            "tarjama_http_request_duration_seconds",
            "Time from the request to the end of the answer",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge(
            "tarjama_http_requests_in_flight", "Requests being answered", registry=r
        )
        self.characters = Counter(
            "tarjama_translated_characters",
            "Characters of source text translated",
            ["api", "source", "target"],
            registry=r,
        )
        self.texts = Counter(
            "tarjama_translated_texts",
            "Texts (items of q, documents) translated",
            ["api", "source", "target"],
            registry=r,
        )
        self.segments = Counter(
            "tarjama_translated_sentences",
            "Sentences of /v1/translate by origin (model, memory, glossary, model+glossary)",
            ["origin"],
            registry=r,
        )
        self.memory_hits = Counter(
            "tarjama_memory_hits", "Sentences filled from the translation memory", registry=r
        )
        self.glossary_hits = Counter(
            "tarjama_glossary_hits", "Sentences the glossary filled or repaired", registry=r
        )
        self.issues = Counter(
            "tarjama_fidelity_issues",
            "Issues the fidelity checks found",
            ["check", "severity"],
            registry=r,
        )
        self.batch_jobs = Histogram(
            "tarjama_engine_batch_jobs",
            "Requests served by one engine call",
            ["model"],
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.batch_sentences = Histogram(
            "tarjama_engine_batch_sentences",
            "Sentences decoded in one engine call",
            ["model"],
            buckets=BATCH_BUCKETS,
            registry=r,
        )

    def watch(self, registry: Registry, cache: TranslationCache, scoring: ScoringPool) -> None:
        """Read queue depths, the cache and the scoring pool at each scrape."""
        self.registry.register(_Live(registry, cache, scoring))
        for model in registry.models:
            model.coalescer.on_batch = self.observe_batch

    def observe_batch(self, model: str, jobs: int, sentences: int) -> None:
        self.batch_jobs.labels(model).observe(jobs)
        self.batch_sentences.labels(model).observe(sentences)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def translated(self, api: str, source: str, target: str, texts: list[str]) -> None:
        self.characters.labels(api, source, target).inc(sum(len(t) for t in texts))
        self.texts.labels(api, source, target).inc(len(texts))

    def document(self, doc: TranslatedDocument) -> None:
        """What one /v1/translate answer did: origins, memory and glossary, issues."""
        for seg in doc.segments:
            if not seg.origin:
                continue
            self.segments.labels(seg.origin).inc()
            if seg.origin == "memory":
                self.memory_hits.inc()
            if "glossary" in seg.origin:
                self.glossary_hits.inc()
        for issue in doc.issues:
            self.issues.labels(issue.check, issue.severity).inc()

    def checked(self, issues: list[Any]) -> None:
        for issue in issues:
            self.issues.labels(issue.check, issue.severity).inc()


class _Live(Collector):
    """Values read when scraped rather than counted as they happen."""

    def __init__(self, registry: Registry, cache: TranslationCache, scoring: ScoringPool):
        self._registry = registry
        self._cache = cache
        self._scoring = scoring

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "tarjama_engine_queue_depth", "Jobs waiting for the engine", labels=["model"]
        )
        for m in self._registry.models:
            depth.add_metric([m.name], m.coalescer.pending)
        yield depth
        yield CounterMetricFamily(
            "tarjama_translation_cache_hits", "Answers served from the cache", self._cache.hits
        )
        yield CounterMetricFamily(
            "tarjama_translation_cache_misses", "Cacheable answers not found", self._cache.misses
        )
        yield GaugeMetricFamily(
            "tarjama_translation_cache_entries", "Answers in the cache", len(self._cache)
        )
        yield GaugeMetricFamily(
            "tarjama_scoring_pending",
            "/v1/evaluate requests scoring or waiting",
            self._scoring.pending,
        )


router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics (only with --metrics)."""
    state = request.app.state.server
    token = state.settings.metrics_auth_token
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise ApiError(401, "Unauthorized")
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
