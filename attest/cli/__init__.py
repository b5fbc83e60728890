"""The ``attest`` command line: a thin shell over the service functions.

Every AttestError becomes one line on stderr and exit status 2; a failed file
in a batch gives exit status 1 after the rest of the batch has landed.
"""

from __future__ import annotations

import sys

import click
import typer

from attest.cli import documents, extraction, link, publish, secure, web
from attest.cli.context import CliState
from attest.cli.render import err_console
from attest.errors import AttestError

app = typer.Typer(
    name="attest",
    help="Documentation system for human-rights monitors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    ctx: typer.Context,
    archive: str | None = typer.Option(
        None, "--archive", "-a", envvar="ATTEST_ARCHIVE", help="Archive folder (or ATTEST_ARCHIVE)."
    ),
    user: str | None = typer.Option(
        None, "--user", "-u", envvar="ATTEST_USER", help="Act as this user (their key slot)."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output for every command."),
) -> None:
    ctx.obj = CliState(archive_path=archive, user=user, as_json=as_json)


documents.register(app)
secure.register(app)
publish.register(app)
extraction.register(app)
web.register(app)
link.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning user errors into one-line messages."""
    try:
        result = app(args=argv, prog_name="attest", standalone_mode=False)
    except AttestError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
