#!/usr/bin/env python3
"""Synthetic PRP workspace generator for the prp-lsp benchmark (standard library only).

Deterministic for a given (seed, docs): the same arguments always produce byte-identical
files. Layout: <root>/pNNN-<domain>/{PRPs/{active,archive,planning}, TASK.md,
agent_contexts/<id>_agent.md, backend/, frontend/, database/, docs/, tests/}, plus one
5,000-line PRP used for the edit-latency measurement (it is one of the documents).

About 10% of the documents carry one realistic defect (missing or empty sections, open
criteria in archive, status mismatch, broken or absolute references, stale PRP paths,
duplicate numbers, unclosed fences, placeholders, TASK.md and agent defects).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

GEN_VERSION = 3
DEFAULT_SEED = 20261120
STAMP = ".bench-stamp.json"
LATENCY_LINES = 5000
DEFECT_RATE = 0.10

# --------------------------------------------------------------------------------------
# Vocabulary

DOMAINS = [
    "planner", "fleet", "ledger", "clinic", "studio", "market", "campus", "library",
    "payroll", "garden", "harbor", "transit", "kitchen", "gallery", "support", "energy",
    "travel", "tutor", "census", "archive", "orchard", "foundry", "radio", "museum",
]
NOUNS = [
    "invoice", "export", "search", "webhook", "audit", "billing", "session", "profile",
    "report", "notification", "upload", "import", "cache", "queue", "calendar", "password",
    "dashboard", "widget", "comment", "tag", "team", "role", "api_key", "payment", "refund",
    "shipment", "inventory", "schedule", "reminder", "avatar", "locale", "timezone",
    "subscription", "coupon", "feed", "attachment", "message", "thread", "health", "metric",
]
NOUNS2 = [
    "api", "page", "job", "sync", "cleanup", "retry", "view", "form", "limits", "history",
    "digest", "filters", "export", "settings", "index", "pipeline", "webhooks", "summary",
]
ENTITIES = ["user", "team", "invoice", "event", "task", "comment", "payment", "audit",
            "project", "report", "session", "device"]
COMPONENTS = ["Dashboard", "Sidebar", "Header", "TaskList", "EventCard", "InvoiceTable",
              "SettingsForm", "SearchBox", "Avatar", "Modal", "Toast", "ReportChart"]
PAGES = ["Profile", "Settings", "Reports", "Billing", "Team", "Login", "Calendar", "Admin"]
SERVICES = ["mailer", "scheduler", "storage", "search_index", "exporter", "payments",
            "notifier", "rate_limiter"]
INTEGRATIONS = ["google_calendar", "stripe_client", "slack_client", "github_client",
                "s3_client", "twilio_client"]
AGENTS = {
    "backend": ("Backend Developer", ["backend/app/"]),
    "frontend": ("Frontend Developer", ["frontend/src/"]),
    "database": ("Database Engineer", ["database/migrations/"]),
    "integration": ("Integration Specialist", ["backend/app/integrations/"]),
    "testing": ("Test Engineer", ["tests/api/"]),
    "devops": ("DevOps Engineer", ["deploy/docker/"]),
    "docs": ("Documentation Writer", ["docs/guides/"]),
}
SUBJECTS = ["The API", "Each user", "The scheduler", "A team owner", "The dashboard",
            "Support", "The export job", "Every request", "The frontend", "An admin",
            "The import worker", "The billing service", "Our first customer", "The mobile app",
            "The webhook handler", "Finance", "The search index", "The nightly job"]
VERBS = ["needs", "returns", "stores", "shows", "validates", "retries", "rejects", "logs",
         "caches", "streams", "renders", "exports", "imports", "schedules", "reports",
         "encrypts", "paginates", "deduplicates", "forwards", "archives"]
OBJECTS = ["the latest 100 entries", "a signed URL", "each event in UTC", "the refresh token",
           "invoices older than 400 days", "the CSV in UTF-8 with a BOM",
           "the user's locale and time zone", "a clear error message on 401",
           "every change to the account", "at most one sync per 15 minutes",
           "the layout between sessions", "names with accents (José, Zoë, Ærø)",
           "titles like « Réunion d'équipe » and 会議", "the webhook signature",
           "a 256 × 256 thumbnail", "the p95 latency under 200 ms", "the audit row",
           "the feature flag for the beta group", "the rate limit per API key",
           "Café ☕ Friday events unchanged"]
TAILS = ["without touching the database", "within 10 seconds", "on every deploy",
         "for the beta group", "before the next release", "without breaking existing clients",
         "in under 1 s", "through the existing router", "behind a feature flag",
         "on staging first", "so nobody has to copy data by hand", "and logs the outcome",
         "", "", ""]
PY_COMMENTS = ["# CRITICAL: use the pinned client, not a new dependency",
               "# GOTCHA: dependencies run per request; never cache a decoded token globally",
               "# PATTERN: mirror the router style of the existing endpoints",
               "# NOTE: timestamps are stored in UTC", "# TODO: remove after the migration"]
BASH_COMMENTS = ["# Run these FIRST - fix any errors before moving on",
                 "# Expected: all tests pass. If one fails, read the error and re-run.",
                 "# Lint and type-check", "# Start the API locally",
                 "# Expected: a JSON body with the new fields"]
ANTI = ["Don't store tokens in localStorage", "Don't hand-roll JWT signing",
        "Don't retry failed sends forever", "Don't query the database from the health check",
        "Don't build HTML by string concatenation", "Don't skip the migration",
        "Don't catch every exception and continue", "Don't add a new dependency for this",
        "Don't write audit rows from the frontend", "Don't process a webhook event twice"]
SUB_VERBS = ["MIRROR pattern from", "FOLLOW the style of", "PRESERVE the existing behaviour of"]
STATUS_ACTIVE = ["In Progress", "Ready", "Ready for Implementation", "In Progress"]
STATUS_PLANNING = ["Draft", "Planning"]


def title_of(slug: str) -> str:
    return " ".join(w.capitalize() for w in slug.replace("_", " ").split())


class Text:
    """Sentence and paragraph pool, built once (fast to sample from)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sentences = []
        for _ in range(3000):
            s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            t = rng.choice(TAILS)
            self.sentences.append((s + (" " + t if t else "")) + ".")

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def para(self, n_min=2, n_max=5, width=92) -> str:
        words = " ".join(self.sentence() for _ in range(self.rng.randint(n_min, n_max))).split(" ")
        lines, cur = [], ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                lines.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        if cur:
            lines.append(cur)
        return "\n".join(lines)

    def bullet(self) -> str:
        return self.sentence()[:-1]


