"""Flows: run modules one after another along their success and failure routes.

A flow starts at an entry profile; each profile's `[routes]` names the next profile by file
stem in the same folder, and a step whose outcome has no route ends the flow. Everything a
step publishes (Set Variables rows, the failure variable) is visible to every later step.

The whole route graph is read before anything is sent (`plan_flow`), so a route to a missing
profile is a configuration error up front rather than a surprise at step 3, after writes have
happened. No Textual here: the CLI, the app and the tests drive the same engine.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.environments import Environment, with_environment
from tui.core.errors import BodyError, FlowError, HistoryError, TemplateError
from tui.core.exchange import DEFAULT_MAX_BODY
from tui.core.model import Module
from tui.core.profile import load_profile
from tui.core.render import RenderedRequest, render_request
from tui.core.run import FAILURE, SUCCESS, RunResult, run_module
from tui.core.template import names_in
from tui.core.variables import Variables

if TYPE_CHECKING:
    from tui.core.send import Clients

DEFAULT_MAX_STEPS = 20
ROUTES: tuple[str, ...] = (SUCCESS, FAILURE)

Segment = tuple[str, str]
"""(text, kind) of a piece of the drawn graph; kind is node, success, failure, pad or note."""
GraphLine = tuple[Segment, ...]


@dataclass(frozen=True)
class FlowNode:
    """One profile of a flow: its stem (the name routes use), file and module, and the
    unknown-key warnings its file raised."""

    stem: str
    path: Path
    module: Module
    warnings: tuple[str, ...] = ()

    def target(self, route: str) -> str | None:
        """The stem of the profile that follows on `route`, or None when the flow ends there."""
        name = self.module.route_success if route == SUCCESS else self.module.route_failure
        return _stem_of(name) if name and name.strip() else None

    @property
    def routes(self) -> tuple[tuple[str, str], ...]:
        """(route, target stem) for each route this profile declares, success first."""
        return tuple((route, target) for route in ROUTES if (target := self.target(route)))

    @property
    def publishes(self) -> tuple[str, ...]:
        """Placeholder names this module can set for later steps."""
        names = [row.publishes for row in self.module.set_variables]
        if self.module.failure_variable:
            names.append(self.module.failure_variable)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class FlowGraph:
    """Every profile reachable from the entry, keyed by stem in the order they were found."""

    entry: str
    nodes: Mapping[str, FlowNode]
    max_steps: int = DEFAULT_MAX_STEPS

    @property
    def entry_node(self) -> FlowNode:
        return self.nodes[self.entry]

    def in_environment(self, environment: Environment | None) -> FlowGraph:
        """Every module with `environment`'s defaults (auth, proxy) where it sets none, as a
        single send gets them."""
        if environment is None:
            return self
        nodes = {
            stem: replace(node, module=with_environment(node.module, environment))
            for stem, node in self.nodes.items()
        }
        return replace(self, nodes=nodes)

    def requests(self) -> list[tuple[str, str]]:
        """(method, stem) of every step that could run: what a protected environment checks."""
        return [(node.module.request.method, node.stem) for node in self.nodes.values()]

    def edges(self) -> tuple[tuple[str, str, str], ...]:
        """(from stem, route, to stem) for every declared route."""
        return tuple(
            (node.stem, route, target) for node in self.nodes.values() for route, target in node.routes
        )

    def upstream(self, stem: str) -> tuple[str, ...]:
        """Stems that can run before `stem` in some run (itself too when it sits on a loop)."""
        into: dict[str, list[str]] = {}
        for source, _, target in self.edges():
            into.setdefault(target, []).append(source)
        seen: dict[str, None] = {}
        queue = deque(into.get(stem, []))
        while queue:
            current = queue.popleft()
            if current not in seen:
                seen[current] = None
                queue.extend(into.get(current, []))
        return tuple(seen)

    def lines(self) -> tuple[GraphLine, ...]:
        """The route graph laid out as text, for the CLI and the Flow view to style alike."""
        return tuple(tuple(line) for line in _layout(self, self.entry, (), set()))

    def text(self) -> str:
        """`a ─success→ b` / `  ─failure→ c …`, one route per line."""
        return "\n".join("".join(text for text, _ in line).rstrip() for line in self.lines())


@dataclass(frozen=True)
class StepResult:
    """One executed step: which profile ran, what it yielded, and where the flow went next."""

    index: int
    path: Path
    module: Module
    result: RunResult
    next_stem: str | None
    duration_s: float

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def route(self) -> str:
        return self.result.route

    @property
    def reason(self) -> str:
        return self.result.reason

    @property
    def status(self) -> int | None:
        return self.result.status

    @property
    def elapsed_ms(self) -> float | None:
        return self.result.elapsed_ms

    @property
    def published(self) -> dict[str, str]:
        """What this step made visible to later steps (rows found, the failure variable)."""
        return dict(self.result.published)

    @property
    def expected(self) -> bool:
        """The failure route is acceptable only where the profile says `expect = "failure"`."""
        return self.route == SUCCESS or self.module.expect == FAILURE


@dataclass(frozen=True)
class FlowResult:
    """A completed flow: its steps in order and the variables in force at the end."""

    entry: Path
    steps: tuple[StepResult, ...]
    variables: dict[str, str]

    @property
    def last(self) -> StepResult:
        return self.steps[-1]

    @property
    def route(self) -> str:
        """The flow ends on the route of its last step."""
        return self.last.route

    @property
    def ok(self) -> bool:
        """Ended on success, or on a failure its last profile declared as expected."""
        return self.last.expected


StepCallback = Callable[[StepResult], "Awaitable[None] | None"]
StepRunner = Callable[[str, Module, Variables], Awaitable[RunResult]]
"""Runs one step (stem, module, variables in force) instead of sending it: `flow --offline`."""


# --- planning --------------------------------------------------------------------------


def plan_flow(
    entry: Path, *, max_steps: int = DEFAULT_MAX_STEPS, environment: Environment | None = None
) -> FlowGraph:
    """Read the entry and every profile its routes can reach; nothing is sent.

    Each module gets `environment`'s defaults (auth, proxy) where it sets none. Raises
    ProfileError for a profile that does not load and FlowError for a route that names no
    profile, both naming the file at fault.
    """
    if max_steps < 1:
        raise FlowError(f"--max-steps must be at least 1, not {max_steps}")

    def read(stem: str, path: Path) -> FlowNode:
        profile = load_profile(path)
        return FlowNode(stem, path, profile.module, profile.warnings)

    entry = Path(entry)
    first = read(entry.stem, entry)
    nodes: dict[str, FlowNode] = {first.stem: first}
    queue = deque([first])
    while queue:
        node = queue.popleft()
        for route, name in _declared_routes(node):
            stem = _checked_stem(node, route, name)
            if stem in nodes:
                continue
            path = entry.parent / f"{stem}.toml"
            if not path.is_file():
                raise FlowError(
                    f"{node.path}: routes.{route} names {name!r}, but there is no such profile ({path} does not exist)"
                )
            nodes[stem] = read(stem, path)
            queue.append(nodes[stem])
    return FlowGraph(entry=first.stem, nodes=nodes, max_steps=max_steps).in_environment(environment)


def _declared_routes(node: FlowNode) -> list[tuple[str, str]]:
    module = node.module
    pairs = [(SUCCESS, module.route_success), (FAILURE, module.route_failure)]
    return [(route, name) for route, name in pairs if name and name.strip()]


def _stem_of(name: str) -> str:
    return name.strip().removesuffix(".toml")


def _checked_stem(node: FlowNode, route: str, name: str) -> str:
    """Routes name a profile by stem; a path would let a flow wander outside its folder."""
    stem = _stem_of(name)
    if not stem or "/" in stem or "\\" in stem or stem in (".", ".."):
        raise FlowError(
            f"{node.path}: routes.{route} = {name!r}: name a profile in the same folder by its file stem"
        )
    return stem


def _layout(
    graph: FlowGraph, stem: str, ancestors: tuple[str, ...], expanded: set[str]
) -> list[list[Segment]]:
    """Lines for the subtree at `stem`; a loop or a profile drawn already is not redrawn."""
    node = graph.nodes[stem]
    expanded.add(stem)
    head: list[Segment] = [(stem, "node")]
    if node.module.expect == FAILURE:
        head.append((" (failure expected)", "note"))
    if not node.routes:
        return [head]
    indent = sum(len(text) for text, _ in head) + 1
    lines: list[list[Segment]] = []
    for number, (route, target) in enumerate(node.routes):
        arrow: Segment = (f"─{route}→ ", route)
        if target in ancestors or target == stem:
            child = [[(target, "node"), (" ↺ loops back", "note")]]
        elif target in expanded:
            child = [[(target, "node"), (" (continues above)", "note")]]
        else:
            child = _layout(graph, target, (*ancestors, stem), expanded)
        for row, line in enumerate(child):
            if row:
                prefix: list[Segment] = [(" " * (indent + len(arrow[0])), "pad")]
            else:
                prefix = [*head, (" ", "pad"), arrow] if number == 0 else [(" " * indent, "pad"), arrow]
            lines.append(prefix + line)
    return lines


# --- running ---------------------------------------------------------------------------


async def run_flow(
    entry: Path | FlowGraph,
    variables: Variables,
    clients: Clients | None,
    *,
    max_steps: int | None = None,
    on_step: StepCallback | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    runner: StepRunner | None = None,
) -> FlowResult:
    """Run the entry, then whichever profile its route names, until a route is absent.

    `max_steps` defaults to the graph's (20 unless planned otherwise). `on_step` sees each
    step as it completes (it may be async), so a caller can print or record it before the
    next request goes out. A step that cannot be rendered stops the flow with the same
    error type, naming the step; exceeding `max_steps` is a FlowError naming the loop.
    `runner` replaces sending (offline flows judge recorded responses; `clients` may be None).
    """
    graph = (
        entry if isinstance(entry, FlowGraph) else plan_flow(entry, max_steps=max_steps or DEFAULT_MAX_STEPS)
    )
    limit = max_steps or graph.max_steps
    if runner is None:
        if clients is None:
            raise ValueError("run_flow needs clients to send, or a runner")
        runner = _sender(clients, graph, max_body_bytes)
    steps: list[StepResult] = []
    chain = variables
    current: str | None = graph.entry
    while current is not None:
        if len(steps) >= limit:
            raise _runaway(graph, steps, current, limit)
        step = await _run_step(graph.nodes[current], len(steps) + 1, chain, runner)
        steps.append(step)
        chain = chain.with_published(step.published)
        if on_step is not None:
            outcome = on_step(step)
            if inspect.isawaitable(outcome):
                await outcome
        current = step.next_stem
    return FlowResult(entry=graph.entry_node.path, steps=tuple(steps), variables=final_values(chain))


def run_flow_sync(
    entry: Path | FlowGraph,
    variables: Variables,
    *,
    max_steps: int | None = None,
    on_step: StepCallback | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    runner: StepRunner | None = None,
) -> FlowResult:
    """`run_flow` for callers without an event loop (the headless CLI), with its own clients."""

    async def _run() -> FlowResult:
        if runner is not None:  # nothing is sent: no clients, no httpx
            return await run_flow(entry, variables, None, max_steps=max_steps, on_step=on_step, runner=runner)
        from tui.core.send import Clients

        clients = Clients()
        try:
            return await run_flow(
                entry, variables, clients, max_steps=max_steps, on_step=on_step, max_body_bytes=max_body_bytes
            )
        finally:
            await clients.aclose()

    return asyncio.run(_run())


def _sender(clients: Clients, graph: FlowGraph, max_body_bytes: int) -> StepRunner:
    """The usual runner: send the step's request."""

    async def send(stem: str, module: Module, chain: Variables) -> RunResult:
        base_dir = graph.nodes[stem].path.parent
        return await run_module(module, chain, clients, base_dir=base_dir, max_body_bytes=max_body_bytes)

    return send


