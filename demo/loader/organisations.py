"""Who is in the demo: the project team, the participants (a large city, a joint body, small
and mid-sized municipalities of every province), a deelneming, three suppliers, and their people.

Every participant has an editor who registers and enters demand, and a signatory (the mayor,
or for the joint body its director) who signs the mandate in the portal with two-step
verification. All demo people share one password and one TOTP secret."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from municipalities.models import JointBodyMunicipality, Municipality
from portal.models import Membership, Organisation, Role, User
from suppliers.models import SupplierProfile

DEMO_PASSWORD = "Demo-wachtwoord-2026"
# Base32 TOTP secret of every demo user with two-step verification (the project team and the
# signatories). Add it to an authenticator app, or run `make totp` to print the current code.
DEMO_TOTP_SECRET = "GTPORTAALDEMOTOTPGEHEIM2345672AB"
DOMAIN = "demo.gt-portaal.nl"
PROJECT_TEAM = "vng-projectteam-gt"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation: str
    role: str
    is_signatory: bool = False
    mfa: bool = False


class Outcome:
    """Where a participant's registration stands a few weeks after the demand deadline."""

    APPROVED = "approved"  # approved, demand submitted
    RETURNED = "returned"  # returned by the project team, with the reason
    WITHDRAWN = "withdrawn"  # approved, then withdrawn by the participant, with the reason


@dataclass(frozen=True)
class DemoParticipant:
    slug: str  # organisation slug
    name: str
    kind: str
    cbs_codes: tuple[str, ...]
    short: str  # mail subdomain
    editor: str  # name of the buyer who registers
    signatory: str  # name of the person who signs the mandate
    signatory_function: str = "burgemeester"
    outcome: str = Outcome.APPROVED
    reason: str = ""
    extra_users: tuple[DemoUser, ...] = field(default=())

    @property
    def editor_email(self) -> str:
        return f"inkoper@{self.short}.{DOMAIN}"

    @property
    def signatory_email(self) -> str:
        local = "burgemeester" if self.signatory_function == "burgemeester" else "directeur"
        return f"{local}@{self.short}.{DOMAIN}"


M = Organisation.Kind.MUNICIPALITY


def _municipality(
    code: str, name: str, editor: str, signatory: str, outcome: str = Outcome.APPROVED, reason=""
) -> DemoParticipant:
    short = name.lower().replace(" ", "-").replace("ú", "u").replace("â", "a")
    return DemoParticipant(
        slug=f"gemeente-{short}",
        name=f"Gemeente {name}",
        kind=M,
        cbs_codes=(code,),
        short=short,
        editor=editor,
        signatory=signatory,
        outcome=outcome,
        reason=reason,
    )


RETURNED_MANDATE = (
    "Het mandaat is getekend door een wethouder. Laat de burgemeester tekenen, of stuur het "
    "besluit mee waarmee de burgemeester de wethouder heeft aangewezen (Gemeentewet art. 171)."
)
RETURNED_CONTRACT = (
    "De einddatum van uw huidige hardwarecontract ontbreekt. Vul die in, zodat wij uw "
    "minicompetitie kunnen plannen, en dien de aanmelding opnieuw in."
)
WITHDRAWN_EXTENDED = (
    "Het college heeft besloten de huidige overeenkomst met twee jaar te verlengen; de gemeente "
    "neemt daarom niet deel aan deze aanbesteding."
)
WITHDRAWN_REGIONAL = (
    "De gemeente koopt haar werkplekapparatuur voortaan in via de regionale "
    "inkoopsamenwerking; het college heeft de deelname ingetrokken."
)