# --------------------------------------------------------------------------------------
# Plan


@dataclass(eq=False)
class Prp:
    project: "Project"
    index: int
    number: int | None
    folder: str  # active | archive | planning
    family: str
    slug: str
    file_name: str = ""
    target: int = 0
    defect: str | None = None
    cross: list = field(default_factory=list)  # other Prp objects referenced
    latency: bool = False

    @property
    def rel(self) -> str:  # relative to the project root
        return f"PRPs/{self.folder}/{self.file_name}"

    @property
    def title(self) -> str:
        return title_of(self.slug)


@dataclass(eq=False)
class Project:
    name: str
    files: list = field(default_factory=list)  # existing source files, project-relative
    dirs: set = field(default_factory=set)
    agents: list = field(default_factory=list)
    prps: list = field(default_factory=list)
    features: list = field(default_factory=list)


FAMILIES = [("base", 45), ("orchestrator", 20), ("short", 12), ("feature", 13), ("spec", 10)]
NAME_STYLES = ["nn", "prp_dash", "prp_us", "nnn_dd"]

PRP_DEFECTS = ["missing-section", "empty-section", "placeholder", "broken-ref", "absolute-path",
               "stale-path", "duplicate-number", "unclosed-fence", "open-in-archive",
               "status-mismatch", "unknown-agent"]


def file_name_for(style: str, number: int | None, slug: str) -> str:
    if number is None:
        return f"{slug}.md"
    if style == "nn":
        return f"{number:02d}_{slug}.md"
    if style == "prp_dash":
        return f"PRP-{number:03d}-{slug.replace('_', '-')}.md"
    if style == "prp_us":
        return f"PRP_{number:02d}_{slug}.md"
    return f"{number:03d}--{slug.replace('_', '-')}.md"


def pick_weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def plan(docs: int, rng: random.Random) -> list[Project]:
    n_projects = max(1, round(docs / 100))
    base = docs // n_projects
    extra = docs - base * n_projects
    projects = []
    for p in range(n_projects):
        proj = Project(name=f"p{p:03d}-{DOMAINS[p % len(DOMAINS)]}")
        per = base + (1 if p < extra else 0)
        # Source tree the references point to.
        feats = rng.sample([f"{a}_{b}" for a in NOUNS for b in NOUNS2], 60)
        proj.features = feats
        files = ["backend/app/main.py", "backend/app/api/routes.py", "frontend/src/App.tsx",
                 "docs/architecture.md", "docs/guides/onboarding.md"]
        files += [f"backend/app/api/{f}.py" for f in feats[:8]]
        files += [f"backend/app/models/{e}.py" for e in rng.sample(ENTITIES, 6)]
        files += [f"backend/app/services/{s}.py" for s in rng.sample(SERVICES, 4)]
        files += [f"backend/app/integrations/{s}.py" for s in rng.sample(INTEGRATIONS, 2)]
        files += [f"frontend/src/components/{c}.tsx" for c in rng.sample(COMPONENTS, 6)]
        files += [f"frontend/src/pages/{c}.tsx" for c in rng.sample(PAGES, 4)]
        files += [f"database/migrations/{i:03d}_{rng.choice(ENTITIES)}s.sql" for i in range(1, 6)]
        files += [f"tests/test_{f}.py" for f in feats[:4]]
        files += ["tests/api/conftest.py", "deploy/docker/docker-compose.yml"]
        proj.files = files
        for f in files:
            parts = f.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                proj.dirs.add("/".join(parts[:i]) + "/")
        n_agents = min(rng.randint(4, 6), max(0, per - 2))
        proj.agents = ["backend", "frontend", "database", "integration", "testing", "devops",
                       "docs"][:n_agents]
        n_prps = max(1, per - 1 - n_agents)
        style = rng.choice(NAME_STYLES)
        used_slugs = set()
        for i in range(n_prps):
            r = rng.random()
            folder = "archive" if r < 0.45 else ("active" if r < 0.80 else "planning")
            family = pick_weighted(rng, FAMILIES)
            slug = feats[i % len(feats)]
            if slug in used_slugs:
                slug = f"{slug}_v{i // len(feats) + 1}"
            used_slugs.add(slug)
            number = i + 1
            s = style if rng.random() > 0.1 else rng.choice(NAME_STYLES)
            if rng.random() < 0.03:
                number = None
            prp = Prp(proj, i, number, folder, family, slug)
            prp.file_name = file_name_for(s, number, slug)
            prp.target = (rng.randint(50_000, 200_000) if rng.random() < 0.02
                          else int(rng.triangular(2_000, 10_000, 4_500)))
            proj.prps.append(prp)
        projects.append(proj)

    # Defects (~10% of PRPs), cross references, the latency PRP.
    for proj in projects:
        numbered = [p for p in proj.prps if p.number is not None]
        for prp in proj.prps:
            if rng.random() < DEFECT_RATE:
                choices = [d for d in PRP_DEFECTS
                           if (d not in ("open-in-archive", "status-mismatch") or prp.folder == "archive")
                           and (d != "unknown-agent" or prp.family == "orchestrator")
                           and (d != "duplicate-number" or (prp.number and len(numbered) > 2))]
                prp.defect = rng.choice(choices)
            if rng.random() < 0.3 and len(proj.prps) > 1:
                prp.cross = [rng.choice(proj.prps) for _ in range(rng.randint(1, 2))]
                prp.cross = [c for c in prp.cross if c is not prp]
        for prp in proj.prps:
            if prp.defect == "duplicate-number":
                other = rng.choice([p for p in numbered if p is not prp])
                prp.number = other.number
                prp.file_name = file_name_for(rng.choice(NAME_STYLES), other.number, prp.slug)
            if prp.defect == "stale-path" and not any(c.folder == "archive" for c in prp.cross):
                arch = [p for p in proj.prps if p.folder == "archive" and p is not prp]
                if arch:
                    prp.cross.append(rng.choice(arch))
                else:
                    prp.defect = "broken-ref"
    lat = projects[0].prps[0]
    lat.latency, lat.folder, lat.family, lat.defect = True, "active", "base", None
    lat.slug = "platform_rewrite"
    lat.file_name = file_name_for("nn", lat.number or 1, lat.slug)
    # Unique file names inside each folder (duplicate-number renames may collide).
    for proj in projects:
        seen = set()
        for prp in proj.prps:
            while (prp.folder, prp.file_name) in seen:
                prp.slug += "_b"
                prp.file_name = file_name_for("nn", prp.number, prp.slug) if prp.number else f"{prp.slug}.md"
            seen.add((prp.folder, prp.file_name))
    return projects


