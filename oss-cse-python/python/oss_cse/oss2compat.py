"""A drop-in for oss2's ``CryptoBucket`` on the oss-cse engine: change the import line and keep the code.

    from oss_cse.oss2compat import CryptoBucket      # was: from oss2 import CryptoBucket

    bucket = CryptoBucket(oss2.Auth(ak, sk), endpoint, "records", crypto_provider=oss2.RsaProvider(key_pair))
    bucket.put_object("2026/scan.pdf", data)
    bucket.get_object("2026/scan.pdf", byte_range=(0, 1023)).read()

It is an ``oss2.CryptoBucket`` (so ``oss2.resumable_upload`` and ``oss2.resumable_download`` treat it as one), and
everything a ``CryptoBucket`` inherits (listings, deletes, ACLs, tags...) is oss2's own; the content methods run on
the engine: ``put_object`` (a file object is streamed), ``put_object_from_file``, ``get_object`` (with
``byte_range`` and conditional headers; the result reads, iterates in chunks, has ``.headers`` and the CRCs),
``get_object_to_file`` and ``get_object_with_url``. It reads the keys of oss2's ``RsaProvider`` (and the pairs added
with ``add_encryption_materials``, passphrase-protected too, chosen by mat_desc as oss2 chooses, even when added after
the bucket was made) and ``AliKMSProvider``; no oss2 code runs in a transfer. Failures raise oss2's exception
classes, so ``except oss2.exceptions.NoSuchKey`` keeps working. What oss2's ``CryptoBucket`` refuses (append,
UploadPartCopy, image processing, SelectObject, a suffix range, a PUT through a signed URL) is refused the same way.

Multipart uploads take oss2's ``MultipartUploadCryptoContext`` as oss2 does (``init_multipart_upload``,
``upload_part``, ``complete_multipart_upload``, ``abort_multipart_upload``); the data key stays in the engine. An
upload another process began (the record oss2's resumable upload keeps) is taken up from the context's material once
OSS confirms the upload holds that wrapped key. Not supported: AliKMSProvider passphrases (encryption contexts).
RSA keys under 2048 bits are refused, as everywhere in oss-cse.
"""

import base64
import email.utils
import hashlib
import json
import os
import urllib.parse

import oss2
from oss2 import exceptions as oss2_exceptions
from oss2 import models
from oss2.crypto import AliKMSProvider, RsaProvider
from oss2.crypto_bucket import OSS_ENCRYPTION_CLIENT
from Crypto.PublicKey import RSA

from . import _native

_CHUNK = 64 * 1024


def _pem(rsa_cipher, private):
    """The PEM text of the key inside one of oss2's PKCS1_v1_5 cipher objects."""
    key = rsa_cipher._key  # noqa: SLF001 - oss2 keeps only these objects, not the PEM it was given
    return key.export_key("PEM", pkcs=1).decode() if private else key.publickey().export_key("PEM").decode()


def _rsa_keys(provider):
    """oss2's RsaProvider as the engine's (public PEM, private PEM, matdesc) list, its own pair first."""
    encrypt = getattr(provider, "_RsaProvider__encrypt_obj", None)
    decrypt = getattr(provider, "_RsaProvider__decrypt_obj", None)
    keys = [(
        _pem(encrypt, False) if encrypt is not None else None,
        _pem(decrypt, True) if decrypt is not None else None,
        dict(provider.mat_desc) if provider.mat_desc else None,
    )]
    for materials in provider.encryption_materials_dict.values():
        pair = _readable_pair(materials)
        if pair is not None:
            keys.append((*pair, dict(materials.desc) or None))
    return keys


def _readable_pair(materials):
    """The (public PEM, private PEM) of oss2 ``EncryptionMaterials`` (text or bytes, opened with their passphrase
    when encrypted); None when they cannot be read (a wrong or missing passphrase), as oss2 then fails only when the
    pair is needed: the objects it wraps stay unreadable, with the engine's "no key" error."""
    pair = materials.key_pair or {}
    public, private = pair.get("public_key"), pair.get("private_key")
    try:
        opened = [RSA.import_key(pem, passphrase=materials.passphrase) if pem else None for pem in (public, private)]
    except (ValueError, IndexError, TypeError):
        return None
    public = opened[0].export_key("PEM").decode() if opened[0] is not None else None
    private = opened[1].export_key("PEM", pkcs=1).decode() if opened[1] is not None else None
    return public, private


