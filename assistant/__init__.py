"""Grounded question answering over a folder of news articles."""

import os as _os

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

from assistant.answer.types import Answer, Citation  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.core import Assistant  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402

__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Settings"]