# --------------------------------------------------------------------------------------
# Rendering helpers


class Ctx:
    def __init__(self, prp: Prp, rng: random.Random, text: Text):
        self.prp, self.rng, self.t = prp, rng, text
        self.proj = prp.project
        self.defect = prp.defect
        self.finished = prp.folder == "archive"

    def box(self, idx: int, total: int) -> str:
        if self.finished:
            return "x"
        if self.prp.folder == "planning":
            return " "
        # active: some ticked, never all
        return "x" if (idx < total - 1 and self.rng.random() < 0.4) else " "

    def existing(self, prefix=""):
        c = [f for f in self.proj.files if f.startswith(prefix)] or self.proj.files
        return self.rng.choice(c)

    def new_path(self):
        f = self.rng.choice(self.proj.features)
        return self.rng.choice([f"backend/app/api/{f}_v2.py", f"backend/app/services/{f}.py",
                                f"frontend/src/components/{title_of(f).replace(' ', '')}.tsx",
                                f"tests/test_{f}_flow.py"])

    def create_target(self):
        # CREATE targets exist once a PRP is finished; missing by design before.
        return self.existing() if self.finished else self.new_path()

    def checklist(self, n, items=None, open_defect=False):
        out = []
        for i in range(n):
            b = self.box(i, n)
            if open_defect and i % 2 == 1:
                b = " "
            out.append(f"- [{b}] {items[i % len(items)] if items else self.t.bullet()}")
        return "\n".join(out)

    def status(self):
        if self.finished:
            return "Planning" if self.defect == "status-mismatch" else "Complete"
        if self.prp.folder == "planning":
            return self.rng.choice(STATUS_PLANNING)
        return self.rng.choice(STATUS_ACTIVE)

    def bold_header(self, extra_completed=False):
        r = self.rng
        lines = [f"**Status**: {self.status()}",
                 f"**Created**: 2026-{r.randint(1, 10):02d}-{r.randint(1, 28):02d}"]
        if self.finished and extra_completed:
            lines.append(f"**Completed**: 2026-11-{r.randint(1, 28):02d}")
        lines.append(f"**Priority**: {r.choice(['High', 'Medium', 'Low'])}")
        if r.random() < 0.4:
            lines.append(f"**Branch**: feat/{self.prp.slug.replace('_', '-')}")
        if r.random() < 0.15:
            lines = ["> " + l for l in lines]
        return "\n".join(lines)

    def context_yaml(self, n):
        r, out = self.rng, []
        broken_at = r.randrange(n) if self.defect == "broken-ref" else -1
        abs_at = r.randrange(n) if self.defect == "absolute-path" else -1
        for i in range(n):
            kind = r.random()
            if i == abs_at:
                out.append(f"- docfile: /Users/{r.choice(['alice', 'bob', 'chen'])}/projects/"
                           f"{self.proj.name}/docs/api.md\n  why: {self.t.bullet()}")
            elif i == broken_at:
                out.append(f"- file: backend/app/services/{r.choice(self.proj.features)}_legacy.py\n"
                           f"  why: {self.t.bullet()}")
            elif kind < 0.6:
                item = f"- file: {self.existing()}\n  why: {self.t.bullet()}"
                if r.random() < 0.3:
                    item += f"\n  gotcha: {self.t.bullet()}"
                out.append(item)
            elif kind < 0.75:
                out.append(f"- docfile: docs/architecture.md\n  section: {r.choice(['Data', 'Authentication', 'Jobs'])}\n"
                           f"  why: {self.t.bullet()}")
            elif kind < 0.92:
                out.append(f"- url: https://docs.example.com/{r.choice(self.proj.features)}/guide\n"
                           f"  why: {self.t.bullet()}\n  critical: {self.t.bullet()}")
            else:
                out.append(f"- pattern: {r.choice(SUB_VERBS)} {self.existing('backend')}\n  why: {self.t.bullet()}")
        for c in self.prp.cross:
            folder = "active" if (self.defect == "stale-path" and c.folder == "archive") else c.folder
            out.append(f"- docfile: PRPs/{folder}/{c.file_name}\n  why: Follows on from {c.title}")
        return "```yaml\n" + "\n\n".join(out) + "\n```"

    def task_block(self, start, n):
        r, out = self.rng, []
        broken = self.defect == "broken-ref"
        for i in range(start, start + n):
            verb = r.random()
            if verb < 0.45:
                head = f"CREATE {self.create_target()}:"
            elif verb < 0.9:
                head = f"MODIFY {self.existing()}:"
            else:
                head = f"UPDATE {self.existing()}:"
            if broken and i == start:
                head = f"MODIFY frontend/src/pages/{r.choice(['Wallet', 'Kiosk', 'Onboarding'])}.tsx:"
            subs = [f"  - {r.choice(SUB_VERBS)}: {self.existing()}",
                    f"  - IMPLEMENT {self.t.bullet().lower()}"]
            if r.random() < 0.5:
                subs.append(f'  - FIND pattern: "{r.choice(ENTITIES)}: Mapped[str]"')
                subs.append(f"  - INJECT after it: {self.t.bullet().lower()}")
            out.append(f"Task {i}:\n{head}\n" + "\n".join(subs))
        return "\n\n".join(out)

    def bash(self, cmds):
        return "```bash\n" + f"{self.rng.choice(BASH_COMMENTS)}\n" + "\n".join(cmds) + "\n```"