# Fictional people: the names are invented, the municipalities and their populations are real.
PARTICIPANTS: list[DemoParticipant] = [
    DemoParticipant(
        slug="gemeente-utrecht",
        name="Gemeente Utrecht",
        kind=M,
        cbs_codes=("GM0344",),
        short="utrecht",
        editor="Ilse Inkoper",
        signatory="Marieke van Dam",
    ),
    DemoParticipant(
        slug="werkorganisatie-buch",
        name="Werkorganisatie BUCH",
        kind=Organisation.Kind.JOINT_BODY,
        # Bergen (NH.), Uitgeest, Castricum and Heiloo share one werkorganisatie.
        cbs_codes=("GM0373", "GM0450", "GM0383", "GM0399"),
        short="buch",
        editor="Bas Werkorganisatie",
        signatory="Hanneke Kramer",
        signatory_function="algemeen directeur (gemandateerd door de vier burgemeesters)",
    ),
    _municipality("GM0355", "Zeist", "Zoë Zwart", "Karel Bos"),
    _municipality("GM0268", "Nijmegen", "Noor Nijhuis", "Anouk Peters"),
    _municipality("GM0193", "Zwolle", "Wim Zomer", "Esther Visser"),
    _municipality("GM0080", "Leeuwarden", "Lieke Hoekstra", "Sjoerd de Boer"),
    _municipality("GM0150", "Deventer", "Daan Mulder", "Ingrid Smit"),
    _municipality("GM0503", "Delft", "Fleur Dekker", "Rob Meijer"),
    _municipality("GM0361", "Alkmaar", "Tom Koster", "Yvonne Verhoeven"),
    _municipality("GM0402", "Hilversum", "Sanne Jansen", "Peter Hendriks"),
    _municipality("GM0513", "Gouda", "Joost van Leeuwen", "Marloes Brouwer"),
    _municipality("GM0106", "Assen", "Eline Post", "Henk Dijkstra"),
    _municipality("GM0687", "Middelburg", "Kees Schouten", "Annemiek de Wit"),
    _municipality("GM0228", "Ede", "Laura Vos", "Gerard van den Berg"),
    _municipality("GM0321", "Houten", "Bram de Graaf", "Simone Kuipers"),
    _municipality("GM0312", "Bunnik", "Iris Bakker", "Frank Willems"),
    _municipality("GM0289", "Wageningen", "Ruben Prins", "Carla Huisman"),
    _municipality("GM0262", "Lochem", "Maud Kok", "Jan-Willem Dijk"),
    _municipality("GM0119", "Meppel", "Thijs Bosman", "Nicole van Wijk"),
    _municipality("GM0183", "Tubbergen", "Anne Oude Elferink", "Bernard Nijland"),
    _municipality("GM0184", "Urk", "Jelle Kapitein", "Hendrik Romkes"),
    _municipality("GM0096", "Vlieland", "Tessa Zeeman", "Cor Wester"),
    _municipality("GM0088", "Schiermonnikoog", "Ids Hiemstra", "Nynke Sikkema"),
    _municipality("GM0981", "Vaals", "Luc Crombach", "Petra Hermans"),
    _municipality("GM1714", "Sluis", "Mieke de Smet", "Koen Verstraete"),
    _municipality("GM1701", "Westerveld", "Gert Hofstee", "Rianne Lubbers"),
    _municipality("GM1966", "Het Hogeland", "Roelof Pool", "Jolanda Bulthuis"),
    _municipality("GM1900", "Súdwest-Fryslân", "Wytse Bouma", "Femke Zijlstra"),
    _municipality(
        "GM0448", "Texel", "Ben Eelman", "Sandra Witte", Outcome.RETURNED, RETURNED_MANDATE
    ),
    _municipality(
        "GM0785", "Goirle", "Hanna Couwenberg", "Mark van Gils", Outcome.RETURNED, RETURNED_CONTRACT
    ),
    _municipality(
        "GM0983", "Venlo", "Stijn Janssen", "Lotte Peeters", Outcome.WITHDRAWN, WITHDRAWN_EXTENDED
    ),
    _municipality(
        "GM1895", "Oldambt", "Pieter Mulder", "Greet Nieland", Outcome.WITHDRAWN, WITHDRAWN_REGIONAL
    ),
]

