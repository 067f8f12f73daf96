"""Transfer packs: one verified bundle of a subject's whole record, from one force to another.

The pipeline: collect (the record as models) -> summary (.docx) -> bundle (zip + manifest of
SHA-256s) -> export (audited disclosure); and verify (hashes, version, schema) -> receive
(subject, orders and records created as transferring in, or a dry run of it)."""

from lom_bot.services.transfer_pack.export import ExportTransfer, PackMade, make_pack
from lom_bot.services.transfer_pack.receive import ImportTransfer, import_pack
from lom_bot.services.transfer_pack.receive_report import Imported
from lom_bot.services.transfer_pack.verify import Pack, PackRefused, open_pack

__all__ = [
    "ExportTransfer",
    "ImportTransfer",
    "Imported",
    "Pack",
    "PackMade",
    "PackRefused",
    "import_pack",
    "make_pack",
    "open_pack",
]
