"""Importing a team's existing register (xlsx or csv) of SCPO subjects and their orders."""

from lom_bot.services.importer.report import ImportReport
from lom_bot.services.importer.service import import_register
from lom_bot.services.importer.template import write_template

__all__ = ["ImportReport", "import_register", "write_template"]
