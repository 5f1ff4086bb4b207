from __future__ import annotations

from portal.public import bp
from portal.services import disclosure
from portal.web import render


@bp.get("/")
def home():
    return render("public/home.html", hotlines=disclosure.hotlines())


@bp.get("/hotlines")
def hotlines():
    return render("public/hotlines.html", hotlines=disclosure.hotlines())
