"""Command line: ``python -m analysis build`` builds the reports of reports.yml.

Errors a user can fix (bad data, a typo in the manifest, a missing Chromium) print one clear
message and exit with a distinct status; ``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from analysis import config
from analysis.errors import EXIT_BUILD_FAILED, EXIT_INTERRUPTED, UserFacingError

EPILOG = """examples:
  python -m analysis build                          every report of reports.yml, both languages
  python -m analysis build --only q5 --lang en      one report in English
  python -m analysis build --only q5 -p year=2022 -p compare_year=2021
                                                    another period (written as q5--compare_year-2021--year-2022)
  python -m analysis build --force                  ignore the cache and rebuild everything
  python -m analysis check-data data/               validate the data files only

exit status: 0 all built, 1 a report failed, 3 bad data, 4 bad manifest or parameter,
             5 missing tool (Chromium), 130 interrupted
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Build the reports of 'Digitale opleidingen – Evolutie'.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="build reports (executed notebook, HTML, PDF, index, combined PDF)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    b.add_argument("--only", action="append", metavar="NAME", help="build only this report (repeatable)")
    b.add_argument("--lang", action="append", choices=["nl", "en"], help="build only this language (repeatable)")
    b.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a notebook parameter; the value is read as YAML (2022, [1, 2], text)",
    )
    b.add_argument("--manifest", type=Path, default=config.MANIFEST_PATH, help="manifest file (default: reports.yml)")
    b.add_argument("--out", type=Path, default=config.REPORTS_DIR, help="output folder (default: reports/)")
    b.add_argument("--force", action="store_true", help="rebuild every report, ignoring the cache")
    b.add_argument("--jobs", type=int, default=None, help="reports run in parallel (default: number of cores, at most 4)")
    b.add_argument("--timeout", type=float, default=300, help="seconds a single cell may run before it is stopped (default 300)")
    b.add_argument("--no-pdf", action="store_true", help="skip PDF export (no Chromium needed)")
    b.add_argument(
        "--allow-modified",
        action="store_true",
        help="build question notebooks even when they differ from their committed form (outputs, edited cells)",
    )
    b.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    g = sub.add_parser(
        "generate", help="rewrite the generated parts: notebook intro and parameters cells, data/README.md, data/datapackage.json"
    )
    g.add_argument("--check", action="store_true", help="only list what is stale (exit 1 if anything is)")
    n = sub.add_parser(
        "new-question",
        help="add a question: registry entry, notebook, module and catalogue text that build at once",
        description="Writes src/analysis/registry.py (entry), notebooks/<id>_<slug>.ipynb, "
        "src/analysis/questions/<id>_<slug>.py and the catalogue text in src/analysis/report/messages.yml.",
    )
    n.add_argument("id", help="question id: q followed by a number, such as q8")
    n.add_argument("slug", help="the rest of the file names: lower-case words joined by _, such as regional_offer")
    n.add_argument("--dataset", default="online_enrolments", help="the data file it starts from (default: online_enrolments)")
    n.add_argument("--single-period", action="store_true", help="it describes one period and compares it with none")
    n.add_argument("--context", action="store_true", help="a context chapter, after the answers in the combined document")
    n.add_argument("--title-nl", default="", help="Dutch title, such as 'Vraag 8 – Regionaal aanbod'")
    n.add_argument("--title-en", default="", help="English title")
    sub.add_parser(
        "lab",
        help="JupyterLab on work/, your own copies of the notebooks (made on first use; the build never reads them)",
        description="Copies notebooks/*.ipynb to work/ where no copy exists yet, then starts JupyterLab on the project "
        "with work/ open. Arguments after 'lab' go to JupyterLab (such as --no-browser --port 8899).",
    )
    c = sub.add_parser("check-data", help="validate every data file and exit")
    c.add_argument("data_dir", nargs="?", default="", help="data folder (default: data/)")
    c.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "lab":
            from analysis.pipeline import lab

            return lab.main(extra)
        if args.command == "generate":
            return _generate(args.check)
        if args.command == "new-question":
            return _new_question(args)
        if args.command == "check-data":
            from analysis.data import loader

            bundle = loader.load_all(args.data_dir)
            present = [n for n, f in bundle.frames.items() if f is not None]
            print(f"ok: {len(present)} data files valid in {bundle.data_dir}: {', '.join(present)}")
            return 0
        return _build(args)
    except UserFacingError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted: finished reports are kept; run the same command again to complete the build", file=sys.stderr)
        return EXIT_INTERRUPTED


def _generate(check: bool) -> int:
    from analysis.pipeline import scaffold

    stale = scaffold.generate(check=check)
    verb = "stale" if check else "rewrote"
    print(f"{verb}: {', '.join(stale)}" if stale else "generated parts are up to date")
    return 1 if check and stale else 0


def _new_question(args) -> int:
    from analysis.pipeline import scaffold

    new = scaffold.NewQuestion(
        args.id,
        args.slug,
        dataset=args.dataset,
        single_period=args.single_period,
        part="context" if args.context else "answer",
        title_nl=args.title_nl,
        title_en=args.title_en,
    )
    for path in scaffold.new_question(new):
        print(f"wrote {path.relative_to(config.PROJECT_DIR)}")
    print(f"next: python -m analysis build --only {args.id} --no-pdf; then make the computation the question's own")
    return 0


def _build(args) -> int:
    from analysis.pipeline import kernels

    t0 = time.perf_counter()
    server = kernels.early_fork_server(args.out, args.force)  # imports while the manifest is read and checked
    try:
        return _build_with(args, t0, server)
    finally:
        if server is not None:
            server.close()


def _build_with(args, t0: float, server) -> int:
    from analysis.pipeline import manifest, runner

    m = manifest.load(args.manifest)
    overrides = manifest.parse_cli_parameters(args.parameter)
    jobs = manifest.jobs(m, args.only, args.lang, overrides)
    from analysis.pipeline import pristine

    for warning in pristine.check([job.notebook for job in jobs], allow_modified=args.allow_modified):
        print(warning, file=sys.stderr)
    if not args.no_pdf:
        from analysis.pipeline.printer import find_chromium

        find_chromium()
    combined_manifest = m if not (args.only or args.lang or overrides) else None
    print(f"building {len(jobs)} report(s) into {args.out} with {args.jobs or 'auto'} worker(s)")
    results = runner.run(
        jobs,
        combined_manifest,
        args.out,
        workers=args.jobs,
        timeout=args.timeout,
        force=args.force,
        pdf=not args.no_pdf,
        forkserver=server,
    )
    print(f"index: {Path(args.out) / 'index.html'}  ({time.perf_counter() - t0:.1f} s in all)")
    return EXIT_BUILD_FAILED if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    status = main()
    # Everything the command opened is closed. What is left is the interpreter's own teardown, whose
    # garbage collections walk the 180,000 objects of some two thousand modules (a third of a second
    # after the index is written); frozen, they are left to the operating system.
    gc.freeze()
    sys.exit(status)
