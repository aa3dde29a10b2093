"""``oss_cse.aio.Client``: the methods of ``oss_cse.Client`` as coroutines, for asyncio programs.

Each call runs the native client on the event loop's executor. The native client releases the GIL for the whole of a
request, so the calls of many coroutines run in parallel and the event loop is never blocked; there is no second
implementation underneath, only the one engine. ``list`` is an async iterator (a page is fetched when the last one is
used up).
"""

import asyncio
import functools

from ._native import Client as _Client

_METHODS = (
    "put_bytes", "get_bytes", "put_file", "get_file", "head", "delete", "copy", "stream", "put_with_headers",
    "initiate_multipart", "reopen_multipart", "upload_part", "complete_multipart", "abort_multipart", "rewrap",
    "rewrap_prefix", "copy_tree",
)


class Client:
    """``oss_cse.Client``'s settings and methods, each method a coroutine."""

    def __init__(self, *args, **kwargs):
        self._client = _Client(*args, **kwargs)

    @property
    def native(self):
        """The blocking ``oss_cse.Client`` underneath."""
        return self._client

    def list(self, bucket, prefix="", delimiter=None):
        return _Listing(self._client.list(bucket, prefix, delimiter))

    def __getattr__(self, name):
        if name not in _METHODS:
            raise AttributeError(name)
        method = getattr(self._client, name)

        @functools.wraps(method)
        async def call(*args, **kwargs):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, functools.partial(method, *args, **kwargs))

        return call


class _Listing:
    def __init__(self, listing):
        self._listing = listing

    def __aiter__(self):
        return self

    async def __anext__(self):
        loop = asyncio.get_running_loop()
        item = await loop.run_in_executor(None, next, self._listing, None)
        if item is None:
            raise StopAsyncIteration
        return item
