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
# Health from gunicorn's listening socket, at the address BIND gives (default 0.0.0.0:8000): the
# kernel completes the handshake even when every worker is busy, where an HTTP check would wait
# for a free worker. Readiness, which may fail under load, is GET /readyz (see README).
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-m", "service.probe"]
# gunicorn drains on SIGTERM for GRACEFUL_TIMEOUT (25 s): `docker run --stop-timeout 35` (Docker's
# own default grace is 10 s); compose and the Kubernetes manifests set their grace above it.
STOPSIGNAL SIGTERM
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
