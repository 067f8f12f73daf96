"""The UK's police forces and the jurisdiction each polices. An SCPO made in England and Wales
protects only England and Wales: Scotland, Northern Ireland and the Crown Dependencies
(Jersey, Guernsey, the Isle of Man) each need their own order. Forces are chosen from this
list (a menu in Slack), never typed free, so a move out of the jurisdiction is always seen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lom_bot.domain.errors import InvalidInput

ENGLAND_WALES = "england_wales"
JURISDICTIONS = {
    ENGLAND_WALES: "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
    "jersey": "Jersey",
    "guernsey": "Guernsey",
    "isle_of_man": "the Isle of Man",
}


@dataclass(frozen=True)
class Force:
    key: str
    name: str
    jurisdiction: str  # a key of JURISDICTIONS
    aliases: tuple[str, ...] = ()

    @property
    def outside_england_wales(self) -> bool:
        return self.jurisdiction != ENGLAND_WALES

    @property
    def place(self) -> str:
        return JURISDICTIONS[self.jurisdiction]


_EW = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire",
    "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Metropolitan", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
)  # fmt: skip


# The eight Scottish forces merged into Police Scotland in 2013: their names still turn up.
_SCOTTISH_FORMER = (
    "scotland", "strathclyde", "lothian and borders", "grampian", "tayside", "fife",
    "central scotland", "dumfries and galloway", "northern constabulary",
)  # fmt: skip


def _key(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    drop = {"police", "constabulary", "service", "force", "the", "of"}
    return "_".join(w for w in words if w not in drop) or "_".join(words)


FORCES: tuple[Force, ...] = (
    *(Force(_key(n), f"{n} Police", ENGLAND_WALES) for n in _EW),
    Force("police_scotland", "Police Scotland", "scotland", _SCOTTISH_FORMER),
    Force("psni", "Police Service of Northern Ireland", "northern_ireland", ("northern ireland",)),
    Force("jersey", "States of Jersey Police", "jersey", ("states of jersey",)),
    Force("guernsey", "Guernsey Police", "guernsey", ("bailiwick of guernsey",)),
    Force("isle_of_man", "Isle of Man Constabulary", "isle_of_man", ("iom", "manx")),
)
_BY_NAME: dict[str, Force] = {}
for _force in FORCES:
    for _word in (_force.key, _force.name, *_force.aliases):
        _BY_NAME.setdefault(_key(_word), _force)


def force(text: str) -> Force:
    """The force named by its key, name or a former name; refused (with the choices) otherwise."""
    found = _BY_NAME.get(_key(text or ""))
    if found is None:
        raise InvalidInput(
            f"'{(text or '')[:40]}' is not a UK police force I know. Choose one from the list: "
            + ", ".join(f.key for f in FORCES)
            + ".",
            field="force",
            example="merseyside, police_scotland, psni, jersey, guernsey, isle_of_man",
        )
    return found
