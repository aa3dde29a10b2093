"""``oss_cse.fs.OssCseFileSystem``: an fsspec filesystem for ``osscse://bucket/key`` over the engine, so that pandas,
pyarrow, Polars and anything else fsspec serves read and write encrypted objects that every OSS SDK decrypts. Reads
fetch and decrypt only the ranges read (a Parquet column fetches its column chunks); writes stream.

    fs = fsspec.filesystem("osscse", region="cn-hangzhou", rsa_public_key="public.pem", rsa_private_key="private.pem")
    pandas.read_parquet("osscse://records/2026/table.parquet", storage_options={...the same settings...})

The settings are ``oss_cse.Client``'s. The protocol is registered through fsspec's entry point by the installed
package (``fsspec.specs``).
"""

import io

from fsspec.spec import AbstractFileSystem

from ._native import Client, NotFound


class OssCseFileSystem(AbstractFileSystem):
    protocol = ("osscse",)
    root_marker = ""

    def __init__(self, *args, **client_settings):
        # fsspec's own settings (caching, listings) are not the client's.
        own = {name: client_settings.pop(name) for name in list(client_settings) if name.startswith("skip_instance")
               or name in ("use_listings_cache", "listings_expiry_time", "max_paths")}
        super().__init__(*args, **own)
        self.client = Client(**client_settings)

    @classmethod
    def _strip_protocol(cls, path):
        path = path if isinstance(path, str) else str(path)
        for protocol in cls.protocol:
            if path.startswith(protocol + "://"):
                path = path[len(protocol) + 3:]
        return path.strip("/")

    @staticmethod
    def _split(path):
        bucket, _, key = path.partition("/")
        return bucket, key

    def ls(self, path, detail=True, **kwargs):
        path = self._strip_protocol(path)
        bucket, key = self._split(path)
        prefix = key + "/" if key else ""
        entries = []
        for entry in self.client.list(bucket, prefix, "/"):
            if "prefix" in entry:
                entries.append({"name": f"{bucket}/{entry['prefix'].rstrip('/')}", "size": 0, "type": "directory"})
            else:
                entries.append(self._file(bucket, entry))
        if not entries and key:
            info = self.info(path)
            if info["type"] == "file":
                entries = [info]
        return entries if detail else [entry["name"] for entry in entries]

    @staticmethod
    def _file(bucket, entry):
        return {"name": f"{bucket}/{entry['key']}", "size": entry["size"], "type": "file", "etag": entry["etag"],
                "LastModified": entry.get("last_modified")}

    def info(self, path, **kwargs):
        path = self._strip_protocol(path)
        bucket, key = self._split(path)
        if key:
            try:
                head = self.client.head(bucket, key)
                return {"name": path, "size": head["size"], "type": "file", "etag": head["etag"],
                        "LastModified": head["last_modified"], "encryption": head["encryption"]}
            except NotFound:
                pass
        for _ in self.client.list(bucket, key + "/" if key else "", "/"):
            return {"name": path, "size": 0, "type": "directory"}
        raise FileNotFoundError(path)

    def _open(self, path, mode="rb", block_size=None, autocommit=True, cache_options=None, **kwargs):
        bucket, key = self._split(self._strip_protocol(path))
        if mode == "rb":
            return self.client.open(bucket, key, "rb", buffer_size=block_size or 1 << 20)
        if mode == "wb":
            return self.client.open(bucket, key, "wb", expected_size=kwargs.get("expected_size"))
        raise ValueError(f"mode {mode!r}: osscse:// objects are read (rb) or written (wb) whole")

    def cat_file(self, path, start=None, end=None, **kwargs):
        bucket, key = self._split(self._strip_protocol(path))
        try:
            if start is None and end is None:
                return self.client.get_bytes(bucket, key)
            size = self.info(path)["size"]
            first = 0 if start is None else (start if start >= 0 else max(size + start, 0))
            stop = size if end is None else (end if end >= 0 else size + end)
            if stop <= first:
                return b""
            return self.client.get_bytes(bucket, key, range=(first, min(stop, size) - 1))
        except NotFound as error:
            raise FileNotFoundError(path) from error

    def pipe_file(self, path, value, **kwargs):
        bucket, key = self._split(self._strip_protocol(path))
        self.client.put_bytes(bucket, key, bytes(value))

    def rm_file(self, path):
        bucket, key = self._split(self._strip_protocol(path))
        self.client.delete(bucket, key)

    def _rm(self, path):
        self.rm_file(path)

    def cp_file(self, path1, path2, **kwargs):
        source, target = self._split(self._strip_protocol(path1)), self._split(self._strip_protocol(path2))
        self.client.copy(source[0], source[1], target[0], target[1])

    def mkdir(self, path, create_parents=True, **kwargs):
        """Object stores have no directories: nothing to make."""

    def makedirs(self, path, exist_ok=False):
        """Object stores have no directories: nothing to make."""
