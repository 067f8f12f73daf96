"""Realistic district messages with what capture must make of each, on the demo caseload.

Fictional names and places. Each entry: the message, the subjects it must give a (matched)
report each, the candidate sets of the possible reports it must give (each set: refs that must
all be among one possible report's candidates; an empty set is a possible report with no
candidate, e.g. an unknown reference), and optionally the text the officer edited it to (the
outcome is then the one after the edit). No subjects and no possible sets: ordinary chat, which
must record nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    text: str
    matched: frozenset[str] = frozenset()
    possible: tuple[frozenset[str], ...] = ()
    edit: str | None = None
    kind: str = "sighting"
    reply: str | None = None  # a reply in the message's thread

    @property
    def chat(self) -> bool:
        return not self.matched and not self.possible

    @property
    def named(self) -> frozenset[str]:
        return self.matched.union(*self.possible)


def refs(*numbers: int) -> frozenset[str]:
    return frozenset(f"LOM-{n:04d}" for n in numbers)


CHAT = "chat"
SIGHTING = "sighting"
CHECK = "check"
SHIFT = "shift log"
STREET = "street or business"
TYPO = "typo"
PNC = "PNC variant"
TWO = "two subjects"
EDIT = "edit"

CASES: list[Case] = [
    # -- the examples ---------------------------------------------------------------------
    Case(
        "Kelly Inventive seen with Ryan Dummy outside the Corn Exchange at 14:00",
        refs(8, 13),
        kind=TWO,
    ),
    Case(
        "Spotted Invnetive on York Road with a known associate", possible=(refs(8, 25),), kind=TYPO
    ),
    Case("Imagy was driving a hire van on York Road at 3pm", possible=(refs(4, 24),)),
    Case("Seen Imagy driving a hire van on York Road at 3pm", possible=(refs(4, 24),)),
    Case("Is Inventive back out? think I saw him in a van", possible=(refs(8, 25),)),
    Case("PNC 1998/0100296J stopped in a hire van on the A58", refs(8), kind=PNC),
    Case("Stop check on 98/0100296 J at 22:10, driving a grey Corsa", refs(8), kind=PNC),
    Case("98-0100296J seen at the car wash on Kirkstall Road", refs(8), kind=PNC),
    Case("Same story with the pool car again, it's booked out all week", kind=CHAT),
    Case(
        "Anyone know if the Legend car wash on Kirkstall Road is still open? need the van doing",
        kind=STREET,
    ),
    Case("Road closed on Kelly Street until 6pm, van diverted via Meanwood", kind=STREET),
    # -- sightings by reference, PNC ID, full name, alias -------------------------------------
    Case("LOM-0013 seen in a silver Audi on Roundhay Road at 11:40", refs(13)),
    Case("lom 8 spotted outside the nail bar on Harehills Lane", refs(8)),
    Case("Seen Shaun Madeup with two males at the Crown pub, 21:15", refs(3)),
    Case("Big Nathan seen with a wad of cash in the bookies", refs(18)),
    Case("Stacey Mythical spotted at the airport check-in at 06:10", refs(17)),
    Case("Zara Legend seen driving a black Range Rover on the A64", refs(14)),
    Case("Gemma Legend seen at the nail bar on Kirkstall Road again, 12:30", refs(31)),
    Case("Wayne Nobody seen with cash in the bookies on Dewsbury Road", refs(2)),
    Case("Kayleigh Invented spotted at the nail bar in Halifax", refs(1)),
    Case("Tyler Makebelieve stopped in a hired Audi, said it was his cousin's", refs(27)),
    Case("Callum Testcase seen in the car park at the White Rose centre", refs(16)),
    Case("<@U0BRAD> Ryan Dummy seen on your patch in a hire van", refs(13)),
    Case("Seen 'Story' getting into a taxi on Briggate", possible=(refs(8, 28),)),
    Case("Kelly seen in a silver Audi near the ring road", possible=(refs(8, 28),)),
    Case("Spotted Dummy at the petrol station on Easterly Road, 16:05", possible=(refs(13, 30),)),
    Case("Seen Invey at the services with a second phone", possible=(refs(16, 36),)),
    Case("Spotted Invey on a push bike in Armley", possible=(refs(16, 36),)),
    Case("Ficty spotted on a moped in Beeston", possible=(refs(20, 40),)),
    Case("Seen Madeup outside the bookies on Dewsbury Road", possible=(refs(3, 20),)),
    Case("Lee seen at the gym with a second phone", possible=(refs(12, 32),)),
    Case("Seen LOM-0099 with a hire van outside the Crown", possible=(frozenset(),)),
    # -- curfew and stop checks ---------------------------------------------------------------
    Case("Curfew check at 23:00 on Ryan Dummy, no answer at the address", refs(13), kind=CHECK),
    Case("Curfew check LOM-0003 at 22:30, present and compliant", refs(3), kind=CHECK),
    Case("Stop check on Nathan Sample in Chapeltown, had two phones on him", refs(18), kind=CHECK),
    Case(
        "Curfew check on Notreal at 23:30, he answered the door",
        possible=(refs(6, 23, 40),),
        kind=CHECK,
    ),
    # -- PNC IDs written other ways --------------------------------------------------------------
    Case("pnc 98/100296j out in a hire van again", refs(8), kind=PNC),
    Case("PNC 97/0100259H seen at Leeds station at 09:15", refs(7), kind=PNC),
    Case(
        "Stopped a male giving PNC 04/0123456B, driving a hire van",
        possible=(frozenset(),),
        kind=PNC,
    ),
    Case("PNC 98/0100296K stopped on the A58 in a hire van", possible=(refs(8),), kind=PNC),
    Case("Job 12/0345678A closed, van returned to the compound", kind=CHAT),
    # -- typos ---------------------------------------------------------------------------------
    Case("Shuan Madeup driving a white Transit on the ring road", refs(3), kind=TYPO),
    Case("Kelly Inventve seen in a hire van on the A61", refs(8), kind=TYPO),
    Case("Nathan Smaple seen with a laptop at the library", refs(18), kind=TYPO),
    Case("Seen Dumy driving a hire van on Easterly Road", possible=(refs(13, 30),), kind=TYPO),
    # -- two subjects --------------------------------------------------------------------------
    Case(
        "Kelly Inventive and Shaun Madeup together at the Corn Exchange at 14:00",
        refs(8, 3),
        kind=TWO,
    ),
    Case("LOM-0008 seen with Ryan Dummy at the car wash", refs(8, 13), kind=TWO),
    Case("Darren Madeup and Dean Unreal both seen in the Crown, 20:00", refs(20, 5), kind=TWO),
    Case("Jordan Pretend with Jordan Notreal on Chapeltown Road, 17:45", refs(26, 6), kind=TWO),
    Case(
        "Seen Kelly Fable and Kelly Inventive together at the Corn Exchange", refs(28, 8), kind=TWO
    ),
    Case("Ryan Testcase seen driving Ryan Dummy's car on the ring road", refs(33, 13), kind=TWO),
    Case(
        "Ryan Dummy seen with Imagy at the car wash on Kirkstall Road",
        refs(13),
        possible=(refs(4, 24),),
        kind=TWO,
    ),
    Case(
        "Imagy and Invey seen together at the car wash on Kirkstall Road",
        possible=(refs(4, 24), refs(16, 36)),
        kind=TWO,
    ),
    Case(
        "Shift summary 14/11: 0900 briefing. 1030 passing attention Harehills, nothing of note. "
        "1315 Ryan Dummy seen on Roundhay Road talking to Kelly Inventive, both on foot. "
        "1500 RTC on Stonegate Road dealt with. 1720 stop check on a Corsa, no trace.",
        refs(13, 8),
        kind=SHIFT,
    ),
    Case(
        "Lates summary: quiet until 2200. Curfew check on Shaun Madeup at 2230, present. "
        "Concern for welfare on Kelly Street, all fine. Pool car back with a full tank.",
        refs(3),
        kind=SHIFT,
    ),
    # -- ordinary chat, banter, streets and businesses ---------------------------------------
    Case("Morning all, briefing at 07:00 in the parade room", kind=CHAT),
    Case("Mark the van as off road please, the clutch has gone", kind=CHAT),
    Case("Who's got the keys for the pool car?", kind=CHAT),
    Case("Legend, thanks for covering my shift", kind=CHAT),
    Case("Anyone fancy a brew?", kind=CHAT),
    Case("The van's booked in for a service at the garage on Kelly Street", kind=STREET),
    Case("Great story in the Evening Post about the car wash raids", kind=CHAT),
    Case("Nobody seen at the address today, curtains drawn", kind=CHAT),
    Case("Dummy run of the new radio system at 2pm, be there", kind=CHAT),
    Case("Example of a good stop search write-up attached, have a read", kind=CHAT),
    Case("Seen the Legend Car Wash sign has been taken down on Kirkstall Road", kind=STREET),
    Case("Parked in the car park at Elland Road for the match detail", kind=CHAT),
    Case("Big job on tonight, van crew meet at 18:00", kind=CHAT),
    Case("Sample bags are in the property store", kind=CHAT),
    Case("Any news on the Storybook cafe burglary?", kind=STREET),
    Case("Who has the fable of the lost radio? Sarge wants it back", kind=CHAT),
    Case("Anyone seen my stab vest? Left it in the car", kind=CHAT),
    Case("Kelly Street car wash has reopened, anyone want theirs done?", kind=STREET),
    Case("Invented a new rota for next week, have a look and shout", kind=CHAT),
    Case("The story is the van got clamped outside the station again", kind=CHAT),
    Case(
        "Stop checks on the Legend Motors forecourt tonight, seen a few dodgy plates", kind=STREET
    ),
    # -- edits ---------------------------------------------------------------------------------
    Case(
        "Seen Shaun Madeup at the car wash on Kirkstall Road",
        refs(23),
        edit="Sorry, meant Shaun Notreal, seen at the car wash on Kirkstall Road",
        kind=EDIT,
    ),
    Case(
        "Road closed on Kelly Street until 6pm",
        refs(8),
        edit="Road closed on Kelly Street until 6pm, Kelly Inventive seen in a hire van there",
        kind=EDIT,
    ),
    Case(
        "Ryan Dummy seen on Roundhay Road in a van",
        possible=(refs(13, 33),),
        edit="Ryan seen on Roundhay Road in a van, not sure which one",
        kind=EDIT,
    ),
    Case(
        "Kelly Inventive seen on Roundhay Road in a van",
        refs(8, 13),
        edit="Kelly Inventive seen on Roundhay Road in a van with Ryan Dummy",
        kind=EDIT,
    ),
]