def heading(ctx: Ctx, level: int, name: str, emoji: str, fancy: bool) -> str:
    h = "#" * level
    return f"{h} {emoji} **{name}**" if fancy else f"{h} {name}"


def fill(ctx: Ctx, parts: list, budget_fn, target: int):
    """Grow with budget_fn() until the joined size reaches target."""
    size = sum(len(p) + 2 for p in parts)
    while size < target:
        chunk = budget_fn()
        parts.append(chunk)
        size += len(chunk) + 2


# --------------------------------------------------------------------------------------
# Families


def render_base(ctx: Ctx) -> str:
    p, r, t = ctx.prp, ctx.rng, ctx.t
    fancy = r.random() < 0.4
    H = lambda lvl, name, emoji="": heading(ctx, lvl, name, emoji, fancy)
    num = f"PRP-{p.number:02d}" if p.number else "PRP"
    s = [f"# {num}: {p.title}", ctx.bold_header(extra_completed=True)]
    sec = {}
    sec["Goal"] = [H(2, "Goal", "🎯"), t.para(2, 3)]
    sec["Why"] = [H(2, "Why", "💡"), "\n".join(f"- {t.bullet()}." for _ in range(r.randint(2, 4)))]
    what = [H(2, "What", "📋"), t.para(2, 4)]
    if ctx.defect == "placeholder":
        what.insert(1, "[What needs to be built - be specific about functionality]")
    n_crit = r.randint(3, 7)
    crit = [H(3 if r.random() < 0.5 else 2, "Success Criteria", "✅"),
            ctx.checklist(n_crit, open_defect=ctx.defect == "open-in-archive")]
    sec["What"] = what + crit
    ctxsec = [H(2, "All Needed Context", "📚"), "### Documentation & References",
              ctx.context_yaml(r.randint(3, 6))]
    if r.random() < 0.7:
        ctxsec += ["### Known Gotchas", "```python\n" + "\n".join(r.sample(PY_COMMENTS, 3)) + "\n```"]
    sec["Context"] = ctxsec
    bp = [H(2, "Implementation Blueprint", "🏗️"), "### Data models",
          f"```python\nclass {r.choice(ENTITIES).capitalize()}(Base):\n    # existing columns stay as they are\n"
          f"    {r.choice(NOUNS)}_id: Mapped[int] = mapped_column(ForeignKey(\"{r.choice(ENTITIES)}s.id\"))\n```",
          "### List of tasks to be completed, in order"]
    n_tasks = r.randint(3, 6)
    bp.append("```\n" + ctx.task_block(1, n_tasks) + "\n```")
    sec["Blueprint"] = bp
    val = [H(2, "Validation Loop", "🧪"), "### Level 1: Syntax & Style",
           ctx.bash(["ruff check backend/app --fix", "mypy backend/app"]),
           "### Level 2: Unit Tests", ctx.bash([f"pytest backend -k {p.slug} -v"])]
    if r.random() < 0.6:
        val += ["### Level 3: Integration Tests",
                ctx.bash(["uvicorn app.main:app --app-dir backend --reload",
                          f"curl -s http://localhost:8000/{p.slug.replace('_', '/')}"])]
    sec["Validation"] = val
    fin = [H(2, "Final Validation Checklist", "✔️"),
           ctx.checklist(r.randint(3, 5), ["All tests pass: `pytest backend -v`",
                                           "No lint errors: `ruff check backend/app`",
                                           "No type errors: `mypy backend/app`",
                                           "Manual test in the browser", "DEV_LOG.md entry added"],
                         open_defect=ctx.defect == "open-in-archive")]
    sec["Final"] = fin
    sec["Anti"] = [H(2, "Anti-Patterns to Avoid", "🚫"),
                   "\n".join(f"- ❌ {a}" for a in r.sample(ANTI, 3))]
    if ctx.defect == "missing-section":
        del sec[r.choice(["Why", "Final", "Anti", "Validation"])]
    if ctx.defect == "empty-section":
        k = r.choice(["Why", "Anti"])
        sec[k] = sec[k][:1]
    order = ["Goal", "Why", "What", "Context", "Blueprint", "Validation", "Final", "Anti"]
    if r.random() < 0.3:  # real documents often put Validation last
        order = ["Goal", "Why", "What", "Context", "Blueprint", "Final", "Anti", "Validation"]
    # Grow the blueprint with more task blocks to reach the target size.
    counter = [n_tasks + 1]

    def more():
        k = r.randint(2, 5)
        block = f"### Phase {counter[0] // 4 + 2}: {title_of(r.choice(ctx.proj.features))}\n\n" \
                + t.para(1, 3) + "\n\n```\n" + ctx.task_block(counter[0], k) + "\n```"
        counter[0] += k
        return block

    base_size = sum(len(x) + 2 for k in order if k in sec for x in sec[k]) + len(s[0]) + len(s[1])
    if "Blueprint" in sec and base_size < p.target:
        extra = []
        fill(ctx, extra, more, p.target - base_size)
        sec["Blueprint"] += extra
    for k in order:
        if k in sec:
            s += sec[k]
    return finish(ctx, s)


