"""Grounded question answering over a folder of news articles."""

from assistant.answer.types import Answer, Citation
from assistant.config import Settings
from assistant.core import Assistant
from assistant.errors import AssistantError

__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Settings"]