# A deelneming: an authority in its own right that buys for its own staff, identified by its
# KvK number and OIN (both fictional). It joins for its own staff, seated in Amersfoort.
DEELNEMING = {
    "slug": "regionaal-ict-bedrijf-eemland",
    "name": "Regionaal ICT-bedrijf Eemland",
    "kind": Organisation.Kind.OTHER_AUTHORITY,
    "kvk_number": "90000017",
    "oin": "00000003900000170000",
}
PARTICIPANTS.append(
    DemoParticipant(
        slug=DEELNEMING["slug"],
        name=DEELNEMING["name"],
        kind=DEELNEMING["kind"],
        cbs_codes=("GM0307",),  # where it is established
        short="eemland-ict",
        editor="Erik Eemland",
        signatory="Joost de Wit",
        signatory_function="directeur",
    )
)

OTHER_ORGANISATIONS = [
    (PROJECT_TEAM, "VNG Kenniscentrum Inkoop – projectteam GT", Organisation.Kind.PROJECT_TEAM),
    ("gemeente-amersfoort", "Gemeente Amersfoort", M),
    ("voorbeeld-hardware-bv", "Voorbeeld Hardware B.V.", Organisation.Kind.SUPPLIER),
    ("tweede-leven-it-bv", "Tweede Leven IT B.V.", Organisation.Kind.SUPPLIER),
    ("mobiel-zakelijk-bv", "Mobiel Zakelijk B.V.", Organisation.Kind.SUPPLIER),
    # Registered lately: its KvK extract waits for the project team (``identity``).
    ("circulair-kantoor-bv", "Circulair Kantoor B.V.", Organisation.Kind.SUPPLIER),
]
# The suppliers' registration details (fictional KvK numbers and addresses). They answered the
# market consultation and ask questions about the tender (``consultation``, ``enquiries``).
SUPPLIER_PROFILES = {
    "voorbeeld-hardware-bv": ("90000025", "Stationsplein", "12", "3511 ED", "Utrecht"),
    "tweede-leven-it-bv": ("90000033", "Industrieweg", "48", "7418 BZ", "Deventer"),
    "mobiel-zakelijk-bv": ("90000041", "Beursplein", "5", "3011 AA", "Rotterdam"),
    "circulair-kantoor-bv": ("90000068", "Kanaalweg", "3", "6221 AA", "Maastricht"),
}
# Amersfoort did not join: a municipality the reminders were for.
MUNICIPALITY_ORGS = {"gemeente-amersfoort": "GM0307"}


def _by_slug(slug: str) -> DemoParticipant:
    return next(p for p in PARTICIPANTS if p.slug == slug)


# The logins the README lists; every other participant has the same two (see participant_users).
USERS = [
    DemoUser(f"projectteam@{DOMAIN}", "Petra Projectleider", PROJECT_TEAM, Role.ADMIN, mfa=True),
    # A second member: unfreezing and publishing are confirmed by another member (four eyes).
    DemoUser(f"jurist@{DOMAIN}", "Jan Jurist", PROJECT_TEAM, Role.EDITOR, mfa=True),
    DemoUser(
        _by_slug("gemeente-utrecht").editor_email, "Ilse Inkoper", "gemeente-utrecht", "admin"
    ),
    DemoUser(f"lezer@utrecht.{DOMAIN}", "Luuk Lezer", "gemeente-utrecht", Role.VIEWER),
    DemoUser(
        _by_slug("gemeente-utrecht").signatory_email,
        "Marieke van Dam",
        "gemeente-utrecht",
        Role.VIEWER,
        is_signatory=True,
        mfa=True,
    ),
    DemoUser(f"inkoper@amersfoort.{DOMAIN}", "Anne Amersfoort", "gemeente-amersfoort", "editor"),
    DemoUser(
        _by_slug("werkorganisatie-buch").editor_email,
        "Bas Werkorganisatie",
        "werkorganisatie-buch",
        "admin",
    ),
    DemoUser(
        _by_slug("werkorganisatie-buch").signatory_email,
        "Hanneke Kramer",
        "werkorganisatie-buch",
        Role.VIEWER,
        is_signatory=True,
        mfa=True,
    ),
    DemoUser(
        f"verkoop@voorbeeldhardware.{DOMAIN}", "Sanne Leverancier", "voorbeeld-hardware-bv", "admin"
    ),
    DemoUser(f"tender@tweedeleven.{DOMAIN}", "Ravi Hoekman", "tweede-leven-it-bv", Role.ADMIN),
    DemoUser(
        f"aanbesteding@mobielzakelijk.{DOMAIN}", "Fatima el Amrani", "mobiel-zakelijk-bv", "admin"
    ),
    DemoUser(
        f"info@circulairkantoor.{DOMAIN}", "Daan Verhoeven", "circulair-kantoor-bv", Role.ADMIN
    ),
]


