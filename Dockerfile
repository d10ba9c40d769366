# One image for both processes of a deployment: the web instances (the CMD, `python app.py`, with WORKER=off
# beside a worker) and the worker (`python worker.py`, the same image with that command). infra/ runs both
# on Azure Container Apps; README "Deploying to Azure".
#
# The base is pinned by digest: python:3.11.14-slim-bookworm's multi-platform digest as published
# (quoted alike by several public repositories; it could not be pulled from here to check). To move on:
# `docker buildx imagetools inspect python:3.11-slim-bookworm` and replace tag and digest together.
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3978

WORKDIR /app

# The dependencies first, so a change of code reuses their layer. No Node: nothing the product runs
# needs it (the Adaptive Cards renderer in node_modules is only the local sandbox page's).
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

# The code belongs to root and cannot be changed by the app's user; only data/ (SQLite and media files,
# for a deployment without Cosmos DB and Blob Storage) is theirs.
COPY . .
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home bridge \
    && mkdir -p data && chown bridge:bridge data
USER 10001:10001

EXPOSE 3978
# The web instances' check (the worker serves no HTTP: run it with --no-healthcheck; Container Apps uses its
# own probes, infra/main.bicep). Python's urllib: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"]
CMD ["python", "app.py"]
