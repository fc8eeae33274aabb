"""Benchmark: the findings explorer on a large conference, in headless Chromium.

Generates the findings of a synthetic large conference (30,000 findings, 60 sessions, about
300 speakers, 4 themes with sub-topics, text from a small word list; fixed seed), puts
:func:`outcomes.explorer.render` in a page, opens it from ``file://`` in the system's Chromium,
and prints, from one run on this machine:

- first paint of the explorer: milliseconds from navigation start until the count and the
  first page of rows (written into the markup) are in the page, and until the frame after that
  (rows painted); then until the filters work (the data parsed, the script's ``explorer-ready``
  mark); the page's first contentful paint, DOMContentLoaded and load;
- applying a filter in the page: a theme, a sub-topic, a session, a speaker, searches (common
  word, rare word, two words, accented word, no match), the first search before any search key
  was built, clearing the filters, "show more": milliseconds from the dispatched event until
  the synchronous re-render and layout are done, and until the next frame;
- a search as typed: from the ``input`` event until the count changes (the script waits
  100 ms after a keystroke on purpose);
- references measured in the same run: the same page with no findings (the explorer's fixed
  cost), and a plain page of the same size with the same JSON and no explorer (the cost of
  loading that many bytes at all).

Target (the explorer's brief): first paint and applying a filter each under 200 ms on 2 cores.
Each figure is the median and the maximum over repeated runs; "ok" judges the maximum.

Usage: ``.venv/bin/python benchmarks/explorer.py [--findings 30000] [--loads 5]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
from pathlib import Path

from outcomes import explorer
from outcomes.render import CHROMIUM_ARGS, find_chromium

TARGET_MS = 200
SEED = 20241022

WORDS_EN = (
    "the a of to and in that for on with as by this we our all States Parties should must will can verification "
    "inspection inspections challenge laboratory laboratories sample samples analysis designated chemical weapons "
    "convention implementation national authority authorities capacity building training programme programmes "
    "cooperation assistance protection regional international secretariat technical council conference review "
    "artificial intelligence AI tools models data governance oversight human transparency accountability risk "
    "risks dual use misuse terrorism non-State actors precursors industry declarations transfers export controls "
    "science technology advisory board education outreach women youth network networks resources funding "
    "support recommend propose call urge commit strengthen develop ensure continue improve share exchange best "
    "practices lessons learned framework guidance standards quality assurance proficiency testing forensic "
    "attribution investigation response preparedness emergency health environment destruction stockpiles"
).split()
WORDS_FR = (
    "la le les des du de et à en pour sur avec nous notre tous États parties doit devons vérification inspection "
    "laboratoires échantillons analyse désignés armes chimiques convention mise œuvre autorité nationale "
    "renforcement capacités formation coopération assistance protection régionale internationale secrétariat "
    "technique conseil intelligence artificielle outils données gouvernance supervision humaine transparence "
    "responsabilité risques double usage détournement terrorisme acteurs non étatiques précurseurs industrie "
    "déclarations transferts contrôles sécurité sûreté éducation sensibilisation femmes jeunes réseau financement "
    "recommandons proposons appelons exhortons engageons renforcer développer garantir poursuivre améliorer "
    "partager échanger bonnes pratiques cadre lignes directrices normes qualité essais criminalistique enquête "
    "préparation urgence santé environnement destruction stocks cœur élève"
).split()
THEMES = {
    "verification": ("Verification and inspections", ["challenge inspections", "sampling and analysis",
                                                      "designated laboratories", "industry inspections"]),
    "capacity": ("Capacity building", ["training", "regional cooperation", "national authorities",
                                       "funding", "laboratory twinning"]),
    "ai_governance": ("Governance of AI", ["oversight", "dual use", "transparency", "validation of tools"]),
    "terrorism": ("Chemical terrorism", ["non-State actors", "precursors", "preparedness"]),
}
FIRST = ("Amal Ana Pieter Claire David Mei Ivan Sofia Omar Lena Kofi Yuki Elena Rafael Nadia Tomás Ingrid Ahmed "
         "Chloé Jonas Aisha Mateo Hana Lucas Zeynep Ravi Emilia Samuel Fatima Hugo").split()
LAST = ("Benali,van Dijk,Dubois,Mensah,Chen,Petrov,García,Haddad,Novak,Okafor,Tanaka,Rossi,Silva,Kowalski,"
        "Andersen,Nguyen,Müller,Ibrahim,Lefèvre,Costa,Sato,Moreau,Hernández,Kim,Schmidt,Ortiz,Said,Berg,Diallo,"
        "Rahman").split(",")
DELEGATIONS = [f"Delegation {name}" for name in (
    "Arcadia Borealis Caledonia Dalmatia Eldoria Florin Galicia Hesperia Ilyria Jotunheim Kethra Lumeria Meridia "
    "Nordheim Ostrava Patagonia Quivira Ruthenia Sarmatia Thule Umbria Valoria Westmark Xanadu Yarrow Zembla "
    "Avalon Brigadoon Cimmeria Dorne").split()] + [
    "OPCW Technical Secretariat", "Scientific Advisory Board", "World Health Organization", "UNODA", "INTERPOL",
    "European Union", "African Union", "International Council of Chemical Associations", "Green Cross",
    "University of Leiden"]


def synthetic_findings(count: int = 30_000, sessions: int = 60, speakers: int = 300, seed: int = SEED) -> list:
    """Return ``count`` findings of a made-up conference, the same for the same arguments."""
    rng = random.Random(seed)
    people = []
    for n in range(speakers):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7 + n // len(FIRST)) % len(LAST)]}"
        delegation = None if rng.random() < 0.08 else rng.choice(DELEGATIONS)
        people.append((f"{name} {n // (len(FIRST) * len(LAST)) or ''}".strip(), delegation))
    theme_ids = list(THEMES)
    plan = []
    for s in range(sessions):
        language = "fr" if s % 3 == 2 else "en"
        plan.append((f"S{s + 1:02d}", f"Session {s + 1}: {rng.choice(WORDS_EN).capitalize()} and "
                     f"{rng.choice(WORDS_EN)}", language, rng.sample(people, 15)))
    findings = []
    per_session = count // sessions
    for index in range(count):
        session, title, language, panel = plan[min(index // per_session, sessions - 1)]
        speaker, delegation = rng.choice(panel)
        theme = rng.choice(theme_ids)
        label, subtopics = THEMES[theme]
        words = WORDS_FR if language == "fr" else WORDS_EN
        text = " ".join(rng.choice(words) for _ in range(rng.randint(10, 30)))
        finding_id = f"{session}-{index:08x}"
        findings.append({
            "id": finding_id, "theme": theme, "theme_label": label,
            "subtopic": None if rng.random() < 0.1 else rng.choice(subtopics),
            "session": session, "session_title": title, "speaker": speaker, "delegation": delegation,
            "language": language, "text": text[0].upper() + text[1:] + ".",
            "link": f"sessions/{session}.html#{finding_id}",
            "confidence": None if rng.random() < 0.05 else round(rng.uniform(0.3, 0.99), 2),
        })
    return findings


def page_html(body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outcomes report</title></head>'
            f"<body><main>{body}</main></body></html>")


# Installed before the page's own scripts: records when the parser has added the explorer's "show more"
# button, which follows the count and the first page of rows, and the frame after it.
RECORDER = """
window.__bench = {};
new MutationObserver(function (records, observer) {
  if (document.getElementById('explorer-more')) {
    observer.disconnect();
    window.__bench.rows = performance.now();
    requestAnimationFrame(function () { setTimeout(function () { window.__bench.painted = performance.now(); }, 0); });
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
NO_IDLE = "window.requestIdleCallback = function () { return 0; };"

LOAD_FIGURES = """
async () => {
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const ready = performance.getEntriesByName('explorer-ready')[0];
  return {ready: ready ? ready.startTime : null, rows: window.__bench.rows ?? null,
          painted: window.__bench.painted ?? null, fcp: fcp ? fcp.startTime : null,
          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
}
"""
# Set a control, dispatch its event, and time the synchronous re-render (with layout), then the next frame.
APPLY = """
async ([id, value, kind]) => {
  const control = document.getElementById(id);
  if (value !== null) control.value = value;
  const started = performance.now();
  if (kind === 'click') control.click(); else control.dispatchEvent(new Event(kind, {bubbles: true}));
  document.getElementById('explorer-results').offsetHeight;  // style and layout of the new rows
  const done = performance.now();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [done - started, performance.now() - started, document.getElementById('explorer-count').textContent];
}
"""
# Type a query (one input event) and time until the list is rebuilt: the script waits for typing to pause.
TYPED = """
async (value) => {
  const search = document.getElementById('explorer-search'), results = document.getElementById('explorer-results');
  const changed = new Promise(resolve => new MutationObserver((records, observer) => {
    observer.disconnect(); resolve(performance.now()); }).observe(results, {childList: true}));
  search.value = value;
  const started = performance.now();
  search.dispatchEvent(new Event('input', {bubbles: true}));
  return (await changed) - started;
}
"""


def load(browser, path: Path, scripts=(RECORDER,)) -> tuple:
    """Open ``path`` in a fresh page; return (page, its load figures). Any non-file request fails the run."""
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else (outside.append(route.request.url), route.abort()))
    for script in scripts:
        page.add_init_script(script)
    page.goto(path.as_uri(), wait_until="load")
    figures = page.evaluate(LOAD_FIGURES)
    if outside:
        raise SystemExit(f"the page asked for {outside[:3]}: the explorer must load nothing")
    return page, figures


def operations(data: dict) -> list:
    """Return the filters to time: (name, control id, value, event), applied one after another.

    The same steps for any data: on a page without findings a value the select does not offer
    leaves it on "All", which times the explorer's fixed cost.
    """
    themes = [pair[0] for pair in data["themes"]]
    verification = themes.index("verification") if "verification" in themes else 0
    subtopics = data["theme_subtopics"][verification] if data["theme_subtopics"] else [0]
    steps = [("theme filter (each theme)", "explorer-theme", str(i), "change") for i in range(4)]
    steps += [("theme filter back to all", "explorer-theme", "", "change"),
              ("theme + sub-topic filter", "explorer-theme", str(verification), "change"),
              ("theme + sub-topic filter", "explorer-subtopic", str(subtopics[0]), "change"),
              ("clear filters", "explorer-reset", None, "click"),
              ("session filter", "explorer-session", str(len(data["sessions"]) // 2), "change"),
              ("clear filters", "explorer-reset", None, "click"),
              ("speaker filter", "explorer-speaker", "7", "change"),
              ("clear filters", "explorer-reset", None, "click")]
    for name, query in (("search: common word", "inspection"), ("search: rare word", "proficiency"),
                        ("search: two words", "laboratory samples"), ("search: accented, folded", "securite"),
                        ("search: name", "benali"), ("search: no match", "zzzzqx")):
        steps.append((name, "explorer-search", query, "change"))
    steps.append(("clear filters", "explorer-reset", None, "click"))
    steps.append(("show more (next 100 rows)", "explorer-more", None, "click"))
    return steps


def time_operations(page, steps, repeat: int) -> dict:
    """Return {name: ([sync ms], [to next frame ms])} over ``repeat`` passes of ``steps``."""
    times: dict = {}
    for _ in range(repeat):
        for name, control, value, kind in steps:
            sync, frame, _ = page.evaluate(APPLY, [control, value, kind])
            times.setdefault(name, ([], []))
            times[name][0].append(sync)
            times[name][1].append(frame)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=30_000)
    parser.add_argument("--loads", type=int, default=5, help="page loads per page (default 5)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the filters (default 5)")
    args = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        raise SystemExit("no Chromium found: install Debian's chromium or set OUTCOMES_CHROMIUM")
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    findings = synthetic_findings(args.findings)
    words = sum(len(f["text"].split()) for f in findings)
    fragment = explorer.render(findings, "en")
    data = explorer.data(findings, "en")
    empty_fragment = explorer.render([], "en")
    payload = explorer.script_json(data)
    rows = []
    with tempfile.TemporaryDirectory(prefix="outcomes-explorer-bench-") as folder:
        folder = Path(folder)
        large, empty, plain = folder / "large.html", folder / "empty.html", folder / "plain.html"
        large.write_text(page_html(fragment), encoding="utf-8")
        empty.write_text(page_html(empty_fragment), encoding="utf-8")
        # the same bytes as the large page's data, parsed by nobody: the floor of loading them
        plain.write_text(page_html(f'<h2>Findings</h2><p>Plain page.</p><script type="application/json">'
                                   f"{payload}</script>"), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                version = browser.version
                loads = {name: [] for name in ("large", "empty", "plain")}
                for _ in range(args.loads):
                    for name, path in (("large", large), ("empty", empty), ("plain", plain)):
                        page, figures = load(browser, path)
                        loads[name].append(figures)
                        page.context.close()
                page, _ = load(browser, large)
                large_ops = time_operations(page, operations(data), args.repeat)
                typed = [page.evaluate(TYPED, query) for query in ("verif", "laborat", "inspection", "")]
                page.context.close()
                cold = []
                for _ in range(args.loads):
                    # idle-time key building switched off: the first search folds all 30,000 texts itself
                    page, _ = load(browser, large, (RECORDER, NO_IDLE))
                    cold.append(page.evaluate(APPLY, ["explorer-search", "inspection", "change"])[0])
                    page.context.close()
                page, _ = load(browser, empty)
                empty_ops = time_operations(page, operations(explorer.data([], "en")), args.repeat)
                page.context.close()
            finally:
                browser.close()

    def figures_of(name, key):
        values = [f[key] for f in loads[name] if f[key] is not None]
        return values or [float("nan")]

    rows.append(("first paint: count and first rows in the page", figures_of("large", "rows"),
                 figures_of("empty", "rows"), True))
    rows.append(("first paint: the frame after (rows painted)", figures_of("large", "painted"),
                 figures_of("empty", "painted"), True))
    rows.append(("filters work: data read, script ready", figures_of("large", "ready"),
                 figures_of("empty", "ready"), True))
    rows.append(("page: first contentful paint", figures_of("large", "fcp"), figures_of("plain", "fcp"), False))
    rows.append(("page: DOMContentLoaded", figures_of("large", "dcl"), figures_of("plain", "dcl"), False))
    rows.append(("page: load event", figures_of("large", "load"), figures_of("plain", "load"), False))
    for name, (sync, frame) in large_ops.items():
        reference = empty_ops.get(name, ([float("nan")], None))[0]
        rows.append((f"{name}", sync, reference, True))
        rows.append((f"{name}, to next frame", frame, empty_ops.get(name, (None, [float("nan")]))[1], True))
    rows.append(("first search, no key built yet", cold, [float("nan")], True))
    rows.append(("search as typed, incl. 100 ms debounce", typed, [float("nan")], True))

    print(f"findings: {len(findings):,}  sessions: {len(data['sessions'])}  speakers: {len(data['speakers'])}  "
          f"themes: {len(data['themes'])}  sub-topics: {len(data['subtopics'])}  words: {words:,}")
    print(f"page: {len(page_html(fragment).encode('utf-8')) / 2**20:.1f} MB (data {len(payload.encode('utf-8')) / 2**20:.1f} MB)"
          f"  Chromium {version}  cores: {os.cpu_count()}  loads: {args.loads}  passes: {args.repeat}")
    print(f"load average at the start and end of the run: {load_before:.1f}, {os.getloadavg()[0]:.1f} "
          "(other work on the machine slows every figure)")
    print("reference: first paint and filters on the same page with no findings; page figures on a plain page "
          "with the same JSON and no explorer")
    print(f"{'measure (ms)':<52}{'median':>9}{'max':>9}{'ref med':>9}{f'< {TARGET_MS} ms':>10}")
    for name, values, reference, judged in rows:
        ok = ("yes" if max(values) < TARGET_MS else "NO") if judged else ""
        print(f"{name:<52}{statistics.median(values):>9.1f}{max(values):>9.1f}{statistics.median(reference):>9.1f}"
              f"{ok:>10}")


if __name__ == "__main__":
    main()
