"""Commands for operators: ``flask --app portal <command>``."""
from __future__ import annotations

import click
from flask import Flask, current_app

from portal.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(areas_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(demo_code_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(send_reminders_command)


@click.command("areas")
def areas_command():
    """Load or refresh the 34 provinces and 3,321 wards and communes."""
    from portal.services.areas import load_areas

    provinces, wards = load_areas()
    db.session.commit()
    click.echo(f"Areas: {provinces} provinces and {wards} wards written.")


@click.command("demo")
@click.option("--force", is_flag=True, help="Load the demo even when PORTAL_ENV is production.")
@click.option("--scale", type=click.Choice(["demo", "national"]), default="demo", show_default=True,
              help="demo: the units, users and records of the five source documents; national: every province "
                   "and ward with a million businesses and three years of records (bulk inserts).")
@click.option("--fraction", type=click.FloatRange(min=0, min_open=True, max=1), default=1.0, hidden=True,
              help="With --scale national: load this share of the national figures (for tests).")
def demo_command(force: bool, scale: str, fraction: float):
    """Load the demo units and users (idempotent); --scale national loads the national data set."""
    from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
    from portal.services.areas import load_areas

    if current_app.config["ENV"] == "production" and not force:
        raise click.ClickException("Refusing to load demo users in production (use --force to insist).")
    load_areas()
    if scale == "national":
        from portal.demo_national import load_national
        from portal.services.audit import trail_paused

        db.session.commit()
        with trail_paused("flask demo --scale national: millions of generated rows, written with COPY"):
            load_national(fraction)
        return
    users = load_demo()
    db.session.commit()
    click.echo(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for user in users:
        click.echo(f"  {user.username:<10} {user.role.value:<14} {user.full_name}")
    click.echo(f"Administrators and leaders also type a code: add the demo key {DEMO_TOTP_SECRET} to an "
               "authenticator app, or print the current code with: flask --app portal demo-code <user name>")


@click.command("demo-code")
@click.argument("username")
def demo_code_command(username: str):
    """Print the current sign-in code of a demo administrator or leader (demo accounts only)."""
    from portal.demo import demo_code

    code = demo_code(username.strip().lower())
    if code is None:
        raise click.ClickException(f"{username} is not a demo account with the demo key: no code is printed.")
    click.echo(code)


@click.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--full-name", prompt=True)
@click.option("--unit-name", default="Ban Chỉ đạo 389 quốc gia", show_default=True,
              help="The root unit the administrator belongs to; created when missing.")
@click.password_option()
def create_admin_command(username: str, full_name: str, unit_name: str, password: str):
    """Create the first administrator of a new installation."""
    from sqlalchemy import select

    from portal.demo import ensure_unit
    from portal.models import Role, Unit, UnitKind, User, UserRole
    from portal.services import audit, passwords
    from portal.services.auth import normalise_username

    username = normalise_username(username)
    problems = passwords.password_problems(password, username=username, full_name=full_name)
    if problems:
        raise click.ClickException(" ".join(str(p) for p in problems))
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise click.ClickException(f"User {username} exists already.")
    root = db.session.scalar(select(Unit).where(Unit.name == unit_name, Unit.parent_id.is_(None)))
    root = root or ensure_unit(unit_name, UnitKind.NATIONAL_COMMITTEE, None)
    user = User(username=username, full_name=full_name, unit_id=root.id,
                password_hash=passwords.hash_password(password), role_rows=[UserRole(role=Role.ADMIN)])
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=None, actor_name="cli", obj=user, unit_id=root.id,
                 after={"username": username, "roles": ["admin"]})
    db.session.commit()
    click.echo(f"Administrator {username} created in {root.name}.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True), required=False)
def backup_command(target: str | None):
    """Write every table and every uploaded file to one archive (default: a dated file here)."""
    from pathlib import Path

    from portal.db import utcnow
    from portal.services.backup import write_backup

    path = Path(target or f"portal-backup-{utcnow():%Y%m%d-%H%M%S}.tar.gz")
    counts = write_backup(path, Path(current_app.instance_path))
    rows = sum(v for k, v in counts.items() if k != "files")
    click.echo(f"Backup written to {path}: {rows} rows in {len(counts) - 1} tables, {counts['files']} files.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: str, yes: bool):
    """Replace every row and uploaded file with those of a backup made by `backup`."""
    from pathlib import Path

    from portal.services.backup import BackupRefused, restore_backup

    if not yes:
        click.confirm("This replaces ALL data of this portal with the backup. Go on?", abort=True)
    try:
        counts = restore_backup(Path(source), Path(current_app.instance_path))
    except BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    rows = sum(v for k, v in counts.items() if k != "files")
    click.echo(f"Restored {rows} rows in {len(counts) - 1} tables and {counts['files']} files from {source}.")


@click.command("send-reminders")
def send_reminders_command():
    """Email the report reminders that are due (before a deadline, after a missed one, and the
    list of late units to the receiving unit); safe to run from cron as often as you like."""
    from portal.services import reminders

    planned, sent = reminders.run()
    click.echo(f"Reminders planned: {planned.total} ({planned.before_due} before the deadline, "
               f"{planned.missed} missed, {planned.late_list} late lists).")
    if planned.withdrawn:
        click.echo(f"Withdrawn: {planned.withdrawn} unsent reminders about reports submitted meanwhile.")
    if planned.without_address:
        click.echo("No email address (set one on the unit or its users): "
                   + "; ".join(sorted(planned.without_address)) + ".")
    if sent is None:
        click.echo(f"Sending is not configured (set PORTAL_MAIL_SERVER): {reminders.pending_count()} "
                   "reminders wait unsent.")
        return
    if sent.busy:
        click.echo("Another run is sending right now; this one sent nothing.")
        return
    click.echo(f"Sent: {sent.sent}. Failed: {sent.failed} (kept, retried on the next run).")
    if sent.given_up:
        click.echo(f"Not retried any more after too many failures: {sent.given_up}.")
    for error in sent.errors[:5]:
        click.echo(f"  {error}", err=True)
    if sent.failed:
        raise SystemExit(1)