def render_orchestrator(ctx: Ctx) -> str:
    p, r, t = ctx.prp, ctx.rng, ctx.t
    num = f"PRP-{p.number:03d}: " if p.number else ""
    s = [f'name: "{num}{p.title}"\ndescription: |\n  ' + t.para(1, 2, 80).replace("\n", "\n  ")]
    if ctx.finished or r.random() < 0.3:
        s.append(f"**Status**: {ctx.status()}")
    mods = r.sample(["backend", "frontend", "database", "integration"], r.randint(1, 3))
    s += [f"## Priority: {r.choice(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])}",
          f"## Complexity: {r.choice(['S', 'M', 'L', 'XL'])}",
          "## Modules Affected", "\n".join(f"- {m} ({t.bullet().lower()})" for m in mods),
          "## Business Justification", t.para(2, 4),
          "## Pre-Implementation", ctx.checklist(r.randint(2, 4)),
          "## Success Criteria",
          ctx.checklist(r.randint(3, 6), open_defect=ctx.defect == "open-in-archive"),
          "## Implementation Tasks"]
    agents = ctx.proj.agents or ["backend"]
    counter = [1]
    unknown_at = 1 if ctx.defect == "unknown-agent" else -1

    def task():
        i = counter[0]
        counter[0] += 1
        who = "ml_agent" if i == unknown_at else r.choice(agents)
        lines = [f"### Task {i}: {title_of(r.choice(ctx.proj.features))}",
                 f"**Assigned to**: {who}", f"**Estimated**: {r.randint(1, 8)}h", ""]
        if ctx.defect == "broken-ref" and i == 1:
            lines.append(f"- MODIFY `backend/app/api/{r.choice(ctx.proj.features)}_old.py`: {t.bullet().lower()}")
        else:
            lines.append(f"- MODIFY `{ctx.existing()}`: {t.bullet().lower()}")
        if r.random() < 0.5:
            lines.append(f"- CREATE `{ctx.create_target()}`: {t.bullet().lower()}")
        lines.append(f"- {t.bullet()}")
        return "\n".join(lines)

    tasks = [task() for _ in range(r.randint(2, 4))]
    tail = ["## Testing Procedures",
            ctx.bash([f"pytest backend -k {p.slug} -v", "cd frontend && npm test"]),
            "## Deployment Steps",
            "\n".join(f"{i}. {t.bullet()}." for i in range(1, r.randint(3, 5))),
            "## Rollback Plan", t.para(1, 2),
            "## Post-Deployment", ctx.checklist(r.randint(2, 3))]
    if ctx.defect == "missing-section":
        i = r.choice([0, 4])  # drop Testing Procedures or Rollback Plan
        del tail[i:i + 2]
    if ctx.defect == "empty-section":
        tail[5] = ""
    for c in p.cross:
        folder = "active" if (ctx.defect == "stale-path" and c.folder == "archive") else c.folder
        tasks.append(f"See also [{c.title}](../{folder}/{c.file_name}).")
    cur = sum(len(x) + 2 for x in s + tasks + tail)
    fill(ctx, tasks, task, p.target - (cur - sum(len(x) + 2 for x in tasks)))
    return finish(ctx, s + tasks + tail)


def render_short(ctx: Ctx) -> str:
    p, r, t = ctx.prp, ctx.rng, ctx.t
    fm = ["---"]
    if p.number:
        fm.append(f"id: PRP-{p.number:03d}")
    fm += [f"title: {p.title}", f"priority: {r.choice(['high', 'medium', 'low'])}",
           f"status: {ctx.status()}", f"created: 2026-{r.randint(1, 10):02d}-{r.randint(1, 28):02d}",
           f"estimated_effort: {r.randint(1, 5)}d", f"tags: [{', '.join(r.sample(NOUNS, 2))}]", "---"]
    s = ["\n".join(fm), f"# {p.title}",
         "## Objective", t.para(2, 3),
         "## Priority", f"{r.choice(['High', 'Medium', 'Low'])} — {t.bullet().lower()}.",
         "## Requirements"]
    reqs = [f"- {t.bullet()}" for _ in range(r.randint(3, 6))]
    if ctx.defect == "placeholder":
        reqs.insert(0, "- [Requirement 1: describe the behaviour]")
    s.append("\n".join(reqs))
    s += ["## Success Criteria",
          ctx.checklist(r.randint(3, 6), open_defect=ctx.defect == "open-in-archive")]
    approach = ["## Technical Approach",
                f"Extend `{ctx.existing('backend')}` and `{ctx.existing()}`. " + t.para(2, 4)]
    if ctx.defect == "broken-ref":
        approach.append(f"Reuse the helpers in `backend/app/utils/{r.choice(ctx.proj.features)}.py`.")
    for c in p.cross:
        folder = "active" if (ctx.defect == "stale-path" and c.folder == "archive") else c.folder
        approach.append(f"Builds on PRPs/{folder}/{c.file_name}.")
    if ctx.defect == "absolute-path":
        approach.append(f"Notes: `/home/dev/{ctx.proj.name}/docs/notes.md`.")
    effort = ["## Estimated Effort", f"{r.randint(1, 5)} days."]
    if ctx.defect == "missing-section":
        effort = []
    if ctx.defect == "empty-section":
        approach = approach[:1]
    fill(ctx, approach, lambda: t.para(3, 6), p.target - sum(len(x) + 2 for x in s + effort))
    return finish(ctx, s + approach + effort)


