"""Application services shared by the CLI, the GUI and the scheduler (no widgets)."""
