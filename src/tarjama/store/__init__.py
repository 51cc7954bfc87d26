"""What lives on disk in ``$TARJAMA_HOME``: paths, the model store and its manifests, the
catalogue and model downloads (``pull``), glossary files and API keys. Nothing here loads a
model."""

from .catalogue import CATALOGUE, DEFAULTS, CatalogueEntry
from .keys import ApiKey, KeyStore
from .manifest import ENDPOINT_FAMILY, GENERATOR_FAMILY, LLM_FAMILIES, Manifest
from .models import ModelStore
from .paths import default_home

__all__ = [
    "CATALOGUE",
    "DEFAULTS",
    "ENDPOINT_FAMILY",
    "GENERATOR_FAMILY",
    "LLM_FAMILIES",
    "ApiKey",
    "CatalogueEntry",
    "KeyStore",
    "Manifest",
    "ModelStore",
    "default_home",
]