def _materials_state(provider):
    """What the engine's keys were read from: oss2 lets materials be added to a provider after a bucket uses it."""
    return tuple((id(m), m.passphrase) for m in provider.encryption_materials_dict.values())


def _credentials(auth):
    """The keys behind any of oss2's Auth classes (StsAuth keeps its own inside)."""
    provider = getattr(getattr(auth, "_StsAuth__auth", auth), "credentials_provider", None)
    if provider is None:
        raise oss2_exceptions.ClientError("a CryptoBucket needs credentials")
    credentials = provider.get_credentials()
    settings = {
        "access_key_id": credentials.get_access_key_id(),
        "access_key_secret": credentials.get_access_key_secret(),
    }
    if credentials.get_security_token():
        settings["security_token"] = credentials.get_security_token()
    return settings


def _engine(auth, endpoint, crypto_provider, region=None):
    settings = _credentials(auth)
    if isinstance(crypto_provider, RsaProvider):
        settings["rsa_pem_keys"] = _rsa_keys(crypto_provider)
    elif isinstance(crypto_provider, AliKMSProvider):
        if crypto_provider.context:
            raise NotImplementedError("AliKMSProvider with a passphrase is not supported by oss_cse yet")
        region = crypto_provider.kms_client.get_region_id()
        settings.update(kms_key_id=crypto_provider.custom_master_key_id, kms_region=region)
        # Another KMS endpoint (a dedicated instance), as the oss-cse CLI reads it.
        if os.environ.get("OSS_CSE_KMS_ENDPOINT"):
            settings["kms_endpoint"] = os.environ["OSS_CSE_KMS_ENDPOINT"]
        if crypto_provider.mat_desc:
            settings["matdesc"] = dict(crypto_provider.mat_desc)
    else:
        raise oss2_exceptions.ClientError(f"unsupported crypto_provider {type(crypto_provider).__name__}")
    endpoint = endpoint if "://" in endpoint else "https://" + endpoint
    # oss2's CryptoBucket returns an object stored without an envelope as
    # it is, and so does the drop-in (oss_cse.Client refuses it by default).
    return _native.Client(endpoint, region, allow_plaintext=True, **settings)


def _oss2_error(error):
    """oss2's exception for an oss_cse one: the ServerError subclass of OSS's code, else a ClientError."""
    status = getattr(error, "status", None)
    code = getattr(error, "code", None)
    if status is None or code is None:
        return oss2_exceptions.ClientError(str(error))
    details = {"Code": code, "Message": str(error), "RequestId": error.request_id or "", "EC": error.ec or ""}
    headers = {"x-oss-request-id": error.request_id or ""}
    cls = oss2_exceptions._OSS_ERROR_TO_EXCEPTION.get((status, code), oss2_exceptions.ServerError)  # noqa: SLF001
    if cls is oss2_exceptions.ServerError:
        return oss2_exceptions.ServerError(status, headers, b"", details)
    return cls(status, headers, b"", details)


class _Reply:
    """What oss2's result classes read from an HTTP reply."""

    def __init__(self, status, headers, request_id):
        self.status = status
        self.headers = oss2.CaseInsensitiveDict(headers)
        self.request_id = request_id or ""


