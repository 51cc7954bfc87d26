"""What lives on disk in ``$TARJAMA_HOME``: paths, the model store and its manifests, model
downloads (``pull``), glossary files and API keys. Nothing here loads a model."""

from .keys import ApiKey, KeyStore
from .models import Manifest, ModelStore
from .paths import default_home
from .pull import CATALOGUE

__all__ = ["CATALOGUE", "ApiKey", "KeyStore", "Manifest", "ModelStore", "default_home"]
