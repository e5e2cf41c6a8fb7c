# The service image: the pinned dependencies, the package, gunicorn with deploy/gunicorn.conf.py.
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
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