class GetObjectResult(models.RequestResult):
    """oss2's ``GetObjectResult`` shape over the engine's decrypted stream: ``read([amt])``, iteration in chunks,
    ``headers``, ``content_length``, ``etag``, ``last_modified``, ``content_type``, ``object_type``, ``close()``."""

    def __init__(self, stream, progress_callback=None):
        super().__init__(_Reply(stream.status, stream.headers, stream.request_id))
        self.stream = stream
        self._progress = progress_callback
        self._consumed = 0
        self.content_length = stream.content_length
        self.content_range = self.headers.get("content-range")
        self.object_type = self.headers.get("x-oss-object-type")
        self.content_type = self.headers.get("content-type")
        self.etag = self.headers.get("etag", "").strip('"').upper()
        self.last_modified = oss2.utils.to_unixtime(self.headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT") \
            if "last-modified" in self.headers else None
        # As oss2's: the server's CRC-64 of what it stored (the ciphertext);
        # client_crc is the engine's over what arrived, for a whole read.
        crc = self.headers.get("x-oss-hash-crc64ecma")
        self.server_crc = int(crc) if crc is not None else None

    @property
    def client_crc(self):
        return self.stream.crc64

    def read(self, amt=None):
        try:
            data = self.stream.read(-1 if amt is None else amt)
        except _native.Error as error:
            raise _oss2_error(error) from error
        # oss2 reports the bytes read so far and the reply's length.
        self._consumed += len(data)
        if self._progress and (data or amt is None):
            self._progress(self._consumed, self.content_length)
        return data

    def __iter__(self):
        return self

    def __next__(self):
        chunk = self.read(_CHUNK)
        if not chunk:
            raise StopIteration
        return chunk

    next = __next__

    def close(self):
        self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _guarded(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except _native.Error as error:
        raise _oss2_error(error) from error


class CryptoBucket(oss2.CryptoBucket):
    """oss2's ``CryptoBucket``, on the oss-cse engine (see the module's docs). It is an ``oss2.CryptoBucket``, so
    ``oss2.resumable_upload`` and ``oss2.resumable_download`` treat it as one; none of oss2's crypto code runs."""

    def __init__(self, auth, endpoint, bucket_name, crypto_provider, is_cname=False, session=None,
                 connect_timeout=None, app_name="", enable_crc=True, proxies=None, region=None, cloudbox_id=None,
                 is_path_style=False):
        if not isinstance(crypto_provider, (RsaProvider, AliKMSProvider)):
            raise oss2_exceptions.ClientError("crypto_provider must be an instance of RsaProvider or AliKMSProvider")
        # oss2.Bucket's set-up, not oss2.CryptoBucket's: its upload contexts hold data keys, which stay in the engine.
        oss2.Bucket.__init__(self, auth, endpoint, bucket_name, is_cname=is_cname, session=session,
                             connect_timeout=connect_timeout, app_name=app_name, enable_crc=enable_crc,
                             proxies=proxies, region=region, cloudbox_id=cloudbox_id, is_path_style=is_path_style)
        self.crypto_provider = crypto_provider
        self._engine_settings = (auth, endpoint, region)
        self._engine_state = _materials_state(crypto_provider)
        self._engine_client = _engine(auth, endpoint, crypto_provider, region)
        # oss2's: the requests this class sends itself (the inherited ones)
        # say they come from an encryption client.
        if self.app_name:
            self.user_agent = oss2.http.USER_AGENT + "/" + self.app_name + "/" + OSS_ENCRYPTION_CLIENT
        else:
            self.user_agent = oss2.http.USER_AGENT + "/" + OSS_ENCRYPTION_CLIENT

    @property
    def _engine(self):
        """The engine, built again when materials were added to the provider since it was built."""
        state = _materials_state(self.crypto_provider)
        if state != self._engine_state:
            auth, endpoint, region = self._engine_settings
            self._engine_client = _engine(auth, endpoint, self.crypto_provider, region)
            self._engine_state = state
        return self._engine_client

    def _init_user_agent(self, headers):
        if "User-Agent" not in headers:
            headers["User-Agent"] = self.user_agent
        else:
            headers["User-Agent"] += "/" + OSS_ENCRYPTION_CLIENT

    def put_object(self, key, data, headers=None, progress_callback=None):
        """bytes and str are sent at once; a file object is streamed (with a Content-Length header, as it is read;
        without, through a ciphertext spool): never read whole into memory."""
        # The Content-Type oss2 would send: the caller's, else guessed from the key.
        headers = oss2.utils.set_content_type(oss2.CaseInsensitiveDict(headers), key)
        if hasattr(data, "read"):
            return self._put_stream(key, data, headers, progress_callback)
        if isinstance(data, str):
            data = data.encode("utf-8")
        headers = _request_headers(headers)
        etag, crc64, request_id = _guarded(self._engine.put_with_headers, self.bucket_name, key, bytes(data), headers)
        reply_headers = {"etag": f'"{etag}"', "x-oss-request-id": request_id or ""}
        if crc64 is not None:
            reply_headers["x-oss-hash-crc64ecma"] = str(crc64)
        if progress_callback:
            progress_callback(len(data), len(data))
        return models.PutObjectResult(_Reply(200, reply_headers, request_id))

    def _put_stream(self, key, data, headers, progress_callback):
        length = headers.get("content-length")
        expected = int(length) if length is not None else _size_left(data)
        writer = _guarded(self._engine.open, self.bucket_name, key, "wb", expected_size=expected,
                          headers=_request_headers(headers))
        sent = 0
        with writer:
            while True:
                chunk = data.read(_CHUNK * 16)
                if not chunk:
                    break
                chunk = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
                _guarded(writer.write, chunk)
                sent += len(chunk)
                if progress_callback:
                    progress_callback(sent, expected)
            etag = _guarded(writer.close)
        return models.PutObjectResult(_Reply(200, {"etag": f'"{etag}"'}, None))

    def put_object_from_file(self, key, filename, headers=None, progress_callback=None):
        """The file is streamed (in parallel parts when large), never read whole into memory."""
        filename = oss2.to_unicode(filename)
        headers = _request_headers(oss2.utils.set_content_type(oss2.CaseInsensitiveDict(headers), filename))
        progress = (lambda done, total: progress_callback(done, total)) if progress_callback else None
        etag = _guarded(self._engine.put_file, self.bucket_name, key, filename, progress=progress, headers=headers)
        return models.PutObjectResult(_Reply(200, {"etag": f'"{etag}"'}, None))

    def append_object(self, key, position, data, headers=None, progress_callback=None, init_crc=None):
        raise oss2_exceptions.ClientError("The operation is not support for CryptoBucket")

    def put_object_with_url(self, sign_url, data, headers=None, progress_callback=None):
        raise oss2_exceptions.ClientError("The operation is not support for CryptoBucket now")

    def get_object(self, key, byte_range=None, headers=None, progress_callback=None, process=None, params=None):
        if process or (params and oss2.Bucket.PROCESS in params):
            raise oss2_exceptions.ClientError("Process object operation is not support for Crypto Bucket")
        stream = _guarded(self._engine.stream, self.bucket_name, key, _range(byte_range), **_conditions(headers))
        return GetObjectResult(stream, progress_callback)

    def get_object_with_url(self, sign_url, byte_range=None, headers=None, progress_callback=None):
        """The object a URL signed for this bucket names, read and decrypted by the engine with this bucket's
        credentials (the URL's own signature and expiry are not used: the engine signs each request itself)."""
        parts = urllib.parse.urlsplit(sign_url)
        if oss2.Bucket.PROCESS in urllib.parse.parse_qs(parts.query):
            raise oss2_exceptions.ClientError("Process object operation is not support for Crypto Bucket")
        path = urllib.parse.unquote(parts.path)
        if parts.hostname and parts.hostname.startswith(self.bucket_name + "."):
            key = path[1:]
        elif path.startswith(f"/{self.bucket_name}/"):
            key = path[len(self.bucket_name) + 2:]
        else:
            raise oss2_exceptions.ClientError(f"the signed URL does not name an object of bucket {self.bucket_name}")
        return self.get_object(key, byte_range=byte_range, headers=headers, progress_callback=progress_callback)

    def get_object_to_file(self, key, filename, byte_range=None, headers=None, progress_callback=None,
                           process=None, params=None):
        """The plaintext is written as it is decrypted; a failed read leaves no file behind."""
        filename = oss2.to_unicode(filename)
        result = self.get_object(key, byte_range=byte_range, headers=headers, progress_callback=progress_callback,
                                 process=process, params=params)
        try:
            with open(filename, "wb") as f:
                for chunk in result:
                    f.write(chunk)
        except BaseException:
            if os.path.exists(filename):
                os.remove(filename)
            raise
        return result

    def upload_part_copy(self, source_bucket_name, source_key, byte_range, target_key, target_upload_id,
                         target_part_number, headers=None, params=None):
        raise oss2_exceptions.ClientError("The operation is not support for CryptoBucket now")

    def process_object(self, key, process, headers=None):
        raise oss2_exceptions.ClientError("The operation is not support for CryptoBucket")

    def create_select_object_meta(self, key, select_meta_params=None, headers=None):
        raise oss2_exceptions.ClientError("The operation is not support for Crypto Bucket")

    def select_object(self, key, sql, progress_callback=None, select_params=None, byte_range=None, headers=None):
        raise oss2_exceptions.ClientError("The operation is not support for CryptoBucket")

    def init_multipart_upload(self, key, headers=None, params=None, upload_context=None):
        """As oss2's: the upload context says the data size and part size (OSS needs both to start an encrypted
        upload); it keeps the upload's key material for the parts, in this process."""
        if upload_context is None or not upload_context.data_size:
            raise oss2_exceptions.ClientError(
                "It is not support none upload_context and must specify data_size of upload_context")
        # oss2's part-size rules (16-byte aligned, at least oss2.defaults.min_part_size, at most
        # oss2.defaults.max_part_count parts), and its choice when none is given.
        cipher = self.crypto_provider.cipher
        if upload_context.part_size:
            if not cipher.is_valid_part_size(upload_context.part_size, upload_context.data_size):
                raise oss2_exceptions.ClientError("part_size is invalid for multipart upload for CryptoBucket")
        else:
            upload_context.part_size = cipher.determine_part_size(upload_context.data_size)
        headers = _request_headers(oss2.CaseInsensitiveDict(headers))
        upload = _guarded(self._engine.initiate_multipart, self.bucket_name, key, upload_context.data_size,
                          upload_context.part_size, headers)
        self._uploads[upload.upload_id] = upload
        upload_context.content_crypto_material = _material(self.crypto_provider, upload)
        result = models.InitMultipartUploadResult(_Reply(200, {}, None))
        result.upload_id = upload.upload_id
        return result

    def upload_part(self, key, upload_id, part_number, data, progress_callback=None, headers=None,
                    upload_context=None):
        upload = self._upload(key, upload_id, upload_context)
        if hasattr(data, "read"):
            data = data.read()
        etag, crc64 = _guarded(self._engine.upload_part, upload, part_number, bytes(data))
        reply_headers = {"etag": f'"{etag}"'}
        if crc64 is not None:
            reply_headers["x-oss-hash-crc64ecma"] = str(crc64)
        if progress_callback:
            progress_callback(len(data), len(data))
        return models.PutObjectResult(_Reply(200, reply_headers, None))

    def abort_multipart_upload(self, key, upload_id, headers=None):
        self._uploads.pop(upload_id, None)
        return oss2.Bucket.abort_multipart_upload(self, key, upload_id, headers=headers)

    def complete_multipart_upload(self, key, upload_id, parts, headers=None):
        self._uploads.pop(upload_id, None)
        return oss2.Bucket.complete_multipart_upload(self, key, upload_id, parts, headers=headers)

    def _upload(self, key, upload_id, upload_context):
        """The engine's upload: the one this object started, else taken up from the context's material (a record of
        oss2's resumable upload, another process's upload) once OSS confirms the upload holds that wrapped key."""
        material = getattr(upload_context, "content_crypto_material", None)
        upload = getattr(material, "_oss_cse_upload", None)
        if upload is not None and upload.upload_id == upload_id:
            return upload
        if upload_id in self._uploads:
            return self._uploads[upload_id]
        if material is None or not getattr(material, "encrypted_key", None):
            raise oss2_exceptions.ClientError(
                "upload_context with the upload's content_crypto_material is required for an upload this bucket "
                "object did not start")
        envelope = material.to_object_meta(None, upload_context)
        envelope = [(name.lower(), str(value)) for name, value in envelope.items()]
        upload = _guarded(self._engine.reopen_multipart, self.bucket_name, key, upload_id, envelope)
        self._uploads[upload_id] = upload
        return upload

    @property
    def _uploads(self):
        uploads = self.__dict__.get("_oss_cse_uploads")
        if uploads is None:
            uploads = self.__dict__["_oss_cse_uploads"] = {}
        return uploads


def _material(provider, upload):
    """oss2's ``ContentCryptoMaterial`` of an engine upload (wrapped key and IV, algorithms, matdesc: what oss2's
    resumable upload records), holding the engine's upload; the data key stays in the engine."""
    envelope = dict(upload.envelope_headers)

    def field(suffix):
        return envelope.get("x-oss-meta-client-side-encryption-" + suffix)

    matdesc = field("matdesc")
    material = models.ContentCryptoMaterial(provider.cipher, field("wrap-alg"), base64.b64decode(field("key")),
                                            base64.b64decode(field("start")), json.loads(matdesc) if matdesc else None)
    material._oss_cse_upload = upload
    return material


def _range(byte_range):
    """oss2's byte_range as the engine takes it: (first, last) inclusive, (first, None) to the end; a range oss2
    would not send (last before first) reads the whole object, as oss2 does. (None, n), the last n bytes, is
    refused as oss2's CryptoBucket refuses it (``oss_cse.Client`` reads it)."""
    if byte_range is None:
        return None
    start, last = byte_range
    if start is None and last is not None:
        raise oss2_exceptions.ClientError("Don't support range get while start is none and end is not")
    if start is not None and last is not None and last < start:
        return None
    return (start, last)


def _size_left(data):
    """The bytes left in a file object, as oss2 finds them (``len``, or seek and tell); None for a pure stream."""
    if hasattr(data, "__len__"):
        return len(data)
    if hasattr(data, "len"):
        return data.len
    try:
        position = data.tell()
        end = data.seek(0, os.SEEK_END)
        data.seek(position)
        return end - position
    except (AttributeError, OSError, ValueError):
        return None


def _conditions(headers):
    """The conditional headers of a GET (oss2's resumable download sends If-Match and If-Unmodified-Since) as the
    engine takes them."""
    headers = oss2.CaseInsensitiveDict(headers)
    conditions = {}
    for header, name in (("if-match", "if_match"), ("if-none-match", "if_none_match")):
        if headers.get(header):
            conditions[name] = headers[header]
    for header, name in (("if-modified-since", "if_modified_since"), ("if-unmodified-since", "if_unmodified_since")):
        if headers.get(header):
            conditions[name] = int(email.utils.parsedate_to_datetime(headers[header]).timestamp())
    return conditions


def _request_headers(headers):
    """Request headers as the engine takes them; the User-Agent is the engine's own."""
    return [(name.lower(), str(value)) for name, value in headers.items() if name.lower() != "user-agent"]


def _checkpoint(store, verb, bucket, key, filename):
    """A checkpoint file in a private folder (``store``: a folder path, or the folder of oss2's ``ResumableStore`` or
    ``ResumableDownloadStore``; by default ~/.py-oss-cse-checkpoints), named after the transfer."""
    store = getattr(store, "dir", store)
    folder = store if store is not None else os.path.join(os.path.expanduser("~"), ".py-oss-cse-checkpoints")
    _native.prepare_checkpoint_folder(folder)
    name = hashlib.sha256("\n".join([verb, bucket.bucket_name, key, os.path.abspath(filename)]).encode()).hexdigest()
    return os.path.join(folder, f"{verb}-{name[:32]}.json")


def resumable_upload(bucket, key, filename, store=None, headers=None, progress_callback=None, **ignored):
    """The fast equivalent of ``oss2.resumable_upload`` for a drop-in ``CryptoBucket``: the engine's parallel,
    checkpointed upload (a rerun after an interruption sends only the parts left). ``store`` is a folder path for
    the checkpoint (made private); oss2's tuning arguments (part size, threads, threshold) are the client's."""
    filename = oss2.to_unicode(filename)
    headers = _request_headers(oss2.utils.set_content_type(oss2.CaseInsensitiveDict(headers), filename))
    checkpoint = _checkpoint(store, "upload", bucket, key, filename)
    etag = _guarded(bucket._engine.put_file, bucket.bucket_name, key, filename, checkpoint=checkpoint,  # noqa: SLF001
                    progress=progress_callback, headers=headers)
    return models.PutObjectResult(_Reply(200, {"etag": f'"{etag}"'}, None))


def resumable_download(bucket, key, filename, store=None, progress_callback=None, **ignored):
    """The fast equivalent of ``oss2.resumable_download``: parallel ranges, checkpointed, the file appearing only
    once verified."""
    filename = oss2.to_unicode(filename)
    checkpoint = _checkpoint(store, "download", bucket, key, filename)
    _guarded(bucket._engine.get_file, bucket.bucket_name, key, filename, checkpoint=checkpoint,  # noqa: SLF001
             progress=progress_callback)
