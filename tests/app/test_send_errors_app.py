"""A send that cannot happen ends in a notification and an idle status line, never "Sending …"."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from tests.app.conftest import send_and_wait
from tui.app.screen_work import start
from tui.app.widgets.status_line import StatusLine
from tui.core.render import RenderedRequest


def status_text(app) -> str:
    return str(app.workbench.query_one(StatusLine).render())


async def test_a_malformed_punycode_host_is_a_notification_not_an_unexpected_error(
    make_app, tmp_path: Path
) -> None:
    profile = tmp_path / "P.toml"
    profile.write_text('[request]\nmethod = "GET"\nurl = "{{u}}"\n')
    app = make_app(tmp_path, profile, u="http://xn--a.com/")
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        status = status_text(app)
        assert status.startswith("Not sent: url 'http://xn--a.com/'"), status
        assert "not a valid internationalised host name" in status
        titles = [n.title for n in app._notifications]
        assert "Not sent" in titles and "Unexpected error" not in titles


async def test_a_send_worker_that_dies_leaves_the_status_line_idle(make_app, tmp_path: Path) -> None:
    """Whatever bug ends a send worker, the status line stops saying "Sending …"."""
    profile = tmp_path / "P.toml"
    profile.write_text('[request]\nmethod = "GET"\nurl = "http://127.0.0.1:9/x"\n')
    app = make_app(tmp_path, profile)

    async def broken_send(status: StatusLine) -> None:
        request = RenderedRequest(method="GET", url="http://127.0.0.1:9/x", headers=())
        status.show_sending(request)
        raise RuntimeError("a bug after the request was rendered")

    async with app.run_test(size=(120, 40)) as pilot:
        status = app.workbench.query_one(StatusLine)
        start(app.workbench, partial(broken_send, status), group="send")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sending" not in status_text(app)
        assert "unexpected error" in status_text(app)
        assert "Unexpected error" in [n.title for n in app._notifications]
