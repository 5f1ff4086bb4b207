"""Languages (Vietnamese first, English second), Vietnam time, and the date and money formats."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date
from flask import Flask, current_app, request, session
from flask_babel import format_currency, format_datetime, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from portal.extensions import babel, db


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        return wanted
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _escaped_html(self) -> Markup:
    return escape(str(self))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's lazy strings tell Jinja they are already safe HTML (``__html__`` returns the
    # text as it is), so ``_l("No category “%(value)s”", value=typed)`` shown in a template would
    # carry what a visitor typed into the page unescaped. Our messages hold no markup: escape them.
    LazyString.__html__ = _escaped_html

    @app.before_request
    def remember_language():
        """``?lang=`` anywhere switches the language and the choice is kept."""
        wanted = request.args.get("lang")
        if wanted not in app.config["LANGUAGES"]:
            return
        session["lang"] = wanted
        if current_user.is_authenticated and current_user.locale != wanted:
            current_user.locale = wanted
            db.session.commit()

    @app.context_processor
    def language_context():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"],
                "url_for_language": url_for_language}

    app.jinja_env.filters["official_date"] = official_date
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.filters["phone"] = phone
    app.jinja_env.filters["percent"] = percent


def url_for_language(lang: str) -> str:
    """The current page in another language (query string kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    from urllib.parse import urlencode

    return request.path + "?" + urlencode(args, doseq=True)


def official_date(value: date | datetime | None) -> str:
    """'ngày 19 tháng 3 năm 2024' in Vietnamese, '19 March 2024' in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        from flask_babel import to_user_timezone

        value = to_user_timezone(value).date()
    locale = str(get_locale())
    if locale == "vi":
        return f"ngày {value.day} tháng {value.month} năm {value.year}"
    return format_date(value, format="d MMMM y", locale=locale)


def local_datetime(value: datetime | None, fmt: str = "short") -> str:
    """An instant shown in Vietnam time: '14:05 19/3/2024'."""
    if value is None:
        return ""
    if str(get_locale()) == "vi" and fmt == "short":
        return format_datetime(value, "HH:mm dd/MM/yyyy")
    return format_datetime(value, fmt)


def vnd(amount: int | float | None) -> str:
    """Money in Vietnamese đồng: '1.500.000 ₫'."""
    if amount is None:
        return ""
    return format_currency(amount, "VND")


def phone(number: str | None) -> str:
    """Digits grouped as Vietnamese numbers are read: '0908 538 844', '02923 810 481'."""
    if not number:
        return ""
    if len(number) == 10:
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    if len(number) == 11:
        return f"{number[:5]} {number[5:8]} {number[8:]}"
    return number


def span_label(span: timedelta) -> str:
    """How long something waited or was late, at the scale that matters: days, else hours."""
    if span.days >= 1:
        return ngettext("%(num)d day", "%(num)d days", span.days)
    hours = span.seconds // 3600
    if hours >= 1:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return _("less than an hour")


def percent(value: float | None) -> str:
    """A share already in percent, in the locale's digits: '62,5%' in Vietnamese, '62.5%' in English."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.#") + "%"
