"""``python -m careshift``: the same command line as the ``careshift`` script."""

from careshift.entrypoints.cli import main

if __name__ == "__main__":
    main()
