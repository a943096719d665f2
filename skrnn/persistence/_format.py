"""The file itself: one ``torch.save`` archive, written atomically, read within bounds.

A file is a zip archive of uncompressed members (what ``torch.save`` writes)
holding a dict of plain data and tensors, with a SHA-256 checksum over all of
it. Reading it costs at most a small multiple of its size: members must be
stored uncompressed and fit in the file, tensors must be plain contiguous
arrays, and walking the payload is budgeted by the file's size, so neither a
zip bomb, a stride-0 tensor nor a structure that repeats one object many times
can make a small file large in memory.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import hashlib
import os
import zipfile

import torch

FORMAT = "skrnn-model"
FORMAT_VERSION = 2
# Far deeper than any payload skrnn writes, far shallower than the recursion
# limit of the checksum's walk.
MAX_DEPTH = 64


# -------------------------------------------------------------------- writing


def write_atomic(payload, path):
    """Write ``payload`` to ``path`` so that the file is either old or new, never cut.

    The archive goes to a temporary file in the destination's folder, is
    flushed to the disk and then renamed over ``path``; on any failure (a full
    disk, say) the temporary file is removed and an existing ``path`` is left
    untouched.
    """
    # through a symbolic link to the file it names, as writing in place would
    path = os.path.realpath(os.fspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{path} is a folder: give save() a file path, such as "
            f"{os.path.join(path, 'model.skrnn')}."
        )
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"The folder {folder} does not exist: create it first "
            "(os.makedirs(folder, exist_ok=True))."
        )
    temporary = os.path.join(
        folder, f".{os.path.basename(path)}.{os.urandom(6).hex()}.tmp"
    )
    # os.open, not tempfile.mkstemp: the file gets the umask's permissions, as
    # a file written in place would, or those of the file it replaces
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        with os.fdopen(fd, "wb") as file:
            torch.save(payload, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _sync_folder(folder):
    """Make the rename durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems do not sync folders
        pass
    finally:
        os.close(fd)


# -------------------------------------------------------------------- reading


def read_payload(path):
    """Read and check the payload of the file at ``path``.

    Raises
    ------
    ValueError
        If the file is not a skrnn model file, was damaged or altered, or
        uses another format version; the message says which.
    OSError
        If the file cannot be read.
    """
    size = os.path.getsize(path)
    _check_archive(path, size)
    try:
        payload = torch.load(path, weights_only=True, map_location="cpu")
    except OSError:
        raise
    except Exception as exc:  # unreadable or unsafe content: one clear error
        raise ValueError(
            f"{path} is damaged or altered, or not a skrnn model file: it does "
            "not read as tensors and plain data "
            f"({type(exc).__name__})."
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path} is not a skrnn model file (written by save()).")
    version = payload.get("format_version")
    if version != FORMAT_VERSION:
        saved_by = payload.get("versions", {}).get("skrnn", "unknown")
        raise ValueError(
            f"{path} uses skrnn model format {version!r} (written by skrnn "
            f"{saved_by}); this skrnn reads format {FORMAT_VERSION}. Load it "
            "with the skrnn version that wrote it."
        )
    try:
        _check_payload(payload, budget=2 * size + 2**20)
        intact = payload.get("checksum") == checksum(payload)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{path} is damaged or altered: {exc}. skrnn never writes such a file."
        ) from exc
    if not intact:
        raise ValueError(
            f"{path} failed its integrity check: the file was damaged or "
            "altered after it was saved."
        )
    return payload


def _check_archive(path, size):
    """Refuse archives whose members are compressed or do not fit in the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    # (NotImplementedError: a zip version or compression zipfile cannot read)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        with open(path, "rb") as file:
            pickled = file.read(1) == b"\x80"  # pickle's protocol opcode
        if pickled:
            raise ValueError(
                f"{path} is a pickle (what pickle and joblib write), not a skrnn "
                "model file: loading a pickle runs code chosen by whoever wrote "
                "it, so skrnn never does. If you wrote it yourself, load it with "
                "joblib.load or pickle.load; otherwise do not load it."
            ) from exc
        raise ValueError(
            f"{path} is damaged or altered, or not a skrnn model file: it is "
            f"not a readable archive ({exc})."
        ) from exc
    stored = sum(member.file_size for member in members)
    if stored > size or any(m.compress_type != zipfile.ZIP_STORED for m in members):
        raise ValueError(
            f"{path} is altered: its members are compressed or overlap "
            f"({stored} bytes declared in a file of {size}), which torch.save "
            "never writes."
        )


def _check_payload(payload, budget):
    """Walk the payload once, refusing what would cost more than ``budget`` bytes.

    A tensor must be a plain contiguous array (a stride-0 view of one number
    would otherwise be materialized by the checksum); every value counts its
    size, so an object repeated many times by reference exhausts the budget.
    """
    stack, cost = [(payload, 0)], 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"its content is nested more than {MAX_DEPTH} deep")
        if isinstance(value, torch.Tensor):
            if value.layout != torch.strided or not value.is_contiguous():
                raise ValueError("it holds a tensor that is not a plain array")
            cost += value.numel() * value.element_size()
        elif isinstance(value, dict):
            cost += len(value)
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple):
            cost += len(value)
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str | bytes):
            cost += len(value)
        elif value is None or isinstance(value, bool | int | float):
            cost += 1
        else:
            raise ValueError(f"it holds a {type(value).__name__}")
        if cost > budget:
            raise ValueError(
                "its content would take far more memory than the file's size"
            )


# ------------------------------------------------------------------ checksum


def _digest(value, digest):
    """Feed ``value`` to ``digest``, every part prefixed by its type and length."""
    if isinstance(value, torch.Tensor):
        flat = value.detach().cpu().reshape(-1)
        # a fresh buffer: a damaged file can give a tensor strides (0 on a
        # dimension of one) that contiguous() keeps and view() refuses
        data = torch.empty(flat.shape, dtype=flat.dtype).copy_(flat)
        data = data.view(torch.uint8)
        digest.update(f"tensor {value.dtype} {tuple(value.shape)} ".encode())
        digest.update(data.numpy())
    elif isinstance(value, dict):
        digest.update(f"dict {len(value)} ".encode())
        for key in sorted(value, key=repr):
            _digest(key, digest)
            _digest(value[key], digest)
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__} {len(value)} ".encode())
        for item in value:
            _digest(item, digest)
    elif value is None or isinstance(value, bool | int | float | str | bytes):
        data = value if isinstance(value, bytes) else repr(value).encode()
        digest.update(f"{type(value).__name__} {len(data)} ".encode() + data)
    else:
        raise TypeError(f"unexpected {type(value).__name__} in the payload")


def checksum(payload):
    """SHA-256 over everything in ``payload`` but its ``"checksum"``."""
    digest = hashlib.sha256()
    _digest({k: v for k, v in payload.items() if k != "checksum"}, digest)
    return digest.hexdigest()
