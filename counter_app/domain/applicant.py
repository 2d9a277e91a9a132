"""Who files a dossier: a person or an organisation, and the authorised person filing for them.

``check_*`` return a normalised copy (NFC, trimmed, phone in national form) and the warnings an
officer should see, or raise a ValidationError with the specific reason; nothing is stored half.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from counter_app.domain.citizen_id import ChipCard, Gender, check_citizen_id, check_old_id_number
from counter_app.domain.contact import check_email, normalise_phone
from counter_app.domain.dossier import ApplicantKind
from counter_app.domain.errors import ValidationError
from counter_app.domain.tax_code import check_tax_code
from counter_app.i18n import _


@dataclass(frozen=True)
class Applicant:
    name: str
    kind: ApplicantKind = ApplicantKind.INDIVIDUAL
    id_number: str | None = None  # the 12-digit personal ID (individuals)
    old_id_number: str | None = None  # an old CMND, kept only to find earlier records
    date_of_birth: date | None = None
    gender: Gender | None = None
    address: str = ""
    phone: str | None = None
    email: str | None = None
    tax_code: str | None = None  # organisations
    representative: str | None = None  # organisations: who represents it


@dataclass(frozen=True)
class Proxy:
    """An authorised person filing (or collecting) for the applicant, with their own ID."""

    name: str
    id_number: str
    phone: str | None = None
    address: str = ""
    email: str | None = None
    authorisation: str = ""  # the authorisation paper (giấy ủy quyền), e.g. its number and date


def clean_text(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _optional(value: str | None) -> str | None:
    text = clean_text(value)
    return text or None


def check_applicant(applicant: Applicant, *, today: date) -> tuple[Applicant, tuple[str, ...]]:
    name = clean_text(applicant.name)
    if not name:
        raise ValidationError(_("The applicant's name must not be empty."))
    warnings: tuple[str, ...] = ()
    phone = normalise_phone(applicant.phone or "") if _optional(applicant.phone) else None
    email = check_email(applicant.email or "") if _optional(applicant.email) else None
    if applicant.kind is ApplicantKind.INDIVIDUAL:
        if not _optional(applicant.id_number):
            raise ValidationError(_("The applicant's personal ID number (12 digits) is required."))
        if applicant.date_of_birth and applicant.date_of_birth > today:
            raise ValidationError(_("The date of birth cannot be in the future."))
        info = check_citizen_id(
            applicant.id_number or "",
            today=today,
            date_of_birth=applicant.date_of_birth,
            gender=applicant.gender,
        )
        warnings = info.warnings
        cleaned = replace(
            applicant,
            name=name,
            id_number=info.number,
            old_id_number=check_old_id_number(applicant.old_id_number or "")
            if _optional(applicant.old_id_number)
            else None,
            gender=applicant.gender or info.gender,
            tax_code=None,
            representative=None,
        )
    else:
        if not _optional(applicant.tax_code):
            raise ValidationError(_("The organisation's tax code is required."))
        representative = _optional(applicant.representative)
        if representative is None:
            raise ValidationError(_("The organisation's representative must be named."))
        cleaned = replace(
            applicant,
            name=name,
            tax_code=check_tax_code(applicant.tax_code or ""),
            representative=representative,
            id_number=None,
            old_id_number=None,
            date_of_birth=None,
            gender=None,
        )
    return replace(cleaned, address=clean_text(applicant.address), phone=phone, email=email), warnings


def check_proxy(proxy: Proxy, *, today: date) -> Proxy:
    name = clean_text(proxy.name)
    if not name:
        raise ValidationError(_("The authorised person's name must not be empty."))
    info = check_citizen_id(proxy.id_number, today=today)
    return Proxy(
        name=name,
        id_number=info.number,
        phone=normalise_phone(proxy.phone or "") if _optional(proxy.phone) else None,
        address=clean_text(proxy.address),
        email=check_email(proxy.email or "") if _optional(proxy.email) else None,
        authorisation=clean_text(proxy.authorisation),
    )


def mask_name(name: str) -> str:
    """For the kiosk look-up: the first letter of each word only ("Nguyễn Văn An" → "N. V. A.")."""
    return " ".join(f"{word[0]}." for word in clean_text(name).split())


def applicant_from_card(card: ChipCard, phone: str | None = None) -> Applicant:
    """The applicant fields one scan of the chip card's QR code fills (the officer then checks them)."""
    return Applicant(
        name=card.full_name,
        id_number=card.id_number,
        old_id_number=card.old_id_number,
        date_of_birth=card.date_of_birth,
        gender=card.gender,
        address=card.address,
        phone=phone,
    )
