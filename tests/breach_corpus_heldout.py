"""A second, held-out corpus of district messages, written by a reviewer who did not build the
matcher, with what capture must make of each on the demo caseload.

Same form as tests/breach_corpus.py (see its docstring); `reply` is a reply posted in the
message's thread (the outcome is then every report of the message and of its reply). The
wording is deliberately unlike the first corpus: other streets and businesses, other ways of
misspelling, other ways of writing aliases, PNC IDs and references. Fictional names and places.
"""

from __future__ import annotations

from tests.breach_corpus import CHAT, EDIT, PNC, SHIFT, STREET, TWO, TYPO, Case, refs

ALIAS = "alias"
NAMESAKE = "namesake"
REF = "reference"
THREE = "three subjects"
THREAD = "thread reply"

UNKNOWN = frozenset[str]()

CASES: list[Case] = [
    # -- two and three subjects in one message ------------------------------------------------
    Case(
        "Nathan Sample and Aaron Fakename clocked together in a BMW outside the arena, 19:20",
        refs(18, 19),
        kind=TWO,
    ),
    Case(
        "Stacey Mythical, Zara Legend and Craig Pretend all seen at the bingo on Kirkgate at 15:00",
        refs(17, 14, 9),
        kind=THREE,
    ),
    Case(
        "Saw Tyler Placeholder getting into a car driven by Imran Example on the A647",
        refs(7, 15),
        kind=TWO,
    ),
    Case("LOM-0018 and LOM-0038 spotted together at the snooker hall", refs(18, 38), kind=TWO),
    Case(
        "Gemma Fable with Wayne Nobody and Dean Unreal in the beer garden of the Fox, 20:40",
        refs(11, 2, 5),
        kind=THREE,
    ),
    Case(
        "Callum Fakename seen with 'Testy' at the snooker hall on Tong Road",
        refs(36),
        possible=(refs(12, 32),),
        kind=TWO,
    ),
    Case(
        "Stopped 93/0100481D on the A64, passenger was Shaun Notreal",
        refs(13, 23),
        kind=TWO,
    ),
    Case(
        "Aaron Nobody seen with Aaron Fakename at the bus station, both on phones",
        refs(39, 19),
        kind=TWO,
    ),
    # -- shift logs naming several ---------------------------------------------------------------
    Case(
        "Earlies log: 0715 briefing. 0800 school crossing Beeston. 0945 Nathan Invented clocked "
        "at the bus station on his phone. 1130 shoplifter at Trinity, in custody. 1240 Kayleigh "
        "Invented seen in Boots with a male. 1400 paperwork.",
        refs(38, 1),
        kind=SHIFT,
    ),
    Case(
        "Nights summary - 2300 curfew check Ryan Testcase, present. 0130 RTC on the A64 cleared. "
        "0300 Zara Mythical seen walking on Harehills Lane with Jordan Pretend. 0550 back to base.",
        refs(33, 34, 26),
        kind=SHIFT,
    ),
    Case(
        "Handover: 1) Mark Dummy seen fuelling a van at the Esso on Dewsbury Road 1610. "
        "2) Big Lee spotted at the hand car wash 1745. 3) Nothing else.",
        refs(30, 12),
        kind=SHIFT,
    ),
    Case(
        "Day shift: quiet. Weather awful, two RTCs on the ring road. Curfew visit to Stacey "
        "Fictional at 1900 - she was in. Van 3 needs new wipers.",
        refs(37),
        kind=SHIFT,
    ),
    # -- misspelt surnames on their own ---------------------------------------------------------
    Case(
        "Seen Mythcial at the tanning salon with a new phone", possible=(refs(17, 34),), kind=TYPO
    ),
    Case("Makebeleive spotted in a taxi at the station", possible=(refs(10, 27),), kind=TYPO),
    Case("Seen Fakenam driving a red Fiesta, 13:50", possible=(refs(19, 36),), kind=TYPO),
    Case("Stopped Testcasse in a hire van on the ring road", possible=(refs(16, 33),), kind=TYPO),
    Case(
        "Curfew check on Imagenary at 22:00, no reply at the door",
        possible=(refs(12, 29),),
        kind=TYPO,
    ),
    Case("Spotted Plaseholder outside the Co-op with cash", possible=(refs(7, 24),), kind=TYPO),
    Case("Seen Mithical in the bookies with a wad of cash", possible=(refs(17, 34),), kind=TYPO),
    Case("Spotted Fabel in the passenger seat of a Corsa", possible=(refs(11, 28),), kind=TYPO),
    Case("Notreel seen on a moped in Beeston", possible=(refs(6, 23, 40),), kind=TYPO),
    Case("Clocked Dummy in a taxi on Roundhay Road", possible=(refs(13, 30),), kind=TYPO),
    Case("Seen Samplle with a laptop bag at the library", possible=(refs(18, 35),), kind=TYPO),
    # -- aliases: first word, quotes, lower case, punctuation ------------------------------------
    Case("Testy was driving a silver Golf on Tong Road", possible=(refs(12, 32),), kind=ALIAS),
    Case(
        "'Ficty' clocked at the petrol station on Kirkstall Road",
        possible=(refs(20, 40),),
        kind=ALIAS,
    ),
    Case("ficty seen by the bus stop near the Co-op, 18:05", possible=(refs(20, 40),), kind=ALIAS),
    Case("Spotted invey on a moped, no helmet", possible=(refs(16, 36),), kind=ALIAS),
    Case("Seen Story!! at the bus station with a holdall", possible=(refs(8, 28),), kind=ALIAS),
    Case('"Imagy" seen at the taxi rank on Westgate', possible=(refs(4, 24),), kind=ALIAS),
    Case("Imagy's car parked outside the bookies again", possible=(refs(4, 24),), kind=ALIAS),
    Case(
        "Seen 'Testy', 'Ficty' and a third male outside the Fox",
        possible=(refs(12, 32), refs(20, 40)),
        kind=ALIAS,
    ),
    Case("big nathan spotted at the cash machine on Briggate", refs(18), kind=ALIAS),
    Case("Big Mark - seen at the tyre place on Dewsbury Road", refs(30), kind=ALIAS),
    Case("story seen at the bus station this morning", possible=(refs(8, 28),), kind=ALIAS),
    # -- namesakes -------------------------------------------------------------------------------
    Case("Shaun seen getting out of a car on Beeston Hill", possible=(refs(3, 23),), kind=NAMESAKE),
    Case(
        "Is that Fable back in Leeds? saw her at the Co-op",
        possible=(refs(11, 28),),
        kind=NAMESAKE,
    ),
    Case(
        "Notreal spotted at the cash point on Kirkgate",
        possible=(refs(6, 23, 40),),
        kind=NAMESAKE,
    ),
    Case(
        "Kayleigh seen at the tanning place with a phone",
        possible=(refs(1, 21),),
        kind=NAMESAKE,
    ),
    Case(
        "Saw Invented near the bus station with a holdall", possible=(refs(1, 38),), kind=NAMESAKE
    ),
    Case("Saw Imran at the garage with a new phone", possible=(refs(15, 35),), kind=NAMESAKE),
    # -- PNC IDs ---------------------------------------------------------------------------------
    Case("PNC 1993/0100111D stop checked on Tong Road", refs(3), kind=PNC),
    Case("Seen 93/0100111 d in a taxi on York Road", refs(3), kind=PNC),
    Case("93-100111-D seen in a hire car", refs(3), kind=PNC),
    Case("PNC 95/100185F walking on Briggate with a holdall", refs(5), kind=PNC),
    Case("pnc 95/0100185G seen at the station", possible=(refs(5),), kind=PNC),
    Case("Stopped a male, gave PNC 03/12345N, in a hire van", possible=(UNKNOWN,), kind=PNC),
    Case("pnc: 97/100629h seen at Leeds station at 09:40", refs(17), kind=PNC),
    Case("Stopped 98/0100666J driving, passenger 98/0101406J", refs(18, 38), kind=PNC),
    # -- references written oddly ----------------------------------------------------------------
    Case("lom 4 seen in a taxi at the rank", refs(4), kind=REF),
    Case("LOM4 spotted on the 72 bus", refs(4), kind=REF),
    Case("Seen lom-0004.", refs(4), kind=REF),
    Case("LOM 0021 spotted outside the Corn Exchange", refs(21), kind=REF),
    Case("LOM-21, LOM-22 seen together on Kirkgate", refs(21, 22), kind=REF),
    Case("lom0035 curfew check, no answer", refs(35), kind=REF),
    Case("LOM-0045 seen in a hire van", possible=(UNKNOWN,), kind=REF),
    # -- ordinary chat, banter, weather, admin, places and businesses ----------------------------
    Case("Anyone going to Nando's after the shift?", kind=CHAT),
    Case("Heavy rain forecast tonight, bring your coats and check the van wipers", kind=CHAT),
    Case("Sample of the new pocket notebook is on the sergeant's desk", kind=CHAT),
    Case("Roadworks on Storybook Avenue start Monday, car park access via the back", kind=STREET),
    Case("Lift at Fable Court flats is fixed at last", kind=STREET),
    Case("Legend Motors want their courtesy car back by 5", kind=STREET),
    Case("Inventive idea from Dave: use the van for the school talks", kind=CHAT),
    Case("Overtime sheets need signing by Friday", kind=CHAT),
    Case("Pretend you didn't see the state of the parade room", kind=CHAT),
    Case("Nobody spotted anything on the CCTV from the car park", kind=CHAT),
    Case("Brilliant, legend, cheers for the lift in the van", kind=CHAT),
    Case("Mythical beast sighted: a working printer on the second floor", kind=CHAT),
    Case(
        "Kelly's Cafe on Harehills Lane is doing free brews for anyone with a warrant card",
        kind=STREET,
    ),
    Case("Avoid Legend Drive, it's shut both ways after a car fire", kind=STREET),
    Case("Weather warning: snow on the tops, Saddleworth closed to cars", kind=CHAT),
    Case("Pool car 2 has a flat, don't take it", kind=CHAT),
    Case("The Sample Street car wash is shut for a refit", kind=STREET),
    Case("Who's got the dummy radio for the training day? Left it in the car", kind=CHAT),
    Case("Example of the new van log sheet attached", kind=CHAT),
    Case("Anyone seen the charger for the body cams?", kind=CHAT),
    Case("Notreal Close has a burst water main, avoid it with the vans", kind=STREET),
    Case("Top story on the news: cash machine stolen with a digger in Otley", kind=CHAT),
    # -- edits -----------------------------------------------------------------------------------
    Case(
        "Nathan Sample seen at the Crown with a phone",
        refs(38),
        edit="Correction: Nathan Invented seen at the Crown with a phone",
        kind=EDIT,
    ),
    Case(
        "Craig Pretend spotted at the bus station",
        refs(9, 17),
        edit="Craig Pretend spotted at the bus station with Stacey Mythical",
        kind=EDIT,
    ),
    Case(
        "Quiet one today",
        refs(33),
        edit="Quiet one today, apart from Ryan Testcase seen driving on the ring road",
        kind=EDIT,
    ),
    Case(
        "Seen Imran Sample at the garage with a phone",
        possible=(refs(15, 35),),
        edit="Seen Imran at the garage with a phone, not sure which one",
        kind=EDIT,
    ),
    # -- thread replies --------------------------------------------------------------------------
    Case(
        "Anyone about near the Fox tonight?",
        refs(13),
        reply="Yes, Ryan Dummy in the beer garden with a phone, 21:10",
        kind=THREAD,
    ),
    Case(
        "Ryan Dummy seen at the Fox with a phone",
        refs(13, 8),
        reply="Kelly Inventive turned up ten minutes later in a car",
        kind=THREAD,
    ),
    Case(
        "Shaun Madeup spotted at the car wash on York Road",
        refs(3),
        reply="Thanks, I'll let the LOM team know",
        kind=THREAD,
    ),
]
