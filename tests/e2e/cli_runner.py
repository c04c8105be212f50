"""The `onhand` CLI run in-process, its command tree built once.

Typer's `CliRunner.invoke` builds the whole click command tree from the Typer app on
every call (about 70 ms, three quarters of a short CLI call); the tree does not change
between calls, so this runner builds it once and invokes it as Typer's runner would.
The console script itself is run as a subprocess in `test_cli_admin.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

import typer
from typer.testing import CliRunner, Result


class PrebuiltCliRunner(CliRunner):
    def __init__(self, app: typer.Typer) -> None:
        super().__init__()
        self.command = typer.main.get_command(app)

    def run(
        self,
        args: Sequence[str],
        *,
        env: Mapping[str, str | None] | None = None,
        color: bool = False,
        catch_exceptions: bool = True,
    ) -> Result:
        """`args` as the command line; the exit code of `SystemExit`, else 0 (or 1 for
        an exception, caught unless `catch_exceptions` is false)."""
        exit_code, exception, exc_info = 0, None, None
        with self.isolation(env=env, color=color) as (stdout, stderr, output):
            try:
                self.command.main(args=list(args), prog_name=self.get_default_prog_name(self.command))
            except SystemExit as exit_:
                code = exit_.code if exit_.code is not None else 0
                if not isinstance(code, int):
                    sys.stdout.write(f"{code}\n")
                    code = 1
                exit_code, exc_info = code, sys.exc_info()
                exception = exit_ if code != 0 else None
            except Exception as error:
                if not catch_exceptions:
                    raise
                exit_code, exception, exc_info = 1, error, sys.exc_info()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                captured = stdout.getvalue(), stderr.getvalue(), output.getvalue()
        return Result(
            runner=self, stdout_bytes=captured[0], stderr_bytes=captured[1], output_bytes=captured[2],
            return_value=None, exit_code=exit_code, exception=exception, exc_info=exc_info,
        )
