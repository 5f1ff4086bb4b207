"""Guides to spotting fakes: written by staff for a goods category and a brand, with the rights
holder who supplied them, illustrated and published.

Leaders, officers and administrators write and publish the guides of the units in their scope;
anyone signed in may read every guide. The public side reads published guides only, through
the functions at the end of this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.models import GoodsCategory, Guide, GuideImage, Role, Unit, User
from portal.services import audit, deletion, files, images, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from portal.text import fold

EDITORS = (Role.ADMIN, Role.LEADER, Role.OFFICER)
AUDITED = ("unit_id", "title", "goods_category_id", "brand", "rights_holder", "summary", "body")
MAX_IMAGES = 12


@dataclass
class GuideData:
    unit_id: int
    title: str
    body: str
    goods_code: str | None = None
    brand: str | None = None
    rights_holder: str | None = None
    summary: str | None = None


# --- who may see and change what -----------------------------------------------------------

def can_edit(user: User, guide: Guide | None = None) -> bool:
    if not user.has_role(*EDITORS):
        return False
    return guide is None or scope.covers(user, guide.unit)


def ensure_can_edit(user: User, guide: Guide | None = None) -> None:
    if not can_edit(user, guide):
        raise AccessDenied()


def get(guide_id: int) -> Guide | None:
    """Any guide: everyone signed in may read them (changing them is checked apart)."""
    return db.session.get(Guide, guide_id)


def listing(*, state: str | None = None, goods: str | None = None) -> Select:
    """Every guide for the staff list, newest first, narrowed to published or drafts and a category."""
    stmt = (select(Guide).options(joinedload(Guide.unit), joinedload(Guide.goods_category))
            .order_by(Guide.updated_at.desc(), Guide.id.desc()))
    if state == "published":
        stmt = stmt.where(Guide.published_at.is_not(None))
    elif state == "draft":
        stmt = stmt.where(Guide.published_at.is_(None))
    if goods:
        stmt = stmt.join(Guide.goods_category).where(GoodsCategory.code == goods)
    return stmt


def units_for(user: User) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(scope.unit_ids(user))).order_by(Unit.path)))


def goods_categories() -> list[GoodsCategory]:
    return list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.active).order_by(GoodsCategory.name_vi)))


# --- changes -------------------------------------------------------------------------------

def folded(guide: Guide) -> str:
    return fold(" ".join(part or "" for part in (guide.title, guide.brand, guide.rights_holder,
                                                   guide.summary, guide.body)))


def _check(actor: User, data: GuideData) -> GoodsCategory | None:
    errors: dict[str, list] = {}
    unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
    if unit is None or not scope.covers(actor, unit):
        errors["unit_id"] = [_l("Choose a unit in your scope.")]
    category = None
    if data.goods_code:
        category = db.session.scalar(select(GoodsCategory).where(GoodsCategory.code == data.goods_code))
        if category is None:
            errors["goods_code"] = [_l("Choose a goods category from the list.")]
    if not (data.body or "").strip():
        errors["body"] = [_l("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    return category


def _apply(guide: Guide, data: GuideData, category: GoodsCategory | None) -> None:
    guide.unit_id, guide.title, guide.body = data.unit_id, data.title.strip(), data.body.strip()
    guide.goods_category = category
    guide.brand, guide.rights_holder, guide.summary = data.brand, data.rights_holder, data.summary
    guide.search_folded = folded(guide)


def create(actor: User, data: GuideData) -> Guide:
    ensure_can_edit(actor)
    category = _check(actor, data)
    guide = Guide(created_by_id=actor.id)
    _apply(guide, data, category)
    db.session.add(guide)
    db.session.flush()
    audit.record("guide.created", actor=actor, obj=guide, unit_id=guide.unit_id,
                 after=audit.snapshot(guide, AUDITED))
    return guide


def update(actor: User, guide: Guide, data: GuideData, *, version: int | None) -> Guide:
    ensure_can_edit(actor, guide)
    if version != guide.version:
        raise ConflictingEdit()
    category = _check(actor, data)
    before = audit.snapshot(guide, AUDITED)
    _apply(guide, data, category)
    guide.updated_at = utcnow()
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(guide, AUDITED))
    audit.record("guide.changed", actor=actor, obj=guide, unit_id=guide.unit_id, before=old, after=new)
    return guide


def publish(actor: User, guide: Guide) -> Guide:
    ensure_can_edit(actor, guide)
    if guide.published_at is None:
        guide.published_at = utcnow()
        db.session.flush()
        audit.record("guide.published", actor=actor, obj=guide, unit_id=guide.unit_id)
    return guide


def unpublish(actor: User, guide: Guide) -> Guide:
    ensure_can_edit(actor, guide)
    if guide.published_at is not None:
        guide.published_at = None
        db.session.flush()
        audit.record("guide.unpublished", actor=actor, obj=guide, unit_id=guide.unit_id)
    return guide


def add_image(actor: User, guide: Guide, upload, caption: str, *, folder: Path) -> GuideImage:
    """Re-encode the upload (no EXIF, no GPS position) and attach it; the caption is its alt text."""
    ensure_can_edit(actor, guide)
    errors: dict[str, list] = {}
    if not (caption or "").strip():
        errors["caption"] = [_l("Describe the image: the description is read to blind visitors.")]
    if len(guide.images) >= MAX_IMAGES:
        errors["image"] = [_l("A guide can have at most %(num)d images.", num=MAX_IMAGES)]
    if not upload or not getattr(upload, "filename", ""):
        errors["image"] = [_l("Choose an image.")]
    if errors:
        raise ValidationFailed(errors)
    try:
        stored = images.store_image(upload, folder=folder)
    except files.FileRefused as refused:
        raise ValidationFailed({"image": [refused.message]}) from None
    image = GuideImage(stored_name=stored.stored_name, mime_type=stored.mime_type, size=stored.size,
                       width=stored.width, height=stored.height, caption=caption.strip(),
                       position=max((i.position for i in guide.images), default=0) + 1)
    guide.images.append(image)
    guide.updated_at = utcnow()
    db.session.flush()
    audit.record("guide.image_added", actor=actor, obj=guide, unit_id=guide.unit_id,
                 after={"image": image.stored_name, "caption": image.caption})
    return image


def remove_image(actor: User, guide: Guide, image: GuideImage) -> None:
    """Take the image off the guide, on the staff pages and the public site. Its file stays in
    the instance folder (and in backups) while the image can be restored, which is as long as its
    row exists; nothing serves it meanwhile, since images are served only from the guide's list."""
    ensure_can_edit(actor, guide)
    if image.guide_id != guide.id:
        raise AccessDenied()
    deletion.mark_deleted(image, actor)
    guide.updated_at = utcnow()
    db.session.flush()
    db.session.expire(guide, ["images"])
    audit.record("guide.image_removed", actor=actor, obj=guide, unit_id=guide.unit_id,
                 before={"image": image.stored_name, "caption": image.caption})