def render_feature(ctx: Ctx) -> str:
    p, r, t = ctx.prp, ctx.rng, ctx.t
    s = [f"# Feature: {p.title}", ctx.bold_header(),
         "## Summary", t.para(2, 3),
         "## User Story", f"As a {r.choice(['team lead', 'user', 'admin', 'support agent'])}\n"
                          f"I want to {t.bullet().lower()}\nSo that {t.bullet().lower()}",
         "## Problem Statement", t.para(2, 4),
         "## Solution Statement", t.para(2, 3),
         "## Files to Change",
         "\n".join(f"- `{ctx.existing()}` — {t.bullet().lower()}" for _ in range(r.randint(2, 4))),
         "## Step-by-Step Tasks"]
    counter = [1]

    def task():
        i = counter[0]
        counter[0] += 1
        if ctx.finished:
            mark = "x"
        elif p.folder == "planning":
            mark = " "
        else:
            mark = r.choice(["x", "wip", " ", " ", "f"]) if i > 1 else "wip"
        path = ctx.existing()
        if ctx.defect == "broken-ref" and i == 1:
            path = f"backend/app/api/{r.choice(ctx.proj.features)}_old.py"
        return (f"### [{mark}] Task {i}: {title_of(r.choice(ctx.proj.features))}\n\n"
                f"- MODIFY `{path}`: {t.bullet().lower()}\n- {t.bullet()}\n"
                f"- Validate: `pytest backend -k {r.choice(ctx.proj.features)}`")

    tasks = [task() for _ in range(r.randint(2, 4))]
    tail = ["## Validation Commands",
            "```bash\n# Level 1: syntax and style\nruff check backend/app\nnpx eslint frontend/src\n\n"
            f"# Level 2: unit tests\npytest backend -k {p.slug} -v\n```",
            "## Acceptance Criteria",
            ctx.checklist(r.randint(3, 5), open_defect=ctx.defect == "open-in-archive")]
    if ctx.defect == "missing-section":
        tail = tail[2:]
    if ctx.defect == "empty-section":
        s[s.index("## Solution Statement") + 1] = ""
    for c in p.cross:
        folder = "active" if (ctx.defect == "stale-path" and c.folder == "archive") else c.folder
        tasks.append(f"Depends on [{c.title}](../{folder}/{c.file_name}).")
    fill(ctx, tasks, task, p.target - sum(len(x) + 2 for x in s + tail))
    return finish(ctx, s + tasks + tail)


def render_spec(ctx: Ctx) -> str:
    p, r, t = ctx.prp, ctx.rng, ctx.t
    story = r.random() < 0.3
    if story:
        s = [f"# Story: {p.title}", ctx.bold_header(),
             "## Original Story", "> " + t.para(2, 3).replace("\n", "\n> "),
             "## Story Metadata",
             f"**Story Type**: Feature\n**Estimated Complexity**: {r.choice(['Low', 'Medium', 'High'])}\n"
             f"**Systems Affected**: {', '.join(r.sample(['backend', 'frontend', 'database'], 2))}",
             "## Low-Level Tasks"]
    else:
        s = [f"# Specification: {p.title}", ctx.bold_header(),
             "## High-Level Objective", f"- {t.bullet()}.",
             "## Mid-Level Objective",
             ctx.checklist(r.randint(2, 4), open_defect=ctx.defect == "open-in-archive"),
             "## Implementation Notes", "\n".join(f"- {t.bullet()}." for _ in range(3)),
             "## Context", "### Beginning context",
             "\n".join(f"- `{ctx.existing()}`" for _ in range(3)),
             "### Ending context", "\n".join(f"- `{ctx.existing()}`" for _ in range(4)),
             "## Low-Level Tasks", "> Ordered from start to finish"]
    if ctx.defect == "missing-section" and not story:
        i = s.index("## Mid-Level Objective")
        del s[i:i + 2]
    if ctx.defect == "empty-section" and not story:
        s[s.index("## Implementation Notes") + 1] = ""
    counter = [0]

    def task():
        counter[0] += 1
        verb = r.choice(["CREATE", "UPDATE", "UPDATE"])
        path = ctx.create_target() if verb == "CREATE" else ctx.existing()
        if ctx.defect == "broken-ref" and counter[0] == 1:
            verb, path = "UPDATE", f"frontend/src/pages/{r.choice(['Wallet', 'Kiosk'])}.tsx"
        n = r.randint(1, 3)
        return f"### {verb} {path}:\n\n" + ctx.checklist(n)

    tasks = [task() for _ in range(r.randint(2, 4))]
    for c in p.cross:
        folder = "active" if (ctx.defect == "stale-path" and c.folder == "archive") else c.folder
        tasks.append(f"Related: PRPs/{folder}/{c.file_name}")
    fill(ctx, tasks, task, p.target - sum(len(x) + 2 for x in s))
    return finish(ctx, s + tasks)


def finish(ctx: Ctx, parts: list) -> str:
    text = "\n\n".join(x for x in parts if x is not None) + "\n"
    if ctx.defect == "unclosed-fence":
        i = text.rfind("\n```\n")
        if i > 0:
            text = text[:i + 1] + text[i + 5:]  # drop the last closing fence line only
        else:
            text += "\n```bash\npytest -v\n"
    if ctx.defect == "absolute-path" and "/Users/" not in text and "/home/" not in text:
        text += f"\nSee also `/root/{ctx.proj.name}/notes.md`.\n"
    return text


RENDER = {"base": render_base, "orchestrator": render_orchestrator, "short": render_short,
          "feature": render_feature, "spec": render_spec}


