"""The workspace's model policy: what is installed, which model a pair gets, and how a
model is opened as an engine (a helper never translates, the beam is capped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..engines import Engine
from ..engines.loader import check_endpoint, load_endpoint, load_engine, load_generator
from ..errors import ConfigError, NoModelForPair
from ..pipeline.guard import GuardedEngine
from ..store import (
    CATALOGUE,
    DEFAULTS,
    ENDPOINT_FAMILY,
    GENERATOR_FAMILY,
    LLM_FAMILIES,
    Manifest,
    ModelStore,
)
from ..store.pull import pull

#: The widest beam anyone may ask for, in the CLI, the server and the library alike: each
#: step costs memory in proportion, and a beam of a million takes gigabytes before the
#: first token.
MAX_BEAM = 16


def check_beam(beam: int) -> None:
    if not 1 <= beam <= MAX_BEAM:
        raise ConfigError(f"beam must be between 1 and {MAX_BEAM}, not {beam}")


class HomeModels:
    """Part of :class:`~tarjama.workspace.Workspace`: the models in ``self.models``."""

    home: Path
    models: ModelStore

    # -- what is installed -----------------------------------------------------------

    def installed_models(self) -> list[Manifest]:
        """Every installed model's manifest, helpers included, by name."""
        return self.models.manifests()

    def installed_translators(self) -> list[str]:
        """The installed models that translate (never a helper), by name."""
        return [m.name for m in self.models.manifests() if m.role == "translator"]

    def model_manifest(self, name: str) -> Manifest:
        """An installed model's manifest."""
        return self.models.manifest(name)

    @property
    def models_root(self) -> Path:
        """Where installed models live (``home/models``)."""
        return self.models.root

    def model_for(self, source: str, target: str) -> str:
        """The installed translator for a pair: the catalogue's default for it when it is
        installed, else the installed catalogue model best for the pair, else the first
        other installed translator by name. Never a helper."""
        found = [
            m.name
            for m in self.models.manifests()
            if m.role == "translator" and (source, target) in m.pairs
        ]
        if not found:
            raise NoModelForPair(source, target, DEFAULTS.get((source, target)))

        def rank(name: str) -> tuple[int, float, str]:
            entry = CATALOGUE.get(name)
            quality = entry.quality(source, target) if entry else 0.0
            return (DEFAULTS.get((source, target)) != name, -quality, name)

        return min(found, key=rank)

    # -- changing what is installed --------------------------------------------------

    def add_model(self, directory: str | Path, name: str, **options: Any) -> Manifest:
        """Install a model directory or a transformers checkpoint, and prove it loads: a
        model that cannot load is removed again, with the reason."""
        manifest = self.models.add(directory, name, **options)
        try:
            if manifest.family == GENERATOR_FAMILY:
                load_generator(name, home=self.home, device="cpu")
            else:
                load_engine(name, home=self.home, device="cpu")
        except Exception:
            self.models.remove(name)
            raise
        return manifest

    def add_endpoint(
        self,
        name: str,
        *,
        url: str,
        model: str,
        profile: str = "generic",
        api_key_env: str | None = None,
        pairs: list[tuple[str, str]] | None = None,
        concurrency: int = 4,
    ) -> Manifest:
        """Record an OpenAI-compatible server as a model (no weights; the key's variable
        name only). The settings are checked here; the server is contacted when used."""
        settings: dict[str, Any] = {
            "url": url,
            "model": model,
            "profile": profile,
            "api_key_env": api_key_env,
            "concurrency": concurrency,
        }
        check_endpoint(settings)  # refuses a bad URL, profile or limit now
        return self.models.add_endpoint(name, settings, pairs=pairs or [("ar", "en")])

    def pull(self, name: str, **options: Any) -> Manifest:
        """Download and install catalogue model ``name`` (the only network access)."""
        return pull(name, home=self.home, **options)

    def remove_model(self, name: str) -> None:
        """Delete an installed model."""
        self.models.remove(name)

    # -- opening -----------------------------------------------------------------------

    def engine(
        self,
        model: str | Path,
        *,
        device: str = "auto",
        beam_size: int = 4,
        compute_type: str | None = None,
        threads: int | None = None,
    ) -> Engine:
        """An installed translator by name, or a model directory, loaded as an engine.
        A helper model (transliteration) is refused: it serves the checks, not users."""
        check_beam(beam_size)
        _, manifest = self._translator_model(model)
        if manifest.family in LLM_FAMILIES:
            # An LLM is guarded, with the pair's NMT model (when installed) to fall back on.
            def fallback() -> Engine | None:
                name = self._nmt_for(manifest.pairs)
                return (
                    None
                    if name is None
                    else load_engine(name, home=self.home, device=device, threads=threads)
                )

            llm: Engine = (
                load_endpoint(manifest)
                if manifest.family == ENDPOINT_FAMILY
                else load_generator(
                    model,
                    home=self.home,
                    device=device,
                    compute_type=compute_type,
                    threads=threads,
                )
            )
            return GuardedEngine(llm, fallback)
        return load_engine(
            model,
            home=self.home,
            device=device,
            beam_size=beam_size,
            compute_type=compute_type,
            threads=threads,
        )

    def post_editor(self, llm: str | Path) -> Engine:
        """The endpoint model ``llm`` as the editor of ``--llm-post-edit`` (the CLI, the
        server, batch); any other model is refused. Nothing is contacted yet."""
        _, manifest = self._translator_model(llm)
        if manifest.family != ENDPOINT_FAMILY:
            raise ConfigError(
                f"--llm-post-edit takes an endpoint model (models add-endpoint), "
                f"not '{llm}' ({manifest.family})"
            )
        return load_endpoint(manifest)

    def _nmt_for(self, pairs: list[tuple[str, str]]) -> str | None:
        """The installed NMT translator (not an LLM) for the first of ``pairs`` it has."""
        for source, target in pairs:
            found = [
                m.name
                for m in self.models.manifests()
                if m.role == "translator"
                and m.family not in LLM_FAMILIES
                and (source, target) in m.pairs
            ]
            if found:
                best = DEFAULTS.get((source, target))
                return best if best in found else found[0]
        return None

    def _translator_model(self, model: str | Path) -> tuple[Path, Manifest]:
        directory, manifest = self.models.resolve(model)
        if manifest.role != "translator":
            raise ConfigError(
                f"model '{manifest.name}' is a {manifest.role} ({manifest.family}: it serves "
                "the names check), not a translator"
            )
        return directory, manifest
