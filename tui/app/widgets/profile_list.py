"""The saved profiles of a folder; choosing one loads it into the composer."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.safe import safe


class ProfileList(OptionList):
    """Lists `*.toml` in a folder; posts `Chosen(path)`."""

    class Chosen(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, folder: Path, *, current: Path | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.folder = folder
        self.current = current
        self.border_title = "Profiles"

    def on_mount(self) -> None:
        self.reload(select=self.current)

    def reload(self, select: Path | None = None) -> None:
        """Re-read the folder (after a save), keeping `select` highlighted."""
        self.clear_options()
        files = sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []
        if not files:
            self.add_option(Option(Text(f"(no profiles in {self.folder})", style="dim"), disabled=True))
            return
        self.add_options([Option(safe(path.stem), id=str(path)) for path in files])
        if select is not None:
            for index, path in enumerate(files):
                if path.resolve() == select.resolve():
                    self.highlighted = index

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(Path(event.option.id)))
