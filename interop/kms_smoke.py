"""Drives the emulator's KMS endpoint with the official Alibaba Cloud core SDK
(aliyunsdkcore, which signs the RPC requests). Environment: KMS_HOST
(host:port), OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET. Exits non-zero on failure.
"""
import json
import os
import sys

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

client = AcsClient(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"], "cn-hangzhou")
checks = 0


def check(name, condition):
    global checks
    if not condition:
        print("FAILED: " + name)
        sys.exit(1)
    checks += 1
    print("ok: " + name)


def call(action, **params):
    request = CommonRequest()
    request.set_domain(os.environ["KMS_HOST"])
    request.set_protocol_type("http")
    request.set_method("POST")
    request.set_version("2016-01-20")
    request.set_action_name(action)
    request.set_accept_format("JSON")
    for key, value in params.items():
        request.add_query_param(key, value)
    return json.loads(client.do_action_with_exception(request))


generated = call("GenerateDataKey", KeyId="cmk-py", KeySpec="AES_256", NumberOfBytes=32,
                 EncryptionContext='{"purpose":"interop"}')
check("GenerateDataKey", len(generated["Plaintext"]) == 44 and generated["KeyId"] == "cmk-py")
decrypted = call("Decrypt", CiphertextBlob=generated["CiphertextBlob"], EncryptionContext='{"purpose":"interop"}')
check("Decrypt with the context", decrypted["Plaintext"] == generated["Plaintext"])
try:
    call("Decrypt", CiphertextBlob=generated["CiphertextBlob"])
    check("Decrypt without the context fails", False)
except ServerException as error:
    check("Decrypt without the context fails", error.get_error_code() == "InvalidParameter")
encrypted = call("Encrypt", KeyId="cmk-py", Plaintext="aGVsbG8=")
check("Encrypt/Decrypt", call("Decrypt", CiphertextBlob=encrypted["CiphertextBlob"])["Plaintext"] == "aGVsbG8=")
print("%d passed, 0 failed" % checks)
