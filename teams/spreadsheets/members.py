"""Importing the member lists communes keep in Excel, as they really type them.

`plan_members` reads a file and works out, row by row, what it would change (nothing is written): it finds
the header row under the title rows, skips blank, numbering, section, total and signature rows (a section row
such as "II. TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THÔN NA LAY" sets the village of the rows below it), and normalises
dates, phones, roles and village names. `import_members` plans again inside one transaction and writes
everything or, when any row is wrong, nothing. Writes are bulk (with their history rows, via
django-simple-history), so the fields are validated here with the model's own validators rather than by a
per-object full_clean(); the database constraints stay the last line. The sheet reading shared with the village
import is in totech/spreadsheets.py, the COPY writer in totech/db.py.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from totech.db import WRITE_BATCH, insert_rows, is_auto_time
from totech.spreadsheets import (
    ROMAN_SECTION,
    Columns,
    ImportRejected,
    ImportResult,
    clean_text,
    filled,
    find_columns,
    is_footer,
    is_numbering_row,
    is_total,
    read_rows,
    refuse_bad_text,
)
from totech.text import fold
from units.choices import Level
from units.models import Unit
from units.names import PlaceMatcher

from ..choices import TeamRole
from ..models import DEFAULT_TEAM_NAME, Membership, Person, Team
from ..validators import (
    CONFLICT,
    SAME,
    births_agree,
    name_key,
    normalize_phone,
    same_person,
    validate_birth,
    validate_national_id,
)
from .layout import GENDER_WORDS, MEMBER_HEADERS, ROLE_LABELS, affiliation_from_text, role_from_text

PROGRESS_EVERY = 2000
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
YEAR = re.compile(r"^\d{4}$")
VILLAGE_IN_SECTION = re.compile(r"\b(to dan pho|khoi pho|khu pho|thon|ban|lang|xom|ap)\b (.+)$")
COMMUNE_IN_SECTION = re.compile(r"\b(xa|phuong|thi tran|dac khu)\b (.+)$")


def _is_plain_member_row(values: list, columns: Columns) -> bool:
    """A name, and a birth date or phone without letters in it (a signature's date line has letters): surely a
    member row, which skips the checks for the other kinds of rows."""
    name = columns.value(values, "full_name")
    if not isinstance(name, str) or name == columns.header["full_name"] or not any(char.isalpha() for char in name):
        return False
    for name in ("birth", "phone"):
        value = columns.value(values, name)
        if value not in ("", None) and not (isinstance(value, str) and any(char.isalpha() for char in value)):
            return True
    return False


def parse_birth(value, today: datetime.date) -> tuple[datetime.date | None, int | None]:
    """An Excel date, 'd/m/yyyy' or ISO text, an Excel serial number, or a year alone → (date, year)."""
    birth_date = birth_year = None
    if isinstance(value, datetime.datetime):
        birth_date = value.date()
    elif isinstance(value, datetime.date):
        birth_date = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            raise ValueError(_("“%(value)s” is not a date: write dd/mm/yyyy or a year.") % {"value": value})
        number = int(value)
        if 1000 <= number <= 9999:
            birth_year = number
        elif 0 < number < 2958466:
            birth_date = EXCEL_EPOCH + datetime.timedelta(days=number)
        else:
            raise ValueError(_("“%(value)s” is not a date: write dd/mm/yyyy or a year.") % {"value": value})
    else:
        text = clean_text(value)
        if not text:
            return None, None
        try:
            if match := DMY.match(text):
                day, month, year = (int(part) for part in match.groups())
                birth_date = datetime.date(year, month, day)
            elif match := ISO.match(text):
                year, month, day = (int(part) for part in match.groups())
                birth_date = datetime.date(year, month, day)
            elif YEAR.match(text):
                birth_year = int(text)
            else:
                raise ValueError
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date: write dd/mm/yyyy or a year.") % {"value": text}) from None
    try:
        validate_birth(birth_date, birth_year, today)
    except ValidationError as error:
        raise ValueError(
            " ".join(message for messages in error.message_dict.values() for message in messages)
        ) from None
    return birth_date, birth_year


@lru_cache(maxsize=256, typed=True)
def _gender_cell(value) -> tuple[str, str]:
    """A gender cell → (its folded text, the gender or ""). Memoised, like the role and affiliation cells: a
    file repeats a handful of values 50,000 times."""
    text = fold(value)
    return text, GENDER_WORDS.get(text, "")


@lru_cache(maxsize=256, typed=True)
def _role_cell(value) -> tuple[str, str | None]:
    text = clean_text(value)
    return text, role_from_text(text)


@lru_cache(maxsize=256, typed=True)
def _affiliation_cell(value) -> str:
    return affiliation_from_text(clean_text(value))


@dataclass(slots=True)
class NewPerson:
    """A person the file adds: the fields an import sets, carried to the writer without building a model
    instance per row (which cost a tenth of a 50,000-row import). pk is set once written."""

    COLUMNS = (
        "full_name",
        "gender",
        "birth_date",
        "birth_year",
        "phone",
        "national_id",
        "commune_id",
    )  # as the writer inserts them

    full_name: str
    gender: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""
    national_id: str = ""
    pk: int | None = None

    @property
    def year_of_birth(self):
        return self.birth_date.year if self.birth_date else self.birth_year


@dataclass(slots=True)
class MemberRow:
    number: int
    person: Person | NewPerson
    person_changed: list[str]
    team: Team | None
    team_key: object  # the Team, or ("new", unit_id, name) for a team the import will create
    membership: Membership | None
    membership_changed: list[str]
    role: str
    affiliation: str
    notes: str


@dataclass
class MemberPlan:
    commune: Unit
    result: ImportResult
    rows: list[MemberRow] = field(default_factory=list)
    new_teams: dict = field(default_factory=dict)  # ("new", unit_id, name) → unsaved Team


class MemberPlanner:
    """Works out, for one commune, what a member file would change."""

    def __init__(self, commune: Unit, today: datetime.date, progress: Callable[[float], None] | None = None):
        self.commune = commune
        self.today = today
        self.progress = progress or (lambda fraction: None)
        villages = list(commune.children.filter(level=Level.VILLAGE))
        self.places = PlaceMatcher(commune, villages)
        self.teams_by_unit = defaultdict(list)
        for team in Team.objects.filter(unit__path__startswith=commune.path).select_related("unit").order_by("name"):
            self.teams_by_unit[team.unit_id].append(team)
        self.people_by_name = defaultdict(list)
        self.people_by_phone = defaultdict(list)
        self.people_by_national_id = {}
        for person in Person.objects.filter(commune=commune).only(
            "id", "full_name", "gender", "birth_date", "birth_year", "phone", "national_id", "commune_id"
        ):
            self._remember(person)
        self.open_memberships = {
            (membership.team_id, membership.person_id): membership
            for membership in Membership.objects.filter(
                team__unit__path__startswith=commune.path, end_date__isnull=True
            )
        }

    def _remember(self, person: Person | NewPerson, name: str = ""):
        self.people_by_name[name or name_key(person.full_name)].append(person)
        if person.phone:
            self.people_by_phone[person.phone].append(person)
        if person.national_id:
            self.people_by_national_id.setdefault(person.national_id, person)

    def plan(self, rows: Iterator[tuple[int, list]]) -> MemberPlan:
        result = ImportResult()
        plan = MemberPlan(self.commune, result)
        columns = find_columns(rows, MEMBER_HEADERS, "full_name")
        if columns is None:
            result.add_error(
                1,
                "",
                _(
                    "No header row found: the list needs a “Họ và tên” column and at least two other known columns (Ngày sinh, Số điện thoại, Chức vụ trong Tổ, Thôn/Tổ dân phố …)."
                ),
            )
            return plan
        self.columns = columns
        self.section_unit = None
        self.section_text = ""
        self.seen_memberships = {}
        self.teams_found = {}  # (village, team, section village) → (team, team key): a file repeats them
        seen_data = False
        for number, values in rows:
            if number % PROGRESS_EVERY == 0:
                self.progress(number)
            if _is_plain_member_row(values, columns):
                seen_data = True  # the common case, kept cheap: a member row
                result.total_rows += 1
                self._plan_row(plan, number, values)
                continue
            texts = [clean_text(value) for value in values if value != "" and value is not None]
            if (
                not texts
                or is_numbering_row(texts)
                or clean_text(columns.value(values, "full_name")) == columns.header["full_name"]
            ):
                continue  # blank, "(1) (2) (3)…", or the header again (a page break, a merged header's second row)
            folded = fold(" ".join(texts))
            if is_footer(folded):
                if seen_data:
                    break  # signatures: nothing below is a member
                continue
            if not filled(values, columns, ("gender", "role", "affiliation")):
                if is_total(texts, folded):
                    continue
                if (
                    ROMAN_SECTION.match(folded)
                    or "cong nghe so" in folded
                    or "cnscd" in folded
                    or clean_text(columns.value(values, "full_name")) == ""
                    or (len(texts) == 1 and VILLAGE_IN_SECTION.match(folded))
                ):
                    self._enter_section(folded, " ".join(texts))
                    continue
            seen_data = True
            result.total_rows += 1
            self._plan_row(plan, number, values)
        self._check_leaders(plan)
        return plan

    def _enter_section(self, folded: str, text: str):
        self.section_text = text
        self.section_unit = None
        if match := VILLAGE_IN_SECTION.search(folded):
            self.section_unit = self.places.find(match.group(0))
        elif COMMUNE_IN_SECTION.search(folded):
            self.section_unit = self.commune

    def _plan_row(self, plan: MemberPlan, number: int, values: list):
        columns, result = self.columns, plan.result
        errors_before = result.error_count

        def error(name, message):
            result.add_error(number, columns.header.get(name, ""), message)

        refused = refuse_bad_text(values, columns, error, ("full_name", "notes", "team"))
        full_name = clean_text(columns.value(values, "full_name"))
        if not full_name and "full_name" not in refused:
            error("full_name", _("the name is missing."))
        elif len(full_name) > 150:
            error("full_name", _("the name is longer than 150 characters."))
        birth_date = birth_year = None
        try:
            birth_date, birth_year = parse_birth(columns.value(values, "birth"), self.today)
        except ValueError as problem:
            error("birth", str(problem))
        phone = ""
        try:
            phone = normalize_phone(clean_text(columns.value(values, "phone")))
        except ValidationError as problem:
            error("phone", " ".join(problem.messages))
        national_id = _national_id(columns.value(values, "national_id"))
        try:
            validate_national_id(national_id)
        except ValidationError as problem:
            error("national_id", " ".join(problem.messages))
        gender_text, gender = _gender_cell(columns.value(values, "gender"))
        if gender_text and not gender:
            error(
                "gender",
                _("“%(value)s” is not a gender: write Nam or Nữ.")
                % {"value": clean_text(columns.value(values, "gender"))},
            )
        role_text, role = _role_cell(columns.value(values, "role"))
        if role is None:
            error(
                "role",
                _("“%(value)s” is not a role in the team: write one of %(choices)s.")
                % {"value": role_text, "choices": ", ".join(ROLE_LABELS.values())},
            )
        affiliation = _affiliation_cell(columns.value(values, "affiliation"))
        notes = clean_text(columns.value(values, "notes"))
        if len(notes) > 300:
            error("notes", _("the note is longer than 300 characters."))
        commune_text = clean_text(columns.value(values, "commune"))
        if commune_text and self.places.find(commune_text) is not self.commune:
            error(
                "commune",
                _("“%(value)s” is not %(commune)s: import each commune's list into its own commune.")
                % {"value": commune_text, "commune": self.commune.name},
            )
        team, team_key = self._team_for(plan, values, error)
        if result.error_count > errors_before:
            return

        key = name_key(full_name)
        identity = NewPerson(full_name, birth_date=birth_date, birth_year=birth_year, national_id=national_id)
        person = self._find_person(key, identity, error)
        if person is CONFLICT:
            return
        wanted = {"full_name": full_name}
        if gender:
            wanted["gender"] = gender
        if phone:
            wanted["phone"] = phone
        if national_id:
            wanted["national_id"] = national_id
        if birth_date:
            wanted.update(birth_date=birth_date, birth_year=None)
        elif birth_year and not (person and person.birth_date and person.birth_date.year == birth_year):
            wanted.update(birth_year=birth_year, birth_date=None)
        if person is None:
            person = NewPerson(**wanted)
            self._remember(person, key)
            person_changed = []
            self._warn_of_namesakes(plan, number, person, key, wanted)
        else:
            person_changed = [name for name, value in wanted.items() if getattr(person, name) != value]
            if "phone" in person_changed and person.phone:
                self.people_by_phone[person.phone].remove(person)
            for name in person_changed:
                setattr(person, name, wanted[name])
            if "phone" in person_changed:
                self.people_by_phone[phone].append(person)
            if "national_id" in person_changed:
                self.people_by_national_id.setdefault(national_id, person)
            self._warn_of_namesakes(plan, number, person, key, person_changed)

        membership_key = (team_key, id(person))
        if membership_key in self.seen_memberships:
            result.add_error(
                number,
                columns.header["full_name"],
                _("%(name)s is listed twice in the same team (also on row %(other)s).")
                % {"name": full_name, "other": self.seen_memberships[membership_key]},
            )
            return
        self.seen_memberships[membership_key] = number
        membership = self.open_memberships.get((team.pk, person.pk)) if team is not None and person.pk else None
        membership_wanted = {"role": role, "affiliation": affiliation}
        if notes:
            membership_wanted["notes"] = notes
        membership_changed = []
        if membership is not None:
            membership_changed = [
                name for name, value in membership_wanted.items() if getattr(membership, name) != value
            ]
        plan.rows.append(
            MemberRow(
                number, person, person_changed, team, team_key, membership, membership_changed, role, affiliation, notes
            )
        )
        if membership is None:
            result.created += 1
        elif person_changed or membership_changed:
            result.updated += 1
        else:
            result.unchanged += 1

    def _find_person(self, key: str, identity: NewPerson, error) -> Person | NewPerson | str | None:
        """The person on record (or earlier in the file) that a row is, by the one rule of
        teams.validators.same_person: the national ID, else the name with birth data that do not disagree.
        None for someone new; CONFLICT (reported on the row) when the file contradicts the record."""
        if identity.national_id and (holder := self.people_by_national_id.get(identity.national_id)):
            if same_person(holder, identity) == SAME:
                return holder
            error(
                "national_id",
                _(
                    "this national ID is recorded for %(person)s: a national ID is one person. Check the name, the birth "
                    "date and the ID; a person's name is corrected on their page, not by an import."
                )
                % {"person": _described(holder)},
            )
            return CONFLICT
        candidates = [person for person in self.people_by_name.get(key, ()) if same_person(person, identity) == SAME]
        if len(candidates) > 1:  # the most precise agreement wins: the same date, then the same year
            for agrees in (
                lambda person: identity.birth_date and person.birth_date == identity.birth_date,
                lambda person: identity.year_of_birth and person.year_of_birth == identity.year_of_birth,
            ):
                if closer := [person for person in candidates if agrees(person)]:
                    candidates = closer
                    break
        if len(candidates) > 1:
            error(
                "full_name",
                _(
                    "%(count)s people called %(name)s on record could be this one: add the full birth date or the national "
                    "ID (CCCD) to tell them apart."
                )
                % {"count": len(candidates), "name": identity.full_name},
            )
            return CONFLICT
        return candidates[0] if candidates else None

    def _warn_of_namesakes(self, plan: MemberPlan, number: int, person, key: str, fields_set):
        """Rows written as they are but worth a look, when the row sets the phone or the national ID: a phone
        shared with other people (a family's phone); the name and birth of someone on record with another ID."""
        columns = self.columns
        sharing = (
            [other for other in self.people_by_phone.get(person.phone, ()) if other is not person]
            if "phone" in fields_set
            else []
        )
        if sharing:
            plan.result.add_warning(
                number,
                columns.header.get("phone", ""),
                _(
                    "%(person)s shares the phone with %(others)s: recorded as different people, since their names or "
                    "births differ."
                )
                % {"person": person.full_name, "others": ", ".join(_described(other) for other in sharing[:3])},
            )
        if "national_id" in fields_set and person.year_of_birth:
            twins = [
                other
                for other in self.people_by_name.get(key, ())
                if other is not person
                and other.national_id
                and other.year_of_birth
                and same_person(other, person) != SAME
                and births_agree(other, person)
            ]
            if twins:
                plan.result.add_warning(
                    number,
                    columns.header.get("national_id", ""),
                    _(
                        "%(person)s has the name and birth of %(other)s on record but another national ID: recorded as a "
                        "different person."
                    )
                    % {"person": person.full_name, "other": _described(twins[0])},
                )

    def _team_for(self, plan: MemberPlan, values: list, error) -> tuple[Team | None, object]:
        village_text = clean_text(self.columns.value(values, "village"))
        team_text = clean_text(self.columns.value(values, "team"))
        memo_key = (village_text, team_text, self.section_unit)
        found = self.teams_found.get(memo_key)
        if found is None:
            found = self._find_team(plan, village_text, team_text, error)
            if found[1] is not None:  # errors are reported on every row: only answers are remembered
                self.teams_found[memo_key] = found
        return found

    def _find_team(self, plan: MemberPlan, village_text: str, team_text: str, error) -> tuple[Team | None, object]:
        if village_text:
            unit = self.places.find(village_text)
            if unit is None:
                suggestions = self.places.suggestions(village_text)
                if suggestions:
                    error(
                        "village",
                        _("“%(value)s” is not a village of %(commune)s. Did you mean: %(names)s?")
                        % {"value": village_text, "commune": self.commune.name, "names": ", ".join(suggestions)},
                    )
                else:
                    error(
                        "village",
                        _(
                            "“%(value)s” is not a village of %(commune)s; villages are added on the village import, not here."
                        )
                        % {"value": village_text, "commune": self.commune.name},
                    )
                return None, None
        elif self.section_unit is not None:
            unit = self.section_unit
        elif team_text:
            matches = [
                team for teams in self.teams_by_unit.values() for team in teams if fold(team.name) == fold(team_text)
            ]
            if len(matches) == 1:
                return matches[0], matches[0]
            error(
                "team",
                _("no team of %(commune)s is called “%(value)s”.") % {"commune": self.commune.name, "value": team_text},
            )
            return None, None
        else:
            if self.section_text:
                message = _("the section “%(section)s” names no village of %(commune)s; fill in the village.") % {
                    "section": self.section_text,
                    "commune": self.commune.name,
                }
            else:
                message = _("the village is missing.")
            error("village", message)
            return None, None

        teams = self.teams_by_unit.get(unit.pk, [])
        if team_text:
            folded = fold(team_text)
            matches = [team for team in teams if fold(team.name) == folded] or [
                team for team in teams if fold(team.name).endswith(" " + folded)
            ]
            if len(matches) == 1:
                return matches[0], matches[0]
            if teams:
                error(
                    "team",
                    _("%(unit)s has no team called “%(value)s”; its teams are: %(names)s.")
                    % {"unit": unit.name, "value": team_text, "names": "; ".join(team.name for team in teams)},
                )
                return None, None
        elif len(teams) == 1:
            return teams[0], teams[0]
        elif len(teams) > 1:
            error(
                "team",
                _("%(unit)s has several teams: say which one in a “Tổ” column (%(names)s).")
                % {"unit": unit.name, "names": "; ".join(team.name for team in teams)},
            )
            return None, None
        name = team_text or DEFAULT_TEAM_NAME % unit.name
        key = ("new", unit.pk, fold(name))
        if key not in plan.new_teams:
            plan.new_teams[key] = Team(unit=unit, name=name)
        return None, key

    def _check_leaders(self, plan: MemberPlan):
        """A team has one current leader: the file may move the role, not add a second one."""
        role_in_file = {
            (row.membership.team_id, row.membership.person_id): row.role for row in plan.rows if row.membership
        }
        staying = defaultdict(list)  # team id → leaders the file does not list, who therefore stay leaders
        for membership in Membership.objects.filter(
            team__unit__path__startswith=self.commune.path, end_date__isnull=True, role=TeamRole.LEADER
        ).select_related("person"):
            if (membership.team_id, membership.person_id) not in role_in_file:
                staying[membership.team_id].append(membership.person.full_name)
        leaders_in_file = defaultdict(list)
        for row in plan.rows:
            if row.role == TeamRole.LEADER:
                leaders_in_file[row.team.pk if row.team else row.team_key].append(row)
        for key, rows in leaders_in_file.items():
            names = staying.get(key) or [rows[0].person.full_name]
            for row in rows if staying.get(key) else rows[1:]:
                plan.result.add_error(
                    row.number,
                    self.columns.header.get("role", ""),
                    _("the team already has a leader (%(names)s): a team has one leader at a time.")
                    % {"names": ", ".join(names)},
                )


def _described(person) -> str:
    """ "Triệu Thị Yến (2004)", "… (05/03/1990)": who a message is about."""
    if person.birth_date:
        return f"{person.full_name} ({person.birth_date:%d/%m/%Y})"
    return f"{person.full_name} ({person.birth_year})" if person.birth_year else person.full_name


def _national_id(value) -> str:
    """A CCCD number as typed, or as Excel keeps a number it took for one (without its leading zeros)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12:
        return str(value).zfill(12)
    return "".join(clean_text(value).split()).replace(".", "")


def plan_members(file, *, commune: Unit, progress=None) -> MemberPlan:
    return MemberPlanner(commune, timezone.localdate(), progress).plan(read_rows(file))


def import_members(
    file, *, commune: Unit, user=None, file_name: str = "", dry_run: bool = False, progress=None
) -> ImportResult:
    """Plan the file; unless it is a dry run or has errors, write it all in one transaction."""
    if dry_run:
        return plan_members(file, commune=commune, progress=progress).result
    try:
        with transaction.atomic():
            plan = plan_members(file, commune=commune, progress=progress)
            if not plan.result.ok:
                raise ImportRejected(plan.result)
            _write_members(plan, user=user, reason=_("Import of %(file)s") % {"file": file_name or "Excel"})
            plan.result.written = True
            return plan.result
    except ImportRejected as rejected:
        return rejected.result


def _write_members(plan: MemberPlan, *, user, reason: str):
    reason = reason[:100]
    teams = list(plan.new_teams.values())
    for team in teams:
        team.level = team.unit.level  # what Team.save() does; bulk inserts skip save()
        team.clean_fields(exclude=["unit"])
        team.clean()
    team_fields = [
        field.attname for field in Team._meta.concrete_fields if not field.primary_key and not is_auto_time(field)
    ]
    team_ids = insert_rows(Team, team_fields, [tuple(getattr(team, name) for name in team_fields) for team in teams])
    for team, pk in zip(teams, team_ids, strict=True):
        team.pk = pk
        team._state.adding, team._state.db = False, connection.alias
    _history_insert(Team, team_ids, "+", user, reason)

    new_people, changed_people, fields = {}, {}, set()
    for row in plan.rows:
        if row.person.pk is None:
            new_people[id(row.person)] = row.person
        elif row.person_changed:
            changed_people[row.person.pk] = row.person
            fields.update(row.person_changed)
    new_people = list(new_people.values())
    commune_id = plan.commune.pk
    person_ids = insert_rows(
        Person,
        NewPerson.COLUMNS,
        [
            (
                person.full_name,
                person.gender,
                person.birth_date,
                person.birth_year,
                person.phone,
                person.national_id,
                commune_id,
            )
            for person in new_people
        ],
    )
    for person, pk in zip(new_people, person_ids, strict=True):
        person.pk = pk
    _history_insert(Person, person_ids, "+", user, reason)
    if changed_people:
        Person.objects.bulk_update(changed_people.values(), sorted(fields), batch_size=WRITE_BATCH)
        _history_insert(Person, list(changed_people), "~", user, reason)

    stepping_down, stepping_up, new_memberships = [], [], []
    today = timezone.localdate()
    for row in plan.rows:
        if row.membership is None:
            team_id = row.team.pk if row.team else plan.new_teams[row.team_key].pk
            new_memberships.append((team_id, row.person.pk, row.role, row.affiliation, row.notes, today))
        elif row.membership_changed:
            membership = row.membership
            (stepping_up if row.role == TeamRole.LEADER else stepping_down).append(membership)
            membership.role, membership.affiliation = row.role, row.affiliation
            if row.notes:
                membership.notes = row.notes
    # Leaders stepping down are written first so that "one current leader" holds after every statement.
    for group in (stepping_down, stepping_up):
        if group:
            Membership.objects.bulk_update(group, ["role", "affiliation", "notes"], batch_size=WRITE_BATCH)
            _history_insert(Membership, [membership.pk for membership in group], "~", user, reason)
    membership_ids = insert_rows(
        Membership, ["team_id", "person_id", "role", "affiliation", "notes", "start_date"], new_memberships
    )
    _history_insert(Membership, membership_ids, "+", user, reason)


def _history_insert(model, ids: list[int], history_type: str, user, reason: str) -> None:
    """The history rows of rows just bulk-written, copied by INSERT … SELECT: what django-simple-history's
    bulk helpers write, without building a Python object per row (3× faster here)."""
    if not ids:
        return
    historical = model.history.model
    quote = connection.ops.quote_name
    tracked = ", ".join(
        quote(field.column) for field in historical._meta.concrete_fields if not field.name.startswith("history_")
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = (
        f"INSERT INTO {quote(historical._meta.db_table)} "
        f"({tracked}, history_date, history_type, history_user_id, history_change_reason) "
        f"SELECT {tracked}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} WHERE id "
    )
    params = [now, history_type, user.pk if user else None, reason]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(insert + "= ANY(%s)", [*params, ids])  # one statement, the ids as one array
            return
        for start in range(0, len(ids), WRITE_BATCH):
            batch = ids[start : start + WRITE_BATCH]
            cursor.execute(insert + f"IN ({', '.join(['%s'] * len(batch))})", [*params, *batch])
