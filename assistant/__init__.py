"""Grounded question answering over a folder of news articles."""

from __future__ import annotations

import os as _os
from importlib import import_module as _import_module
from typing import TYPE_CHECKING

# Everything runs offline: the model ships in a package, and no library may phone home or
# draw progress bars from deep inside a request. Set before any of them is imported.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    _os.environ.setdefault(_name, _value)

if TYPE_CHECKING:
    from assistant.answer.types import Answer, Citation
    from assistant.config import Settings
    from assistant.core import Assistant
    from assistant.errors import AssistantError

# The public API, imported when first used: `import assistant.language` stays light.
_PUBLIC = {
    "Answer": "assistant.answer.types",
    "Citation": "assistant.answer.types",
    "Settings": "assistant.config",
    "Assistant": "assistant.core",
    "AssistantError": "assistant.errors",
}
__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Settings"]


def __getattr__(name: str) -> object:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(_import_module(_PUBLIC[name]), name)
