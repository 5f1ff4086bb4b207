"""Guides to spotting fakes: staff write, illustrate and publish them."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import markup
from portal.extensions import db
from portal.internal.forms.admin import options, unit_options
from portal.internal.forms.fields import EmptyForm
from portal.internal.forms.public_content import GuideForm, GuideImageForm
from portal.models import Guide, GuideImage
from portal.services import files, guides
from portal.web import act, filtered_page, render, submit, wants_fragment

bp = Blueprint("guides", __name__, url_prefix="/guides")

ID = "<int(max=2147483647):guide_id>"
STATES = ("published", "draft")


def image_folder() -> Path:
    return Path(current_app.instance_path) / "guide-images"


def _load(guide_id: int) -> Guide:
    return guides.get(guide_id) or abort(404)


def _editable(guide_id: int) -> Guide:
    guide = _load(guide_id)
    guides.ensure_can_edit(current_user, guide)
    return guide


@bp.get("/")
def index():
    state = request.args.get("state") if request.args.get("state") in STATES else None
    codes = {g.code: g for g in guides.goods_categories()}
    goods = request.args.get("goods") if request.args.get("goods") in codes else None
    page, _unused = filtered_page(guides.listing(state=state, goods=goods))
    return render("internal/guides/index.html", page=page, state=state, goods=goods,
                  categories=list(codes.values()), can_write=guides.can_edit(current_user))


@bp.get(f"/{ID}")
def detail(guide_id: int):
    return _detail(_load(guide_id))


def _detail(guide: Guide, image_form: GuideImageForm | None = None, status: int = 200):
    return render("internal/guides/detail.html", guide=guide, body=markup.render(guide.body),
                  can_edit=guides.can_edit(current_user, guide), form=EmptyForm(),
                  removed_images=guides.recently_removed_images(current_user, guide),
                  image_form=image_form or GuideImageForm(formdata=None), status=status)


def _form(guide: Guide | None) -> GuideForm:
    form = GuideForm(obj=guide) if guide is not None and request.method == "GET" else GuideForm()
    form.unit_id.choices = unit_options(guides.units_for(current_user))
    locale = str(get_locale())
    form.goods_code.choices = options([("", "—")] + [(g.code, g.name(locale)) for g in guides.goods_categories()])
    if request.method == "GET":
        if guide is None:
            form.unit_id.data = current_user.unit_id
        else:
            form.goods_code.data = guide.goods_category.code if guide.goods_category else None
    return form


def _data(form: GuideForm) -> guides.GuideData:
    return guides.GuideData(unit_id=form.unit_id.data, title=form.title.data, body=form.body.data,
                            goods_code=form.goods_code.data, brand=form.brand.data,
                            rights_holder=form.rights_holder.data, summary=form.summary.data)


def _page(form: GuideForm, guide: Guide | None, change):
    """The form; "Preview" shows the formatted text (alone to htmx) and saves nothing."""
    if request.method == "POST" and request.form.get("preview"):
        preview = markup.render(form.body.data or "")
        if wants_fragment("guide-preview"):
            return render("internal/guides/_preview.html", preview=preview)
        return render("internal/guides/form.html", form=form, guide=guide, preview=preview)
    outcome = submit(form, change,
                     message=lambda saved: _("The guide %(title)s has been saved.", title=saved.title),
                     next_url=lambda saved: url_for("internal.guides.detail", guide_id=saved.id))
    return outcome.response or render("internal/guides/form.html", form=form, guide=guide, preview=None,
                                      status=outcome.status)


@bp.route("/new", methods=["GET", "POST"])
def create():
    guides.ensure_can_edit(current_user)
    form = _form(None)
    return _page(form, None, lambda: guides.create(current_user, _data(form)))


@bp.route(f"/{ID}/edit", methods=["GET", "POST"])
def edit(guide_id: int):
    guide = _editable(guide_id)
    form = _form(guide)
    return _page(form, guide, lambda: guides.update(current_user, guide, _data(form), version=form.version.data))


@bp.post(f"/{ID}/<any(publish, unpublish):action>")
def publish(guide_id: int, action: str):
    guide = _editable(guide_id)
    if not EmptyForm().validate():
        abort(400)
    if action == "publish":
        change, message = (lambda: guides.publish(current_user, guide)), _("The guide is now on the public site.")
    else:
        change, message = (lambda: guides.unpublish(current_user, guide)), _("The guide is no longer public.")
    return act(change, message=message, next_url=url_for("internal.guides.detail", guide_id=guide.id))


@bp.post(f"/{ID}/images")
def add_image(guide_id: int):
    guide = _editable(guide_id)
    form = GuideImageForm()
    outcome = submit(form, lambda: guides.add_image(current_user, guide, form.image.data, form.caption.data,
                                                    folder=image_folder()),
                     message=lambda _saved: _("The image has been added."),
                     next_url=lambda _saved: url_for("internal.guides.detail", guide_id=guide_id))
    return outcome.response or _detail(_load(guide_id), form, status=outcome.status)


@bp.post(f"/{ID}/images/<int(max=2147483647):image_id>/delete")
def remove_image(guide_id: int, image_id: int):
    guide = _editable(guide_id)
    image = db.session.get(GuideImage, image_id)
    if image is None or image.guide_id != guide.id:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    return act(lambda: guides.remove_image(current_user, guide, image),
               message=_("The image has been removed."),
               next_url=url_for("internal.guides.detail", guide_id=guide.id))


@bp.post(f"/{ID}/images/<int(max=2147483647):image_id>/restore")
def restore_image(guide_id: int, image_id: int):
    guide = _editable(guide_id)
    image = guides.get_removed_image(guide, image_id) or abort(404)
    if not EmptyForm().validate():
        abort(400)
    return act(lambda: guides.restore_image(current_user, guide, image),
               message=_("The image has been restored."),
               next_url=url_for("internal.guides.detail", guide_id=guide.id))


@bp.get(f"/{ID}/images/<stored_name>")
def image(guide_id: int, stored_name: str):
    """An image of any guide, drafts included, for staff."""
    guide = _load(guide_id)
    found = guides.image_of(guide, stored_name)
    if found is None:
        abort(404)
    try:
        path = files.open_stored(image_folder(), found.stored_name)
    except FileNotFoundError:
        abort(404)
    return send_file(path, mimetype=found.mime_type, max_age=0)
