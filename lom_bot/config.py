"""Settings from the environment and the app.yaml models, validated at start."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from lom_bot.domain.due import Cadence, Interval
from lom_bot.domain.enums import RiskLevel, Role


class ConfigError(Exception):
    """A configuration problem, phrased as one line naming the file, field and expectation."""


def _interval(value: object) -> Interval:
    if isinstance(value, Interval):
        return value
    return Interval.parse(str(value))


IntervalField = Annotated[Interval, BeforeValidator(_interval)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Channel(Strict):
    id: str = Field(pattern=r"^[CGD][A-Z0-9]{2,}$")
    name: str = Field(pattern=r"^[a-z0-9_\-]{1,80}$")
    sensitive: bool = False


class District(Strict):
    name: str
    channel: Channel


class Channels(Strict):
    lom_team: Channel
    triage: Channel
    supervisors: Channel


class UserEntry(Strict):
    slack_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    name: str  # as signed on letters, rank first: "DC Olu Officer"
    role: Role
    district: str | None = None
    collar_number: str | None = None  # printed on letters the officer signs
    contact: str | None = None  # telephone or email printed on letters


class CadenceEntry(Strict):
    home_visit: IntervalField
    contact: IntervalField
    checks: IntervalField
    review: IntervalField
    home_visit_early: IntervalField | None = None
    early_weeks: int = Field(default=0, ge=0, le=104)

    def to_domain(self) -> Cadence:
        return Cadence(
            self.home_visit,
            self.contact,
            self.checks,
            self.review,
            self.home_visit_early,
            self.early_weeks,
        )


class DueRules(Strict):
    overdue_after_working_days: int = Field(default=5, ge=0, le=60)
    duty_overdue_days: int = Field(default=7, ge=0, le=60)
    awaiting_evidence_working_days: int = Field(default=5, ge=1, le=60)
    education_visit_after_activation_working_days: int = Field(default=3, ge=0, le=30)
    breach_assessment_working_days: int = Field(default=2, ge=0, le=30)
    warning_letter_response_days: int = Field(default=7, ge=1, le=60)
    cps_file_target_working_days: int = Field(default=10, ge=1, le=60)
    cps_file_near_target_working_days: int = Field(default=2, ge=0, le=30)
    escalation_failures: int = Field(default=2, ge=1, le=10)
    escalation_window_months: int = Field(default=12, ge=1, le=60)


class Horizons(Strict):
    release_days: list[int] = [120, 90, 60, 30, 14, 7]
    expiry_days: list[int] = [180, 90, 60, 30]

    @field_validator("release_days", "expiry_days")
    @classmethod
    def _positive_descending(cls, value: list[int]) -> list[int]:
        if any(v <= 0 for v in value):
            raise ValueError("horizons are positive numbers of days")
        return sorted(set(value), reverse=True)


class Schedule(Strict):
    cron: str = Field(description="minute hour day month day_of_week, in the configured timezone")
    working_days_only: bool = False
    enabled: bool = True

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("a cron expression has five fields, e.g. '30 7 * * mon-fri'")
        return value


class Schedules(Strict):
    expire_orders: Schedule = Schedule(cron="15 7 * * *")
    cover_ends: Schedule = Schedule(cron="20 7 * * *")  # every day: cover may end on a Friday
    daily_due: Schedule = Schedule(cron="30 7 * * mon-fri", working_days_only=True)
    district_tasks: Schedule = Schedule(cron="35 7 * * mon-fri", working_days_only=True)
    horizons: Schedule = Schedule(cron="40 7 * * mon-fri", working_days_only=True)
    upcoming_weekly: Schedule = Schedule(cron="45 7 * * mon")
    weekly_summary: Schedule = Schedule(cron="0 8 * * mon")
    retention_review: Schedule = Schedule(cron="0 9 1 * *")
    audit_anchor: Schedule = Schedule(cron="55 23 * * *")  # the day's last entries anchored
    outbox: Schedule = Schedule(cron="* * * * *")


class Matching(Strict):
    """How eagerly plain district messages are taken as breach reports."""

    name_threshold: int = Field(default=88, ge=50, le=100, description="fuzzy score 0-100")
    possible_threshold: int = Field(default=75, ge=50, le=100)
    require_keyword_for_name_only: bool = True
    keywords: list[str] = [
        "breach",
        "seen",
        "spotted",
        "sighting",
        "saw",
        "with",
        "driving",
        "phone",
        "cash",
        "curfew",
        "associat",
        "van",
        "car",
        "vehicle",
        "meeting",
        "stopped",
        "pub",
        "address",
        "together",
        "sighted",
        "clocked",
    ]
    # A surname or one-word alias that is also an ordinary English word ('Story', 'Legend',
    # 'Nobody') counts alone only when written as a name: capitalised mid-sentence or in quotes.
    # Ordinary: at least this common in English on wordfreq's Zipf scale (0 unknown, 3 about
    # once per million words, 7 'the'); 8 turns the rule off.
    ordinary_word_zipf: float = Field(default=3.0, ge=0, le=8)
    # ...except a one-word alias straight before or after one of these breach words
    # ("seen fancy at the services"), which says a person was seen
    sighting_words: list[str] = ["seen", "spotted", "saw", "sighting", "sighted", "clocked"]
    # A name word followed by one of these is a place or business, not a person
    # ("Kelly Street", "the Legend car wash"); a possessive ("Dummy's car") is still a person.
    place_words: list[str] = [
        "street",
        "st",
        "road",
        "rd",
        "lane",
        "avenue",
        "crescent",
        "terrace",
        "grove",
        "square",
        "gardens",
        "parade",
        "estate",
        "car park",
        "retail park",
        "industrial estate",
        "centre",
        "car wash",
        "hand car wash",
        "cafe",
        "café",
        "bar",
        "nail bar",
        "takeaway",
        "garage",
        "motors",
        "autos",
        "tyres",
        "car sales",
        "barbers",
        "salon",
        "shop",
        "stores",
        "ltd",
        "limited",
        "gym",
        "hotel",
        "club",
        "arms",
        "inn",
        "tavern",
        "restaurant",
        "school",
        "academy",
        "church",
        "mosque",
        "services",
        "station",
        "hall",
        "court",
        "plaza",
        "mills",
    ]  # never a verb ("drive", "park", "walk"): "saw Dummy park up" names a person


class Retention(Strict):
    # Sent Slack messages (the outbox) and Slack event ids seen, kept this long then purged
    # (a post that later updates or replies refer to is kept).
    delivery_days: int = Field(default=30, ge=1, le=3650)
    review_after_years: dict[str, int] = {
        "subject": 6,
        "order": 6,
        "contact": 6,
        "intelligence": 6,
        "breach_report": 6,
        "audit": 7,
    }


class Capacity(Strict):
    """How many due items (contacts, visits, checks, duties, assessments, follow-ups) an
    officer can do in a week; the weekly summary compares each officer's load with it."""

    items_per_week: int = Field(default=25, ge=1, le=500)
    # Slack id -> items per week, for officers part-time or carrying other work.
    officers: dict[str, int] = {}

    @field_validator("officers")
    @classmethod
    def _officer_capacities(cls, value: dict[str, int]) -> dict[str, int]:
        for slack_id, items in value.items():
            if not re.fullmatch(r"[UW][A-Z0-9]{2,}", slack_id):
                raise ValueError(f"{slack_id!r} is not a Slack user id (U0ABC123)")
            if not 0 <= items <= 500:
                raise ValueError(f"{slack_id}: items per week from 0 to 500, not {items}")
        return value

    def of(self, slack_id: str | None) -> int:
        return self.officers.get(slack_id or "", self.items_per_week)


