"""`python -m bench {data,scoring,load,soak,pdf_burst} [options]`: set up Django, then run one tool.

The settings come from DJANGO_SETTINGS_MODULE (dev when unset, as with `manage.py`); `bench/run`
and `bench/soak` use the production settings. The app never imports this package.
"""

import argparse
import os
import sys

import django


def main(argv: list[str] | None = None) -> int:
    """Parse the tool and its options, run it, and turn a `BenchError` into exit status 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maturity.settings.dev")
    django.setup()
    # The tools import models, which needs Django set up first.
    from bench import BenchError, data, load, pdf_burst, scoring, soak

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    tools = parser.add_subparsers(dest="tool", required=True)
    for module in (data, scoring, load, soak, pdf_burst):
        name = module.__name__.rsplit(".", 1)[-1]
        tool = tools.add_parser(name, help=module.__doc__.split("\n")[0])
        module.add_arguments(tool)
        tool.set_defaults(run=module.run)
    options = vars(parser.parse_args(argv))
    name, run = options.pop("tool"), options.pop("run")
    try:
        run(**options)
    except BenchError as error:
        print(f"python -m bench {name}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
