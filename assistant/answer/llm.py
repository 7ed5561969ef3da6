"""The language model behind a generative answer, built from the settings by llama-index.

Each backend's integration is an optional extra (`pip install -e ".[openai]"`), so the
default install carries none of them; asking for one that is missing says what to install.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import ModelUnavailable

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

DEFAULT_OPENAI_URL = "http://127.0.0.1:8080/v1"
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"


def build_llm(settings: Settings) -> LLM:
    """The configured model, ready to stream. Raises ModelUnavailable with what to do."""
    builders = {"openai": _openai, "ollama": _ollama, "llamacpp": _llamacpp}
    if settings.llm not in builders:
        raise ValueError(f"{settings.llm!r} is not a language model")
    try:
        return builders[settings.llm](settings)
    except ImportError as error:
        raise ModelUnavailable(
            f"The {settings.llm} answerer needs its extra: "
            f'pip install -e ".[{settings.llm}]" ({error.name} is missing).'
        ) from None


def _openai(settings: Settings) -> LLM:
    from llama_index.llms.openai_like import OpenAILike

    if not settings.llm_model:
        raise ModelUnavailable("Set ASSISTANT_LLM_MODEL to the model's name on the server.")
    address = settings.llm_base_url or DEFAULT_OPENAI_URL
    # A local server needs no key, but the client insists on one.
    key = os.environ.get("OPENAI_API_KEY") or "no-key"
    _check_model_is_served(address, key, settings.llm_model, settings.llm_timeout)
    return OpenAILike(
        model=settings.llm_model,
        api_base=address,
        api_key=key,
        is_chat_model=True,
        context_window=settings.llm_context_window,
        max_tokens=settings.llm_max_tokens,
        temperature=0.0,
        timeout=settings.llm_timeout,
        max_retries=0,  # a retry doubles the wait; the extractive answer is ready instead
    )


def _check_model_is_served(address: str, key: str, model: str, timeout: float) -> None:
    """Some servers (llama.cpp's among them) answer with whatever model they have when
    asked for one they don't: ask for their list first, so a mistyped name is reported."""
    import openai

    client = openai.OpenAI(base_url=address, api_key=key, timeout=timeout, max_retries=0)
    try:
        served = [entry.id for entry in client.models.list()]
    except openai.NotFoundError:
        return  # this server keeps no list: trust the name
    if served and model not in served:
        raise ModelUnavailable(
            f"The server at {address} has no model named {model!r} "
            f"(it serves: {', '.join(served[:5])}).",
            public=f"The model server has no model named {model!r}.",
        )


def _ollama(settings: Settings) -> LLM:
    from llama_index.llms.ollama import Ollama

    if not settings.llm_model:
        raise ModelUnavailable("Set ASSISTANT_LLM_MODEL to an Ollama model, e.g. llama3.2.")
    return Ollama(
        model=settings.llm_model,
        base_url=settings.llm_base_url or DEFAULT_OLLAMA_URL,
        request_timeout=settings.llm_timeout,
        context_window=settings.llm_context_window,
        temperature=0.0,
        additional_kwargs={"num_predict": settings.llm_max_tokens},
    )


def _llamacpp(settings: Settings) -> LLM:
    path = settings.llm_model
    if not path or not os.path.isfile(path):
        raise ModelUnavailable(
            f"ASSISTANT_LLM_MODEL must be the path of a GGUF file for llamacpp (got {path!r}).",
            public="The llamacpp answerer's GGUF file is missing.",
        )
    return _load_gguf(path, settings.llm_context_window, settings.llm_max_tokens)


@cache
def _load_gguf(path: str, context_window: int, max_tokens: int) -> LLM:
    """One copy of the weights per process, however many Assistants use them."""
    from llama_index.llms.llama_cpp import LlamaCPP

    llm = LlamaCPP(
        model_path=path,
        temperature=0.0,
        max_new_tokens=max_tokens,
        context_window=context_window,
        model_kwargs={"n_ctx": context_window, "n_threads": os.cpu_count() or 1},
        verbose=False,
    )
    # Freed while the interpreter still works: llama-cpp's own finaliser runs too late at
    # exit and prints a TypeError traceback.
    atexit.register(llm._model.close)
    template = _chat_template(llm._model)
    if template is not None:
        llm.messages_to_prompt = template
    return _Serialized(llm)


def _chat_template(model: Any) -> Any:
    """Prompt the model in its own chat format, read from the GGUF file, so any instruction
    model works without a hand-written template (llama-index's default is generic)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    metadata = model.metadata
    source = metadata.get("tokenizer.chat_template")
    if not source:
        return None

    def token(key: str) -> str:
        token_id = metadata.get(key)
        if token_id is None:
            return ""
        return model.detokenize([int(token_id)], special=True).decode("utf-8", "replace")

    formatter = Jinja2ChatFormatter(
        template=source,
        eos_token=token("tokenizer.ggml.eos_token_id"),
        bos_token=token("tokenizer.ggml.bos_token_id"),
        add_generation_prompt=True,
    )

    def messages_to_prompt(messages: Any) -> str:
        # llama.cpp adds the BOS token itself.
        prompt = formatter(
            messages=[{"role": m.role.value, "content": m.content or ""} for m in messages]
        ).prompt
        bos = token("tokenizer.ggml.bos_token_id")
        return prompt.removeprefix(bos) if bos else prompt

    return messages_to_prompt


class _Serialized:
    """An in-process model answers one question at a time: llama.cpp contexts are not
    thread-safe. Everything else is passed through to the llama-index LLM."""

    def __init__(self, llm: LLM) -> None:
        self._llm = llm
        self._lock = threading.Lock()

    def stream_chat(self, messages: Any, **kwargs: Any) -> Any:
        with self._lock:
            yield from self._llm.stream_chat(messages, **kwargs)

    def chat(self, messages: Any, **kwargs: Any) -> Any:
        with self._lock:
            return self._llm.chat(messages, **kwargs)

    def complete(self, prompt: str, **kwargs: Any) -> Any:
        with self._lock:
            return self._llm.complete(prompt, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llm, name)


def describe_failure(error: BaseException, settings: Settings) -> str:
    """One sentence a user can act on, for whatever the model's client raised. It names the
    model but not the server's address or files, since page visitors read it too; the
    details go to the log, for the operator."""
    model = f"{settings.llm}: {os.path.basename(settings.llm_model or 'default')}"
    log.warning("language model %s failed: %s: %s", model, type(error).__name__, error)
    if isinstance(error, ModelUnavailable):
        return error.public
    name = type(error).__name__
    status = getattr(error, "status_code", None) or getattr(error, "status", None)
    text = str(error)
    if "Timeout" in name or "timed out" in text.lower():
        return f"The language model ({model}) did not answer within {settings.llm_timeout:g} s."
    if "Connect" in name or "Connection refused" in text:
        return f"The language model ({model}) could not be reached."
    if status == 404 or "NotFound" in name or "not found" in text.lower():
        return f"The model server has no model named {settings.llm_model!r}."
    if status in (401, 403) or "Authentication" in name or "PermissionDenied" in name:
        return f"The language model ({model}) refused the API key (OPENAI_API_KEY)."
    return f"The language model ({model}) gave an unusable response."