def render_latency(ctx: Ctx, lines_wanted: int) -> str:
    """A 5,000-line base PRP (about 200 KB) with a few realistic findings."""
    p, r, t = ctx.prp, ctx.rng, ctx.t
    head = [f"# PRP-{p.number:02d}: Platform Rewrite (latency probe)", "",
            "**Status**: In Progress", "**Created**: 2026-09-01", "**Priority**: High", "",
            "## 🎯 **Goal**", ""] + t.para(3, 4).split("\n") + ["", "## 💡 **Why**", ""]
    head += [f"- {t.bullet()}." for _ in range(6)] + ["", "## 📋 **What**", ""]
    head += t.para(3, 5).split("\n") + ["", "### ✅ **Success Criteria**", ""]
    head += [f"- [{'x' if i % 3 == 0 else ' '}] {t.bullet()}" for i in range(60)]
    head += ["", "## 📚 **All Needed Context**", "", "```yaml"]
    for i in range(150):
        if i == 7:
            head += ["- file: backend/app/services/legacy_bridge.py", f"  why: {t.bullet()}", ""]
        else:
            head += [f"- file: {ctx.existing()}", f"  why: {t.bullet()}", ""]
    head += ["```", "", "## 🏗️ **Implementation Blueprint**", ""]
    tail = ["## 🧪 **Validation Loop**", "", "### Level 1: Syntax & Style", "", "```bash",
            "# Run these FIRST", "ruff check backend/app --fix", "mypy backend/app", "```", "",
            "### Level 2: Unit Tests", "", "```bash", "pytest backend -v", "```", "",
            "## ✔️ **Final Validation Checklist**", ""]
    tail += [f"- [ ] {t.bullet()}" for _ in range(20)]
    tail += ["", "## 🚫 **Anti-Patterns to Avoid**", ""] + [f"- ❌ {a}" for a in ANTI]
    body, task_no, phase = [], 1, 1
    room = lines_wanted - len(head) - len(tail)
    while True:
        block = [f"### Phase {phase}: {title_of(r.choice(ctx.proj.features))}", ""]
        block += t.para(2, 3).split("\n") + ["", "```"]
        for _ in range(4):
            block += [f"Task {task_no}:", f"MODIFY {ctx.existing()}:",
                      f"  - {r.choice(SUB_VERBS)}: {ctx.existing()}",
                      f"  - IMPLEMENT {t.bullet().lower()}", ""]
            task_no += 1
        block[-1:] = ["```", ""]
        if len(body) + len(block) > room:
            break
        body += block
        phase += 1
    while len(body) < room:
        body.insert(len(body) - 1, f"Note: {t.bullet()}.")
    lines = head + body + tail
    assert len(lines) == lines_wanted, len(lines)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# TASK.md, agents, source files


def render_task_board(proj: Project, rng: random.Random, t: Text, defect: str | None) -> str:
    r = rng
    prps = proj.prps
    active = [p for p in prps if p.folder == "active"]
    planning = [p for p in prps if p.folder == "planning"]
    done = [p for p in prps if p.folder == "archive"]
    agents = proj.agents or ["backend"]

    def item(p, state, date_word, day, month=11):
        who = f" @{r.choice(agents)}" if r.random() < 0.5 else ""
        lines = [f"- [{state}] {p.title}{who} ({date_word} 2026-{month:02d}-{day:02d})"]
        if r.random() < 0.3:
            lines.append(f'  - User: "{t.bullet()}"')
        if not who and r.random() < 0.3:
            lines.append(f"  - Assigned to: {r.choice(agents)}")
        lines.append(f"  - Source: {p.rel}")
        return "\n".join(lines)

    out = [f"# TASK.md — {title_of(proj.name.split('-', 1)[1])}", "",
           "Last updated: 2026-11-20. Plans and conventions: see PLANNING.md.", "", "## In Progress", ""]
    out += [item(p, " ", "added", 1 + i % 27) for i, p in enumerate(active[:25])]
    out += ["", "## Upcoming", ""]
    out += [item(p, " ", "added", 1 + i % 27) for i, p in enumerate(planning[:20])]
    if defect == "unknown-prp":
        out.append(f"- [ ] Invoices and plan limits, spec in PRPs/active/{len(prps) + 40:02d}_billing.md (added 2026-11-15)")
    out += ["", "## Backlog", ""]
    backlog = [f"- [ ] {t.bullet()} (added 2026-11-{d:02d})" for d in range(1, r.randint(4, 10))]
    if defect == "state-conflict":
        backlog.append("- [ ] Add rate limiting to the login endpoint (added 2026-11-03)")
    out += backlog
    out += ["", "## Milestones", ""]
    phase_items = [t.bullet() for _ in range(4)]
    out += ["### ✅ Phase 1: Foundations", "Progress: 4/4 tasks complete", ""]
    out += [f"- [x] {x}" for x in phase_items]
    out += ["", "### ✅ Phase 2: Core features" if defect == "phase-open" else "### Phase 2: Core features", ""]
    out += [f"- [x] {t.bullet()}" for _ in range(3)] + [f"- [ ] {t.bullet()}"]
    cnt = "Progress: 3/5 tasks complete" if defect == "count-mismatch" else "Progress: 2/5 tasks complete"
    out += ["", "### Phase 3: Polish", cnt, ""]
    out += [f"- [x] {t.bullet()}" for _ in range(2)] + [f"- [ ] {t.bullet()}" for _ in range(3)]
    out += ["", "## Completed", ""]
    comp = []
    n_done = min(len(done), 40)
    for i, p in enumerate(done[:n_done]):
        day = 1 + (i * 27) // max(1, n_done)
        month = 10 if i < n_done // 2 else 11
        src = p.rel
        if defect == "stale-path" and i == 0:
            src = f"PRPs/active/{p.file_name}"
        comp.append(f"- [x] {p.title} (completed 2026-{month:02d}-{day:02d})\n  - Source: {src}")
    if defect == "date-order" and len(comp) > 3:
        comp[2], comp[len(comp) - 1] = comp[len(comp) - 1], comp[2]
    if defect == "state-conflict":
        comp.append("- [x] Add rate limiting to the login endpoint (completed 2026-11-28)")
    out += comp
    out += ["", "### Just Completed (2026-11-20)", "",
            "- [x] Calendar names with accents and CJK characters (会議) import intact (completed 2026-11-20)"]
    out += ["", "## Discovered During Work", ""] + [f"- [ ] {t.bullet()}" for _ in range(r.randint(1, 4))]
    out += ["", "## Task Format", "", "How to write items on this board. The lines below are examples, not tasks:", "",
            "- [ ] Add a CSV export to the reports API @backend (added 2026-11-01)",
            f"  - Source: {prps[0].rel}",
            "- [x] Fix the typo on the login page (completed 2026-11-02)", "",
            "Rules:", "", "- New items go to Upcoming with an `(added YYYY-MM-DD)` suffix.",
            "- Link the PRP with a `Source:` note; update it when the PRP moves to `PRPs/archive/`."]
    return "\n".join(out) + "\n"


