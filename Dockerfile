# wikigate in a container: `docker build -t wikigate .` then
# `docker run -p 8080:8080 -v wikigate-data:/data wikigate`.
# Settings come from WIKIGATE_* variables (see README.md, "Configuration"); compose.yaml beside
# this file runs it with PostgreSQL and Redis.

# The builder turns the source into a wheel, so that the final image holds only what
# `pip install` of a release would, and none of the checkout.
FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md ./
COPY wikigate ./wikigate
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
# Log lines reach `docker logs` as they are written; no .pyc files or pip notices in the layers.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
COPY --from=builder /wheels /wheels
# No compiler here: every dependency ships ready-built wheels for Linux.
# The group gets the user's number too, so that `USER 10001:10001` below names both.
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 wikigate \
    && useradd --system --uid 10001 --gid wikigate --create-home wikigate \
    && mkdir /data \
    && chown wikigate:wikigate /data

# Listening on every address is what makes the published port reach the server; the
# data directory (SQLite database, secret key, OAuth key, mail outbox) is the volume.
# Set WIKIGATE_SERVER to the URL clients reach the wiki at: siteinfo and OAuth report it.
ENV WIKIGATE_HOST=0.0.0.0 \
    WIKIGATE_PORT=8080 \
    WIKIGATE_DATA_DIR=/data
VOLUME ["/data"]
# Not /data: a wikigate.toml there would be read as configuration without anyone asking for it.
WORKDIR /home/wikigate
# By number: a host or Kubernetes checking runAsNonRoot cannot look the name up.
USER 10001:10001
EXPOSE 8080

# The image has no curl: Python's own urllib asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WIKIGATE_PORT', '8080'), timeout=2)"]

# `wikigate serve` applies pending migrations before it listens.
CMD ["wikigate", "serve"]
