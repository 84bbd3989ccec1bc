"""The saved profiles of a folder and its sub-folders, drawn as a tree whose folders open and
close (a click or Enter on a folder, left/right arrows); choosing a profile loads it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.safe import safe
from tui.core.recovery import RecoveryStore

_COPY = "recovery:"  # option ids of never-saved modules' recovery copies
_FOLDER = "folder:"  # option ids of sub-folders (the path relative to the profiles folder)

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


def _key(option_id: str) -> str:
    """An option id to compare: a profile by its resolved path, a folder or copy as it is."""
    return option_id if option_id.startswith((_FOLDER, _COPY)) else str(Path(option_id).resolve())


class ProfileList(OptionList):
    """Lists the profiles under a folder, sub-folders as branches that collapse and expand,
    then never-saved modules kept as recovery copies; posts `Chosen(path)` or
    `RecoveryChosen(copy path)`."""

    BINDINGS = [
        Binding("left", "collapse", "Close folder", show=False),
        Binding("right", "expand", "Open folder", show=False),
    ]

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
        self.collapsed: set[Path] = set()  # sub-folders closed, relative to `folder`
        self.border_title = "Profiles"

    def on_mount(self) -> None:
        self.reload(select=self.current)

    def reload(self, select: Path | None = None) -> None:
        """Re-read the folder (after a save), keeping `select` highlighted; the folders holding
        it are opened."""
        if select is not None and select.resolve().is_relative_to(self.folder.resolve()):
            self.collapsed.difference_update(select.resolve().relative_to(self.folder.resolve()).parents)
        self._show(str(select) if select is not None else None)

    def _show(self, highlight: str | None) -> None:
        """Rebuild the options, highlighting the one whose id is (or names the file) `highlight`."""
        self.clear_options()
        files = profile_files(self.folder)
        if not files:
            self.add_option(Option(Text(f"(no profiles in {self.folder})", style="dim"), disabled=True))
        options: list[Option] = []
        shown: set[Path] = {Path()}
        for path in files:
            parts = path.relative_to(self.folder).parent.parts
            branches = [Path(*parts[: depth + 1]) for depth in range(len(parts))]
            for depth, branch in enumerate(branches):
                if any(closed in branch.parents for closed in self.collapsed):
                    break
                if branch not in shown:
                    shown.add(branch)
                    options.append(self._folder_option(branch, depth))
            if not self.collapsed.intersection(branches):
                options.append(Option(Text("  " * len(parts)) + safe(path.stem), id=str(path)))
        options.extend(
            Option(
                Text(f"● unsaved {copy.name} ({copy.local_time()})", style="italic"), id=f"{_COPY}{copy.path}"
            )
            for copy in RecoveryStore(self.folder).unsaved_new()
        )
        self.add_options(options)
        if highlight is None:
            return
        target = _key(highlight)
        for index, option in enumerate(options):
            if option.id is not None and _key(option.id) == target:
                self.highlighted = index

    def _folder_option(self, branch: Path, depth: int) -> Option:
        mark = "▸ " if branch in self.collapsed else "▾ "
        label = Text("  " * depth + mark, style="dim") + safe(branch.name + "/")
        return Option(label, id=f"{_FOLDER}{branch.as_posix()}")

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id

    def _toggle(self, branch: Path, *, open_: bool | None = None) -> None:
        """Close or open `branch` (flip it when `open_` is None), keeping it highlighted."""
        if open_ is None:
            open_ = branch in self.collapsed
        if open_:
            self.collapsed.discard(branch)
        else:
            self.collapsed.add(branch)
        self._show(f"{_FOLDER}{branch.as_posix()}")

    def action_collapse(self) -> None:
        """On an open folder: close it; on anything inside a folder: go to that folder."""
        current = self._highlighted_id()
        if current is None or current.startswith(_COPY):
            return
        if current.startswith(_FOLDER):
            branch = Path(current.removeprefix(_FOLDER))
            if branch not in self.collapsed:
                self._toggle(branch, open_=False)
                return
            parent = branch.parent
        else:
            parent = Path(current).relative_to(self.folder).parent
        if parent != Path():
            self._show(f"{_FOLDER}{parent.as_posix()}")

    def action_expand(self) -> None:
        """On a closed folder: open it; on an open one: go to its first entry."""
        current = self._highlighted_id()
        if current is None or not current.startswith(_FOLDER):
            return
        branch = Path(current.removeprefix(_FOLDER))
        if branch in self.collapsed:
            self._toggle(branch, open_=True)
        elif self.highlighted is not None and self.highlighted + 1 < self.option_count:
            self.highlighted += 1

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if not option_id:
            return
        if option_id.startswith(_FOLDER):
            self._toggle(Path(option_id.removeprefix(_FOLDER)))
        elif option_id.startswith(_COPY):
            self.post_message(self.RecoveryChosen(Path(option_id.removeprefix(_COPY))))
        else:
            self.post_message(self.Chosen(Path(option_id)))
