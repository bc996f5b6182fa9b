"""Write the measured tables into docs/PERFORMANCE.md.

    .venv/bin/python -m bench.report

Reads bench/out/generate-<db>.json and bench/out/results-<db>.json (SQLite and PostgreSQL,
whichever exist) and replaces the part of docs/PERFORMANCE.md between the two markers below;
the text around them (the analysis) is kept.
"""

import json
import statistics
import sys

from bench.generate import OUT, ROOT

DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN = "<!-- bench:begin (written by `python -m bench.report`; edit outside these markers) -->"
END = "<!-- bench:end -->"
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TARGET_TEXT = {
    "P1": "list page p95 ≤ 12 × trivial p95",
    "P2": "late page p95 ≤ 1.5 × first page p95",
    "P4": "search p95 ≤ 2 × list page p95",
    "P5": "report p95 ≤ 3 × list page p95",
    "P6": "save p95 ≤ 1 × list page p95",
}


def load(kind: str, backend: str) -> dict | None:
    path = OUT / f"{kind}-{backend}.json"
    return json.loads(path.read_text()) if path.exists() else None


def n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def machine_section(results: list[dict]) -> list[str]:
    m = results[0]["machine"]
    lines = ["### Machine", ""]
    lines.append(f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; {m['os']}")
    for r in results:
        code = r["machine"].get("code")
        if code:
            lines.append(f"- Code measured ({BACKENDS[r['backend']]}): {code}")
    lines.append(
        f"- Python {m['python']}, Flask {m['flask']}, SQLAlchemy {m['sqlalchemy']}, "
        f"gunicorn {m['gunicorn']}"
    )
    for r in results:
        s = r["settings"]
        loads = ", ".join(f"{x:.2f}" for x in s["load_average"])
        lines.append(
            f"- {BACKENDS[r['backend']]}: {r['server']}; run {r['started']} → {r['finished']}; "
            f"{s['rounds']} rounds × ({s['warmup']} warm-up + {s['requests']} requests) per "
            f"scenario, {s['clients']} client(s), gunicorn {s['workers']} sync workers; "
            f"1-minute load average at the start of each round: {loads}"
        )
    return [*lines, ""]


def data_section(generated: dict[str, dict]) -> list[str]:
    backends = list(generated)
    lines = ["### Data", ""]
    lines.append("| Rows | " + " | ".join(BACKENDS[b] for b in backends) + " |")
    lines.append("|---|" + "---:|" * len(backends))
    first = generated[backends[0]]
    rows = [("provinces + communes + villages (units)", "units"), ("villages", None)]
    rows += [(name, name) for name in first["rows"] if name != "units"]
    for label, key in rows:
        cells = []
        for b in backends:
            g = generated[b]
            cells.append(n(g["villages"] if key is None else g["rows"][key]))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Generation time (`bench/generate.py`, seconds):")
    lines.append("")
    lines.append("| Step | " + " | ".join(BACKENDS[b] for b in backends) + " |")
    lines.append("|---|" + "---:|" * len(backends))
    for step in first["timings_s"]:
        cells = [str(generated[b]["timings_s"].get(step, "")) for b in backends]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines.append("")
    for b in backends:
        g = generated[b]
        lines.append(
            f"- {BACKENDS[b]}: generated {g['generated_at']}, scale {g['scale']}, seed "
            f"{g['seed']}; {'analysed' if g['analyzed'] else 'not analysed (no ANALYZE)'}"
        )
    return [*lines, ""]


def results_section(r: dict) -> list[str]:
    name = BACKENDS[r["backend"]]
    fx = r["fixture"]
    lines = [f"### {name}", ""]
    lines.append(
        f"Province: {fx['province']['name']} ({n(fx['province']['mediators'])} mediators); "
        f"commune: {fx['commune']['name']} ({n(fx['commune']['mediators'])}); the rare name "
        f"“{fx['rare_name']}” is one mediator's in the whole country."
    )
    lb, counts = fx.get("logbook"), fx["counts"]
    if lb:
        lines[-1] += (
            f" Logbook: {n(counts['logbook_entries'])} cases in the country "
            f"({lb['first_year']}–{lb['last_year']}; {n(counts['logbook_this_year'])} received "
            f"in {lb['last_year']}), {n(counts['logbook_province'])} in the province, "
            f"{n(counts['logbook_commune'])} in the commune."
        )
    lines.append("")
    lines.append(
        "| Scenario | p50 ms | p95 ms | p95 × trivial | p50 × trivial | CPU ms (in-process) "
        "| CPU × trivial | bytes | SQL statements |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    inprocess = r.get("queries", {})
    trivial_cpu = inprocess.get("trivial", {}).get("cpu_ms")
    for key, stats in r["median"].items():
        label = r["scenarios"][key]["label"]
        measured = inprocess.get(key, {})
        queries = measured.get("queries", "")
        cpu = measured.get("cpu_ms")
        cpu_text = f"{cpu:.1f}" if cpu is not None else ""
        cpu_ratio = f"{cpu / trivial_cpu:.1f}" if cpu is not None and trivial_cpu else ""
        p50_ratio = statistics.median(
            round_[key]["p50_ms"] / round_["trivial"]["p50_ms"] for round_ in r["rounds"]
        )
        errors = f" ({stats['errors']} errors)" if stats["errors"] else ""
        lines.append(
            f"| {label}{errors} | {stats['p50_ms']:.1f} | {stats['p95_ms']:.1f} | "
            f"{stats['x_trivial']:.1f} | {p50_ratio:.1f} | {cpu_text} | {cpu_ratio} | "
            f"{n(stats['bytes'])} | {queries} |"
        )
    lines.append("")
    lines.append("| Target | Scenario | measured | limit | |")
    lines.append("|---|---|---:|---:|---|")
    for check in r["checks"]:
        scenario = r["scenarios"][check["scenario"]]["label"]
        reference = r["scenarios"][check["reference"]]["label"]
        lines.append(
            f"| {check['target']} ({TARGET_TEXT[check['target']]}) | {scenario} vs {reference} "
            f"| {check['ratio']:.2f} | {check['limit']} | "
            f"{'pass' if check['pass'] else '**FAIL**'} |"
        )
    lines.append("")
    w = r.get("page_weight")
    if w:
        assets = ", ".join(f"{path} {n(size)}" for path, size in w["assets"].items())
        verdict = "pass" if w["total"] <= 100_000 else "**FAIL**"
        lines.append(
            f"P8 (first load ≤ 100 KB): the province list page is {n(w['page'])} bytes; with its "
            f"assets ({assets}) {n(w['total'])} bytes: {verdict}. Fragments: see the bytes "
            "column (htmx rows ≤ 15 KB)."
        )
        lines.append("")
    for path, w in (r.get("page_weights") or {}).items():
        verdict = "pass" if w["total"] <= 100_000 else "**FAIL**"
        lines.append(
            f"P8 for `{path}` (province officer): the page is {n(w['page'])} bytes, "
            f"{n(w['total'])} with its assets: {verdict}."
        )
    if r.get("page_weights"):
        lines.append("")
    return lines


def comparison_section(backend: str, runs: list[tuple[str, dict]]) -> list[str]:
    """The targets across runs of one database: an earlier commit, the current one, a scratch
    copy with every proposed fix (whichever results files exist)."""
    name = BACKENDS[backend]
    lines = [f"#### {name}", ""]
    for title, r in runs:
        loads = ", ".join(f"{x:.2f}" for x in r["settings"]["load_average"])
        lines.append(
            f"- {title}: code {r['machine'].get('code', '?')}, run {r['started']}, load "
            f"averages {loads}"
        )
    lines.append("")
    header = " | ".join(title for title, _ in runs)
    lines.append(f"| Target | Scenario | {header} | limit |")
    lines.append("|---|---|" + "---:|" * len(runs) + "---:|")
    first = runs[0][1]
    for check in first["checks"]:
        cells = []
        for _title, r in runs:
            found = next(
                (
                    c
                    for c in r["checks"]
                    if (c["target"], c["scenario"], c["reference"])
                    == (check["target"], check["scenario"], check["reference"])
                ),
                None,
            )
            if found is None:
                cells.append("—")
            else:
                mark = "" if found["pass"] else " **FAIL**"
                cells.append(f"{found['ratio']:.2f}{mark}")
        scenario = first["scenarios"][check["scenario"]]["label"]
        if check["reference"] not in ("trivial",) and check["target"] == "P5":
            scenario += f" vs {first['scenarios'][check['reference']]['label']}"
        lines.append(
            f"| {check['target']} | {scenario} | " + " | ".join(cells) + f" | {check['limit']} |"
        )
    lines.append("")
    lines.append(f"| Scenario (p50 / p95 ms) | {header} |")
    lines.append("|---|" + "---:|" * len(runs))
    for key in first["median"]:
        cells = []
        for _title, r in runs:
            stats = r["median"].get(key)
            cells.append(f"{stats['p50_ms']:.1f} / {stats['p95_ms']:.1f}" if stats else "—")
        lines.append(f"| {first['scenarios'][key]['label']} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def render() -> str:
    generated = {b: g for b in BACKENDS if (g := load("generate", b))}
    results = [r for b in BACKENDS if (r := load("results", b))]
    lines = [BEGIN, ""]
    if results:
        lines += machine_section(results)
    if generated:
        lines += data_section(generated)
    for r in results:
        lines += results_section(r)
    compared = []
    for r in results:
        runs = []
        if before := load("results", f"{r['backend']}-before"):
            runs.append(("before", before))
        runs.append(("now", r))
        if fixed := load("results", f"{r['backend']}-fixed"):
            runs.append(("all fixes (scratch)", fixed))
        if len(runs) > 1:
            compared.append((r["backend"], runs))
    if compared:
        lines += ["### Before, now, and with every proposed fix", ""]
        lines.append(
            "Ratios of the targets (median of 3 rounds) in the earlier run (`results-<db>-"
            "before.json`), in this run, and on a scratch copy of the code with every fix "
            "proposed below (`results-<db>-fixed.json`), whichever were run; a dash: not "
            "measured in that run."
        )
        lines.append("")
        for backend, runs in compared:
            lines += comparison_section(backend, runs)
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    block = render()
    if DOC.exists():
        text = DOC.read_text()
        if BEGIN in text and END in text:
            before = text.split(BEGIN)[0]
            after = text.split(END, 1)[1]
            text = before + block + after
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    else:
        text = "# Performance\n\n" + block + "\n"
    DOC.write_text(text)
    print(f"Wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
