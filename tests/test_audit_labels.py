"""Every action the portal writes to the audit log has a label in the log's page."""
import re
from pathlib import Path

from portal.labels import AUDIT_ACTION_LABELS

ROOT = Path(__file__).resolve().parent.parent / "portal"


def test_every_audited_action_has_a_label():
    written = set()
    for path in ROOT.rglob("*.py"):
        written.update(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
        written.update(re.findall(r'"([a-z]+\.(?:scan|recorded|batch|imported))"', path.read_text(encoding="utf-8")))
    assert len(written) > 20
    assert written - AUDIT_ACTION_LABELS.keys() == set()
