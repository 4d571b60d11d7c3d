# onderwijsloket-mcp as a container: streamable HTTP on port 8000 (path /mcp), health at /healthz.
#
#   docker build -t onderwijsloket-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 \
#     -e ONDERWIJSLOKET_TOKEN=<your token> -e ONDERWIJSLOKET_MCP_BEARER=<long random secret> \
#     onderwijsloket-mcp
#
# The image listens on 0.0.0.0 (all container interfaces), so ONDERWIJSLOKET_MCP_BEARER is REQUIRED: without it
# the server refuses to start with a one-line message. Secrets come in at run time (-e / --env-file), never
# in this file. Behind a reverse proxy add its public name: `... onderwijsloket-mcp --transport http
# --host 0.0.0.0 --allowed-host mcp.example.org`. For stdio (a local client spawning the container) run
# `docker run -i --rm -e ONDERWIJSLOKET_TOKEN=... onderwijsloket-mcp --transport stdio`.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# uv ships as a static binary in its own image; pinned like everything else.
FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM ${PYTHON_IMAGE} AS builder
COPY --from=uv /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first (cached until the lock file changes), then the project itself, non-editable so the
# runtime stage needs only the virtual environment.
COPY pyproject.toml uv.lock README.md LICENSE ./
RUN uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN uv sync --frozen --no-dev --no-editable

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 mcp \
    && useradd --system --uid 10001 --gid mcp --no-create-home --shell /usr/sbin/nologin mcp
COPY --from=builder /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
USER mcp:mcp
EXPOSE 8000
# Liveness only (no upstream call); the server answers /healthz without the bearer token.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# SIGTERM (docker stop) finishes in-flight requests, closes the upstream clients and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["onderwijsloket-mcp"]
CMD ["--transport", "http", "--host", "0.0.0.0", "--port", "8000"]
