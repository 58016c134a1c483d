# The dashboard as an installed package, started with exactly the command the second smoke test
# runs (tests/smoke/test_installed_wheel.py): the CMD below, from a folder with no project files.
# Build stage: the locked dependencies (hash-checked) and the wheel, in a virtual environment.
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# The same install as scripts/setup.sh: the pinned pip first, then the lock as listed (resolving
# nothing), hash-checked (scripts/install_lock.sh says why).
COPY requirements.txt requirements-bootstrap.txt ./
COPY scripts/install_lock.sh ./scripts/
RUN python -m venv /opt/venv \
    && bash scripts/install_lock.sh /opt/venv/bin/python requirements.txt
# What the wheel is built from, nothing else (.dockerignore keeps the rest out of the context).
COPY pyproject.toml setup.py README.md ./
COPY dashboard ./dashboard
COPY assets ./assets
COPY data ./data
RUN /opt/venv/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /tmp/dist . \
    && /opt/venv/bin/pip install --no-deps /tmp/dist/*.whl

# Run stage: Debian's Chromium (chart images), pango, harfbuzz and DejaVu fonts (WeasyPrint's
# tagged PDF packs), the virtual environment, a user without rights.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium=* curl=* nginx-light=* \
       libpango-1.0-0=* libpangoft2-1.0-0=* libharfbuzz-subset0=* fonts-dejavu-core=* \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PCP_BIND=0.0.0.0:8050

# The bundled dataset is read-only inside the package; to import data, mount a folder and set
# PCP_DATA_DIR to it.
RUN useradd --create-home --uid 10001 dashboard
USER 10001
WORKDIR /home/dashboard

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8050/healthz"]

CMD ["pcp-dashboard", "serve"]