async def _run_step(node: FlowNode, index: int, chain: Variables, runner: StepRunner) -> StepResult:
    started = time.perf_counter()
    try:
        result = await runner(node.stem, node.module, chain)
    except (TemplateError, BodyError, HistoryError) as exc:
        raise type(exc)(f"flow step {index}, {node.stem} ({node.path}), not sent: {exc}") from exc
    return StepResult(
        index=index,
        path=node.path,
        module=node.module,
        result=result,
        next_stem=node.target(result.route),
        duration_s=time.perf_counter() - started,
    )


def _runaway(graph: FlowGraph, steps: list[StepResult], upcoming: str, limit: int) -> FlowError:
    """Name the loop the flow is caught in (the steps since `upcoming` last ran)."""
    stems = [step.stem for step in steps]
    head = f"flow {graph.entry}: stopped after {limit} steps (--max-steps {limit})"
    if upcoming not in stems:
        return FlowError(f"{head} before running {upcoming}; raise --max-steps for a longer chain")
    start = len(stems) - 1 - stems[::-1].index(upcoming)
    loop = " → ".join([*stems[start:], upcoming])
    return FlowError(f"{head}: the routes loop {loop}")


def final_values(chain: Variables) -> dict[str, str]:
    """The named values in force: --vars-file, then published by steps, then --var on top."""
    return {**chain.vars_file, **chain.published, **chain.overrides}


