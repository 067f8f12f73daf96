"""Verify: open a pack, check its manifest, version and every file's SHA-256, parse its files.

Every refusal is one line saying what is wrong, and nothing is read into the database from a
pack that fails any check."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from lom_bot.domain.errors import DomainError
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.bundle import MANIFEST, SUMMARY, sha256

T = TypeVar("T", bound=m.Strict)
MAX_PACK_BYTES = 200 * 1024 * 1024  # unpacked; a real pack is well under a megabyte or two
MAX_FILES = 2000


class PackRefused(DomainError):
    """The file is not a pack this lom-bot can trust and read."""


@dataclass(frozen=True)
class Pack:
    """A verified pack: its manifest, parsed files, documents' bytes and its fingerprint."""

    manifest: m.Manifest
    subject: m.SubjectFile
    orders: m.OrdersFile
    contacts: m.ContactsFile
    checks: m.ChecksFile
    intelligence: m.IntelligenceFile
    breaches: m.BreachesFile
    documents: m.DocumentsFile
    files: dict[str, bytes]  # every file but the manifest, by path
    fingerprint: str  # SHA-256 of manifest.json
    raw: bytes


def open_pack(data: bytes) -> Pack:
    """The verified pack, or PackRefused with the first thing wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PackRefused("Refused: not a transfer pack (the file is not a zip).") from None
    with archive:
        infos = archive.infolist()
        _check_names(infos)
        raw_manifest = _read(archive, MANIFEST)
        manifest = _manifest(raw_manifest)
        listed = {f.path: f for f in manifest.files}
        present = {i.filename for i in infos} - {MANIFEST}
        for path in sorted(set(listed) - present):
            raise PackRefused(f"Refused: {path} is listed in the manifest but missing.")
        for path in sorted(present - set(listed)):
            raise PackRefused(f"Refused: {path} is in the zip but not in the manifest.")
        files: dict[str, bytes] = {}
        for entry in manifest.files:
            content = _read(archive, entry.path)
            if len(content) != entry.bytes or sha256(content) != entry.sha256:
                raise PackRefused(
                    f"Refused: {entry.path} does not match its SHA-256 in the manifest "
                    "(the pack was changed after it was made)."
                )
            files[entry.path] = content
    parsed = {path: _parse(path, files.get(path)) for path in m.CONTENT}
    if SUMMARY not in files:
        raise PackRefused(f"Refused: the pack has no {SUMMARY}.")
    documents = _as(parsed["documents.json"], m.DocumentsFile)
    for record in documents.documents:
        if record.path not in files:
            raise PackRefused(f"Refused: documents.json names {record.path}, not in the pack.")
    return Pack(
        manifest=manifest,
        subject=_as(parsed["subject.json"], m.SubjectFile),
        orders=_as(parsed["orders.json"], m.OrdersFile),
        contacts=_as(parsed["contacts.json"], m.ContactsFile),
        checks=_as(parsed["checks.json"], m.ChecksFile),
        intelligence=_as(parsed["intelligence.json"], m.IntelligenceFile),
        breaches=_as(parsed["breaches.json"], m.BreachesFile),
        documents=documents,
        files=files,
        fingerprint=sha256(raw_manifest),
        raw=data,
    )


def _as(value: m.Strict, kind: type[T]) -> T:
    assert isinstance(value, kind)
    return value


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_FILES:
        raise PackRefused(f"Refused: the pack holds {len(infos)} files (at most {MAX_FILES}).")
    if sum(i.file_size for i in infos) > MAX_PACK_BYTES:
        raise PackRefused("Refused: the pack unpacks to more than 200 MB.")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise PackRefused("Refused: the pack holds two files with the same name.")
    for name in names:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise PackRefused(f"Refused: the pack holds a file with an unsafe name ({name[:80]}).")


def _read(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        return archive.read(path)
    except KeyError:
        raise PackRefused(f"Refused: the pack has no {path}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise PackRefused(
            f"Refused: {path} cannot be read (the pack is damaged or was changed)."
        ) from None


def _manifest(raw: bytes) -> m.Manifest:
    try:
        found: Any = json.loads(raw)
    except ValueError:
        raise PackRefused("Refused: manifest.json is not JSON.") from None
    if not isinstance(found, dict) or found.get("format") != m.FORMAT:
        raise PackRefused(f"Refused: not a transfer pack (manifest format is not {m.FORMAT}).")
    version = found.get("schema_version")
    if version != m.SCHEMA_VERSION:
        raise PackRefused(
            f"Refused: unknown transfer pack version {str(version)[:20]} "
            f"(this lom-bot reads version {m.SCHEMA_VERSION})."
        )
    try:
        return m.Manifest.model_validate(found)
    except ValidationError as exc:
        raise PackRefused(f"Refused: manifest.json is not valid: {_first(exc)}.") from None


def _parse(path: str, content: bytes | None) -> m.Strict:
    if content is None:
        raise PackRefused(f"Refused: the pack has no {path}.")
    model = m.CONTENT[path][0]
    try:
        return model.model_validate_json(content)
    except ValidationError as exc:
        raise PackRefused(f"Refused: {path} is not valid: {_first(exc)}.") from None


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "(top)"
    return f"{where}: {error['msg']}"[:200]
