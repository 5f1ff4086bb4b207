"""Guides to spotting fakes: the public list, search and one page per guide."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, request, send_file, url_for

from portal import cache, markup, ratelimit
from portal.extensions import db
from portal.public import bp
from portal.services import files, guides
from portal.web import page_number, render

PER_PAGE = 20
MAX_QUERY = 200


@bp.get("/guides", endpoint="guides")
@cache.cached()
def guides_index():
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    if q:
        ratelimit.check("search")
    categories = guides.published_categories()
    goods = request.args.get("goods")
    goods = goods if goods in {c.code for c in categories} else None
    page = db.paginate(guides.published(q=q, goods=goods), page=page_number(), per_page=PER_PAGE,
                       max_per_page=PER_PAGE, error_out=False)
    return render("public/guides/index.html", page=page, q=q, goods=goods, categories=categories)


@bp.get("/guides/<int(max=2147483647):guide_id>")
@cache.cached()
def guide(guide_id: int):
    found = guides.published_guide(guide_id) or abort(404)
    code = found.goods_category.code if found.goods_category else None
    tip_url = url_for("public.new_tip", goods=code)
    violations_url = url_for("public.violations", q=found.brand or None, goods=code)
    return render("public/guides/detail.html", guide=found, body=markup.render(found.body),
                  tip_url=tip_url, violations_url=violations_url)


@bp.get("/guides/<int(max=2147483647):guide_id>/images/<stored_name>")
def guide_image(guide_id: int, stored_name: str):
    """An image of a published guide: re-encoded on upload, served with its own type, never sniffed."""
    found = guides.published_guide(guide_id) or abort(404)
    image = guides.image_of(found, stored_name) or abort(404)
    try:
        path = files.open_stored(Path(current_app.instance_path) / "guide-images", image.stored_name)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=image.mime_type, max_age=3600, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
