"""The help screen (imported on first use: Markdown costs start-up time)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

HELP = """\
# hookbench — keys

| key | does |
|---|---|
| **ctrl+r** | send the request (also the Send button, or Enter in the URL) |
| **Esc** | cancel a request in flight |
| **ctrl+s** | save the profile (a new module asks for a name) |
| **ctrl+b** | show / hide the profiles pane |
| **f2** | show / hide the request pane (more room for the response) |
| **f3** / **f4** | next request tab (Headers, Auth, Body, Options, Placeholders) / next response tab (Tree, Raw, Headers, Set Variables, Diff, Flow) |
| **ctrl+p** | command palette: copy as curl (`{{env.*}}` as `"$NAME"`, or with secrets), import curl, map against this response, help, theme, quit |
| paste `curl …` in the URL | the command becomes the request (asks first over unsaved edits) |
| **ctrl+l** | focus the URL |
| **ctrl+t** | focus the response tree |
| **f1** | this help |
| **f6** | the response body in your pager (`$PAGER`, default `less`) |
| **f7** | the request body in your editor (`$VISUAL` / `$EDITOR`, default `vi`): JSON, XML, text (`body.csv`, `body.ndjson`… by its Content-Type) or a GraphQL query; it comes back unsaved |
| **f8** | the next environment (none, then `environments/*.toml`); the palette names each; a protected one asks before anything but GET/HEAD |
| **ctrl+q** | quit (asks first when there are unsaved changes) |

## Composing (the request tabs)
| where | how |
|---|---|
| Profiles pane | ↑/↓ and Enter open a profile (asks first if the current one has unsaved edits); Enter or a click on a folder closes / opens it, ← closes (or goes to the folder above), → opens |
| URL | Enter sends; the method select opens with Enter, ↑/↓ to choose |
| Headers, form fields | **+ Add row**, then type name and value; **✕** deletes a row |
| Auth | pick a type (basic, bearer, api_key, digest, oauth2) and fill its fields; credentials are masked as typed; `{{env.NAME}}` keeps them out of the file |
| Body | a plain text editor: Tab indents, **Esc** moves on to the next field |
| Options | timeout, success statuses (`200-299`, `200, 404`), space toggles a switch |
| Placeholders | each `{{name}}` with its value; type one in for this session |

## In the response tree
| key | does |
|---|---|
| **Enter** / click | show the node's dot path and value in the path bar |
| **a** | add the node as a Set Variables row |
| **c** | copy the dot path (OSC 52; also shown on screen) |
| **y** | copy the value |
| **space** | expand / collapse |

Wide lists show 200 items at a time: Enter on **… N more** loads the next page.
The path bar follows the cursor; what it shows is what **a**, **c** and **y** act on.

## Find (**/** on the Tree or Raw tab)
| key | does |
|---|---|
| **/** | open the find bar; type to search the whole response as you type |
| Enter | go to the match (the first, or the one picked in the list with ↓) |
| **n** / **N** | next / previous match, wrapping around |
| **Esc** | close the find bar; the cursor stays on the match |

In the tree, plain text matches keys, values and (with a dot) paths, ignoring case;
a pattern with `*` matches the end of dot paths: `users.*.email`, `*name`, `**` for any
depth. The tree opens the way to the match and loads its page, so **a**, **c**, **y**
act on it. In Raw, **/** finds text in the formatted body.

## Set Variables tab
| key | does |
|---|---|
| **n** | new row (dot path, type, target) |
| **e** / Enter | edit the row under the cursor |
| **d** | delete it |

## History pane (under Profiles; ctrl+b shows it at 80 columns)
| key | does |
|---|---|
| **/** | type in the filter (URL, profile, status) |
| Enter | load the record into the composer, not sent |
| **r** | replay it |
| **s** | save it as a profile |
| **m** | map against this response: the viewer shows it ("recorded …, not sent"), nothing is sent; picking nodes adds rows to the current module, judged live against it |
| **f5** | reload the list |

## Diff tab
The response shown against the previous response of the same profile (from the history):
paths added in green, removed in red, type changes in yellow (list indices collapsed to `*`,
so a longer list is no change), and the Set Variables rows that resolved before and not now,
marked ✗.

## Flow tab
**r** (or the Run button) runs the flow from this profile along its routes; Enter on a step
shows that step's response in the viewer.

## Dot paths
`users.0.title` walks keys and list indices. A key holding `.`, a quote, a backslash,
brackets, spaces or control characters, an empty key and an all-digit key are written in
double quotes: `"a.b"`, `""`, `"0"`; a control character inside is written `\\u001b`.
XML attributes are `@id`, text is `#text`, prefixes stay (`soap:Body`). An XML element that
occurs once is an object: `user.0.name` still reaches it.

Dim `\\u001b`-style escapes anywhere are control characters sent by the server, made
visible so that your terminal never obeys them; **y** copies the real value.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
            yield Button("Close", id="help-close")

    @on(Button.Pressed, "#help-close")
    def _close(self) -> None:
        self.dismiss()
