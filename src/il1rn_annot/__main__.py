from il1rn_annot.cli import entry_point

entry_point()
