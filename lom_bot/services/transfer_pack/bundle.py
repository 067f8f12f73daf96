"""Bundle: the pack's files and its manifest (every file with its SHA-256) in one zip."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.collect import Collected

MANIFEST = "manifest.json"
SUMMARY = "summary.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry times carry nothing: created_at says when


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def producer() -> str:
    try:
        return f"lom-bot {version('lom-bot')}"
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "lom-bot"


def new_bundle_id() -> str:
    return str(uuid.uuid4())


def json_bytes(model: m.Strict) -> bytes:
    return (model.model_dump_json(indent=2) + "\n").encode()


def build_zip(
    collected: Collected,
    summary: bytes,
    *,
    bundle_id: str,
    created_at: datetime,
    sending_force: str,
    receiving_force: str,
    officer: m.Officer,
) -> tuple[bytes, m.Manifest]:
    """The zip's bytes and its manifest; the manifest lists every other file in the zip."""
    files: dict[str, tuple[bytes, str, str]] = {}
    for path, content in collected.content().items():
        files[path] = (json_bytes(content), "application/json", m.CONTENT[path][1])
    for record in collected.documents.documents:
        files[record.path] = (collected.files[record.path], _media(record.filename), record.kind)
    files[SUMMARY] = (summary, DOCX, f"human-readable summary, marked {m.MARKING}")
    manifest = m.Manifest(
        format=m.FORMAT,
        schema_version=m.SCHEMA_VERSION,
        bundle_id=bundle_id,
        created_at=created_at,
        sending_force=sending_force,
        receiving_force=receiving_force,
        officer=officer,
        subject=m.SubjectRef(
            ref=collected.subject.ref,
            name=f"{collected.subject.given_names} {collected.subject.family_name}",
        ),
        producer=producer(),
        marking=m.MARKING,
        files=[
            m.FileEntry(
                path=path, sha256=sha256(data), bytes=len(data), media_type=media, describes=what
            )
            for path, (data, media, what) in files.items()
        ],
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, MANIFEST, json_bytes(manifest))
        for path, (data, _, _) in files.items():
            _write(archive, path, data)
    return out.getvalue(), manifest


def _write(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
    info = zipfile.ZipInfo(path, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _media(filename: str) -> str:
    if filename.lower().endswith(".docx"):
        return DOCX
    if filename.lower().endswith(".pdf"):
        return "application/pdf"
    return "application/octet-stream"


def fingerprint(zip_bytes: bytes) -> str:
    """The SHA-256 of the manifest as stored in the zip: quote it to the receiving force."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return sha256(archive.read(MANIFEST))
