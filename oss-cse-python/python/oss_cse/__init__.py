"""Client-side encryption for Alibaba Cloud OSS, byte-for-byte compatible with the official SDKs.

Objects written here are read by oss2's ``CryptoBucket``, alibabacloud-oss-v2 and the Go, Java and C++ SDKs, and
the reverse. Every call releases the GIL while it works, so Python threads transfer in parallel.

    import oss_cse

    client = oss_cse.Client(region="cn-hangzhou", rsa_public_key="public.pem", rsa_private_key="private.pem")
    client.put_file("records", "2026/scan.pdf", "scan.pdf")
    data = client.get_bytes("records", "2026/scan.pdf", range=(0, 1023))
"""

from . import aio
from ._native import (
    AccessDenied,
    Client,
    Error,
    IntegrityError,
    InvalidInput,
    Listing,
    NetworkError,
    NotFound,
    __version__,
    prepare_checkpoint_folder,
)

__all__ = [
    "AccessDenied",
    "Client",
    "Error",
    "IntegrityError",
    "InvalidInput",
    "Listing",
    "NetworkError",
    "NotFound",
    "__version__",
    "aio",
    "prepare_checkpoint_folder",
]
