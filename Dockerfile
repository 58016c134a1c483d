# The dashboard, served by gunicorn exactly as the tests serve it (see dashboard/commands.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PCP_BIND=0.0.0.0:8050 \
    PCP_WORKERS=2

# Debian's Chromium renders chart images for PowerPoint and PDF packs (kaleido); curl: HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium=* curl=* \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dashboard ./dashboard
RUN pip install --no-cache-dir .
COPY app.py ./
COPY assets ./assets
COPY data ./data

RUN useradd --create-home --uid 10001 dashboard && chown -R dashboard /app/data
USER dashboard

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8050/healthz"]

CMD ["pcp-dashboard", "serve"]
