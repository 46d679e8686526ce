"""``python -m il1rn_annot.vntr VCF [--build B] [--json]``: print the VNTR cohort summary (and per-sample
JSON with --json).  A stop-gap until the main CLI grows a subcommand; exit 1 on bad input."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError
from .context import vntr_context


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m il1rn_annot.vntr", description=__doc__)
    p.add_argument("vcf")
    p.add_argument("--build")
    p.add_argument("--json", action="store_true", help="print the full JSON (per sample + cohort)")
    args = p.parse_args(argv)
    try:
        ctx = vntr_context(args.vcf, build=args.build)
    except InputError as exc:
        print(f"il1rn_annot.vntr: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(ctx.to_json(), indent=1) if args.json else ctx.text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
