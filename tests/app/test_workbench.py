"""The workbench driven as a person would: keys and clicks, against the real sandbox."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from textual.widgets import Input, Select, TabbedContent

from tests.app.conftest import PROFILES, click_node, find_node, send_and_wait
from tui.app.widgets.path_bar import PathBar
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.app.widgets.status_line import StatusLine


def status_text(app) -> str:
    return str(app.workbench.query_one(StatusLine).render())


def path_bar_text(app) -> str:
    return str(app.workbench.query_one("#path-text").render())


async def test_send_click_json_node_shows_its_path(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        assert "200 OK" in status_text(app) and "SUCCESS" in status_text(app)
        tree = app.workbench.query_one(ResponseTree)
        await click_node(pilot, tree, find_node(tree, "users"))
        await click_node(pilot, tree, find_node(tree, "users.0"))
        await click_node(pilot, tree, find_node(tree, "users.0.title"))
        assert path_bar_text(app).startswith('users.0.title = "Ms"')


async def test_soap_response_paths_keep_prefixes_and_attributes(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "soap-lookup.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "soap-lookup.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        assert "SUCCESS" in status_text(app)
        tree = app.workbench.query_one(ResponseTree)
        for path in (
            "soap:Envelope",
            "soap:Envelope.soap:Body",
            "soap:Envelope.soap:Body.GetUserResponse",
            "soap:Envelope.soap:Body.GetUserResponse.user",
        ):
            await click_node(pilot, tree, find_node(tree, path))
        # a single <user> is an object: the bar says so rather than pretending it is a list
        assert "one element: an object, not a list" in path_bar_text(app)
        await click_node(pilot, tree, find_node(tree, "soap:Envelope.soap:Body.GetUserResponse.user.@id"))
        bar = app.workbench.query_one(PathBar)
        assert bar.path == "soap:Envelope.soap:Body.GetUserResponse.user.@id"
        assert path_bar_text(app).endswith('.user.@id = "sub_2"')  # cut at the front if too long
        await pilot.press("c")
        assert app.clipboard == "soap:Envelope.soap:Body.GetUserResponse.user.@id"


async def test_add_node_as_row_shows_live_value_then_change_type_and_target(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        await click_node(pilot, tree, find_node(tree, "users"))
        await click_node(pilot, tree, find_node(tree, "users.1"))
        await click_node(pilot, tree, find_node(tree, "users.1.email"))
        await pilot.click("#path-add")
        await pilot.pause()
        panel = app.workbench.query_one(SetVariablesPanel)
        assert panel.rows[-1].name == "users.1.email"
        assert panel.rows[-1].target == "email"
        index = len(panel.rows) - 1
        assert panel.value_text(index) == '"grace@example.com"'
        # change type to source and choose the Email target, in the row dialog
        app.workbench.query_one("#response-tabs", TabbedContent).active = "tab-vars"
        await pilot.pause()
        app.workbench.query_one("#var-table").focus()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "RowEditor"
        dialog.query_one("#row-type", Select).value = "source"
        await pilot.pause()
        target = dialog.query_one("#row-target-select", Select)
        assert target.display and not dialog.query_one("#row-target-text", Input).display
        target.value = "email"
        await pilot.pause()
        await pilot.click("#row-ok")
        await pilot.pause()
        assert app.screen is app.workbench
        assert panel.rows[index].publishes == "source.email"
        assert panel.value_text(index) == '"grace@example.com"'
        assert app.workbench.dirty


async def test_save_reload_keeps_row_and_hand_written_comments(make_app, tmp_path: Path) -> None:
    profile = tmp_path / "users.toml"
    shutil.copy(PROFILES / "users.toml", profile)
    original = profile.read_text()
    assert "# DESIGN's example" in original
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        await click_node(pilot, tree, find_node(tree, "users"))
        await click_node(pilot, tree, find_node(tree, "users.0"))
        await click_node(pilot, tree, find_node(tree, "users.0.name"))
        await pilot.press("a")
        await pilot.pause()
        assert app.workbench.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not app.workbench.dirty
    text = profile.read_text()
    assert "# DESIGN's example: the `users` list, mapped by `users.0.title`." in text
    data = tomllib.loads(text)
    assert {"name": "users.0.name", "type": "variable", "target": "name"} in data["set_variables"]
    assert data["set_variables"][0]["name"] == "users.0.title"
    # and the app reads it back with the row in place
    app2 = make_app(tmp_path, profile)
    async with app2.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # the panel is mounted lazily; a busy machine takes a while
            if app2.workbench.query(SetVariablesPanel):
                break
            await pilot.pause(0.05)
        assert [r.name for r in app2.workbench.query_one(SetVariablesPanel).rows] == [
            "users.0.title",
            "users.0.name",
        ]


async def test_timeout_shows_failure_with_reason(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "slow-timeout.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "slow-timeout.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        assert "FAILURE" in status_text(app)
        assert "timeout after 1 s" in status_text(app)


async def test_escape_cancels_request_in_flight(make_app, tmp_path: Path) -> None:
    # The request must still be in flight when Esc arrives, however loaded the machine is:
    # the endpoint answers after 30 s and the module waits 60 s.
    profile = tmp_path / "slow.toml"
    text = (PROFILES / "slow-timeout.toml").read_text()
    profile.write_text(text.replace("seconds=3", "seconds=30").replace("timeout = 1.0", "timeout = 60.0"))
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+r")
        for _ in range(100):
            if "Sending" in status_text(app):
                break
            await pilot.pause(0.05)
        assert "Sending" in status_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Cancelled" in status_text(app)


async def test_unknown_placeholder_is_marked_and_not_sent(make_app, tmp_path: Path, fresh_sandbox) -> None:
    shutil.copy(PROFILES / "secure-profile.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "secure-profile.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tabs = app.workbench.query_one("#request-tabs", TabbedContent)
        assert "1 unknown" in str(tabs.get_tab("tab-placeholders").label)
        await send_and_wait(pilot)
        assert "Not sent" in status_text(app) and "env.HOOKBENCH_DEMO_TOKEN" in status_text(app)
        # type the value for the session, then it sends and succeeds
        tabs.active = "tab-placeholders"
        await pilot.pause()
        from tui.app.widgets.placeholders import PlaceholderRow

        rows = {row.placeholder_name: row for row in app.workbench.query(PlaceholderRow)}
        assert set(rows) == {"base_url", "env.HOOKBENCH_DEMO_TOKEN"}
        assert "unknown" in str(rows["env.HOOKBENCH_DEMO_TOKEN"].query_one(".ph-value").render())
        await pilot.click(rows["env.HOOKBENCH_DEMO_TOKEN"].query_one(".ph-input"))
        await pilot.press(*"demo-token")
        await pilot.pause()
        await send_and_wait(pilot)
        assert "200 OK" in status_text(app) and "SUCCESS" in status_text(app)


async def test_markup_in_response_keys_renders_literally(make_app, tmp_path: Path, httpbin) -> None:
    profile = tmp_path / "markup.toml"
    profile.write_text(
        'name = "markup"\n[request]\nmethod = "POST"\nurl = "' + httpbin.url + '/anything"\n'
        '[request.body]\ncontent_type = "json"\ntext = \'{"[bold]x[/]": "a[/]"}\'\n'
    )
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        await click_node(pilot, tree, find_node(tree, "json"))
        node = find_node(tree, 'json."[bold]x[/]"')
        assert node is not None
        assert node.label.plain == '[bold]x[/]: "a[/]"'
        assert not any("bold" in str(span.style) for span in node.label.spans)
        await click_node(pilot, tree, node)
        assert path_bar_text(app) == 'json."[bold]x[/]" = "a[/]"'
        # mapping and copying it shows the key in messages, literally (no markup error)
        await pilot.press("a", "c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert 'Added Set Variables row: json."[bold]x[/]" → {{bold_x}}' in messages
        assert 'json."[bold]x[/]"' in messages
        assert app.is_running
        # the root is the whole response, not a row
        tree.move_cursor(tree.root)
        await pilot.pause()
        rows = len(app.workbench.query_one(SetVariablesPanel).rows)
        await pilot.press("a")
        await pilot.pause()
        assert len(app.workbench.query_one(SetVariablesPanel).rows) == rows


async def test_connection_refused_and_bad_json_body_are_readable(make_app, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profile = tmp_path / "refused.toml"
    profile.write_text(f'[request]\nmethod = "GET"\nurl = "http://127.0.0.1:{port}/x"\n')
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        assert "FAILURE" in status_text(app) and "connection refused" in status_text(app)
        app.workbench.query_one("#method", Select).value = "POST"
        await pilot.pause()
        app.workbench.query_one("#body-text").load_text('{"a": 1,}')
        await send_and_wait(pilot)
        assert "Not sent" in status_text(app) and "line 1" in status_text(app)


async def test_invalid_profile_file_is_reported_not_fatal(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    (tmp_path / "broken.toml").write_text("[request\nurl = 1\n")
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        opened = await app.workbench.open_profile(tmp_path / "broken.toml")
        await pilot.pause()
        assert opened is False
        assert app.workbench.profile.path.name == "users.toml"
        assert any("broken.toml" in n.message and "invalid TOML" in n.message for n in app._notifications)


async def test_keyboard_only_compose_send_map_save_at_80x24(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.workbench.query_one("#sidebar").display  # collapsed at 80 columns
        url = app.workbench.query_one("#url", Input)
        assert app.focused is url
        url.value = ""
        await pilot.press(*"{{base_url}}/users")
        await send_and_wait(pilot, "enter")
        assert "SUCCESS" in status_text(app)
        tree = app.workbench.query_one(ResponseTree)
        assert app.focused is tree
        # root → users (expand) → users.0 (expand) → users.0.id → users.0.title
        await pilot.press("down", "enter", "down", "enter", "down", "down", "enter")
        assert path_bar_text(app).startswith('users.0.title = "Ms"')
        await pilot.press("a")
        await pilot.pause()
        assert app.workbench.query_one(SetVariablesPanel).rows[-1].name == "users.0.title"
        await pilot.press("c")
        assert app.clipboard == "users.0.title"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"Keyboard users", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    saved = tmp_path / "keyboard-users.toml"
    data = tomllib.loads(saved.read_text())
    assert data["name"] == "Keyboard users"
    assert data["request"]["url"] == "{{base_url}}/users"
    assert data["set_variables"] == [{"name": "users.0.title", "type": "variable", "target": "title"}]


async def test_quit_with_unsaved_changes_asks_first(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.workbench.query_one("#url", Input).value = "{{base_url}}/users?changed=1"
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "UnsavedChanges"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.workbench
        assert app.is_running


async def test_flow_tab_runs_the_newsletter_flow_and_shows_a_step(make_app, fresh_sandbox) -> None:
    app = make_app(
        PROFILES, PROFILES / "subscriber-lookup.toml", **{"source.email": "new.caller@example.com"}
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.workbench.query_one("#response-tabs", TabbedContent).active = "tab-flow"
        await pilot.pause()
        await pilot.pause()
        await pilot.click("#flow-run")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        from tui.app.widgets.flow_view import FlowView

        view = app.workbench.query_one(FlowView)
        assert [step.stem for step in view.steps] == [
            "subscriber-lookup",
            "subscriber-create",
            "send-discount",
        ]
        assert [step.route for step in view.steps] == ["failure", "success", "success"]
        assert [mail["email"] for mail in fresh_sandbox.state.emails_sent] == ["new.caller@example.com"]
        # the last step is in the viewer; selecting the first shows its 404
        assert "202" in status_text(app)
        table = view.query_one("#flow-steps")
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert "404" in status_text(app) and "FAILURE" in status_text(app)
        # a step of another module: its nodes are not mapped into this one
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        tree = app.workbench.query_one(ResponseTree)
        rows = app.workbench.query_one(SetVariablesPanel).rows
        tree.focus()
        await pilot.press("down", "a")
        await pilot.pause()
        assert app.workbench.query_one(SetVariablesPanel).rows == rows
        assert any("flow step subscriber-create" in n.message for n in app._notifications)


async def test_history_pane_records_loads_replays_and_saves_as_profile(make_app, tmp_path: Path) -> None:
    from textual.widgets import OptionList

    from tui.app.widgets.history_list import HistoryList

    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        history = app.workbench.query_one(HistoryList)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(history.records) == 1
        assert history.records[0].status == 200 and history.records[0].route == "success"
        # Enter on the record loads it into the composer without sending
        options = history.query_one("#history-options", OptionList)
        options.focus()
        options.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.workbench.profile is None
        assert app.workbench.query_one("#url", Input).value.endswith("/users")
        assert len(history.records) == 1
        # r replays it: a second record appears
        options.focus()
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(history.records) == 2
        assert "SUCCESS" in status_text(app)
        # s saves the highlighted record as a profile under a chosen name
        options.focus()
        options.highlighted = 0
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"From history", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    saved = tomllib.loads((tmp_path / "from-history.toml").read_text())
    assert saved["request"]["url"].endswith("/users")


async def test_wide_list_is_paged_and_the_more_node_loads_the_next_page(make_app, tmp_path: Path) -> None:
    profile = tmp_path / "wide.toml"
    profile.write_text('[request]\nmethod = "GET"\nurl = "{{base_url}}/fault/bytes?n=1001&type=json"\n')
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        items = tree.root.children
        assert len(items) == 201  # 200 items and the "… more" node
        assert items[-1].label.plain.startswith("… 300 more")
        assert items[199].data.path == "199"
        tree.select_node(items[-1])
        await pilot.pause()
        items = tree.root.children
        assert len(items) == 401 and items[399].data.path == "399"
        assert items[-1].label.plain.startswith("… 100 more")


async def test_raw_tab_shows_the_body_pretty_printed_when_opened(make_app, tmp_path: Path) -> None:
    from tui.app.widgets.raw_view import RawView

    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        raw = app.workbench.query_one(RawView)
        assert raw.text == "(formatting…)"  # nothing formatted until someone looks
        await pilot.press("f4")  # Tree → Raw
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert '    {\n      "id": 1,\n      "title": "Ms",' in raw.text