# --- dry run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPreview:
    """A module rendered for a dry run, or why it could not be."""

    node: FlowNode
    request: RenderedRequest | None = None
    missing: tuple[str, ...] = ()
    set_upstream: Mapping[str, tuple[str, ...]] | None = None
    problem: str | None = None

    @property
    def blocking(self) -> bool:
        """True when no run could send it: a body error, or a name no earlier step sets."""
        upstream = self.set_upstream or {}
        return self.problem is not None or any(not upstream.get(name) for name in self.missing)


def preview_flow(graph: FlowGraph, variables: Variables) -> tuple[StepPreview, ...]:
    """Render each module of the graph with `variables` alone; nothing is sent.

    Placeholders that earlier steps would fill at run time are reported with the profiles
    that set them, so a dry run tells a real hole from a value that arrives later.
    """
    return tuple(_preview(graph, node, variables) for node in graph.nodes.values())


def _preview(graph: FlowGraph, node: FlowNode, variables: Variables) -> StepPreview:
    chain = variables.with_defaults(node.module.variables)
    missing = tuple(name for name in _placeholders(node.module) if chain.lookup(name) is None)
    if missing:
        setters = [graph.nodes[stem] for stem in graph.upstream(node.stem)]
        upstream = {name: tuple(s.stem for s in setters if name in s.publishes) for name in missing}
        return StepPreview(node, missing=missing, set_upstream=upstream)
    try:
        request = render_request(node.module, variables, base_dir=node.path.parent)
    except (TemplateError, BodyError) as exc:
        return StepPreview(node, problem=str(exc))
    return StepPreview(node, request=request)


def _placeholders(module: Module) -> list[str]:
    return names_in(*module.request.template_texts())
