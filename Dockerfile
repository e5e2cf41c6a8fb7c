# The service image: the pinned dependencies, the package, gunicorn with deploy/gunicorn.conf.py.
# Run it behind a buffering proxy (deploy/nginx): its sync workers must not face clients directly.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY service ./service
COPY deploy ./deploy
RUN pip install -c constraints.txt . \
    && useradd --system --uid 10001 advisor
USER advisor

EXPOSE 8000
# Liveness from gunicorn's listening socket (the kernel completes the handshake even when every
# worker is busy): an HTTP probe would wait for a free worker and restart a loaded, healthy
# service. Readiness, which may fail under load, is GET /readyz (see README, Operations).
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import socket; socket.create_connection(('127.0.0.1', 8000), timeout=2).close()"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