def render_agent(proj: Project, agent: str, rng: random.Random, t: Text, defect: str | None) -> str:
    name, scopes = AGENTS[agent]
    scope_lines = [f"- `{s}` — {t.bullet().lower()}" for s in scopes]
    if defect == "scope-missing":
        scope_lines.append(f"- `{scopes[0].split('/')[0]}/seeds/` — demo and test data")
    out = [f"# Agent: {name}", "", "## Your Identity", "",
           f"You are the {agent} agent of {title_of(proj.name.split('-', 1)[1])}. " + t.para(1, 2), "",
           "## Your Scope", ""] + scope_lines + ["", "## Your Capabilities", ""]
    out += [f"- ✅ {t.bullet()}" for _ in range(rng.randint(3, 5))]
    if defect != "missing-section":
        out += ["", "## Your Restrictions", ""] + [f"- ❌ Cannot {t.bullet().lower()}" for _ in range(3)]
    out += ["", "## Key Files", ""]
    out += [f"- `{f}` — {t.bullet().lower()}" for f in rng.sample(proj.files, 3)]
    out += ["", "## Success Metrics", "", "- All tests pass; coverage of new code at least 90%",
            "- p95 response time under 200 ms on staging"]
    return "\n".join(out) + "\n"


def source_text(path: str) -> str:
    stem = path.rsplit("/", 1)[-1].split(".")[0]
    if path.endswith(".py"):
        return f'"""{stem}."""\n\n\ndef {stem.lower()}_handler():\n    return None\n'
    if path.endswith(".tsx"):
        return f"export function {stem}() {{\n  return null;\n}}\n"
    if path.endswith(".sql"):
        return f"-- {stem}\nCREATE TABLE IF NOT EXISTS {stem.split('_', 1)[-1]} (id BIGSERIAL PRIMARY KEY);\n"
    if path.endswith(".md"):
        return f"# {stem}\n\n## Data\n\n## Authentication\n\n## Jobs\n"
    return f"# {stem}\n"


# --------------------------------------------------------------------------------------


def generator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def stamp_for(docs: int, seed: int) -> dict:
    return {"version": GEN_VERSION, "seed": seed, "docs": docs, "generator": generator_digest()}


def read_stamp(root: Path) -> dict | None:
    try:
        return json.loads((root / STAMP).read_text())
    except (OSError, ValueError):
        return None


def generate(root: Path, docs: int, seed: int, quiet=False) -> dict:
    rng = random.Random(seed)
    text = Text(random.Random(seed + 1))
    projects = plan(docs, rng)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    stats = {"documents": 0, "document_bytes": 0, "prps": 0, "task_boards": 0, "agents": 0,
             "source_files": 0, "defective_documents": 0, "families": {}, "defects": {},
             "large_prps": 0}
    latency_path = None

    def write(rel: str, content: str, is_doc: bool):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        path.write_bytes(data)
        if is_doc:
            stats["documents"] += 1
            stats["document_bytes"] += len(data)

    for pi, proj in enumerate(projects):
        prng = random.Random(seed * 1000 + pi)
        for f in proj.files:
            write(f"{proj.name}/{f}", source_text(f), False)
            stats["source_files"] += 1
        # Non-PRP Markdown under PRPs/ that must be skipped.
        write(f"{proj.name}/PRPs/README.md", "# PRPs\n\nActive work lives in `active/`.\n", False)
        write(f"{proj.name}/PRPs/templates/prp_base.md",
              "# PRP: [Feature name]\n\n## Goal\n\n[What needs to be built]\n\n## Why\n\n[Business value]\n", False)
        for prp in proj.prps:
            ctx = Ctx(prp, prng, text)
            if prp.latency:
                content = render_latency(ctx, LATENCY_LINES)
                latency_path = f"{proj.name}/{prp.rel}"
            else:
                content = RENDER[prp.family](ctx)
            if prp.defect == "empty-file":
                content = ""
            write(f"{proj.name}/{prp.rel}", content, True)
            stats["prps"] += 1
            stats["families"][prp.family] = stats["families"].get(prp.family, 0) + 1
            if prp.target >= 50_000:
                stats["large_prps"] += 1
            if prp.defect:
                stats["defective_documents"] += 1
                stats["defects"][prp.defect] = stats["defects"].get(prp.defect, 0) + 1
        tdefect = None
        if prng.random() < DEFECT_RATE * 2:
            tdefect = prng.choice(["phase-open", "count-mismatch", "date-order", "state-conflict",
                                   "unknown-prp", "stale-path"])
        write(f"{proj.name}/TASK.md", render_task_board(proj, prng, text, tdefect), True)
        stats["task_boards"] += 1
        if tdefect:
            stats["defective_documents"] += 1
            stats["defects"]["task:" + tdefect] = stats["defects"].get("task:" + tdefect, 0) + 1
        for agent in proj.agents:
            adefect = None
            if prng.random() < DEFECT_RATE:
                adefect = prng.choice(["scope-missing", "missing-section"])
                stats["defective_documents"] += 1
                stats["defects"]["agent:" + adefect] = stats["defects"].get("agent:" + adefect, 0) + 1
            write(f"{proj.name}/agent_contexts/{agent}_agent.md",
                  render_agent(proj, agent, prng, text, adefect), True)
            stats["agents"] += 1
        if not quiet and (pi + 1) % 20 == 0:
            print(f"  generated {pi + 1}/{len(projects)} projects", file=sys.stderr, flush=True)
    stats["latency_prp"] = latency_path
    stats["latency_prp_lines"] = LATENCY_LINES
    meta = dict(stamp_for(docs, seed), stats=stats)
    (root / STAMP).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return meta


def ensure(root: Path, docs: int, seed: int, quiet=False) -> tuple[dict, bool]:
    """Generates unless a matching stamp is present. Returns (stamp, regenerated)."""
    want = stamp_for(docs, seed)
    have = read_stamp(root)
    if have and all(have.get(k) == v for k, v in want.items()) and "stats" in have:
        return have, False
    return generate(root, docs, seed, quiet), True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)
    if a.force:
        meta = generate(a.root, a.docs, a.seed)
    else:
        meta, _ = ensure(a.root, a.docs, a.seed)
    print(json.dumps(meta["stats"], indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
