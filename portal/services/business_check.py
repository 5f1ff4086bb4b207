"""Check a business: what the public may know of a shop before buying there. Its name, trading
address and shop links, whether it signed a commitment not to trade fakes, and its published
violations (only the entries disclosure.listed_violations lists). Never its owner, phone, tax
code, household registration number, staff notes, inspections or unpublished violations.

Every page is a fixed number of queries, however many businesses or violations there are.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import segno
from flask import current_app, request
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    Business,
    BusinessChannel,
    BusinessStatus,
    Commitment,
    Province,
    Publication,
    PublicEntry,
    Violation,
)
from portal.services import areas, disclosure
from portal.text import fold, normalise_link

MIN_QUERY = 3
MAX_QUERY = 200
MAX_RESULTS = 20
#: Records merged into one another form a chain; following it stops after this many steps.
MAX_MERGE_HOPS = 20
#: How the QR code is drawn: the same options for the sticker and the public image.
QR_ERROR = "m"  # 15% of the code may be dirty or torn and it still reads
QR_SVG = {"kind": "svg", "scale": 1, "border": 4, "xmldecl": False, "omitsize": True,
          "dark": "#000", "light": "#fff"}


class QueryRefused(ValueError):
    """A search the page explains instead of running: too short, or an unknown province."""


@dataclass(frozen=True)
class Found:
    """One business as the public sees it, with its two facts."""

    business: Business
    signed_on: date | None  # the latest commitment signed, or None
    published: int  # published violations


@dataclass(frozen=True)
class StatusPage:
    business: Business
    signed_on: date | None
    entries: list[PublicEntry]

    @property
    def ceased(self) -> bool:
        return self.business.status == BusinessStatus.CEASED


# --- the two facts, as correlated sub-queries ---------------------------------------------

def _signed_on():
    """The day of the business's latest signed commitment (a commitment may be signed again
    after a violation; the latest is the one that stands)."""
    return (select(func.max(Commitment.signed_on)).where(Commitment.business_id == Business.id)
            .correlate(Business).scalar_subquery())


def _listed_entries():
    """The published entries the public lists (disclosure decides), as a sub-query."""
    return disclosure.listed_violations().order_by(None).subquery("listed")


def _published_count():
    listed = _listed_entries()
    return (select(func.count(listed.c.id)).select_from(listed)
            .join(Publication, Publication.id == listed.c.publication_id)
            .join(Violation, Violation.id == Publication.violation_id)
            .where(Violation.business_id == Business.id)
            .correlate(Business).scalar_subquery())


# --- search ------------------------------------------------------------------------------

def looks_like_link(text: str) -> bool:
    return " " not in text and ("." in text or "/" in text)


def province_of(value: str | None) -> Province | None:
    """The province a ``province`` parameter names; refused when it is not a province code."""
    if value is None or not value.strip():
        return None
    province = areas.province_by_code(value)
    if province is None:
        raise QueryRefused("province")
    return province


def search_statement(q: str, province_code: int | None = None, limit: int = MAX_RESULTS + 1) -> Select:
    """Trading businesses (not ceased, not merged away) whose name or address contains the
    words, diacritics ignored, or one of whose shop links contains the link typed: ``limit`` of
    them (any, when more match), in the order of their names.

    The matches are found first, as ids, and only those few are sorted and loaded: among a
    million businesses a common word ("tap hoa") matches tens of thousands, and sorting them all
    by name to show twenty would read every one of them from the table."""
    words = fold(q)
    clauses = []
    if words:
        clauses += [Business.name_folded.contains(words, autoescape=True),
                    Business.address_folded.contains(words, autoescape=True)]
    link = normalise_link(q) if looks_like_link(q.strip()) else None
    if link:  # ILIKE (lower() LIKE on SQLite), which the column's trigram index answers on PostgreSQL
        escaped = link.replace("/", "//").replace("%", "/%").replace("_", "/_")
        clauses.append(Business.channels.any(BusinessChannel.link_normalised.ilike(f"%{escaped}%", escape="/")))
    matching = (select(Business.id)
                .where(Business.merged_into_id.is_(None), Business.status != BusinessStatus.CEASED,
                       or_(*clauses) if clauses else false())
                .limit(limit))
    if province_code:
        matching = matching.where(Business.province_code == province_code)
    return (select(Business, _signed_on(), _published_count())
            .where(Business.id.in_(matching.scalar_subquery()))
            .options(joinedload(Business.ward), joinedload(Business.province))
            .order_by(Business.name_folded, Business.id))


def search(q: str, province_code: int | None = None) -> tuple[list[Found], bool]:
    """At most MAX_RESULTS businesses, and whether there were more: one query."""
    q = (q or "").strip()[:MAX_QUERY]
    if len(q) < MIN_QUERY or not (fold(q) or looks_like_link(q)):
        raise QueryRefused("q")
    rows = db.session.execute(search_statement(q, province_code)).all()
    found = [Found(business, signed_on, int(count or 0)) for business, signed_on, count in rows]
    return found[:MAX_RESULTS], len(found) > MAX_RESULTS


# --- one business --------------------------------------------------------------------------

def resolve(business_id: int) -> tuple[Business | None, int | None]:
    """(the business, None) when it stands on its own; (None, the id it was merged into) when
    it is only a pointer now; (None, None) when there is no such record."""
    row = db.session.execute(select(Business.id, Business.merged_into_id).where(Business.id == business_id)).first()
    if row is None:
        return None, None
    hops, target = 0, row.merged_into_id
    while target is not None and hops < MAX_MERGE_HOPS:  # follow A → B → C to the record kept
        following = db.session.scalar(select(Business.merged_into_id).where(Business.id == target))
        if following is None:
            break
        target, hops = following, hops + 1
    if target is not None:
        return None, target
    return _load(business_id), None


def _load(business_id: int) -> Business:
    return db.session.scalars(
        select(Business).where(Business.id == business_id)
        .options(joinedload(Business.ward), joinedload(Business.province), selectinload(Business.channels))).one()


def published_entries(business_id: int) -> list[PublicEntry]:
    """The business's entries on the public lists, newest first, in one query."""
    stmt = (disclosure.listed_violations()
            .join(Publication, Publication.id == PublicEntry.publication_id)
            .join(Violation, Violation.id == Publication.violation_id)
            .where(Violation.business_id == business_id))
    return list(db.session.scalars(stmt).unique())


