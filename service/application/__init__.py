"""The application service: validate, evaluate, cache, count; no web framework and no store.

Dependencies point inward: `service.domain` (pure rules) <- `service.schemas` (the contract's
JSON bodies as marshmallow schemas) <- `service.application` (this package) <- the edges
(`service.api`, `service.web`, `service.cli`) and the adapters (`service.adapters`), wired by
the factory (`service.app`). The schemas live outside `service.api` so that loading a
description and dumping an evaluation mean the same here, in the API's contract and on the
command line, without this package importing the HTTP layer. The cache and the counter are
ports (results.py) that the adapters fill; the domain reports paths, and this package writes
them out as JSON pointers (pointers.py).

* usecases.py: load and check a description or inventory, evaluate, render (InvalidInput);
* results.py: an answer's cache key, the cache and counter ports, cache-or-compute, counting;
* representation.py: the representation version that keys and ETags carry;
* pointers.py: domain paths and marshmallow messages as JSON pointers.
"""
