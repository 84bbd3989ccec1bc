"""The saved profiles of a folder and its sub-folders (drawn as a tree); choosing one loads it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.safe import safe
from tui.core.recovery import RecoveryStore

_COPY = "recovery:"  # option ids of never-saved modules' recovery copies

# Not profiles: environments, and hidden folders (.git, editors' state).
_SKIPPED_FOLDERS = frozenset({"environments"})


def profile_files(folder: Path) -> list[Path]:
    """`*.toml` under `folder`, each folder's own files before its sub-folders, by name."""
    if not folder.is_dir():
        return []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    files = [p for p in entries if p.suffix == ".toml" and p.is_file()]
    for sub in entries:
        if sub.is_dir() and not sub.name.startswith(".") and sub.name not in _SKIPPED_FOLDERS:
            files.extend(profile_files(sub))
    return files


class ProfileList(OptionList):
    """Lists the profiles under a folder, sub-folders as indented branches, then never-saved
    modules kept as recovery copies; posts `Chosen(path)` or `RecoveryChosen(copy path)`."""

    class Chosen(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class RecoveryChosen(Message):
        """A never-saved module's recovery copy was chosen."""

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
        files = profile_files(self.folder)
        if not files:
            self.add_option(Option(Text(f"(no profiles in {self.folder})", style="dim"), disabled=True))
        options: list[Option] = []
        shown: set[Path] = {Path()}
        for path in files:
            parts = path.relative_to(self.folder).parent.parts
            for depth in range(len(parts)):
                branch = Path(*parts[: depth + 1])
                if branch not in shown:
                    shown.add(branch)
                    label = Text("  " * depth + "▾ ", style="dim") + safe(parts[depth] + "/")
                    options.append(Option(label, disabled=True))
            options.append(Option(Text("  " * len(parts)) + safe(path.stem), id=str(path)))
        options.extend(
            Option(
                Text(f"● unsaved {copy.name} ({copy.local_time()})", style="italic"), id=f"{_COPY}{copy.path}"
            )
            for copy in RecoveryStore(self.folder).unsaved_new()
        )
        self.add_options(options)
        if select is not None:
            for index, option in enumerate(options):
                if option.id is not None and Path(option.id).resolve() == select.resolve():
                    self.highlighted = index

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith(_COPY):
            self.post_message(self.RecoveryChosen(Path(event.option.id.removeprefix(_COPY))))
        elif event.option.id:
            self.post_message(self.Chosen(Path(event.option.id)))
