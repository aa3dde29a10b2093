"""oss_cse.aio.Client: the same methods as coroutines, many at once."""

import asyncio

import oss_cse.aio
from conftest import BUCKET, ENDPOINT, KEY_ID, SECRET, key_file


def test_coroutines_run_together_and_list_asynchronously():
    async def main():
        client = oss_cse.aio.Client(ENDPOINT, access_key_id=KEY_ID, access_key_secret=SECRET,
                                    rsa_public_key=key_file("key1", "public"),
                                    rsa_private_key=key_file("key1", "private"))
        payloads = {f"aio/{i}": bytes([i]) * (300_000 + i) for i in range(6)}
        await asyncio.gather(*(client.put_bytes(BUCKET, key, data) for key, data in payloads.items()))
        got = await asyncio.gather(*(client.get_bytes(BUCKET, key) for key in payloads))
        assert got == list(payloads.values())
        keys = [obj["key"] async for obj in client.list(BUCKET, "aio/")]
        assert keys == sorted(payloads)
        head = await client.head(BUCKET, "aio/0")
        assert head["encryption"]["format"] == "V2"
        try:
            await client.get_bytes(BUCKET, "aio/absent")
        except oss_cse.NotFound as error:
            assert error.code == "NoSuchKey"
        else:
            raise AssertionError("a missing object is NotFound")

    asyncio.run(main())
