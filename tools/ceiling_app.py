"""The framework's own ceiling for tools/bench.py: a bare Starlette app under uvicorn.

    .venv/bin/python tools/ceiling_app.py [--port 8090] [--workers 2]

GET /w/api.php answers a constant JSON body. Nothing of wikigate is imported:
no settings, services, database, own middleware or parameter handling, only what
every Starlette app pays for (routing, the default middleware, a Response) and
uvicorn. bench.py sends it the very request of workload 2 (meta=siteinfo), so
the gap between the two is wikigate's own pipeline.

uvicorn runs with the options `wikigate serve` passes to uvicorn.run; keep the
two in step, or the ceiling stops being the same server.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# Encoded once: the ceiling measures the framework and the server, not a JSON encoder.
BODY = b'{"batchcomplete":true}'


async def api(request: Request) -> Response:
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/w/api.php", api, methods=["GET"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # Workers are spawned processes that import the app by name, hence the import
    # string and this directory on their path. The keyword arguments are those of
    # `wikigate serve`; like it, loop, http parser and backlog stay at uvicorn's
    # defaults (auto: uvloop and httptools when installed; 2048).
    uvicorn.run("ceiling_app:app", app_dir=str(Path(__file__).resolve().parent), host=args.host, port=args.port,
                workers=args.workers, log_level="warning", access_log=False, proxy_headers=False,
                server_header=False, lifespan="on")


if __name__ == "__main__":
    main()
