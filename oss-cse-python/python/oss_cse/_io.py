"""The reader of ``Client.open(bucket, key, "rb")``: a seekable raw file over one object that fetches and decrypts
only the byte ranges read (CTR decrypts from any byte), every range pinned to the ETag seen when it was opened, so
an object replaced meanwhile is an error, never a mix of two objects."""

import io


class ObjectReader(io.RawIOBase):
    """A raw, seekable, read-only file over ``bucket/key``."""

    def __init__(self, client, bucket, key):
        super().__init__()
        head = client.head(bucket, key)
        self._client, self._bucket, self._key = client, bucket, key
        self._size, self._etag, self._position = head["size"], head["etag"], 0
        self.name = f"oss://{bucket}/{key}"

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"whence {whence!r}")
        if position < 0:
            raise ValueError(f"negative position {position}")
        self._position = position
        return position

    def readinto(self, buffer):
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._position)
        if wanted <= 0:
            return 0
        last = self._position + wanted - 1
        data = self._client.get_bytes(self._bucket, self._key, range=(self._position, last), if_match=self._etag)
        view[: len(data)] = data
        self._position += len(data)
        return len(data)

    @property
    def size(self):
        return self._size


def open_reader(client, bucket, key, buffer_size):
    return io.BufferedReader(ObjectReader(client, bucket, key), buffer_size=buffer_size)
