#!/usr/bin/env python3
"""Runs the end-to-end suite (or the test files matching --pattern) against given binaries.

    python3 tests/e2e/run_e2e.py --controller C --worker W --server S [--shared DIR]
                                 [--pattern 'test_*.py']

CTest calls it with $<TARGET_FILE:...> paths. Without the flags the harness falls back to
<repo>/build/bin/..., which is also what `python3 -m unittest discover -s tests/e2e -v` uses.
Exit status 0 when every test passed."""

import argparse
import os
import sys
import unittest
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--controller", help="fastchat-controller binary")
    parser.add_argument("--worker", help="fastchat-worker binary")
    parser.add_argument("--server", help="fastchat-server binary")
    parser.add_argument("--shared", help="data folder holding models/stories260K (default: "
                                         "FASTCHAT_SHARED, else the repository)")
    parser.add_argument("--pattern", default="test_*.py", help="test files to run")
    args = parser.parse_args()
    for value, var in ((args.controller, "FASTCHAT_CONTROLLER_BIN"),
                       (args.worker, "FASTCHAT_WORKER_BIN"),
                       (args.server, "FASTCHAT_SERVER_BIN"),
                       (args.shared, "FASTCHAT_SHARED")):
        if value:
            os.environ[var] = str(Path(value).resolve())
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    suite = unittest.defaultTestLoader.discover(str(here), pattern=args.pattern,
                                                top_level_dir=str(here))
    if suite.countTestCases() == 0:
        print(f"no tests match {args.pattern}", file=sys.stderr)
        return 1
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    if not result.wasSuccessful():
        import harness
        harness.keep_logs()
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
