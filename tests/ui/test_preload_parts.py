"""What the preload thread imports (ui/preload.py) is all a tab's first show needs: a tab's
module imports only its header and scan field's needs, its parts and dialogs the rest, so the
preload takes each tab's whole package (and what the tab names in ``PRELOAD``). Without it, each
tab's first show imported its parts' modules on the UI thread: 87-150 ms blocks in the floor
benchmark's first shows."""

from __future__ import annotations

from window_child import run_window_child

from app.context import Context

BODY = """
window.show()
app.processEvents()
failed = preload.import_all(preload.with_their_packages(window._tab_modules))
print("failed", *failed)
for slot in window.tab_pages():
    before = set(sys.modules)
    window.page(slot.objectName())  # the whole tab, every part built
    new = sorted(m for m in set(sys.modules) - before if m.startswith(("app.", "ui.")))
    print(slot.objectName(), *new)
"""


def test_after_the_preload_no_tab_s_first_show_imports_a_module_of_ours(
    admin: Context, database_url: str
) -> None:
    lines = run_window_child(BODY, database_url)
    assert lines.pop("failed") == []
    assert len(lines) >= 8  # every tab of an admin's window
    assert lines == {name: [] for name in lines}