def latest_commitment(business_id: int) -> date | None:
    return db.session.scalar(select(func.max(Commitment.signed_on)).where(Commitment.business_id == business_id))


def status_page(business: Business) -> StatusPage:
    return StatusPage(business, latest_commitment(business.id), published_entries(business.id))


def public_links(business: Business) -> list[tuple[str, str]]:
    """The shop links of the business, each once: (the text as typed, an https address built
    from the normalised link, so that no typed scheme such as javascript: reaches an href)."""
    seen, links = set(), []
    for channel in business.channels:
        if channel.link and channel.link_normalised and channel.link_normalised not in seen:
            seen.add(channel.link_normalised)
            links.append((channel.link, "https://" + channel.link_normalised))
    return links


# --- the QR code ---------------------------------------------------------------------------

def public_url(business_id: int) -> str:
    """The absolute address of the business's public status page, for paper: the configured
    PUBLIC_BASE_URL, else the address this request came to. The path is part of the public
    contract (stickers stay on walls for years), so it is written out rather than looked up:
    a staff-only process has no public routes to look it up in."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return f"{base.rstrip('/')}/check/{business_id}"


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as a standalone SVG image that scales to its box."""
    out = io.BytesIO()
    segno.make(url, error=QR_ERROR).save(out, **QR_SVG)
    return out.getvalue()
