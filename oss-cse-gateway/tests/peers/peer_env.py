"""What the gateway's peer scripts share: the emulator behind the gateway as oss2 sees it (CryptoBucket with key1,
and the plain Bucket that reads the stored bytes), from the environment tests/gateway.rs sets, and the data
generator."""

import os

import oss2
from oss2.crypto import RsaProvider

GATEWAY, EMULATOR = os.environ["GATEWAY"], os.environ["EMULATOR"]
CLIENT = oss2.Auth(os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"])
UPSTREAM = oss2.Auth(os.environ["UPSTREAM_ID"], os.environ["UPSTREAM_SECRET"])
BUCKET, KEYS = os.environ["BUCKET"], os.environ["KEYS"]


def pem(name):
    with open(os.path.join(KEYS, name)) as f:
        return f.read()


def data(n, seed):
    return bytes((i * 31 + seed) % 251 for i in range(n))


provider = RsaProvider(key_pair={"public_key": pem("key1_public_spki.pem"), "private_key": pem("key1_private_pkcs1.pem")})
direct = oss2.CryptoBucket(UPSTREAM, EMULATOR, BUCKET, crypto_provider=provider)
raw = oss2.Bucket(UPSTREAM, EMULATOR, BUCKET)
