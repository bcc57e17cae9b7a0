"""Run the command-line interface: ``python -m lgstandards``."""

from lgstandards.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