def participant_users(participant: DemoParticipant) -> list[DemoUser]:
    """The participant's buyer (admin) and signatory (with two-step verification)."""
    return [
        DemoUser(participant.editor_email, participant.editor, participant.slug, Role.ADMIN),
        DemoUser(
            participant.signatory_email,
            participant.signatory,
            participant.slug,
            Role.VIEWER,
            is_signatory=True,
            mfa=True,
        ),
    ]


def all_users() -> list[DemoUser]:
    users = {u.email: u for u in USERS}
    for participant in PARTICIPANTS:
        for user in participant_users(participant):
            users.setdefault(user.email, user)
    return list(users.values())


def organisations_load() -> dict[str, Organisation]:
    """The organisations, their municipalities and joint-body coverage (idempotent)."""
    organisations: dict[str, Organisation] = {}
    rows: list[tuple[str, str, str, dict[str, str]]] = [
        (slug, name, str(kind), {}) for slug, name, kind in OTHER_ORGANISATIONS
    ]
    ids = {"kvk_number": DEELNEMING["kvk_number"], "oin": DEELNEMING["oin"]}
    rows += [
        (p.slug, p.name, p.kind, ids if p.slug == DEELNEMING["slug"] else {}) for p in PARTICIPANTS
    ]
    for slug, name, kind, extra in rows:
        organisations[slug], _created = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, **extra}
        )
    own = dict(MUNICIPALITY_ORGS)
    own.update({p.slug: p.cbs_codes[0] for p in PARTICIPANTS if p.kind == M})
    for slug, code in own.items():
        Municipality.objects.filter(cbs_code=code).update(organisation=organisations[slug])
    for slug, (kvk, street, number, postcode, city) in SUPPLIER_PROFILES.items():
        SupplierProfile.objects.update_or_create(
            organisation=organisations[slug],
            defaults={
                "kvk_number": kvk,
                "street": street,
                "house_number": number,
                "postcode": postcode,
                "city": city,
            },
        )
    for participant in PARTICIPANTS:
        if participant.kind != Organisation.Kind.JOINT_BODY:
            continue
        for municipality in Municipality.objects.filter(cbs_code__in=participant.cbs_codes):
            JointBodyMunicipality.objects.get_or_create(
                joint_body=organisations[participant.slug], municipality=municipality
            )
    return organisations


def users_load(organisations: dict[str, Organisation]) -> dict[str, User]:
    """Every demo user with a verified address, a membership and, where needed, TOTP. The
    password is hashed once: hashing it for each of some seventy users would cost seconds."""
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for demo in all_users():
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create(email=demo.email, name=demo.name, password=password)
        EmailAddress.objects.update_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.update_or_create(
            user=user,
            organisation=organisations[demo.organisation],
            defaults={"role": demo.role, "is_signatory": demo.is_signatory},
        )
        if (
            demo.mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users[demo.email] = user
    return users