class AppConfig(Strict):
    timezone: str = "Europe/London"
    force: str = "West Yorkshire Police"
    workspace_team_id: str | None = Field(default=None, pattern=r"^[TE][A-Z0-9]{2,}$")
    channels: Channels
    districts: list[District]
    users: list[UserEntry] = []
    cadences: dict[RiskLevel, CadenceEntry]
    due: DueRules = DueRules()
    horizons: Horizons = Horizons()
    schedules: Schedules = Schedules()
    matching: Matching = Matching()
    retention: Retention = Retention()
    capacity: Capacity = Capacity()
    bot_user_ids: list[str] = []
    accept_bot_messages_from: list[str] = []
    # Whoever proposed or drafted an application may not approve it (a second person must).
    separation_of_duties: bool = True
    # Who intelligence may be recorded as disseminated to, beside each district.
    dissemination_recipients: list[str] = [
        "ROCU", "NCA", "HMRC", "SFO", "Probation", "Other force", "National systems",
    ]  # fmt: skip

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as Europe/London") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AppConfig:
        missing = [r.value for r in RiskLevel if r not in self.cadences]
        if missing:
            raise ValueError(f"cadences must cover every risk level; missing {missing}")
        names = [d.name for d in self.districts]
        if len(set(names)) != len(names):
            raise ValueError("district names must be unique")
        for user in self.users:
            if user.role is Role.DISTRICT_OFFICER and user.district not in names:
                raise ValueError(
                    f"user {user.slack_id} is a district officer of unknown district "
                    f"{user.district!r}; districts are {names}"
                )
        ids = [c.id for c in self.all_channels()]
        if len(set(ids)) != len(ids):
            raise ValueError("each channel id may be used once")
        return self

    def all_channels(self) -> list[Channel]:
        c = self.channels
        return [c.lom_team, c.triage, c.supervisors, *(d.channel for d in self.districts)]

    def channel_by_id(self, channel_id: str) -> Channel | None:
        return next((c for c in self.all_channels() if c.id == channel_id), None)

    def channel_by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#")
        return next((c for c in self.all_channels() if c.name == name), None)

    def district_of_channel(self, channel_id: str) -> str | None:
        return next((d.name for d in self.districts if d.channel.id == channel_id), None)

    def district(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name.lower() == name.lower()), None)

    def cadence(self, risk: RiskLevel) -> Cadence:
        return self.cadences[risk].to_domain()


class Settings(BaseSettings):
    """Secrets and locations: only ever from the environment."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    database_url: str = "sqlite:///var/lom-bot.sqlite3"
    lom_config: Path = Path("app.yaml")
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    # Set by `lom-bot serve --http` for its processes: where the answer workers listen.
    lom_answer_sockets: Path | None = None

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None

    def require_slack(self, http: bool) -> None:
        needed = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"] if http else ["SLACK_BOT_TOKEN"]
        if not http:
            needed.append("SLACK_APP_TOKEN")
        for name in needed:
            if getattr(self, name.lower()) is None:
                raise ConfigError(
                    f"environment: {name} is not set; it is needed to connect to Slack "
                    f"({'HTTP' if http else 'Socket'} Mode)"
                )


def load_app_config(path: Path) -> AppConfig:
    """Read app.yaml; any problem becomes one ConfigError line."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (set LOM_CONFIG or create app.yaml)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where} is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    try:
        return AppConfig.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(f"{path}: field '{field}': {err['msg']}") from None


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]).upper()
        raise ConfigError(f"environment: {field}: {err['msg']}") from None
