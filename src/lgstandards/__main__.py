"""Run the command-line interface: ``python -m lgstandards``."""

if __name__ == "__main__":  # pragma: no cover
    import gc

    # As lgstandards.cli.main does (COLLECT_EVERY), from before click is imported.
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])

    from lgstandards.cli import main

    main()