def recently_removed_images(user: User, guide: Guide) -> list[GuideImage]:
    """The guide's removed images, for an editor to restore."""
    return deletion.recently_deleted(GuideImage, GuideImage.guide_id == guide.id) if can_edit(user, guide) else []


def get_removed_image(guide: Guide, image_id: int) -> GuideImage | None:
    image = deletion.get_deleted(GuideImage, image_id)
    return image if image is not None and image.guide_id == guide.id else None


def restore_image(actor: User, guide: Guide, image: GuideImage) -> GuideImage:
    """Put a removed image back where it was, if the guide has room for it."""
    ensure_can_edit(actor, guide)
    if image.guide_id != guide.id:
        raise AccessDenied()
    if image.deleted:
        if len(guide.images) >= MAX_IMAGES:
            raise ValidationFailed({"": [_l("A guide can have at most %(num)d images.", num=MAX_IMAGES)]})
        deletion.unmark(image)
        guide.updated_at = utcnow()
        db.session.flush()
        db.session.expire(guide, ["images"])
        audit.record("guide.image_restored", actor=actor, obj=guide, unit_id=guide.unit_id,
                     after={"image": image.stored_name, "caption": image.caption})
    return image


def image_of(guide: Guide, stored_name: str) -> GuideImage | None:
    return next((i for i in guide.images if i.stored_name == stored_name), None)


# --- public --------------------------------------------------------------------------------

def published(*, q: str | None = None, goods: str | None = None) -> Select:
    """Published guides, newest first; ``q`` ignores diacritics, case and punctuation."""
    stmt = (select(Guide).where(Guide.published_at.is_not(None))
            .options(joinedload(Guide.goods_category))
            .order_by(Guide.published_at.desc(), Guide.id.desc()))
    needle = fold(q)
    if needle:
        stmt = stmt.where(Guide.search_folded.contains(needle, autoescape=True))
    if goods:
        stmt = stmt.join(Guide.goods_category).where(GoodsCategory.code == goods)
    return stmt


def published_guide(guide_id: int) -> Guide | None:
    return db.session.scalar(select(Guide).where(Guide.id == guide_id, Guide.published_at.is_not(None))
                             .options(joinedload(Guide.goods_category), selectinload(Guide.images)))


def published_categories() -> list[GoodsCategory]:
    """The goods categories that have a published guide, for the public filter."""
    return list(db.session.scalars(
        select(GoodsCategory).where(GoodsCategory.id.in_(
            select(Guide.goods_category_id).where(Guide.published_at.is_not(None))))
        .order_by(GoodsCategory.name_vi)))
